//! A document read in one pass, for hydrating a whole group quickly.
//!
//! autosurgeon reads a document one field at a time: every field is a
//! fresh `get`, and in automerge 0.12 each `get` seeks through the op
//! set's columns again (LEB128 and run-length decoding from the start of a
//! slab). A group of 5,000 plots is some 60,000 fields, so hydrating it
//! took over a second natively. [`OnePass`] walks the document once with
//! automerge's own [`DocIter`](automerge::iter::DocIter), keeps every
//! object's visible values in memory, and answers autosurgeon's reads from
//! there, so the very same `Hydrate` code (and its lenient readers) runs
//! and sees exactly what `get` would have returned: the winning value of
//! each key, counters with their increments. What it does not hold (text
//! objects, a property of an unexpected kind) it asks the document for.

use std::collections::HashMap;
use std::ops::RangeBounds;

use automerge::iter::{DocItem, ListRange, ListRangeItem, MapRange, MapRangeItem};
use automerge::{AutoCommit, AutomergeError, ChangeHash, ObjId, ObjType, Prop, Value, ValueRef};
use autosurgeon::ReadDoc;

/// The visible contents of one map or list.
enum Contents<'a> {
    /// By key, in key order (as automerge iterates a map).
    Map(Vec<MapRangeItem<'a>>),
    /// By index.
    List(Vec<ListRangeItem<'a>>),
}

/// A read-only view of a document that has read every map and list once.
pub struct OnePass<'a> {
    doc: &'a AutoCommit,
    objects: HashMap<ObjId, Contents<'a>>,
}

impl<'a> OnePass<'a> {
    /// Reads every map and list of the document in one walk over its ops.
    pub fn new(doc: &'a AutoCommit) -> Self {
        let mut objects: HashMap<ObjId, Contents<'a>> = HashMap::new();
        objects.insert(automerge::ROOT, Contents::Map(Vec::new()));
        let mut current: Option<(std::sync::Arc<ObjId>, Contents<'a>)> = None;
        for item in automerge::ReadDoc::iter(doc) {
            // Items come object by object; a new object ends the last one.
            if current
                .as_ref()
                .is_none_or(|(obj, _)| !std::sync::Arc::ptr_eq(obj, &item.obj))
            {
                if let Some((obj, contents)) = current.take() {
                    objects.insert(ObjId::clone(&obj), contents);
                }
                let contents = match &item.item {
                    DocItem::Map(_) => Contents::Map(Vec::new()),
                    DocItem::List(_) => Contents::List(Vec::new()),
                    DocItem::Text(_) => {
                        current = None;
                        continue;
                    }
                };
                current = Some((item.obj.clone(), contents));
            }
            let Some((_, contents)) = current.as_mut() else {
                continue;
            };
            match (contents, item.item) {
                (Contents::Map(items), DocItem::Map(entry)) => {
                    register(&mut objects, &entry.value, || entry.id());
                    items.push(entry);
                }
                (Contents::List(items), DocItem::List(entry)) => {
                    register(&mut objects, &entry.value, || entry.id());
                    items.push(entry);
                }
                _ => {}
            }
        }
        if let Some((obj, contents)) = current {
            objects.insert(ObjId::clone(&obj), contents);
        }
        // Lookups search by key; automerge keeps a map's keys in order, and
        // should a document say otherwise they are put in order here.
        for contents in objects.values_mut() {
            if let Contents::Map(items) = contents
                && !items.is_sorted_by(|a, b| a.key <= b.key)
            {
                items.sort_by(|a, b| a.key.cmp(&b.key));
            }
        }
        Self { doc, objects }
    }

    fn map(&self, obj: &ObjId) -> Option<&[MapRangeItem<'a>]> {
        match self.objects.get(obj)? {
            Contents::Map(items) => Some(items),
            Contents::List(_) => None,
        }
    }

    fn list(&self, obj: &ObjId) -> Option<&[ListRangeItem<'a>]> {
        match self.objects.get(obj)? {
            Contents::List(items) => Some(items),
            Contents::Map(_) => None,
        }
    }
}

/// Notes an object the walk will reach later as empty until it does, so
/// that an empty map or list is answered without asking the document.
fn register(
    objects: &mut HashMap<ObjId, Contents<'_>>,
    value: &ValueRef<'_>,
    id: impl FnOnce() -> ObjId,
) {
    let contents = match value {
        ValueRef::Object(ObjType::Map | ObjType::Table) => Contents::Map(Vec::new()),
        ValueRef::Object(ObjType::List) => Contents::List(Vec::new()),
        _ => return,
    };
    objects.entry(id()).or_insert(contents);
}

fn found<'v>(value: &ValueRef<'_>, id: ObjId) -> (Value<'v>, ObjId) {
    (value.clone().into_value(), id)
}

impl ReadDoc for OnePass<'_> {
    type Parents<'b>
        = automerge::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<ChangeHash> {
        ReadDoc::get_heads(self.doc)
    }

    fn get<P: Into<Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        let prop = prop.into();
        match &prop {
            Prop::Map(key) => {
                if let Some(items) = self.map(obj) {
                    return Ok(items
                        .binary_search_by(|item| item.key.as_ref().cmp(key.as_str()))
                        .ok()
                        .map(|at| found(&items[at].value, items[at].id())));
                }
            }
            Prop::Seq(index) => {
                if let Some(item) = self.list(obj).and_then(|items| items.get(*index)) {
                    return Ok(Some(found(&item.value, item.id())));
                }
            }
        }
        ReadDoc::get(self.doc, obj, prop)
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<ObjType> {
        ReadDoc::object_type(self.doc, obj)
    }

    fn map_range<'b, O, R>(&'b self, obj: O, range: R) -> MapRange<'b>
    where
        R: RangeBounds<String> + 'b,
        O: AsRef<ObjId>,
        R: RangeBounds<String>,
    {
        // An empty map needs no seek; any other is ranged by automerge.
        if self.map(obj.as_ref()).is_some_and(<[_]>::is_empty) {
            return MapRange::default();
        }
        ReadDoc::map_range(self.doc, obj, range)
    }

    fn list_range<O: AsRef<ObjId>, R: RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> ListRange<'_> {
        ReadDoc::list_range(self.doc, obj, range)
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        match self.list(obj.as_ref()) {
            Some(items) => items.len(),
            None => ReadDoc::length(self.doc, obj),
        }
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, AutomergeError> {
        ReadDoc::text(self.doc, obj)
    }

    fn parents<O: AsRef<ObjId>>(&self, obj: O) -> Result<Self::Parents<'_>, AutomergeError> {
        ReadDoc::parents(self.doc, obj)
    }

    fn is_empty(&self) -> bool {
        self.map(&automerge::ROOT).is_none_or(<[_]>::is_empty)
    }
}
