//! Reading values other automerge programs may have written differently.
//!
//! Read leniently, write strictly, keep what you do not know. Another
//! automerge app (JavaScript's automerge, a newer version of this one) may
//! write a string as collaborative text, a number as a float or an unsigned
//! integer, an enum value in another case, or leave a field out. Every field
//! of every document reads through these functions, so none of that makes a
//! group unreadable: a missing field reads as its default, a number of any
//! kind as a number (fractions rounded), and text as a string. An entry that
//! cannot be read at all is left out of the hydrated group (and so never
//! written back); an enum value this version does not know reads as the
//! enum's `Unknown` and is never written back (see [`named_enum`]).
//! What this app writes is unchanged: integers (signed, so JavaScript reads
//! plain numbers) and plain strings.

use std::collections::BTreeMap;

use automerge::{ObjId, ObjType, ScalarValue, Value};
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconciler, Text};

/// What a field holds, reduced to the shapes the readers care about.
enum Found {
    Missing,
    Scalar(ScalarValue),
    Text(String),
    Map(ObjId),
    List(ObjId),
}

fn found<D: ReadDoc>(doc: &D, obj: &ObjId, prop: &Prop<'_>) -> Result<Found, HydrateError> {
    Ok(match doc.get(obj, prop)? {
        None => Found::Missing,
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Null => Found::Missing,
            other => Found::Scalar(other.clone()),
        },
        Some((Value::Object(ObjType::Text), id)) => Found::Text(doc.text(&id)?),
        Some((Value::Object(ObjType::Map | ObjType::Table), id)) => Found::Map(id),
        Some((Value::Object(ObjType::List), id)) => Found::List(id),
    })
}

/// A field as one scalar: text read as a string; missing, a map or a list
/// as nothing.
fn scalar<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: &Prop<'_>,
) -> Result<Option<ScalarValue>, HydrateError> {
    Ok(match found(doc, obj, prop)? {
        Found::Scalar(value) => Some(value),
        Found::Text(s) => Some(ScalarValue::Str(s.into())),
        _ => None,
    })
}

/// A scalar read as a number, whatever kind it was stored as: integers
/// kept exact, a string parsed, a yes/no as 1 or 0.
enum Number {
    Whole(i64),
    Fraction(f64),
}

fn number(value: &ScalarValue) -> Option<Number> {
    match value {
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => Some(Number::Whole(*n)),
        ScalarValue::Counter(c) => Some(Number::Whole(i64::from(c))),
        ScalarValue::Uint(n) => Some(Number::Whole(i64::try_from(*n).unwrap_or(i64::MAX))),
        ScalarValue::F64(f) => f.is_finite().then_some(Number::Fraction(*f)),
        ScalarValue::Str(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Fraction),
        ScalarValue::Boolean(b) => Some(Number::Whole(i64::from(*b))),
        _ => None,
    }
}

/// A number as an integer: fractions rounded, out of range clamped.
#[expect(
    clippy::cast_possible_truncation,
    reason = "rounded and clamped to the i64 range first"
)]
fn whole(value: &ScalarValue) -> Option<i64> {
    Some(match number(value)? {
        Number::Whole(n) => n,
        Number::Fraction(f) => f.round().clamp(-9.0e18, 9.0e18) as i64,
    })
}

/// An integer field, from any number (fractions rounded); 0 when missing
/// or not a number.
///
/// # Errors
/// Only when the document itself cannot be read.
pub fn int<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<i64, HydrateError> {
    Ok(opt_int(doc, obj, prop)?.unwrap_or_default())
}

/// An optional integer (a moment that may not have happened yet).
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn opt_int<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<i64>, HydrateError> {
    Ok(scalar(doc, obj, &prop)?.as_ref().and_then(whole))
}

/// A count or a version: an integer, never below 0.
///
/// # Errors
/// Only when the document itself cannot be read.
pub fn uint<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<u64, HydrateError> {
    Ok(u64::try_from(int(doc, obj, prop)?).unwrap_or(0))
}

/// A number that may have a fraction (a harvest's quantity).
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
#[expect(clippy::cast_precision_loss, reason = "quantities are far below 2^52")]
pub fn float<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<f64, HydrateError> {
    Ok(match scalar(doc, obj, &prop)?.as_ref().and_then(number) {
        Some(Number::Whole(n)) => n as f64,
        Some(Number::Fraction(f)) => f,
        None => 0.0,
    })
}

/// A yes/no field; missing is no.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn flag<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<bool, HydrateError> {
    Ok(match scalar(doc, obj, &prop)? {
        Some(ScalarValue::Str(s)) => s.eq_ignore_ascii_case("true"),
        Some(value) => whole(&value).is_some_and(|n| n != 0),
        None => false,
    })
}

fn string_of(found: Found) -> Option<String> {
    match found {
        Found::Scalar(ScalarValue::Str(s)) => Some(s.to_string()),
        Found::Text(s) => Some(s),
        Found::Scalar(value) => whole(&value).map(|n| n.to_string()),
        _ => None,
    }
}

/// A string field, from a plain string or collaborative text; empty when
/// missing.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn text<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    Ok(string_of(found(doc, obj, &prop)?).unwrap_or_default())
}

/// An optional string (an id, a date): a string or text, `None` when
/// missing, null or empty.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn opt_text<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    Ok(string_of(found(doc, obj, &prop)?).filter(|s| !s.is_empty()))
}

/// Collaborative text (meeting notes), also from a plain string.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn notes<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<Text, HydrateError> {
    match doc.get(obj, &prop)? {
        Some((Value::Object(ObjType::Text), id)) => Text::hydrate_text(doc, &id),
        other => Ok(Text::with_value(
            other
                .and_then(|(value, _)| match value {
                    Value::Scalar(s) => string_of(Found::Scalar(s.into_owned())),
                    Value::Object(_) => None,
                })
                .unwrap_or_default(),
        )),
    }
}

/// The keys of a map field and each key's value, if the field is a map.
fn map_items<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: &Prop<'_>,
) -> Result<Option<ObjId>, HydrateError> {
    Ok(match found(doc, obj, prop)? {
        Found::Map(id) => Some(id),
        _ => None,
    })
}

fn keys<D: ReadDoc>(doc: &D, map: &ObjId) -> Vec<String> {
    doc.map_range(map, ..)
        .map(|item| item.key.into_owned())
        .collect()
}

/// A map of entries keyed by id. An entry that cannot be read is left out
/// (and so never written back): one odd entry never hides the rest.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn entries<D: ReadDoc, T: Hydrate, C: FromIterator<(String, T)>>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<C, HydrateError> {
    let Some(map) = map_items(doc, obj, &prop)? else {
        return Ok(std::iter::empty().collect());
    };
    Ok(keys(doc, &map)
        .into_iter()
        .filter_map(|key| {
            let entry = T::hydrate(doc, &map, key.as_str().into()).ok()?;
            Some((key, entry))
        })
        .collect())
}

/// Member id → a number (a moment, minutes worked); values that are not
/// numbers are left out.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn numbers<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<BTreeMap<String, i64>, HydrateError> {
    let Some(map) = map_items(doc, obj, &prop)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for key in keys(doc, &map) {
        if let Some(n) = opt_int(doc, &map, key.as_str().into())? {
            out.insert(key, n);
        }
    }
    Ok(out)
}

/// [`numbers`] that are counts: never below 0.
///
/// # Errors
/// Only when the document itself cannot be read.
pub fn counts<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<BTreeMap<String, u64>, HydrateError> {
    Ok(numbers(doc, obj, prop)?
        .into_iter()
        .map(|(key, n)| (key, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Season → member ids: a list of strings (or one string) per season.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn id_lists<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<BTreeMap<String, Vec<String>>, HydrateError> {
    let Some(map) = map_items(doc, obj, &prop)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for key in keys(doc, &map) {
        let ids = match found(doc, &map, &key.as_str().into())? {
            Found::List(list) => {
                let mut ids = Vec::new();
                for index in 0..doc.length(&list) {
                    if let Some(id) = string_of(found(doc, &list, &index.into())?) {
                        ids.push(id);
                    }
                }
                ids
            }
            other => string_of(other).into_iter().collect(),
        };
        out.insert(key, ids);
    }
    Ok(out)
}

/// An optional nested struct: `None` when missing, null, or not a map.
///
/// # Errors
/// Only when the document itself cannot be read.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn opt_map<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<T>, HydrateError> {
    Ok(match map_items(doc, obj, &prop)? {
        Some(map) => T::hydrate_map(doc, &map).ok(),
        None => None,
    })
}

/// The heads of the document being read.
///
/// # Errors
/// Never.
pub fn read_at<D: ReadDoc>(
    doc: &D,
    _: &ObjId,
    _: Prop<'_>,
) -> Result<super::group::ReadAt, HydrateError> {
    Ok(super::group::ReadAt(doc.get_heads()))
}

/// Writes nothing: for what is not stored.
///
/// # Errors
/// Never.
pub fn skip<T, R: Reconciler>(_: &T, _: R) -> Result<(), R::Error> {
    Ok(())
}

/// Writes a count as a signed integer, so JavaScript reads a plain number
/// (automerge's JavaScript reads unsigned integers as `BigInt`).
///
/// # Errors
/// When the document cannot be written.
pub fn put_count<R: Reconciler>(value: &u64, mut reconciler: R) -> Result<(), R::Error> {
    reconciler.i64(i64::try_from(*value).unwrap_or(i64::MAX))
}

/// [`put_count`] for a map of counts.
///
/// # Errors
/// When the document cannot be written.
pub fn put_counts<R: Reconciler>(
    value: &BTreeMap<String, u64>,
    reconciler: R,
) -> Result<(), R::Error> {
    autosurgeon::Reconcile::reconcile(&signed_counts(value), reconciler)
}

/// A count as the document stores it.
pub fn signed(value: &u64) -> i64 {
    i64::try_from(*value).unwrap_or(i64::MAX)
}

/// Counts as the document stores them.
pub fn signed_counts(value: &BTreeMap<String, u64>) -> BTreeMap<String, i64> {
    value.iter().map(|(k, v)| (k.clone(), signed(v))).collect()
}

/// Compares an enum value as stored with a variant's names: any case, and
/// `-`, `_` and spaces ignored (`needs-attention`, `NEEDS_ATTENTION` and
/// `NeedsAttention` are one).
pub fn same_name(stored: &str, name: &str) -> bool {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    fold(stored.trim()) == fold(name)
}

/// The string an enum field holds, if it holds one; `Err(())` for a value
/// that is there but not a string.
///
/// # Errors
/// Only when the document itself cannot be read.
pub fn enum_text<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: &Prop<'_>,
) -> Result<Result<Option<String>, ()>, HydrateError> {
    Ok(match found(doc, obj, prop)? {
        Found::Missing => Ok(None),
        Found::Scalar(ScalarValue::Str(s)) => Ok(Some(s.to_string())),
        Found::Text(s) => Ok(Some(s)),
        _ => Err(()),
    })
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};
    use autosurgeon::hydrate_prop;

    use crate::core::model::{Plot, PlotStatus};

    #[test]
    fn a_plot_written_the_javascript_way_reads() {
        let mut doc = AutoCommit::new();
        let plot = doc.put_object(ROOT, "p1", automerge::ObjType::Map).unwrap();
        doc.put(&plot, "site", "s1").unwrap();
        let label = doc
            .put_object(&plot, "label", automerge::ObjType::Text)
            .unwrap();
        doc.splice_text(&label, 0, 0, "Z9").unwrap();
        doc.put(&plot, "size", "").unwrap();
        doc.put(&plot, "status", "available").unwrap();
        doc.put(&plot, "holder", automerge::ScalarValue::Null)
            .unwrap();
        doc.put(&plot, "created_at", 1_790_000_000_000.4_f64)
            .unwrap();
        let read: Plot = hydrate_prop(&doc, ROOT, "p1").unwrap();
        assert_eq!(read.label, "Z9");
        assert_eq!(read.status, PlotStatus::Available);
        assert_eq!(read.created_at, 1_790_000_000_000);
        doc.put(&plot, "status", "Composting").unwrap();
        let read: Plot = hydrate_prop(&doc, ROOT, "p1").unwrap();
        assert_eq!(read.status, PlotStatus::Unknown);
    }
}
