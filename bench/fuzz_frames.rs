//! A long fuzz run outside CI: sequences of hostile frames after a real
//! handshake, made by mutating real sync messages and the hostile corpus
//! (`tests/fixtures/hostile/`), fed to the frame decoder, the guard, the
//! sync engine, the updates-file reader and the stored-chunk loader.
//!
//! ```sh
//! cargo run --release --example fuzz_frames -- 100000 [seed]
//! ```
//!
//! Prints inputs run, time, and the slowest input; an input that panics, or
//! that changes the phone's document, is written to
//! `tests/fixtures/hostile/fuzz-crash-<n>.bin` and counted. Release builds
//! abort on panic, so each input is first written to
//! `target/fuzz-current.bin`: after an abort, that file is the crash.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use automerge::ROOT;
use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use common_ground::core::repo::guard;
use common_ground::core::repo::message::Message;
use common_ground::core::updates;

// The group, the handshake and the encodings the hostile tests use.
#[path = "../tests/support/mod.rs"]
mod support;
use support::{Pair, a_group, group_id, sync_frame, uleb};

/// xorshift: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

const INTERESTING: [u64; 9] = [0, 1, 7, 10, 127, 128, 0xffff, 0xffff_ffff, u64::MAX];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] ^= 1 << rng.below(8);
            }
            1 => data.truncate(at),
            2 => {
                let mut number = Vec::new();
                uleb(&mut number, INTERESTING[rng.below(INTERESTING.len())]);
                data.splice(at..at, number);
            }
            3 if !data.is_empty() => {
                let end = (at + rng.below(8)).min(data.len());
                data.drain(at.min(end)..end);
            }
            4 => {
                let byte = u8::try_from(rng.below(256)).unwrap_or(0);
                data.insert(at, byte);
            }
            _ => {
                let len = data.len();
                if len > 0 {
                    let from = rng.below(len);
                    let piece: Vec<u8> = data[from..(from + rng.below(16)).min(len)].to_vec();
                    data.splice(at..at, piece);
                }
            }
        }
    }
    data
}

/// A sequence of frames as one file: each frame's length (4 bytes, big
/// endian), then the frame.
fn encode(sequence: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for frame in sequence {
        out.extend(u32::try_from(frame.len()).unwrap_or(0).to_be_bytes());
        out.extend(frame);
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(0x5eed);
    let mut rng = Rng(seed | 1);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                // Bombs are slow to mutate and already covered: keep the small seeds.
                .filter_map(|(name, path)| Some((name, std::fs::read(path).ok()?)))
                .filter(|(_, bytes)| bytes.len() < 20_000)
                .collect()
        })
        .unwrap_or_default();
    let mut group = a_group();
    let real = group
        .sync()
        .generate_sync_message(&mut automerge::sync::State::new())
        .unwrap()
        .encode();
    let mut forked = group.fork();
    forked.put(ROOT, "more", 1).unwrap();
    forked.commit();
    seeds.push(("real-sync".into(), real));
    seeds.push(("real-save".into(), group.clone().save()));
    seeds.push(("real-incremental".into(), forked.save_incremental()));
    std::panic::set_hook(Box::new(|_| {}));

    let current = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-current.bin");
    let started = Instant::now();
    let (mut crashes, mut frames) = (0, 0usize);
    let mut slowest = (Duration::ZERO, String::new());
    for run in 0..runs {
        let (seed_name, seed_bytes) = &seeds[rng.below(seeds.len())];
        // A sequence of 1–8 frames on one link after a real handshake.
        let sequence: Vec<Vec<u8>> = (0..=rng.below(8))
            .map(|_| {
                let data = mutate(&mut rng, seed_bytes);
                if seed_name.starts_with("frame-") || rng.below(8) == 0 {
                    data
                } else {
                    sync_frame(data)
                }
            })
            .collect();
        frames += sequence.len();
        // Release builds abort on panic: the input is on disk before it runs.
        let _ = std::fs::write(&current, encode(&sequence));
        let one = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut pair = Pair::new();
            let before = pair.heads();
            for frame in &sequence {
                let _ = Message::decode(frame);
                pair.hostile(frame);
            }
            let after = pair.heads();
            // The same bytes as chunks: the guard, an updates file, storage.
            for bytes in &sequence {
                let _ = guard::check_chunks(bytes);
                let file = updates::pack(group_id(), &[(group_id(), bytes.clone())]);
                let _ = updates::unpack(&file, None);
            }
            after == before
        }));
        let took = one.elapsed();
        if took > slowest.0 {
            slowest = (took, seed_name.clone());
        }
        let failed = !matches!(outcome, Ok(true));
        if failed {
            crashes += 1;
            let _ = std::fs::write(dir.join(format!("fuzz-crash-{run}.bin")), encode(&sequence));
            let what = if outcome.is_ok() {
                "changed the document"
            } else {
                "panicked"
            };
            eprintln!("run {run} (from {seed_name}): {what}");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{runs} inputs ({frames} frames, each after a real handshake) in {:.1} s: {:.0} inputs/s; \
         {crashes} crashes or changes; slowest input {:.1} ms (from {}); seed {seed}",
        elapsed.as_secs_f64(),
        f64::from(u32::try_from(runs).unwrap_or(u32::MAX)) / elapsed.as_secs_f64(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
}
