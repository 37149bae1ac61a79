//! The few facts only the browser knows: time, randomness, network state.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the Unix epoch.
#[allow(
    clippy::cast_possible_truncation,
    reason = "a date in ms fits an i64 for 292 million years"
)]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today on the member's own calendar (their time zone, not UTC).
pub fn today() -> crate::core::date::Date {
    let offset = -js_sys::Date::new_0().get_timezone_offset();
    #[expect(clippy::cast_possible_truncation, reason = "offsets are whole minutes")]
    crate::core::date::Date::from_unix_ms(now_ms(), offset as i64)
}

/// Random bytes from the browser's cryptographic generator.
///
/// # Panics
/// Only if the browser has no `crypto.getRandomValues`, which every browser
/// that runs WebAssembly has.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).expect("crypto.getRandomValues is available");
    bytes
}

/// A short random id for a new plot, site or member (96 bits, base58).
pub fn new_id() -> String {
    bs58::encode(random_bytes::<12>()).into_string()
}

/// A random version 4 UUID in its usual text form.
pub fn new_uuid() -> String {
    let bytes = *crate::core::repo::DocumentId::new_random(random_bytes::<16>()).as_bytes();
    let hex = crate::core::repo::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Whether the browser believes it is online.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Asks the browser not to evict this app's storage under pressure, and
/// says whether it agreed (`None` when the browser cannot tell).
pub async fn request_persistent_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let granted = JsFuture::from(storage.persist().ok()?).await.ok()?;
    granted.as_bool()
}

/// What this browser may do to the app's data, for the Settings page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// The browser promised to keep it (persistent storage granted).
    Kept,
    /// The browser may delete it when space runs low.
    MayDelete,
    /// Safari (not installed to the home screen) deletes it after 7 days unvisited.
    Safari,
    /// Perhaps a private window (deleted when it closes): a guess.
    Private,
}

/// How safe the app's data is in this browser, given `persist()`'s answer.
pub async fn storage_keeping(persisted: Option<bool>) -> Keeping {
    let Some(window) = web_sys::window() else {
        return Keeping::MayDelete;
    };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let safari = agent.contains("Safari")
        && !agent.contains("Chrome")
        && !agent.contains("Chromium")
        && !agent.contains("Android");
    let installed = js_sys::Reflect::get(&window, &"matchMedia".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&window, &"(display-mode: standalone)".into()).ok())
        .and_then(|m| js_sys::Reflect::get(&m, &"matches".into()).ok())
        .and_then(|m| m.as_bool())
        .unwrap_or(false);
    let standalone = installed
        || js_sys::Reflect::get(&window.navigator(), &"standalone".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
    if safari && !standalone {
        return Keeping::Safari;
    }
    // No browser says whether a window is private (they hide it on
    // purpose). The one sign left is a small, fixed quota: Chromium's
    // incognito gets about 100 MB whatever the disk; Firefox's private
    // windows a small in-memory one. A nearly full small disk can look the
    // same, so the member is told it *may* be a private window.
    if let Ok(promise) = window.navigator().storage().estimate()
        && let Ok(estimate) = JsFuture::from(promise).await
        && let Some(quota) = js_sys::Reflect::get(&estimate, &"quota".into())
            .ok()
            .and_then(|q| q.as_f64())
        && quota > 0.0
        && quota < 130.0 * 1024.0 * 1024.0
        && persisted != Some(true)
    {
        return Keeping::Private;
    }
    if persisted == Some(true) {
        Keeping::Kept
    } else {
        Keeping::MayDelete
    }
}

/// Registers the service worker that keeps the app shell for offline use.
/// Resolves to true once a worker is active; `on_update` is called when a
/// new version of the app is installed and waits for [`reload_to_update`].
pub async fn register_service_worker(on_update: impl Fn() + 'static) -> bool {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let container = window.navigator().service_worker();
    let Ok(registration) = JsFuture::from(container.register("./sw.js")).await else {
        return false;
    };
    let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
        return false;
    };
    let on_update = std::rc::Rc::new(on_update);
    // A new worker only waits when a page already runs an older one.
    let waiting_update = {
        let container = container.clone();
        move |worker: &web_sys::ServiceWorker| {
            container.controller().is_some()
                && js_sys::Reflect::get(worker, &"state".into())
                    .ok()
                    .and_then(|s| s.as_string())
                    .as_deref()
                    == Some("installed")
        }
    };
    if let Some(waiting) = registration.waiting()
        && waiting_update(&waiting)
    {
        on_update();
    }
    let found = {
        let registration = registration.clone();
        Closure::<dyn Fn()>::new(move || {
            let Some(installing) = registration.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_update = on_update.clone();
            let waiting_update = waiting_update.clone();
            let changed = Closure::<dyn Fn()>::new(move || {
                if waiting_update(&worker) {
                    on_update();
                }
            });
            installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
            changed.forget();
        })
    };
    registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
    found.forget();
    // Look for a new version now and then, and whenever the app comes back.
    let check = {
        let registration = registration.clone();
        Closure::<dyn Fn()>::new(move || {
            // A check that fails (offline, a worker mid-install) is tried
            // again next time; awaited, so its rejection is handled rather
            // than reported as an error of the page.
            if let Ok(checking) = registration.update() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(checking).await;
                });
            }
        })
    };
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        30 * 60 * 1000,
    );
    let _ = window.add_event_listener_with_callback("online", check.as_ref().unchecked_ref());
    check.forget();
    let Ok(ready) = container.ready() else {
        return false;
    };
    JsFuture::from(ready)
        .await
        .ok()
        .and_then(|registration| {
            registration
                .dyn_into::<web_sys::ServiceWorkerRegistration>()
                .ok()
        })
        .is_some_and(|registration| registration.active().is_some())
}

/// Lets the waiting new version take over, then reloads into it.
pub fn reload_to_update() {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn Fn()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let waiting = JsFuture::from(container.get_registration())
            .await
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        match waiting {
            Some(worker) => {
                let _ = worker.post_message(&"skip-waiting".into());
            }
            None => {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        }
    });
}

/// The browser's preferred language tag, such as "es-MX".
pub fn browser_language() -> Option<String> {
    web_sys::window()?.navigator().language()
}

/// Saves text as a file in the phone's downloads, made here and never sent.
///
/// # Errors
/// What the browser said when it could not make the file.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    save_file(file_name, mime, &wasm_bindgen::JsValue::from_str(text))
}

/// Saves bytes as a file in the phone's downloads.
///
/// # Errors
/// What the browser said when it could not make the file.
pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    save_file(file_name, mime, &js_sys::Uint8Array::from(bytes))
}

fn save_file(file_name: &str, mime: &str, part: &wasm_bindgen::JsValue) -> Result<(), String> {
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Let go of the file once the browser has surely read it.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// The bytes of a file the member picked.
///
/// # Errors
/// When the browser could not read it.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until the next frame is painted: its animation frame, then a task.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        leptos::prelude::request_animation_frame(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        });
    });
    let _ = JsFuture::from(promise).await;
}

/// Opens the browser's print dialog (to paper or a PDF).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
