//! Phone to phone: a WebRTC data channel opened with codes the members swap
//! by hand (see `core::meet`), carrying the same wire protocol as every other
//! transport.
//!
//! ICE is not trickled: each side waits until the browser has gathered its
//! candidates, so one code each way is all it takes. With no STUN server
//! (the default) the candidates are the phones' own addresses on the Wi-Fi
//! or hotspot they share.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MessageEvent, RtcConfiguration, RtcDataChannel, RtcDataChannelInit, RtcDataChannelState,
    RtcDataChannelType, RtcIceGatheringState, RtcPeerConnection, RtcPeerConnectionState,
    RtcSdpType, RtcSessionDescriptionInit,
};

use super::engine::Handle;
use super::platform;
use super::repo::Wire;
use crate::core::meet::{CodeError, Session, Side};
use crate::core::repo::sync::{ConnId, Link, Share};

/// Longest wait for the browser to gather candidates (ms).
const GATHER_MS: i32 = 5_000;
/// Frames bigger than a data channel message are sent in pieces this big.
const PIECE: usize = 64 * 1024;
/// Past this much unsent data, pieces wait in our queue rather than the
/// browser's, which closes the channel when it overflows.
const BUFFER_HIGH: u32 = 1024 * 1024;
const BUFFER_LOW: u32 = 256 * 1024;
/// A peer's frame may not grow past this while being put back together:
/// the one limit of every transport.
const FRAME_LIMIT: usize = crate::core::repo::message::MAX_FRAME_BYTES;

/// Why a connection could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RtcError {
    /// The browser has no WebRTC, or refused the description.
    Browser(String),
    /// The browser found no address to offer (no network at all).
    Code(CodeError),
}

#[expect(clippy::needless_pass_by_value, reason = "used as map_err(browser)")]
fn browser(error: JsValue) -> RtcError {
    RtcError::Browser(
        error
            .as_string()
            .or_else(|| {
                Reflect::get(&error, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

/// Where one pairing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairState {
    /// Codes swapped; the phones are finding each other.
    Connecting,
    /// The data channel is open and syncing on this connection.
    Open(ConnId),
    /// The phones could not reach each other.
    Failed,
    /// The other phone left.
    Closed,
}

/// One peer connection with its data channel.
#[derive(Clone)]
pub struct Pairing(Rc<PairInner>);

struct PairInner {
    pc: RtcPeerConnection,
    channel: RtcDataChannel,
    conn: Cell<Option<ConnId>>,
    queue: RefCell<VecDeque<Vec<u8>>>,
    incoming: RefCell<Vec<u8>>,
    /// What arrived before [`Pairing::start`], kept for it; `None` once started.
    early: RefCell<Option<Vec<Vec<u8>>>>,
    closed: Cell<bool>,
}

impl Pairing {
    fn new(stun: Option<&str>) -> Result<Self, RtcError> {
        let config = RtcConfiguration::new();
        let servers = Array::new();
        if let Some(url) = stun {
            let server = Object::new();
            Reflect::set(&server, &"urls".into(), &url.into()).map_err(browser)?;
            servers.push(&server);
        }
        config.set_ice_servers(&servers);
        let pc = RtcPeerConnection::new_with_configuration(&config).map_err(browser)?;
        // Both sides make the same channel up front, so neither waits for
        // the other to announce it.
        let init = RtcDataChannelInit::new();
        init.set_negotiated(true);
        init.set_id(0);
        let channel = pc.create_data_channel_with_data_channel_dict("sync", &init);
        channel.set_binary_type(RtcDataChannelType::Arraybuffer);
        channel.set_buffered_amount_low_threshold(BUFFER_LOW);
        let pairing = Self(Rc::new(PairInner {
            pc,
            channel,
            conn: Cell::default(),
            queue: RefCell::default(),
            incoming: RefCell::default(),
            early: RefCell::new(Some(Vec::new())),
            closed: Cell::default(),
        }));
        // Until `start`, what the other phone says is kept for it: the
        // channel can open, and the other phone speak, before this page
        // gets to set its handlers. Bounded like a frame.
        let weak = Rc::downgrade(&pairing.0);
        let keep = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let (Some(inner), Ok(buffer)) = (
                weak.upgrade(),
                event.data().dyn_into::<js_sys::ArrayBuffer>(),
            ) else {
                return;
            };
            let mut early = inner.early.borrow_mut();
            let Some(kept) = early.as_mut() else { return };
            let size = kept.iter().map(Vec::len).sum::<usize>() + buffer.byte_length() as usize;
            if size > FRAME_LIMIT + 1 {
                kept.clear();
                drop(early);
                return Self(inner).close();
            }
            kept.push(Uint8Array::new(&buffer).to_vec());
        });
        pairing
            .0
            .channel
            .set_onmessage(Some(keep.as_ref().unchecked_ref()));
        keep.forget();
        Ok(pairing)
    }

    /// The host's side: a new connection and the session for its offer.
    ///
    /// # Errors
    /// When the browser cannot make one or has no address to offer.
    pub async fn offer(stun: Option<&str>) -> Result<(Self, Session), RtcError> {
        let pairing = Self::new(stun)?;
        let offer = JsFuture::from(pairing.0.pc.create_offer())
            .await
            .map_err(browser)?;
        pairing.set_local(RtcSdpType::Offer, &offer).await?;
        let session = pairing.gathered().await?;
        Ok((pairing, session))
    }

    /// The joiner's side: a connection answering the host's session.
    ///
    /// # Errors
    /// When the browser refuses the host's session or has no address.
    pub async fn answer(stun: Option<&str>, host: &Session) -> Result<(Self, Session), RtcError> {
        let pairing = Self::new(stun)?;
        pairing
            .set_remote(RtcSdpType::Offer, &host.to_sdp(Side::Offer))
            .await?;
        let answer = JsFuture::from(pairing.0.pc.create_answer())
            .await
            .map_err(browser)?;
        pairing.set_local(RtcSdpType::Answer, &answer).await?;
        let session = pairing.gathered().await?;
        Ok((pairing, session))
    }

    /// The host takes the joiner's answer; the phones then connect.
    ///
    /// # Errors
    /// When the browser refuses the answer.
    pub async fn accept(&self, joiner: &Session) -> Result<(), RtcError> {
        self.set_remote(RtcSdpType::Answer, &joiner.to_sdp(Side::Answer))
            .await
    }

    async fn set_local(&self, kind: RtcSdpType, description: &JsValue) -> Result<(), RtcError> {
        let sdp = Reflect::get(description, &"sdp".into())
            .ok()
            .and_then(|sdp| sdp.as_string())
            .unwrap_or_default();
        let init = RtcSessionDescriptionInit::new(kind);
        init.set_sdp(&sdp);
        JsFuture::from(self.0.pc.set_local_description(&init))
            .await
            .map(drop)
            .map_err(browser)
    }

    async fn set_remote(&self, kind: RtcSdpType, sdp: &str) -> Result<(), RtcError> {
        let init = RtcSessionDescriptionInit::new(kind);
        init.set_sdp(sdp);
        JsFuture::from(self.0.pc.set_remote_description(&init))
            .await
            .map(drop)
            .map_err(browser)
    }

    /// This side's session once every candidate is known (or the wait is up).
    async fn gathered(&self) -> Result<Session, RtcError> {
        let mut waited = 0;
        while self.0.pc.ice_gathering_state() != RtcIceGatheringState::Complete
            && waited < GATHER_MS
        {
            platform::sleep(100).await;
            waited += 100;
        }
        let sdp = self
            .0
            .pc
            .local_description()
            .map(|d| d.sdp())
            .unwrap_or_default();
        Session::from_sdp(&sdp).map_err(RtcError::Code)
    }

    /// Syncs `share` with the other phone once the channel opens, and tells
    /// `on_state` how the pairing goes. Best called before the other
    /// phone's session is set (the channel can open as soon as it is);
    /// called later, it takes up an open channel and what arrived on it.
    /// `peer` is the other phone's name, for messages about it.
    pub fn start(
        &self,
        repo: &Handle,
        link: Link,
        share: Share,
        peer: String,
        on_state: impl Fn(PairState) + 'static,
    ) {
        let on_state: Rc<dyn Fn(PairState)> = Rc::new(on_state);
        on_state(PairState::Connecting);

        let (pairing, repo_open, state) = (self.clone(), repo.clone(), on_state.clone());
        let opened: Rc<dyn Fn()> = Rc::new(move || {
            // Once: the event and the check below may both see it open.
            if pairing.0.conn.get().is_some() || pairing.0.closed.get() {
                return;
            }
            let (sending, closing) = (pairing.clone(), pairing.clone());
            let wire = Wire {
                send: Box::new(move |frame| sending.send(frame)),
                close: Box::new(move || closing.close()),
                peer: peer.clone(),
            };
            let conn = repo_open.connect(link, share.clone(), wire);
            pairing.0.conn.set(Some(conn));
            state(PairState::Open(conn));
        });
        let on_open = Closure::<dyn Fn()>::new({
            let opened = opened.clone();
            move || opened()
        });

        let (pairing, repo_in) = (self.clone(), repo.clone());
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return;
            };
            // Measured before a byte is copied into wasm memory.
            pairing.arrived(&repo_in, buffer.byte_length() as usize, || {
                Uint8Array::new(&buffer).to_vec()
            });
        });

        let (pairing, repo_out, state) = (self.clone(), repo.clone(), on_state.clone());
        let on_close = Closure::<dyn Fn()>::new(move || {
            if let Some(conn) = pairing.0.conn.take() {
                repo_out.disconnect(conn);
            }
            pairing.0.closed.set(true);
            state(PairState::Closed);
        });

        let (pairing, state) = (self.clone(), on_state);
        let on_change = Closure::<dyn Fn()>::new(move || {
            if pairing.0.pc.connection_state() == RtcPeerConnectionState::Failed
                && pairing.0.conn.get().is_none()
            {
                state(PairState::Failed);
            }
        });

        let pairing = self.clone();
        let on_low = Closure::<dyn Fn()>::new(move || pairing.drain());

        let channel = &self.0.channel;
        channel.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        channel.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        channel.set_onbufferedamountlow(Some(on_low.as_ref().unchecked_ref()));
        self.0
            .pc
            .set_onconnectionstatechange(Some(on_change.as_ref().unchecked_ref()));
        // The handlers live as long as the connection, which lives until the page goes.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        on_change.forget();
        on_low.forget();
        // A channel that opened before these handlers were set fires no
        // `open` event for them: a side that never counted the link open
        // would drop every frame, and a meeting's room split in two without
        // a word. What arrived meanwhile was kept.
        if channel.ready_state() == RtcDataChannelState::Open {
            opened();
        }
        let early = self.0.early.borrow_mut().take().unwrap_or_default();
        for message in early {
            self.arrived(repo, message.len(), || message);
        }
    }

    /// A message of `size` bytes arrived on an open link: `bytes` copies it
    /// into wasm memory once its size is known to be taken.
    fn arrived(&self, repo: &Handle, size: usize, bytes: impl FnOnce() -> Vec<u8>) {
        let Some(conn) = self.0.conn.get() else {
            return;
        };
        let had = self.0.incoming.borrow().len();
        if had + size > FRAME_LIMIT + 1 {
            self.0.incoming.borrow_mut().clear();
            return repo.too_large(conn, had + size);
        }
        if let Some(frame) = self.piece_arrived(&bytes()) {
            repo.receive(conn, &frame);
        }
    }

    /// Ends the connection.
    pub fn close(&self) {
        self.0.closed.set(true);
        self.0.channel.close();
        self.0.pc.close();
    }

    /// Sends a frame in pieces: each starts with 1 if more of the frame
    /// follows, 0 on its last piece.
    fn send(&self, frame: &[u8]) {
        let mut pieces = frame.chunks(PIECE).peekable();
        let mut queue = self.0.queue.borrow_mut();
        if frame.is_empty() {
            queue.push_back(vec![0]);
        }
        while let Some(piece) = pieces.next() {
            let mut message = Vec::with_capacity(piece.len() + 1);
            message.push(u8::from(pieces.peek().is_some()));
            message.extend_from_slice(piece);
            queue.push_back(message);
        }
        drop(queue);
        self.drain();
    }

    fn drain(&self) {
        let channel = &self.0.channel;
        while channel.ready_state() == RtcDataChannelState::Open
            && channel.buffered_amount() < BUFFER_HIGH
        {
            let Some(message) = self.0.queue.borrow_mut().pop_front() else {
                return;
            };
            if channel.send_with_u8_array(&message).is_err() {
                self.close();
                return;
            }
        }
    }

    /// Puts frames back together; a whole frame comes out on its last piece.
    fn piece_arrived(&self, message: &[u8]) -> Option<Vec<u8>> {
        let (&more, piece) = message.split_first()?;
        let mut incoming = self.0.incoming.borrow_mut();
        if incoming.len() + piece.len() > FRAME_LIMIT {
            incoming.clear();
            drop(incoming);
            self.close();
            return None;
        }
        incoming.extend_from_slice(piece);
        (more == 0).then(|| std::mem::take(&mut *incoming))
    }

    pub fn is_closed(&self) -> bool {
        self.0.closed.get()
    }
}
