//! Pieces several pages share.

use leptos::prelude::*;

use super::state::AppState;
use crate::core::i18n::Key;
use crate::core::model::PlotStatus;

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
        </div>
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
