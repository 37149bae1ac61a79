//! The wire protocol of automerge-repo, version "1": one CBOR map per frame,
//! with the same `type` names and camelCase fields as
//! `@automerge/automerge-repo` (`network/messages.ts`) and its WebSocket
//! adapter (`join`, `peer`, `error`). Every transport carries these frames.
//!
//! Decoding never panics and never trusts a length: a frame is read into a
//! small value tree (depth and size bounded) and then checked field by field.

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

use super::DocumentId;

/// The only protocol version there is; a peer offering none we know is told so.
pub const PROTOCOL_VERSION: &str = "1";

/// Frames larger than this are refused unread: a whole group with years of
/// history is a few MB, and a phone must not be made to allocate without end.
/// Every transport checks it before copying a frame into wasm memory.
pub const MAX_FRAME_BYTES: usize = 32 * 1024 * 1024;

/// A peer's name for itself, chosen afresh by each running app.
pub type PeerId = String;

/// The id of a peer's storage: sync states kept for it survive reconnects.
pub type StorageId = String;

/// What a peer says about itself when it joins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    pub storage_id: Option<StorageId>,
    /// An ephemeral peer keeps nothing, so its sync states are not worth keeping.
    pub is_ephemeral: bool,
}

/// The heads a peer's storage holds of one document, as gossiped in
/// `remote-heads-changed`.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteHeads {
    pub storage_id: StorageId,
    pub heads: Vec<String>,
    pub timestamp: f64,
}

/// One frame of the protocol.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    /// The first frame of whoever opens a connection.
    Join {
        sender: PeerId,
        metadata: PeerMetadata,
        versions: Vec<String>,
    },
    /// The answer to `join`.
    Peer {
        sender: PeerId,
        target: PeerId,
        metadata: PeerMetadata,
        version: String,
    },
    /// Sent before the other end closes the connection.
    Error {
        sender: PeerId,
        target: Option<PeerId>,
        message: String,
    },
    /// A peer going away on a shared channel.
    Leave { sender: PeerId },
    /// "I want this document": an automerge sync message from an empty doc.
    Request {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
        data: Vec<u8>,
    },
    /// An automerge sync message for one document.
    Sync {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
        data: Vec<u8>,
    },
    /// The answer to a `request` for a document the peer does not have.
    DocUnavailable {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
    },
    /// Data about a document that is not stored (who is looking at it).
    Ephemeral {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
        session: String,
        count: u64,
        data: Vec<u8>,
    },
    /// Which heads of a document some storage holds.
    RemoteHeadsChanged {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
        heads: Vec<RemoteHeads>,
    },
    /// Ask a peer to gossip (or stop gossiping) the heads of some storages.
    RemoteSubscriptionChange {
        sender: PeerId,
        target: PeerId,
        add: Vec<StorageId>,
        remove: Vec<StorageId>,
    },
}

/// Why a frame could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    TooLarge(usize),
    /// Not CBOR, truncated, nested too deep, or not a map.
    Malformed,
    /// A known type with a missing or mistyped field.
    MissingField(&'static str),
    /// A document id that is not bs58check of 16 bytes.
    BadDocumentId,
    UnknownType(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge(size) => write!(f, "frame of {size} bytes is over the limit"),
            Self::Malformed => f.write_str("not a CBOR map"),
            Self::MissingField(field) => write!(f, "field {field} missing or mistyped"),
            Self::BadDocumentId => f.write_str("bad document id"),
            Self::UnknownType(kind) => write!(f, "unknown message type {kind:?}"),
        }
    }
}

impl Message {
    /// Who sent the frame.
    pub fn sender(&self) -> &str {
        match self {
            Self::Join { sender, .. }
            | Self::Peer { sender, .. }
            | Self::Error { sender, .. }
            | Self::Leave { sender }
            | Self::Request { sender, .. }
            | Self::Sync { sender, .. }
            | Self::DocUnavailable { sender, .. }
            | Self::Ephemeral { sender, .. }
            | Self::RemoteHeadsChanged { sender, .. }
            | Self::RemoteSubscriptionChange { sender, .. } => sender,
        }
    }

    /// Whom the frame is for; `None` for frames to everyone on a channel.
    pub fn target(&self) -> Option<&str> {
        match self {
            Self::Join { .. } | Self::Leave { .. } => None,
            Self::Error { target, .. } => target.as_deref(),
            Self::Peer { target, .. }
            | Self::Request { target, .. }
            | Self::Sync { target, .. }
            | Self::DocUnavailable { target, .. }
            | Self::Ephemeral { target, .. }
            | Self::RemoteHeadsChanged { target, .. }
            | Self::RemoteSubscriptionChange { target, .. } => Some(target),
        }
    }

    /// The frame's bytes, fields in the order automerge-repo writes them.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = self.write(&mut e);
        e.into_writer()
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per message type, fields in wire order"
    )]
    fn write(
        &self,
        e: &mut Encoder<Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<core::convert::Infallible>> {
        match self {
            Self::Join {
                sender,
                metadata,
                versions,
            } => {
                map(e, 4).str("type")?.str("join")?;
                e.str("senderId")?.str(sender)?;
                e.str("peerMetadata")?;
                write_metadata(e, metadata)?;
                e.str("supportedProtocolVersions")?
                    .array(versions.len() as u64)?;
                for version in versions {
                    e.str(version)?;
                }
            }
            Self::Peer {
                sender,
                target,
                metadata,
                version,
            } => {
                map(e, 5).str("type")?.str("peer")?;
                e.str("senderId")?.str(sender)?;
                e.str("peerMetadata")?;
                write_metadata(e, metadata)?;
                e.str("selectedProtocolVersion")?.str(version)?;
                e.str("targetId")?.str(target)?;
            }
            Self::Error {
                sender,
                target,
                message,
            } => {
                map(e, 3 + usize::from(target.is_some()))
                    .str("type")?
                    .str("error")?;
                e.str("senderId")?.str(sender)?;
                e.str("message")?.str(message)?;
                if let Some(target) = target {
                    e.str("targetId")?.str(target)?;
                }
            }
            Self::Leave { sender } => {
                map(e, 2).str("type")?.str("leave")?;
                e.str("senderId")?.str(sender)?;
            }
            Self::Request {
                sender,
                target,
                document,
                data,
            }
            | Self::Sync {
                sender,
                target,
                document,
                data,
            } => {
                let kind = if matches!(self, Self::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                map(e, 5).str("type")?.str(kind)?;
                e.str("targetId")?.str(target)?;
                let document = document.to_string();
                if kind == "request" {
                    e.str("documentId")?.str(&document)?;
                    e.str("data")?.bytes(data)?;
                } else {
                    e.str("data")?.bytes(data)?;
                    e.str("documentId")?.str(&document)?;
                }
                e.str("senderId")?.str(sender)?;
            }
            Self::DocUnavailable {
                sender,
                target,
                document,
            } => {
                map(e, 4).str("type")?.str("doc-unavailable")?;
                e.str("documentId")?.str(&document.to_string())?;
                e.str("targetId")?.str(target)?;
                e.str("senderId")?.str(sender)?;
            }
            Self::Ephemeral {
                sender,
                target,
                document,
                session,
                count,
                data,
            } => {
                map(e, 7).str("type")?.str("ephemeral")?;
                e.str("targetId")?.str(target)?;
                e.str("documentId")?.str(&document.to_string())?;
                e.str("data")?.bytes(data)?;
                e.str("count")?.u64(*count)?;
                e.str("sessionId")?.str(session)?;
                e.str("senderId")?.str(sender)?;
            }
            Self::RemoteHeadsChanged {
                sender,
                target,
                document,
                heads,
            } => {
                map(e, 5).str("type")?.str("remote-heads-changed")?;
                e.str("targetId")?.str(target)?;
                e.str("documentId")?.str(&document.to_string())?;
                e.str("newHeads")?;
                map(e, heads.len());
                for entry in heads {
                    e.str(&entry.storage_id)?;
                    map(e, 2);
                    e.str("heads")?.array(entry.heads.len() as u64)?;
                    for head in &entry.heads {
                        e.str(head)?;
                    }
                    e.str("timestamp")?;
                    write_number(e, entry.timestamp)?;
                }
                e.str("senderId")?.str(sender)?;
            }
            Self::RemoteSubscriptionChange {
                sender,
                target,
                add,
                remove,
            } => {
                map(e, 5).str("type")?.str("remote-subscription-change")?;
                e.str("targetId")?.str(target)?;
                e.str("add")?.array(add.len() as u64)?;
                for id in add {
                    e.str(id)?;
                }
                e.str("remove")?.array(remove.len() as u64)?;
                for id in remove {
                    e.str(id)?;
                }
                e.str("senderId")?.str(sender)?;
            }
        }
        Ok(())
    }

    /// Reads one frame.
    ///
    /// # Errors
    /// When the frame is too large, not CBOR, not a map, of an unknown type,
    /// or lacks a field its type needs.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_FRAME_BYTES {
            return Err(DecodeError::TooLarge(bytes.len()));
        }
        let mut d = Decoder::new(bytes);
        let value = read_value(&mut d, 0).ok_or(DecodeError::Malformed)?;
        let Value::Map(fields) = value else {
            return Err(DecodeError::Malformed);
        };
        let fields = Fields(&fields);
        let kind = fields.text("type")?;
        let sender = || fields.text("senderId").map(str::to_owned);
        let target = || fields.text("targetId").map(str::to_owned);
        let document = || {
            DocumentId::parse(fields.text("documentId")?).map_err(|_| DecodeError::BadDocumentId)
        };
        let data = || fields.bytes("data").map(<[u8]>::to_vec);
        Ok(match kind {
            "join" => Self::Join {
                sender: sender()?,
                metadata: fields.metadata(),
                versions: fields.texts("supportedProtocolVersions")?,
            },
            "peer" => Self::Peer {
                sender: sender()?,
                target: target()?,
                metadata: fields.metadata(),
                version: fields.text("selectedProtocolVersion")?.to_owned(),
            },
            "error" => Self::Error {
                sender: sender().unwrap_or_default(),
                target: target().ok(),
                message: fields.text("message").unwrap_or_default().to_owned(),
            },
            "leave" => Self::Leave { sender: sender()? },
            "request" => Self::Request {
                sender: sender()?,
                target: target()?,
                document: document()?,
                data: data()?,
            },
            "sync" => Self::Sync {
                sender: sender()?,
                target: target()?,
                document: document()?,
                data: data()?,
            },
            "doc-unavailable" => Self::DocUnavailable {
                sender: sender()?,
                target: target()?,
                document: document()?,
            },
            "ephemeral" => Self::Ephemeral {
                sender: sender()?,
                target: target()?,
                document: document()?,
                session: fields.text("sessionId")?.to_owned(),
                count: fields.count("count")?,
                data: data()?,
            },
            "remote-heads-changed" => Self::RemoteHeadsChanged {
                sender: sender()?,
                target: target()?,
                document: document()?,
                heads: fields.remote_heads()?,
            },
            "remote-subscription-change" => Self::RemoteSubscriptionChange {
                sender: sender()?,
                target: target()?,
                add: fields.texts("add").unwrap_or_default(),
                remove: fields.texts("remove").unwrap_or_default(),
            },
            other => return Err(DecodeError::UnknownType(other.chars().take(40).collect())),
        })
    }
}

/// Presence, the `data` of an `ephemeral` frame: CBOR of `{ "name": ... }`,
/// as automerge-repo's `handle.broadcast({ name })` would send it, with
/// `member` beside it when the phone has said which group member it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    /// The name the phone shows for itself.
    pub name: String,
    /// The group member it says it is: pages show that member's own name
    /// from the group, not whatever a peer typed.
    pub member: Option<String>,
}

pub fn encode_presence(name: &str, member: Option<&str>) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    let fields = map(&mut e, 1 + usize::from(member.is_some()));
    let _ = fields.str("name").and_then(|e| e.str(name));
    if let Some(member) = member {
        let _ = e.str("member").and_then(|e| e.str(member));
    }
    e.into_writer()
}

/// Reads presence data; `None` for anything else a peer broadcasts.
pub fn decode_presence(data: &[u8]) -> Option<Presence> {
    let mut d = Decoder::new(data);
    let Value::Map(fields) = read_value(&mut d, 0)? else {
        return None;
    };
    let fields = Fields(&fields);
    let name = fields.text("name").ok()?;
    let member = fields.text("member").ok();
    Some(Presence {
        name: name.chars().take(80).collect(),
        member: member.map(|m| m.chars().take(80).collect()),
    })
}

type EncodeError = minicbor::encode::Error<core::convert::Infallible>;
type EncodeResult = Result<(), EncodeError>;

/// A map header as JavaScript's cbor-x writes it (always the 16-bit length
/// form), so that our frames are byte for byte what automerge-repo sends.
fn map(e: &mut Encoder<Vec<u8>>, len: usize) -> &mut Encoder<Vec<u8>> {
    let len = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
    e.writer_mut().extend([0xb9, len[0], len[1]]);
    e
}

fn write_metadata(e: &mut Encoder<Vec<u8>>, metadata: &PeerMetadata) -> EncodeResult {
    match &metadata.storage_id {
        Some(id) => {
            map(e, 2).str("storageId")?.str(id)?;
        }
        None => {
            map(e, 1);
        }
    }
    e.str("isEphemeral")?.bool(metadata.is_ephemeral)?;
    Ok(())
}

/// Numbers as JavaScript's cbor-x writes them: whole numbers that fit 32
/// bits as integers, anything else (a millisecond timestamp) as a float.
fn write_number(e: &mut Encoder<Vec<u8>>, number: f64) -> EncodeResult {
    #[expect(clippy::cast_possible_truncation, reason = "checked to be whole")]
    #[expect(clippy::cast_sign_loss, reason = "checked to be non-negative")]
    if number.fract() == 0.0 && (0.0..4_294_967_296.0).contains(&number) {
        e.u64(number as u64)?;
    } else {
        e.f64(number)?;
    }
    Ok(())
}

/// A decoded CBOR item, borrowing strings and bytes from the frame.
#[derive(Debug)]
enum Value<'b> {
    Text(&'b str),
    Bytes(&'b [u8]),
    Number(f64),
    Bool(bool),
    Null,
    Array(Vec<Value<'b>>),
    Map(Vec<(Value<'b>, Value<'b>)>),
}

/// Deeper nesting than any protocol message has is refused.
const MAX_DEPTH: u32 = 8;
/// Items in one frame: a protocol message has a few dozen (a long
/// `remote-heads-changed` a few thousand). Each costs a `Value` (32 bytes)
/// however small its CBOR, so a 32 MiB frame of one-byte items would
/// otherwise take a gigabyte.
pub const MAX_ITEMS: usize = 65_536;
/// Room reserved up front for an array or map; more grows as items arrive.
const RESERVE: usize = 64;

/// Reads one item; `None` for anything malformed, truncated, indefinite,
/// tagged, nested too deep or with too many items.
fn read_value<'b>(d: &mut Decoder<'b>, depth: u32) -> Option<Value<'b>> {
    let mut items = MAX_ITEMS;
    read_bounded(d, depth, &mut items)
}

/// [`read_value`] with the items still allowed. Lengths are checked against
/// the bytes left and the items allowed before anything is allocated, and
/// no more than [`RESERVE`] entries are reserved whatever a length claims.
fn read_bounded<'b>(d: &mut Decoder<'b>, depth: u32, items: &mut usize) -> Option<Value<'b>> {
    if depth > MAX_DEPTH {
        return None;
    }
    *items = items.checked_sub(1)?;
    let left = d.input().len().saturating_sub(d.position());
    Some(match d.datatype().ok()? {
        Type::String => Value::Text(d.str().ok()?),
        Type::Bytes => Value::Bytes(d.bytes().ok()?),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            #[expect(clippy::cast_precision_loss, reason = "JavaScript numbers are f64")]
            let number = d.u64().ok()? as f64;
            Value::Number(number)
        }
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => {
            #[expect(clippy::cast_precision_loss, reason = "JavaScript numbers are f64")]
            let number = d.i64().ok()? as f64;
            Value::Number(number)
        }
        Type::F32 => Value::Number(f64::from(d.f32().ok()?)),
        Type::F64 => Value::Number(d.f64().ok()?),
        Type::Bool => Value::Bool(d.bool().ok()?),
        Type::Null | Type::Undefined => {
            d.skip().ok()?;
            Value::Null
        }
        Type::Array => {
            let len = usize::try_from(d.array().ok()??).ok()?;
            if len > left || len > *items {
                return None;
            }
            let mut array = Vec::with_capacity(len.min(RESERVE));
            for _ in 0..len {
                array.push(read_bounded(d, depth + 1, items)?);
            }
            Value::Array(array)
        }
        Type::Map => {
            let len = usize::try_from(d.map().ok()??).ok()?;
            if len > left / 2 || len > *items / 2 {
                return None;
            }
            let mut entries = Vec::with_capacity(len.min(RESERVE));
            for _ in 0..len {
                let key = read_bounded(d, depth + 1, items)?;
                let value = read_bounded(d, depth + 1, items)?;
                entries.push((key, value));
            }
            Value::Map(entries)
        }
        _ => return None,
    })
}

/// The fields of a decoded map, looked up by name.
struct Fields<'a, 'b>(&'a [(Value<'b>, Value<'b>)]);

impl<'b> Fields<'_, 'b> {
    fn get(&self, name: &str) -> Option<&Value<'b>> {
        self.0
            .iter()
            .find(|(key, _)| matches!(key, Value::Text(key) if *key == name))
            .map(|(_, value)| value)
    }

    fn text(&self, name: &'static str) -> Result<&'b str, DecodeError> {
        match self.get(name) {
            Some(Value::Text(text)) => Ok(text),
            _ => Err(DecodeError::MissingField(name)),
        }
    }

    fn bytes(&self, name: &'static str) -> Result<&'b [u8], DecodeError> {
        match self.get(name) {
            Some(Value::Bytes(bytes)) => Ok(bytes),
            _ => Err(DecodeError::MissingField(name)),
        }
    }

    fn count(&self, name: &'static str) -> Result<u64, DecodeError> {
        match self.get(name) {
            #[expect(clippy::cast_possible_truncation, reason = "checked to be whole")]
            #[expect(clippy::cast_sign_loss, reason = "checked to be non-negative")]
            Some(Value::Number(n)) if *n >= 0.0 && n.fract() == 0.0 => Ok(*n as u64),
            _ => Err(DecodeError::MissingField(name)),
        }
    }

    fn texts(&self, name: &'static str) -> Result<Vec<String>, DecodeError> {
        texts(self.get(name)).ok_or(DecodeError::MissingField(name))
    }

    /// `peerMetadata` is optional in automerge-repo; absent means "tells nothing".
    fn metadata(&self) -> PeerMetadata {
        let Some(Value::Map(fields)) = self.get("peerMetadata") else {
            return PeerMetadata::default();
        };
        let fields = Fields(fields);
        PeerMetadata {
            storage_id: fields.text("storageId").ok().map(str::to_owned),
            is_ephemeral: matches!(fields.get("isEphemeral"), Some(Value::Bool(true))),
        }
    }

    fn remote_heads(&self) -> Result<Vec<RemoteHeads>, DecodeError> {
        let missing = DecodeError::MissingField("newHeads");
        let Some(Value::Map(entries)) = self.get("newHeads") else {
            return Err(missing);
        };
        entries
            .iter()
            .map(|(key, value)| {
                let (Value::Text(storage_id), Value::Map(fields)) = (key, value) else {
                    return None;
                };
                let fields = Fields(fields);
                let timestamp = match fields.get("timestamp") {
                    Some(Value::Number(n)) => *n,
                    _ => 0.0,
                };
                Some(RemoteHeads {
                    storage_id: (*storage_id).to_owned(),
                    heads: texts(fields.get("heads"))?,
                    timestamp,
                })
            })
            .collect::<Option<_>>()
            .ok_or(missing)
    }
}

fn texts(value: Option<&Value<'_>>) -> Option<Vec<String>> {
    let Some(Value::Array(items)) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| match item {
            Value::Text(text) => Some((*text).to_owned()),
            _ => None,
        })
        .collect()
}
