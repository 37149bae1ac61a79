//! The garden's working life beyond plots: the waitlist, work days and
//! watering shifts, and the garden log.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::{Group, natural_cmp};
use crate::core::date::Date;

/// Someone waiting for a plot in one garden. They need not be a member yet:
/// offering them a plot makes them one.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct WaitlistEntry {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub site: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub contact: String,
    /// The member they already are, if any.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub member: Option<String>,
    /// Why they go first ("no yard at home"); empty for the plain queue.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub priority: String,
    /// When they joined the queue, ms since the epoch.
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub added_at: i64,
}

/// A dated shift members sign up for: a work day or a watering turn.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Shift {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub site: String,
    pub kind: ShiftKind,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub title: String,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub date: String,
    /// `HH:MM`, or empty.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub time: String,
    /// How many people it needs; 0 for no limit.
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub spots: u64,
    /// Member id → when they signed up (ms).
    #[autosurgeon(hydrate = "super::lenient::numbers")]
    pub signups: BTreeMap<String, i64>,
    /// Member id → minutes worked.
    #[autosurgeon(
        hydrate = "super::lenient::counts",
        reconcile = "super::lenient::put_counts"
    )]
    pub minutes: BTreeMap<String, u64>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

named_enum! {
    ShiftKind {
        WorkDay => "work-day",
        Watering => "watering",
    }
}

/// One line of the garden log.
#[derive(
    Clone, Debug, Default, PartialEq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct LogEntry {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub site: String,
    /// The plot it is about, if any.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub plot: Option<String>,
    pub kind: LogKind,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub date: String,
    /// Harvests: what was picked.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub crop: String,
    /// Harvests: how much, in `unit`; never negative.
    #[autosurgeon(hydrate = "super::lenient::float")]
    pub quantity: f64,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub unit: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub note: String,
    /// The member who wrote it.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub by: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

named_enum! {
    LogKind {
        Harvest => "harvest",
        Observation => "observation",
        Watering => "watering",
        Pest => "pest",
    }
}

/// A harvest total: crop and unit, as written, and the sum.
#[derive(Clone, Debug, PartialEq)]
pub struct HarvestTotal {
    pub crop: String,
    pub unit: String,
    pub quantity: f64,
}

impl Group {
    /// The waitlist of a garden, in the order plots are offered: people with
    /// a priority reason first, then everyone by when they joined.
    pub fn waitlist_of(&self, site: &str) -> Vec<(&String, &WaitlistEntry)> {
        let mut queue: Vec<_> = self
            .waitlist
            .iter()
            .filter(|(_, w)| w.site == site)
            .collect();
        queue.sort_by(|(ida, a), (idb, b)| {
            a.priority
                .is_empty()
                .cmp(&b.priority.is_empty())
                .then(a.added_at.cmp(&b.added_at))
                .then_with(|| ida.cmp(idb))
        });
        queue
    }

    /// Minutes each member worked in a season (a year), over every garden.
    pub fn minutes_in(&self, season: i64) -> BTreeMap<&String, u64> {
        let mut totals = BTreeMap::new();
        for shift in self.shifts.values() {
            if Date::parse(&shift.date).is_some_and(|d| d.year() == season) {
                for (member, minutes) in &shift.minutes {
                    *totals.entry(member).or_default() += minutes;
                }
            }
        }
        totals
    }

    /// What was harvested in a season, by crop and unit, from one plot or
    /// (with `plot` `None`) from a whole garden.
    pub fn harvest_totals(&self, site: &str, plot: Option<&str>, season: i64) -> Vec<HarvestTotal> {
        let mut totals: BTreeMap<(String, String), HarvestTotal> = BTreeMap::new();
        for entry in self.log.values() {
            let counts = entry.site == site
                && entry.kind == LogKind::Harvest
                && (plot.is_none() || entry.plot.as_deref() == plot)
                && Date::parse(&entry.date).is_some_and(|d| d.year() == season);
            if counts {
                let key = (entry.crop.to_lowercase(), entry.unit.to_lowercase());
                totals
                    .entry(key)
                    .or_insert_with(|| HarvestTotal {
                        crop: entry.crop.clone(),
                        unit: entry.unit.clone(),
                        quantity: 0.0,
                    })
                    .quantity += entry.quantity;
            }
        }
        let mut totals: Vec<_> = totals.into_values().collect();
        totals.sort_by(|a, b| natural_cmp(&a.crop, &b.crop));
        totals
    }
}
