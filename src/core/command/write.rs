//! Writing only what a command changed.
//!
//! A command edits the hydrated copy of an entry; writing the whole entry
//! back would put every field again, and a field the member never touched
//! would carry the value this phone last saw over a newer one from another
//! phone (automerge takes the last write). So the entry as it was before the
//! command and as it is after are both laid out as automerge values (in
//! scratch documents, through the same `Reconcile` the document uses) and
//! only the differences are written: a changed field, a key added to or taken
//! from a nested map (a sign-up, a season's holders). What the command did
//! not change is never written, so a value this version does not know, or a
//! field in a shape another app chose, stays as it is.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::{Reconcile, reconcile_prop};

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
            let (old, old_obj) = scratch(before)?;
            let (new, new_obj) = scratch(after)?;
            diff_map(&old, &old_obj, &new, &new_obj, doc, &target)
        }
        _ => reconcile_prop(doc, map.clone(), id, after).map_err(broken),
    }
}

/// A value laid out in a document of its own, under the key `v`.
fn scratch<T: Reconcile>(value: &T) -> Result<(AutoCommit, ObjId), Refusal> {
    let mut doc = AutoCommit::new();
    reconcile_prop(&mut doc, ROOT, "v", value).map_err(broken)?;
    match doc.get(ROOT, "v") {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Ok((doc, obj)),
        _ => Err(Refusal::Unreadable),
    }
}

/// What a key holds, for comparing.
#[derive(PartialEq)]
enum Shape {
    Scalar(ScalarValue),
    Map(ObjId),
    /// Lists and text are compared whole: their items as scalars.
    Seq(ObjType, ObjId, Vec<ScalarValue>),
    Missing,
}

fn shape(doc: &AutoCommit, obj: &ObjId, key: &str) -> Shape {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(value), _))) => Shape::Scalar(value.into_owned()),
        Ok(Some((Value::Object(ObjType::Map | ObjType::Table), id))) => Shape::Map(id),
        Ok(Some((Value::Object(kind @ (ObjType::List | ObjType::Text)), id))) => {
            let items = seq_items(doc, &id);
            Shape::Seq(kind, id, items)
        }
        _ => Shape::Missing,
    }
}

fn seq_items(doc: &AutoCommit, list: &ObjId) -> Vec<ScalarValue> {
    if let Ok(text) = doc.text(list)
        && matches!(doc.object_type(list), Ok(ObjType::Text))
    {
        return vec![ScalarValue::Str(text.into())];
    }
    (0..doc.length(list))
        .map(|i| match doc.get(list, i) {
            Ok(Some((Value::Scalar(value), _))) => value.into_owned(),
            _ => ScalarValue::Null,
        })
        .collect()
}

/// Writes into `target` what differs between `old` and `new`.
fn diff_map(
    old: &AutoCommit,
    old_obj: &ObjId,
    new: &AutoCommit,
    new_obj: &ObjId,
    doc: &mut AutoCommit,
    target: &ObjId,
) -> Result<(), Refusal> {
    let mut keys: Vec<String> = old.keys(old_obj).collect();
    for key in new.keys(new_obj) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for key in keys {
        let was = shape(old, old_obj, &key);
        let now = shape(new, new_obj, &key);
        match (&was, &now) {
            (Shape::Scalar(a), Shape::Scalar(b)) if a == b => {}
            (Shape::Seq(ka, _, a), Shape::Seq(kb, _, b)) if ka == kb && a == b => {}
            (_, Shape::Missing) => {
                if !matches!(was, Shape::Missing)
                    && doc.get(target, key.as_str()).ok().flatten().is_some()
                {
                    doc.delete(target, key.as_str()).map_err(broken)?;
                }
            }
            (Shape::Map(a), Shape::Map(b)) => {
                if let Ok(Some((Value::Object(ObjType::Map), sub))) = doc.get(target, key.as_str())
                {
                    diff_map(old, a, new, b, doc, &sub)?;
                } else {
                    copy(new, &now, doc, target, &key)?;
                }
            }
            _ => {
                let same_there = matches!(
                    (&now, doc.get(target, key.as_str())),
                    (Shape::Scalar(b), Ok(Some((Value::Scalar(there), _)))) if there.as_ref() == b
                );
                if !same_there {
                    copy(new, &now, doc, target, &key)?;
                }
            }
        }
    }
    Ok(())
}

/// Puts a value from the scratch document into `target` at `key`.
fn copy(
    from: &AutoCommit,
    value: &Shape,
    doc: &mut AutoCommit,
    target: &ObjId,
    key: &str,
) -> Result<(), Refusal> {
    match value {
        Shape::Missing => Ok(()),
        Shape::Scalar(s) => doc.put(target, key, s.clone()).map_err(broken),
        Shape::Map(obj) => {
            let made = doc.put_object(target, key, ObjType::Map).map_err(broken)?;
            copy_map(from, obj, doc, &made)
        }
        Shape::Seq(ObjType::Text, obj, _) => {
            let made = doc.put_object(target, key, ObjType::Text).map_err(broken)?;
            let text = from.text(obj).map_err(broken)?;
            doc.splice_text(&made, 0, 0, &text).map_err(broken)
        }
        Shape::Seq(_, obj, _) => {
            let made = doc.put_object(target, key, ObjType::List).map_err(broken)?;
            copy_list(from, obj, doc, &made)
        }
    }
}

fn copy_map(
    from: &AutoCommit,
    obj: &ObjId,
    doc: &mut AutoCommit,
    target: &ObjId,
) -> Result<(), Refusal> {
    for key in from.keys(obj) {
        let value = shape(from, obj, &key);
        copy(from, &value, doc, target, &key)?;
    }
    Ok(())
}

fn copy_list(
    from: &AutoCommit,
    obj: &ObjId,
    doc: &mut AutoCommit,
    target: &ObjId,
) -> Result<(), Refusal> {
    for index in 0..from.length(obj) {
        match from.get(obj, index) {
            Ok(Some((Value::Scalar(value), _))) => {
                doc.insert(target, index, value.into_owned())
                    .map_err(broken)?;
            }
            Ok(Some((Value::Object(ObjType::Map), sub))) => {
                let made = doc
                    .insert_object(target, index, ObjType::Map)
                    .map_err(broken)?;
                copy_map(from, &sub, doc, &made)?;
            }
            Ok(Some((Value::Object(ObjType::List), sub))) => {
                let made = doc
                    .insert_object(target, index, ObjType::List)
                    .map_err(broken)?;
                copy_list(from, &sub, doc, &made)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A value read out of a document as it is, to be written elsewhere
/// unchanged (fields this version does not know included).
#[derive(Clone, Debug)]
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
