//! A meeting: its own automerge document, linked from the group's
//! `meetings` map, so that notes typed by several people at once merge
//! character by character and stay out of the group document.

use autosurgeon::{Hydrate, Reconcile, Text};

/// The version of the meeting document's shape; see docs/schema.md.
pub const MEETING_SCHEMA_VERSION: u64 = 1;

/// The root of a meeting document.
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
}
