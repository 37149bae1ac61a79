//! The domain: a community group, its gardens (sites), plots, members and meetings,
//! as they are stored in the group's automerge document (see docs/schema.md).

mod group;
mod lenient;
mod meeting;

pub use group::{Group, MeetingEntry, Member, Plot, PlotStatus, SCHEMA_VERSION, Site, natural_cmp};
pub use meeting::{MEETING_SCHEMA_VERSION, Meeting};

use automerge::{AutoCommit, ROOT, ReadDoc};

use super::repo::DocumentId;

/// The documents a group document links to: its meetings, each its own
/// document, keyed by document id in the group's `meetings` map. The sync
/// engine offers these to whoever holds the group.
pub fn linked_documents(doc: &AutoCommit) -> Vec<DocumentId> {
    let Ok(Some((_, meetings))) = doc.get(ROOT, "meetings") else {
        return Vec::new();
    };
    doc.keys(meetings)
        .filter_map(|key| DocumentId::parse(&key).ok())
        .collect()
}
