//! Pieces several pages share.

use leptos::prelude::*;

use super::state::AppState;
use crate::core::i18n::{Key, Named};
use crate::core::model::PlotStatus;
use crate::core::repo::DocumentId;
use crate::core::repo::saving::{SaveState, is_disk_full};
use crate::core::repo::sync::{Link, Trouble};
use crate::web::transport::ServerState;

/// Where the member's data stands: saved on this phone, saving, or not
/// saved (and which group); offline; the group's sync. One line on a phone;
/// a tap opens the details, and a failed save opens them by itself.
#[component]
pub fn StatusBar() -> impl IntoView {
    let app = expect_context::<AppState>();
    let failed = move || {
        app.unsaved.with(|unsaved| {
            unsaved.iter().find_map(|(key, state)| match state {
                SaveState::Failed { error, .. } => Some((*key, error.clone())),
                _ => None,
            })
        })
    };
    let open = RwSignal::new(false);
    // Closed, the line must fit a 360 px phone in every language: where
    // the sync phrase or "Offline" shares it, "Saved" is said short (the
    // full words stay for screen readers, and show once it is open).
    let crowded = move || !open.get() && (!app.online.get() || app.route.get().group().is_some());
    // A Memo: the line is redrawn when what it says changes, not whenever
    // the save list is set.
    let saved = Memo::new(move |_| {
        if app.storage_error.get().is_some() {
            ("status warn", app.t(Key::NotSaved).to_owned(), None)
        } else if let Some((key, error)) = failed() {
            if is_disk_full(&error) {
                ("status warn", app.t(Key::DiskFullShort).to_owned(), None)
            } else {
                (
                    "status warn",
                    app.tf(Key::NotSavedIn, &[("group", &app.group_name_of(key))]),
                    None,
                )
            }
        } else if app.unsaved.with(|unsaved| !unsaved.is_empty()) {
            ("status busy", app.t(Key::Saving).to_owned(), None)
        } else {
            // Offline with changes not shared, the check alone says saved.
            let shortest =
                !app.online.get()
                    && app.route.get().group().is_some_and(|id| {
                        app.server_of(id).is_some() && app.unshared_changes(id) > 0
                    });
            let short = crowded().then(|| {
                if shortest {
                    String::new()
                } else {
                    app.t(Key::SavedShort).to_owned()
                }
            });
            ("status ok", app.t(Key::SavedOnPhone).to_owned(), short)
        }
    });
    // A failure is shown in full without a tap; the member may close it.
    Effect::new(move |was: Option<bool>| {
        let now = failed().is_some() || app.storage_error.with(Option::is_some);
        if now && was != Some(true) {
            open.set(true);
        }
        now
    });
    view! {
        <details
            class="status-bar"
            prop:open=move || open.get()
            on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }
        >
            <summary data-testid="status-summary">
                <span class="status-line" role="status" aria-live="polite">
                    <span class=move || saved.with(|s| s.0) data-testid="save-status">
                        {move || {
                            let (_, full, short) = saved.get();
                            view! { <Said full=full short=short /> }
                        }}
                    </span>
                    <Show when=move || !app.online.get()>
                        <span class="status offline" data-testid="offline">{move || app.t(Key::Offline)}</span>
                    </Show>
                    {move || app.route.get().group().map(|id| view! { <SyncLine id=id open=open /> })}
                </span>
            </summary>
            <SaveDetails />
        </details>
        <UpdateReady />
    }
}

/// Words of the status line: `short` when given (the closed line on a
/// phone), with `full` kept for screen readers; otherwise `full`.
#[component]
fn Said(full: String, short: Option<String>) -> impl IntoView {
    match short {
        Some(short) => view! {
            <span aria-hidden="true" class="said-short">{short}</span>
            <span class="visually-hidden">{full}</span>
        }
        .into_any(),
        None => full.into_any(),
    }
}

/// What is not saved and why, with what to do about it.
#[component]
fn SaveDetails() -> impl IntoView {
    let app = expect_context::<AppState>();
    let problems = move || {
        app.unsaved.with(|unsaved| {
            unsaved
                .iter()
                .filter_map(|(key, state)| match state {
                    SaveState::Failed { error, .. } => Some((*key, error.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    };
    let message = move || {
        if let Some(error) = app.storage_error.get() {
            return Some(error);
        }
        let problems = problems();
        let (_, error) = problems.first()?;
        Some(if is_disk_full(error) {
            app.t(Key::DiskFull).to_owned()
        } else {
            app.tf(Key::SaveFailed, &[("error", error)])
        })
    };
    let groups = move || {
        let mut names: Vec<String> = problems()
            .into_iter()
            .map(|(key, _)| app.group_name_of(key))
            .collect();
        names.dedup();
        names
    };
    view! {
        <div class="status-details" data-testid="status-details">
            {move || message().map(|text| view! {
                <p class="save-problem" role="alert" data-testid="save-problem">{text}</p>
                <ul class="plain-list">
                    {groups().into_iter().map(|name| view! {
                        <li>{app.tf(Key::NotSavedIn, &[("group", &name)])}</li>
                    }).collect_view()}
                </ul>
                <button type="button" on:click=move |_| app.retry_saves() data-testid="retry-save">
                    {move || app.t(Key::TryAgain)}
                </button>
            })}
            <Show when=move || app.unsaved.with(|u| !u.is_empty()) && message().is_none()>
                <p>{move || app.t(Key::UnsavedWarning)}</p>
            </Show>
            {move || app.route.get().group().map(|id| view! {
                <p><a href=crate::core::route::Route::Share(id).href()>{move || app.t(Key::SyncAndInvite)}</a></p>
            })}
        </div>
    }
}

/// "A new version is ready · Reload", once a new build is installed.
#[component]
fn UpdateReady() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <Show when=move || app.update_ready.get()>
            <p class="update-ready" role="status" data-testid="update-ready">
                {move || app.t(Key::NewVersion)}" · "
                <button type="button" class="link" on:click=move |_| crate::web::platform::reload_to_update()>
                    {move || app.t(Key::Reload)}
                </button>
            </p>
        </Show>
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
    if key_changed(app, id) {
        return ("status warn", app.t(Key::SyncPausedShort).to_owned());
    }
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
        Some(ServerState::Held) => (
            "status warn",
            app.tf(Key::ServerHeld, &[("server", &server)]),
        ),
        Some(ServerState::Connecting) | None => (
            "status busy",
            app.tf(Key::ConnectingTo, &[("server", &server)]),
        ),
    }
}

/// What the member should know about a peer's bad input, naming the peer
/// as the member knows it (a server by its host, a phone by its name).
fn trouble_text(app: AppState, peer: &str, trouble: &Trouble) -> String {
    let peer = match peer {
        "" => String::new(),
        "tabs" => app.t(Key::AnotherTab).to_owned(),
        url if url.contains("://") => host(url),
        name => name.to_owned(),
    };
    match trouble {
        Trouble::Unreadable(_) | Trouble::Protocol(_) if peer.is_empty() => {
            app.t(Key::ErrSyncUnreadable).to_owned()
        }
        Trouble::Unreadable(_) | Trouble::Protocol(_) => {
            app.tf(Key::ErrSyncPeerUnreadable, &[("peer", &peer)])
        }
        Trouble::Hostile(_) => app.tf(Key::ErrSyncPeerHostile, &[("peer", &peer)]),
        Trouble::Version => app.t(Key::ErrSyncVersion).to_owned(),
        Trouble::PeerSaid(message) => app.tf(Key::ErrSyncPeerSaid, &[("message", message)]),
    }
}

/// A sealed group whose key changed on other phones: connected or not, its
/// server no longer carries this phone's changes to anyone (reactive).
fn key_changed(app: AppState, id: DocumentId) -> bool {
    app.seal_refused(id) == Some(crate::core::seal::SealError::KeyChanged)
}

/// The closed status line's word for the sync server: short, no address.
fn server_word(app: AppState, id: DocumentId) -> &'static str {
    let Some(url) = app.server_of(id) else {
        return app.t(Key::NoServerShort);
    };
    if key_changed(app, id) {
        return app.t(Key::SyncPausedShort);
    }
    match app.servers.with(|servers| servers.get(&url).cloned()) {
        Some(ServerState::Connected) => app.t(Key::SyncedShort),
        Some(ServerState::Waiting { .. }) => app.t(Key::UnreachableShort),
        Some(ServerState::BadAddress | ServerState::Held) => app.t(Key::SyncPausedShort),
        Some(ServerState::Connecting) | None => app.t(Key::ConnectingShort),
    }
}

/// The status bar's sync phrase for the group on screen.
#[component]
fn SyncLine(id: DocumentId, open: RwSignal<bool>) -> impl IntoView {
    let app = expect_context::<AppState>();
    let phrase = move || server_phrase(app, id);
    let short = move || (!open.get()).then(|| server_word(app, id).to_owned());
    // What no other device has yet, so a member knows before leaving the garden.
    let unshared = move || {
        app.server_of(id)?;
        match app.unshared_changes(id) {
            0 => None,
            n => Some((
                app.count(Key::UnsharedCount, n),
                (!open.get()).then(|| app.count(Key::UnsharedShort, n)),
            )),
        }
    };
    // The phones of the meeting room this one syncs with, and whether
    // every one of them holds all this phone holds.
    let room = move || {
        let now = crate::web::platform::now_ms();
        let (count, agreed) = crate::ui::meet::rooms().with(|rooms| {
            let room = rooms.get(&id)?;
            let count = room.count(now);
            let mine = app.store()?.room_holding(id);
            (count > 0).then(|| (count, room.up_to_date_with(&mine, now)))
        })?;
        let (class, key) = if agreed {
            ("status ok", Key::RoomUpToDate)
        } else {
            ("status busy", Key::RoomCatchingUp)
        };
        Some((
            class,
            app.count(key, count),
            (!open.get()).then(|| app.count(Key::RoomShort, count)),
        ))
    };
    // Closed, a count not shared leaves no room for the server's state:
    // the count says what matters, a tap says why. A paused server (it
    // needs the member) keeps its word. With no server, phones syncing
    // here say so instead of "no sync server".
    let word_shown = move || {
        (app.server_of(id).is_some() || room().is_none()) && (open.get() || unshared().is_none())
            || app.server_of(id).is_some_and(|url| {
                app.servers.with(|servers| {
                    matches!(
                        servers.get(&url),
                        Some(ServerState::Held | ServerState::BadAddress)
                    )
                })
            })
            || key_changed(app, id)
    };
    view! {
        {move || unshared().map(|(full, short)| view! {
            <span class="status warn unshared" data-testid="unshared-bar"><Said full=full short=short /></span>
        })}
        {move || room().map(|(class, full, short)| view! {
            <span class=format!("{class} room-phrase") data-testid="room-status"><Said full=full short=short /></span>
        })}
        <Show when=word_shown>
            <span class=move || format!("{} sync-phrase", phrase().0) data-testid="sync-status">
                {move || view! { <Said full=phrase().1 short=short() /> }}
            </span>
        </Show>
    }
}

/// Everything about a group's sync: server, other tabs, what is only here,
/// when it last synced, and any trouble a peer caused.
#[component]
pub fn SyncDetails(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let tabs = move || {
        let count = app.peers().iter().filter(|p| p.link == Link::Bus).count();
        (count > 0).then(|| app.count(Key::OtherTabsCount, count))
    };
    // What the group's server lacks of the group and its meetings, from
    // what it said it has (now, or when last connected).
    let on_server = move || {
        app.remote_tick.track();
        Some(match app.missing_on_server(id)? {
            0 => app.t(Key::AllShared).to_owned(),
            n => app.count(Key::ServerMissingCount, n),
        })
    };
    // And what no other device at all is known to have.
    let only_here = move || {
        app.server_of(id)?;
        match app.unshared_changes(id) {
            0 => None,
            n => Some(app.count(Key::UnsharedCount, n)),
        }
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
            .with(|t| t.as_ref().map(|(peer, t)| trouble_text(app, peer, t)))
    };
    // The app stopped while reading this server last time: keep it or drop it.
    let held = move || {
        let url = app.server_of(id)?;
        let held = app
            .servers
            .with(|s| s.get(&url) == Some(&ServerState::Held));
        held.then_some(url)
    };
    view! {
        <ul class="plain-list sync-details" data-testid="sync-details">
            <li class=move || server_phrase(app, id).0>{move || server_phrase(app, id).1}</li>
            {move || on_server().map(|text| view! { <li data-testid="unshared">{text}</li> })}
            {move || only_here().map(|text| view! { <li data-testid="only-here">{text}</li> })}
            {move || tabs().map(|text| view! { <li data-testid="tabs">{text}</li> })}
            {move || last().map(|text| view! { <li>{text}</li> })}
        </ul>
        {move || trouble().map(|text| view! { <p class="error" role="alert" data-testid="sync-trouble">{text}</p> })}
        {move || held().map(|url| {
            let (keep, drop) = (url.clone(), url);
            view! {
                <div class="row" data-testid="server-held">
                    <button type="button" on:click=move |_| app.keep_held_server(&keep)>{app.t(Key::ConnectAgain)}</button>
                    <button type="button" on:click=move |_| app.drop_held_server(&drop)>{app.t(Key::StopUsingServer)}</button>
                </div>
            }
        })}
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

/// A labelled text box for longer words: a decision, a note.
#[component]
pub fn TextArea(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id>{move || app.t(label)}</label>
        <textarea
            id=id
            rows=rows
            aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
            aria-describedby=move || error.get().map(|_| described.clone())
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        ></textarea>
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
                .iter()
                .copied()
                .map(|status| {
                    view! {
                        <option value=status.as_str() selected=move || value.get() == status>
                            {move || app.t(status.key())}
                        </option>
                    }
                })
                .collect_view()}
            // A status from a newer version: shown as such, kept unless changed.
            {move || (value.get() == PlotStatus::Unknown).then(|| view! {
                <option value="unknown" selected=true disabled=true>{move || app.t(Key::UnknownValue)}</option>
            })}
        </select>
    }
}

/// The catalogue key naming a status.
/// A plot's status as a badge: a symbol and a word.
#[component]
pub fn StatusBadge(status: PlotStatus) -> impl IntoView {
    let app = expect_context::<AppState>();
    let symbol = match status {
        PlotStatus::Available => "○",
        PlotStatus::Assigned => "●",
        PlotStatus::NeedsAttention => "!",
        PlotStatus::Fallow => "~",
        // From a newer version: kept, shown as unknown.
        PlotStatus::Unknown => "?",
    };
    view! {
        <span class=format!("badge {}", status.as_str())>
            <span aria-hidden="true">{symbol}" "</span>
            {move || app.t(status.key())}
        </span>
    }
}

/// A labelled choice among a fixed set of values (a status, a category),
/// each named in the member's language.
#[component]
pub fn Choice<T>(
    id: &'static str,
    label: Key,
    value: RwSignal<T>,
    all: &'static [T],
    as_str: fn(T) -> &'static str,
) -> impl IntoView
where
    T: Named + PartialEq + Send + Sync + 'static,
{
    let app = expect_context::<AppState>();
    view! {
        <label for=id>{move || app.t(label)}</label>
        <select
            id=id
            on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(found) = all.iter().find(|v| as_str(**v) == chosen) {
                    value.set(*found);
                }
            }
        >
            {all
                .iter()
                .copied()
                .map(|option| {
                    view! {
                        <option value=as_str(option) selected=move || value.get() == option>
                            {move || app.t(option.key())}
                        </option>
                    }
                })
                .collect_view()}
            // A value from a newer version: shown as such, kept unless changed.
            {move || (value.get().key() == Key::UnknownValue).then(|| view! {
                <option value="unknown" selected=true disabled=true>{move || app.t(Key::UnknownValue)}</option>
            })}
        </select>
    }
}

/// A labelled choice of a member, or nobody when `none` names that choice.
#[component]
pub fn MemberSelect(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] members: Signal<Vec<(String, String)>>,
    #[prop(optional)] none: Option<Key>,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <label for=id>{move || app.t(label)}</label>
        <select
            id=id
            aria-describedby=move || error.get().map(|_| described.clone())
            on:change=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        >
            <option value="" selected=move || value.get().is_empty()>
                {move || app.t(none.unwrap_or(Key::ChooseMember))}
            </option>
            <For each=move || members.get() key=|row| row.clone() let:row>
                <option value=row.0.clone() selected=move || value.get() == row.0>
                    {row.1.clone()}
                </option>
            </For>
        </select>
        <FieldError id=error_id error=error />
    }
}

/// A labelled field of another input type (date, time, number), its error
/// announced and tied to it.
#[component]
pub fn InputField(
    id: &'static str,
    label: Key,
    kind: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] error: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let hint_id = format!("{id}-hint");
    let hint_ref = hint_id.clone();
    view! {
        <label for=id>{move || app.t(label)}</label>
        {hint.map(|key| view! { <p id=hint_id.clone() class="hint">{move || app.t(key)}</p> })}
        <input
            id=id
            // A decimal is typed as text, so "2,5" works in every language.
            type=if kind == "decimal" { "text" } else { kind }
            inputmode=match kind { "decimal" => Some("decimal"), "number" => Some("numeric"), _ => None }
            aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
            aria-describedby=move || {
                let mut ids = Vec::new();
                if hint.is_some() {
                    ids.push(hint_ref.clone());
                }
                if error.get().is_some() {
                    ids.push(described.clone());
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            }
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        />
        <FieldError id=error_id error=error />
    }
}

/// A search box that filters the list below it.
#[component]
pub fn Filter(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <div class="filter">
            <label for=id>{move || app.t(Key::Filter)}</label>
            <input
                id=id
                type="search"
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// A small word-and-symbol badge, so nothing is told by colour alone.
#[component]
pub fn Badge(class: &'static str, symbol: &'static str, text: Key) -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <span class=format!("badge {class}")>
            <span aria-hidden="true">{symbol}" "</span>
            {move || app.t(text)}
        </span>
    }
}

/// Who changed an entry and when, newest first, from the document's own
/// changes.
#[component]
pub fn History(id: DocumentId, item: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let open = RwSignal::new(false);
    let events = move || {
        open.get().then(|| {
            app.remote_tick.track();
            group.track();
            app.store()
                .map(|repo| repo.history(id, &item))
                .unwrap_or_default()
        })
    };
    let name_of = move |member: Option<String>| {
        member
            .and_then(|m| group.with_untracked(|g| g.as_ref()?.member_name(&m).map(str::to_owned)))
            .unwrap_or_else(|| app.t(Key::SomeoneUnknown).to_owned())
    };
    view! {
        <details class="panel history" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            let shown = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.set(shown);
        }>
            <summary>{move || app.t(Key::History)}</summary>
            <ul class="plain-list" data-testid="history">
                {move || {
                    events()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|event| {
                            let when = local_time(app, event.at * 1000);
                            let who = name_of(event.by);
                            let what = crate::core::i18n::history_key(&event.action);
                            view! { <li>{move || app.tf(Key::ChangedBy, &[("what", app.t(what)), ("name", &who), ("when", &when)])}</li> }
                        })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}

/// A moment as the member's locale writes a date and time.
pub fn local_time(app: AppState, ms: i64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "ms dates fit f64 exactly")]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let tag = app.lang.get_untracked().tag();
    // Hours and minutes: seconds are noise to a member.
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    format!(
        "{} {}",
        String::from(date.to_locale_date_string(tag, &wasm_bindgen::JsValue::UNDEFINED)),
        String::from(date.to_locale_time_string_with_options(tag, &options))
    )
}

/// A `YYYY-MM-DD` date as the member's locale writes it.
pub fn local_date(app: AppState, date: &str) -> String {
    let Some(day) = crate::core::date::Date::parse(date) else {
        return date.to_owned();
    };
    let tag = app.lang.get().tag();
    // Noon UTC, so that no time zone moves it to another day.
    #[expect(clippy::cast_precision_loss, reason = "ms dates fit f64 exactly")]
    let ms = (day.days() * 86_400_000 + 43_200_000) as f64;
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
    let _ = js_sys::Reflect::set(&options, &"year".into(), &"numeric".into());
    String::from(
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
            .to_locale_date_string(tag, &options),
    )
}

/// The group's member names, by name, as the group changes.
pub fn member_names(app: AppState, id: DocumentId) -> Signal<Vec<(String, String)>> {
    let group = app.group(id);
    // A Memo: a list of members redraws only when a name changes.
    Memo::new(move |_| group.with(|g| g.as_ref().map(|g| g.member_names()).unwrap_or_default()))
        .into()
}
