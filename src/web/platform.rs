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

/// Asks the browser not to evict this app's storage under pressure. The
/// answer does not change what the app does, so failures are ignored.
pub fn request_persistent_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(storage) = window.navigator().storage().persist() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(storage).await;
    });
}

/// Registers the service worker that keeps the app shell for offline use.
/// Resolves to true once a worker is active.
pub async fn register_service_worker() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let container = window.navigator().service_worker();
    if JsFuture::from(container.register("./sw.js")).await.is_err() {
        return false;
    }
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

/// Opens the browser's print dialog (to paper or a PDF).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
