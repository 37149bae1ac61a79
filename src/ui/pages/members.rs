//! The group's members: find someone, add someone.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{Filter, PageTitle, TextField};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn MembersPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <MembersView id=id />
        </GroupGate>
    }
}

#[component]
fn MembersView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let filter = RwSignal::new(String::new());
    let rows = move || {
        let filter = filter.get();
        let me = app.me_in(id);
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.members_by_name()
                    .into_iter()
                    .filter(|(_, m)| matches_filter(&filter, &[&m.name, &m.languages, &m.contact]))
                    .map(|(member, m)| {
                        let mut roles = Vec::new();
                        if m.coordinator {
                            roles.push(Key::Coordinator);
                        }
                        if m.point_person {
                            roles.push(Key::PointPerson);
                        }
                        let mine = me.as_deref() == Some(member.as_str());
                        (
                            member.clone(),
                            m.name.clone(),
                            m.languages.clone(),
                            roles,
                            mine,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::AddMember {
            id: new_id(),
            name: name.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => name.set(String::new()),
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    view! {
        <PageTitle title=Signal::derive(move || app.t(Key::Members).to_owned()) back=Route::Group(id).href() />
        <Filter id="members-filter" value=filter />
        <Show
            when=move || !rows().is_empty()
            fallback=move || view! { <p class="empty">{move || app.t(Key::NoMembersYet)}</p> }
        >
            <ul class="cards" data-testid="members">
                <For each=rows key=|row| row.clone() let:row>
                    <li>
                        <a class="card" href=Route::Member(id, row.0.clone()).href()>
                            <span class="card-title">{row.1.clone()}</span>
                            {row.4.then(|| view! { <span class="badge me">{move || app.t(Key::ThisIsYou)}</span> })}
                            {row.3.iter().map(|key| {
                                let key = *key;
                                view! { <span class="badge role">{move || app.t(key)}</span> }
                            }).collect_view()}
                            {(!row.2.is_empty()).then(|| view! { <span class="card-detail">{row.2.clone()}</span> })}
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <form class="panel" on:submit=add novalidate>
            <h2>{move || app.t(Key::AddMember)}</h2>
            <TextField id="member-name" label=Key::MemberName value=name error=error />
            <button type="submit" class="primary">{move || app.t(Key::AddMember)}</button>
        </form>
    }
}
