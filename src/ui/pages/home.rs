//! Home: the groups on this phone, starting a group, and the language.

use leptos::either::Either;
use leptos::prelude::*;

use crate::core::i18n::{Key, Lang};
use crate::core::route::Route;
use crate::ui::components::TextField;
use crate::ui::state::AppState;

#[component]
pub fn HomePage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match app.create_group(&name.get_untracked()) {
            Ok(id) => {
                name.set(String::new());
                let _ = window().location().set_hash(&Route::Group(id).href());
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    let groups = move || {
        let mut groups = app.groups.get();
        groups.sort_by(|a, b| crate::core::model::natural_cmp(&a.name, &b.name));
        groups
    };
    view! {
        <h1>{move || app.t(Key::YourGroups)}</h1>
        <Show
            when=move || !app.groups.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{move || app.t(Key::NoGroupsYet)}</p> }
        >
            <ul class="cards" data-testid="groups">
                <For each=groups key=|g| g.id.clone() let:group>
                    <li>
                        <a class="card" href=format!("#/g/{}", group.id)>
                            <span class="card-title">
                                {if group.name.is_empty() {
                                    // Joined by invite; its name comes with the group.
                                    Either::Left(move || app.t(Key::NewGroupArriving))
                                } else {
                                    Either::Right(group.name)
                                }}
                            </span>
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
        <form class="panel" on:submit=create novalidate>
            <h2>{move || app.t(Key::StartGroup)}</h2>
            <TextField id="group-name" label=Key::GroupName value=name error=error />
            <button type="submit" class="primary">{move || app.t(Key::CreateGroup)}</button>
        </form>
        <LanguagePicker />
        <Show when=move || app.offline_ready.get()>
            <p class="quiet" data-testid="offline-ready">"✓ "{move || app.t(Key::OfflineReady)}</p>
        </Show>
    }
}

#[component]
fn LanguagePicker() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <div class="panel">
            <label for="language">{move || app.t(Key::Language)}</label>
            <select
                id="language"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                        app.set_lang(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() lang=lang.tag() selected=move || app.lang.get() == lang>
                                {lang.own_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
