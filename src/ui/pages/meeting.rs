//! A meeting: its notes, typed together, and who else is looking at them.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::GroupGate;
use crate::core::i18n::Key;
use crate::core::model::Meeting;
use crate::core::repo::DocumentId;
use crate::core::repo::message::encode_presence;
use crate::core::route::Route;
use crate::ui::components::{PageTitle, TextField};
use crate::ui::state::AppState;
use crate::web::platform;
use crate::web::settings::Settings;

/// How often this phone says it is here, and how long a silent peer counts.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_FOR_MS: i64 = 15_000;

#[component]
pub fn MeetingPage(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <MeetingView id=id meeting=meeting />
        </GroupGate>
    }
}

#[component]
fn MeetingView(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let loaded = RwSignal::new(None::<Option<Meeting>>);
    // Read it now, and again whenever a peer changed any document.
    Effect::new(move || {
        app.remote_tick.track();
        let Some(repo) = app.store() else { return };
        leptos::task::spawn_local(async move {
            let read = repo.meeting(meeting).await;
            loaded.set(Some(read));
        });
    });
    let title = Signal::derive(move || {
        loaded
            .with(|m| m.as_ref().and_then(|m| m.as_ref()).map(|m| m.title.clone()))
            .unwrap_or_default()
    });
    let notes = Memo::new(move |_| {
        loaded.with(|m| {
            m.as_ref()
                .and_then(|m| m.as_ref())
                .map(|m| m.notes.as_str().to_owned())
        })
    });

    // Presence: say who we are every few seconds; list who else did lately.
    let my_name = RwSignal::new(Settings::load().my_name.unwrap_or_default());
    let now = RwSignal::new(platform::now_ms());
    let announce = move || {
        if let Some(repo) = app.store() {
            let name = my_name.get_untracked();
            let name = if name.trim().is_empty() {
                app.t(Key::Someone).to_owned()
            } else {
                name
            };
            repo.broadcast(meeting, &encode_presence(&name));
        }
    };
    announce();
    let ticker = set_interval_with_handle(
        move || {
            now.set(platform::now_ms());
            announce();
        },
        PRESENCE_EVERY,
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    let also_here = move || {
        let cutoff = now.get() - PRESENCE_FOR_MS;
        let names: Vec<String> = app.presence.with(|here| {
            here.iter()
                .filter(|((document, _), (_, seen))| *document == meeting && *seen >= cutoff)
                .map(|(_, (name, _))| name.clone())
                .collect()
        });
        (!names.is_empty()).then(|| app.tf(Key::AlsoHere, &[("names", &names.join(", "))]))
    };
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut settings = Settings::load();
        let name = my_name.get_untracked().trim().to_owned();
        settings.my_name = (!name.is_empty()).then_some(name);
        settings.save();
        announce();
    };

    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // A peer's words arrive while the member types: keep the caret where it
    // was relative to the text around it.
    Effect::new(move || {
        let Some(text) = notes.get() else { return };
        let Some(area) = textarea.get() else { return };
        let old = area.value();
        if old == text {
            return;
        }
        let caret = area.selection_start().ok().flatten().unwrap_or(0);
        let common: u32 = old
            .encode_utf16()
            .zip(text.encode_utf16())
            .take_while(|(a, b)| a == b)
            .count()
            .try_into()
            .unwrap_or(u32::MAX);
        let length = |s: &str| i64::try_from(s.encode_utf16().count()).unwrap_or(i64::MAX);
        let grown = length(&text) - length(&old);
        area.set_value(&text);
        let caret = if caret > common {
            u32::try_from((i64::from(caret) + grown).max(0)).unwrap_or(0)
        } else {
            caret
        };
        let _ = area.set_selection_range(caret, caret);
    });
    let on_input = move |ev: leptos::ev::Event| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        else {
            return;
        };
        app.edit_notes(id, meeting, &area.value());
    };

    // Render the notes once they are found, and not again on each change,
    // so the member's caret and keyboard stay put.
    let found = Memo::new(move |_| loaded.with(|m| m.as_ref().map(Option::is_some)));
    view! {
        <PageTitle title=title back=Route::Group(id).href() />
        {move || match found.get() {
            Some(false) => Some(view! { <p class="notice">{move || app.t(Key::MeetingNotFound)}</p> }.into_any()),
            Some(true) => Some(view! {
                <p class="quiet" role="status" aria-live="polite" data-testid="also-here">{also_here}</p>
                <div class="field">
                    <label for="notes">{move || app.t(Key::MeetingNotes)}</label>
                    <textarea
                        id="notes"
                        node_ref=textarea
                        rows="12"
                        data-testid="notes"
                        prop:value=move || notes.get_untracked().unwrap_or_default()
                        on:input=on_input
                    ></textarea>
                </div>
                <form class="panel" on:submit=save_name novalidate>
                    <TextField id="my-name" label=Key::YourName value=my_name />
                    <button type="submit">{move || app.t(Key::Save)}</button>
                </form>
            }.into_any()),
            None => None,
        }}
    }
}
