//! Times writing and reading a group's cached first screen
//! (`core::first_screen`) for a stored group written by `bench_groups`:
//! `cargo run --release --example first_screen_cost target/bench-data/plots-5000/0.bin`.
use std::time::Instant;

use common_ground::core::first_screen::{chunk_key, encode, shown};
use common_ground::core::repo::{ChunkKind, DocumentId};

fn main() {
    let path = std::env::args().nth(1).expect("a stored chunk");
    let bytes = std::fs::read(path).unwrap();
    let doc = automerge::AutoCommit::load(&bytes).unwrap();
    let group = common_ground::core::command::read(&doc).unwrap();
    let id = DocumentId::from_bytes([1; 16]);
    let keys = [chunk_key(id, ChunkKind::Snapshot, "aa")];
    for _ in 0..3 {
        let start = Instant::now();
        let record = encode(id, &keys, &group);
        let written = start.elapsed();
        let start = Instant::now();
        let back = shown(&record, id, &keys).unwrap();
        println!(
            "{} plots: record {} bytes, written in {written:?}, read in {:?}",
            back.plots.len(),
            record.len(),
            start.elapsed()
        );
        assert_eq!(back, group);
    }
}
