//! The sync engine: every document on this device and every peer it is
//! connected to, as a state machine with no I/O.
//!
//! The shell feeds it inputs — a connection opened or closed, a frame
//! received, a local change, a document loaded, a tick — and carries out the
//! [`Effect`]s it returns: send this frame, close that connection, save this
//! document or sync state, re-read that document. There is no socket, clock
//! or `await` in here; `now` comes in as a value.
//!
//! Per document and peer it keeps an automerge [`sync::State`]. A peer that
//! has storage (`storageId`, not ephemeral) gets its sync state saved when it
//! goes, so that a reconnect sends only what is new.
//!
//! Who gets what (the share policy): knowing a document's id is the
//! capability. A peer gets a document it asks for by id, and the documents
//! linked from a group it holds (so joining a group brings its meetings).
//! Tabs of the same browser get everything; a group's sync server gets that
//! group and what it links. Nothing is announced to strangers.

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, ChangeHash};

use super::guard::{self, Refused};
use super::message::{DecodeError, Message, PROTOCOL_VERSION, PeerId, PeerMetadata, StorageId};
use super::{DocumentId, StoredDoc};

/// Sync states kept per document: one per server or phone this device
/// syncs with, not one per storage id a peer makes up. Past it the least
/// recently kept is forgotten, in memory and in storage.
pub const MAX_SYNC_STATES: usize = 8;
/// Ephemeral frames remembered to drop relayed copies, and for how long (ms).
pub const MAX_EPHEMERAL_SEEN: usize = 256;
pub const EPHEMERAL_SEEN_MS: i64 = 60_000;
/// Presence and other ephemeral data bigger than this is not relayed.
pub const MAX_EPHEMERAL_BYTES: usize = 4 * 1024;

/// The shell's name for one connection (a socket, a channel).
pub type ConnId = u64;

/// How a connection reaches peers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// We opened it to a server and speak first (`join`); one peer.
    Client,
    /// The other end speaks first; we answer (`peer`); one peer.
    Host,
    /// A channel every tab of this browser shares: `join` goes to everyone,
    /// everyone answers, and frames for someone else are ignored.
    Bus,
}

/// Which documents we offer a connection's peers unasked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// Other tabs of this browser: they read the same IndexedDB anyway.
    Everything,
    /// A sync server chosen for these groups: the groups and what they link.
    Groups(BTreeSet<DocumentId>),
    /// The same, for a sync server that must never hear of a sealed group
    /// (see [`SyncEngine::seal`]): its documents are not offered, asked
    /// for, answered or even named there; their sealed logs (listed among
    /// the groups) are.
    Server(BTreeSet<DocumentId>),
    /// Only what the peer asks for by id, and what groups it holds link.
    Asked,
}

/// Why a connection was closed or a frame ignored, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// The peer sent a frame that could not be read.
    Unreadable(DecodeError),
    /// The peer broke the protocol (a document message before `join`).
    Protocol(String),
    /// The peer offered no protocol version we speak.
    Version,
    /// The peer sent an `error` and will close.
    PeerSaid(String),
    /// The peer sent automerge data that would crash or exhaust this
    /// phone (see `guard`); nothing of it was applied.
    Hostile(Refused),
}

/// What the shell must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Send {
        conn: ConnId,
        frame: Vec<u8>,
    },
    /// Close the connection; the engine has already forgotten it.
    Close {
        conn: ConnId,
        trouble: Trouble,
    },
    /// A frame was ignored (on a shared channel a bad frame closes nothing).
    Ignored {
        conn: ConnId,
        trouble: Trouble,
    },
    /// A peer's changes were merged: save the document and re-read it.
    Changed(DocumentId),
    /// A document this device asked for arrived.
    Arrived(DocumentId),
    /// Every connected peer said it does not have a document we asked for.
    Unavailable(DocumentId),
    /// Keep this sync state under `[document, "sync-state", storage]`.
    SaveSyncState {
        document: DocumentId,
        storage: StorageId,
        state: Vec<u8>,
    },
    /// Delete `[document, "sync-state", storage]`: past the limit, or
    /// unreadable. A lost sync state only costs a longer next sync.
    ForgetSyncState {
        document: DocumentId,
        storage: StorageId,
    },
    /// Ephemeral data about a document (presence), from a peer.
    Ephemeral {
        document: DocumentId,
        peer: PeerId,
        data: Vec<u8>,
    },
    /// Connections or sync progress changed: redraw the status.
    Status,
}

/// A connected peer as the status line shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerStatus {
    pub conn: ConnId,
    pub peer: PeerId,
    pub link: Link,
    pub since: i64,
    /// When a sync message from this peer last arrived.
    pub last_heard: Option<i64>,
}

/// Whose copy a count of changes is about: the peer on a connection now,
/// or a peer with storage (a sync server, a phone) known by its storage id,
/// connected or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holder {
    Conn(ConnId),
    Storage(StorageId),
}

/// Counts of changes kept between status redraws (see `count_missing`).
const MAX_COUNTED: usize = 64;

/// Reads the ids of the documents a document links to (a group's meetings).
pub type LinksOf = fn(&AutoCommit) -> Vec<DocumentId>;

struct Doc {
    stored: StoredDoc,
    /// Asked for by id and not here yet.
    wanted: bool,
    /// Sync states of peers with storage, loaded or kept from earlier.
    saved_sync: SavedSync,
}

/// The deletion of a sync state pushed out of [`SavedSync`].
fn forgetting(document: DocumentId, storage: Option<StorageId>) -> Option<Effect> {
    storage.map(|storage| Effect::ForgetSyncState { document, storage })
}

/// At most [`MAX_SYNC_STATES`] sync states by storage id, least recently
/// kept first, so that a peer making up storage ids pushes out its own.
#[derive(Default)]
struct SavedSync(Vec<(StorageId, sync::State)>);

impl SavedSync {
    fn get(&self, storage: &str) -> Option<&sync::State> {
        self.0
            .iter()
            .find(|(s, _)| s == storage)
            .map(|(_, state)| state)
    }

    fn iter(&self) -> impl Iterator<Item = (&StorageId, &sync::State)> {
        self.0.iter().map(|(storage, state)| (storage, state))
    }

    /// Keeps `state` as the newest; returns the storage id pushed out.
    fn keep(&mut self, storage: StorageId, state: sync::State) -> Option<StorageId> {
        self.0.retain(|(s, _)| *s != storage);
        self.0.push((storage, state));
        (self.0.len() > MAX_SYNC_STATES).then(|| self.0.remove(0).0)
    }
}

struct Conn {
    link: Link,
    share: Share,
}

struct Peer {
    conn: ConnId,
    metadata: PeerMetadata,
    since: i64,
    last_heard: Option<i64>,
    docs: BTreeMap<DocumentId, PeerDoc>,
}

#[derive(Default)]
struct PeerDoc {
    sync: sync::State,
    /// The peer has shown it holds or wants the document (it sent a sync
    /// or request for it), so what it links may be offered to it.
    holds: bool,
    /// The peer said it does not have the document.
    unavailable: bool,
}

/// The engine. See the module documentation.
pub struct SyncEngine {
    me: PeerId,
    metadata: PeerMetadata,
    links_of: LinksOf,
    docs: BTreeMap<DocumentId, Doc>,
    conns: BTreeMap<ConnId, Conn>,
    peers: BTreeMap<PeerId, Peer>,
    /// Our ephemeral session and counter, and the frames seen lately (by
    /// session and count, with when) so that relayed ephemeral data is taken
    /// once. Only exact repeats are dropped: a made-up count of `u64::MAX`
    /// cannot silence a session.
    session: String,
    ephemeral_count: u64,
    ephemeral_seen: BTreeMap<(String, u64), i64>,
    /// Keep any document a peer pushes, as a sync server does.
    keeps_everything: bool,
    effects: Vec<Effect>,
    /// Changes counted as missing, by document and the heads a peer is
    /// known to have: the heads counted at and the count.
    counted: BTreeMap<(DocumentId, Vec<ChangeHash>), (Vec<ChangeHash>, usize)>,
    /// Sealed groups: they and what they link never reach a `Share::Server`.
    sealed: BTreeSet<DocumentId>,
}

impl SyncEngine {
    /// An engine for a peer named `me` whose storage is `storage`.
    pub fn new(me: PeerId, storage: Option<StorageId>, links_of: LinksOf) -> Self {
        Self {
            session: me.clone(),
            me,
            metadata: PeerMetadata {
                is_ephemeral: storage.is_none(),
                storage_id: storage,
            },
            links_of,
            docs: BTreeMap::new(),
            conns: BTreeMap::new(),
            peers: BTreeMap::new(),
            ephemeral_count: 0,
            ephemeral_seen: BTreeMap::new(),
            keeps_everything: false,
            effects: Vec::new(),
            counted: BTreeMap::new(),
            sealed: BTreeSet::new(),
        }
    }

    /// Seals a group: from now on neither it nor any document it links is
    /// offered to, asked of, or answered on a sync server's connection
    /// (`Share::Server`). Call it before the group is added or wanted.
    pub fn seal(&mut self, group: DocumentId) {
        self.sealed.insert(group);
    }

    /// Whether `document` is a sealed group's, or linked from one.
    pub fn is_sealed(&self, document: DocumentId) -> bool {
        self.sealed.contains(&document)
            || self
                .sealed
                .iter()
                .any(|g| self.links(*g).contains(&document))
    }

    /// Whether a connection must never hear of `document`.
    fn withheld(&self, conn: ConnId, document: DocumentId) -> bool {
        self.conns
            .get(&conn)
            .is_some_and(|c| matches!(c.share, Share::Server(_)))
            && self.is_sealed(document)
    }

    /// Makes this engine keep every document a peer pushes to it, the way
    /// an automerge-repo sync server does. The app never does this: a phone
    /// keeps only what it asked for and what its groups link.
    #[must_use]
    pub const fn keeping_everything(mut self) -> Self {
        self.keeps_everything = true;
        self
    }

    pub fn peer_id(&self) -> &str {
        &self.me
    }

    /// The effects of everything handled since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    // ---- documents ----

    /// Adds a document loaded from storage (or created here), with the sync
    /// states stored beside it, and offers it to the peers that should have it.
    pub fn add_document(&mut self, stored: StoredDoc, sync_states: Vec<(StorageId, Vec<u8>)>) {
        let id = stored.id();
        // Records past the limit (an older version kept one per storage id
        // ever seen) and unreadable ones are deleted, not just skipped.
        let mut saved_sync = SavedSync::default();
        for (storage, bytes) in sync_states {
            let forgotten = match sync::State::decode(&bytes) {
                Ok(state) => saved_sync.keep(storage, state),
                Err(_) => Some(storage),
            };
            self.effects.extend(forgetting(id, forgotten));
        }
        let wanted = self.docs.get(&id).is_some_and(|doc| doc.wanted);
        let doc = Doc {
            stored,
            wanted: false,
            saved_sync,
        };
        if let Some(existing) = self.docs.get_mut(&id) {
            // It was asked for meanwhile: keep what arrived and add what was stored.
            let bytes = doc.stored.doc().clone().save();
            let _ = existing.stored.doc_mut().load_incremental(&bytes);
            for (storage, state) in doc.saved_sync.0 {
                let forgotten = existing.saved_sync.keep(storage, state);
                self.effects.extend(forgetting(id, forgotten));
            }
            existing.wanted = existing.stored.doc_mut().get_heads().is_empty();
        } else {
            self.docs.insert(id, doc);
        }
        if wanted {
            self.effects.push(Effect::Arrived(id));
        }
        self.offer_everywhere(id);
        // What is shared or not changed with it: counts are redrawn.
        self.effects.push(Effect::Status);
    }

    /// Merges a copy of a document that came some other way (an updates
    /// file); a document not held yet is kept under `actor`. Returns whether
    /// it brought anything new, which is then saved and offered like a
    /// peer's change.
    pub fn merge_document(
        &mut self,
        id: DocumentId,
        mut copy: AutoCommit,
        actor: automerge::ActorId,
    ) -> bool {
        if let Some(doc) = self.docs.get_mut(&id).filter(|doc| !doc.wanted) {
            let before = doc.stored.doc_mut().get_heads();
            if doc.stored.doc_mut().merge(&mut copy).is_err()
                || doc.stored.doc_mut().get_heads() == before
            {
                return false;
            }
        } else {
            copy.set_actor(actor);
            self.add_document(StoredDoc::new(id, copy), Vec::new());
        }
        self.effects.push(Effect::Changed(id));
        self.offer_everywhere(id);
        true
    }

    /// Asks every peer for a document this device does not hold (opening an
    /// invite link). [`Effect::Arrived`] or [`Effect::Unavailable`] follows.
    pub fn want(&mut self, id: DocumentId, actor: automerge::ActorId) {
        if self.docs.contains_key(&id) {
            return;
        }
        self.ask_for(id, Some(actor));
        self.check_unavailable(id);
    }

    pub fn has(&self, id: DocumentId) -> bool {
        self.docs.get(&id).is_some_and(|doc| !doc.wanted)
    }

    pub fn document(&self, id: DocumentId) -> Option<&StoredDoc> {
        self.docs
            .get(&id)
            .filter(|doc| !doc.wanted)
            .map(|doc| &doc.stored)
    }

    /// The document to edit; call [`SyncEngine::local_change`] afterwards.
    pub fn document_mut(&mut self, id: DocumentId) -> Option<&mut StoredDoc> {
        self.docs
            .get_mut(&id)
            .filter(|doc| !doc.wanted)
            .map(|doc| &mut doc.stored)
    }

    pub fn document_ids(&self) -> impl Iterator<Item = DocumentId> + '_ {
        self.docs
            .iter()
            .filter(|(_, doc)| !doc.wanted)
            .map(|(id, _)| *id)
    }

    /// This device changed a document: tell the peers that have it, and
    /// offer anything it now links.
    pub fn local_change(&mut self, id: DocumentId) {
        self.offer_everywhere(id);
        self.effects.push(Effect::Status);
    }

    /// How many changes of a document are only on this device: no server or
    /// phone, connected now or earlier, is known to have them. Other tabs
    /// do not count (they share this device's storage).
    pub fn unshared_changes(&mut self, id: DocumentId) -> usize {
        let mine = self.metadata.storage_id.clone();
        let mut known: Vec<ChangeHash> = self
            .peers
            .values()
            .filter(|peer| {
                self.conns
                    .get(&peer.conn)
                    .is_some_and(|c| c.link != Link::Bus)
                    && (peer.metadata.storage_id.is_none() || peer.metadata.storage_id != mine)
            })
            .filter_map(|peer| peer.docs.get(&id))
            .flat_map(|state| state.sync.shared_heads.iter().copied())
            .collect();
        if let Some(doc) = self.docs.get(&id) {
            known.extend(
                doc.saved_sync
                    .iter()
                    .filter(|(storage, _)| Some(*storage) != mine.as_ref())
                    .flat_map(|(_, state)| state.shared_heads.iter().copied()),
            );
        }
        self.count_missing(id, known)
    }

    /// How many changes of a document `holder` is not known to have: what
    /// its sync state says it has, live while it is connected, as last kept
    /// when not. A holder never synced with has none.
    pub fn missing_on(&mut self, id: DocumentId, holder: &Holder) -> usize {
        let known = self.known_heads(id, holder);
        self.count_missing(id, known)
    }

    /// The storage id of the peer on a connection, when it keeps one (a
    /// sync server, another phone), so it can be counted for while away.
    pub fn storage_on(&self, conn: ConnId) -> Option<StorageId> {
        self.peers
            .values()
            .find(|peer| peer.conn == conn && !peer.metadata.is_ephemeral)
            .and_then(|peer| peer.metadata.storage_id.clone())
    }

    /// The heads of a document `holder` is known to have.
    fn known_heads(&self, id: DocumentId, holder: &Holder) -> Vec<ChangeHash> {
        let storage_of = |peer: &Peer| {
            peer.metadata
                .storage_id
                .clone()
                .filter(|_| !peer.metadata.is_ephemeral)
        };
        let peer = self.peers.values().find(|peer| match holder {
            Holder::Conn(conn) => peer.conn == *conn,
            Holder::Storage(storage) => storage_of(peer).as_ref() == Some(storage),
        });
        if let Some(state) = peer.and_then(|peer| peer.docs.get(&id)) {
            return state.sync.shared_heads.clone();
        }
        let storage = match holder {
            Holder::Conn(_) => peer.and_then(storage_of),
            Holder::Storage(storage) => Some(storage.clone()),
        };
        storage
            .and_then(|storage| self.docs.get(&id)?.saved_sync.get(&storage))
            .map(|state| state.shared_heads.clone())
            .unwrap_or_default()
    }

    /// Counts the changes of a document that are not among `known` and
    /// what it depends on. Counted again only for what is new: a document
    /// only grows, so once every known head is here, the changes missing now
    /// are those missing when last counted plus those added since.
    fn count_missing(&mut self, id: DocumentId, mut known: Vec<ChangeHash>) -> usize {
        let Some(doc) = self.docs.get_mut(&id).filter(|doc| !doc.wanted) else {
            return 0;
        };
        let doc = doc.stored.doc_mut();
        known.sort_unstable();
        known.dedup();
        let heads = doc.get_heads();
        if heads == known {
            return 0;
        }
        let key = (id, known);
        let count = match self.counted.get(&key) {
            Some((at, count)) if *at == heads => *count,
            Some((at, count)) => count + doc.get_changes_meta(at).len(),
            None => doc.get_changes_meta(&key.1).len(),
        };
        // Known heads this device lacks (a damaged chunk) may arrive later
        // and change the answer, so such counts are not kept.
        let all_here = key
            .1
            .iter()
            .all(|hash| doc.get_change_meta_by_hash(hash).is_some());
        if all_here {
            if self.counted.len() >= MAX_COUNTED {
                self.counted.clear();
            }
            self.counted.insert(key, (heads, count));
        }
        count
    }

    // ---- connections ----

    /// A connection opened. A client or a shared channel speaks first.
    pub fn connect(&mut self, conn: ConnId, link: Link, share: Share) {
        self.conns.insert(conn, Conn { link, share });
        if link != Link::Host {
            let join = Message::Join {
                sender: self.me.clone(),
                metadata: self.metadata.clone(),
                versions: vec![PROTOCOL_VERSION.to_owned()],
            };
            self.send(conn, &join);
        }
    }

    /// Changes what a connection is offered (a group was added to a server).
    pub fn set_share(&mut self, conn: ConnId, share: Share) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.share = share;
        }
        let peers: Vec<PeerId> = self.peers_on(conn);
        for peer in peers {
            self.offer_all(&peer);
        }
    }

    /// A connection closed (or the shell gave up on it).
    pub fn disconnect(&mut self, conn: ConnId) {
        if self.conns.remove(&conn).is_none() {
            return;
        }
        for peer in self.peers_on(conn) {
            self.forget_peer(&peer);
        }
        self.effects.push(Effect::Status);
    }

    /// A shared channel is closing (the tab goes away): say so, then close.
    pub fn leave(&mut self, conn: ConnId) {
        let leave = Message::Leave {
            sender: self.me.clone(),
        };
        self.send(conn, &leave);
        self.disconnect(conn);
    }

    /// Connected peers, for the status line.
    pub fn peers(&self) -> Vec<PeerStatus> {
        self.peers
            .iter()
            .map(|(id, peer)| PeerStatus {
                conn: peer.conn,
                peer: id.clone(),
                link: self.conns.get(&peer.conn).map_or(Link::Host, |c| c.link),
                since: peer.since,
                last_heard: peer.last_heard,
            })
            .collect()
    }

    /// Whether a connection's peer has everything of a document that we have.
    pub fn in_sync(&mut self, conn: ConnId, id: DocumentId) -> bool {
        let Some(doc) = self.docs.get_mut(&id) else {
            return false;
        };
        let heads = doc.stored.doc_mut().get_heads();
        self.peers.values().any(|peer| {
            peer.conn == conn
                && peer
                    .docs
                    .get(&id)
                    .is_some_and(|state| state.sync.their_heads.as_ref() == Some(&heads))
        })
    }

    // ---- frames ----

    /// The shell refused a frame before reading it (too large to copy):
    /// close the connection (or ignore the frame on a shared channel).
    pub fn refuse(&mut self, conn: ConnId, trouble: Trouble) {
        if self.conns.contains_key(&conn) {
            self.trouble(conn, trouble);
        }
    }

    /// A frame arrived on a connection.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8], now: i64) {
        let Some(link) = self.conns.get(&conn).map(|c| c.link) else {
            return;
        };
        let message = match Message::decode(frame) {
            Ok(message) => message,
            Err(error) => return self.trouble(conn, Trouble::Unreadable(error)),
        };
        if message.target().is_some_and(|target| target != self.me) {
            // On a shared channel, frames for other tabs pass by everyone.
            return;
        }
        let sender = message.sender().to_owned();
        // Ephemeral data is relayed under its author's name (as automerge-repo
        // does), so it may come from someone we only know through `via`.
        let via = if matches!(message, Message::Ephemeral { .. }) {
            self.peers_on(conn).into_iter().next()
        } else {
            self.peers
                .get(&sender)
                .is_some_and(|peer| peer.conn == conn)
                .then(|| sender.clone())
        };
        let known = via.is_some();
        match message {
            Message::Join {
                sender,
                metadata,
                versions,
            } => self.receive_join((conn, link), &sender, metadata, &versions, now),
            Message::Peer {
                sender,
                metadata,
                version,
                ..
            } => {
                if link == Link::Host {
                    return self.trouble(conn, Trouble::Protocol("peer to a host".into()));
                }
                if version != PROTOCOL_VERSION {
                    return self.trouble(conn, Trouble::Version);
                }
                if link == Link::Client && !self.peers_on(conn).is_empty() {
                    return self.trouble(conn, Trouble::Protocol("second peer".into()));
                }
                self.add_peer(conn, &sender, metadata, now);
            }
            Message::Error { message, .. } => {
                if link == Link::Bus {
                    return;
                }
                self.trouble(conn, Trouble::PeerSaid(message.chars().take(200).collect()));
            }
            Message::Leave { sender } => {
                if known {
                    self.forget_peer(&sender);
                    self.effects.push(Effect::Status);
                }
            }
            _ if !known => {
                self.trouble(conn, Trouble::Protocol("message before join".into()));
            }
            Message::Request { document, data, .. } => {
                self.receive_sync(&sender, document, &data, true, now);
            }
            Message::Sync { document, data, .. } => {
                self.receive_sync(&sender, document, &data, false, now);
            }
            Message::DocUnavailable { document, .. } => {
                if let Some(state) = self.peer_doc(&sender, document) {
                    state.unavailable = true;
                }
                self.check_unavailable(document);
            }
            Message::Ephemeral {
                document,
                session,
                count,
                data,
                ..
            } => {
                let via = via.unwrap_or_default();
                self.receive_ephemeral(&via, &sender, document, (&session, count), data, now);
            }
            // Remote heads gossip is optional in automerge-repo; we do not
            // subscribe, so whatever arrives is informational only.
            Message::RemoteHeadsChanged { .. } | Message::RemoteSubscriptionChange { .. } => {}
        }
    }

    fn receive_join(
        &mut self,
        (conn, link): (ConnId, Link),
        sender: &str,
        metadata: PeerMetadata,
        versions: &[String],
        now: i64,
    ) {
        if link == Link::Client {
            return self.trouble(conn, Trouble::Protocol("join to a client".into()));
        }
        if link == Link::Host && !self.peers_on(conn).is_empty() {
            // One peer per connection: a second `join` on a link would be a
            // second peer and a second full sync for one socket.
            return self.trouble(conn, Trouble::Protocol("second join".into()));
        }
        if !versions.iter().any(|v| v == PROTOCOL_VERSION) {
            let error = Message::Error {
                sender: self.me.clone(),
                target: Some(sender.to_owned()),
                message: "unsupported protocol version".into(),
            };
            self.send(conn, &error);
            return self.trouble(conn, Trouble::Version);
        }
        let peer = Message::Peer {
            sender: self.me.clone(),
            target: sender.to_owned(),
            metadata: self.metadata.clone(),
            version: PROTOCOL_VERSION.to_owned(),
        };
        self.send(conn, &peer);
        self.add_peer(conn, sender, metadata, now);
    }

    /// Sends ephemeral data about a document (our presence) to every peer
    /// syncing it.
    pub fn broadcast(&mut self, document: DocumentId, data: &[u8]) {
        self.ephemeral_count += 1;
        let count = self.ephemeral_count;
        let (me, session) = (self.me.clone(), self.session.clone());
        self.send_ephemeral(&me, document, &session, count, data, None);
    }

    // ---- inside ----

    fn trouble(&mut self, conn: ConnId, trouble: Trouble) {
        if self.conns.get(&conn).is_some_and(|c| c.link == Link::Bus) {
            self.effects.push(Effect::Ignored { conn, trouble });
        } else {
            self.disconnect(conn);
            self.effects.push(Effect::Close { conn, trouble });
        }
    }

    fn send(&mut self, conn: ConnId, message: &Message) {
        self.effects.push(Effect::Send {
            conn,
            frame: message.encode(),
        });
    }

    fn peer_ids(&self) -> Vec<PeerId> {
        self.peers.keys().cloned().collect()
    }

    fn peers_on(&self, conn: ConnId) -> Vec<PeerId> {
        self.peers
            .iter()
            .filter(|(_, peer)| peer.conn == conn)
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn peer_doc(&mut self, peer: &str, document: DocumentId) -> Option<&mut PeerDoc> {
        self.peers.get_mut(peer)?.docs.get_mut(&document)
    }

    fn add_peer(&mut self, conn: ConnId, id: &str, metadata: PeerMetadata, now: i64) {
        if id == self.me {
            return;
        }
        // The same peer again (a reconnect racing the old socket): start fresh.
        self.forget_peer(id);
        self.peers.insert(
            id.to_owned(),
            Peer {
                conn,
                metadata,
                since: now,
                last_heard: None,
                docs: BTreeMap::new(),
            },
        );
        self.offer_all(id);
        for document in self.wanted_ids() {
            self.sync_with(id, document);
        }
        self.effects.push(Effect::Status);
    }

    /// Drops a peer, keeping its sync states if it has storage.
    fn forget_peer(&mut self, id: &str) {
        let Some(peer) = self.peers.remove(id) else {
            return;
        };
        // Another tab shares this phone's storage: nothing to keep for it,
        // and it must not push out a server's state.
        let Some(storage) = peer.metadata.storage_id.filter(|s| {
            !peer.metadata.is_ephemeral && self.metadata.storage_id.as_ref() != Some(s)
        }) else {
            return;
        };
        for (document, state) in peer.docs {
            let Some(doc) = self.docs.get_mut(&document) else {
                continue;
            };
            // Keep only what outlives a connection (the shared heads), as
            // a stored sync state would: in-flight bookkeeping of a dead
            // connection must not hold back the next one.
            if let Ok(kept) = sync::State::decode(&state.sync.encode()) {
                let forgotten = doc.saved_sync.keep(storage.clone(), kept);
                self.effects.extend(forgetting(document, forgotten));
            }
        }
    }

    fn wanted_ids(&self) -> Vec<DocumentId> {
        self.docs
            .iter()
            .filter(|(_, doc)| doc.wanted)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Whether the share policy offers `document` to `peer` unasked.
    fn offers(&self, peer: &Peer, document: DocumentId) -> bool {
        let in_groups = |groups: &BTreeSet<DocumentId>| {
            groups.contains(&document) || groups.iter().any(|g| self.links(*g).contains(&document))
        };
        let by_connection = self.conns.get(&peer.conn).is_some_and(|c| match &c.share {
            Share::Everything => true,
            Share::Groups(groups) | Share::Server(groups) => in_groups(groups),
            Share::Asked => false,
        });
        let by_asking = peer.docs.contains_key(&document);
        let held: BTreeSet<DocumentId> = peer
            .docs
            .iter()
            .filter(|(_, state)| state.holds)
            .map(|(id, _)| *id)
            .collect();
        by_connection || by_asking || in_groups(&held)
    }

    fn links(&self, id: DocumentId) -> Vec<DocumentId> {
        self.docs
            .get(&id)
            .filter(|doc| !doc.wanted)
            .map(|doc| (self.links_of)(doc.stored.doc()))
            .unwrap_or_default()
    }

    /// Offers a peer every document the policy gives it.
    fn offer_all(&mut self, peer: &str) {
        let documents: Vec<DocumentId> = self.document_ids().collect();
        for document in documents {
            let offered = self
                .peers
                .get(peer)
                .is_some_and(|p| self.offers(p, document));
            if offered {
                self.sync_with(peer, document);
            }
        }
    }

    /// After `document` changed: sync it with every peer it is offered to,
    /// and want (or offer) the documents it links.
    fn offer_everywhere(&mut self, document: DocumentId) {
        for peer in self.peer_ids() {
            if self
                .peers
                .get(&peer)
                .is_some_and(|p| self.offers(p, document))
            {
                self.sync_with(&peer, document);
            }
        }
        for linked in self.links(document) {
            if self.docs.contains_key(&linked) {
                for peer in self.peer_ids() {
                    let offered = self.peers.get(&peer).is_some_and(|p| {
                        p.docs.get(&document).is_some_and(|s| s.holds) && self.offers(p, linked)
                    });
                    if offered {
                        self.sync_with(&peer, linked);
                    }
                }
            } else {
                // A meeting someone else added: fetch it from whoever has the group.
                self.wanted_link(linked);
            }
        }
    }

    /// A document linked from one of ours (a meeting someone else added),
    /// asked for under this page's actor.
    fn wanted_link(&mut self, id: DocumentId) {
        let actor = self
            .docs
            .values()
            .find(|d| !d.wanted)
            .map(|d| d.stored.doc().get_actor().clone());
        self.ask_for(id, actor);
    }

    /// Starts an empty, wanted copy of a document and requests it from
    /// every peer.
    fn ask_for(&mut self, id: DocumentId, actor: Option<automerge::ActorId>) {
        let mut doc = AutoCommit::new();
        if let Some(actor) = actor {
            doc.set_actor(actor);
        }
        self.docs.insert(
            id,
            Doc {
                stored: StoredDoc::new(id, doc),
                wanted: true,
                saved_sync: SavedSync::default(),
            },
        );
        for peer in self.peer_ids() {
            self.sync_with(&peer, id);
        }
    }

    /// Sends whatever automerge says the peer needs of a document: a
    /// `request` while we do not have it, a `sync` once we do.
    fn sync_with(&mut self, peer_id: &str, document: DocumentId) {
        if self
            .peers
            .get(peer_id)
            .is_none_or(|peer| self.withheld(peer.conn, document))
        {
            return;
        }
        let Some(doc) = self.docs.get_mut(&document) else {
            return;
        };
        let Some(peer) = self.peers.get_mut(peer_id) else {
            return;
        };
        let storage = peer
            .metadata
            .storage_id
            .clone()
            .filter(|_| !peer.metadata.is_ephemeral);
        let state = peer.docs.entry(document).or_insert_with(|| PeerDoc {
            sync: storage
                .and_then(|s| doc.saved_sync.get(&s).cloned())
                .unwrap_or_default(),
            ..PeerDoc::default()
        });
        if doc.wanted && state.unavailable {
            return;
        }
        let Some(message) = doc
            .stored
            .doc_mut()
            .sync()
            .generate_sync_message(&mut state.sync)
        else {
            return;
        };
        let (sender, target, data) = (self.me.clone(), peer_id.to_owned(), message.encode());
        let frame = if doc.wanted {
            Message::Request {
                sender,
                target,
                document,
                data,
            }
        } else {
            Message::Sync {
                sender,
                target,
                document,
                data,
            }
        };
        let conn = peer.conn;
        self.send(conn, &frame);
    }

    fn receive_sync(
        &mut self,
        sender: &str,
        document: DocumentId,
        data: &[u8],
        request: bool,
        now: i64,
    ) {
        // A sync server that names a sealed document (it cannot know it
        // from us) gets no answer at all, not even "unavailable".
        if self
            .peers
            .get(sender)
            .is_some_and(|peer| self.withheld(peer.conn, document))
        {
            return;
        }
        if request && !self.has(document) || !self.docs.contains_key(&document) {
            // Not here: a linked document of a group we hold is taken;
            // anything else is not ours to keep, and a request gets a no.
            let linked = self
                .document_ids()
                .any(|id| self.links(id).contains(&document));
            if !(linked || self.keeps_everything) || request {
                let reply = Message::DocUnavailable {
                    sender: self.me.clone(),
                    target: sender.to_owned(),
                    document,
                };
                if let Some(conn) = self.peers.get(sender).map(|p| p.conn) {
                    self.send(conn, &reply);
                }
                return;
            }
            if !self.docs.contains_key(&document) {
                self.wanted_link(document);
            }
        }
        let Some(message) = self.checked_sync_message(sender, data) else {
            return;
        };
        // Sync states are kept for servers and phones this device chose to
        // connect to, not for tabs (they share its storage).
        let my_storage = self.metadata.storage_id.clone().unwrap_or_default();
        let Some(peer) = self.peers.get_mut(sender) else {
            return;
        };
        let chosen = self
            .conns
            .get(&peer.conn)
            .is_some_and(|c| c.link != Link::Bus);
        peer.last_heard = Some(now);
        let storage = peer
            .metadata
            .storage_id
            .clone()
            .filter(|_| !peer.metadata.is_ephemeral);
        let Some(doc) = self.docs.get_mut(&document) else {
            return;
        };
        let state = peer.docs.entry(document).or_insert_with(|| PeerDoc {
            sync: storage
                .as_ref()
                .and_then(|s| doc.saved_sync.get(s).cloned())
                .unwrap_or_default(),
            ..PeerDoc::default()
        });
        state.holds = true;
        state.unavailable = false;
        let before = doc.stored.doc_mut().get_heads();
        let shared_before = state.sync.shared_heads.clone();
        let received = doc
            .stored
            .doc_mut()
            .sync()
            .receive_sync_message(&mut state.sync, message);
        if received.is_err() {
            let conn = peer.conn;
            return self.trouble(conn, Trouble::Protocol("sync message refused".into()));
        }
        let after = doc.stored.doc_mut().get_heads();
        // A peer that answers a request with empty heads does not have the
        // document either (a sync server says `doc-unavailable` once, then
        // only this).
        let said_no = doc.wanted
            && after.is_empty()
            && state.sync.their_heads.as_ref().is_some_and(Vec::is_empty);
        state.unavailable |= said_no;
        let keep = storage
            .filter(|s| state.sync.shared_heads != shared_before && chosen && *s != my_storage);
        if let Some(storage) = keep {
            let forgotten = doc.saved_sync.keep(
                storage.clone(),
                sync::State::decode(&state.sync.encode()).unwrap_or_default(),
            );
            self.effects.push(Effect::SaveSyncState {
                document,
                storage,
                state: state.sync.encode(),
            });
            self.effects.extend(forgetting(document, forgotten));
        }
        if before != after {
            if doc.wanted {
                doc.wanted = false;
                self.effects.push(Effect::Arrived(document));
            }
            self.effects.push(Effect::Changed(document));
            // Relay to everyone else who has it, and follow new links.
            self.offer_everywhere(document);
        }
        if said_no {
            self.check_unavailable(document);
        }
        self.sync_with(sender, document);
        self.effects.push(Effect::Status);
    }

    /// Decodes a peer's sync message once the guard has passed it: automerge
    /// is handed only what it survives. Anything else closes the link.
    fn checked_sync_message(&mut self, sender: &str, data: &[u8]) -> Option<sync::Message> {
        let checked = guard::check_sync_message(data).map_err(Trouble::Hostile);
        let decoded = checked.and_then(|()| {
            sync::Message::decode(data)
                .map_err(|_| Trouble::Protocol("unreadable sync message".into()))
        });
        match decoded {
            Ok(message) => Some(message),
            Err(trouble) => {
                if let Some(conn) = self.peers.get(sender).map(|p| p.conn) {
                    self.trouble(conn, trouble);
                }
                None
            }
        }
    }

    fn check_unavailable(&mut self, document: DocumentId) {
        if !self.docs.get(&document).is_some_and(|doc| doc.wanted) {
            return;
        }
        let everyone_said_no = self.peers.values().all(|peer| {
            peer.docs
                .get(&document)
                .is_some_and(|state| state.unavailable)
        });
        if everyone_said_no && !self.peers.is_empty() {
            self.effects.push(Effect::Unavailable(document));
        }
    }

    fn receive_ephemeral(
        &mut self,
        via: &str,
        origin: &str,
        document: DocumentId,
        (session, count): (&str, u64),
        data: Vec<u8>,
        now: i64,
    ) {
        let key = (session.to_owned(), count);
        if session == self.session
            || data.len() > MAX_EPHEMERAL_BYTES
            || self.ephemeral_seen.contains_key(&key)
            || !self.has(document)
        {
            return;
        }
        // Forget what is old, then the oldest, so a flood cannot grow it.
        self.ephemeral_seen
            .retain(|_, seen| now - *seen < EPHEMERAL_SEEN_MS);
        while self.ephemeral_seen.len() >= MAX_EPHEMERAL_SEEN {
            let oldest = self
                .ephemeral_seen
                .iter()
                .min_by_key(|(_, seen)| **seen)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.ephemeral_seen.remove(&oldest);
            }
        }
        self.ephemeral_seen.insert(key, now);
        self.send_ephemeral(origin, document, session, count, &data, Some(via));
        self.effects.push(Effect::Ephemeral {
            document,
            peer: origin.to_owned(),
            data,
        });
    }

    /// Sends `origin`'s ephemeral data to every peer syncing the document
    /// but `except`.
    fn send_ephemeral(
        &mut self,
        origin: &str,
        document: DocumentId,
        session: &str,
        count: u64,
        data: &[u8],
        except: Option<&str>,
    ) {
        let targets: Vec<(PeerId, ConnId)> = self
            .peers
            .iter()
            .filter(|(id, peer)| Some(id.as_str()) != except && peer.docs.contains_key(&document))
            .map(|(id, peer)| (id.clone(), peer.conn))
            .collect();
        for (target, conn) in targets {
            let frame = Message::Ephemeral {
                sender: origin.to_owned(),
                target,
                document,
                session: session.to_owned(),
                count,
                data: data.to_vec(),
            };
            self.send(conn, &frame);
        }
    }
}
