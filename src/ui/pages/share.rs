//! Sync and invite: the group's sync server on this phone, where syncing
//! stands, and the invite link with its QR code.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::i18n::Key;
use crate::core::qr;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::sync_server_address;
use crate::ui::components::{PageTitle, SyncDetails, TextField};
use crate::ui::state::AppState;
use crate::web::platform;

#[component]
pub fn SharePage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <ShareView id=id />
        </GroupGate>
    }
}

#[component]
fn ShareView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let server = RwSignal::new(app.server_of(id).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved_server = Memo::new(move |_| {
        app.groups.track();
        app.server_of(id)
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match sync_server_address(&server.get_untracked()) {
            Some(address) => {
                server.set(address.clone());
                app.set_server(id, Some(address));
            }
            None => error.set(Some(app.t(Key::ErrServerAddress).to_owned())),
        }
    };
    let stop = move |_| {
        server.set(String::new());
        app.set_server(id, None);
    };
    let invite = Memo::new(move |_| {
        saved_server.get().map(|server| {
            let location = window().location();
            let page = format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            );
            // The group's name rides along, so the invite can say which
            // group before anything is fetched.
            let join = Route::Join {
                group: id,
                server: Some(server),
                name: app
                    .group(id)
                    .get()
                    .map(|g| g.name.clone())
                    .filter(|n| !n.is_empty()),
                // A sealed group's key rides in the fragment too, which
                // browsers never send to a web server.
                key: app.key_of(id),
                sealed: app.key_of(id).is_some(),
                generation: app.sealed_generation(id),
            };
            format!("{page}{}", join.href())
        })
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(link) = invite.get_untracked() {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&link);
            copied.set(true);
        }
    };
    let title = Signal::derive(move || app.t(Key::SyncAndInvite).to_owned());

    view! {
        <PageTitle title=title back=Route::Group(id).href() />
        <form class="panel" on:submit=save novalidate>
            <TextField id="sync-server" label=Key::SyncServer value=server hint=Key::SyncServerHint error=error />
            <button type="submit" class="primary">{move || app.t(Key::Save)}</button>
            <Show when=move || saved_server.get().is_some()>
                <button type="button" on:click=stop>{move || app.t(Key::StopSyncing)}</button>
            </Show>
        </form>
        <SyncDetails id=id />
        <SealPanel id=id has_server=Signal::derive(move || saved_server.get().is_some()) />
        <p><a class="button" href=Route::Phones(id).href()>{move || app.t(Key::PhonesHere)}</a></p>
        <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{move || app.t(Key::InviteLink)}</h2>
            {move || match invite.get() {
                None => view! { <p class="quiet">{move || app.t(Key::InviteNeedsServer)}</p> }.into_any(),
                Some(link) => {
                    let svg = qr::svg(&link).unwrap_or_default();
                    view! {
                        <p class="quiet">{move || app.t(Key::InviteHint)}</p>
                        <input
                            id="invite-link"
                            type="text"
                            readonly
                            aria-label=move || app.t(Key::InviteLink)
                            prop:value=link
                            data-testid="invite-link"
                        />
                        <button type="button" on:click=copy>
                            {move || if copied.get() { app.t(Key::Copied) } else { app.t(Key::CopyLink) }}
                        </button>
                        <div class="qr" role="img" aria-label=move || app.t(Key::InviteQr) inner_html=svg data-testid="invite-qr"></div>
                    }
                    .into_any()
                }
            }}
        </section>
        <RemoveGroup id=id />
    }
}

/// Sealing: offered while the group is not sealed; once it is, what the
/// sync server still sees, said plainly.
#[component]
fn SealPanel(id: DocumentId, has_server: Signal<bool>) -> impl IntoView {
    let app = expect_context::<AppState>();
    let sealed = Memo::new(move |_| app.key_of(id).is_some());
    let sees = move || {
        let (count, bytes) = app.sealed_size(id).unwrap_or_default();
        // Tenths of a KB; a log is far below 2^32 bytes.
        let tenths = u32::try_from(bytes.div_ceil(102)).unwrap_or(u32::MAX);
        let size = app.number(f64::from(tenths) / 10.0);
        app.tf(
            Key::SealServerSees,
            &[("count", &count.to_string()), ("size", &size)],
        )
    };
    view! {
        <section class="panel" aria-labelledby="seal-heading" data-testid="seal-panel">
            <h2 id="seal-heading">{move || app.t(Key::SealedGroup)}</h2>
            <Show
                when=move || sealed.get()
                fallback=move || view! {
                    <p>{move || app.t(Key::SealOffer)}</p>
                    <Show when=move || has_server.get()>
                        <p class="quiet">{move || app.t(Key::SealBeforeKept)}</p>
                    </Show>
                    <button type="button" class="primary" data-testid="seal-group"
                        on:click=move |_| app.seal_group(id)>
                        {move || app.t(Key::SealGroup)}
                    </button>
                }
            >
                <p data-testid="sealed-on">{move || app.t(Key::SealedOn)}</p>
                <p class="quiet" data-testid="seal-server-sees">{sees}</p>
                <p class="quiet">{move || app.t(Key::ChangeKeyHint)}</p>
                <button type="button" data-testid="change-key" on:click=move |_| app.change_key(id)>
                    {move || app.t(Key::ChangeKey)}
                </button>
            </Show>
        </section>
    }
}

/// Removes the group from this phone, offering first to keep it as a file.
#[component]
fn RemoveGroup(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let name = move || {
        app.group(id)
            .get()
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let save_file = move |_| {
        let Some(bytes) = app.store().and_then(|repo| repo.updates_file(id)) else {
            return;
        };
        let file_name = format!(
            "{}-{}.cgupdates",
            crate::core::text::file_stem(&name()),
            app.today.get_untracked()
        );
        if let Err(why) = platform::download_bytes(&file_name, "application/octet-stream", &bytes) {
            error.set(Some(why));
        }
    };
    let remove = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(why) = app.remove_group(id).await {
                error.set(Some(app.tf(Key::ErrStorage, &[("error", &why)])));
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="remove-heading">
            <h2 id="remove-heading">{move || app.t(Key::RemoveFromPhone)}</h2>
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" on:click=move |_| asking.set(true) data-testid="remove-group">
                        {move || app.t(Key::RemoveFromPhone)}
                    </button>
                }
            >
                <p role="alert">{move || app.tf(Key::RemoveConfirm, &[("group", &name())])}</p>
                <button type="button" class="primary" on:click=save_file>{move || app.t(Key::SaveAsFile)}</button>
                <button type="button" class="danger" on:click=remove data-testid="remove-confirm">{move || app.t(Key::Remove)}</button>
                <button type="button" on:click=move |_| asking.set(false)>{move || app.t(Key::Cancel)}</button>
            </Show>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </section>
    }
}
