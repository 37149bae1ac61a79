//! The Leptos UI: the app frame, its pages (one file each) and shared pieces.
//!
//! **Architecture Invariant:** components never touch automerge; they send
//! commands through [`state::AppState`] and render the hydrated group.

mod components;
mod later;
mod meet;
mod needs_me;
mod pages;
pub mod state;

use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::route::Route;
use components::StatusBar;
use state::AppState;

/// Starts the app in the page's `<body>`.
pub fn mount() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(App);
}

/// Shows Rust panics in the console instead of a bare "unreachable".
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}

/// A page from a chunk: shown once fetched; if it cannot be fetched, says so
/// and offers to try again.
fn fetched<F, Fut>(load: F) -> AnyView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = later::Later> + 'static,
{
    let app = expect_context::<AppState>();
    let attempt = RwSignal::new(0_u32);
    let load = std::sync::Arc::new(load);
    (move || {
        attempt.track();
        let load = load.clone();
        Suspend::new(send_wrapper::SendWrapper::new(async move {
            match load().await {
                Ok(page) => page,
                Err(later::Unfetched) => view! {
                    <p class="error" role="alert" data-testid="page-unfetched">{move || app.t(Key::PageUnfetched)}</p>
                    <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>{move || app.t(Key::TryAgain)}</button>
                }
                .into_any(),
            }
        }))
    })
    .into_any()
}

#[component]
fn App() -> impl IntoView {
    let app = AppState::start();
    provide_context(app);
    provide_context(meet::Meet::new(app));
    // A page is drawn anew only when this changes, not whenever it is set.
    let chosen = Memo::new(move |_| app.lang_chosen.get());
    // A group's first screen shows from its cached copy before the engine
    // is here; one Memo, so the engine's arrival does not redraw the page
    // (nor lose what the member typed).
    let group_shows = Memo::new(move |_| {
        app.ready.get()
            || app
                .early()
                .is_some_and(|id| app.route.with(Route::group) == Some(id))
    });
    let page = move || {
        match app.route.get() {
        // What a member sees first is in the first download, and shows
        // before the engine's chunk is here.
        Route::Home => pages::home::HomePage().into_any(),
        // An invite asks before it adds a group or contacts a server.
        Route::Join {
            group,
            server,
            name,
            key,
            sealed,
            generation,
        } => view! { <pages::join::JoinPage group=group server=server name=name key=key sealed=sealed generation=generation /> }
            .into_any(),
        Route::BadInvite => pages::join::BadInvitePage().into_any(),
        Route::NotFound => pages::NotFoundPage().into_any(),
        Route::Settings => fetched(later::settings),
        Route::Group(id) if group_shows.get() => view! { <pages::group::GroupPage id=id /> }.into_any(),
        Route::Site(id, site) if group_shows.get() => view! { <pages::site::SitePage id=id site=site /> }.into_any(),
        // Every page of a group reads it, so waits for the engine.
        _ if !app.ready.get() => {
            view! { <p class="quiet" data-testid="getting-ready">{move || app.t(Key::GettingReady)}</p> }
                .into_any()
        }
        Route::Group(id) => view! { <pages::group::GroupPage id=id /> }.into_any(),
        Route::Site(id, site) => view! { <pages::site::SitePage id=id site=site /> }.into_any(),
        // Every other page is fetched when first opened.
        Route::Plot(id, plot) => fetched(move || later::plot(id, plot.clone())),
        Route::Share(id) => fetched(move || later::share(id)),
        Route::Phones(id) => fetched(move || later::phones(id)),
        Route::Meet(code) => fetched(move || later::meet_link(code.clone())),
        Route::Meeting(id, meeting) => fetched(move || later::meeting(id, meeting)),
        Route::Members(id) => fetched(move || later::members(id)),
        Route::Member(id, member) => fetched(move || later::member(id, member.clone())),
        Route::Library(id) => fetched(move || later::library(id)),
        Route::Resource(id, resource) => fetched(move || later::resource(id, resource.clone())),
        Route::Aid(id) => fetched(move || later::aid(id)),
        Route::Minutes(id, meeting) => fetched(move || later::minutes(id, meeting)),
        Route::Shifts(id, site) => fetched(move || later::shifts(id, site.clone())),
        Route::Log(id, site) => fetched(move || later::log(id, site.clone())),
        Route::Export(id) => fetched(move || later::export(id)),
    }
    };
    view! {
        <header class="top">
            <a class="brand" href="#/">{move || app.t(Key::AppName)}</a>
            <StatusBar />
            <Show when=move || app.lang_chosen.get()>
                <a class="lang-link" href=Route::Settings.href() data-testid="settings-link">
                    // A globe drawn here: phones without an emoji font show 🌐 as a box.
                    <svg class="globe" aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2">
                        <circle cx="12" cy="12" r="10" />
                        <path d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20" />
                    </svg>
                    <span class="visually-hidden">{move || app.t(Key::Language)}": "</span>
                    <span lang=move || app.lang.get().tag()>{move || app.lang.get().own_name()}</span>
                </a>
            </Show>
        </header>
        <main id="main">
            {move || app.storage_error.get().map(|error| view! { <p class="error" role="alert">{error}</p> })}
            <Show when=move || state::engine_unfetched().get()>
                <p class="error" role="alert" data-testid="engine-unfetched">{move || app.t(Key::EngineUnfetched)}</p>
            </Show>
            {move || if chosen.get() {
                page()
            } else {
                pages::settings::FirstRun().into_any()
            }}
        </main>
    }
}
