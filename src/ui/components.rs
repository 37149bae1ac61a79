//! Pieces several pages share.

use leptos::prelude::*;

use super::state::AppState;
use crate::core::i18n::Key;
use crate::core::model::PlotStatus;
use crate::core::repo::DocumentId;
use crate::core::repo::sync::{Link, Trouble};
use crate::web::transport::ServerState;

/// Where the member's data stands: saved on this phone, saving, or not saved;
/// and whether the phone is offline.
#[component]
pub fn StatusBar() -> impl IntoView {
    let app = expect_context::<AppState>();
    let saved = move || {
        if app.save_error.get().is_some() || app.storage_error.get().is_some() {
            ("status warn", app.t(Key::NotSaved))
        } else if app.pending.get() > 0 {
            ("status busy", app.t(Key::Saving))
        } else {
            ("status ok", app.t(Key::SavedOnPhone))
        }
    };
    view! {
        <div class="status-bar" role="status" aria-live="polite">
            <span class=move || saved().0 data-testid="save-status">{move || saved().1}</span>
            <Show when=move || !app.online.get()>
                <span class="status offline" data-testid="offline">{move || app.t(Key::Offline)}</span>
            </Show>
            {move || app.route.get().group().map(|id| view! { <SyncLine id=id /> })}
        </div>
    }
}

/// The host part of a server address, as members know the server.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// How a group's sync server connection stands, in one short phrase.
fn server_phrase(app: AppState, id: DocumentId) -> (&'static str, String) {
    let Some(url) = app.server_of(id) else {
        return ("status", app.t(Key::NotSyncing).to_owned());
    };
    let server = host(&url);
    let state = app.servers.with(|servers| servers.get(&url).cloned());
    match state {
        Some(ServerState::Connected) => {
            ("status ok", app.tf(Key::SyncedWith, &[("server", &server)]))
        }
        Some(ServerState::Waiting { retry_ms }) => (
            "status warn",
            app.tf(
                Key::RetryingIn,
                &[
                    ("server", &server),
                    ("seconds", &(retry_ms / 1000).to_string()),
                ],
            ),
        ),
        Some(ServerState::BadAddress) => (
            "status warn",
            app.tf(Key::BadServerAddress, &[("server", &server)]),
        ),
        Some(ServerState::Connecting) | None => (
            "status busy",
            app.tf(Key::ConnectingTo, &[("server", &server)]),
        ),
    }
}

/// What the member should know about a peer's bad input.
fn trouble_text(app: AppState, trouble: &Trouble) -> String {
    match trouble {
        Trouble::Unreadable(_) | Trouble::Protocol(_) => app.t(Key::ErrSyncUnreadable).to_owned(),
        Trouble::Version => app.t(Key::ErrSyncVersion).to_owned(),
        Trouble::PeerSaid(message) => app.tf(Key::ErrSyncPeerSaid, &[("message", message)]),
    }
}

/// The status bar's sync phrase for the group on screen.
#[component]
fn SyncLine(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let phrase = move || server_phrase(app, id);
    // What no other device has yet, so a member knows before leaving the garden.
    let unshared = move || {
        app.server_of(id)?;
        match app.unshared_changes(id) {
            0 => None,
            1 => Some(app.t(Key::UnsharedOne).to_owned()),
            n => Some(app.tf(Key::UnsharedOther, &[("count", &n.to_string())])),
        }
    };
    view! {
        <span class=move || phrase().0 data-testid="sync-status">{move || phrase().1}</span>
        {move || unshared().map(|text| view! { <span class="status warn" data-testid="unshared-bar">{text}</span> })}
    }
}

/// Everything about a group's sync: server, other tabs, what is only here,
/// when it last synced, and any trouble a peer caused.
#[component]
pub fn SyncDetails(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let tabs = move || {
        let count = app.peers().iter().filter(|p| p.link == Link::Bus).count();
        match count {
            0 => None,
            1 => Some(app.t(Key::OtherTabsOne).to_owned()),
            n => Some(app.tf(Key::OtherTabsOther, &[("count", &n.to_string())])),
        }
    };
    let unshared = move || {
        app.remote_tick.track();
        app.server_of(id)?;
        let count = app.unshared_changes(id);
        Some(match count {
            0 => app.t(Key::AllShared).to_owned(),
            1 => app.t(Key::UnsharedOne).to_owned(),
            n => app.tf(Key::UnsharedOther, &[("count", &n.to_string())]),
        })
    };
    let last = move || {
        let at = app.last_synced.get()?;
        let time = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            #[expect(clippy::cast_precision_loss, reason = "ms dates fit f64 exactly")]
            {
                at as f64
            },
        ))
        .to_locale_time_string(app.lang.get().tag());
        Some(app.tf(Key::LastSynced, &[("time", &String::from(time))]))
    };
    let trouble = move || {
        app.sync_trouble
            .with(|t| t.as_ref().map(|t| trouble_text(app, t)))
    };
    view! {
        <ul class="plain-list sync-details" data-testid="sync-details">
            <li class=move || server_phrase(app, id).0>{move || server_phrase(app, id).1}</li>
            {move || unshared().map(|text| view! { <li data-testid="unshared">{text}</li> })}
            {move || tabs().map(|text| view! { <li data-testid="tabs">{text}</li> })}
            {move || last().map(|text| view! { <li>{text}</li> })}
        </ul>
        {move || trouble().map(|text| view! { <p class="error" role="alert" data-testid="sync-trouble">{text}</p> })}
    }
}

/// A page's title with a way back up.
#[component]
pub fn PageTitle(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] back: Option<String>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <div class="page-title">
            {back.map(|href| view! {
                <a class="back" href=href aria-label=move || app.t(Key::Back)>"←"</a>
            })}
            <h1>{move || title.get()}</h1>
        </div>
    }
}

/// A labelled one-line text field whose error is announced and tied to it.
#[component]
pub fn TextField(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id>{move || app.t(label)}</label>
        <input
            id=id
            type="text"
            autocomplete="off"
            placeholder=move || hint.map(|key| app.t(key))
            aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
            aria-describedby=move || error.get().map(|_| described.clone())
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        />
        <FieldError id=error_id error=error />
    }
}

/// The error of a form field, read out when it appears.
#[component]
pub fn FieldError(id: String, error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p id=id class="field-error" role="alert">{move || error.get()}</p>
    }
}

/// A choice of plot status, each with a word and a shape so that status is
/// never told by colour alone.
#[component]
pub fn StatusSelect(id: &'static str, value: RwSignal<PlotStatus>) -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <label for=id>{move || app.t(Key::Status)}</label>
        <select
            id=id
            prop:value=move || value.get().as_str()
            on:change=move |ev| {
                if let Some(status) = PlotStatus::parse(&event_target_value(&ev)) {
                    value.set(status);
                }
            }
        >
            {PlotStatus::ALL
                .into_iter()
                .map(|status| {
                    view! {
                        <option value=status.as_str() selected=move || value.get() == status>
                            {move || app.t(status_key(status))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// The catalogue key naming a status.
pub const fn status_key(status: PlotStatus) -> Key {
    match status {
        PlotStatus::Available => Key::StatusAvailable,
        PlotStatus::Assigned => Key::StatusAssigned,
        PlotStatus::NeedsAttention => Key::StatusNeedsAttention,
    }
}

/// A plot's status as a badge: a symbol and a word.
#[component]
pub fn StatusBadge(status: PlotStatus) -> impl IntoView {
    let app = expect_context::<AppState>();
    let symbol = match status {
        PlotStatus::Available => "○",
        PlotStatus::Assigned => "●",
        PlotStatus::NeedsAttention => "!",
    };
    view! {
        <span class=format!("badge {}", status.as_str())>
            <span aria-hidden="true">{symbol}" "</span>
            {move || app.t(status_key(status))}
        </span>
    }
}
