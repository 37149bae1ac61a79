//! An invite link opened: it asks before adding the group or contacting
//! the server it names, and never changes a group's server without asking.

use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::seal::GroupKey;
use crate::core::text::sync_server_address;
use crate::ui::state::AppState;

/// The host part of a server address, as members know the server.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

#[component]
pub fn JoinPage(
    group: DocumentId,
    server: Option<String>,
    /// The name the link gives the group (cleaned and bounded by the route).
    name: Option<String>,
    /// A sealed group's key (checked by the route).
    key: Option<String>,
    /// The link says the group is sealed (with its key or without).
    sealed: bool,
    /// The sealed log's generation when the link was made.
    generation: u32,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let key = key.and_then(|key| GroupKey::parse(&key).ok());
    // A sealed group's link that lost its key (a messenger cut it, someone
    // copied half): without the key nothing the server keeps can be read,
    // so the phone says so now and asks the server nothing, not even
    // whether it holds this group.
    if sealed && key.is_none() && app.key_of(group).is_none() {
        return view! {
            <h1>{move || app.t(Key::InviteTitle)}</h1>
            <p class="error" role="alert" data-testid="invite-needs-key">{move || app.t(Key::SealNeedsKey)}</p>
            <p><a class="list-link" href="#/">{move || app.t(Key::YourGroups)}</a></p>
        }
        .into_any();
    }
    let sealed_note = key.is_some().then(|| {
        view! { <p data-testid="invite-sealed">{move || app.t(Key::InviteSealed)}</p> }
    });
    // A server that is not a WebSocket address came from a damaged link.
    let Ok(server) = server
        .map(|s| sync_server_address(&s).ok_or(()))
        .transpose()
    else {
        return BadInvitePage().into_any();
    };
    let held = app.groups.with_untracked(|groups| {
        let id = group.to_string();
        groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| (g.name.clone(), g.server.clone()))
    });
    let go_to_group = move || {
        let _ = window().location().replace(&Route::Group(group).href());
    };
    match (held, server) {
        // On this phone already, and the invite changes nothing: open it.
        (Some((_, current)), invited)
            if (invited.is_none() || invited == current)
                && key
                    .as_ref()
                    .is_none_or(|k| app.key_of(group).as_deref() == Some(k.to_text().as_str())) =>
        {
            go_to_group();
            ().into_any()
        }
        // On this phone with another server: ask before switching.
        // (The same server with a new key is asked like a join, below.)
        (Some((name, Some(current))), Some(invited)) if invited != current => {
            let (from, to) = (host(&current), host(&invited));
            let text = app.tf(
                Key::InviteChangeServer,
                &[("current", &from), ("server", &to)],
            );
            let keep = app.tf(Key::InviteKeepServer, &[("current", &from)]);
            let switch = app.tf(Key::InviteSwitch, &[("server", &to)]);
            view! {
                <h1>{name}</h1>
                <p data-testid="invite-change-server">{text}</p>
                <div class="row">
                    <button type="button" class="primary" data-testid="invite-switch"
                        disabled=move || !app.ready.get()
                        on:click={
                            let key = key.clone();
                            move |_| app.accept_invite(group, Some(invited.clone()), key.clone(), generation)
                        }>
                        {switch}
                    </button>
                    <button type="button" data-testid="invite-keep" on:click=move |_| go_to_group()>{keep}</button>
                </div>
            }
            .into_any()
        }
        // Not on this phone (or without a server yet): say what joining
        // means, and do nothing until the member says so.
        (held, invited) => {
            // The group's own name when this phone has it; else the name
            // the link gives, said to be the link's; else "a group".
            let own = held.map(|(name, _)| name).filter(|name| !name.is_empty());
            let ask = match (own, name) {
                (Some(own), _) => app.tf(Key::InviteAsk, &[("group", &own)]),
                (None, Some(linked)) => app.tf(Key::InviteAskNamed, &[("group", &linked)]),
                (None, None) => {
                    app.tf(Key::InviteAsk, &[("group", app.t(Key::InviteGroupUnknown))])
                }
            };
            let where_ = invited.as_ref().map_or_else(
                || app.t(Key::InviteNoServer).to_owned(),
                |server| app.tf(Key::InviteServer, &[("server", &host(server))]),
            );
            view! {
                <h1>{app.t(Key::InviteTitle)}</h1>
                <p data-testid="invite-ask">{ask}</p>
                <p data-testid="invite-server">{where_}</p>
                {sealed_note}
                <div class="row">
                    // The engine's chunk may still be on its way on a first visit.
                    <button type="button" class="primary" data-testid="invite-join"
                        disabled=move || !app.ready.get()
                        on:click=move |_| app.accept_invite(group, invited.clone(), key.clone(), generation)>
                        {move || app.t(if app.ready.get() { Key::InviteJoin } else { Key::GettingReady })}
                    </button>
                    <a class="button" href="#/" data-testid="invite-not-now">{app.t(Key::InviteNotNow)}</a>
                </div>
            }
            .into_any()
        }
    }
}

/// An invite link cut short or damaged on the way.
#[component]
pub fn BadInvitePage() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <h1>{move || app.t(Key::InviteTitle)}</h1>
        <p class="error" role="alert" data-testid="invite-incomplete">{move || app.t(Key::InviteIncomplete)}</p>
        <p><a class="list-link" href="#/">{move || app.t(Key::YourGroups)}</a></p>
    }
}
