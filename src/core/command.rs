//! What a member can do to a group document: validated edits.
//!
//! A command is checked against the current state first; a refused command
//! changes nothing. An accepted one is written with autosurgeon and committed
//! as one automerge change, stamped with the time the shell passed in.

use automerge::{AutoCommit, transaction::CommitOptions};
use autosurgeon::{hydrate, reconcile};

use super::model::{Group, Member, Plot, PlotStatus, SCHEMA_VERSION, Site};
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
    if group.schema > SCHEMA_VERSION {
        return Err(Refusal::NewerSchema);
    }
    edit(&mut group, command, now)?;
    reconcile(doc, &group).map_err(|_| Refusal::Unreadable)?;
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message(message(command)),
    );
    Ok(group)
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
    }
}

/// The pure edit of the hydrated group: validation and change together.
///
/// # Errors
/// The refusal; `group` is then unchanged.
pub fn edit(group: &mut Group, command: &Command, now: i64) -> Result<(), Refusal> {
    match command {
        Command::RenameGroup { name: new } => group.name = name(new)?,
        Command::AddMember { id, name: new } => {
            fresh(group.members.contains_key(id))?;
            let member = Member {
                name: name(new)?,
                created_at: now,
            };
            group.members.insert(id.clone(), member);
        }
        Command::AddSite { id, name: new } => {
            fresh(group.sites.contains_key(id))?;
            let site = Site {
                name: name(new)?,
                created_at: now,
            };
            group.sites.insert(id.clone(), site);
        }
        Command::RenameSite { site, name: new } => {
            let new = name(new)?;
            group.sites.get_mut(site).ok_or(Refusal::NoSuchSite)?.name = new;
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
        }
        Command::DeletePlot { plot } => {
            group.plots.remove(plot).ok_or(Refusal::NoSuchPlot)?;
        }
    }
    Ok(())
}
