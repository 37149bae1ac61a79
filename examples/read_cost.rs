//! Times reading (hydrating) a stored group written by `bench_groups`:
//! `cargo run --release --example read_cost target/bench-data/plots-5000/0.bin`.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a stored chunk");
    let bytes = std::fs::read(path).unwrap();
    let start = Instant::now();
    let doc = automerge::AutoCommit::load(&bytes).unwrap();
    println!("load: {:?}", start.elapsed());
    for _ in 0..3 {
        let start = Instant::now();
        let group = common_ground::core::command::read(&doc).unwrap();
        println!("read: {:?} ({} plots)", start.elapsed(), group.plots.len());
    }
}
