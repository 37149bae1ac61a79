use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::{AidPost, Entries, Hold, Loan, LogEntry, Resource, SeedMove, Shift, WaitlistEntry};

/// The version of the group document's shape; see docs/schema.md.
pub const SCHEMA_VERSION: u64 = 2;

/// One community group: the root of its group document.
///
/// Everything is kept in maps keyed by id, never in lists by position, so
/// that two members adding or editing different things at once both win.
/// Maps added in version 2 read as empty when a version 1 group lacks them.
#[derive(
    Clone, Debug, Default, PartialEq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Group {
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub schema: u64,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    /// Milliseconds since the Unix epoch.
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub members: Entries<Member>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub sites: Entries<Site>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub plots: Entries<Plot>,
    /// The group's meetings, keyed by the id of each meeting's own document.
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub meetings: Entries<MeetingEntry>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub waitlist: Entries<WaitlistEntry>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub shifts: Entries<Shift>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub log: Entries<LogEntry>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub resources: Entries<Resource>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub loans: Entries<Loan>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub holds: Entries<Hold>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub seed_moves: Entries<SeedMove>,
    #[autosurgeon(hydrate = "super::lenient::entries")]
    pub aid: Entries<AidPost>,
    /// Where in the document's history this copy was read; never stored.
    #[autosurgeon(
        hydrate = "super::lenient::read_at",
        reconcile = "super::lenient::skip"
    )]
    pub read_at: ReadAt,
    /// Days a done aid post stays listed; 0 keeps them.
    #[autosurgeon(
        missing = "default_aid_expiry",
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub aid_expiry_days: u64,
}

/// The document heads a hydrated copy was read at, so that a command can
/// tell a copy that is no longer current (see `command::apply_on`). Not
/// part of the group's value: any two compare equal.
#[derive(Clone, Debug, Default)]
pub struct ReadAt(pub Vec<automerge::ChangeHash>);

// Kept as the heads' bytes: the cached first screen (`core::first_screen`)
// carries them so a command on the cached copy knows what it read.
impl serde::Serialize for ReadAt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|head| head.0))
    }
}

impl<'de> serde::Deserialize<'de> for ReadAt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let heads = Vec::<[u8; 32]>::deserialize(deserializer)?;
        Ok(Self(heads.into_iter().map(automerge::ChangeHash).collect()))
    }
}

impl PartialEq for ReadAt {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

const fn default_aid_expiry() -> u64 {
    30
}

/// A meeting as the group's index lists it; the meeting itself (notes and
/// all) lives in its own document.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct MeetingEntry {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// The day it is held, `YYYY-MM-DD`; empty until set.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub date: String,
}

impl MeetingEntry {
    /// Meetings sort by the day they are held (or were made), then by when
    /// they were made.
    fn order(&self) -> (String, i64) {
        let day = if self.date.is_empty() {
            crate::core::date::Date::from_unix_ms(self.created_at, 0).to_string()
        } else {
            self.date.clone()
        };
        (day, self.created_at)
    }
}

/// A person in the group.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Member {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// The languages they speak, as they put it: "Spanish, English".
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub languages: String,
    /// A phone number or other way to reach them; optional.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub contact: String,
    /// Coordinators lay out gardens and follow up on plots.
    #[autosurgeon(hydrate = "super::lenient::flag")]
    pub coordinator: bool,
    /// Point people are who neighbors call for mutual aid.
    #[autosurgeon(hydrate = "super::lenient::flag")]
    pub point_person: bool,
}

/// A garden (or any place the group looks after).
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Site {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// The plot map's grid; 0 × 0 until a coordinator lays it out.
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub rows: u64,
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub cols: u64,
}

/// One plot in a garden.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
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
    /// Version 1's single holder; kept for groups made then and read as the
    /// holder of every season until the plot is assigned by season.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub holder: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
    /// Who holds it each season ("2026" → member ids).
    #[autosurgeon(hydrate = "super::lenient::id_lists")]
    pub holders: BTreeMap<String, Vec<String>>,
    /// The map cells it covers, "row,col" pairs separated by spaces.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub cells: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub notes: String,
    /// Needs-attention follow-up: what is wrong and the notices given.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub attention: String,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub first_notice: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub final_notice: Option<String>,
}

named_enum! {
    /// Where a plot stands.
    PlotStatus {
        Available => "available",
        Assigned => "assigned",
        NeedsAttention => "needs-attention",
        Fallow => "fallow",
    }
}

impl Plot {
    /// Who holds the plot in a season: the season's holders, or version 1's
    /// single holder while the plot has never been assigned by season.
    pub fn holders_in(&self, season: i64) -> Vec<String> {
        if self.holders.is_empty() {
            return self.holder.iter().cloned().collect();
        }
        self.holders
            .get(&season.to_string())
            .cloned()
            .unwrap_or_default()
    }

    /// The map cells it covers, as (row, column) from 0.
    pub fn cells(&self) -> Vec<(u64, u64)> {
        parse_cells(&self.cells)
    }
}

/// Reads "row,col row,col"; anything unreadable is skipped.
pub fn parse_cells(text: &str) -> Vec<(u64, u64)> {
    text.split_whitespace()
        .filter_map(|pair| {
            let (row, col) = pair.split_once(',')?;
            Some((row.parse().ok()?, col.parse().ok()?))
        })
        .collect()
}

/// Writes cells as the document keeps them, in reading order.
pub fn format_cells(cells: &[(u64, u64)]) -> String {
    let mut cells = cells.to_vec();
    cells.sort_unstable();
    cells.dedup();
    cells
        .iter()
        .map(|(row, col)| format!("{row},{col}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Group {
    /// The plot map of a garden: for each cell, the plot covering it. A cell
    /// two plots claim (two phones laid them out at once) shows the first.
    pub fn map_of(&self, site: &str) -> Vec<Vec<Option<String>>> {
        let Some(garden) = self.sites.get(site) else {
            return Vec::new();
        };
        let (rows, cols) = (garden.rows.min(MAX_GRID), garden.cols.min(MAX_GRID));
        let mut grid = vec![vec![None; usize_of(cols)]; usize_of(rows)];
        for (id, plot) in self.plots_in(site) {
            for (row, col) in plot.cells() {
                if row < rows && col < cols {
                    let cell = &mut grid[usize_of(row)][usize_of(col)];
                    if cell.is_none() {
                        *cell = Some(id.clone());
                    }
                }
            }
        }
        grid
    }

    /// The plots a member holds in a season, over every garden.
    pub fn plots_held_by(&self, member: &str, season: i64) -> Vec<(&String, &Plot)> {
        let mut plots: Vec<_> = self
            .plots
            .iter()
            .filter(|(_, p)| p.holders_in(season).iter().any(|h| h == member))
            .collect();
        plots.sort_by(|(_, a), (_, b)| natural_cmp(&a.label, &b.label));
        plots
    }

    /// A member's name, or `None` if they are no longer in the group.
    pub fn member_name(&self, member: &str) -> Option<&str> {
        self.members.get(member).map(|m| m.name.as_str())
    }

    /// (id, name) of every member, by name: for pickers.
    pub fn member_names(&self) -> Vec<(String, String)> {
        self.members_by_name()
            .into_iter()
            .map(|(id, m)| (id.clone(), m.name.clone()))
            .collect()
    }
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
        meetings.sort_by(|(ida, a), (idb, b)| b.order().cmp(&a.order()).then_with(|| idb.cmp(ida)));
        meetings
    }

    /// The meetings held before this one, newest first.
    pub fn meetings_before(&self, meeting: &str) -> Vec<&String> {
        let Some(this) = self.meetings.get(meeting) else {
            return Vec::new();
        };
        let this = (this.order(), meeting);
        self.meetings_by_date()
            .into_iter()
            .filter(|(id, m)| (m.order(), id.as_str()) < this)
            .map(|(id, _)| id)
            .collect()
    }

    /// Members ordered by name.
    pub fn members_by_name(&self) -> Vec<(&String, &Member)> {
        let mut members: Vec<_> = self.members.iter().collect();
        members
            .sort_by(|(ida, a), (idb, b)| natural_cmp(&a.name, &b.name).then_with(|| ida.cmp(idb)));
        members
    }
}

/// The largest plot map side: big enough for any community garden, small
/// enough to tap.
pub const MAX_GRID: u64 = 30;

#[expect(
    clippy::cast_possible_truncation,
    reason = "grid sides are at most MAX_GRID"
)]
const fn usize_of(n: u64) -> usize {
    n as usize
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
            assert_eq!(PlotStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(PlotStatus::parse("sold"), None);
    }
}
