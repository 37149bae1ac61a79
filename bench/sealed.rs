//! Sealed vs plain sync, measured: a group of 500 plots and 20 meetings
//! (each with notes) synced from one phone to a sync server, then from the
//! server to a second phone, through the real sync engine on both ends and
//! an engine that keeps everything as the server (what the npm server does
//! with what it is sent). Prints bytes on the wire each way, bytes the
//! server keeps (its documents saved), and time to converge.
//!
//! ```sh
//! cargo run --release --example sealed
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{self, At, Command, edit_notes, new_group, new_meeting};
use common_ground::core::model::{PlotStatus, linked_documents};
use common_ground::core::repo::sync::{ConnId, Effect, Link, Share, SyncEngine};
use common_ground::core::repo::{DocumentId, StoredDoc};
use common_ground::core::seal::{self, Docs, GroupKey, Sealer};

const PLOTS: usize = 500;
const MEETINGS: usize = 20;

fn id(n: u8, m: u8) -> DocumentId {
    let mut bytes = [n; 16];
    bytes[0] = m;
    DocumentId::new_random(bytes)
}

/// The group and its meetings, as one phone made them.
fn garden() -> BTreeMap<DocumentId, AutoCommit> {
    let actor = ActorId::from([1; 16]);
    let (mut doc, mut group) = new_group(actor.clone(), "Eastside Growers", 1).expect("group");
    let at = At::utc(1_700_000_000_000);
    let mut run = |doc: &mut AutoCommit, command: Command| {
        command::apply_on(doc, &mut group, &command, &at).expect("applied");
    };
    run(
        &mut doc,
        Command::AddSite {
            id: "s1".into(),
            name: "Maple St".into(),
        },
    );
    for n in 0..PLOTS {
        run(
            &mut doc,
            Command::AddPlot {
                id: format!("p{n}"),
                site: "s1".into(),
                label: format!("A{n}"),
                size: "3x6".into(),
                status: PlotStatus::Available,
            },
        );
    }
    let mut docs = BTreeMap::new();
    for m in 0..MEETINGS {
        let meeting_id = id(9, u8::try_from(m).unwrap_or(0));
        let title = format!("Meeting {m}");
        run(
            &mut doc,
            Command::AddMeeting {
                id: meeting_id.to_string(),
                title: title.clone(),
            },
        );
        let mut meeting = new_meeting(actor.clone(), id(1, 0), &title, 2).expect("meeting");
        let notes = "Water rota, compost delivery, seed swap; treasurer's report. ".repeat(8);
        edit_notes(&mut meeting, &notes, &at).expect("notes");
        docs.insert(meeting_id, meeting);
    }
    docs.insert(id(1, 0), doc);
    docs
}

struct Phone(BTreeMap<DocumentId, AutoCommit>);

impl Docs for Phone {
    fn get(&mut self, id: DocumentId) -> Option<&mut AutoCommit> {
        self.0.get_mut(&id)
    }
    fn add(&mut self, id: DocumentId, doc: AutoCommit) {
        self.0.insert(id, doc);
    }
}

/// Runs two engines joined by one connection until both are quiet;
/// returns bytes sent by `a` and by `b`.
fn pump(a: &mut SyncEngine, b: &mut SyncEngine, conns: (ConnId, ConnId)) -> (usize, usize) {
    let (mut sent_a, mut sent_b) = (0, 0);
    loop {
        let mut quiet = true;
        for effect in a.take_effects() {
            if let Effect::Send { frame, .. } = effect {
                quiet = false;
                sent_a += frame.len();
                b.receive(conns.1, &frame, 0);
            }
        }
        for effect in b.take_effects() {
            if let Effect::Send { frame, .. } = effect {
                quiet = false;
                sent_b += frame.len();
                a.receive(conns.0, &frame, 0);
            }
        }
        if quiet {
            return (sent_a, sent_b);
        }
    }
}

/// One end of a connection: an engine's index and its connection id.
type End = (usize, ConnId);

/// Runs engines joined by `links` ((engine, conn) ↔ (engine, conn)) until
/// all are quiet; returns the bytes each engine sent.
fn pump_all(engines: &mut [&mut SyncEngine], links: &[(End, End)]) -> Vec<usize> {
    let mut sent = vec![0; engines.len()];
    loop {
        let mut quiet = true;
        for from in 0..engines.len() {
            for effect in engines[from].take_effects() {
                if let Effect::Send { conn, frame } = effect {
                    quiet = false;
                    sent[from] += frame.len();
                    let to = links.iter().find_map(|(a, b)| {
                        if *a == (from, conn) {
                            Some(*b)
                        } else if *b == (from, conn) {
                            Some(*a)
                        } else {
                            None
                        }
                    });
                    if let Some((to, to_conn)) = to {
                        engines[to].receive(to_conn, &frame, 0);
                    }
                }
            }
        }
        if quiet {
            return sent;
        }
    }
}

const EDITS: usize = 50;

/// A member's edit of one plot's label.
fn edit_plot(doc: &mut AutoCommit, n: usize) {
    let mut group = command::read(doc).expect("group");
    let edit = Command::EditPlot {
        plot: format!("p{n}"),
        label: Some(format!("B{n}")),
        size: None,
        status: None,
    };
    command::apply_on(doc, &mut group, &edit, &At::utc(1_700_000_000_000)).expect("edit");
}

fn engine(name: &str) -> SyncEngine {
    SyncEngine::new(name.into(), Some(format!("{name}-store")), linked_documents)
}

fn server_bytes(server: &mut SyncEngine) -> usize {
    let ids: Vec<DocumentId> = server.document_ids().collect();
    ids.iter()
        .filter_map(|id| Some(server.document(*id)?.doc().clone().save().len()))
        .sum()
}

struct Run {
    up: usize,
    down: usize,
    stored: usize,
    time: Duration,
    /// Bytes Ana sent for the edits, one at a time, each reaching Ben.
    edits_up: usize,
    /// Bytes the server keeps after the edits.
    stored_after: usize,
    edits_time: Duration,
}

fn plain(docs: &BTreeMap<DocumentId, AutoCommit>) -> Run {
    let group = id(1, 0);
    let start = Instant::now();
    let mut ana = engine("ana");
    for (id, doc) in docs {
        ana.add_document(StoredDoc::new(*id, doc.clone()), Vec::new());
    }
    let mut server = engine("server").keeping_everything();
    ana.connect(1, Link::Client, Share::Groups(BTreeSet::from([group])));
    server.connect(2, Link::Host, Share::Asked);
    let (up, _) = pump(&mut ana, &mut server, (1, 2));
    let stored = server_bytes(&mut server);
    let mut ben = engine("ben");
    ben.connect(3, Link::Client, Share::Asked);
    server.connect(4, Link::Host, Share::Asked);
    ben.want(group, ActorId::from([2; 16]));
    let (_, down) = pump(&mut ben, &mut server, (3, 4));
    assert!(ben.has(group), "plain: the group arrived");
    assert_eq!(
        ben.document_ids().count(),
        docs.len(),
        "plain: every meeting arrived"
    );
    let time = start.elapsed();
    let start = Instant::now();
    let mut edits_up = 0;
    for n in 0..EDITS {
        edit_plot(ana.document_mut(group).expect("group").doc_mut(), n);
        ana.local_change(group);
        let links = [((0, 1), (1, 2)), ((2, 3), (1, 4))];
        edits_up += pump_all(&mut [&mut ana, &mut server, &mut ben], &links)[0];
    }
    let heads = |e: &mut SyncEngine| e.document_mut(group).expect("group").doc_mut().get_heads();
    assert_eq!(heads(&mut ana), heads(&mut ben), "plain: the edits arrived");
    Run {
        up,
        down,
        stored,
        time,
        edits_up,
        stored_after: server_bytes(&mut server),
        edits_time: start.elapsed(),
    }
}

fn sealed(docs: &BTreeMap<DocumentId, AutoCommit>) -> Run {
    let group = id(1, 0);
    let key = GroupKey::from_random([7; 32]);
    let start = Instant::now();
    // Ana seals her group (one entry: everything she has) into the log.
    let mut mine = Phone(docs.clone());
    let mut sealer = Sealer::new(key.clone(), group, 0, &[1; 8], linked_documents);
    let mut log = AutoCommit::new().with_actor(ActorId::from([1; 16]));
    sealer.seal_new(&mut log, &mut mine, [3; 24]);
    log.commit();
    let log_id = sealer.log_id();
    let mut ana = engine("ana");
    ana.seal(group);
    for (id, doc) in docs {
        ana.add_document(StoredDoc::new(*id, doc.clone()), Vec::new());
    }
    ana.add_document(StoredDoc::new(log_id, log), Vec::new());
    let mut server = engine("server").keeping_everything();
    ana.connect(1, Link::Client, Share::Server(BTreeSet::from([log_id])));
    server.connect(2, Link::Host, Share::Asked);
    let (up, _) = pump(&mut ana, &mut server, (1, 2));
    assert!(!server.has(group), "sealed: the server never got the group");
    let stored = server_bytes(&mut server);
    // Ben has the key (from the invite): he fetches the log and opens it.
    let mut ben = engine("ben");
    ben.seal(group);
    ben.connect(3, Link::Client, Share::Server(BTreeSet::from([log_id])));
    server.connect(4, Link::Host, Share::Asked);
    ben.want(log_id, ActorId::from([2; 16]));
    let (_, down) = pump(&mut ben, &mut server, (3, 4));
    let fetched = ben.document(log_id).expect("the log arrived").doc().clone();
    let mut his = Phone(BTreeMap::new());
    let mut his_sealer = Sealer::new(key, group, 0, &[2; 8], linked_documents);
    let opened = his_sealer.open_new(&fetched, &mut his);
    assert!(opened.refused.is_empty());
    assert_eq!(his.0.len(), docs.len(), "sealed: every meeting arrived");
    for (id, doc) in &his.0 {
        let mut theirs = docs[id].clone();
        assert_eq!(
            doc.clone().get_heads(),
            theirs.get_heads(),
            "sealed: same heads"
        );
    }
    let time = start.elapsed();
    // Edits one at a time: each sealed as an entry, synced, opened by Ben.
    let start = Instant::now();
    let mut edits_up = 0;
    for n in 0..EDITS {
        edit_plot(mine.0.get_mut(&group).expect("group"), n);
        let log = ana.document_mut(log_id).expect("log").doc_mut();
        sealer.seal_new(log, &mut mine, [u8::try_from(n % 250).unwrap_or(0); 24]);
        log.commit();
        ana.local_change(log_id);
        let links = [((0, 1), (1, 2)), ((2, 3), (1, 4))];
        edits_up += pump_all(&mut [&mut ana, &mut server, &mut ben], &links)[0];
        let fetched = ben.document(log_id).expect("log").doc().clone();
        his_sealer.open_new(&fetched, &mut his);
    }
    assert_eq!(
        his.0.get_mut(&group).expect("group").get_heads(),
        mine.0.get_mut(&group).expect("group").get_heads(),
        "sealed: the edits arrived"
    );
    assert_eq!(
        seal::entries(ben.document(log_id).expect("log").doc()).len(),
        EDITS + 1
    );
    Run {
        up,
        down,
        stored,
        time,
        edits_up,
        stored_after: server_bytes(&mut server),
        edits_time: start.elapsed(),
    }
}

/// Per change, as a phone does it after each edit: seal what is new into
/// the log, open it on a second phone, and count what is left to seal (the
/// status line). 60 edits after the first save, below compaction.
struct PerChange {
    /// Change hashes the sealer keeps to know what the log holds.
    known: usize,
    seal: Duration,
    open: Duration,
    count: Duration,
}

const CHANGES: u32 = 60;

fn per_change(docs: &BTreeMap<DocumentId, AutoCommit>) -> PerChange {
    let group = id(1, 0);
    let key = GroupKey::from_random([7; 32]);
    let mut mine = Phone(docs.clone());
    let mut sa = Sealer::new(key.clone(), group, 0, &[1; 8], linked_documents);
    let mut log = AutoCommit::new().with_actor(ActorId::from([1; 16]));
    sa.seal_new(&mut log, &mut mine, [3; 24]);
    log.commit();
    let mut his = Phone(BTreeMap::new());
    let mut sb = Sealer::new(key, group, 0, &[2; 8], linked_documents);
    sb.open_new(&log, &mut his);
    let (mut seal_t, mut open_t, mut count_t) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for n in 0..CHANGES as usize {
        edit_plot(mine.0.get_mut(&group).expect("group"), n);
        let t = Instant::now();
        sa.seal_new(
            &mut log,
            &mut mine,
            [u8::try_from(n % 250).unwrap_or(0); 24],
        );
        log.commit();
        seal_t += t.elapsed();
        let t = Instant::now();
        sb.open_new(&log, &mut his);
        open_t += t.elapsed();
        let t = Instant::now();
        assert_eq!(sa.unsealed(&mut mine), 0);
        count_t += t.elapsed();
    }
    assert_eq!(
        his.0.get_mut(&group).expect("group").get_heads(),
        mine.0.get_mut(&group).expect("group").get_heads()
    );
    PerChange {
        known: sa.known_hashes(),
        seal: seal_t / CHANGES,
        open: open_t / CHANGES,
        count: count_t / CHANGES,
    }
}

fn kb(bytes: usize) -> String {
    // Tenths of a KB; far below 2^32 bytes.
    let tenths = u32::try_from(bytes.div_ceil(102)).unwrap_or(u32::MAX);
    format!("{:.1} KB", f64::from(tenths) / 10.0)
}

fn main() {
    let docs = garden();
    println!("A group of {PLOTS} plots and {MEETINGS} meetings with notes; median of 5 runs.");
    println!(
        "{:<8} {:>14} {:>14} {:>14} {:>12}",
        "", "phone→server", "server→phone", "server keeps", "converge"
    );
    for (name, f) in [("plain", plain as fn(&_) -> Run), ("sealed", sealed)] {
        let mut runs: Vec<Run> = (0..5).map(|_| f(&docs)).collect();
        runs.sort_by_key(|r| r.time);
        let r = &runs[2];
        println!(
            "{name:<8} {:>13} {:>13} {:>13} {:>6.0} ms | {:>20} {:>13} {:>6.0} ms",
            kb(r.up),
            kb(r.down),
            kb(r.stored),
            r.time.as_secs_f64() * 1000.0,
            kb(r.edits_up),
            kb(r.stored_after),
            r.edits_time.as_secs_f64() * 1000.0
        );
    }
    let mut runs: Vec<PerChange> = (0..5).map(|_| per_change(&docs)).collect();
    runs.sort_by_key(|r| r.seal + r.open + r.count);
    let r = &runs[2];
    let changes: usize = docs
        .values()
        .map(|doc| doc.clone().get_changes_meta(&[]).len())
        .sum();
    println!(
        "Per change, {CHANGES} edits one by one ({changes} changes in the history): \
         seal {:.0} µs, open on another phone {:.0} µs, count what is unsealed {:.0} µs; \
         hashes kept to know what the log holds: {}",
        r.seal.as_secs_f64() * 1e6,
        r.open.as_secs_f64() * 1e6,
        r.count.as_secs_f64() * 1e6,
        r.known,
    );
}
