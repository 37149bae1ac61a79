//! Sync with the phones here: let others in or join a meeting's
//! phone-to-phone sync by swapping codes (scanned, photographed or pasted),
//! see who is connected, and share updates as a file when nothing else
//! connects. Any phone that is in lets the next one in.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::i18n::{Key, fill};
use crate::core::meet::Side;
use crate::core::qr;
use crate::core::repo::DocumentId;
use crate::core::repo::sync::Holder;
use crate::core::route::Route;
use crate::core::updates::FileError;
use crate::ui::components::{PageTitle, TextArea, TextField, local_date};
use crate::ui::meet::Meet;
use crate::ui::state::AppState;
use crate::web::camera::{self, Camera};
use crate::web::platform;
use crate::web::rtc::PairState;
use crate::web::settings::Settings;

#[component]
pub fn PhonesPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <PhonesView id=id />
        </GroupGate>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Choose,
    Host,
    Join,
}

#[component]
fn PhonesView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let meet = expect_context::<Meet>();
    let showing_here = move || meet.shown.get().filter(|s| s.group == id);
    let mode = RwSignal::new(match showing_here().map(|s| s.side) {
        Some(Side::Offer) => Mode::Host,
        Some(Side::Answer) => Mode::Join,
        None => Mode::Choose,
    });
    let pasted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let take = move |text: String| {
        let result = match mode.get_untracked() {
            Mode::Host => meet.take_answer(app, id, &text),
            _ => meet.join(app, id, &text),
        };
        match result {
            Ok(()) => {
                pasted.set(String::new());
                error.set(None);
            }
            Err(key) => {
                pasted.set(text);
                error.set(Some(app.t(key).to_owned()));
            }
        }
    };
    // A host's code opened as a link: join with it at once.
    Effect::new(move |_| {
        if let Some(code) = meet.link_code.get() {
            meet.link_code.set(None);
            mode.set(Mode::Join);
            take(code);
        }
    });
    let host = move |_| {
        mode.set(Mode::Host);
        error.set(None);
        meet.host(app, id);
    };
    let join = move |_| {
        mode.set(Mode::Join);
        error.set(None);
        // Joining through another phone: this one's own code is put away.
        meet.close_door();
    };
    // Once its answer is taken this phone is in, and what it can do next
    // is let someone else in.
    Effect::new(move |was_answering: Option<bool>| {
        let answering = showing_here().is_some_and(|s| s.side == Side::Answer);
        if was_answering == Some(true)
            && !answering
            && meet.is_in(id)
            && mode.get_untracked() == Mode::Join
        {
            mode.set(Mode::Choose);
        }
        answering
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        take(pasted.get_untracked());
    };
    let title = Signal::derive(move || app.t(Key::PhonesHere).to_owned());

    view! {
        <PageTitle title=title back=Route::Group(id).href() />
        <section class="panel">
            <p>{move || app.t(Key::PhonesIntro)}</p>
            <div class="choices">
                <button type="button" class=move || if mode.get() == Mode::Host { "primary" } else { "" } on:click=host>
                    {move || app.t(Key::HostPhones)}
                </button>
                <button type="button" class=move || if mode.get() == Mode::Join { "primary" } else { "" } on:click=join>
                    {move || app.t(Key::JoinPhones)}
                </button>
            </div>
            <p class="quiet">{move || app.t(Key::NextPersonHint)}</p>
            {move || meet.error.get().map(|key| view! { <p class="error" role="alert">{app.t(key)}</p> })}
            {move || meet.notice.get().map(|(key, name)| {
                let name = if name.is_empty() { app.t(Key::APhone).to_owned() } else { name };
                view! {
                <p class="phones-notice" role="alert" data-testid="phones-notice">{fill(app.t(key), &[("name", &name)])}</p>
            }})}
        </section>
        <Show when=move || meet.is_in(id) && mode.get() == Mode::Choose>
            <section class="panel" aria-labelledby="in-heading">
                <h2 id="in-heading">{move || app.t(Key::YouAreIn)}</h2>
                <button type="button" class="primary" on:click=host data-testid="let-next-in">
                    {move || app.t(Key::LetNextIn)}
                </button>
            </section>
        </Show>
        <Show when=move || meet.making.get()>
            <p class="quiet" role="status">{move || app.t(Key::MakingCode)}</p>
        </Show>
        {move || showing_here().map(|shown| view! { <ShownCode shown_side=shown.side text=shown.text /> })}
        <Show when=move || {
            mode.get() != Mode::Choose
                && !(mode.get() == Mode::Join && showing_here().is_some_and(|s| s.side == Side::Answer))
        }>
            <section class="panel" aria-labelledby="read-heading">
                <h2 id="read-heading">
                    {move || app.t(if mode.get() == Mode::Host { Key::ReadAnswer } else { Key::ReadHostCode })}
                </h2>
                <Show when=move || mode.get() == Mode::Host>
                    <p class="quiet">{move || app.t(Key::KeepsReading)}</p>
                </Show>
                <Scanner on_read=Callback::new(take) keep_reading=Signal::derive(move || mode.get() == Mode::Host) />
                <form on:submit=submit novalidate>
                    <TextArea id="code" label=Key::OrPasteCode value=pasted rows=3 error=error />
                    <button type="submit" class="primary">{move || app.t(Key::Connect)}</button>
                </form>
            </section>
        </Show>
        <PhoneList id=id />
        <UpdatesFile id=id />
        <Stun />
    }
}

/// The code this phone shows, as a QR code and as text to copy.
#[component]
fn ShownCode(shown_side: Side, text: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let svg = qr::svg(&text).unwrap_or_default();
    let (label, hint) = match shown_side {
        Side::Offer => (Key::OfferCode, Key::OfferCodeHint),
        Side::Answer => (Key::AnswerCode, Key::AnswerCodeHint),
    };
    // The host's code travels as a link that opens this page on the other
    // phone; an answer goes back into the host's open page as it is.
    let copied_text = match shown_side {
        Side::Offer => {
            let location = window().location();
            format!(
                "{}{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default(),
                Route::Meet(text.clone()).href()
            )
        }
        Side::Answer => text.clone(),
    };
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&copied_text);
        copied.set(true);
    };
    view! {
        <section class="panel shown-code" aria-labelledby="shown-heading">
            <h2 id="shown-heading">{move || app.t(label)}</h2>
            <p>{move || app.t(hint)}</p>
            <div class="qr" role="img" aria-label=move || app.t(label) inner_html=svg data-testid="code-qr"></div>
            <input
                type="text"
                readonly
                aria-label=move || app.t(label)
                prop:value=text
                data-testid="shown-code"
            />
            <button type="button" on:click=copy>
                {move || if copied.get() { app.t(Key::Copied) } else { app.t(Key::CopyCode) }}
            </button>
        </section>
    }
}

/// Reads a code with the camera or from a photo.
#[component]
fn Scanner(on_read: Callback<String>, keep_reading: Signal<bool>) -> impl IntoView {
    let app = expect_context::<AppState>();
    let video = NodeRef::<leptos::html::Video>::new();
    let camera = StoredValue::new_local(None::<Camera>);
    let scanning = RwSignal::new(false);
    let problem = RwSignal::new(None::<Key>);
    let stop = move || {
        camera.update_value(|c| {
            if let Some(c) = c.take() {
                c.stop();
            }
        });
        scanning.set(false);
    };
    on_cleanup(stop);
    let scan = move |_| {
        if scanning.get_untracked() {
            stop();
            return;
        }
        problem.set(None);
        scanning.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            // The video element appears once `scanning` is set.
            platform::sleep(0).await;
            let Some(element) = video.get_untracked() else {
                return;
            };
            // Letting people in, the camera stays on for the next answer.
            let keep = keep_reading.get_untracked();
            let found = move |text: String| {
                if !keep {
                    scanning.set(false);
                }
                on_read.run(text);
            };
            if let Ok(started) = Camera::start(element, keep, found).await {
                camera.set_value(Some(started));
            } else {
                scanning.set(false);
                problem.set(Some(Key::ErrCameraBlocked));
            }
        });
    };
    let photo = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        problem.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match camera::read_photo(&file).await {
                Some(text) => on_read.run(text),
                None => problem.set(Some(Key::ErrNoCodeInPhoto)),
            }
        });
    };
    view! {
        <div class="scanner">
            <button type="button" on:click=scan>
                {move || app.t(if scanning.get() { Key::StopCamera } else { Key::ScanWithCamera })}
            </button>
            <label class="button" for="code-photo">{move || app.t(Key::ReadFromPhoto)}</label>
            <input id="code-photo" class="visually-hidden" type="file" accept="image/*" on:change=photo />
            <Show when=move || scanning.get()>
                <video node_ref=video class="camera" aria-label=move || app.t(Key::ScanWithCamera)></video>
            </Show>
            {move || problem.get().map(|key| view! { <p class="error" role="alert">{app.t(key)}</p> })}
        </div>
    }
}

/// The phones this one is connected with, and how far each has caught up.
#[component]
fn PhoneList(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let meet = expect_context::<Meet>();
    let here = move || {
        meet.phones
            .get()
            .into_iter()
            .filter(|p| p.group == id)
            .collect::<Vec<_>>()
    };
    let any_open = move || {
        here()
            .iter()
            .any(|p| matches!(p.state, PairState::Open(_) | PairState::Connecting))
            || meet.shown.get().is_some()
    };
    view! {
        <section class="panel" aria-labelledby="phones-heading">
            <h2 id="phones-heading">{move || app.t(Key::PhonesConnected)}</h2>
            <ul class="phones" aria-live="polite" data-testid="phones">
                {move || {
                    let phones = here();
                    if phones.is_empty() {
                        return view! { <li class="quiet">{app.t(Key::NoPhonesYet)}</li> }.into_any();
                    }
                    phones
                        .into_iter()
                        .map(|phone| {
                            let name = if phone.name.is_empty() {
                                app.t(Key::APhone).to_owned()
                            } else {
                                phone.name.clone()
                            };
                            // What this phone has that the other is not known to have.
                            let holder = match (phone.state, &phone.storage) {
                                (PairState::Open(conn), _) => Some(Holder::Conn(conn)),
                                (_, Some(storage)) => Some(Holder::Storage(storage.clone())),
                                _ => None,
                            };
                            let missing = holder.map_or(0, |h| app.missing_on_phone(id, &h));
                            let lacks = app.count(Key::PhoneMissingCount, missing);
                            let (class, status) = match (phone.state, phone.up_to_date) {
                                (PairState::Open(_), _) if missing > 0 => ("", lacks),
                                (PairState::Open(_), Some(at)) => ("ok", up_to_date(app, at)),
                                (PairState::Open(_), None) => ("", app.t(Key::PhoneSyncing).to_owned()),
                                (PairState::Connecting, _) => ("", app.t(Key::PhoneConnecting).to_owned()),
                                (PairState::Failed, _) => ("bad", app.t(Key::PhoneFailed).to_owned()),
                                (PairState::Closed, _) if missing > 0 => {
                                    ("quiet", format!("{} · {lacks}", app.t(Key::PhoneLeft)))
                                }
                                (PairState::Closed, _) => ("quiet", app.t(Key::PhoneLeft).to_owned()),
                            };
                            view! {
                                <li>
                                    <strong>{name}</strong>
                                    " "
                                    <span class=class data-testid="phone-status">{status}</span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <Show when=any_open>
                <button type="button" on:click=move |_| meet.stop()>{move || app.t(Key::StopPhones)}</button>
            </Show>
        </section>
    }
}

/// Share updates as a file, or open one.
#[component]
fn UpdatesFile(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let message = RwSignal::new(None::<(bool, Key)>);
    // Off unless the member ticks it, each time the page opens.
    let with_key = RwSignal::new(false);
    let sealed = Memo::new(move |_| app.key_of(id).is_some());
    let save = move |_| {
        let bytes = app.store().and_then(|repo| {
            if sealed.get_untracked() && with_key.get_untracked() {
                repo.sealed_updates_file(id)
            } else {
                repo.updates_file(id)
            }
        });
        let Some(bytes) = bytes else {
            return;
        };
        let name = app
            .group(id)
            .get_untracked()
            .map(|g| g.name.clone())
            .unwrap_or_default();
        let file_name = format!(
            "{}-{}.cgupdates",
            crate::core::text::file_stem(&name),
            app.today.get_untracked()
        );
        message.set(None);
        if platform::download_bytes(&file_name, "application/octet-stream", &bytes).is_err() {
            message.set(Some((false, Key::ErrConnectFailed)));
        }
    };
    let open = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(bytes) = platform::read_file(&file).await else {
                message.set(Some((false, Key::ErrFileDamaged)));
                return;
            };
            let Some(repo) = app.store() else { return };
            let opened = repo.open_updates(Some(id), &bytes);
            if opened.is_ok() {
                app.take_key_from_file(id, &bytes);
            }
            message.set(Some(match opened {
                Ok((_, 0)) => (true, Key::UpdatesNothingNew),
                Ok(_) => (true, Key::UpdatesMerged),
                Err(error) => (false, file_error_key(error)),
            }));
        });
    };
    view! {
        <section class="panel" aria-labelledby="file-heading">
            <h2 id="file-heading">{move || app.t(Key::UpdatesFile)}</h2>
            <p class="quiet">{move || app.t(Key::UpdatesFileHint)}</p>
            <Show when=move || sealed.get()>
                <label class="check">
                    <input type="checkbox" data-testid="updates-with-key" prop:checked=move || with_key.get()
                        on:change=move |ev| with_key.set(event_target_checked(&ev)) />
                    {move || app.t(Key::UpdatesWithKey)}
                </label>
                <p class="quiet">{move || app.t(Key::UpdatesWithKeyHint)}</p>
            </Show>
            <button type="button" on:click=save>{move || app.t(Key::SaveUpdatesFile)}</button>
            <label class="button" for="updates-file">{move || app.t(Key::OpenUpdatesFile)}</label>
            <input id="updates-file" class="visually-hidden" type="file" on:change=open />
            {move || message.get().map(|(good, key)| {
                let (class, role) = if good { ("ok", "status") } else { ("error", "alert") };
                view! { <p class=class role=role data-testid="updates-message">{app.t(key)}</p> }
            })}
        </section>
    }
}

/// What to tell the member about a file that was not taken.
pub const fn file_error_key(error: FileError) -> Key {
    match error {
        FileError::Damaged => Key::ErrFileDamaged,
        FileError::Newer => Key::ErrFileNewer,
        FileError::OtherGroup => Key::ErrFileOtherGroup,
    }
}

/// The optional STUN server, for phones on different networks.
#[component]
fn Stun() -> impl IntoView {
    let app = expect_context::<AppState>();
    let stun = RwSignal::new(Settings::load().stun.unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = stun.get_untracked().trim().to_owned();
        if !(value.is_empty() || crate::core::text::is_stun_address(&value)) {
            error.set(Some(app.t(Key::ErrStunAddress).to_owned()));
            return;
        }
        error.set(None);
        let mut settings = Settings::load();
        settings.stun = (!value.is_empty()).then_some(value);
        settings.save();
        saved.set(true);
    };
    view! {
        <details class="panel">
            <summary>{move || app.t(Key::MoreSettings)}</summary>
            <form on:submit=save novalidate>
                <TextField id="stun" label=Key::StunServer value=stun hint=Key::StunHint error=error />
                <button type="submit">{move || if saved.get() { app.t(Key::Saved) } else { app.t(Key::Save) }}</button>
            </form>
        </details>
    }
}

/// A host's code opened as a link: find the group it is sealed to.
#[component]
pub fn MeetLink(code: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let meet = expect_context::<Meet>();
    let found = crate::core::meet::Code::decode(&code).ok().and_then(|c| {
        app.groups.with_untracked(|groups| {
            groups
                .iter()
                .filter_map(|g| DocumentId::parse(&g.id).ok())
                .find(|id| c.is_for(*id))
        })
    });
    if let Some(group) = found {
        meet.link_code.set(Some(code));
        let _ = window().location().set_hash(&Route::Phones(group).href());
    }
    view! {
        <Show when=move || found.is_none()>
            <p class="error" role="alert">{move || app.t(Key::ErrCodeOtherGroup)}</p>
            <a href="#/">{move || app.t(Key::Back)}</a>
        </Show>
    }
}

/// "up to date at 12:02" today, "up to date on 30/11/2026" before: a time
/// alone reads right in every language only for today.
fn up_to_date(app: AppState, at: i64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "ms dates fit f64 exactly")]
    let moment = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    #[expect(clippy::cast_possible_truncation, reason = "offsets are whole minutes")]
    let offset = -moment.get_timezone_offset() as i64;
    let day = crate::core::date::Date::from_unix_ms(at, offset);
    if day == app.today.get_untracked() {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
        let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
        let time = String::from(
            moment.to_locale_time_string_with_options(app.lang.get_untracked().tag(), &options),
        );
        fill(app.t(Key::PhoneUpToDate), &[("time", &time)])
    } else {
        fill(
            app.t(Key::PhoneUpToDateOn),
            &[("date", &local_date(app, &day.to_string()))],
        )
    }
}
