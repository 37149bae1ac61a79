//! The domain: a community group, its gardens (sites), plots, members and meetings,
//! as they are stored in the group's automerge document (see docs/schema.md).

/// A unit enum stored as its variant name (autosurgeon's way), with a
/// stable lower-case name for forms and CSV, and the list of all values.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, autosurgeon::Hydrate, autosurgeon::Reconcile)]
        pub enum $name {
            #[default]
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// A stable name for forms, URLs and CSV.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }
    };
}

mod aid;
mod garden;
mod group;
mod lenient;
mod library;
mod meeting;

pub use aid::{AidCategory, AidKind, AidPost, AidStatus, Urgency};
pub use garden::{HarvestTotal, LogEntry, LogKind, Shift, ShiftKind, WaitlistEntry};
pub use group::{
    Group, MAX_GRID, MeetingEntry, Member, Plot, PlotStatus, SCHEMA_VERSION, Site, format_cells,
    natural_cmp, parse_cells,
};
pub use library::{Category, Condition, Hold, Loan, Resource, SeedMove, Standing};
pub use meeting::{
    ActionItem, ActionStatus, AgendaItem, Commitment, Decision, MEETING_SCHEMA_VERSION, Meeting,
    Tally, commitments,
};

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
