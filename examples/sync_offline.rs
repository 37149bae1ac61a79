//! Bytes and round trips for two replicas that each made 1,000 changes
//! offline to converge through the sync engine, on the workload described at
//! the top of `bench/sync-offline.mjs` (which runs automerge-repo on the same
//! workload and prints both side by side). Prints one JSON line.
//!
//! `cargo run --release --example sync_offline`

use std::time::Instant;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc};
use autosurgeon::reconcile_prop;
use common_ground::core::model::{Plot, PlotStatus, linked_documents};
use common_ground::core::repo::message::Message;
use common_ground::core::repo::sync::{Effect, Link, Share, SyncEngine};
use common_ground::core::repo::{DocumentId, StoredDoc};

const CHANGES: usize = 1000;

fn commit(doc: &mut AutoCommit, message: &str) {
    doc.commit_with(CommitOptions::default().with_time(0).with_message(message));
}

fn add_plots(doc: &mut AutoCommit, prefix: &str, label: &str) {
    for i in 0..CHANGES {
        let (_, plots) = doc.get(ROOT, "plots").unwrap().unwrap();
        let plot = Plot {
            site: "s1".into(),
            label: format!("{label}{i}"),
            size: String::new(),
            status: PlotStatus::Available,
            created_at: i64::try_from(i).unwrap(),
            ..Plot::default()
        };
        reconcile_prop(doc, plots, format!("{prefix}{i}").as_str(), &plot).unwrap();
        commit(doc, "add plot");
    }
}

fn main() {
    let id = DocumentId::new_random([42; 16]);
    let mut a = AutoCommit::new().with_actor(ActorId::from([1; 16]));
    a.put(ROOT, "schema", 1_u64).unwrap();
    a.put(ROOT, "name", "Garden").unwrap();
    a.put(ROOT, "created_at", 0_i64).unwrap();
    for map in ["members", "sites", "plots"] {
        a.put_object(ROOT, map, ObjType::Map).unwrap();
    }
    commit(&mut a, "create group");
    let mut b = AutoCommit::load(&a.save())
        .unwrap()
        .with_actor(ActorId::from([2; 16]));
    add_plots(&mut a, "a", "A");
    add_plots(&mut b, "b", "B");

    let started = Instant::now();
    let mut engines = [
        SyncEngine::new("a".into(), Some("store-a".into()), linked_documents),
        SyncEngine::new("b".into(), Some("store-b".into()), linked_documents),
    ];
    engines[0].add_document(StoredDoc::new(id, a), Vec::new());
    engines[1].add_document(StoredDoc::new(id, b), Vec::new());
    engines[1].connect(1, Link::Host, Share::Asked);
    engines[0].connect(1, Link::Client, Share::Groups([id].into()));

    // Lockstep: each step delivers every frame in flight, both ways at once.
    let mut in_flight: Vec<(usize, Vec<u8>)> = Vec::new();
    let (mut frames, mut bytes, mut directed) = (0, 0, [0usize; 2]);
    let (mut handshake_frames, mut sync_steps) = (0, 0);
    loop {
        for (from, engine) in engines.iter_mut().enumerate() {
            for effect in engine.take_effects() {
                if let Effect::Send { frame, .. } = effect {
                    in_flight.push((1 - from, frame));
                }
            }
        }
        if in_flight.is_empty() {
            break;
        }
        let mut carried_sync = false;
        for (to, frame) in std::mem::take(&mut in_flight) {
            if let Ok(Message::Join { .. } | Message::Peer { .. }) = Message::decode(&frame) {
                handshake_frames += 1;
            } else {
                carried_sync = true;
                frames += 1;
                bytes += frame.len();
                directed[1 - to] += frame.len();
            }
            engines[to].receive(1, &frame, 0);
        }
        sync_steps += usize::from(carried_sync);
    }
    let elapsed = started.elapsed();
    let mut heads = Vec::new();
    let mut plots = Vec::new();
    for engine in &mut engines {
        let doc = engine.document_mut(id).unwrap().doc_mut();
        heads.push(doc.get_heads());
        let (_, map) = doc.get(ROOT, "plots").unwrap().unwrap();
        plots.push(doc.length(&map));
    }
    assert_eq!(heads[0], heads[1], "converged");
    assert_eq!(plots, [2 * CHANGES, 2 * CHANGES]);
    println!(
        "{{\"impl\":\"common-ground engine\",\"frames\":{frames},\"bytes\":{bytes},\"bytes_a_to_b\":{},\"bytes_b_to_a\":{},\"round_trips\":{},\"sync_steps\":{sync_steps},\"handshake_frames\":{handshake_frames},\"plots_a\":{},\"plots_b\":{},\"ms\":{}}}",
        directed[0],
        directed[1],
        sync_steps.div_ceil(2),
        plots[0],
        plots[1],
        elapsed.as_millis()
    );
}
