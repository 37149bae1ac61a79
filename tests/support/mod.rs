//! What the hostile tests (`tests/hostile.rs`) and the fuzz run
//! (`bench/fuzz_frames.rs`) both need: a group, automerge's number and chunk
//! encodings, and two engines after a real handshake.
#![allow(dead_code, reason = "each user takes part of it")]

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ROOT};
use common_ground::core::model::linked_documents;
use common_ground::core::repo::message::Message;
use common_ground::core::repo::sync::{ConnId, Effect, Link, Share, SyncEngine, Trouble};
use common_ground::core::repo::{DocumentId, StoredDoc};

pub fn group_id() -> DocumentId {
    DocumentId::from_bytes([7; 16])
}

/// Unsigned LEB128, as automerge writes lengths and counts.
pub fn uleb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Signed LEB128 (run lengths, deltas).
pub fn sleb(out: &mut Vec<u8>, mut n: i64) {
    loop {
        let byte = u8::try_from(n & 0x7f).unwrap();
        n >>= 7;
        if (n == 0 && byte & 0x40 == 0) || (n == -1 && byte & 0x40 != 0) {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A chunk with the checksum automerge would write, so that it reaches
/// the checks behind it.
pub fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut length = Vec::new();
    uleb(&mut length, body.len() as u64);
    let mut hasher = Sha256::new();
    hasher.update([kind]);
    hasher.update(&length);
    hasher.update(body);
    let hash: [u8; 32] = hasher.finalize().into();
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83];
    out.extend(&hash[..4]);
    out.push(kind);
    out.extend(length);
    out.extend_from_slice(body);
    out
}

/// A group document of 40 plots, one change each.
pub fn a_group() -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(ActorId::from([1; 16]));
    doc.put(ROOT, "name", "Garden").unwrap();
    let plots = doc.put_object(ROOT, "plots", ObjType::Map).unwrap();
    for i in 0..40 {
        doc.put(&plots, format!("A{i}"), "x".repeat(30)).unwrap();
        doc.commit();
    }
    doc.put_object(ROOT, "meetings", ObjType::Map).unwrap();
    doc.commit();
    doc
}

/// Two engines after a real handshake: node 0 (a phone holding the group,
/// as a client) and node 1 (the server it chose, as host).
pub struct Pair {
    pub phone: SyncEngine,
    pub server: SyncEngine,
    pub phone_conn: ConnId,
    pub server_conn: ConnId,
    pub troubles: Vec<Trouble>,
    pub closed: bool,
}

impl Pair {
    /// The phone holds [`a_group`]; the server holds nothing yet.
    pub fn new() -> Self {
        let mut phone = SyncEngine::new("peer-0".into(), Some("store-0".into()), linked_documents);
        let server = SyncEngine::new("peer-1".into(), Some("store-1".into()), linked_documents)
            .keeping_everything();
        phone.add_document(StoredDoc::new(group_id(), a_group()), Vec::new());
        phone.take_effects();
        let mut pair = Self {
            phone,
            server,
            phone_conn: 1,
            server_conn: 2,
            troubles: Vec::new(),
            closed: false,
        };
        pair.server.connect(2, Link::Host, Share::Asked);
        pair.phone
            .connect(1, Link::Client, Share::Groups([group_id()].into()));
        pair.run();
        assert!(!pair.closed, "a clean handshake");
        assert_eq!(pair.phone.peers().len(), 1);
        assert!(pair.server.has(group_id()), "the first sync went through");
        pair
    }

    /// Carries frames both ways until quiet.
    pub fn run(&mut self) {
        for _ in 0..1000 {
            let mut quiet = true;
            for effect in self.phone.take_effects() {
                match effect {
                    Effect::Send { frame, .. } => {
                        quiet = false;
                        self.server.receive(self.server_conn, &frame, 2);
                    }
                    Effect::Close { trouble, .. } => {
                        self.troubles.push(trouble);
                        self.closed = true;
                        self.server.disconnect(self.server_conn);
                    }
                    _ => {}
                }
            }
            for effect in self.server.take_effects() {
                if let Effect::Send { frame, .. } = effect {
                    quiet = false;
                    if !self.closed {
                        self.phone.receive(self.phone_conn, &frame, 2);
                    }
                }
            }
            if quiet {
                return;
            }
        }
        panic!("never went quiet");
    }

    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.phone
            .document_mut(group_id())
            .unwrap()
            .doc_mut()
            .get_heads()
    }

    /// The server sends the phone a frame.
    pub fn hostile(&mut self, frame: &[u8]) {
        self.phone.receive(self.phone_conn, frame, 3);
        self.run();
    }
}

/// A `sync` frame from the server to the phone of a [`Pair`].
pub fn sync_frame(data: Vec<u8>) -> Vec<u8> {
    Message::Sync {
        sender: "peer-1".into(),
        target: "peer-0".into(),
        document: group_id(),
        data,
    }
    .encode()
}
