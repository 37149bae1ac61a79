//! A group: its gardens, its members and its meetings.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::{Key, plot_count};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{PageTitle, TextField};
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
    let members = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.members_by_name()
                    .into_iter()
                    .map(|(m, member)| (m.clone(), member.name.clone()))
                    .collect::<Vec<_>>()
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
    let meetings = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.meetings_by_date()
                    .into_iter()
                    .filter_map(|(m, entry)| {
                        Some((DocumentId::parse(m).ok()?, entry.title.clone()))
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
    let member_name = RwSignal::new(String::new());
    let member_error = RwSignal::new(None::<String>);
    let add_member = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::AddMember {
            id: new_id(),
            name: member_name.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => member_name.set(String::new()),
            Err(refused) => member_error.set(Some(refused.message)),
        }
    };

    view! {
        <PageTitle title=title back="#/".to_owned() />
        <a class="button" href=Route::Share(id).href() data-testid="share-link">
            {move || app.t(Key::SyncAndInvite)}
        </a>
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
                                <span class="card-detail">{move || plot_count(app.lang.get(), row.2)}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_garden novalidate>
                <TextField id="garden-name" label=Key::GardenName value=garden_name error=garden_error />
                <button type="submit" class="primary">{move || app.t(Key::AddGarden)}</button>
            </form>
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{move || app.t(Key::Members)}</h2>
            <Show
                when=move || !members().is_empty()
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoMembersYet)}</p> }
            >
                <ul class="plain-list" data-testid="members">
                    <For each=members key=|row| row.clone() let:row>
                        <li>{row.1}</li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_member novalidate>
                <TextField id="member-name" label=Key::MemberName value=member_name error=member_error />
                <button type="submit" class="primary">{move || app.t(Key::AddMember)}</button>
            </form>
        </section>
        <section aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{move || app.t(Key::Meetings)}</h2>
            <Show
                when=move || !meetings().is_empty()
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoMeetingsYet)}</p> }
            >
                <ul class="cards" data-testid="meetings">
                    <For each=meetings key=|row| row.clone() let:row>
                        <li>
                            <a class="card" href=Route::Meeting(id, row.0).href()>
                                <span class="card-title">{row.1.clone()}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_meeting novalidate>
                <TextField id="meeting-title" label=Key::MeetingTitle value=meeting_title error=meeting_error />
                <button type="submit" class="primary">{move || app.t(Key::AddMeeting)}</button>
            </form>
        </section>
    }
}
