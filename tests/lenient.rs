#![cfg(not(target_arch = "wasm32"))]
//! Reading what other automerge apps write: a group and a meeting written by
//! the real npm `@automerge/automerge` with every field in every JavaScript
//! shape (`tests/interop/lenient-fixture.mjs`, saved in
//! `tests/fixtures/lenient/`), read here natively. Nothing in them makes the
//! group unreadable, every value reads as a member would expect, and values
//! this version does not know are kept exactly as stored through edits.

use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use common_ground::core::command::{self, At, Command, MeetingCommand, MemberDetails};
use common_ground::core::model::{ActionStatus, Group, PlotStatus, ShiftKind};

const GROUP: &[u8] = include_bytes!("fixtures/lenient/group.automerge");
const MEETING: &[u8] = include_bytes!("fixtures/lenient/meeting.automerge");
const NOW: i64 = 1_790_000_000_000;

fn group_doc() -> AutoCommit {
    AutoCommit::load(GROUP).unwrap()
}

fn meeting_doc() -> AutoCommit {
    AutoCommit::load(MEETING).unwrap()
}

/// A table of (what, read, expected): every row that differs, at once.
fn expect_rows(rows: &[(&str, String, &str)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(_, got, want)| got != want)
        .map(|(what, got, want)| format!("{what}: read {got}, expected {want}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn read() -> Group {
    command::read(&group_doc()).expect("a group written by another app reads")
}

/// The scalar stored at a path of the document, as it is stored.
fn stored(doc: &AutoCommit, path: &[&str]) -> Option<ScalarValue> {
    let mut obj = ROOT;
    for (i, key) in path.iter().enumerate() {
        match doc.get(&obj, *key).unwrap()? {
            (Value::Object(_), id) if i + 1 < path.len() => obj = id,
            (Value::Scalar(s), _) if i + 1 == path.len() => return Some(s.into_owned()),
            (Value::Object(ObjType::Text), id) => {
                return Some(ScalarValue::Str(doc.text(&id).unwrap().into()));
            }
            _ => return None,
        }
    }
    None
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a table: one row per field and shape"
)]
fn every_field_reads_from_every_javascript_shape() {
    let g = read();
    // (what, read, expected): one row per field and shape.
    let rows: Vec<(&str, String, &str)> = vec![
        ("schema as uint", g.schema.to_string(), "2"),
        ("name as text", g.name.clone(), "Rooftop garden"),
        (
            "fractional created_at rounds",
            g.created_at.to_string(),
            "1790000000001",
        ),
        ("aid expiry as float", g.aid_expiry_days.to_string(), "14"),
        (
            "member name as text",
            g.members["m_text"].name.clone(),
            "Ana",
        ),
        (
            "member contact as plain string",
            g.members["m_text"].contact.clone(),
            "555-0100",
        ),
        (
            "missing languages",
            g.members["m_text"].languages.clone(),
            "",
        ),
        (
            "coordinator bool",
            g.members["m_text"].coordinator.to_string(),
            "true",
        ),
        (
            "missing point_person",
            g.members["m_text"].point_person.to_string(),
            "false",
        ),
        (
            "point_person as int 1",
            g.members["m_plain"].point_person.to_string(),
            "true",
        ),
        (
            "member created_at float",
            g.members["m_plain"].created_at.to_string(),
            "1790000000000",
        ),
        ("site rows as uint", g.sites["s1"].rows.to_string(), "3"),
        ("site cols as float", g.sites["s1"].cols.to_string(), "4"),
        ("plot label text", g.plots["p_text"].label.clone(), "T1"),
        ("plot size text", g.plots["p_text"].size.clone(), "3 × 3 m"),
        (
            "status as text",
            format!("{:?}", g.plots["p_text"].status),
            "Available",
        ),
        (
            "holder as text",
            format!("{:?}", g.plots["p_text"].holder),
            "Some(\"m_text\")",
        ),
        (
            "first_notice as text",
            format!("{:?}", g.plots["p_text"].first_notice),
            "Some(\"2026-05-01\")",
        ),
        (
            "created_at .4 rounds down",
            g.plots["p_text"].created_at.to_string(),
            "1790000000000",
        ),
        (
            "lowercase status",
            format!("{:?}", g.plots["p_plain"].status),
            "Assigned",
        ),
        (
            "holder plain string",
            format!("{:?}", g.plots["p_plain"].holder),
            "Some(\"m_plain\")",
        ),
        (
            "final_notice null",
            format!("{:?}", g.plots["p_plain"].final_notice),
            "None",
        ),
        (
            "notes plain string",
            g.plots["p_plain"].notes.clone(),
            "north side",
        ),
        (
            "unknown status kept as unknown",
            format!("{:?}", g.plots["p_unknown"].status),
            "Unknown",
        ),
        (
            "missing status",
            format!("{:?}", g.plots["p_missing"].status),
            "Available",
        ),
        ("missing size", g.plots["p_missing"].size.clone(), ""),
        (
            "missing created_at",
            g.plots["p_missing"].created_at.to_string(),
            "0",
        ),
        (
            "missing holder",
            format!("{:?}", g.plots["p_missing"].holder),
            "None",
        ),
        (
            "UPPER_SNAKE status",
            format!("{:?}", g.plots["p_upper"].status),
            "NeedsAttention",
        ),
        (
            "created_at as uint",
            g.plots["p_upper"].created_at.to_string(),
            "7",
        ),
        (
            "holders list of text and string",
            format!("{:?}", g.plots["p_holders"].holders_in(2026)),
            "[\"m_text\", \"m_plain\"]",
        ),
        (
            "holders as one string",
            format!("{:?}", g.plots["p_holders"].holders_in(2025)),
            "[\"m_plain\"]",
        ),
        (
            "meeting entry title text",
            g.meetings["2fnQHAYFr3jBd5vKcTY7xZm4EVh5"].title.clone(),
            "June meeting",
        ),
        (
            "meeting entry missing date",
            g.meetings["2fnQHAYFr3jBd5vKcTY7xZm4EVh5"].date.clone(),
            "",
        ),
        (
            "waitlist member null",
            format!("{:?}", g.waitlist["w1"].member),
            "None",
        ),
        (
            "waitlist missing priority",
            g.waitlist["w1"].priority.clone(),
            "",
        ),
        (
            "waitlist added_at float",
            g.waitlist["w1"].added_at.to_string(),
            "4",
        ),
        (
            "shift kind lowercase",
            format!("{:?}", g.shifts["sh1"].kind),
            "Watering",
        ),
        ("shift spots uint", g.shifts["sh1"].spots.to_string(), "3"),
        (
            "signup at float; junk signup left out",
            format!("{:?}", g.shifts["sh1"].signups),
            "{\"m_text\": 1790000000001}",
        ),
        (
            "minutes int and float",
            format!("{:?}", g.shifts["sh1"].minutes),
            "{\"m_plain\": 30, \"m_text\": 90}",
        ),
        (
            "unknown shift kind",
            format!("{:?}", g.shifts["sh2"].kind),
            "Unknown",
        ),
        (
            "shift missing spots",
            g.shifts["sh2"].spots.to_string(),
            "0",
        ),
        (
            "log kind text",
            format!("{:?}", g.log["lg1"].kind),
            "Harvest",
        ),
        ("log quantity int", g.log["lg1"].quantity.to_string(), "3"),
        ("log plot null", format!("{:?}", g.log["lg1"].plot), "None"),
        (
            "log kind lowercase",
            format!("{:?}", g.log["lg2"].kind),
            "Pest",
        ),
        (
            "log quantity as string",
            g.log["lg2"].quantity.to_string(),
            "2.5",
        ),
        (
            "log by plain string",
            format!("{:?}", g.log["lg2"].by),
            "Some(\"m_text\")",
        ),
        (
            "resource category lowercase",
            format!("{:?}", g.resources["r1"].category),
            "Seeds",
        ),
        (
            "unknown condition",
            format!("{:?}", g.resources["r1"].condition),
            "Unknown",
        ),
        ("packets float", g.resources["r1"].packets.to_string(), "12"),
        ("missing kept_at", g.resources["r1"].kept_at.clone(), ""),
        (
            "category upper case",
            format!("{:?}", g.resources["r2"].category),
            "Tool",
        ),
        (
            "condition snake case",
            format!("{:?}", g.resources["r2"].condition),
            "NeedsRepair",
        ),
        (
            "loan renewals uint",
            g.loans["l1"].renewals.to_string(),
            "2",
        ),
        (
            "loan returned null",
            format!("{:?}", g.loans["l1"].returned),
            "None",
        ),
        (
            "hold placed_at float",
            g.holds["h1"].placed_at.to_string(),
            "13",
        ),
        (
            "seed move packets float",
            g.seed_moves["sm1"].packets.to_string(),
            "-2",
        ),
        (
            "aid kind lowercase",
            format!("{:?}", g.aid["a1"].kind),
            "Ask",
        ),
        (
            "aid category upper",
            format!("{:?}", g.aid["a1"].category),
            "Health",
        ),
        (
            "aid urgency text",
            format!("{:?}", g.aid["a1"].urgency),
            "Urgent",
        ),
        (
            "aid status lowercase",
            format!("{:?}", g.aid["a1"].status),
            "Open",
        ),
        (
            "aid by text",
            format!("{:?}", g.aid["a1"].by),
            "Some(\"m_plain\")",
        ),
        (
            "aid done_at missing",
            format!("{:?}", g.aid["a1"].done_at),
            "None",
        ),
        (
            "unknown aid kind",
            format!("{:?}", g.aid["a2"].kind),
            "Unknown",
        ),
        (
            "aid done_at float",
            format!("{:?}", g.aid["a2"].done_at),
            "Some(1790000000001)",
        ),
    ];
    expect_rows(&rows);
    assert_eq!(rows.len(), 67);
    // The one entry that is not a plot at all is left out; the rest read.
    assert!(!g.plots.contains_key("p_bad"));
    assert_eq!(g.plots.len(), 6);
}

#[test]
fn every_meeting_field_reads_from_every_javascript_shape() {
    let doc = meeting_doc();
    let m = command::read_meeting(&doc).expect("a meeting written by another app reads");
    let tally = m.decisions["d1"].tally.unwrap();
    expect_rows(&[
        ("schema", m.schema.to_string(), "2"),
        ("title", m.title.clone(), "June meeting"),
        ("created_at", m.created_at.to_string(), "1790000000001"),
        (
            "notes as a plain string",
            m.notes.as_str().to_owned(),
            "Plain notes",
        ),
        ("date", m.date.clone(), "2026-06-10"),
        ("missing time", m.time.clone(), ""),
        (
            "facilitator",
            format!("{:?}", m.facilitator),
            "Some(\"m_text\")",
        ),
        ("no note taker", format!("{:?}", m.note_taker), "None"),
        (
            "attended at",
            m.attendees["m_text"].to_string(),
            "1790000000002",
        ),
        ("agenda not done", m.agenda["ag1"].done.to_string(), "false"),
        ("agenda done", m.agenda["ag2"].done.to_string(), "true"),
        (
            "tally",
            format!("{} {} {}", tally.agree, tally.abstain, tally.block),
            "5 1 0",
        ),
        (
            "action done",
            format!("{:?}", m.actions["x1"].status),
            "Done",
        ),
        ("action due missing", m.actions["x1"].due.clone(), ""),
        (
            "action status unknown",
            format!("{:?}", m.actions["x2"].status),
            "Unknown",
        ),
    ]);
    assert_eq!(m.actions["x1"].status, ActionStatus::Done);
}

#[test]
fn a_document_that_is_not_a_group_is_still_refused() {
    let meeting = meeting_doc();
    assert!(command::read(&meeting).is_err());
    assert!(command::read(&AutoCommit::new()).is_err());
    assert!(command::read_meeting(&group_doc()).is_err());
}

#[test]
fn editing_keeps_what_this_version_does_not_know() {
    let mut doc = group_doc();
    let at = At::utc(NOW);
    // Change the size of the plot whose status is unknown: its status stays
    // "Composting" in the document, byte for byte.
    let group = command::apply(
        &mut doc,
        &Command::EditPlot {
            plot: "p_unknown".into(),
            label: None,
            size: Some("4 m".into()),
            status: None,
        },
        at.clone(),
    )
    .unwrap();
    assert_eq!(group.plots["p_unknown"].size, "4 m");
    assert_eq!(
        stored(&doc, &["plots", "p_unknown", "status"]),
        Some(ScalarValue::Str("Composting".into()))
    );
    // A field this version does not know stays; text stays text.
    command::apply(
        &mut doc,
        &Command::SetPlotNotes {
            plot: "p_plain".into(),
            notes: "south side".into(),
        },
        at.clone(),
    )
    .unwrap();
    assert_eq!(
        stored(&doc, &["plots", "p_plain", "color"]),
        Some(ScalarValue::Str("red".into()))
    );
    assert!(matches!(
        doc.get(
            &doc.get(&doc.get(ROOT, "plots").unwrap().unwrap().1, "p_text")
                .unwrap()
                .unwrap()
                .1,
            "label"
        )
        .unwrap()
        .unwrap()
        .0,
        Value::Object(ObjType::Text)
    ));
    // Unknown conditions and aid kinds stay through other edits too.
    command::apply(
        &mut doc,
        &Command::EditResource {
            resource: "r1".into(),
            name: Some("Bush bean seeds".into()),
            category: None,
            condition: None,
            kept_at: None,
            notes: None,
        },
        at.clone(),
    )
    .unwrap();
    assert_eq!(
        stored(&doc, &["resources", "r1", "condition"]),
        Some(ScalarValue::Str("Broken".into()))
    );
    // The member sets it on purpose: then it is written.
    command::apply(
        &mut doc,
        &Command::EditPlot {
            plot: "p_unknown".into(),
            label: None,
            size: None,
            status: Some(PlotStatus::Fallow),
        },
        at.clone(),
    )
    .unwrap();
    assert_eq!(
        stored(&doc, &["plots", "p_unknown", "status"]),
        Some(ScalarValue::Str("Fallow".into()))
    );
    command::apply(
        &mut doc,
        &Command::EditMember {
            member: "m_plain".into(),
            details: MemberDetails {
                contact: Some("555-0102".into()),
                ..MemberDetails::default()
            },
        },
        at,
    )
    .unwrap();
    // The extra root field and the entry that is not a plot are untouched.
    assert_eq!(
        stored(&doc, &["js_extra"]),
        Some(ScalarValue::Str("a field this app does not know".into()))
    );
    assert_eq!(
        stored(&doc, &["plots", "p_bad"]),
        Some(ScalarValue::Str("not a plot at all".into()))
    );
    assert!(command::read(&doc).is_ok());
}

#[test]
fn counts_are_written_as_signed_integers() {
    let (mut doc, _) =
        command::new_group(automerge::ActorId::from([3; 16]), "Counts", NOW).unwrap();
    for command in [
        Command::AddSite {
            id: "s1".into(),
            name: "Lot".into(),
        },
        Command::LayOutSite {
            site: "s1".into(),
            rows: 3,
            cols: 4,
        },
        Command::AddShift {
            id: "sh1".into(),
            site: "s1".into(),
            kind: ShiftKind::WorkDay,
            title: "Dig".into(),
            date: "2026-09-21".into(),
            time: String::new(),
            spots: 4,
        },
        Command::SetAidExpiry { days: 10 },
    ] {
        command::apply(&mut doc, &command, NOW).unwrap();
    }
    for path in [
        &["schema"][..],
        &["aid_expiry_days"],
        &["sites", "s1", "rows"],
        &["sites", "s1", "cols"],
        &["shifts", "sh1", "spots"],
    ] {
        assert!(
            matches!(stored(&doc, path), Some(ScalarValue::Int(_))),
            "{path:?} is {:?}",
            stored(&doc, path)
        );
    }
}

#[test]
fn meeting_commands_work_on_a_meeting_another_app_wrote() {
    let mut doc = meeting_doc();
    let group = read();
    let at = At::utc(NOW);
    command::apply_meeting(
        &mut doc,
        &group,
        &MeetingCommand::SetDetails {
            title: None,
            date: None,
            time: Some("18:00".into()),
            place: None,
        },
        &at,
    )
    .unwrap();
    // Only the time was written: the title stays text, the date a string.
    let m = command::read_meeting(&doc).unwrap();
    assert_eq!(
        (m.title.as_str(), m.time.as_str()),
        ("June meeting", "18:00")
    );
    assert!(matches!(
        doc.get(ROOT, "title").unwrap().unwrap().0,
        Value::Object(ObjType::Text)
    ));
    // Plain-string notes become text holding the same words, then edit.
    assert!(command::edit_notes(&mut doc, "Plain notes, and more", &at).unwrap());
    assert_eq!(
        command::read_meeting(&doc).unwrap().notes.as_str(),
        "Plain notes, and more"
    );
    // The action with an unknown status keeps it when another is marked done.
    command::apply_meeting(
        &mut doc,
        &group,
        &MeetingCommand::SetActionStatus {
            item: "x1".into(),
            status: ActionStatus::Open,
        },
        &at,
    )
    .unwrap();
    assert_eq!(
        stored(&doc, &["actions", "x2", "status"]),
        Some(ScalarValue::Str("Deferred".into()))
    );
}

#[test]
fn a_copy_that_is_no_longer_current_is_never_edited() {
    use automerge::transaction::Transactable;
    let mut doc = group_doc();
    let mut kept = command::read(&doc).unwrap();
    // Another phone changes the size while this copy is kept.
    let mut other = doc.fork();
    command::apply(
        &mut other,
        &Command::EditPlot {
            plot: "p_text".into(),
            label: None,
            size: Some("4 × 8 m".into()),
            status: None,
        },
        NOW,
    )
    .unwrap();
    doc.merge(&mut other).unwrap();
    // A command on the old copy re-reads first: the size stays.
    command::apply_on(
        &mut doc,
        &mut kept,
        &Command::EditPlot {
            plot: "p_text".into(),
            label: None,
            size: None,
            status: Some(PlotStatus::Fallow),
        },
        &At::utc(NOW),
    )
    .unwrap();
    assert_eq!(kept.plots["p_text"].size, "4 × 8 m");
    assert_eq!(command::read(&doc).unwrap().plots["p_text"].size, "4 × 8 m");
    // A change that makes it no group at all: refused as stale, nothing
    // written, until it reads again.
    let mut other = doc.fork();
    other.put(ROOT, "group", "not a group any more").unwrap();
    other.commit();
    doc.merge(&mut other).unwrap();
    let heads = doc.get_heads();
    let why = command::apply_on(
        &mut doc,
        &mut kept,
        &Command::SetPlotNotes {
            plot: "p_text".into(),
            notes: "stale".into(),
        },
        &At::utc(NOW),
    )
    .unwrap_err();
    assert_eq!(why, command::Refusal::Stale);
    assert_eq!(doc.get_heads(), heads, "nothing was written");
    assert_eq!(
        command::apply_on(&mut doc, &mut kept, &Command::Verify, &At::utc(NOW)),
        Err(command::Refusal::Stale)
    );
    doc.delete(ROOT, "group").unwrap();
    doc.commit();
    command::apply_on(&mut doc, &mut kept, &Command::Verify, &At::utc(NOW)).unwrap();
    assert_eq!(kept.plots["p_text"].status, PlotStatus::Fallow);
}

/// The app reads a group in one pass over the document (`OnePass`); it must
/// read exactly what autosurgeon's field-by-field `get`s read, in every
/// shape another app writes and where phones wrote the same keys at once.
#[test]
fn one_pass_reads_what_field_by_field_reads() {
    use automerge::transaction::Transactable;

    let by_field = |doc: &AutoCommit| -> Group { autosurgeon::hydrate(doc).unwrap() };
    let mut doc = group_doc();
    assert_eq!(read(), by_field(&doc), "the JavaScript fixture");
    assert!(!read().plots.is_empty());

    // Two phones write the same fields, lists and entries at once; one
    // deletes what the other edits; a counter is incremented on both.
    let mut a = doc
        .fork()
        .with_actor(automerge::ActorId::from(b"aaaa".as_slice()));
    let mut b = doc
        .fork()
        .with_actor(automerge::ActorId::from(b"bbbb".as_slice()));
    let plots = |d: &AutoCommit| d.get(ROOT, "plots").unwrap().unwrap().1;
    for (d, who) in [(&mut a, "a"), (&mut b, "b")] {
        let map = plots(d);
        let plot = d.put_object(&map, "p_both", ObjType::Map).unwrap();
        d.put(&plot, "label", format!("by {who}")).unwrap();
        d.put(&plot, "site", "s1").unwrap();
        let holders = d.put_object(&plot, "holders", ObjType::Map).unwrap();
        let season = d.put_object(&holders, "2026", ObjType::List).unwrap();
        d.insert(&season, 0, format!("m_{who}")).unwrap();
        d.insert(&season, 1, "m_x").unwrap();
        d.delete(&season, 0).unwrap();
        d.put(ROOT, "schema", ScalarValue::counter(1)).unwrap();
        d.commit();
    }
    let keys: Vec<String> = a.keys(plots(&a)).collect();
    let first = keys.first().unwrap().clone();
    a.delete(plots(&a), &first).unwrap();
    let second = keys.get(1).unwrap().clone();
    let plot = b.get(plots(&b), &second).unwrap().unwrap().1;
    b.put(&plot, "label", "edited").unwrap();
    b.commit();
    a.merge(&mut b).unwrap();
    a.increment(ROOT, "schema", 2).unwrap();
    a.commit();
    let one_pass = command::read(&a).unwrap();
    assert_eq!(one_pass, by_field(&a), "after concurrent edits");
    assert!(one_pass.plots.contains_key("p_both"));
}
