//! The Leptos UI: the app frame, its pages (one file each) and shared pieces.
//!
//! **Architecture Invariant:** components never touch automerge; they send
//! commands through [`state::AppState`] and render the hydrated group.

mod components;
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

#[component]
fn App() -> impl IntoView {
    let app = AppState::start();
    provide_context(app);
    provide_context(meet::Meet::new(app));
    let page = move || match app.route.get() {
        Route::Home => pages::home::HomePage().into_any(),
        Route::Settings => pages::settings::SettingsPage().into_any(),
        Route::Group(id) => view! { <pages::group::GroupPage id=id /> }.into_any(),
        Route::Site(id, site) => view! { <pages::site::SitePage id=id site=site /> }.into_any(),
        Route::Plot(id, plot) => view! { <pages::plot::PlotPage id=id plot=plot /> }.into_any(),
        Route::Share(id) => view! { <pages::share::SharePage id=id /> }.into_any(),
        Route::Phones(id) => view! { <pages::phones::PhonesPage id=id /> }.into_any(),
        Route::Meet(code) => view! { <pages::phones::MeetLink code=code /> }.into_any(),
        Route::Meeting(id, meeting) => {
            view! { <pages::meeting::MeetingPage id=id meeting=meeting /> }.into_any()
        }
        Route::Members(id) => view! { <pages::members::MembersPage id=id /> }.into_any(),
        Route::Member(id, member) => {
            view! { <pages::member::MemberPage id=id member=member /> }.into_any()
        }
        Route::Library(id) => view! { <pages::library::LibraryPage id=id /> }.into_any(),
        Route::Resource(id, resource) => {
            view! { <pages::resource::ResourcePage id=id resource=resource /> }.into_any()
        }
        // An invite asks before it adds a group or contacts a server.
        Route::Join {
            group,
            server,
            name,
        } => view! { <pages::join::JoinPage group=group server=server name=name /> }.into_any(),
        Route::BadInvite => pages::join::BadInvitePage().into_any(),
        Route::Aid(id) => view! { <pages::aid::AidPage id=id /> }.into_any(),
        Route::Minutes(id, meeting) => {
            view! { <pages::minutes::MinutesPage id=id meeting=meeting /> }.into_any()
        }
        Route::Shifts(id, site) => {
            view! { <pages::shifts::ShiftsPage id=id site=site /> }.into_any()
        }
        Route::Log(id, site) => view! { <pages::log::LogPage id=id site=site /> }.into_any(),
        Route::Export(id) => view! { <pages::export::ExportPage id=id /> }.into_any(),
        Route::NotFound => pages::NotFoundPage().into_any(),
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
            {move || match (app.ready.get(), app.lang_chosen.get()) {
                (true, true) => Some(page()),
                (true, false) => Some(pages::settings::FirstRun().into_any()),
                (false, _) => None,
            }}
        </main>
    }
}
