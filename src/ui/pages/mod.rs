//! One file a page.

pub mod aid;
pub mod export;
pub mod group;
pub mod home;
pub mod join;
pub mod library;
pub mod log;
pub mod meeting;
pub mod member;
pub mod members;
pub mod minutes;
pub mod phones;
pub mod plot;
pub mod resource;
pub mod settings;
pub mod share;
pub mod shifts;
pub mod site;
pub mod tracked;

use leptos::prelude::*;

use super::state::{AppState, Opened};
use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::web::repo::OpenError;

#[derive(Clone, Debug, PartialEq)]
enum Gate {
    Loading,
    Fetching,
    Open { damaged: usize },
    Failed(OpenError),
}

/// Shows its children once the group is open, or says why it cannot be.
/// The children render once; they read the group through [`AppState::group`].
#[component]
pub fn GroupGate(id: DocumentId, children: ChildrenFn) -> impl IntoView {
    let app = expect_context::<AppState>();
    let gate = Memo::new(move |_| {
        app.opened.with(|opened| match opened {
            Some(Opened::Open {
                id: open, damaged, ..
            }) if *open == id => Gate::Open { damaged: *damaged },
            Some(Opened::Failed(open, error)) if *open == id => Gate::Failed(error.clone()),
            Some(Opened::Fetching(open)) if *open == id => Gate::Fetching,
            _ => Gate::Loading,
        })
    });
    // A sealed entry this phone's key does not open: said on every page of
    // the group, and while it is being looked for.
    let refused = move || {
        app.seal_refused(id).map(|why| match why {
            // The group went on with a new key this phone was not given.
            crate::core::seal::SealError::KeyChanged => view! {
                <p class="error" role="alert" data-testid="seal-key-changed">{move || app.t(Key::SealKeyChanged)}</p>
            }
            .into_any(),
            _ => view! {
                <p class="error" role="alert" data-testid="seal-refused">{move || app.t(Key::SealRefused)}</p>
            }
            .into_any(),
        })
    };
    let shown = move || {
        match gate.get() {
        Gate::Open { damaged } => {
            let warning = (damaged > 0).then(|| {
                let text =
                    move || app.tf(Key::ErrCorruptChunks, &[("count", &damaged.to_string())]);
                view! { <p class="error" role="alert" data-testid="damaged">{text}</p> }
            });
            // The copy here no longer reads after another phone's change:
            // said at once, on whichever page of the group is open.
            let stale_now = Memo::new(move |_| {
                app.opened.with(|o| matches!(o, Some(Opened::Open { id: open, stale: true, .. }) if *open == id))
            });
            let stale = move || {
                stale_now.get().then(|| {
                    view! { <p class="error" role="alert" data-testid="stale">{move || app.t(Key::GroupStale)}</p> }
                })
            };
            view! { {stale} {warning} {children()} }.into_any()
        }
        Gate::Failed(error) => {
            // An invite that found nothing: look again, or forget it.
            let not_found = matches!(error, OpenError::NotOnServer);
            let text = move || match &error {
                OpenError::NotHere => app.t(Key::GroupNotFound).to_owned(),
                OpenError::NotOnServer => app.t(Key::ErrNotOnServer).to_owned(),
                OpenError::Unreadable => app.t(Key::ErrUnreadable).to_owned(),
                OpenError::Storage(error) => app.tf(Key::ErrStorage, &[("error", &error.0)]),
            };
            view! {
                <p class="error" role="alert" data-testid="open-failed">{text}</p>
                <Show when=move || not_found>
                    <button type="button" class="primary" on:click=move |_| app.try_again(id)>
                        {move || app.t(Key::TryAgain)}
                    </button>
                    <RemoveArriving id=id />
                </Show>
                <a class="button" href="#/">{move || app.t(Key::Back)}</a>
            }
            .into_any()
        }
        Gate::Fetching => view! {
            <p class="notice" role="status" data-testid="fetching">{move || app.t(Key::FetchingGroup)}</p>
            <RemoveArriving id=id />
        }
        .into_any(),
        // Reading from IndexedDB takes a moment; show nothing, not a spinner.
        Gate::Loading => ().into_any(),
    }
    };
    // Shown from the cached first screen: said once, above the page.
    let waiting = Memo::new(move |_| app.early() == Some(id));
    view! {
        <Show when=move || waiting.get()>
            <p class="quiet" role="status" data-testid="first-screen-waiting">{move || app.t(Key::GettingReady)}</p>
        </Show>
        {refused}
        {shown}
    }
}

/// Forgets a group that has not arrived (there is nothing of it to save).
#[component]
fn RemoveArriving(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let remove = move |_| {
        leptos::task::spawn_local(async move {
            let _ = app.remove_group(id).await;
        });
    };
    view! {
        <button type="button" on:click=remove data-testid="remove-arriving">
            {move || app.t(Key::RemoveFromPhone)}
        </button>
    }
}

/// An address the app does not know, with the way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <h1>{move || app.t(Key::PageNotFound)}</h1>
        <p><a class="list-link" href="#/">{move || app.t(Key::YourGroups)}</a></p>
    }
}
