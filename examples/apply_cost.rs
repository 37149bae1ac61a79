//! Prints what one command costs on a group that already has many plots:
//! `cargo run --release --example apply_cost [plots]`.
use std::time::Instant;

use automerge::ActorId;
use common_ground::core::command::{self, Command};
use common_ground::core::model::PlotStatus;

fn main() {
    let plots: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let (mut doc, _) = command::new_group(ActorId::from([1; 16]), "Bench", 0).unwrap();
    command::apply(
        &mut doc,
        &Command::AddSite {
            id: "s".into(),
            name: "Field".into(),
        },
        0,
    )
    .unwrap();
    let add = |n: usize| Command::AddPlot {
        id: format!("p{n}"),
        site: "s".into(),
        label: format!("P{n}"),
        size: "3 m".into(),
        status: PlotStatus::Available,
    };
    let start = Instant::now();
    let mut kept = command::read(&doc).unwrap();
    for n in 0..plots {
        command::apply_on(&mut doc, &mut kept, &add(n), &command::At::utc(0)).unwrap();
    }
    println!("{plots} adds: {:?}", start.elapsed());
    let start = Instant::now();
    let group = command::read(&doc).unwrap();
    println!("read (hydrate) at {plots} plots: {:?}", start.elapsed());
    let start = Instant::now();
    let bytes = doc.save();
    println!(
        "save at {plots} plots: {:?} ({} bytes)",
        start.elapsed(),
        bytes.len()
    );
    let start = Instant::now();
    let _ = automerge::AutoCommit::load(&bytes).unwrap();
    println!("load (parse) at {plots} plots: {:?}", start.elapsed());
    let start = Instant::now();
    command::apply(&mut doc, &add(plots), 0).unwrap();
    println!("one more add at {plots} plots: {:?}", start.elapsed());
    let start = Instant::now();
    let copy = group.clone();
    println!("clone of the group at {plots} plots: {:?}", start.elapsed());
    let start = Instant::now();
    let same = copy == group;
    println!(
        "comparison of two copies at {plots} plots: {:?} ({same})",
        start.elapsed()
    );
    let mut group = group;
    let start = Instant::now();
    let edit = Command::EditPlot {
        plot: "p7".into(),
        label: None,
        size: Some("9 m".into()),
        status: None,
    };
    command::apply_on(&mut doc, &mut group, &edit, &command::At::utc(0)).unwrap();
    println!(
        "one plot edit (apply_on) at {plots} plots: {:?}",
        start.elapsed()
    );
    let start = Instant::now();
    let heads = doc.get_heads();
    let _ = doc.save_after(&heads);
    println!("save_after at {plots} plots: {:?}", start.elapsed());
}
