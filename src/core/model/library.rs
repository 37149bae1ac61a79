//! The shared library: tools, equipment, seeds and spaces; who has what.

use autosurgeon::{Hydrate, Reconcile};

use super::{Group, natural_cmp};
use crate::core::date::Date;

/// Something the group lends.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Resource {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub name: String,
    pub category: Category,
    /// Its condition. "On loan" is not stored: it follows from the loans.
    pub condition: Condition,
    /// Where it is kept: "shed, left shelf".
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub kept_at: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub notes: String,
    /// Seeds: packets in the library when it was catalogued; takings and
    /// givings are [`SeedMove`]s, so two counts at once both count.
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub packets: i64,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

named_enum! {
    Category {
        Tool => "tool",
        Equipment => "equipment",
        Seeds => "seeds",
        Space => "space",
    }
}

named_enum! {
    Condition {
        Available => "available",
        NeedsRepair => "needs-repair",
        Missing => "missing",
        Retired => "retired",
    }
}

/// A resource lent to a member.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Loan {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub resource: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub borrower: String,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub out: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub due: String,
    #[autosurgeon(
        hydrate = "super::lenient::uint",
        reconcile = "super::lenient::put_count"
    )]
    pub renewals: u64,
    /// The day it came back; `None` while it is out.
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub returned: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

impl Loan {
    pub fn is_out(&self) -> bool {
        self.returned.is_none()
    }

    /// Out past its due date.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_out() && Date::parse(&self.due).is_some_and(|due| due < today)
    }
}

/// A member waiting for a resource that is out on loan.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct Hold {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub resource: String,
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub member: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub placed_at: i64,
}

/// Seed packets taken from (negative) or given back to (positive) the
/// seed library.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Hydrate, Reconcile, serde::Serialize, serde::Deserialize,
)]
pub struct SeedMove {
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub resource: String,
    #[autosurgeon(hydrate = "super::lenient::opt_text")]
    pub member: Option<String>,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub packets: i64,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "super::lenient::text")]
    pub date: String,
    #[autosurgeon(hydrate = "super::lenient::int")]
    pub created_at: i64,
}

/// Where a resource stands, as a member reads it on the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    Available,
    OnLoan,
    Overdue,
    NeedsRepair,
    Missing,
    Retired,
    /// A condition from a newer version: shown as such, not lent.
    Unknown,
}

impl Group {
    /// The catalogue, by name.
    pub fn resources_by_name(&self) -> Vec<(&String, &Resource)> {
        let mut all: Vec<_> = self.resources.iter().collect();
        all.sort_by(|(ida, a), (idb, b)| natural_cmp(&a.name, &b.name).then_with(|| ida.cmp(idb)));
        all
    }

    /// The loans of a resource still out (usually one; two if two phones
    /// lent it at once while apart).
    pub fn loans_out(&self, resource: &str) -> Vec<(&String, &Loan)> {
        let mut out: Vec<_> = self
            .loans
            .iter()
            .filter(|(_, l)| l.resource == resource && l.is_out())
            .collect();
        out.sort_by(|(ida, a), (idb, b)| (&a.out, ida).cmp(&(&b.out, idb)));
        out
    }

    /// Everything a member has out now, soonest due first.
    pub fn loans_of(&self, member: &str) -> Vec<(&String, &Loan)> {
        let mut out: Vec<_> = self
            .loans
            .iter()
            .filter(|(_, l)| l.borrower == member && l.is_out())
            .collect();
        out.sort_by(|(ida, a), (idb, b)| (&a.due, ida).cmp(&(&b.due, idb)));
        out
    }

    /// The hold queue of a resource, first come first served.
    pub fn holds_on(&self, resource: &str) -> Vec<(&String, &Hold)> {
        let mut queue: Vec<_> = self
            .holds
            .iter()
            .filter(|(_, h)| h.resource == resource)
            .collect();
        queue.sort_by(|(ida, a), (idb, b)| (a.placed_at, ida).cmp(&(b.placed_at, idb)));
        queue
    }

    /// Packets of a seed in the library now.
    pub fn packets_left(&self, resource: &str) -> i64 {
        let start = self.resources.get(resource).map_or(0, |r| r.packets);
        start
            + self
                .seed_moves
                .values()
                .filter(|m| m.resource == resource)
                .map(|m| m.packets)
                .sum::<i64>()
    }

    /// Where a resource stands today.
    pub fn standing(&self, resource: &str, today: Date) -> Standing {
        let Some(item) = self.resources.get(resource) else {
            return Standing::Missing;
        };
        let out = self.loans_out(resource);
        if out.iter().any(|(_, l)| l.is_overdue(today)) {
            return Standing::Overdue;
        }
        if !out.is_empty() {
            return Standing::OnLoan;
        }
        match item.condition {
            Condition::Available => Standing::Available,
            Condition::NeedsRepair => Standing::NeedsRepair,
            Condition::Missing => Standing::Missing,
            Condition::Retired => Standing::Retired,
            Condition::Unknown => Standing::Unknown,
        }
    }
}
