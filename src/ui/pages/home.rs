//! Home: the groups on this phone, what needs the member, starting a group.

use leptos::either::Either;
use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::TextField;
use crate::ui::needs_me::NeedsMe;
use crate::ui::state::AppState;

#[component]
pub fn HomePage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sealed = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match app.create_group(&name.get_untracked()) {
            Ok(id) => {
                if sealed.get_untracked() {
                    app.seal_group(id);
                }
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
    // The groups where this phone knows who the member is.
    let mine = move || {
        app.groups.with(|groups| {
            groups
                .iter()
                .filter_map(|g| DocumentId::parse(&g.id).ok())
                .filter(|id| app.me_in(*id).is_some())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <For each=mine key=|id| *id let:id>
            <MyGroup id=id />
        </For>
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
            <label class="check">
                <input type="checkbox" data-testid="seal-new-group" prop:checked=move || sealed.get()
                    on:change=move |ev| sealed.set(event_target_checked(&ev)) />
                {move || app.t(Key::SealOnCreate)}
            </label>
            // The engine's chunk may still be on its way on a first visit.
            <button type="submit" class="primary" disabled=move || !app.ready.get()>
                {move || app.t(if app.ready.get() { Key::CreateGroup } else { Key::GettingReady })}
            </button>
        </form>
        <GroupFile />
        <Show when=move || app.offline_ready.get()>
            <p class="quiet" data-testid="offline-ready">"✓ "{move || app.t(Key::OfflineReady)}</p>
        </Show>
    }
}

/// A group brought onto this phone from an updates file a member sent.
#[component]
fn GroupFile() -> impl IntoView {
    let app = expect_context::<AppState>();
    let error = RwSignal::new(None::<Key>);
    let open = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let _ = app.store_when_open().await;
            let result = match crate::web::platform::read_file(&file).await {
                Ok(bytes) => app
                    .open_group_file(&bytes)
                    .map_err(super::phones::file_error_key),
                Err(_) => Err(Key::ErrFileDamaged),
            };
            match result {
                Ok(id) => {
                    error.set(None);
                    let _ = window().location().set_hash(&Route::Group(id).href());
                }
                Err(key) => error.set(Some(key)),
            }
        });
    };
    view! {
        <div class="panel">
            <h2>{move || app.t(Key::GroupFromFile)}</h2>
            <p class="quiet">{move || app.t(Key::GroupFromFileHint)}</p>
            <label class="button" for="group-file">{move || app.t(Key::OpenUpdatesFile)}</label>
            <input id="group-file" class="visually-hidden" type="file" on:change=open />
            {move || error.get().map(|key| view! { <p class="error" role="alert">{app.t(key)}</p> })}
        </div>
    }
}

/// What needs the member in one of their groups, read from the phone.
#[component]
fn MyGroup(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = RwSignal::new(None::<crate::ui::state::Shown>);
    Effect::new(move || {
        app.remote_tick.track();
        let Some(repo) = app.store() else { return };
        leptos::task::spawn_local(async move {
            if let Ok((read, _)) = repo.open_group(id).await {
                group.set(Some(crate::ui::state::Shown::new(read)));
            }
        });
    });
    let name = move || group.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    view! {
        <Show when=move || group.with(Option::is_some)>
            <p class="group-of-needs"><a href=Route::Group(id).href()>{name}</a></p>
            <NeedsMe id=id group=group />
        </Show>
    }
}
