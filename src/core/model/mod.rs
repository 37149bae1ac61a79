//! The domain: a community group, its gardens (sites), plots, members and meetings,
//! as they are stored in the group's automerge document (see docs/schema.md).

/// A unit enum stored as its variant name (autosurgeon's way), with a
/// stable lower-case name for forms and CSV, and the list of all values.
///
/// Read leniently: any case, `-`/`_`/spaces ignored, either name; missing
/// or null reads as the first value. A value this version does not know
/// (written by a newer version) reads as `Unknown`, which is never written:
/// reconciling `Unknown` leaves the stored value as it is.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            #[default]
            $($(#[$vmeta])* $variant,)+
            /// A value from a newer version, kept as it is stored.
            Unknown,
        }

        impl $name {
            /// Every value this version knows (never `Unknown`).
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// A stable name for forms, URLs and CSV.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)+ Self::Unknown => "unknown" }
            }

            /// The name stored in the document.
            pub const fn stored(self) -> &'static str {
                match self { $(Self::$variant => stringify!($variant),)+ Self::Unknown => "Unknown" }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }

            /// Reads a stored value the lenient way.
            pub fn read_stored(text: &str) -> Self {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| {
                        super::lenient::same_name(text, value.stored())
                            || super::lenient::same_name(text, value.as_str())
                    })
                    .unwrap_or(Self::Unknown)
            }
        }

        impl autosurgeon::Hydrate for $name {
            fn hydrate<D: autosurgeon::ReadDoc>(
                doc: &D,
                obj: &automerge::ObjId,
                prop: autosurgeon::Prop<'_>,
            ) -> Result<Self, autosurgeon::HydrateError> {
                Ok(match super::lenient::enum_text(doc, obj, &prop)? {
                    Ok(None) => Self::default(),
                    Ok(Some(text)) => Self::read_stored(&text),
                    Err(()) => Self::Unknown,
                })
            }
        }

        impl autosurgeon::Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;

            fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                match self {
                    // Kept as stored: never rewritten.
                    Self::Unknown => Ok(()),
                    known => reconciler.str(known.stored()),
                }
            }
        }
    };
}

mod aid;
mod entries;
mod garden;
mod group;
pub mod lenient;
mod library;
mod meeting;
mod one_pass;

pub use aid::{AidCategory, AidKind, AidPost, AidStatus, Urgency};
pub use entries::Entries;
pub use garden::{HarvestTotal, LogEntry, LogKind, Shift, ShiftKind, WaitlistEntry};
pub use group::{
    Group, MAX_GRID, MeetingEntry, Member, Plot, PlotStatus, ReadAt, SCHEMA_VERSION, Site,
    format_cells, natural_cmp, parse_cells,
};
pub use lenient::{signed, signed_counts};
pub use library::{Category, Condition, Hold, Loan, Resource, SeedMove, Standing};
pub use meeting::{
    ActionItem, ActionStatus, AgendaItem, Commitment, Decision, MEETING_SCHEMA_VERSION, Meeting,
    Tally, commitments,
};
pub use one_pass::OnePass;

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
