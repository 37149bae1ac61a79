#![cfg(not(target_arch = "wasm32"))]
//! The sync engine in a simulated network: deterministic, in memory, run to
//! quiescence. Frames keep their order on each connection (as every real
//! transport does); connections interleave, drop and come back in an order
//! proptest chooses.

use std::collections::{BTreeMap, VecDeque};

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc};
use common_ground::core::model::linked_documents;
use common_ground::core::repo::message::{Message, PeerMetadata};
use common_ground::core::repo::sync::{ConnId, Effect, Holder, Link, Share, SyncEngine, Trouble};
use common_ground::core::repo::{DocumentId, StoredDoc};
use proptest::prelude::*;

fn group_id() -> DocumentId {
    DocumentId::from_bytes([7; 16])
}

fn meeting_id() -> DocumentId {
    DocumentId::from_bytes([8; 16])
}

fn actor(node: usize) -> ActorId {
    ActorId::from([u8::try_from(node).unwrap() + 1; 16])
}

/// A group document with a `plots` map and a `meetings` map.
fn new_group(node: usize) -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(actor(node));
    doc.put(ROOT, "name", "Garden").unwrap();
    doc.put_object(ROOT, "plots", ObjType::Map).unwrap();
    doc.put_object(ROOT, "meetings", ObjType::Map).unwrap();
    doc.commit();
    doc
}

struct Node {
    engine: SyncEngine,
    /// conn id → (other node, other's conn id)
    conns: BTreeMap<ConnId, (usize, ConnId)>,
    changed: Vec<DocumentId>,
    arrived: Vec<DocumentId>,
    unavailable: Vec<DocumentId>,
    troubles: Vec<Trouble>,
    ephemeral: Vec<Vec<u8>>,
    /// Sync states the engine asked to keep, as storage would hold them.
    sync_states: BTreeMap<(DocumentId, String), Vec<u8>>,
}

#[derive(Default)]
struct Net {
    nodes: Vec<Node>,
    /// Frames in flight per (node, conn), in order.
    wires: BTreeMap<(usize, ConnId), VecDeque<Vec<u8>>>,
    next_conn: ConnId,
    bytes: usize,
    frames: usize,
    /// Every frame sent, by the node that sent it.
    sent: Vec<(usize, Vec<u8>)>,
}

impl Net {
    /// Phones, and a sync server as the last node when `server` is set.
    fn new(count: usize) -> Self {
        Self::with_server(count, false)
    }

    fn with_server(count: usize, server: bool) -> Self {
        let mut net = Self::default();
        for n in 0..count {
            let engine = SyncEngine::new(
                format!("peer-{n}"),
                Some(format!("store-{n}")),
                linked_documents,
            );
            let engine = if server && n == count - 1 {
                engine.keeping_everything()
            } else {
                engine
            };
            net.nodes.push(Node {
                engine,
                conns: BTreeMap::new(),
                changed: Vec::new(),
                arrived: Vec::new(),
                unavailable: Vec::new(),
                troubles: Vec::new(),
                ephemeral: Vec::new(),
                sync_states: BTreeMap::new(),
            });
        }
        net
    }

    fn add_doc(&mut self, node: usize, id: DocumentId, doc: AutoCommit) {
        self.nodes[node]
            .engine
            .add_document(StoredDoc::new(id, doc), Vec::new());
        self.pump(node);
    }

    fn edit(&mut self, node: usize, id: DocumentId, f: impl FnOnce(&mut AutoCommit)) {
        let stored = self.nodes[node].engine.document_mut(id).unwrap();
        f(stored.doc_mut());
        stored.doc_mut().commit();
        self.nodes[node].engine.local_change(id);
        self.pump(node);
    }

    /// Connects `client` to `host` (a client/server link like a WebSocket);
    /// the host offers nothing unasked, as automerge-repo's sync server.
    fn connect(&mut self, client: usize, host: usize, share: Share) -> (ConnId, ConnId) {
        self.connect_sharing(client, host, share, Share::Asked)
    }

    fn connect_sharing(
        &mut self,
        client: usize,
        host: usize,
        share: Share,
        host_share: Share,
    ) -> (ConnId, ConnId) {
        let (a, b) = (self.next_conn, self.next_conn + 1);
        self.next_conn += 2;
        self.nodes[client].conns.insert(a, (host, b));
        self.nodes[host].conns.insert(b, (client, a));
        self.nodes[host].engine.connect(b, Link::Host, host_share);
        self.nodes[client].engine.connect(a, Link::Client, share);
        self.pump(host);
        self.pump(client);
        (a, b)
    }

    fn disconnect(&mut self, node: usize, conn: ConnId) {
        if let Some((other, other_conn)) = self.nodes[node].conns.remove(&conn) {
            self.nodes[other].conns.remove(&other_conn);
            self.wires.remove(&(node, conn));
            self.wires.remove(&(other, other_conn));
            self.nodes[node].engine.disconnect(conn);
            self.nodes[other].engine.disconnect(other_conn);
            self.pump(node);
            self.pump(other);
        }
    }

    /// Carries out a node's effects: frames go on the wire.
    fn pump(&mut self, node: usize) {
        for effect in self.nodes[node].engine.take_effects() {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some(&(other, other_conn)) = self.nodes[node].conns.get(&conn) {
                        self.bytes += frame.len();
                        self.frames += 1;
                        self.sent.push((node, frame.clone()));
                        self.wires
                            .entry((other, other_conn))
                            .or_default()
                            .push_back(frame);
                    }
                }
                Effect::Close { conn, trouble } => {
                    self.nodes[node].troubles.push(trouble);
                    if let Some((other, other_conn)) = self.nodes[node].conns.remove(&conn) {
                        self.nodes[other].conns.remove(&other_conn);
                        self.nodes[other].engine.disconnect(other_conn);
                        self.wires.remove(&(other, other_conn));
                    }
                }
                Effect::Ignored { trouble, .. } => self.nodes[node].troubles.push(trouble),
                Effect::Changed(id) => self.nodes[node].changed.push(id),
                Effect::Arrived(id) => self.nodes[node].arrived.push(id),
                Effect::Unavailable(id) => self.nodes[node].unavailable.push(id),
                Effect::Ephemeral { data, .. } => self.nodes[node].ephemeral.push(data),
                Effect::SaveSyncState {
                    document,
                    storage,
                    state,
                } => {
                    self.nodes[node]
                        .sync_states
                        .insert((document, storage), state);
                }
                Effect::ForgetSyncState { document, storage } => {
                    self.nodes[node].sync_states.remove(&(document, storage));
                }
                Effect::Status => {}
            }
        }
    }

    /// Delivers one frame from the wire chosen by `pick`; false when quiet.
    fn step(&mut self, pick: usize) -> bool {
        let busy: Vec<(usize, ConnId)> = self
            .wires
            .iter()
            .filter(|(_, queue)| !queue.is_empty())
            .map(|(key, _)| *key)
            .collect();
        let Some(&(node, conn)) = busy.get(pick % busy.len().max(1)) else {
            return false;
        };
        let frame = self
            .wires
            .get_mut(&(node, conn))
            .unwrap()
            .pop_front()
            .unwrap();
        self.nodes[node].engine.receive(conn, &frame, 1_000);
        self.pump(node);
        true
    }

    fn run(&mut self) -> usize {
        let mut rounds = 0;
        while self.step(rounds) {
            rounds += 1;
            assert!(rounds < 100_000, "the network never went quiet");
        }
        rounds
    }

    fn heads(&mut self, node: usize, id: DocumentId) -> Option<Vec<automerge::ChangeHash>> {
        Some(
            self.nodes[node]
                .engine
                .document_mut(id)?
                .doc_mut()
                .get_heads(),
        )
    }

    fn plots(&self, node: usize, id: DocumentId) -> Vec<String> {
        let doc = self.nodes[node].engine.document(id).unwrap().doc();
        let (_, plots) = doc.get(ROOT, "plots").unwrap().unwrap();
        doc.keys(plots).collect()
    }
}

fn add_plot(doc: &mut AutoCommit, name: &str) {
    let (_, plots) = doc.get(ROOT, "plots").unwrap().unwrap();
    doc.put(&plots, name, name).unwrap();
}

#[test]
fn a_client_and_a_server_converge() {
    let mut net = Net::with_server(2, true);
    net.add_doc(0, group_id(), new_group(0));
    net.edit(0, group_id(), |d| add_plot(d, "A1"));
    net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    assert_eq!(net.plots(1, group_id()), ["A1"]);
    assert_eq!(net.heads(0, group_id()), net.heads(1, group_id()));
}

#[test]
fn an_edit_after_connecting_reaches_the_other_side() {
    let mut net = Net::with_server(2, true);
    net.add_doc(0, group_id(), new_group(0));
    net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    net.edit(1, group_id(), |d| add_plot(d, "B1"));
    net.run();
    assert_eq!(net.plots(0, group_id()), ["B1"]);
    assert!(net.nodes[0].changed.contains(&group_id()));
}

#[test]
fn a_stranger_is_offered_nothing_until_it_asks_by_id() {
    // Node 1 holds the group; node 0 connects but knows no ids.
    let mut net = Net::new(2);
    net.add_doc(1, group_id(), new_group(1));
    net.connect(0, 1, Share::Asked);
    net.run();
    assert_eq!(net.frames, 2, "only the handshake crossed");
    net.nodes[0].engine.want(group_id(), actor(0));
    net.pump(0);
    net.run();
    assert!(net.nodes[0].engine.has(group_id()));
    assert_eq!(net.nodes[0].arrived, [group_id()]);
}

#[test]
fn joining_a_group_brings_its_meetings() {
    // Node 1 is the sync server (the harness makes the last node one).
    let mut net = Net::with_server(2, false);
    net.nodes
        .push(Net::with_server(3, true).nodes.pop().unwrap());
    net.nodes.swap(1, 2);
    net.add_doc(0, group_id(), new_group(0));
    let mut meeting = AutoCommit::new().with_actor(actor(0));
    let notes = meeting.put_object(ROOT, "notes", ObjType::Text).unwrap();
    meeting.splice_text(&notes, 0, 0, "Water rota").unwrap();
    meeting.commit();
    net.add_doc(0, meeting_id(), meeting);
    net.edit(0, group_id(), |d| {
        let (_, meetings) = d.get(ROOT, "meetings").unwrap().unwrap();
        d.put(&meetings, meeting_id().to_string(), "Tuesday")
            .unwrap();
    });
    // Node 1 is the sync server; node 0 pushes the group to it.
    net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    assert!(
        net.nodes[1].engine.has(meeting_id()),
        "the server got the meeting"
    );
    // Node 2 opens the invite link: it asks the server for the group only.
    let (conn, _) = net.connect(2, 1, Share::Asked);
    net.nodes[2].engine.want(group_id(), actor(2));
    net.pump(2);
    net.run();
    assert!(net.nodes[2].engine.has(group_id()));
    assert!(
        net.nodes[2].engine.has(meeting_id()),
        "the meeting came along"
    );
    assert_eq!(net.heads(2, meeting_id()), net.heads(0, meeting_id()));
    assert!(net.nodes[2].engine.in_sync(conn, meeting_id()));
}

/// A group with one meeting it links, on node 0.
fn group_with_meeting(net: &mut Net) {
    net.add_doc(0, group_id(), new_group(0));
    let mut meeting = AutoCommit::new().with_actor(actor(0));
    meeting.put_object(ROOT, "notes", ObjType::Text).unwrap();
    meeting.commit();
    net.add_doc(0, meeting_id(), meeting);
    net.edit(0, group_id(), |d| {
        let (_, meetings) = d.get(ROOT, "meetings").unwrap().unwrap();
        d.put(&meetings, meeting_id().to_string(), "Tuesday")
            .unwrap();
    });
}

fn type_notes(net: &mut Net, node: usize, words: &str) {
    for letter in words.chars() {
        net.edit(node, meeting_id(), |d| {
            let (_, notes) = d.get(ROOT, "notes").unwrap().unwrap();
            let at = d.length(&notes);
            d.splice_text(&notes, at, 0, &letter.to_string()).unwrap();
        });
    }
}

/// Changes of the group and its meeting on `node` that `holder` lacks.
fn missing(net: &mut Net, node: usize, holder: &Holder) -> usize {
    [group_id(), meeting_id()]
        .into_iter()
        .map(|id| net.nodes[node].engine.missing_on(id, holder))
        .sum()
}

fn only_here(net: &mut Net, node: usize) -> usize {
    [group_id(), meeting_id()]
        .into_iter()
        .map(|id| net.nodes[node].engine.unshared_changes(id))
        .sum()
}

/// What `node` has of the group and meeting that `other` really lacks.
fn really_missing(net: &mut Net, node: usize, other: usize) -> usize {
    [group_id(), meeting_id()]
        .into_iter()
        .map(|id| {
            let theirs = net.heads(other, id).unwrap_or_default();
            let mine = net.nodes[node].engine.document_mut(id).unwrap().doc_mut();
            mine.get_changes(&theirs).len()
        })
        .sum()
}

#[test]
fn changes_missing_are_counted_per_server_and_per_phone() {
    // Node 0 is a member's phone, node 1 another phone at a meeting, node 2
    // the sync server.
    let mut net = Net::with_server(3, true);
    group_with_meeting(&mut net);
    let groups = || Share::Groups([group_id()].into());
    let (server, _) = net.connect(0, 2, groups());
    let (_, phone) = net.connect_sharing(1, 0, Share::Asked, groups());
    net.nodes[1].engine.want(group_id(), actor(1));
    net.pump(1);
    net.run();
    assert_eq!(net.heads(1, meeting_id()), net.heads(0, meeting_id()));
    assert_eq!(missing(&mut net, 0, &Holder::Conn(server)), 0);
    assert_eq!(missing(&mut net, 0, &Holder::Conn(phone)), 0);
    assert_eq!(only_here(&mut net, 0), 0);

    // The phone leaves; notes typed after reach the server only.
    net.disconnect(0, phone);
    type_notes(&mut net, 0, "Rain");
    net.run();
    let away = Holder::Storage("store-1".into());
    assert_eq!(missing(&mut net, 0, &Holder::Conn(server)), 0);
    assert_eq!(missing(&mut net, 0, &away), 4);
    assert_eq!(really_missing(&mut net, 0, 1), 4);
    assert_eq!(only_here(&mut net, 0), 0, "the server has them all");

    // Offline: typed notes and a plot are on this phone only.
    net.disconnect(0, server);
    type_notes(&mut net, 0, "ok");
    net.edit(0, group_id(), |d| add_plot(d, "A1"));
    let server_storage = Holder::Storage("store-2".into());
    assert_eq!(missing(&mut net, 0, &server_storage), 3);
    assert_eq!(really_missing(&mut net, 0, 2), 3);
    assert_eq!(missing(&mut net, 0, &away), 7);
    assert_eq!(really_missing(&mut net, 0, 1), 7);
    assert_eq!(only_here(&mut net, 0), 3);
    // Asked again with nothing new, the answer stands (from what was kept).
    assert_eq!(missing(&mut net, 0, &server_storage), 3);

    // After a reload, the kept sync states say the same.
    let states = net.nodes[0].sync_states.clone();
    let mut reloaded = SyncEngine::new("peer-0b".into(), Some("store-0".into()), linked_documents);
    for id in [group_id(), meeting_id()] {
        let doc = net.nodes[0].engine.document(id).unwrap().doc().clone();
        let kept = states
            .iter()
            .filter(|((document, _), _)| *document == id)
            .map(|((_, storage), state)| (storage.clone(), state.clone()))
            .collect();
        reloaded.add_document(StoredDoc::new(id, doc), kept);
    }
    let after_reload = |engine: &mut SyncEngine, holder: &Holder| -> usize {
        [group_id(), meeting_id()]
            .into_iter()
            .map(|id| engine.missing_on(id, holder))
            .sum()
    };
    assert_eq!(after_reload(&mut reloaded, &server_storage), 3);
    assert_eq!(after_reload(&mut reloaded, &away), 7);
    assert_eq!(
        after_reload(&mut reloaded, &Holder::Storage("store-9".into())),
        7 + 3,
        "a server never synced with has none of the group's ten changes"
    );

    // Back online: the server gets everything; the phone that left does not.
    let (server, _) = net.connect(0, 2, groups());
    net.run();
    assert_eq!(missing(&mut net, 0, &Holder::Conn(server)), 0);
    assert_eq!(missing(&mut net, 0, &server_storage), 0);
    assert_eq!(only_here(&mut net, 0), 0);
    assert_eq!(missing(&mut net, 0, &away), 7);
    assert_eq!(
        net.nodes[0].engine.storage_on(server).as_deref(),
        Some("store-2")
    );
}

#[test]
fn other_tabs_do_not_count_as_another_device() {
    // Two tabs of one browser share storage: a change both have is still
    // only on this phone.
    let mut net = Net::new(2);
    net.nodes[1].engine =
        SyncEngine::new("peer-1".into(), Some("store-0".into()), linked_documents);
    group_with_meeting(&mut net);
    // The other tab read the same storage.
    for id in [group_id(), meeting_id()] {
        let copy = net.nodes[0]
            .engine
            .document_mut(id)
            .unwrap()
            .doc_mut()
            .fork()
            .with_actor(actor(1));
        net.add_doc(1, id, copy);
    }
    let (a, b) = (net.next_conn, net.next_conn + 1);
    net.next_conn += 2;
    net.nodes[0].conns.insert(a, (1, b));
    net.nodes[1].conns.insert(b, (0, a));
    net.nodes[0].engine.connect(a, Link::Bus, Share::Everything);
    net.nodes[1].engine.connect(b, Link::Bus, Share::Everything);
    net.pump(0);
    net.pump(1);
    type_notes(&mut net, 0, "Hi");
    net.run();
    assert_eq!(net.heads(1, meeting_id()), net.heads(0, meeting_id()));
    assert_eq!(
        really_missing(&mut net, 0, 1),
        0,
        "the other tab has it all"
    );
    assert_eq!(
        only_here(&mut net, 0),
        5,
        "and it is still only on this phone"
    );
}

#[test]
fn a_document_nobody_has_is_reported_unavailable() {
    let mut net = Net::new(2);
    net.connect(0, 1, Share::Asked);
    net.run();
    net.nodes[0].engine.want(group_id(), actor(0));
    net.pump(0);
    net.run();
    assert_eq!(net.nodes[0].unavailable, [group_id()]);
    assert!(!net.nodes[0].engine.has(group_id()));
}

#[test]
fn a_reconnect_sends_less_than_the_first_sync() {
    let mut net = Net::with_server(2, true);
    let mut doc = new_group(0);
    for n in 0..500 {
        add_plot(&mut doc, &format!("Plot {n} by the north fence"));
        doc.commit();
    }
    net.add_doc(0, group_id(), doc);
    let (conn, _) = net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    let first = net.bytes;
    net.disconnect(0, conn);
    net.edit(0, group_id(), |d| add_plot(d, "late"));
    net.bytes = 0;
    net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    assert_eq!(net.heads(0, group_id()), net.heads(1, group_id()));
    assert!(
        net.bytes * 2 < first,
        "reconnect sent {} bytes, first sync {first}",
        net.bytes
    );
}

#[test]
fn presence_is_relayed_through_a_host_once() {
    let mut net = Net::new(3);
    net.add_doc(1, group_id(), new_group(1));
    net.connect(0, 1, Share::Asked);
    net.connect(2, 1, Share::Asked);
    for node in [0, 2] {
        net.nodes[node].engine.want(group_id(), actor(node));
        net.pump(node);
    }
    net.run();
    net.nodes[0].engine.broadcast(group_id(), b"Ana is here");
    net.pump(0);
    net.run();
    assert_eq!(net.nodes[2].ephemeral, [b"Ana is here".to_vec()]);
    assert_eq!(net.nodes[1].ephemeral.len(), 1);
    assert!(
        net.nodes[0].ephemeral.is_empty(),
        "no echo back to the sender"
    );
}

#[test]
fn garbage_closes_the_connection_and_changes_nothing() {
    let mut net = Net::new(2);
    net.add_doc(0, group_id(), new_group(0));
    let (conn, _) = net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    let heads = net.heads(0, group_id());
    net.nodes[0].engine.receive(conn, &[0xa1, 0x64, 0x74], 5);
    net.pump(0);
    assert!(matches!(
        net.nodes[0].troubles.as_slice(),
        [Trouble::Unreadable(_)]
    ));
    assert!(net.nodes[0].engine.peers().is_empty());
    assert_eq!(net.heads(0, group_id()), heads);
}

#[test]
fn a_sync_for_a_document_never_given_is_refused_and_not_kept() {
    let mut net = Net::new(2);
    net.add_doc(0, group_id(), new_group(0));
    let (_, host_conn) = net.connect(0, 1, Share::Asked);
    net.run();
    // Node 0 pushes changes of a document node 1 neither holds nor wants.
    let mut stranger = AutoCommit::new();
    stranger.put(ROOT, "spam", 1).unwrap();
    let mut state = automerge::sync::State::new();
    let data = automerge::sync::SyncDoc::generate_sync_message(&stranger.sync(), &mut state)
        .unwrap()
        .encode();
    let frame = Message::Sync {
        sender: "peer-0".into(),
        target: "peer-1".into(),
        document: meeting_id(),
        data,
    }
    .encode();
    net.nodes[1].engine.receive(host_conn, &frame, 5);
    let effects = net.nodes[1].engine.take_effects();
    assert!(!net.nodes[1].engine.has(meeting_id()));
    let replies: Vec<Message> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { frame, .. } => Message::decode(frame).ok(),
            _ => None,
        })
        .collect();
    assert!(matches!(
        replies.as_slice(),
        [Message::DocUnavailable { .. }]
    ));
}

#[test]
fn an_unknown_message_type_on_a_shared_channel_is_ignored() {
    let mut engine = SyncEngine::new("me".into(), None, linked_documents);
    engine.connect(1, Link::Bus, Share::Everything);
    engine.take_effects();
    // {"type": "gossip", "senderId": "x"}
    let mut frame = vec![0xa2, 0x64];
    frame.extend(b"type");
    frame.push(0x66);
    frame.extend(b"gossip");
    frame.push(0x68);
    frame.extend(b"senderId");
    frame.push(0x61);
    frame.push(b'x');
    engine.receive(1, &frame, 0);
    assert!(matches!(
        engine.take_effects().as_slice(),
        [Effect::Ignored { .. }]
    ));
}

/// What one replica does while the network is in some state.
#[derive(Clone, Debug)]
enum Step {
    Edit { node: usize, plot: u8 },
    Type { node: usize, at: u8, text: u8 },
    Connect { client: usize, host: usize },
    DropAll { node: usize },
    Deliver { pick: u8, count: u8 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..20u8).prop_map(|(node, plot)| Step::Edit { node, plot }),
        (0..3usize, any::<u8>(), 0..3u8).prop_map(|(node, at, text)| Step::Type { node, at, text }),
        (0..3usize, 0..3usize).prop_map(|(client, host)| Step::Connect { client, host }),
        (0..3usize).prop_map(|node| Step::DropAll { node }),
        (any::<u8>(), 1..20u8).prop_map(|(pick, count)| Step::Deliver { pick, count }),
    ]
}

/// A frame a hostile server could send once the handshake is done.
#[derive(Clone, Debug)]
enum HostileFrame {
    Bytes(Vec<u8>),
    /// A real sync message of the group, cut at `cut` and with bytes flipped.
    Mangled {
        cut: u16,
        flips: Vec<(u16, u8)>,
    },
    SyncData(Vec<u8>),
    Ephemeral {
        session: u8,
        count: u64,
        size: u16,
    },
    Join(u8),
    Unavailable,
}

impl HostileFrame {
    fn bytes(&self, real: &[u8]) -> Vec<u8> {
        let sync = |data: Vec<u8>| {
            Message::Sync {
                sender: "peer-1".into(),
                target: "peer-0".into(),
                document: group_id(),
                data,
            }
            .encode()
        };
        match self {
            Self::Bytes(bytes) => bytes.clone(),
            Self::Mangled { cut, flips } => {
                let mut data = real[..real.len().min(usize::from(*cut).max(1))].to_vec();
                for (at, mask) in flips {
                    let len = data.len();
                    data[usize::from(*at) % len] ^= mask;
                }
                sync(data)
            }
            Self::SyncData(data) => sync(data.clone()),
            Self::Ephemeral {
                session,
                count,
                size,
            } => Message::Ephemeral {
                sender: "peer-1".into(),
                target: "peer-0".into(),
                document: group_id(),
                session: format!("s{session}"),
                count: *count,
                data: vec![0xa0; usize::from(*size)],
            }
            .encode(),
            Self::Join(n) => Message::Join {
                sender: format!("j{n}"),
                metadata: PeerMetadata::default(),
                versions: vec!["1".into()],
            }
            .encode(),
            Self::Unavailable => Message::DocUnavailable {
                sender: "peer-1".into(),
                target: "peer-0".into(),
                document: group_id(),
            }
            .encode(),
        }
    }
}

fn hostile_frame() -> impl Strategy<Value = HostileFrame> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..200).prop_map(HostileFrame::Bytes),
        4 => (any::<u16>(), proptest::collection::vec((any::<u16>(), 1..=255u8), 0..4))
            .prop_map(|(cut, flips)| HostileFrame::Mangled { cut, flips }),
        1 => proptest::collection::vec(any::<u8>(), 0..120).prop_map(HostileFrame::SyncData),
        1 => (any::<u8>(), prop_oneof![Just(u64::MAX), any::<u64>(), 0..4u64], 0..6000u16)
            .prop_map(|(session, count, size)| HostileFrame::Ephemeral { session, count, size }),
        1 => any::<u8>().prop_map(HostileFrame::Join),
        1 => Just(HostileFrame::Unavailable),
    ]
}

const WORDS: [&str; 3] = ["seed ", "water ", "compost "];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Three replicas edit the group and the meeting notes concurrently while
    /// connections come and go; once all are connected and quiet, every
    /// replica has the same heads, every plot, and every word typed.
    #[test]
    fn three_replicas_converge(steps in proptest::collection::vec(step(), 1..40)) {
        let mut net = Net::new(3);
        let mut group = new_group(0);
        let mut meeting = AutoCommit::new().with_actor(actor(0));
        meeting.put_object(ROOT, "notes", ObjType::Text).unwrap();
        meeting.commit();
        for node in 0..3 {
            let mut g = group.fork().with_actor(actor(node));
            let (_, meetings) = g.get(ROOT, "meetings").unwrap().unwrap();
            g.put(&meetings, meeting_id().to_string(), "m").unwrap();
            g.commit();
            net.add_doc(node, group_id(), g);
            net.add_doc(node, meeting_id(), meeting.fork().with_actor(actor(node)));
        }
        let mut typed = 0;
        let mut added = Vec::new();
        for step in steps {
            match step {
                Step::Edit { node, plot } => {
                    let name = format!("n{node}p{plot}");
                    net.edit(node, group_id(), |d| add_plot(d, &name));
                    added.push(name);
                }
                Step::Type { node, at, text } => {
                    net.edit(node, meeting_id(), |d| {
                        // Type between words, as a person adds a line.
                        let (_, notes) = d.get(ROOT, "notes").unwrap().unwrap();
                        let before = d.text(&notes).unwrap();
                        let gaps: Vec<usize> = std::iter::once(0)
                            .chain(before.char_indices().filter(|(_, c)| *c == ' ').map(|(i, _)| i + 1))
                            .collect();
                        let at = gaps[usize::from(at) % gaps.len()];
                        d.splice_text(&notes, at, 0, WORDS[usize::from(text)]).unwrap();
                    });
                    typed += 1;
                }
                Step::Connect { client, host } if client != host => {
                    net.connect(client, host, Share::Groups([group_id()].into()));
                }
                Step::Connect { .. } => {}
                Step::DropAll { node } => {
                    let conns: Vec<ConnId> = net.nodes[node].conns.keys().copied().collect();
                    for conn in conns {
                        net.disconnect(node, conn);
                    }
                }
                Step::Deliver { pick, count } => {
                    for n in 0..count {
                        net.step(usize::from(pick) + usize::from(n));
                    }
                }
            }
        }
        net.run();
        net.connect(1, 0, Share::Groups([group_id()].into()));
        net.connect(2, 0, Share::Groups([group_id()].into()));
        net.run();
        for doc in [group_id(), meeting_id()] {
            let heads = net.heads(0, doc);
            prop_assert_eq!(&net.heads(1, doc), &heads);
            prop_assert_eq!(&net.heads(2, doc), &heads);
        }
        let mut plots = net.plots(0, group_id());
        plots.sort();
        added.sort();
        added.dedup();
        prop_assert_eq!(plots, added);
        let doc = net.nodes[2].engine.document(meeting_id()).unwrap().doc();
        let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
        let text = doc.text(&notes).unwrap();
        let words = WORDS.iter().map(|w| text.matches(w).count()).sum::<usize>();
        prop_assert_eq!(words, typed, "every word typed survives: {}", text);
    }

    /// After a real handshake, sequences of hostile frames — arbitrary
    /// bytes, real sync messages cut and bit-flipped, made-up ephemeral
    /// counts, repeated joins — never panic the decoder or the engine and
    /// never change a document. A closed link is opened again (with a new
    /// handshake) so that later frames of the sequence are read too.
    #[test]
    fn arbitrary_frames_are_harmless(frames in proptest::collection::vec(hostile_frame(), 1..24)) {
        let mut net = Net::new(2);
        let mut group = new_group(0);
        for plot in 0..6 {
            add_plot(&mut group, &format!("A{plot}"));
            group.commit();
        }
        // What the peer could legitimately send: the group's own history.
        let mut copy = group.fork();
        let real = automerge::sync::SyncDoc::generate_sync_message(
            &copy.sync(),
            &mut automerge::sync::State::new(),
        )
        .unwrap()
        .encode();
        net.add_doc(0, group_id(), group);
        let (mut conn, _) = net.connect(0, 1, Share::Groups([group_id()].into()));
        net.run();
        let heads = net.heads(0, group_id());
        let mut read_after_handshake = 0;
        for frame in &frames {
            if !net.nodes[0].conns.contains_key(&conn) {
                conn = net.connect(0, 1, Share::Groups([group_id()].into())).0;
                net.run();
            }
            let bytes = frame.bytes(&real);
            let _ = Message::decode(&bytes);
            read_after_handshake += usize::from(!net.nodes[0].engine.peers().is_empty());
            net.nodes[0].engine.receive(conn, &bytes, 9);
            net.pump(0);
            net.run();
        }
        prop_assert_eq!(net.heads(0, group_id()), heads);
        prop_assert_eq!(read_after_handshake, frames.len());
        let _ = copy.get_heads();
    }
}

/// The count of changes no peer has follows every edit and every sync,
/// whether it was counted before (and is only added to) or not.
#[test]
fn unshared_changes_follow_edits_and_syncs() {
    let mut net = Net::with_server(2, true);
    net.add_doc(0, group_id(), new_group(0));
    let fresh = |net: &mut Net| {
        // A second engine holding the same document counts from scratch.
        let mut other = SyncEngine::new("fresh".into(), None, linked_documents);
        let doc = net.nodes[0]
            .engine
            .document(group_id())
            .unwrap()
            .doc()
            .clone();
        other.add_document(StoredDoc::new(group_id(), doc), Vec::new());
        other.unshared_changes(group_id())
    };
    let first = net.nodes[0].engine.unshared_changes(group_id());
    assert_eq!(first, 1, "the group's creation");
    for n in 0..5 {
        net.edit(0, group_id(), |d| add_plot(d, &format!("A{n}")));
        assert_eq!(
            net.nodes[0].engine.unshared_changes(group_id()),
            first + n + 1
        );
    }
    assert_eq!(fresh(&mut net), 6);
    net.connect(0, 1, Share::Groups([group_id()].into()));
    net.run();
    assert_eq!(net.nodes[0].engine.unshared_changes(group_id()), 0);
    net.edit(0, group_id(), |d| add_plot(d, "B1"));
    let after = net.nodes[0].engine.unshared_changes(group_id());
    assert!(
        after <= 1,
        "one new change at most before it is sent: {after}"
    );
    net.run();
    assert_eq!(net.nodes[0].engine.unshared_changes(group_id()), 0);
}

#[test]
fn a_sealed_group_is_never_named_to_a_sync_server() {
    // Node 0 a phone, node 1 another tab of it, node 2 the sync server.
    let mut net = Net::with_server(3, true);
    let log = DocumentId::from_bytes([9; 16]);
    net.nodes[0].engine.seal(group_id());
    group_with_meeting(&mut net);
    let mut entries = AutoCommit::new().with_actor(actor(0));
    entries.put(ROOT, "a.0", vec![1_u8, 2, 3]).unwrap();
    entries.commit();
    net.add_doc(0, log, entries);
    net.connect(0, 2, Share::Server([log, group_id()].into()));
    net.connect(1, 0, Share::Asked);
    net.run();
    // The server asks for the group by id (it cannot know it, but say it
    // did): no answer, not even "unavailable".
    net.nodes[2].engine.want(group_id(), actor(2));
    net.pump(2);
    net.run();
    assert!(net.nodes[2].engine.has(log), "the server keeps the log");
    assert!(!net.nodes[2].engine.has(group_id()));
    assert!(!net.nodes[2].engine.has(meeting_id()));
    let named = |frame: &[u8], id: DocumentId| {
        frame.windows(16).any(|w| w == id.as_bytes())
            || frame
                .windows(id.to_string().len())
                .any(|w| w == id.to_string().as_bytes())
    };
    let to_server: Vec<&Vec<u8>> = net
        .sent
        .iter()
        .filter(|(node, _)| *node == 0)
        .map(|(_, frame)| frame)
        .collect();
    assert!(to_server.iter().any(|f| named(f, log)));
    for frame in &net.sent {
        if frame.0 == 0 {
            assert!(!named(&frame.1, meeting_id()), "the meeting was named");
            assert!(!named(&frame.1, group_id()), "the group was named");
        }
    }
    // A tab of this phone, asking by id, still gets the plaintext group.
    net.nodes[1].engine.want(group_id(), actor(1));
    net.pump(1);
    net.run();
    assert!(net.nodes[1].engine.has(group_id()));
    assert!(net.nodes[1].engine.has(meeting_id()));
}
