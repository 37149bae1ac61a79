use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

/// The version of the group document's shape; see docs/schema.md.
pub const SCHEMA_VERSION: u64 = 1;

/// One community group: the root of its group document.
///
/// Everything is kept in maps keyed by id, never in lists by position, so
/// that two members adding or editing different things at once both win.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Group {
    #[autosurgeon(hydrate = "super::lenient::uint")]
    pub schema: u64,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    /// Milliseconds since the Unix epoch.
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    pub members: BTreeMap<String, Member>,
    pub sites: BTreeMap<String, Site>,
    pub plots: BTreeMap<String, Plot>,
    /// The group's meetings, keyed by the id of each meeting's own document.
    /// Groups made before meetings existed lack the map: read as empty.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub meetings: BTreeMap<String, MeetingEntry>,
}

/// A meeting as the group's index lists it; the meeting itself (notes and
/// all) lives in its own document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct MeetingEntry {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

/// A person in the group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Member {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

/// A garden (or any place the group looks after).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Site {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

/// One plot in a garden.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile)]
pub struct Plot {
    /// The id of the site the plot is in.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub site: String,
    /// What the garden calls it: "A3", "Bed 12".
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub label: String,
    /// As the garden measures it: "3 × 4 m", "10×20 ft".
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub size: String,
    pub status: PlotStatus,
    /// The id of the member who holds it.
    pub holder: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

/// Where a plot stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Hydrate, Reconcile)]
pub enum PlotStatus {
    #[default]
    Available,
    Assigned,
    NeedsAttention,
}

impl PlotStatus {
    pub const ALL: [Self; 3] = [Self::Available, Self::Assigned, Self::NeedsAttention];

    /// A stable name for forms and URLs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Assigned => "assigned",
            Self::NeedsAttention => "needs-attention",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

impl Group {
    /// The plots of one site, ordered by label as a person reads them
    /// ("A2" before "A10").
    pub fn plots_in(&self, site: &str) -> Vec<(&String, &Plot)> {
        let mut plots: Vec<_> = self.plots.iter().filter(|(_, p)| p.site == site).collect();
        plots.sort_by(|(ida, a), (idb, b)| {
            natural_cmp(&a.label, &b.label).then_with(|| ida.cmp(idb))
        });
        plots
    }

    /// Sites ordered by name.
    pub fn sites_by_name(&self) -> Vec<(&String, &Site)> {
        let mut sites: Vec<_> = self.sites.iter().collect();
        sites
            .sort_by(|(ida, a), (idb, b)| natural_cmp(&a.name, &b.name).then_with(|| ida.cmp(idb)));
        sites
    }

    /// Meetings, newest first.
    pub fn meetings_by_date(&self) -> Vec<(&String, &MeetingEntry)> {
        let mut meetings: Vec<_> = self.meetings.iter().collect();
        meetings.sort_by(|(ida, a), (idb, b)| {
            b.created_at.cmp(&a.created_at).then_with(|| ida.cmp(idb))
        });
        meetings
    }

    /// Members ordered by name.
    pub fn members_by_name(&self) -> Vec<(&String, &Member)> {
        let mut members: Vec<_> = self.members.iter().collect();
        members
            .sort_by(|(ida, a), (idb, b)| natural_cmp(&a.name, &b.name).then_with(|| ida.cmp(idb)));
        members
    }
}

/// Compares text the way people expect labels to sort: case-insensitively,
/// with runs of digits compared as numbers.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, run)) if *d == digit => run.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, ra), (db, rb)) in ca.iter().zip(&cb) {
        let ord = if *da && *db {
            let (ta, tb) = (ra.trim_start_matches('0'), rb.trim_start_matches('0'));
            ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
        } else {
            ra.to_lowercase().cmp(&rb.to_lowercase())
        };
        if ord.is_ne() {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_sort_as_people_read_them() {
        let mut labels = vec!["A10", "a2", "B1", "A1", "Bed 12", "Bed 3"];
        labels.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(labels, ["A1", "a2", "A10", "B1", "Bed 3", "Bed 12"]);
    }

    #[test]
    fn status_names_round_trip() {
        for status in PlotStatus::ALL {
            assert_eq!(PlotStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(PlotStatus::parse("sold"), None);
    }
}
