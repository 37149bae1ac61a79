//! How a document lives in storage: the chunk keys of
//! `@automerge/automerge-repo-storage-indexeddb`, incremental saves, and the
//! compaction policy.
//!
//! Keys are `[documentId, "snapshot" | "incremental", hash]`:
//! an incremental chunk is named by the sha256 of its bytes, a snapshot by the
//! sha256 of the document's heads (hex strings, concatenated), exactly as
//! automerge-repo names them, so either program can read what the other wrote.

use automerge::{AutoCommit, Automerge, AutomergeError, ChangeHash, LoadOptions, OnPartialLoad};
use sha2::{Digest, Sha256};

use super::DocumentId;

/// The second part of a chunk's storage key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChunkKind {
    Snapshot,
    Incremental,
}

impl ChunkKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Snapshot => "snapshot",
            Self::Incremental => "incremental",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "snapshot" => Some(Self::Snapshot),
            "incremental" => Some(Self::Incremental),
            _ => None,
        }
    }
}

/// The key of one stored chunk of one document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkKey {
    pub document: DocumentId,
    pub kind: ChunkKind,
    pub name: String,
}

impl ChunkKey {
    /// The key as automerge-repo spells it: three strings.
    pub fn to_parts(&self) -> [String; 3] {
        [
            self.document.to_string(),
            self.kind.as_str().to_owned(),
            self.name.clone(),
        ]
    }

    /// Reads a key back from its parts; `None` for keys that are not chunks
    /// of a document (sync states, the storage id, anything unknown).
    pub fn from_parts(parts: &[String]) -> Option<Self> {
        let [document, kind, name] = parts else {
            return None;
        };
        Some(Self {
            document: DocumentId::parse(document).ok()?,
            kind: ChunkKind::parse(kind)?,
            name: name.clone(),
        })
    }

    fn incremental(document: DocumentId, bytes: &[u8]) -> Self {
        Self {
            document,
            kind: ChunkKind::Incremental,
            name: hex(&Sha256::digest(bytes)),
        }
    }

    fn snapshot(document: DocumentId, heads: &[ChangeHash]) -> Self {
        let mut hasher = Sha256::new();
        for head in heads {
            hasher.update(head.to_string().as_bytes());
        }
        Self {
            document,
            kind: ChunkKind::Snapshot,
            name: hex(&hasher.finalize()),
        }
    }
}

/// Lower-case hex, as automerge-repo names chunks.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// A chunk this process loaded or wrote, and may therefore delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkInfo {
    pub key: ChunkKey,
    pub size: usize,
}

/// Incremental chunks accumulate until they are at least this many...
const MIN_INCREMENTALS_BEFORE_COMPACTION: usize = 8;

/// The compaction policy: fold the incremental chunks into one snapshot once
/// there are several of them and together they outweigh the snapshot.
///
/// Like automerge-repo, a document is compacted when its incremental bytes
/// reach its snapshot bytes; unlike it, never after every small edit of a
/// small document, so that an edit writes only its own change.
pub fn should_compact(chunks: &[ChunkInfo]) -> bool {
    let (mut snapshot_bytes, mut incremental_bytes, mut incrementals) = (0, 0, 0);
    for chunk in chunks {
        match chunk.key.kind {
            ChunkKind::Snapshot => snapshot_bytes += chunk.size,
            ChunkKind::Incremental => {
                incremental_bytes += chunk.size;
                incrementals += 1;
            }
        }
    }
    incrementals >= MIN_INCREMENTALS_BEFORE_COMPACTION && incremental_bytes >= snapshot_bytes
}

/// What the shell must write so that storage holds the document: put one
/// chunk, then delete the chunks it replaces (empty unless compacting).
/// Putting and deleting belong in one storage transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavePlan {
    pub put: ChunkKey,
    pub bytes: Vec<u8>,
    pub delete: Vec<ChunkKey>,
    previous_heads: Vec<ChangeHash>,
    previous_chunks: Vec<ChunkInfo>,
}

/// What loading found besides the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Chunks that could not be read. They are skipped and left in storage
    /// untouched; the rest of the document loads without them.
    pub corrupt: Vec<ChunkKey>,
}

/// One document in memory, with what is known of its stored form.
#[derive(Debug)]
pub struct StoredDoc {
    id: DocumentId,
    doc: AutoCommit,
    /// Chunks this process loaded or wrote: the only ones compaction deletes,
    /// so a second tab's fresh chunks are never lost.
    chunks: Vec<ChunkInfo>,
    /// Heads already in storage; `save` writes what came after them.
    saved_heads: Vec<ChangeHash>,
    /// The last write failed: the retry writes only the changes since the
    /// last good save, not a whole new snapshot (a full disk stays full).
    after_failure: bool,
}

impl StoredDoc {
    /// A document created here and not yet saved.
    pub fn new(id: DocumentId, doc: AutoCommit) -> Self {
        Self {
            id,
            doc,
            chunks: Vec::new(),
            saved_heads: Vec::new(),
            after_failure: false,
        }
    }

    /// Builds the document from its stored chunks, snapshots first. A chunk
    /// that does not parse is reported and skipped.
    pub fn load(
        id: DocumentId,
        actor: &automerge::ActorId,
        mut stored: Vec<(ChunkKey, Vec<u8>)>,
    ) -> (Self, LoadReport) {
        stored.sort_by_key(|(key, _)| key.kind);
        let mut doc = AutoCommit::new();
        doc.set_actor(actor.clone());
        let mut chunks = Vec::new();
        let mut report = LoadReport::default();
        for (key, bytes) in stored {
            let loaded = if key.document != id || super::guard::check_chunks(&bytes).is_err() {
                false
            } else if doc.is_empty() && key.kind == ChunkKind::Snapshot {
                // The first snapshot becomes the document.
                match AutoCommit::load_with_options(&bytes, strict()) {
                    Ok(first) => {
                        doc = first.with_actor(actor.clone());
                        true
                    }
                    Err(_) => false,
                }
            } else {
                parses(&bytes) && doc.load_incremental(&bytes).is_ok()
            };
            if !loaded {
                report.corrupt.push(key);
                continue;
            }
            chunks.push(ChunkInfo {
                key,
                size: bytes.len(),
            });
        }
        let saved_heads = doc.get_heads();
        let loaded = Self {
            id,
            doc,
            chunks,
            saved_heads,
            after_failure: false,
        };
        (loaded, report)
    }

    pub const fn id(&self) -> DocumentId {
        self.id
    }

    pub const fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    pub const fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// The chunks this process knows it may delete.
    pub fn chunks(&self) -> &[ChunkInfo] {
        &self.chunks
    }

    /// True when the document has changes storage does not hold yet.
    pub fn has_unsaved_changes(&mut self) -> bool {
        self.doc.get_heads() != self.saved_heads
    }

    /// Plans the write that brings storage up to date, or `None` if it is.
    ///
    /// The first save of a new document and every compaction write a
    /// snapshot; all other saves write only the changes since the last save.
    /// The plan is taken as done; call [`StoredDoc::save_failed`] if the
    /// shell could not write it.
    pub fn save(&mut self) -> Option<SavePlan> {
        let heads = self.doc.get_heads();
        if heads == self.saved_heads {
            return None;
        }
        let previous_heads = std::mem::replace(&mut self.saved_heads, heads.clone());
        let previous_chunks = self.chunks.clone();
        let compact = !std::mem::take(&mut self.after_failure) && should_compact(&self.chunks);
        if self.chunks.is_empty() || compact {
            let bytes = self.doc.save();
            let put = ChunkKey::snapshot(self.id, &heads);
            let delete: Vec<ChunkKey> = self
                .chunks
                .drain(..)
                .map(|chunk| chunk.key)
                .filter(|key| *key != put)
                .collect();
            self.chunks.push(ChunkInfo {
                key: put.clone(),
                size: bytes.len(),
            });
            Some(SavePlan {
                put,
                bytes,
                delete,
                previous_heads,
                previous_chunks,
            })
        } else {
            let bytes = self.doc.save_after(&previous_heads);
            let put = ChunkKey::incremental(self.id, &bytes);
            self.chunks.push(ChunkInfo {
                key: put.clone(),
                size: bytes.len(),
            });
            Some(SavePlan {
                put,
                bytes,
                delete: Vec::new(),
                previous_heads,
                previous_chunks,
            })
        }
    }

    /// Undoes the bookkeeping of a plan the shell could not write, so that
    /// the next save includes its changes again.
    pub fn save_failed(&mut self, plan: SavePlan) {
        self.saved_heads = plan.previous_heads;
        self.chunks = plan.previous_chunks;
        self.after_failure = true;
    }
}

fn strict() -> LoadOptions<'static> {
    LoadOptions::new().on_partial_load(OnPartialLoad::Error)
}

/// Whether a chunk is whole: automerge's incremental loader would silently
/// skip a damaged tail, and the member must hear about it instead. Changes
/// whose dependencies are in other chunks are whole.
fn parses(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && match Automerge::load_with_options(bytes, strict()) {
            Ok(_) | Err(AutomergeError::MissingDeps) => true,
            Err(_) => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ROOT, ReadDoc, transaction::Transactable};

    fn id() -> DocumentId {
        DocumentId::from_bytes([1; 16])
    }

    fn actor(n: u8) -> automerge::ActorId {
        automerge::ActorId::from([n; 16])
    }

    fn edit(doc: &mut StoredDoc, key: &str, value: i64) {
        doc.doc_mut().put(ROOT, key, value).unwrap();
        doc.doc_mut().commit();
    }

    fn chunk(kind: ChunkKind, size: usize) -> ChunkInfo {
        ChunkInfo {
            key: ChunkKey {
                document: id(),
                kind,
                name: format!("{size}"),
            },
            size,
        }
    }

    #[test]
    fn policy_waits_for_several_incrementals() {
        let mut chunks = vec![chunk(ChunkKind::Snapshot, 100)];
        for n in 0..7 {
            chunks.push(chunk(ChunkKind::Incremental, 50 + n));
        }
        assert!(!should_compact(&chunks), "7 incrementals are not enough");
        chunks.push(chunk(ChunkKind::Incremental, 60));
        assert!(should_compact(&chunks));
    }

    #[test]
    fn policy_keeps_a_large_snapshot_with_small_incrementals() {
        let mut chunks = vec![chunk(ChunkKind::Snapshot, 10_000)];
        chunks.extend((0..20).map(|n| chunk(ChunkKind::Incremental, 100 + n)));
        assert!(!should_compact(&chunks));
    }

    #[test]
    fn first_save_is_a_snapshot_then_incrementals() {
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut doc, "a", 1);
        let first = doc.save().unwrap();
        assert_eq!(first.put.kind, ChunkKind::Snapshot);
        assert!(doc.save().is_none(), "nothing new to save");
        edit(&mut doc, "b", 2);
        let second = doc.save().unwrap();
        assert_eq!(second.put.kind, ChunkKind::Incremental);
        assert!(second.delete.is_empty());
        assert!(second.bytes.len() < first.bytes.len() + 64);
    }

    #[test]
    fn a_retry_after_a_failed_compaction_writes_only_the_changes() {
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut doc, "first", 0);
        doc.save().unwrap();
        let compaction = (1..100)
            .find_map(|n| {
                edit(&mut doc, &format!("k{n}"), n);
                let plan = doc.save().unwrap();
                (plan.put.kind == ChunkKind::Snapshot).then_some(plan)
            })
            .expect("a compaction comes due");
        doc.save_failed(compaction);
        let retry = doc.save().unwrap();
        assert_eq!(retry.put.kind, ChunkKind::Incremental);
        assert!(retry.delete.is_empty());
        doc.save_failed(retry);
        edit(&mut doc, "more", 1);
        let again = doc.save().unwrap();
        assert_eq!(
            again.put.kind,
            ChunkKind::Incremental,
            "every retry stays small"
        );
    }

    #[test]
    fn keys_use_automerge_repo_names() {
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut doc, "a", 1);
        let plan = doc.save().unwrap();
        let heads = doc.doc_mut().get_heads();
        let mut expected = Sha256::new();
        expected.update(heads[0].to_string().as_bytes());
        let parts = plan.put.to_parts();
        assert_eq!(parts[0], id().to_string());
        assert_eq!(parts[1], "snapshot");
        assert_eq!(parts[2], hex(&expected.finalize()));
        assert_eq!(ChunkKey::from_parts(&parts), Some(plan.put));
        assert_eq!(ChunkKey::from_parts(&[parts[0].clone()]), None);
    }

    /// Saves every edit the way the shell does, keeping what storage holds.
    fn save_into(doc: &mut StoredDoc, storage: &mut Vec<(ChunkKey, Vec<u8>)>) {
        if let Some(plan) = doc.save() {
            storage.retain(|(key, _)| !plan.delete.contains(key));
            storage.push((plan.put, plan.bytes));
        }
    }

    #[test]
    fn compaction_keeps_the_document_identical() {
        let mut storage = Vec::new();
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        let mut compacted = false;
        for n in 0..40 {
            edit(&mut doc, &format!("plot{n}"), n);
            let before = storage.len();
            save_into(&mut doc, &mut storage);
            compacted |= storage.len() < before;
        }
        assert!(compacted, "forty edits compact at least once");
        assert!(storage.len() < 20);
        let (mut loaded, report) = StoredDoc::load(id(), &actor(2), storage);
        assert!(report.corrupt.is_empty());
        assert_eq!(loaded.doc_mut().get_heads(), doc.doc_mut().get_heads());
        assert_eq!(
            loaded
                .doc()
                .get(ROOT, "plot39")
                .unwrap()
                .unwrap()
                .0
                .as_i64(),
            Some(39)
        );
    }

    #[test]
    fn compaction_spares_chunks_another_tab_wrote() {
        let mut storage = Vec::new();
        let mut tab_a = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut tab_a, "start", 0);
        save_into(&mut tab_a, &mut storage);
        // A second tab loads, then writes a chunk tab A never saw.
        let (mut tab_b, _) = StoredDoc::load(id(), &actor(2), storage.clone());
        edit(&mut tab_b, "from_b", 7);
        save_into(&mut tab_b, &mut storage);
        for n in 0..30 {
            edit(&mut tab_a, &format!("a{n}"), n);
            save_into(&mut tab_a, &mut storage);
        }
        let (loaded, _) = StoredDoc::load(id(), &actor(3), storage);
        assert_eq!(
            loaded
                .doc()
                .get(ROOT, "from_b")
                .unwrap()
                .unwrap()
                .0
                .as_i64(),
            Some(7)
        );
        assert!(loaded.doc().get(ROOT, "a29").unwrap().is_some());
    }

    #[test]
    fn corrupt_chunk_is_reported_and_skipped() {
        let mut storage = Vec::new();
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut doc, "a", 1);
        save_into(&mut doc, &mut storage);
        edit(&mut doc, "b", 2);
        save_into(&mut doc, &mut storage);
        let damaged_key = ChunkKey {
            document: id(),
            kind: ChunkKind::Incremental,
            name: "damaged".into(),
        };
        let mut damaged = storage[1].1.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 0xff;
        damaged.truncate(last);
        storage.push((damaged_key.clone(), damaged));
        storage.push((damaged_key.clone(), b"not automerge at all".to_vec()));
        let (loaded, report) = StoredDoc::load(id(), &actor(2), storage);
        assert_eq!(report.corrupt, vec![damaged_key.clone(), damaged_key]);
        assert!(loaded.doc().get(ROOT, "a").unwrap().is_some());
        assert!(loaded.doc().get(ROOT, "b").unwrap().is_some());
        assert!(loaded.chunks().iter().all(|c| c.key.name != "damaged"));
    }

    #[test]
    fn incrementals_load_without_a_snapshot() {
        // Another automerge-repo peer may have stored only incremental chunks.
        let mut source = AutoCommit::new().with_actor(actor(1));
        source.put(ROOT, "a", 1).unwrap();
        source.commit();
        let first = source.save_incremental();
        source.put(ROOT, "b", 2).unwrap();
        source.commit();
        let second = source.save_incremental();
        let chunk = |bytes: &Vec<u8>| (ChunkKey::incremental(id(), bytes), bytes.clone());
        // Newest first: the order IndexedDB returns them in is by hash.
        let (loaded, report) =
            StoredDoc::load(id(), &actor(2), vec![chunk(&second), chunk(&first)]);
        assert!(report.corrupt.is_empty(), "{:?}", report.corrupt);
        assert_eq!(
            loaded.doc().get(ROOT, "b").unwrap().unwrap().0.as_i64(),
            Some(2)
        );
        assert_eq!(loaded.chunks().len(), 2);
    }

    #[test]
    fn failed_save_is_retried() {
        let mut doc = StoredDoc::new(id(), AutoCommit::new().with_actor(actor(1)));
        edit(&mut doc, "a", 1);
        let plan = doc.save().unwrap();
        doc.save_failed(plan.clone());
        assert!(doc.has_unsaved_changes());
        assert_eq!(doc.save().unwrap().put, plan.put);
    }
}
