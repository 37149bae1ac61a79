//! Transports: how frames of the one wire protocol reach other devices.
//! A WebSocket to an automerge-repo sync server, reconnecting with a growing
//! wait, and a BroadcastChannel shared by this browser's tabs.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BinaryType, BroadcastChannel, MessageEvent, WebSocket};

use super::engine::Handle;
use super::repo::Wire;
use crate::core::repo::message::MAX_FRAME_BYTES;
use crate::core::repo::sync::{ConnId, Link, Share};

/// The server whose frame is being handled right now, kept in
/// localStorage: if the app stops while reading it, the next start finds
/// it still there and does not reconnect to that server by itself.
const HANDLING_KEY: &str = "common-ground-handling";

/// The channel every tab of this app in this browser listens on.
const TAB_CHANNEL: &str = "common-ground-sync";

/// A connection that lasted this long was a good one (ms).
const STAYED_UP_MS: i64 = 30_000;

/// Where a server connection stands, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerState {
    Connecting,
    Connected,
    /// Closed; the next try is after `retry_ms`.
    Waiting {
        retry_ms: u32,
    },
    /// The address is not a WebSocket URL.
    BadAddress,
    /// The app stopped while reading this server's data last time: it is
    /// not contacted again until the member says so.
    Held,
}

/// The server the app was reading from when it last stopped unexpectedly.
pub fn held_server() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(HANDLING_KEY)
        .ok()?
}

/// The member chose to keep or drop the held server: forget the marker.
pub fn release_held_server() {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.remove_item(HANDLING_KEY);
    }
}

/// Notes (durably, in localStorage) which server's frame is being handled.
fn mark_handling(url: Option<&str>) {
    let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) else {
        return;
    };
    let _ = match url {
        Some(url) => storage.set_item(HANDLING_KEY, url),
        None => storage.remove_item(HANDLING_KEY),
    };
}

/// A connection to one sync server that keeps coming back until stopped.
#[derive(Clone)]
pub struct ServerLink(Rc<ServerInner>);

struct ServerInner {
    repo: Handle,
    url: String,
    share: RefCell<Share>,
    socket: RefCell<Option<WebSocket>>,
    conn: Cell<Option<ConnId>>,
    failures: Cell<u32>,
    /// When the current socket opened: one that stayed up a while resets the
    /// wait, one that a bad server closes at once does not.
    opened_at: Cell<i64>,
    stopped: Cell<bool>,
    on_state: Box<dyn Fn(ServerState)>,
}

impl ServerLink {
    /// Connects to `url`, offering it the documents `share` names.
    pub fn start(
        repo: Handle,
        url: &str,
        share: Share,
        on_state: impl Fn(ServerState) + 'static,
    ) -> Self {
        let link = Self(Rc::new(ServerInner {
            repo,
            url: url.to_owned(),
            share: RefCell::new(share),
            socket: RefCell::default(),
            conn: Cell::default(),
            failures: Cell::default(),
            opened_at: Cell::default(),
            stopped: Cell::default(),
            on_state: Box::new(on_state),
        }));
        if held_server().as_deref() == Some(url) {
            link.0.stopped.set(true);
            (link.0.on_state)(ServerState::Held);
        } else {
            link.open();
        }
        link
    }

    /// Connects to a held server after all (the member chose to keep it).
    pub fn resume(&self) {
        if self.0.stopped.get() && self.0.socket.borrow().is_none() {
            self.0.stopped.set(false);
            self.0.failures.set(0);
            self.open();
        }
    }

    pub fn url(&self) -> &str {
        &self.0.url
    }

    /// The connection while the server is connected.
    pub fn conn(&self) -> Option<ConnId> {
        self.0.conn.get()
    }

    /// Offers the server a different set of groups.
    pub fn set_share(&self, share: Share) {
        if let Some(conn) = self.0.conn.get() {
            self.0.repo.set_share(conn, share.clone());
        }
        *self.0.share.borrow_mut() = share;
    }

    /// Closes the connection for good.
    pub fn stop(&self) {
        self.0.stopped.set(true);
        if let Some(socket) = self.0.socket.borrow_mut().take() {
            let _ = socket.close();
        }
        if let Some(conn) = self.0.conn.take() {
            self.0.repo.disconnect(conn);
        }
    }

    /// Tries again now (the browser came back online).
    pub fn retry_now(&self) {
        if self.0.socket.borrow().is_none() && !self.0.stopped.get() {
            self.0.failures.set(0);
            self.open();
        }
    }

    fn open(&self) {
        let Ok(socket) = WebSocket::new(&self.0.url) else {
            (self.0.on_state)(ServerState::BadAddress);
            return;
        };
        socket.set_binary_type(BinaryType::Arraybuffer);
        (self.0.on_state)(ServerState::Connecting);

        let link = self.clone();
        let on_open = Closure::<dyn Fn()>::new(move || link.opened());
        let link = self.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let (Some(conn), Ok(buffer)) =
                (link.0.conn.get(), event.data().dyn_into::<ArrayBuffer>())
            else {
                return;
            };
            // Measured before a byte is copied into wasm memory.
            let size = buffer.byte_length() as usize;
            if size > MAX_FRAME_BYTES {
                return link.0.repo.too_large(conn, size);
            }
            mark_handling(Some(&link.0.url));
            link.0
                .repo
                .receive(conn, &Uint8Array::new(&buffer).to_vec());
            mark_handling(None);
        });
        let link = self.clone();
        let on_close = Closure::<dyn Fn()>::new(move || link.closed());
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The socket lives until closed; its handlers with it.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        *self.0.socket.borrow_mut() = Some(socket);
    }

    fn opened(&self) {
        let Some(socket) = self.0.socket.borrow().clone() else {
            return;
        };
        self.0.opened_at.set(super::platform::now_ms());
        let sending = socket.clone();
        let wire = Wire {
            send: Box::new(move |frame| {
                let _ = sending.send_with_u8_array(frame);
            }),
            close: Box::new(move || {
                let _ = socket.close();
            }),
            peer: self.0.url.clone(),
        };
        let share = self.0.share.borrow().clone();
        let conn = self.0.repo.connect(Link::Client, share, wire);
        self.0.conn.set(Some(conn));
        (self.0.on_state)(ServerState::Connected);
    }

    fn closed(&self) {
        self.0.socket.borrow_mut().take();
        if let Some(conn) = self.0.conn.take() {
            self.0.repo.disconnect(conn);
        }
        if self.0.stopped.get() {
            return;
        }
        // 1 s, 2 s, 4 s ... up to a minute between tries.
        let opened_at = self.0.opened_at.take();
        if opened_at > 0 && super::platform::now_ms() - opened_at > STAYED_UP_MS {
            self.0.failures.set(0);
        }
        let failures = self.0.failures.get();
        self.0.failures.set(failures + 1);
        let retry_ms = 1000 * 2u32.pow(failures.min(6)).min(60);
        (self.0.on_state)(ServerState::Waiting { retry_ms });
        let link = self.clone();
        leptos::prelude::set_timeout(
            move || {
                if !link.0.stopped.get() && link.0.socket.borrow().is_none() {
                    link.open();
                }
            },
            std::time::Duration::from_millis(u64::from(retry_ms)),
        );
    }
}

/// Joins the channel this browser's tabs share; returns its connection, or
/// `None` where the browser has no BroadcastChannel.
pub fn join_tabs(repo: &Handle) -> Option<ConnId> {
    let channel = BroadcastChannel::new(TAB_CHANNEL).ok()?;
    let sending = channel.clone();
    let closing = channel.clone();
    let wire = Wire {
        send: Box::new(move |frame| {
            let _ = sending.post_message(&Uint8Array::from(frame));
        }),
        close: Box::new(move || closing.close()),
        peer: "tabs".to_owned(),
    };
    let conn = repo.connect(Link::Bus, Share::Everything, wire);
    let receiving = repo.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Ok(bytes) = event.data().dyn_into::<Uint8Array>() {
            let size = bytes.byte_length() as usize;
            if size > MAX_FRAME_BYTES {
                return receiving.too_large(conn, size);
            }
            receiving.receive(conn, &bytes.to_vec());
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Say goodbye when the tab goes, so the others stop counting it.
    let leaving = repo.clone();
    let on_hide = Closure::<dyn Fn()>::new(move || leaving.leave(conn));
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    }
    on_hide.forget();
    Some(conn)
}
