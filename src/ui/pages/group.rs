//! A group: its gardens, its library, mutual aid, members and meetings.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{Filter, PageTitle, TextField};
use crate::ui::needs_me::NeedsMe;
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn GroupPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <GroupView id=id />
        </GroupGate>
    }
}

#[component]
fn GroupView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Shown from the cached first screen: nothing can be done yet.
    let waiting = Memo::new(move |_| app.early().is_some());
    let group = app.group(id);
    let title = Signal::derive(move || {
        group.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default())
    });
    let gardens = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.sites_by_name()
                    .into_iter()
                    .map(|(site, s)| (site.clone(), s.name.clone(), g.plots_in(site).len()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let counts = move || {
        group.with(|g| {
            g.as_ref().map_or((0, 0, 0), |g| {
                let open = g
                    .aid
                    .values()
                    .filter(|p| p.status == crate::core::model::AidStatus::Open)
                    .count();
                (g.members.len(), g.resources.len(), open)
            })
        })
    };

    let garden_name = RwSignal::new(String::new());
    let garden_error = RwSignal::new(None::<String>);
    let add_garden = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::AddSite {
            id: new_id(),
            name: garden_name.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => garden_name.set(String::new()),
            Err(refused) => garden_error.set(Some(refused.message)),
        }
    };
    let meeting_filter = RwSignal::new(String::new());
    let meetings = move || {
        let filter = meeting_filter.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.meetings_by_date()
                    .into_iter()
                    .filter(|(_, m)| {
                        crate::core::text::matches_filter(&filter, &[&m.title, &m.date])
                    })
                    .filter_map(|(m, entry)| {
                        Some((
                            DocumentId::parse(m).ok()?,
                            entry.title.clone(),
                            entry.date.clone(),
                        ))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let meeting_title = RwSignal::new(String::new());
    let meeting_error = RwSignal::new(None::<String>);
    let add_meeting = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match app.create_meeting(id, &meeting_title.get_untracked()) {
            Ok(meeting) => {
                meeting_title.set(String::new());
                let _ = window()
                    .location()
                    .set_hash(&Route::Meeting(id, meeting).href());
            }
            Err(refused) => meeting_error.set(Some(refused.message)),
        }
    };

    view! {
        <PageTitle title=title back="#/".to_owned() />
        <NeedsMe id=id group=group />
        <nav class="hub" aria-label=move || app.t(Key::GroupSections)>
            <a class="card" href=Route::Library(id).href() data-testid="library-link">
                <span class="card-title">{move || app.t(Key::Library)}</span>
                <span class="card-detail">{move || app.count(Key::ItemsCount, counts().1)}</span>
            </a>
            <a class="card" href=Route::Members(id).href() data-testid="members-link">
                <span class="card-title">{move || app.t(Key::Members)}</span>
                <span class="card-detail">{move || app.count(Key::PeopleCount, counts().0)}</span>
            </a>
            <a class="card" href=Route::Aid(id).href() data-testid="aid-link">
                <span class="card-title">{move || app.t(Key::MutualAid)}</span>
                <span class="card-detail">{move || app.count(Key::OpenPostsCount, counts().2)}</span>
            </a>
            <a class="card" href=Route::Phones(id).href() data-testid="phones-link">
                <span class="card-title">{move || app.t(Key::PhonesHere)}</span>
            </a>
            <a class="card" href=Route::Share(id).href() data-testid="share-link">
                <span class="card-title">{move || app.t(Key::SyncAndInvite)}</span>
            </a>
            <a class="card" href=Route::Export(id).href() data-testid="export-link">
                <span class="card-title">{move || app.t(Key::Export)}</span>
            </a>
        </nav>
        <section aria-labelledby="gardens-heading">
            <h2 id="gardens-heading">{move || app.t(Key::Gardens)}</h2>
            <Show
                when=move || !gardens().is_empty()
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoGardensYet)}</p> }
            >
                <ul class="cards" data-testid="gardens">
                    <For each=gardens key=|row| row.clone() let:row>
                        <li>
                            <a class="card" href=Route::Site(id, row.0.clone()).href()>
                                <span class="card-title">{row.1.clone()}</span>
                                <span class="card-detail">{move || app.count(Key::PlotsCount, row.2)}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_garden novalidate>
                <TextField id="garden-name" label=Key::GardenName value=garden_name error=garden_error />
                <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::AddGarden)}</button>
            </form>
        </section>
        <section aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{move || app.t(Key::Meetings)}</h2>
            <Show when=move || group.with(|g| g.as_ref().is_some_and(|g| g.meetings.len() > 5))>
                <Filter id="meetings-filter" value=meeting_filter />
            </Show>
            <Show
                when=move || !meetings().is_empty()
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoMeetingsYet)}</p> }
            >
                <ul class="cards" data-testid="meetings">
                    <For each=meetings key=|row| row.clone() let:row>
                        <li>
                            <a class="card" href=Route::Meeting(id, row.0).href()>
                                <span class="card-title">{row.1.clone()}</span>
                                {(!row.2.is_empty()).then(|| {
                                    let day = row.2.clone();
                                    view! { <span class="card-detail">{move || crate::ui::components::local_date(app, &day)}</span> }
                                })}
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_meeting novalidate>
                <TextField id="meeting-title" label=Key::MeetingTitle value=meeting_title error=meeting_error />
                <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::AddMeeting)}</button>
            </form>
        </section>
    }
}
