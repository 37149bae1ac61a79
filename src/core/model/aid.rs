//! Mutual aid: neighbors' asks and offers, and who they were matched with.

use autosurgeon::{Hydrate, Reconcile};

use super::Group;

/// An ask or an offer.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct AidPost {
    pub kind: AidKind,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub details: String,
    pub category: AidCategory,
    pub urgency: Urgency,
    /// The neighborhood or area, as people name it.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub area: String,
    pub status: AidStatus,
    /// The member who posted it (or posted it for a neighbor).
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub by: Option<String>,
    /// The member it was matched with.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub matched_with: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// When it was marked done, ms; done posts expire from the lists.
    #[autosurgeon(hydrate = "super::lenient::opt_int")]
    pub done_at: Option<i64>,
}

named_enum! {
    AidKind {
        Ask => "ask",
        Offer => "offer",
    }
}

named_enum! {
    AidCategory {
        Food => "food",
        Transport => "transport",
        Childcare => "childcare",
        Housing => "housing",
        Health => "health",
        Errands => "errands",
        Other => "other",
    }
}

named_enum! {
    Urgency {
        Normal => "normal",
        Soon => "soon",
        Urgent => "urgent",
    }
}

named_enum! {
    AidStatus {
        Open => "open",
        Matched => "matched",
        Done => "done",
    }
}

impl Group {
    /// Aid posts still listed at `now`: open and matched ones, most urgent
    /// and then newest first, and done ones until they expire.
    pub fn aid_listed(&self, now: i64) -> Vec<(&String, &AidPost)> {
        let keep_ms = i64::try_from(self.aid_expiry_days)
            .unwrap_or(i64::MAX / 86_400_000)
            .saturating_mul(86_400_000);
        let mut posts: Vec<_> = self
            .aid
            .iter()
            .filter(|(_, p)| match p.done_at {
                Some(done) if p.status == AidStatus::Done && self.aid_expiry_days > 0 => {
                    now.saturating_sub(done) < keep_ms
                }
                _ => true,
            })
            .collect();
        posts.sort_by(|(ida, a), (idb, b)| {
            (a.status == AidStatus::Done)
                .cmp(&(b.status == AidStatus::Done))
                .then(b.urgency.rank().cmp(&a.urgency.rank()))
                .then(b.created_at.cmp(&a.created_at))
                .then_with(|| ida.cmp(idb))
        });
        posts
    }
}

impl Urgency {
    const fn rank(self) -> u8 {
        match self {
            Self::Normal | Self::Unknown => 0,
            Self::Soon => 1,
            Self::Urgent => 2,
        }
    }
}
