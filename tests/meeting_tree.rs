#![cfg(not(target_arch = "wasm32"))]
//! A meeting of ten phones paired as a tree (any phone that is in lets the
//! next one in): the engine relays documents and presence across every hop.
//! Every phone converges; every change crosses every link exactly once;
//! every phone hears each broadcast exactly once; a phone in the middle
//! leaving loses nothing once its children pair again with a phone still in.

use std::collections::{BTreeMap, VecDeque};

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Change, ChangeHash, ObjType, ROOT, ReadDoc};
use common_ground::core::model::linked_documents;
use common_ground::core::repo::message::Message;
use common_ground::core::repo::sync::{ConnId, Effect, Link, Share, SyncEngine};
use common_ground::core::repo::{DocumentId, StoredDoc};

const PHONES: usize = 10;

/// Who let whom in: phone `i` (from 1) joined `PARENT[i]`. Two phones
/// (0 and 1) let others in at once, and the tree is four hops deep.
const PARENT: [usize; PHONES] = [0, 0, 0, 1, 1, 2, 3, 3, 5, 8];

fn group_id() -> DocumentId {
    DocumentId::from_bytes([7; 16])
}

fn meeting_id() -> DocumentId {
    DocumentId::from_bytes([8; 16])
}

fn actor(node: usize) -> ActorId {
    ActorId::from([u8::try_from(node).unwrap() + 1; 16])
}

/// The group and its meeting as every phone already holds them (phones
/// only pair with phones that hold the group).
fn starting_docs() -> (AutoCommit, AutoCommit) {
    let mut meeting = AutoCommit::new().with_actor(ActorId::from([99; 16]));
    meeting.put_object(ROOT, "notes", ObjType::Text).unwrap();
    meeting.commit();
    let mut group = AutoCommit::new().with_actor(ActorId::from([98; 16]));
    group.put_object(ROOT, "plots", ObjType::Map).unwrap();
    let meetings = group.put_object(ROOT, "meetings", ObjType::Map).unwrap();
    group
        .put(&meetings, meeting_id().to_string(), "Chapter meeting")
        .unwrap();
    group.commit();
    (group, meeting)
}

struct Phone {
    engine: SyncEngine,
    /// conn → (other phone, its conn)
    conns: BTreeMap<ConnId, (usize, ConnId)>,
    heard: Vec<(String, Vec<u8>)>,
}

#[derive(Default)]
struct Room {
    phones: Vec<Phone>,
    wires: BTreeMap<(usize, ConnId), VecDeque<Vec<u8>>>,
    next_conn: ConnId,
    /// Changes that arrived new over a link, by (from, to) and hash.
    crossed: BTreeMap<(usize, usize, ChangeHash), usize>,
    /// Bytes carried, by link (the lower phone first).
    bytes: BTreeMap<(usize, usize), usize>,
}

impl Room {
    fn new() -> Self {
        let (mut group, mut meeting) = starting_docs();
        let mut room = Self::default();
        for n in 0..PHONES {
            let mut engine = SyncEngine::new(
                format!("phone-{n}"),
                Some(format!("store-{n}")),
                linked_documents,
            );
            let copy = group.fork().with_actor(actor(n));
            engine.add_document(StoredDoc::new(group_id(), copy), Vec::new());
            let notes = meeting.fork().with_actor(actor(n));
            engine.add_document(StoredDoc::new(meeting_id(), notes), Vec::new());
            engine.take_effects();
            room.phones.push(Phone {
                engine,
                conns: BTreeMap::new(),
                heard: Vec::new(),
            });
        }
        room
    }

    /// `joiner` read `host`'s code: a WebRTC link, each side sharing the group.
    fn pair(&mut self, joiner: usize, host: usize) {
        let (a, b) = (self.next_conn, self.next_conn + 1);
        self.next_conn += 2;
        self.phones[joiner].conns.insert(a, (host, b));
        self.phones[host].conns.insert(b, (joiner, a));
        let share = || Share::Groups([group_id()].into());
        self.phones[host].engine.connect(b, Link::Host, share());
        self.phones[joiner].engine.connect(a, Link::Client, share());
        self.pump(host);
        self.pump(joiner);
    }

    /// A phone leaves the meeting: every link it had closes.
    fn leave(&mut self, phone: usize) {
        let conns: Vec<(ConnId, (usize, ConnId))> = std::mem::take(&mut self.phones[phone].conns)
            .into_iter()
            .collect();
        for (conn, (other, other_conn)) in conns {
            self.phones[other].conns.remove(&other_conn);
            self.wires.remove(&(phone, conn));
            self.wires.remove(&(other, other_conn));
            self.phones[phone].engine.disconnect(conn);
            self.phones[other].engine.disconnect(other_conn);
            self.pump(other);
        }
        self.phones[phone].engine.take_effects();
    }

    fn edit(&mut self, phone: usize, id: DocumentId, f: impl FnOnce(&mut AutoCommit)) {
        let stored = self.phones[phone].engine.document_mut(id).unwrap();
        f(stored.doc_mut());
        stored.doc_mut().commit();
        self.phones[phone].engine.local_change(id);
        self.pump(phone);
    }

    fn pump(&mut self, phone: usize) {
        for effect in self.phones[phone].engine.take_effects() {
            match effect {
                Effect::Send { conn, frame } => {
                    let Some(&(other, other_conn)) = self.phones[phone].conns.get(&conn) else {
                        continue;
                    };
                    *self
                        .bytes
                        .entry((phone.min(other), phone.max(other)))
                        .or_default() += frame.len();
                    self.wires
                        .entry((other, other_conn))
                        .or_default()
                        .push_back(frame);
                }
                Effect::Close { trouble, .. } => panic!("phone {phone} closed a link: {trouble:?}"),
                Effect::Ephemeral { peer, data, .. } => self.phones[phone].heard.push((peer, data)),
                _ => {}
            }
        }
    }

    /// Delivers frames, one wire after another in turn, until all is quiet.
    fn run(&mut self) {
        let mut turn = 0usize;
        loop {
            let busy: Vec<(usize, ConnId)> = self
                .wires
                .iter()
                .filter(|(_, queue)| !queue.is_empty())
                .map(|(key, _)| *key)
                .collect();
            let Some(&(phone, conn)) = busy.get(turn % busy.len().max(1)) else {
                return;
            };
            let frame = self
                .wires
                .get_mut(&(phone, conn))
                .unwrap()
                .pop_front()
                .unwrap();
            let from = self.phones[phone].conns[&conn].0;
            if let Ok(Message::Sync { document, .. }) = Message::decode(&frame) {
                let doc = self.phones[phone]
                    .engine
                    .document_mut(document)
                    .unwrap()
                    .doc_mut();
                let before: Vec<ChangeHash> =
                    doc.get_changes(&[]).iter().map(Change::hash).collect();
                self.phones[phone].engine.receive(conn, &frame, 1_000);
                let doc = self.phones[phone]
                    .engine
                    .document_mut(document)
                    .unwrap()
                    .doc_mut();
                for change in doc.get_changes(&[]) {
                    if !before.contains(&change.hash()) {
                        *self
                            .crossed
                            .entry((from, phone, change.hash()))
                            .or_default() += 1;
                    }
                }
            } else {
                self.phones[phone].engine.receive(conn, &frame, 1_000);
            }
            self.pump(phone);
            turn += 1;
            assert!(turn < 200_000, "the room never went quiet");
        }
    }

    fn heads(&mut self, phone: usize, id: DocumentId) -> Vec<ChangeHash> {
        self.phones[phone]
            .engine
            .document_mut(id)
            .unwrap()
            .doc_mut()
            .get_heads()
    }

    fn plots(&self, phone: usize) -> Vec<String> {
        let doc = self.phones[phone]
            .engine
            .document(group_id())
            .unwrap()
            .doc();
        let (_, plots) = doc.get(ROOT, "plots").unwrap().unwrap();
        doc.keys(plots).collect()
    }

    fn notes(&self, phone: usize) -> String {
        let doc = self.phones[phone]
            .engine
            .document(meeting_id())
            .unwrap()
            .doc();
        let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
        doc.text(notes).unwrap()
    }

    fn all_changes(&mut self, phone: usize) -> Vec<ChangeHash> {
        let mut hashes = Vec::new();
        for id in [group_id(), meeting_id()] {
            let doc = self.phones[phone]
                .engine
                .document_mut(id)
                .unwrap()
                .doc_mut();
            hashes.extend(doc.get_changes(&[]).iter().map(Change::hash));
        }
        hashes
    }
}

fn add_plot(doc: &mut AutoCommit, name: &str) {
    let (_, plots) = doc.get(ROOT, "plots").unwrap().unwrap();
    doc.put(&plots, name, name).unwrap();
}

fn type_notes(doc: &mut AutoCommit, words: &str) {
    let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
    let end = doc.length(&notes);
    doc.splice_text(&notes, end, 0, words).unwrap();
}

/// Ten phones, each having edited before pairing, paired as [`PARENT`] says.
fn a_room_of_ten() -> Room {
    a_room(&PARENT)
}

/// Ten phones, each having edited before pairing, paired as `parent` says.
fn a_room(parent: &[usize; PHONES]) -> Room {
    let mut room = Room::new();
    for n in 0..PHONES {
        room.edit(n, group_id(), |d| add_plot(d, &format!("plot-{n}")));
        room.edit(n, meeting_id(), |d| type_notes(d, &format!(" words-{n}")));
    }
    for (joiner, door) in parent.iter().enumerate().skip(1) {
        room.pair(joiner, *door);
    }
    room.run();
    room
}

fn assert_converged(room: &mut Room, phones: &[usize], plots: usize) {
    let first = phones[0];
    for &n in phones {
        assert_eq!(
            room.heads(n, group_id()),
            room.heads(first, group_id()),
            "group on {n}"
        );
        assert_eq!(
            room.heads(n, meeting_id()),
            room.heads(first, meeting_id()),
            "notes on {n}"
        );
        assert_eq!(room.plots(n).len(), plots, "plots on phone {n}");
        assert_eq!(room.notes(n), room.notes(first));
    }
}

#[test]
fn ten_phones_paired_as_a_tree_converge() {
    let mut room = a_room_of_ten();
    let everyone: Vec<usize> = (0..PHONES).collect();
    assert_converged(&mut room, &everyone, PHONES);
    for n in 0..PHONES {
        assert!(
            room.notes(0).contains(&format!("words-{n}")),
            "words of phone {n}"
        );
    }
    // Typed at once on two leaves far apart, and a plot at the root.
    room.edit(9, meeting_id(), |d| type_notes(d, " nine-again"));
    room.edit(7, meeting_id(), |d| type_notes(d, " seven-again"));
    room.edit(0, group_id(), |d| add_plot(d, "root-plot"));
    room.run();
    assert_converged(&mut room, &everyone, PHONES + 1);
    assert!(room.notes(4).contains("nine-again") && room.notes(4).contains("seven-again"));
}

#[test]
fn every_change_crosses_every_link_once() {
    let mut room = a_room_of_ten();
    room.edit(9, meeting_id(), |d| type_notes(d, " late"));
    room.edit(6, group_id(), |d| add_plot(d, "late-plot"));
    room.run();
    let changes = room.all_changes(0);
    // Changes every phone had before pairing never travel.
    let (group, meeting) = starting_docs();
    let common: Vec<ChangeHash> = [group, meeting]
        .into_iter()
        .flat_map(|mut d| {
            d.get_changes(&[])
                .iter()
                .map(Change::hash)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut counted = 0;
    for (joiner, &host) in PARENT.iter().enumerate().skip(1) {
        for hash in changes.iter().filter(|h| !common.contains(h)) {
            let there = room
                .crossed
                .get(&(joiner, host, *hash))
                .copied()
                .unwrap_or(0);
            let back = room
                .crossed
                .get(&(host, joiner, *hash))
                .copied()
                .unwrap_or(0);
            assert_eq!(
                there + back,
                1,
                "change {hash} crossed the link {joiner}–{host} {there} + {back} times"
            );
            counted += 1;
        }
    }
    assert_eq!(counted, (PHONES - 1) * (2 * PHONES + 2));
    let most = room.bytes.values().max().unwrap();
    let least = room.bytes.values().min().unwrap();
    println!("tree of {PHONES}: bytes per link {least}..{most}");
}

#[test]
fn presence_reaches_every_phone_once() {
    let mut room = a_room_of_ten();
    for phone in &mut room.phones {
        phone.heard.clear();
    }
    room.phones[9]
        .engine
        .broadcast(meeting_id(), b"Ines is here");
    room.pump(9);
    room.phones[4]
        .engine
        .broadcast(meeting_id(), b"Dara is here");
    room.pump(4);
    room.run();
    for n in 0..PHONES {
        let heard = &room.phones[n].heard;
        let from_ines = heard
            .iter()
            .filter(|(p, d)| p == "phone-9" && d == b"Ines is here");
        let from_dara = heard
            .iter()
            .filter(|(p, d)| p == "phone-4" && d == b"Dara is here");
        let (ines, dara) = (from_ines.count(), from_dara.count());
        assert_eq!(
            ines,
            usize::from(n != 9),
            "phone {n} heard Ines {ines} times"
        );
        assert_eq!(
            dara,
            usize::from(n != 4),
            "phone {n} heard Dara {dara} times"
        );
        assert_eq!(heard.len(), ines + dara, "phone {n} heard only those two");
    }
}

#[test]
fn a_phone_in_the_middle_leaves_and_its_children_pair_again() {
    let mut room = a_room_of_ten();
    // Phone 3 (children 6 and 7) leaves; phone 7 keeps typing alone.
    room.leave(3);
    room.edit(7, meeting_id(), |d| type_notes(d, " typed-while-apart"));
    room.edit(6, group_id(), |d| add_plot(d, "apart-plot"));
    room.edit(0, meeting_id(), |d| type_notes(d, " root-while-apart"));
    room.run();
    assert!(!room.notes(0).contains("typed-while-apart"));
    // Its children join phones still in: 6 joins 2, 7 joins 8.
    room.pair(6, 2);
    room.pair(7, 8);
    room.run();
    let still_in: Vec<usize> = (0..PHONES).filter(|&n| n != 3).collect();
    assert_converged(&mut room, &still_in, PHONES + 1);
    for n in still_in {
        assert!(room.notes(n).contains("typed-while-apart"), "phone {n}");
        assert!(room.notes(n).contains("root-while-apart"), "phone {n}");
        assert!(
            room.plots(n).contains(&"apart-plot".to_owned()),
            "phone {n}"
        );
    }
}

#[test]
fn a_loop_made_in_a_race_costs_traffic_not_words_or_duplicate_presence() {
    let mut room = a_room_of_ten();
    // Two parts of the room paired twice at once: 9 (under 8, 5, 2) and 4
    // (under 1) make a cycle through the root.
    room.pair(9, 4);
    room.run();
    for phone in &mut room.phones {
        phone.heard.clear();
    }
    room.phones[7]
        .engine
        .broadcast(meeting_id(), b"Gil is here");
    room.pump(7);
    room.edit(6, meeting_id(), |d| type_notes(d, " in-the-loop"));
    room.run();
    for n in (0..PHONES).filter(|&n| n != 7) {
        assert_eq!(room.phones[n].heard.len(), 1, "phone {n} heard Gil once");
    }
    let everyone: Vec<usize> = (0..PHONES).collect();
    assert_converged(&mut room, &everyone, PHONES);
    assert!(room.notes(9).contains("in-the-loop"));
}

/// Today's star (every phone pairs with one host) against the tree: the
/// same edits, the bytes each link and the busiest phone carry. Printed for
/// the closing note; the tree must spread the load.
#[test]
fn the_tree_spreads_what_the_star_puts_on_one_host() {
    let busiest = |room: &Room| {
        (0..PHONES)
            .map(|n| {
                room.bytes
                    .iter()
                    .filter(|((a, b), _)| *a == n || *b == n)
                    .map(|(_, bytes)| bytes)
                    .sum::<usize>()
            })
            .max()
            .unwrap()
    };
    let mut figures = Vec::new();
    for (name, parent) in [("star", [0; PHONES]), ("tree", PARENT)] {
        let mut room = a_room(&parent);
        let everyone: Vec<usize> = (0..PHONES).collect();
        assert_converged(&mut room, &everyone, PHONES);
        let total: usize = room.bytes.values().sum();
        let (least, most) = (
            room.bytes.values().min().unwrap(),
            room.bytes.values().max().unwrap(),
        );
        // Scans: two a pairing (the code, then the answer); the phone
        // letting others in reads one answer per phone it lets in.
        let scans_on =
            |n: usize| usize::from(n != 0) + (1..PHONES).filter(|&j| parent[j] == n).count();
        let most_scans = (0..PHONES).map(scans_on).max().unwrap();
        // Pairings one after another at each door: rounds of scanning.
        let mut ready = [0usize; PHONES];
        let mut door_busy = [0usize; PHONES];
        for joiner in 1..PHONES {
            let door = parent[joiner];
            let start = ready[door].max(door_busy[door]);
            ready[joiner] = start + 1;
            door_busy[door] = start + 1;
        }
        let rounds = ready.iter().max().unwrap();
        println!(
            "{name} of {PHONES}: {} scans, at most {most_scans} on one phone, {rounds} rounds of pairing; \
             bytes per link {least}..{most}, {total} in all, busiest phone {}",
            2 * (PHONES - 1),
            busiest(&room)
        );
        figures.push((busiest(&room), *rounds, most_scans));
    }
    let (star, tree) = (figures[0], figures[1]);
    assert!(
        tree.0 < star.0,
        "the busiest phone carries less in the tree: {tree:?} {star:?}"
    );
    assert!(tree.1 < star.1 && tree.2 < star.2);
}
