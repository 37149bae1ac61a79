//! This phone's settings, and the first run that asks for the language.
//!
//! The language is a device setting: each member's phone speaks their
//! language, whatever the rest of the group reads.

use leptos::prelude::*;

use crate::core::i18n::{Key, Lang};
use crate::ui::components::PageTitle;
use crate::ui::state::AppState;
use crate::web::platform::{self, Keeping};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <PageTitle title=Signal::derive(move || app.t(Key::Settings).to_owned()) back="#/".to_owned() />
        <p class="quiet">{move || app.t(Key::SettingsHint)}</p>
        <div class="panel">
            <LanguageChoice legend=Key::Language on_pick=move |lang| app.set_lang(lang) />
        </div>
        <StorageKeeping />
    }
}

/// Whether this browser keeps the app's data, and what to do if it may not.
#[component]
fn StorageKeeping() -> impl IntoView {
    let app = expect_context::<AppState>();
    // Asking again is harmless: the browser answers what it decided.
    let keeping = LocalResource::new(|| async {
        let persisted = platform::request_persistent_storage().await;
        (persisted, platform::storage_keeping(persisted).await)
    });
    let text = move || {
        keeping.get().map(|(_, keeping)| match keeping {
            Keeping::Kept => ("quiet", app.t(Key::StorageKept)),
            Keeping::MayDelete => ("notice", app.t(Key::StorageMayDelete)),
            Keeping::Safari => ("notice", app.t(Key::StorageSafari)),
            Keeping::Private => ("notice", app.t(Key::StoragePrivate)),
        })
    };
    // What `persist()` answered, as it is: a guess above never hides it.
    let asked = move || {
        keeping.get().map(|(persisted, _)| match persisted {
            Some(true) => app.t(Key::PersistGranted),
            Some(false) => app.t(Key::PersistRefused),
            None => app.t(Key::PersistUnknown),
        })
    };
    view! {
        <section class="panel" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{move || app.t(Key::StorageHeading)}</h2>
            {move || text().map(|(class, text)| view! { <p class=class data-testid="storage-keeping">{text}</p> })}
            {move || asked().map(|text| view! { <p class="quiet" data-testid="storage-persist">{text}</p> })}
        </section>
    }
}

/// The first screen of a new phone: which language to speak, with the
/// browser's own language already picked.
#[component]
pub fn FirstRun() -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <h1>{move || app.t(Key::Welcome)}</h1>
        <form
            class="panel"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                app.set_lang(app.lang.get_untracked());
            }
        >
            // Trying a language shows it at once; Continue keeps it.
            <LanguageChoice legend=Key::ChooseLanguage on_pick=move |lang| app.lang.set(lang) />
            <p class="hint">{move || app.t(Key::LanguageLater)}</p>
            <button type="submit" class="primary" data-testid="continue">{move || app.t(Key::Continue)}</button>
        </form>
    }
}

/// The four languages as radio buttons, each named in its own words.
#[component]
fn LanguageChoice(legend: Key, on_pick: impl Fn(Lang) + Copy + 'static) -> impl IntoView {
    let app = expect_context::<AppState>();
    view! {
        <fieldset class="languages">
            <legend>{move || app.t(legend)}</legend>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <label class="check">
                            <input
                                type="radio"
                                name="language"
                                value=lang.tag()
                                prop:checked=move || app.lang.get() == lang
                                on:change=move |_| on_pick(lang)
                            />
                            <span lang=lang.tag()>{lang.own_name()}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
