//! Times reading (hydrating) a stored group written by `bench_groups`, field
//! by field (autosurgeon's `get` per field) and the app's way (one pass over
//! the document, `OnePass`), and checks both read the same group:
//! `cargo run --release --example read_cost target/bench-data/plots-5000/0.bin`.
use std::time::Instant;

use common_ground::core::model::Group;

fn main() {
    let path = std::env::args().nth(1).expect("a stored chunk");
    let bytes = std::fs::read(path).unwrap();
    let start = Instant::now();
    let doc = automerge::AutoCommit::load(&bytes).unwrap();
    println!("load: {:?}", start.elapsed());
    let start = Instant::now();
    let by_field: Group = autosurgeon::hydrate(&doc).unwrap();
    println!("read field by field: {:?}", start.elapsed());
    for _ in 0..3 {
        let start = Instant::now();
        let group = common_ground::core::command::read(&doc).unwrap();
        println!(
            "read in one pass: {:?} ({} plots)",
            start.elapsed(),
            group.plots.len()
        );
        assert_eq!(group, by_field, "both ways read the same group");
    }
}
