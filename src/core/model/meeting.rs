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
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub schema: u64,
    /// The id of the group document that lists this meeting.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub group: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// Collaborative text: concurrent typing keeps everyone's words.
    pub notes: Text,
    /// `YYYY-MM-DD`, `HH:MM` and where; empty until set.
    #[autosurgeon(missing = "String::new", hydrate = "super::lenient::text")]
    pub date: String,
    #[autosurgeon(missing = "String::new", hydrate = "super::lenient::text")]
    pub time: String,
    #[autosurgeon(missing = "String::new", hydrate = "super::lenient::text")]
    pub place: String,
    /// Member ids in the meeting's roles.
    #[autosurgeon(missing = "Option::default")]
    pub facilitator: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    pub note_taker: Option<String>,
    #[autosurgeon(missing = "Option::default")]
    pub timekeeper: Option<String>,
    /// Member id → when they were marked present (ms).
    #[autosurgeon(missing = "BTreeMap::new")]
    pub attendees: BTreeMap<String, i64>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub agenda: BTreeMap<String, AgendaItem>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub decisions: BTreeMap<String, Decision>,
    #[autosurgeon(missing = "BTreeMap::new")]
    pub actions: BTreeMap<String, ActionItem>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct AgendaItem {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
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
    pub tally: Option<Tally>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Tally {
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub agree: u64,
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub abstain: u64,
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub disagree: u64,
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub block: u64,
}

/// Something someone said they would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct ActionItem {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub text: String,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, or empty.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub due: String,
    pub status: ActionStatus,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// Carried over from "<meeting id>/<item id>".
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
