//! "What needs me now": the few things one member should see first when
//! they open their group: their plots, what they borrowed and when it is
//! due, what they said they would do, their next shifts, and neighbors'
//! open asks.

use crate::core::date::Date;
use crate::core::model::{ActionStatus, AidKind, AidStatus, Group, Meeting};

/// One line of the list: what it is, where it belongs, and by when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// The id of what the line links to (plot, resource, meeting, site, post).
    pub id: String,
    pub text: String,
    /// The garden, meeting or area it belongs to.
    pub place: String,
    /// `YYYY-MM-DD`, or empty.
    pub due: String,
    /// Past its date, or urgent.
    pub late: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NeedsMe {
    pub plots: Vec<Line>,
    pub loans: Vec<Line>,
    pub actions: Vec<Line>,
    pub shifts: Vec<Line>,
    pub asks: Vec<Line>,
}

impl NeedsMe {
    pub fn is_empty(&self) -> bool {
        [
            &self.plots,
            &self.loans,
            &self.actions,
            &self.shifts,
            &self.asks,
        ]
        .iter()
        .all(|lines| lines.is_empty())
    }
}

/// How many open asks the list shows; the aid page has the rest.
const ASKS_SHOWN: usize = 5;

/// What needs `member` in `group` on `today`, given the group's meetings
/// that this phone holds.
pub fn needs_me(
    group: &Group,
    member: &str,
    meetings: &[(String, Meeting)],
    today: Date,
    now: i64,
) -> NeedsMe {
    let late = |due: &str| Date::parse(due).is_some_and(|d| d < today);
    let site_name = |site: &str| {
        group
            .sites
            .get(site)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let plots = group
        .plots_held_by(member, today.year())
        .into_iter()
        .map(|(id, plot)| Line {
            id: id.clone(),
            text: plot.label.clone(),
            place: site_name(&plot.site),
            due: String::new(),
            late: false,
        })
        .collect();
    let loans = group
        .loans_of(member)
        .into_iter()
        .map(|(_, loan)| Line {
            id: loan.resource.clone(),
            text: group
                .resources
                .get(&loan.resource)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            place: String::new(),
            due: loan.due.clone(),
            late: loan.is_overdue(today),
        })
        .collect();
    let mut actions: Vec<Line> = meetings
        .iter()
        .flat_map(|(id, meeting)| {
            meeting
                .actions_in_order()
                .into_iter()
                .filter(|(_, a)| {
                    a.status == ActionStatus::Open && a.owner.as_deref() == Some(member)
                })
                .map(|(_, action)| Line {
                    id: id.clone(),
                    text: action.text.clone(),
                    place: meeting.title.clone(),
                    due: action.due.clone(),
                    late: late(&action.due),
                })
        })
        .collect();
    // Soonest due first; items with no date after those with one.
    actions.sort_by(|a, b| (a.due.is_empty(), &a.due).cmp(&(b.due.is_empty(), &b.due)));
    let mut shifts: Vec<Line> = group
        .shifts
        .iter()
        .filter(|(_, s)| {
            s.signups.contains_key(member) && Date::parse(&s.date).is_some_and(|d| d >= today)
        })
        .map(|(_, shift)| Line {
            id: shift.site.clone(),
            text: shift.title.clone(),
            place: site_name(&shift.site),
            due: shift.date.clone(),
            late: false,
        })
        .collect();
    shifts.sort_by(|a, b| a.due.cmp(&b.due));
    let asks = group
        .aid_listed(now)
        .into_iter()
        // Neighbors' asks: the member's own are theirs to follow, not to answer.
        .filter(|(_, p)| {
            p.kind == AidKind::Ask && p.status == AidStatus::Open && p.by.as_deref() != Some(member)
        })
        .take(ASKS_SHOWN)
        .map(|(id, post)| Line {
            id: id.clone(),
            text: post.title.clone(),
            place: post.area.clone(),
            due: String::new(),
            late: post.urgency == crate::core::model::Urgency::Urgent,
        })
        .collect();
    NeedsMe {
        plots,
        loans,
        actions,
        shifts,
        asks,
    }
}
