//! "What needs you now", for the member this phone is in a group: shown on
//! the home screen and at the top of the group.

use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::model::Meeting;
use crate::core::needs::{Line, needs_me};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{Badge, local_date};
use crate::ui::state::AppState;
use crate::web::platform;

/// How many recent meetings are read for open action items.
const MEETINGS_READ: usize = 20;

#[component]
pub fn NeedsMe(
    id: DocumentId,
    #[prop(into)] group: Signal<Option<crate::ui::state::Shown>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let meetings = RwSignal::new(Vec::<(String, Meeting)>::new());
    // The meetings hold the action items; read them from the phone.
    Effect::new(move || {
        app.remote_tick.track();
        let ids: Vec<DocumentId> = group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.meetings_by_date()
                    .into_iter()
                    .take(MEETINGS_READ)
                    .filter_map(|(m, _)| DocumentId::parse(m).ok())
                    .collect()
            })
        });
        let Some(repo) = app.store() else { return };
        leptos::task::spawn_local(async move {
            let mut read = Vec::new();
            for meeting in ids {
                if let Some(m) = repo.meeting(meeting).await {
                    read.push((meeting.to_string(), m));
                }
            }
            meetings.set(read);
        });
    });
    let needs = move || {
        let me = app.me_in(id)?;
        let today = app.today.get();
        group.with(|g| {
            meetings.with(|m| {
                g.as_ref()
                    .map(|g| needs_me(g, &me, m, today, platform::now_ms()))
            })
        })
    };
    // Each kind has its own words: a loan is returned by a date, an action
    // item is due, a shift is on a day.
    let part = move |key: Key,
                     (on, late_key): (Key, Key),
                     lines: Vec<Line>,
                     link: fn(DocumentId, &str) -> String| {
        (!lines.is_empty()).then(|| {
            view! {
                <h3>{move || app.t(key)}</h3>
                <ul class="plain-list">
                    {lines.into_iter().map(|line| {
                        let due = (!line.due.is_empty()).then(|| {
                            let day = local_date(app, &line.due);
                            let late = line.late;
                            view! { <span class="due" class:late=late>{move || app.tf(if late { late_key } else { on }, &[("date", &day)])}</span> }
                        });
                        // Asks have no date: "late" marks them urgent.
                        let urgent = (line.late && line.due.is_empty())
                            .then(|| view! { <Badge class="needs-attention" symbol="!" text=Key::UrgencyUrgent /> });
                        let place = (!line.place.is_empty()).then(|| view! { <span class="quiet">{line.place.clone()}</span> });
                        view! {
                            <li class:overdue=line.late>
                                <a href=link(id, &line.id)>{line.text.clone()}</a>
                                {urgent}
                                {place}
                                {due}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <section class="panel needs" aria-labelledby=format!("needs-{id}") data-testid="needs-me">
            <h2 id=format!("needs-{id}")>{move || app.t(Key::NeedsMe)}</h2>
            {move || match needs() {
                None => view! { <p class="quiet">{move || app.t(Key::PickYourself)}" "<a href=Route::Members(id).href()>{move || app.t(Key::Members)}</a></p> }.into_any(),
                Some(needs) if needs.is_empty() => view! { <p class="quiet">{move || app.t(Key::AllClear)}</p> }.into_any(),
                Some(needs) => view! {
                    {part(Key::YourLoans, (Key::DueOn, Key::OverdueSince), needs.loans, |g, r| Route::Resource(g, r.to_owned()).href())}
                    {part(Key::YourActions, (Key::ActionDueOn, Key::ActionOverdue), needs.actions, |g, m| {
                        DocumentId::parse(m).map_or_else(|_| Route::Group(g).href(), |m| Route::Meeting(g, m).href())
                    })}
                    {part(Key::YourShifts, (Key::ShiftOn, Key::ShiftOn), needs.shifts, |g, s| Route::Shifts(g, s.to_owned()).href())}
                    {part(Key::YourPlots, (Key::DueOn, Key::OverdueSince), needs.plots, |g, p| Route::Plot(g, p.to_owned()).href())}
                    {part(Key::OpenAsks, (Key::DueOn, Key::OverdueSince), needs.asks, |g, _| Route::Aid(g).href())}
                }.into_any(),
            }}
        </section>
    }
}
