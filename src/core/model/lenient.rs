//! Reading values other automerge programs may have written differently.
//!
//! JavaScript's automerge stores a number inside an object literal as a
//! float (`created_at: 0` becomes `F64(0.0)`), and a plain string as
//! collaborative text. A group edited by any automerge-repo peer must still
//! read here, so whole floats count as integers and text counts as a string.
//! What this app writes is unchanged: integers and plain strings.

use automerge::{ObjId, ObjType, ScalarValue, Value};
use autosurgeon::{HydrateError, Prop, ReadDoc};

/// An integer field, also from a whole float or an unsigned integer.
///
/// # Errors
/// When the value is missing, fractional, or not a number.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn int<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<i64, HydrateError> {
    match doc.get(obj, &prop)? {
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Int(n) => Ok(*n),
            ScalarValue::Uint(n) => {
                i64::try_from(*n).map_err(|_| unexpected("an integer", "a huge number"))
            }
            #[expect(
                clippy::cast_possible_truncation,
                reason = "checked to be whole and in range"
            )]
            ScalarValue::F64(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
            other => Err(unexpected("an integer", &format!("{other:?}"))),
        },
        _ => Err(unexpected("an integer", "something else")),
    }
}

/// An unsigned integer field (a schema version), leniently as [`int`].
///
/// # Errors
/// When the value is not a whole, non-negative number.
pub fn uint<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<u64, HydrateError> {
    u64::try_from(int(doc, obj, prop)?).map_err(|_| unexpected("a version", "a negative number"))
}

/// A string field, also from collaborative text.
///
/// # Errors
/// When the value is neither a string nor text.
#[expect(
    clippy::needless_pass_by_value,
    reason = "autosurgeon's hydrate signature"
)]
pub fn text<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    match doc.get(obj, &prop)? {
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Str(s) => Ok(s.to_string()),
            other => Err(unexpected("a string", &format!("{other:?}"))),
        },
        Some((Value::Object(ObjType::Text), id)) => Ok(doc.text(&id)?),
        _ => Err(unexpected("a string", "something else")),
    }
}

fn unexpected(expected: &'static str, found: &str) -> HydrateError {
    HydrateError::unexpected(expected, found.to_owned())
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};
    use autosurgeon::hydrate_prop;

    use crate::core::model::Plot;

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
        doc.put(&plot, "status", "Available").unwrap();
        doc.put(&plot, "holder", automerge::ScalarValue::Null)
            .unwrap();
        doc.put(&plot, "created_at", 1_790_000_000_000.0_f64)
            .unwrap();
        let read: Plot = hydrate_prop(&doc, ROOT, "p1").unwrap();
        assert_eq!(read.label, "Z9");
        assert_eq!(read.created_at, 1_790_000_000_000);
        doc.put(&plot, "created_at", 0.5_f64).unwrap();
        assert!(hydrate_prop::<_, Plot, _, _>(&doc, ROOT, "p1").is_err());
    }
}
