//! What a member can do to a group document: validated edits.
//!
//! A command is checked against the current state first; a refused command
//! changes nothing. An accepted one is written with autosurgeon and committed
//! as one automerge change, stamped with the time the shell passed in.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{hydrate, reconcile, reconcile_prop};

use super::model::{
    Group, MEETING_SCHEMA_VERSION, Meeting, MeetingEntry, Member, Plot, PlotStatus, SCHEMA_VERSION,
    Site,
};
use super::repo::DocumentId;
use super::text::{char_len, clean_line};

pub const MAX_NAME: usize = 80;
pub const MAX_LABEL: usize = 24;
pub const MAX_SIZE: usize = 40;

/// A member's edit of a group document. Ids of new things are chosen by the
/// shell (random) and passed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    RenameGroup {
        name: String,
    },
    AddMember {
        id: String,
        name: String,
    },
    AddSite {
        id: String,
        name: String,
    },
    RenameSite {
        site: String,
        name: String,
    },
    AddPlot {
        id: String,
        site: String,
        label: String,
        size: String,
        status: PlotStatus,
    },
    EditPlot {
        plot: String,
        label: String,
        size: String,
        status: PlotStatus,
    },
    AssignPlot {
        plot: String,
        member: Option<String>,
    },
    DeletePlot {
        plot: String,
    },
    /// Lists a meeting whose document was made with [`new_meeting`].
    AddMeeting {
        id: String,
        title: String,
    },
}

/// Why a command was refused. Each has a message in every language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NameEmpty,
    NameTooLong {
        max: usize,
    },
    LabelEmpty,
    LabelTooLong {
        max: usize,
    },
    SizeTooLong {
        max: usize,
    },
    DuplicateLabel {
        label: String,
    },
    NoSuchSite,
    NoSuchPlot,
    NoSuchMember,
    IdTaken,
    /// The document does not have the shape this version understands.
    Unreadable,
    /// A newer version of the app wrote this document; editing it here could
    /// lose what this version does not know about.
    NewerSchema,
}

fn name(text: &str) -> Result<String, Refusal> {
    let text = clean_line(text);
    if text.is_empty() {
        Err(Refusal::NameEmpty)
    } else if char_len(&text) > MAX_NAME {
        Err(Refusal::NameTooLong { max: MAX_NAME })
    } else {
        Ok(text)
    }
}

fn label(group: &Group, site: &str, text: &str, except: Option<&str>) -> Result<String, Refusal> {
    let text = clean_line(text);
    if text.is_empty() {
        return Err(Refusal::LabelEmpty);
    }
    if char_len(&text) > MAX_LABEL {
        return Err(Refusal::LabelTooLong { max: MAX_LABEL });
    }
    let taken = group.plots.iter().any(|(id, plot)| {
        plot.site == site
            && Some(id.as_str()) != except
            && plot.label.to_lowercase() == text.to_lowercase()
    });
    if taken {
        return Err(Refusal::DuplicateLabel { label: text });
    }
    Ok(text)
}

fn size(text: &str) -> Result<String, Refusal> {
    let text = clean_line(text);
    if char_len(&text) > MAX_SIZE {
        Err(Refusal::SizeTooLong { max: MAX_SIZE })
    } else {
        Ok(text)
    }
}

fn fresh(taken: bool) -> Result<(), Refusal> {
    if taken { Err(Refusal::IdTaken) } else { Ok(()) }
}

/// Reads the group out of its document.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document is not a group document.
pub fn read(doc: &AutoCommit) -> Result<Group, Refusal> {
    hydrate(doc).map_err(|_| Refusal::Unreadable)
}

/// Creates a new group document, with every container it will hold made up
/// front so that later concurrent edits never race to create one.
///
/// # Errors
/// When the name is empty or too long.
pub fn new_group(
    actor: automerge::ActorId,
    group_name: &str,
    now: i64,
) -> Result<(AutoCommit, Group), Refusal> {
    let group = Group {
        schema: SCHEMA_VERSION,
        name: name(group_name)?,
        created_at: now,
        ..Group::default()
    };
    let mut doc = AutoCommit::new().with_actor(actor);
    reconcile(&mut doc, &group).map_err(|_| Refusal::Unreadable)?;
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message("create group"),
    );
    Ok((doc, group))
}

/// Applies a command to a group document and returns the group as it is now.
///
/// # Errors
/// The refusal, when the command does not fit the group; the document is
/// then unchanged.
pub fn apply(doc: &mut AutoCommit, command: &Command, now: i64) -> Result<Group, Refusal> {
    let mut group = read(doc)?;
    apply_on(doc, &mut group, command, now)?;
    Ok(group)
}

/// Applies a command given the group as already read from `doc`, and keeps
/// that copy up to date. Only the entry the command touched is written, so a
/// command costs the same in a garden of 5 plots as in one of 500.
///
/// # Errors
/// The refusal; the document and `group` are then unchanged.
pub fn apply_on(
    doc: &mut AutoCommit,
    group: &mut Group,
    command: &Command,
    now: i64,
) -> Result<(), Refusal> {
    if group.schema > SCHEMA_VERSION {
        return Err(Refusal::NewerSchema);
    }
    let touched = edit(group, command, now)?;
    if write(doc, group, &touched).is_err() {
        // The document is not the shape it claims to be: undo and re-read.
        doc.rollback();
        *group = read(doc)?;
        return Err(Refusal::Unreadable);
    }
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message(message(command)),
    );
    Ok(())
}

/// The one entry of the group a command changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    Name,
    Member(String),
    Site(String),
    Plot(String),
    PlotRemoved(String),
    Meeting(String),
}

/// The map object at a root field of the group document.
fn root_map(doc: &AutoCommit, field: &str) -> Result<ObjId, Refusal> {
    match doc.get(ROOT, field) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Ok(id),
        _ => Err(Refusal::Unreadable),
    }
}

fn write(doc: &mut AutoCommit, group: &Group, touched: &Touched) -> Result<(), Refusal> {
    let broken = |_| Refusal::Unreadable;
    match touched {
        Touched::Name => reconcile_prop(doc, ROOT, "name", &group.name).map_err(broken),
        Touched::Member(id) => {
            let members = root_map(doc, "members")?;
            reconcile_prop(doc, members, id.as_str(), &group.members[id]).map_err(broken)
        }
        Touched::Site(id) => {
            let sites = root_map(doc, "sites")?;
            reconcile_prop(doc, sites, id.as_str(), &group.sites[id]).map_err(broken)
        }
        Touched::Plot(id) => {
            let plots = root_map(doc, "plots")?;
            reconcile_prop(doc, plots, id.as_str(), &group.plots[id]).map_err(broken)
        }
        Touched::PlotRemoved(id) => {
            let plots = root_map(doc, "plots")?;
            doc.delete(&plots, id.as_str())
                .map_err(|_| Refusal::Unreadable)
        }
        Touched::Meeting(id) => {
            // Groups made before meetings existed get the map on first use.
            let meetings = match root_map(doc, "meetings") {
                Ok(map) => map,
                Err(_) => doc
                    .put_object(ROOT, "meetings", ObjType::Map)
                    .map_err(|_| Refusal::Unreadable)?,
            };
            reconcile_prop(doc, meetings, id.as_str(), &group.meetings[id]).map_err(broken)
        }
    }
}

fn message(command: &Command) -> &'static str {
    match command {
        Command::RenameGroup { .. } => "rename group",
        Command::AddMember { .. } => "add member",
        Command::AddSite { .. } => "add site",
        Command::RenameSite { .. } => "rename site",
        Command::AddPlot { .. } => "add plot",
        Command::EditPlot { .. } => "edit plot",
        Command::AssignPlot { .. } => "assign plot",
        Command::DeletePlot { .. } => "delete plot",
        Command::AddMeeting { .. } => "add meeting",
    }
}

/// The pure edit of the hydrated group: validation and change together.
/// Returns the entry that changed.
///
/// # Errors
/// The refusal; `group` is then unchanged.
pub fn edit(group: &mut Group, command: &Command, now: i64) -> Result<Touched, Refusal> {
    Ok(match command {
        Command::RenameGroup { name: new } => {
            group.name = name(new)?;
            Touched::Name
        }
        Command::AddMember { id, name: new } => {
            fresh(group.members.contains_key(id))?;
            let member = Member {
                name: name(new)?,
                created_at: now,
            };
            group.members.insert(id.clone(), member);
            Touched::Member(id.clone())
        }
        Command::AddSite { id, name: new } => {
            fresh(group.sites.contains_key(id))?;
            let site = Site {
                name: name(new)?,
                created_at: now,
            };
            group.sites.insert(id.clone(), site);
            Touched::Site(id.clone())
        }
        Command::RenameSite { site, name: new } => {
            let new = name(new)?;
            group.sites.get_mut(site).ok_or(Refusal::NoSuchSite)?.name = new;
            Touched::Site(site.clone())
        }
        Command::AddPlot {
            id,
            site,
            label: text,
            size: measure,
            status,
        } => {
            fresh(group.plots.contains_key(id))?;
            if !group.sites.contains_key(site) {
                return Err(Refusal::NoSuchSite);
            }
            let plot = Plot {
                site: site.clone(),
                label: label(group, site, text, None)?,
                size: size(measure)?,
                status: *status,
                holder: None,
                created_at: now,
            };
            group.plots.insert(id.clone(), plot);
            Touched::Plot(id.clone())
        }
        Command::EditPlot {
            plot,
            label: text,
            size: measure,
            status,
        } => {
            let site = group
                .plots
                .get(plot)
                .ok_or(Refusal::NoSuchPlot)?
                .site
                .clone();
            let text = label(group, &site, text, Some(plot))?;
            let measure = size(measure)?;
            let entry = group.plots.get_mut(plot).ok_or(Refusal::NoSuchPlot)?;
            entry.label = text;
            entry.size = measure;
            entry.status = *status;
            Touched::Plot(plot.clone())
        }
        Command::AssignPlot { plot, member } => {
            if let Some(member) = member
                && !group.members.contains_key(member)
            {
                return Err(Refusal::NoSuchMember);
            }
            let entry = group.plots.get_mut(plot).ok_or(Refusal::NoSuchPlot)?;
            entry.holder.clone_from(member);
            entry.status = if member.is_some() {
                PlotStatus::Assigned
            } else {
                PlotStatus::Available
            };
            Touched::Plot(plot.clone())
        }
        Command::DeletePlot { plot } => {
            group.plots.remove(plot).ok_or(Refusal::NoSuchPlot)?;
            Touched::PlotRemoved(plot.clone())
        }
        Command::AddMeeting { id, title } => {
            fresh(group.meetings.contains_key(id))?;
            let entry = MeetingEntry {
                title: name(title)?,
                created_at: now,
            };
            group.meetings.insert(id.clone(), entry);
            Touched::Meeting(id.clone())
        }
    })
}

/// Creates a meeting document for a group, with its notes empty.
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
        notes: autosurgeon::Text::default(),
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
    hydrate(doc).map_err(|_| Refusal::Unreadable)
}

/// Makes the meeting notes read `typed`, changing only the characters that
/// differ (the span between the common start and end), so that what others
/// typed meanwhile elsewhere in the notes is kept. Returns false when the
/// notes already read so.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document has no notes text.
pub fn edit_notes(doc: &mut AutoCommit, typed: &str, now: i64) -> Result<bool, Refusal> {
    let Ok(Some((Value::Object(ObjType::Text), notes))) = doc.get(ROOT, "notes") else {
        return Err(Refusal::Unreadable);
    };
    let before: Vec<char> = doc
        .text(&notes)
        .map_err(|_| Refusal::Unreadable)?
        .chars()
        .collect();
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
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message("edit notes"),
    );
    Ok(true)
}
