//! Writes the groups the side-by-side benchmark opens (`bench/side-by-side.mjs`),
//! made with the app's own commands, as automerge-repo stores them:
//! `cargo run --release --example bench_groups [dir]` (default
//! `target/bench-data`). Each set is a directory holding `manifest.json`
//! and one file per stored chunk; the key of a chunk is automerge-repo's
//! `[documentId, kind, name]`, so the benchmark puts them into IndexedDB as is.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{self, At, Command};
use common_ground::core::model::PlotStatus;
use common_ground::core::repo::{DocumentId, StoredDoc};

const SITE: &str = "field";
/// 1 March 2026, so dates read as this season.
const NOW: i64 = 1_772_323_200_000;

struct Set {
    name: &'static str,
    plots: usize,
    /// Commands in all, counting the site and the plots.
    commands: usize,
    meetings: usize,
}

const SETS: &[Set] = &[
    Set {
        name: "plots-50",
        plots: 50,
        commands: 0,
        meetings: 0,
    },
    Set {
        name: "plots-500",
        plots: 500,
        commands: 0,
        meetings: 0,
    },
    Set {
        name: "plots-5000",
        plots: 5000,
        commands: 0,
        meetings: 0,
    },
    Set {
        name: "history-2000",
        plots: 500,
        commands: 2000,
        meetings: 0,
    },
    Set {
        name: "history-20000",
        plots: 500,
        commands: 20_000,
        meetings: 0,
    },
    Set {
        name: "join-5000",
        plots: 5000,
        commands: 0,
        meetings: 200,
    },
];

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/bench-data".into()),
    );
    let only: Option<String> = std::env::args().nth(2);
    for (n, set) in SETS.iter().enumerate() {
        if only.as_deref().is_some_and(|o| o != set.name) {
            continue;
        }
        let started = std::time::Instant::now();
        write_set(&dir.join(set.name), set, u8::try_from(n).unwrap_or(0) + 1);
        eprintln!("{}: {:?}", set.name, started.elapsed());
    }
}

fn run(doc: &mut AutoCommit, group: &mut common_ground::core::model::Group, c: &Command, at: &At) {
    command::apply_on(doc, group, c, at).expect("a benchmark command is accepted");
}

fn write_set(dir: &Path, set: &Set, seed: u8) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let actor = ActorId::from([seed; 16]);
    // Marked as version 4 UUIDs, as the app's own ids are: the npm sync
    // server (automerge-repo 1.x) silently drops requests for any other id.
    let id = DocumentId::new_random([seed; 16]);
    let at = At::utc(NOW);
    let name = format!("Bench garden {}", set.name);
    let (mut doc, mut group) = command::new_group(actor.clone(), &name, NOW).unwrap();
    run(
        &mut doc,
        &mut group,
        &Command::AddSite {
            id: SITE.into(),
            name: "Big field".into(),
        },
        &at,
    );
    let statuses = PlotStatus::ALL;
    for n in 1..=set.plots {
        let add = Command::AddPlot {
            id: format!("p{n}"),
            site: SITE.into(),
            label: format!("P{n}"),
            size: "3 m × 4 m".into(),
            status: statuses[n % statuses.len()],
        };
        run(&mut doc, &mut group, &add, &at);
    }
    // History: sizes edited plot after plot, as a season of small edits.
    let mut done = set.plots + 1;
    let mut round = 0;
    while done < set.commands {
        let n = round % set.plots + 1;
        let edit = Command::EditPlot {
            plot: format!("p{n}"),
            label: None,
            size: Some(format!("{} m × 4 m", 3 + round / set.plots % 5)),
            status: None,
        };
        run(&mut doc, &mut group, &edit, &at);
        done += 1;
        round += 1;
    }
    let mut docs = Vec::new();
    for m in 0..set.meetings {
        let meeting_id = DocumentId::new_random({
            let mut bytes = [seed; 16];
            bytes[0] = 0xee;
            bytes[1] = u8::try_from(m / 256).unwrap();
            bytes[2] = u8::try_from(m % 256).unwrap();
            bytes
        });
        let title = format!("Meeting {}", m + 1);
        let mut meeting = command::new_meeting(actor.clone(), id, &title, NOW).unwrap();
        let notes = format!("Notes of meeting {}: water, compost, tools.", m + 1);
        command::edit_notes(&mut meeting, &notes, &at).unwrap();
        run(
            &mut doc,
            &mut group,
            &Command::AddMeeting {
                id: meeting_id.to_string(),
                title,
            },
            &at,
        );
        docs.push((meeting_id, meeting));
    }
    docs.insert(0, (id, doc));
    let mut manifest = format!(
        "{{\"name\":{},\"group\":\"{id}\",\"site\":\"{SITE}\",\"plots\":{},\"commands\":{},\"meetings\":{},\"chunks\":[",
        json(&name),
        set.plots,
        done.max(set.plots + 1),
        set.meetings
    );
    for (n, (doc_id, doc)) in docs.into_iter().enumerate() {
        let mut stored = StoredDoc::new(doc_id, doc);
        let plan = stored.save().expect("a new document has a first save");
        let file = format!("{n}.bin");
        std::fs::write(dir.join(&file), &plan.bytes).unwrap();
        let parts = plan.put.to_parts();
        if n > 0 {
            manifest.push(',');
        }
        let _ = write!(
            manifest,
            "{{\"key\":[{},{},{}],\"file\":\"{file}\",\"bytes\":{}}}",
            json(&parts[0]),
            json(&parts[1]),
            json(&parts[2]),
            plan.bytes.len()
        );
    }
    manifest.push_str("]}\n");
    std::fs::write(dir.join("manifest.json"), manifest).unwrap();
}

fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
