//! A group's map of entries by id, shared between copies of the group.
//!
//! The engine keeps one copy of the open group and the pages hold another
//! (the one they drew). A command changes the engine's copy and hands the
//! pages the new one, so each command copies the group once. With plain
//! maps that copy grew with the group (2 ms of a 5,000-plot garden's edit,
//! most of it allocating and freeing every plot's strings). Here a copy of
//! the map is one count, and changing an entry copies the map's spine (its
//! keys and one pointer per entry) and that one entry, never the others.

use std::collections::BTreeMap;
use std::sync::Arc;

use autosurgeon::{Reconcile, Reconciler};

/// Entries by id, in id order, as a `BTreeMap` reads them.
#[derive(Debug)]
pub struct Entries<T>(Arc<BTreeMap<String, Arc<T>>>);

impl<T> Entries<T> {
    pub fn get(&self, id: &str) -> Option<&T> {
        self.0.get(id).map(|entry| &**entry)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &T)> + Clone {
        self.0.iter().map(|(id, entry)| (id, &**entry))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + Clone {
        self.0.keys()
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.0.values().map(|entry| &**entry)
    }

    /// Whether `other` is this very map (not only an equal one).
    pub fn same(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: Clone> Entries<T> {
    /// The entry, to change: only it is copied, if another copy of the
    /// group shares it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        if !self.0.contains_key(id) {
            return None;
        }
        Arc::make_mut(&mut self.0).get_mut(id).map(Arc::make_mut)
    }

    pub fn insert(&mut self, id: String, entry: T) -> Option<T> {
        Arc::make_mut(&mut self.0)
            .insert(id, Arc::new(entry))
            .map(Arc::unwrap_or_clone)
    }

    pub fn remove(&mut self, id: &str) -> Option<T> {
        if !self.0.contains_key(id) {
            return None;
        }
        Arc::make_mut(&mut self.0)
            .remove(id)
            .map(Arc::unwrap_or_clone)
    }
}

impl<T> std::ops::Index<&str> for Entries<T> {
    type Output = T;

    /// # Panics
    /// When there is no such entry, as a `BTreeMap` does.
    fn index(&self, id: &str) -> &T {
        &self.0[id]
    }
}

impl<T> Clone for Entries<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<T: PartialEq> PartialEq for Entries<T> {
    fn eq(&self, other: &Self) -> bool {
        self.same(other) || self.0 == other.0
    }
}

impl<T> FromIterator<(String, T)> for Entries<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(entries: I) -> Self {
        Self(Arc::new(
            entries
                .into_iter()
                .map(|(id, entry)| (id, Arc::new(entry)))
                .collect(),
        ))
    }
}

impl<'a, T> IntoIterator for &'a Entries<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = std::iter::Map<
        std::collections::btree_map::Iter<'a, String, Arc<T>>,
        fn((&'a String, &'a Arc<T>)) -> (&'a String, &'a T),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(id, entry)| (id, &**entry))
    }
}

impl<T: Reconcile> Reconcile for Entries<T> {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        self.iter()
            .collect::<BTreeMap<_, _>>()
            .reconcile(reconciler)
    }
}

// Stored in the cached first screen exactly as a `BTreeMap` is, so records
// written before entries were shared still read.
impl<T: serde::Serialize> serde::Serialize for Entries<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Entries<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, T>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn garden() -> Entries<String> {
        [("a", "bed"), ("b", "row")]
            .map(|(id, kind)| (id.to_owned(), kind.to_owned()))
            .into_iter()
            .collect()
    }

    #[test]
    fn a_copy_changed_leaves_the_original_and_shares_the_rest() {
        let before = garden();
        let mut after = before.clone();
        assert!(after.same(&before));
        *after.get_mut("a").unwrap() = "raised bed".into();
        assert_eq!(before.get("a").unwrap(), "bed");
        assert_eq!(after.get("a").unwrap(), "raised bed");
        assert!(!after.same(&before));
        assert!(std::ptr::eq(
            before.get("b").unwrap(),
            after.get("b").unwrap()
        ));
    }

    #[test]
    fn missing_entries_change_nothing() {
        let before = garden();
        let mut after = before.clone();
        assert!(after.get_mut("z").is_none());
        assert!(after.remove("z").is_none());
        assert!(after.same(&before));
    }

    #[test]
    fn stored_like_a_map() {
        let map: BTreeMap<String, String> = garden()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let bytes = postcard::to_allocvec(&garden()).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&map).unwrap());
        assert_eq!(
            postcard::from_bytes::<Entries<String>>(&bytes).unwrap(),
            garden()
        );
    }
}
