//! Reading a QR code with the phone's camera or from a photo. The browser's
//! own `BarcodeDetector` is used where it has one (most Android phones);
//! elsewhere the frame is read in WebAssembly by `core::qr::read`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, ImageBitmap, MediaStream,
    MediaStreamConstraints, MediaStreamTrack,
};

use super::platform;
use crate::core::qr;

/// Frames are shrunk to at most this many pixels a side before reading:
/// plenty for a code filling part of the picture, and quick on a cheap phone.
const MAX_SIDE: f64 = 960.0;
/// Time between two looks at the camera (ms).
const LOOK_EVERY_MS: i32 = 250;

/// A QR code's text read from an image source (a video or a bitmap).
async fn read_source(source: &JsValue, width: f64, height: f64) -> Option<String> {
    if let Some(text) = detect(source).await {
        return Some(text);
    }
    let scale = (MAX_SIDE / width.max(height)).min(1.0);
    let (w, h) = ((width * scale).round(), (height * scale).round());
    if w < 1.0 || h < 1.0 {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.unchecked_into();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "at most MAX_SIDE"
    )]
    let (w, h) = (w as u32, h as u32);
    canvas.set_width(w);
    canvas.set_height(h);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.unchecked_into();
    if let Some(video) = source.dyn_ref::<HtmlVideoElement>() {
        context
            .draw_image_with_html_video_element_and_dw_and_dh(
                video,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .ok()?;
    } else {
        let bitmap = source.dyn_ref::<ImageBitmap>()?;
        context
            .draw_image_with_image_bitmap_and_dw_and_dh(
                bitmap,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .ok()?;
    }
    let rgba = context
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .ok()?
        .data();
    // Luma from RGB, weighted as the eye sees.
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| {
            let y = (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000;
            u8::try_from(y).unwrap_or(u8::MAX)
        })
        .collect();
    qr::read(w as usize, h as usize, &luma)
}

/// The browser's own reader, where it has one.
async fn detect(source: &JsValue) -> Option<String> {
    let window = web_sys::window()?;
    let constructor = Reflect::get(&window, &"BarcodeDetector".into()).ok()?;
    let constructor = constructor.dyn_ref::<Function>()?;
    let options = Object::new();
    Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into())).ok()?;
    let detector = Reflect::construct(constructor, &Array::of1(&options)).ok()?;
    let detect = Reflect::get(&detector, &"detect".into()).ok()?;
    let promise = detect
        .dyn_ref::<Function>()?
        .call1(&detector, source)
        .ok()?;
    let found = JsFuture::from(js_sys::Promise::from(promise)).await.ok()?;
    let first = Array::from(&found).get(0);
    Reflect::get(&first, &"rawValue".into()).ok()?.as_string()
}

/// Reads a QR code from a photo the member took or picked.
pub async fn read_photo(file: &web_sys::File) -> Option<String> {
    let window = web_sys::window()?;
    let promise = window.create_image_bitmap_with_blob(file).ok()?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.ok()?.unchecked_into();
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let text = read_source(&bitmap, width, height).await;
    bitmap.close();
    text
}

/// The camera, showing in a video element and looked at a few times a
/// second until a code is read or it is stopped.
#[derive(Clone)]
pub struct Camera(Rc<CameraInner>);

struct CameraInner {
    stream: RefCell<Option<MediaStream>>,
    stopped: Cell<bool>,
}

impl Camera {
    /// Opens the back camera into `video`; `found` gets the first code
    /// read, and then, when `keep_reading`, every different code after it
    /// (a phone letting people in reads one answer after another while the
    /// next person holds theirs up).
    ///
    /// # Errors
    /// When there is no camera or the member did not allow it.
    pub async fn start(
        video: HtmlVideoElement,
        keep_reading: bool,
        found: impl Fn(String) + 'static,
    ) -> Result<Self, String> {
        let devices = web_sys::window()
            .ok_or("no window")?
            .navigator()
            .media_devices()
            .map_err(|e| format!("{e:?}"))?;
        let constraints = MediaStreamConstraints::new();
        let video_wanted = Object::new();
        let _ = Reflect::set(&video_wanted, &"facingMode".into(), &"environment".into());
        constraints.set_video(&video_wanted);
        let promise = devices
            .get_user_media_with_constraints(&constraints)
            .map_err(|e| format!("{e:?}"))?;
        let stream: MediaStream = JsFuture::from(promise)
            .await
            .map_err(|e| format!("{e:?}"))?
            .unchecked_into();
        video.set_src_object(Some(&stream));
        video.set_muted(true);
        let _ = video.set_attribute("playsinline", "");
        let _ = video.play();
        let camera = Self(Rc::new(CameraInner {
            stream: RefCell::new(Some(stream)),
            stopped: Cell::default(),
        }));
        let looking = camera.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // The code read last: the same answer still in front of the
            // camera is not taken twice.
            let mut last = String::new();
            while !looking.0.stopped.get() {
                platform::sleep(LOOK_EVERY_MS).await;
                let (w, h) = (
                    f64::from(video.video_width()),
                    f64::from(video.video_height()),
                );
                if looking.0.stopped.get() || w < 1.0 {
                    continue;
                }
                match read_source(&video, w, h).await {
                    Some(text) if !keep_reading => {
                        looking.stop();
                        found(text);
                    }
                    Some(text) if text != last && !looking.0.stopped.get() => {
                        last.clone_from(&text);
                        found(text);
                    }
                    _ => {}
                }
            }
        });
        Ok(camera)
    }

    /// Turns the camera off.
    pub fn stop(&self) {
        self.0.stopped.set(true);
        if let Some(stream) = self.0.stream.borrow_mut().take() {
            for track in stream.get_tracks() {
                if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                    track.stop();
                }
            }
        }
    }
}
