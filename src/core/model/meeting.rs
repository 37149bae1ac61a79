//! A meeting: its own automerge document, linked from the group's
//! `meetings` map, so that notes typed by several people at once merge
//! character by character and stay out of the group document.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};

/// The version of the meeting document's shape; see docs/schema.md.
pub const MEETING_SCHEMA_VERSION: u64 = 2;

/// The root of a meeting document. Maps added in version 2 read as empty
/// when a version 1 meeting lacks them.
#[derive(Clone, Debug, Default, Hydrate, Reconcile)]
pub struct Meeting {
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub schema: u64,
    /// The id of the group document that lists this meeting.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub group: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// Collaborative text: concurrent typing keeps everyone's words.
    #[autosurgeon(hydrate = "super::lenient::notes")]
    pub notes: Text,
    /// `YYYY-MM-DD`, `HH:MM` and where; empty until set.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub date: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub time: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub place: String,
    /// Member ids in the meeting's roles.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub facilitator: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub note_taker: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub timekeeper: Option<String>,
    /// Member id → when they were marked present (ms).
    #[autosurgeon(hydrate = "super::lenient::numbers")]
    pub attendees: BTreeMap<String, i64>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub agenda: BTreeMap<String, AgendaItem>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub decisions: BTreeMap<String, Decision>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub actions: BTreeMap<String, ActionItem>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct AgendaItem {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    #[autosurgeon(hydrate = "super::lenient::flag")]
    pub done: bool,
}

/// A decision, in the exact words agreed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Decision {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub text: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// The proposal's show of hands, when one was taken.
    #[autosurgeon(hydrate = "super::lenient::opt_map")]
    pub tally: Option<Tally>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Tally {
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub agree: u64,
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub abstain: u64,
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub disagree: u64,
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub block: u64,
}

/// Something someone said they would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct ActionItem {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub text: String,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, or empty.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub due: String,
    pub status: ActionStatus,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// Carried over from "<meeting id>/<item id>".
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub carried_from: Option<String>,
}

named_enum! {
    ActionStatus {
        Open => "open",
        Done => "done",
        /// Moved on to a later meeting, which holds it now.
        CarriedOver => "carried-over",
    }
}

impl Meeting {
    /// Agenda items in the order they were added.
    pub fn agenda_in_order(&self) -> Vec<(&String, &AgendaItem)> {
        in_order(&self.agenda, |a| a.created_at)
    }

    /// Decisions in the order they were taken.
    pub fn decisions_in_order(&self) -> Vec<(&String, &Decision)> {
        in_order(&self.decisions, |d| d.created_at)
    }

    /// Action items in the order they were added.
    pub fn actions_in_order(&self) -> Vec<(&String, &ActionItem)> {
        in_order(&self.actions, |a| a.created_at)
    }

    /// The day it is held, or else the day it was made (UTC).
    pub fn day(&self) -> String {
        if self.date.is_empty() {
            crate::core::date::Date::from_unix_ms(self.created_at, 0).to_string()
        } else {
            self.date.clone()
        }
    }
}

/// Entries ordered by when they were made, then by id for ties on two phones.
fn in_order<T>(map: &BTreeMap<String, T>, made: fn(&T) -> i64) -> Vec<(&String, &T)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|(ida, a), (idb, b)| made(a).cmp(&made(b)).then_with(|| ida.cmp(idb)));
    entries
}

/// An action item still open in an earlier meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commitment {
    pub meeting: String,
    pub item: String,
    pub action: ActionItem,
}

impl Commitment {
    /// How a later meeting names it in `carried_from`.
    pub fn source(&self) -> String {
        format!("{}/{}", self.meeting, self.item)
    }
}

/// The open action items of `earlier` meetings that `this` meeting has not
/// taken on yet, oldest meeting first: "commitments from last time".
pub fn commitments(this: &Meeting, earlier: &[(String, Meeting)]) -> Vec<Commitment> {
    let carried: Vec<&str> = this
        .actions
        .values()
        .filter_map(|a| a.carried_from.as_deref())
        .collect();
    let mut meetings: Vec<&(String, Meeting)> = earlier.iter().collect();
    meetings.sort_by(|(ida, a), (idb, b)| a.day().cmp(&b.day()).then_with(|| ida.cmp(idb)));
    meetings
        .into_iter()
        .flat_map(|(id, meeting)| {
            meeting
                .actions_in_order()
                .into_iter()
                .filter(|(_, a)| a.status == ActionStatus::Open)
                .map(|(item, action)| Commitment {
                    meeting: id.clone(),
                    item: item.clone(),
                    action: action.clone(),
                })
        })
        .filter(|c| !carried.contains(&c.source().as_str()))
        .collect()
}
