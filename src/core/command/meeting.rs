//! What a member can do to a meeting document: its details and roles, who
//! came, the agenda, decisions, action items and the notes.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{hydrate, reconcile, reconcile_prop};

use super::{At, MAX_NOTE, MAX_SHORT, Refusal, date, line, member, name, note, root_map, time};
use crate::core::history::Stamp;
use crate::core::model::{
    ActionItem, ActionStatus, AgendaItem, Decision, Group, MEETING_SCHEMA_VERSION, Meeting, Tally,
    lenient,
};
use crate::core::repo::DocumentId;

/// The roles a meeting gives out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Facilitator,
    NoteTaker,
    Timekeeper,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Facilitator, Self::NoteTaker, Self::Timekeeper];

    const fn field(self) -> &'static str {
        match self {
            Self::Facilitator => "facilitator",
            Self::NoteTaker => "note_taker",
            Self::Timekeeper => "timekeeper",
        }
    }

    pub fn of(self, meeting: &Meeting) -> Option<&String> {
        match self {
            Self::Facilitator => meeting.facilitator.as_ref(),
            Self::NoteTaker => meeting.note_taker.as_ref(),
            Self::Timekeeper => meeting.timekeeper.as_ref(),
        }
    }
}

/// A member's edit of a meeting document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeetingCommand {
    /// Changes only the details given (`Some`): what the member changed.
    SetDetails {
        title: Option<String>,
        date: Option<String>,
        time: Option<String>,
        place: Option<String>,
    },
    SetRole {
        role: Role,
        member: Option<String>,
    },
    SetPresent {
        member: String,
        present: bool,
    },
    AddAgenda {
        id: String,
        title: String,
    },
    CheckAgenda {
        item: String,
        done: bool,
    },
    /// A decision in the exact words agreed, with the show of hands if any.
    AddDecision {
        id: String,
        text: String,
        tally: Option<Tally>,
    },
    /// `carried_from` ("<meeting>/<item>") when it comes from an earlier
    /// meeting; its due date may then already have passed.
    AddAction {
        id: String,
        text: String,
        owner: Option<String>,
        due: String,
        carried_from: Option<String>,
    },
    SetActionStatus {
        item: String,
        status: ActionStatus,
    },
}

/// Creates a meeting document for a group, with every container it will
/// hold and its notes empty.
///
/// # Errors
/// When the title is empty or too long.
pub fn new_meeting(
    actor: automerge::ActorId,
    group: DocumentId,
    title: &str,
    now: i64,
) -> Result<AutoCommit, Refusal> {
    let meeting = Meeting {
        schema: MEETING_SCHEMA_VERSION,
        group: group.to_string(),
        title: name(title)?,
        created_at: now,
        ..Meeting::default()
    };
    let mut doc = AutoCommit::new().with_actor(actor);
    reconcile(&mut doc, &meeting).map_err(|_| Refusal::Unreadable)?;
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message("create meeting"),
    );
    Ok(doc)
}

/// Reads a meeting out of its document.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document is not a meeting.
pub fn read_meeting(doc: &AutoCommit) -> Result<Meeting, Refusal> {
    let has = |key: &str| matches!(doc.get(ROOT, key), Ok(Some(_)));
    if !(has("group") || has("notes") || has("agenda")) || has("members") {
        return Err(Refusal::Unreadable);
    }
    let mut meeting: Meeting = hydrate(doc).map_err(|_| Refusal::Unreadable)?;
    // Entries of a map two phones made at once, until the next command
    // merges them (see [`heal_meeting`]): shown, never lost from view.
    for (key, map) in hidden_maps(doc, MEETING_MAPS) {
        match key {
            "attendees" => {
                for id in doc.keys(&map) {
                    if let Ok(Some(when)) = lenient::opt_int(doc, &map, id.as_str().into()) {
                        meeting.attendees.entry(id).or_insert(when);
                    }
                }
            }
            "agenda" => merge_hidden(doc, &map, &mut meeting.agenda),
            "decisions" => merge_hidden(doc, &map, &mut meeting.decisions),
            _ => merge_hidden(doc, &map, &mut meeting.actions),
        }
    }
    Ok(meeting)
}

/// The maps of a meeting document that two phones may have made at once.
const MEETING_MAPS: &[&str] = &["attendees", "agenda", "decisions", "actions"];

/// The maps automerge hides at `keys` of the root: the losers of two
/// phones creating one map at once.
fn hidden_maps<'a>(doc: &AutoCommit, keys: &[&'a str]) -> Vec<(&'a str, automerge::ObjId)> {
    let mut out = Vec::new();
    for key in keys {
        let (Ok(all), Ok(Some((_, shown)))) = (doc.get_all(ROOT, *key), doc.get(ROOT, *key)) else {
            continue;
        };
        for (value, id) in all {
            if matches!(value, Value::Object(ObjType::Map)) && id != shown {
                out.push((*key, id));
            }
        }
    }
    out
}

fn merge_hidden<T: autosurgeon::Hydrate>(
    doc: &AutoCommit,
    map: &automerge::ObjId,
    into: &mut std::collections::BTreeMap<String, T>,
) {
    for id in doc.keys(map) {
        if let Ok(entry) = T::hydrate(doc, map, id.as_str().into()) {
            into.entry(id).or_insert(entry);
        }
    }
}

/// Merges the maps two phones made at once in a meeting from an earlier
/// version (see [`super::heal`]). Returns true if it changed anything.
pub fn heal_meeting(doc: &mut AutoCommit, now: i64) -> bool {
    super::heal_maps(doc, MEETING_MAPS, now)
}

/// What a meeting command changed: root fields, or one entry of a map.
enum Changed {
    /// The root fields given.
    Details(Vec<&'static str>),
    Role(Role),
    Attendee(String),
    Agenda(String),
    Decision(String),
    Action(String),
}

/// Applies a command to a meeting of `group` and returns the meeting now.
///
/// # Errors
/// The refusal; the document is then unchanged.
pub fn apply_meeting(
    doc: &mut AutoCommit,
    group: &Group,
    command: &MeetingCommand,
    at: &At,
) -> Result<Meeting, Refusal> {
    // A meeting from an earlier version whose maps two phones made at once:
    // merged first, so the command sees (and deletes from) every entry.
    heal_meeting(doc, at.now);
    let mut meeting = read_meeting(doc)?;
    if meeting.schema > MEETING_SCHEMA_VERSION {
        return Err(Refusal::NewerSchema);
    }
    let before = meeting.clone();
    let changed = edit_meeting(&mut meeting, group, command, at)?;
    if write_meeting(doc, &before, &meeting, &changed).is_err() {
        doc.rollback();
        return Err(Refusal::Unreadable);
    }
    let stamp = Stamp {
        action: meeting_action(command).to_owned(),
        items: match changed {
            Changed::Attendee(id)
            | Changed::Agenda(id)
            | Changed::Decision(id)
            | Changed::Action(id) => vec![id],
            Changed::Details(_) | Changed::Role(_) => Vec::new(),
        },
        by: at.by.clone(),
    };
    doc.commit_with(
        CommitOptions::default()
            .with_time(at.now / 1000)
            .with_message(stamp.encode()),
    );
    Ok(meeting)
}

/// Writes what a meeting command changed, and only that.
fn write_meeting(
    doc: &mut AutoCommit,
    before: &Meeting,
    meeting: &Meeting,
    changed: &Changed,
) -> Result<(), Refusal> {
    let broken = |_| Refusal::Unreadable;
    match changed {
        Changed::Details(fields) => [
            ("title", &meeting.title),
            ("date", &meeting.date),
            ("time", &meeting.time),
            ("place", &meeting.place),
        ]
        .into_iter()
        .filter(|(key, _)| fields.contains(key))
        .try_for_each(|(key, value)| reconcile_prop(&mut *doc, ROOT, key, value))
        .map_err(broken),
        Changed::Role(role) => {
            reconcile_prop(doc, ROOT, role.field(), role.of(meeting)).map_err(broken)
        }
        Changed::Attendee(id) => {
            let map = root_map(doc, "attendees")?;
            match meeting.attendees.get(id) {
                Some(when) => reconcile_prop(doc, map, id.as_str(), when).map_err(broken),
                None => doc
                    .delete(&map, id.as_str())
                    .map_err(|_| Refusal::Unreadable),
            }
        }
        Changed::Agenda(id) => put_entry(
            doc,
            "agenda",
            id,
            before.agenda.get(id),
            meeting.agenda.get(id),
        ),
        Changed::Decision(id) => put_entry(
            doc,
            "decisions",
            id,
            before.decisions.get(id),
            meeting.decisions.get(id),
        ),
        Changed::Action(id) => put_entry(
            doc,
            "actions",
            id,
            before.actions.get(id),
            meeting.actions.get(id),
        ),
    }
}

/// Writes what changed of one entry of a map of the meeting.
fn put_entry<T: autosurgeon::Reconcile>(
    doc: &mut AutoCommit,
    field: &str,
    id: &str,
    before: Option<&T>,
    value: Option<&T>,
) -> Result<(), Refusal> {
    let map = root_map(doc, field)?;
    let value = value.ok_or(Refusal::Unreadable)?;
    super::write::entry(doc, &map, id, before, value)
}

fn meeting_action(command: &MeetingCommand) -> &'static str {
    match command {
        MeetingCommand::SetDetails { .. } => "edit meeting",
        MeetingCommand::SetRole { .. } => "set role",
        MeetingCommand::SetPresent { .. } => "attendance",
        MeetingCommand::AddAgenda { .. } => "add agenda item",
        MeetingCommand::CheckAgenda { .. } => "check agenda item",
        MeetingCommand::AddDecision { .. } => "add decision",
        MeetingCommand::AddAction { .. } => "add action item",
        MeetingCommand::SetActionStatus { .. } => "action item status",
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per command reads best together"
)]
fn edit_meeting(
    meeting: &mut Meeting,
    group: &Group,
    command: &MeetingCommand,
    at: &At,
) -> Result<Changed, Refusal> {
    let new_entry = |taken: bool| if taken { Err(Refusal::IdTaken) } else { Ok(()) };
    Ok(match command {
        MeetingCommand::SetDetails {
            title,
            date: day,
            time: hour,
            place,
        } => {
            let title = title.as_deref().map(name).transpose()?;
            let day = day
                .as_deref()
                .map(|day| {
                    if day.trim().is_empty() {
                        Ok(String::new())
                    } else {
                        date(day).map(|d| d.to_string())
                    }
                })
                .transpose()?;
            let hour = hour.as_deref().map(time).transpose()?;
            let place = place
                .as_deref()
                .map(|place| line(place, MAX_SHORT))
                .transpose()?;
            // Only what the member changed: the rest stays as it is now.
            let mut fields = Vec::new();
            for (key, value, slot) in [
                ("title", title, &mut meeting.title),
                ("date", day, &mut meeting.date),
                ("time", hour, &mut meeting.time),
                ("place", place, &mut meeting.place),
            ] {
                if let Some(value) = value {
                    *slot = value;
                    fields.push(key);
                }
            }
            Changed::Details(fields)
        }
        MeetingCommand::SetRole { role, member: who } => {
            if let Some(who) = who {
                member(group, who)?;
            }
            let slot = match role {
                Role::Facilitator => &mut meeting.facilitator,
                Role::NoteTaker => &mut meeting.note_taker,
                Role::Timekeeper => &mut meeting.timekeeper,
            };
            slot.clone_from(who);
            Changed::Role(*role)
        }
        MeetingCommand::SetPresent {
            member: who,
            present,
        } => {
            if *present {
                member(group, who)?;
                meeting.attendees.entry(who.clone()).or_insert(at.now);
            } else {
                meeting.attendees.remove(who);
            }
            Changed::Attendee(who.clone())
        }
        MeetingCommand::AddAgenda { id, title } => {
            new_entry(meeting.agenda.contains_key(id))?;
            let item = AgendaItem {
                title: line(title, MAX_SHORT)?,
                created_at: at.now,
                done: false,
            };
            if item.title.is_empty() {
                return Err(Refusal::NameEmpty);
            }
            meeting.agenda.insert(id.clone(), item);
            Changed::Agenda(id.clone())
        }
        MeetingCommand::CheckAgenda { item, done } => {
            meeting
                .agenda
                .get_mut(item)
                .ok_or(Refusal::NoSuchItem)?
                .done = *done;
            Changed::Agenda(item.clone())
        }
        MeetingCommand::AddDecision { id, text, tally } => {
            new_entry(meeting.decisions.contains_key(id))?;
            // Worded exactly: kept as typed, only trimmed.
            let text = note(text)?;
            if text.is_empty() {
                return Err(Refusal::NameEmpty);
            }
            let decision = Decision {
                text,
                created_at: at.now,
                tally: *tally,
            };
            meeting.decisions.insert(id.clone(), decision);
            Changed::Decision(id.clone())
        }
        MeetingCommand::AddAction {
            id,
            text,
            owner,
            due,
            carried_from,
        } => {
            new_entry(meeting.actions.contains_key(id))?;
            let text = line(text, MAX_NOTE)?;
            if text.is_empty() {
                return Err(Refusal::NameEmpty);
            }
            if let Some(owner) = owner {
                member(group, owner)?;
            }
            let due = match (due.trim(), carried_from) {
                ("", _) => String::new(),
                (day, Some(_)) => date(day)?.to_string(),
                (day, None) => super::coming(day, at)?.to_string(),
            };
            let item = ActionItem {
                text,
                owner: owner.clone(),
                due,
                status: ActionStatus::Open,
                created_at: at.now,
                carried_from: carried_from.clone(),
            };
            meeting.actions.insert(id.clone(), item);
            Changed::Action(id.clone())
        }
        MeetingCommand::SetActionStatus { item, status } => {
            meeting
                .actions
                .get_mut(item)
                .ok_or(Refusal::NoSuchItem)?
                .status = *status;
            Changed::Action(item.clone())
        }
    })
}

/// Makes the meeting notes read `typed`, changing only the characters that
/// differ (the span between the common start and end), so that what others
/// typed meanwhile elsewhere in the notes is kept. Returns false when the
/// notes already read so.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document has no notes text.
pub fn edit_notes(doc: &mut AutoCommit, typed: &str, at: &At) -> Result<bool, Refusal> {
    edit_notes_from(doc, typed, at, &mut NotesCopy::default())
}

/// The notes as this phone last wrote them, and the document's heads just
/// after: while the heads are the same, the notes read so without asking
/// automerge for the whole text (6 ms natively at 50,000 characters, on
/// every key). Any other change to the document (a peer's words, another
/// field) changes the heads, and the text is read again.
#[derive(Clone, Debug, Default)]
pub struct NotesCopy {
    heads: Vec<automerge::ChangeHash>,
    text: String,
}

/// [`edit_notes`] keeping `known` up to date, so that typing in long notes
/// costs the span typed, not the length of the notes.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document has no notes text.
pub fn edit_notes_from(
    doc: &mut AutoCommit,
    typed: &str,
    at: &At,
    known: &mut NotesCopy,
) -> Result<bool, Refusal> {
    let notes = match doc.get(ROOT, "notes") {
        Ok(Some((Value::Object(ObjType::Text), notes))) => notes,
        // Another app wrote the notes as a plain string (or none): they
        // become collaborative text holding the same words.
        Ok(found @ (None | Some((Value::Scalar(_), _)))) => {
            let had = match found {
                Some((Value::Scalar(value), _)) => value.as_str().unwrap_or_default().to_owned(),
                _ => String::new(),
            };
            known.heads.clear();
            let notes = doc
                .put_object(ROOT, "notes", ObjType::Text)
                .map_err(|_| Refusal::Unreadable)?;
            doc.splice_text(&notes, 0, 0, &had)
                .map_err(|_| Refusal::Unreadable)?;
            notes
        }
        _ => return Err(Refusal::Unreadable),
    };
    let heads = doc.get_heads();
    if known.heads != heads {
        known.text = doc.text(&notes).map_err(|_| Refusal::Unreadable)?;
        known.heads = heads;
    }
    let before: Vec<char> = known.text.chars().collect();
    let after: Vec<char> = typed.chars().collect();
    let start = before
        .iter()
        .zip(&after)
        .take_while(|(a, b)| a == b)
        .count();
    let end = before[start..]
        .iter()
        .rev()
        .zip(after[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let deleted = before.len() - start - end;
    let inserted: String = after[start..after.len() - end].iter().collect();
    if deleted == 0 && inserted.is_empty() {
        return Ok(false);
    }
    let deleted = isize::try_from(deleted).map_err(|_| Refusal::Unreadable)?;
    doc.splice_text(&notes, start, deleted, &inserted)
        .map_err(|_| Refusal::Unreadable)?;
    let stamp = Stamp {
        action: "edit notes".to_owned(),
        items: Vec::new(),
        by: at.by.clone(),
    };
    doc.commit_with(
        CommitOptions::default()
            .with_time(at.now / 1000)
            .with_message(stamp.encode()),
    );
    typed.clone_into(&mut known.text);
    known.heads = doc.get_heads();
    Ok(true)
}

/// The notes as they stand and the heads they stand at, for the notes box.
pub fn notes_now(doc: &mut AutoCommit) -> Option<(String, Vec<automerge::ChangeHash>)> {
    let text = match doc.get(ROOT, "notes").ok()?? {
        (Value::Object(ObjType::Text), notes) => doc.text(&notes).ok()?,
        (Value::Scalar(value), _) => value.as_str().unwrap_or_default().to_owned(),
        _ => String::new(),
    };
    Some((text, doc.get_heads()))
}

/// Where a member's caret goes when others' words arrive: just after the
/// same letter it followed in the notes as shown at `shown`, wherever that
/// letter is now. Comparing the two texts cannot tell this when the words
/// that arrived repeat the words around the caret ("while" typed by two
/// people), and a caret put in the wrong copy splits a neighbour's word with
/// the next key. `caret` counts characters; `None` if the notes are not text.
pub fn caret_after_merge(
    doc: &AutoCommit,
    shown: &[automerge::ChangeHash],
    caret: usize,
) -> Option<usize> {
    let Ok(Some((Value::Object(ObjType::Text), notes))) = doc.get(ROOT, "notes") else {
        return None;
    };
    let Some(letter) = caret.checked_sub(1) else {
        return Some(0);
    };
    // A deleted letter resolves to the letter before it: the caret goes
    // after that one (or to the start if the first letter went).
    let cursor = doc
        .get_cursor_moving(&notes, letter, Some(shown), automerge::MoveCursor::Before)
        .ok()?;
    let at = doc.get_cursor_position(&notes, &cursor, None).ok()?;
    let there = doc
        .get_cursor_moving(&notes, at, None, automerge::MoveCursor::Before)
        .is_ok_and(|now| now == cursor);
    Some(if there || letter > 0 { at + 1 } else { 0 })
}
