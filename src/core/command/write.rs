//! Writing only what a command changed.
//!
//! A command edits the hydrated copy of an entry; writing the whole entry
//! back would put every field again, and a field the member never touched
//! would carry the value this phone last saw over a newer one from another
//! phone (automerge takes the last write). So the entry as it was before the
//! command and as it is after are both laid out as automerge values (in
//! memory, through the same `Reconcile` the document uses: see [`Layout`])
//! and only the differences are written: a changed field, a key added to or
//! taken from a nested map (a sign-up, a season's holders). What the command
//! did not change is never written, so a value this version does not know,
//! or a field in a shape another app chose, stays as it is.

use std::borrow::Cow;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef};
use autosurgeon::reconcile::{
    CounterReconciler, LoadKey, MapReconciler, SeqReconciler, StaleHeads, TextReconciler,
};
use autosurgeon::{Reconcile, Reconciler, reconcile_prop};

use super::Refusal;

fn broken<E>(_: E) -> Refusal {
    Refusal::Unreadable
}

/// Writes `after` as entry `id` of `map`. With the entry as the command
/// found it (`before`) and the entry present in the document, only what
/// differs is written; otherwise (a new entry) all of it.
///
/// # Errors
/// When the document is not the shape it claims to be.
pub(super) fn entry<T: Reconcile>(
    doc: &mut AutoCommit,
    map: &ObjId,
    id: &str,
    before: Option<&T>,
    after: &T,
) -> Result<(), Refusal> {
    let stored = match doc.get(map, id) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        Ok(_) => None,
        Err(_) => return Err(Refusal::Unreadable),
    };
    match (before, stored) {
        (Some(before), Some(target)) => {
            let (Tree::Map(old), Tree::Map(new)) = (laid_out(before)?, laid_out(after)?) else {
                return Err(Refusal::Unreadable);
            };
            diff_map(&old, &new, doc, &target)
        }
        _ => reconcile_prop(doc, map.clone(), id, after).map_err(broken),
    }
}

/// A value laid out as `Reconcile` would write it into an empty place.
fn laid_out<T: Reconcile>(value: &T) -> Result<Tree, Refusal> {
    let mut slot = None;
    value
        .reconcile(Layout { slot: &mut slot })
        .map_err(broken)?;
    slot.ok_or(Refusal::Unreadable)
}

fn find<'a>(entries: &'a [(String, Tree)], key: &str) -> Option<&'a Tree> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Writes into `target` what differs between `old` and `new`.
fn diff_map(
    old: &[(String, Tree)],
    new: &[(String, Tree)],
    doc: &mut AutoCommit,
    target: &ObjId,
) -> Result<(), Refusal> {
    let mut keys: Vec<&str> = old.iter().map(|(k, _)| k.as_str()).collect();
    for (key, _) in new {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    for key in keys {
        match (find(old, key), find(new, key)) {
            // Lists and text are compared whole.
            (Some(was), Some(now)) if was == now && !matches!(now, Tree::Map(_)) => {}
            (was, None) => {
                if was.is_some() && doc.get(target, key).ok().flatten().is_some() {
                    doc.delete(target, key).map_err(broken)?;
                }
            }
            (Some(Tree::Map(a)), Some(now @ Tree::Map(b))) => {
                if let Ok(Some((Value::Object(ObjType::Map), sub))) = doc.get(target, key) {
                    diff_map(a, b, doc, &sub)?;
                } else {
                    now.put(doc, target, key)?;
                }
            }
            (_, Some(now)) => {
                let same_there = matches!(
                    (now, doc.get(target, key)),
                    (Tree::Scalar(b), Ok(Some((Value::Scalar(there), _)))) if there.as_ref() == b
                );
                if !same_there {
                    now.put(doc, target, key)?;
                }
            }
        }
    }
    Ok(())
}

/// A `Reconciler` that writes into memory instead of a document: what
/// `Reconcile` would put into an empty place, as a [`Tree`]. Laying an
/// entry out this way costs a few allocations; laying it out in a scratch
/// automerge document cost most of a command.
struct Layout<'a> {
    slot: &'a mut Option<Tree>,
}

/// The one way laying out fails: a `Text` edited from a copy of a document
/// (its edits are tied to that document's heads).
#[derive(Debug)]
struct Stale;

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stale heads")
    }
}

impl std::error::Error for Stale {}

impl From<StaleHeads> for Stale {
    fn from(_: StaleHeads) -> Self {
        Self
    }
}

fn value_of(tree: &Tree) -> Value<'_> {
    match tree {
        Tree::Scalar(s) => Value::Scalar(std::borrow::Cow::Borrowed(s)),
        Tree::Map(_) => Value::Object(ObjType::Map),
        Tree::List(_) => Value::Object(ObjType::List),
        Tree::Text(_) => Value::Object(ObjType::Text),
    }
}

fn value_ref<'b>(tree: &Tree) -> ValueRef<'b> {
    match tree {
        Tree::Scalar(s) => ValueRef::Scalar(s.clone().into()),
        Tree::Map(_) => ValueRef::Object(ObjType::Map),
        Tree::List(_) => ValueRef::Object(ObjType::List),
        Tree::Text(_) => ValueRef::Object(ObjType::Text),
    }
}

/// Lays `value` out over what `slot` holds (nothing, for a new place).
fn lay<R: Reconcile>(slot: &mut Option<Tree>, value: R) -> Result<(), Stale> {
    value.reconcile(Layout { slot })
}

impl Layout<'_> {
    fn scalar(&mut self, value: ScalarValue) {
        *self.slot = Some(Tree::Scalar(value));
    }
}

impl Reconciler for Layout<'_> {
    type Error = Stale;
    type Map<'b>
        = MapLayout<'b>
    where
        Self: 'b;
    type Seq<'b>
        = SeqLayout<'b>
    where
        Self: 'b;
    type Text<'b>
        = TextLayout<'b>
    where
        Self: 'b;
    type Counter<'b>
        = CounterLayout<'b>
    where
        Self: 'b;

    fn none(&mut self) -> Result<(), Stale> {
        self.scalar(ScalarValue::Null);
        Ok(())
    }

    fn bytes<B: AsRef<[u8]>>(&mut self, value: B) -> Result<(), Stale> {
        self.scalar(ScalarValue::Bytes(value.as_ref().to_vec()));
        Ok(())
    }

    fn timestamp(&mut self, value: i64) -> Result<(), Stale> {
        self.scalar(ScalarValue::Timestamp(value));
        Ok(())
    }

    fn boolean(&mut self, value: bool) -> Result<(), Stale> {
        self.scalar(ScalarValue::Boolean(value));
        Ok(())
    }

    fn str<S: AsRef<str>>(&mut self, value: S) -> Result<(), Stale> {
        self.scalar(ScalarValue::Str(value.as_ref().into()));
        Ok(())
    }

    fn u64(&mut self, value: u64) -> Result<(), Stale> {
        self.scalar(ScalarValue::Uint(value));
        Ok(())
    }

    fn i64(&mut self, value: i64) -> Result<(), Stale> {
        self.scalar(ScalarValue::Int(value));
        Ok(())
    }

    fn f64(&mut self, value: f64) -> Result<(), Stale> {
        self.scalar(ScalarValue::F64(value));
        Ok(())
    }

    fn map(&mut self) -> Result<MapLayout<'_>, Stale> {
        if !matches!(self.slot, Some(Tree::Map(_))) {
            *self.slot = Some(Tree::Map(Vec::new()));
        }
        match self.slot {
            Some(Tree::Map(entries)) => Ok(MapLayout { entries }),
            _ => unreachable!("made a map just above"),
        }
    }

    fn seq(&mut self) -> Result<SeqLayout<'_>, Stale> {
        if !matches!(self.slot, Some(Tree::List(_))) {
            *self.slot = Some(Tree::List(Vec::new()));
        }
        match self.slot {
            Some(Tree::List(items)) => Ok(SeqLayout { items }),
            _ => unreachable!("made a list just above"),
        }
    }

    fn text(&mut self) -> Result<TextLayout<'_>, Stale> {
        if !matches!(self.slot, Some(Tree::Text(_))) {
            *self.slot = Some(Tree::Text(String::new()));
        }
        match self.slot {
            Some(Tree::Text(text)) => Ok(TextLayout { text }),
            _ => unreachable!("made a text just above"),
        }
    }

    fn counter(&mut self) -> Result<CounterLayout<'_>, Stale> {
        Ok(CounterLayout { slot: self.slot })
    }

    fn heads(&self) -> &[ChangeHash] {
        &[]
    }
}

struct MapLayout<'a> {
    entries: &'a mut Vec<(String, Tree)>,
}

impl MapReconciler for MapLayout<'_> {
    type Error = Stale;
    type EntriesIter<'b>
        = Box<dyn Iterator<Item = (Cow<'b, str>, ValueRef<'b>)> + 'b>
    where
        Self: 'b;

    fn entries(&self) -> Self::EntriesIter<'_> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), value_ref(v))),
        )
    }

    fn entry<P: AsRef<str>>(&self, prop: P) -> Option<Value<'_>> {
        find(self.entries, prop.as_ref()).map(value_of)
    }

    fn put<R: Reconcile, P: AsRef<str>>(&mut self, prop: P, value: R) -> Result<(), Stale> {
        let key = prop.as_ref();
        let at = self.entries.iter().position(|(k, _)| k == key);
        let mut slot = at.map(|i| self.entries.remove(i).1);
        lay(&mut slot, value)?;
        // A value that writes nothing (an `Unknown` kept as stored) leaves
        // the place empty, as it leaves a document's entry untouched.
        if let Some(tree) = slot {
            self.entries.push((key.to_owned(), tree));
        }
        Ok(())
    }

    fn delete<P: AsRef<str>>(&mut self, prop: P) -> Result<(), Stale> {
        self.entries.retain(|(k, _)| k != prop.as_ref());
        Ok(())
    }

    fn hydrate_entry_key<'b, R: Reconcile, P: AsRef<str>>(
        &self,
        _prop: P,
    ) -> Result<LoadKey<R::Key<'b>>, Stale> {
        Ok(LoadKey::KeyNotFound)
    }
}

struct SeqLayout<'a> {
    items: &'a mut Vec<Tree>,
}

impl SeqReconciler for SeqLayout<'_> {
    type Error = Stale;
    type ItemIter<'b>
        = Box<dyn Iterator<Item = ValueRef<'b>> + 'b>
    where
        Self: 'b;

    fn items(&self) -> Self::ItemIter<'_> {
        Box::new(self.items.iter().map(value_ref))
    }

    fn get(&self, index: usize) -> Result<Option<Value<'_>>, Stale> {
        Ok(self.items.get(index).map(value_of))
    }

    fn hydrate_item_key<'b, R: Reconcile>(
        &self,
        _index: usize,
    ) -> Result<LoadKey<R::Key<'b>>, Stale> {
        Ok(LoadKey::KeyNotFound)
    }

    fn insert<R: Reconcile>(&mut self, index: usize, value: R) -> Result<(), Stale> {
        let mut slot = None;
        lay(&mut slot, value)?;
        if let Some(tree) = slot {
            self.items.insert(index.min(self.items.len()), tree);
        }
        Ok(())
    }

    fn set<R: Reconcile>(&mut self, index: usize, value: R) -> Result<(), Stale> {
        if index < self.items.len() {
            let mut slot = Some(self.items.remove(index));
            lay(&mut slot, value)?;
            if let Some(tree) = slot {
                self.items.insert(index, tree);
            }
            Ok(())
        } else {
            self.insert(index, value)
        }
    }

    fn delete(&mut self, index: usize) -> Result<(), Stale> {
        if index < self.items.len() {
            self.items.remove(index);
        }
        Ok(())
    }

    fn len(&self) -> Result<usize, Stale> {
        Ok(self.items.len())
    }
}

struct TextLayout<'a> {
    text: &'a mut String,
}

impl TextReconciler for TextLayout<'_> {
    type Error = Stale;

    fn splice<S: AsRef<str>>(&mut self, pos: usize, delete: isize, insert: S) -> Result<(), Stale> {
        let at = |chars: usize| {
            self.text
                .char_indices()
                .nth(chars)
                .map_or(self.text.len(), |(i, _)| i)
        };
        let start = at(pos);
        let end = at(pos + usize::try_from(delete).unwrap_or(0));
        self.text.replace_range(start..end, insert.as_ref());
        Ok(())
    }

    fn heads(&self) -> &[ChangeHash] {
        &[]
    }

    fn update<S: AsRef<str>>(&mut self, new_text: S) -> Result<(), Stale> {
        new_text.as_ref().clone_into(self.text);
        Ok(())
    }
}

struct CounterLayout<'a> {
    slot: &'a mut Option<Tree>,
}

impl CounterReconciler for CounterLayout<'_> {
    type Error = Stale;

    fn increment(&mut self, by: i64) -> Result<(), Stale> {
        let now = match self.slot {
            Some(Tree::Scalar(ScalarValue::Counter(counter))) => i64::from(&*counter),
            _ => 0,
        };
        self.set(now + by)
    }

    fn set(&mut self, value: i64) -> Result<(), Stale> {
        *self.slot = Some(Tree::Scalar(ScalarValue::counter(value)));
        Ok(())
    }
}

/// A value read out of a document as it is, to be written elsewhere
/// unchanged (fields this version does not know included).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tree {
    Scalar(ScalarValue),
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
    Text(String),
}

impl Tree {
    /// The value at `key` of `obj`, if any.
    pub(super) fn read<P: Into<automerge::Prop>>(
        doc: &AutoCommit,
        obj: &ObjId,
        key: P,
    ) -> Option<Self> {
        match doc.get(obj, key).ok()?? {
            (Value::Scalar(value), _) => Some(Self::Scalar(value.into_owned())),
            (Value::Object(ObjType::Text), id) => doc.text(&id).ok().map(Self::Text),
            (Value::Object(ObjType::List), id) => Some(Self::List(
                (0..doc.length(&id))
                    .filter_map(|i| Self::read(doc, &id, i))
                    .collect(),
            )),
            (Value::Object(ObjType::Map | ObjType::Table), id) => Some(Self::Map(
                doc.keys(&id)
                    .filter_map(|k| Self::read(doc, &id, k.as_str()).map(|v| (k, v)))
                    .collect(),
            )),
        }
    }

    /// Writes it at `key` of the map `target`.
    pub(super) fn put(
        &self,
        doc: &mut AutoCommit,
        target: &ObjId,
        key: &str,
    ) -> Result<(), Refusal> {
        match self {
            Self::Scalar(s) => doc.put(target, key, s.clone()).map_err(broken),
            Self::Text(text) => {
                let made = doc.put_object(target, key, ObjType::Text).map_err(broken)?;
                doc.splice_text(&made, 0, 0, text).map_err(broken)
            }
            Self::Map(entries) => {
                let made = doc.put_object(target, key, ObjType::Map).map_err(broken)?;
                entries.iter().try_for_each(|(k, v)| v.put(doc, &made, k))
            }
            Self::List(items) => {
                let made = doc.put_object(target, key, ObjType::List).map_err(broken)?;
                for (index, item) in items.iter().enumerate() {
                    item.insert(doc, &made, index)?;
                }
                Ok(())
            }
        }
    }

    fn insert(&self, doc: &mut AutoCommit, list: &ObjId, index: usize) -> Result<(), Refusal> {
        match self {
            Self::Scalar(s) => doc.insert(list, index, s.clone()).map_err(broken),
            Self::Text(text) => {
                let made = doc
                    .insert_object(list, index, ObjType::Text)
                    .map_err(broken)?;
                doc.splice_text(&made, 0, 0, text).map_err(broken)
            }
            Self::Map(entries) => {
                let made = doc
                    .insert_object(list, index, ObjType::Map)
                    .map_err(broken)?;
                entries.iter().try_for_each(|(k, v)| v.put(doc, &made, k))
            }
            Self::List(items) => {
                let made = doc
                    .insert_object(list, index, ObjType::List)
                    .map_err(broken)?;
                for (i, item) in items.iter().enumerate() {
                    item.insert(doc, &made, i)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Member, Plot, PlotStatus};
    use automerge::ROOT;

    /// Map entries in key order, so two layouts compare by content.
    fn sorted(tree: Tree) -> Tree {
        match tree {
            Tree::Map(mut entries) => {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Tree::Map(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            Tree::List(items) => Tree::List(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }

    /// What reconciling into a real document writes, read back.
    fn in_document<T: Reconcile>(value: &T) -> Option<Tree> {
        let mut doc = AutoCommit::new();
        reconcile_prop(&mut doc, ROOT, "v", value).unwrap();
        Tree::read(&doc, &ROOT, "v")
    }

    fn same_as_a_document<T: Reconcile>(value: &T) {
        assert_eq!(
            laid_out(value).ok().map(sorted),
            in_document(value).map(sorted)
        );
    }

    #[test]
    fn an_entry_is_laid_out_as_a_document_would_hold_it() {
        let mut plot = Plot {
            site: "field".into(),
            label: "B12".into(),
            size: "3 × 4 m".into(),
            status: PlotStatus::Available,
            holder: None,
            created_at: 1_700_000_000_000,
            cells: "1,2 1,3".into(),
            notes: "Tomatoes; mind the tap".into(),
            ..Plot::default()
        };
        plot.holders
            .insert("2026".into(), vec!["ana".into(), "bo".into()]);
        plot.holders.insert("2027".into(), Vec::new());
        same_as_a_document(&plot);
        // A status this version does not know is never written: no key.
        plot.status = PlotStatus::Unknown;
        plot.holder = Some("ana".into());
        same_as_a_document(&plot);
        let Ok(Tree::Map(entries)) = laid_out(&plot) else {
            panic!("a plot is a map");
        };
        assert!(entries.iter().all(|(key, _)| key != "status"));
        same_as_a_document(&Member {
            name: "Ana".into(),
            coordinator: true,
            ..Member::default()
        });
    }
}
