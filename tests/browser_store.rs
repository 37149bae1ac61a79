//! The IndexedDB document store and the repo runtime, in headless Chromium
//! (wasm-bindgen-test). Each test uses its own database.
#![cfg(target_arch = "wasm32")]

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc, transaction::Transactable};
use common_ground::core::command::Command;
use common_ground::core::model::PlotStatus;
use common_ground::core::repo::{ChunkKind, DocumentId, StoredDoc};
use common_ground::web::idb::ChunkStore;
use common_ground::web::platform::{new_id, random_bytes};
use common_ground::web::repo::{OpenError, Repo};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn database() -> String {
    format!("test-{}", new_id())
}

fn new_doc() -> StoredDoc {
    let id = DocumentId::from_bytes(random_bytes());
    StoredDoc::new(
        id,
        AutoCommit::new().with_actor(ActorId::from(random_bytes::<16>())),
    )
}

fn edit(doc: &mut StoredDoc, n: i64) {
    doc.doc_mut().put(ROOT, format!("plot{n}"), n).unwrap();
    doc.doc_mut().commit();
}

async fn save(store: &ChunkStore, doc: &mut StoredDoc) {
    let plan = doc.save().expect("something to save");
    store.write(&plan).await.expect("IndexedDB write");
}

async fn reopen(name: &str, store: ChunkStore) -> ChunkStore {
    store.close();
    ChunkStore::open(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn chunks_and_snapshots_round_trip() {
    let name = database();
    let store = ChunkStore::open(&name).await.unwrap();
    let mut doc = new_doc();
    edit(&mut doc, 1);
    save(&store, &mut doc).await; // snapshot
    for n in 2..5 {
        edit(&mut doc, n);
        save(&store, &mut doc).await; // incrementals
    }
    let store = reopen(&name, store).await;
    let chunks = store.load(doc.id()).await.unwrap();
    let kinds: Vec<_> = chunks.iter().map(|(key, _)| key.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == ChunkKind::Snapshot).count(),
        1
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == ChunkKind::Incremental)
            .count(),
        3
    );
    let (mut loaded, report) =
        StoredDoc::load(doc.id(), &ActorId::from(random_bytes::<16>()), chunks);
    assert!(report.corrupt.is_empty());
    assert_eq!(loaded.doc_mut().get_heads(), doc.doc_mut().get_heads());
    for n in 1..5 {
        assert!(
            loaded
                .doc()
                .get(ROOT, format!("plot{n}"))
                .unwrap()
                .is_some(),
            "plot{n} is back"
        );
    }
    // Another document's chunks are not mixed in.
    let other = DocumentId::from_bytes(random_bytes());
    assert!(store.load(other).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn compaction_keeps_the_document_identical() {
    let name = database();
    let store = ChunkStore::open(&name).await.unwrap();
    let mut doc = new_doc();
    let mut most = 0;
    for n in 0..40 {
        edit(&mut doc, n);
        save(&store, &mut doc).await;
        most = most.max(store.load(doc.id()).await.unwrap().len());
    }
    let store = reopen(&name, store).await;
    let chunks = store.load(doc.id()).await.unwrap();
    assert!(
        chunks.len() < most,
        "compaction removed chunks ({} < {most})",
        chunks.len()
    );
    let (mut loaded, _) = StoredDoc::load(doc.id(), &ActorId::from(random_bytes::<16>()), chunks);
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

#[wasm_bindgen_test]
async fn a_corrupt_chunk_is_skipped_and_the_rest_loads() {
    let name = database();
    let store = ChunkStore::open(&name).await.unwrap();
    let mut doc = new_doc();
    for n in 0..3 {
        edit(&mut doc, n);
        save(&store, &mut doc).await;
    }
    let bad = [
        doc.id().to_string(),
        "incremental".to_owned(),
        "bad".to_owned(),
    ];
    store
        .put_raw(&bad, b"\x85\x6f\x4a\x83garbage")
        .await
        .unwrap();
    let (loaded, report) = StoredDoc::load(
        doc.id(),
        &ActorId::from(random_bytes::<16>()),
        store.load(doc.id()).await.unwrap(),
    );
    assert_eq!(report.corrupt.len(), 1);
    assert_eq!(report.corrupt[0].name, "bad");
    assert!(loaded.doc().get(ROOT, "plot2").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn sync_states_and_foreign_records_are_left_alone() {
    let name = database();
    let store = ChunkStore::open(&name).await.unwrap();
    let mut doc = new_doc();
    edit(&mut doc, 1);
    save(&store, &mut doc).await;
    let sync_state = [
        doc.id().to_string(),
        "sync-state".to_owned(),
        "peer-storage-id".to_owned(),
    ];
    store.put_raw(&sync_state, &[1, 2, 3]).await.unwrap();
    let chunks = store.load(doc.id()).await.unwrap();
    assert_eq!(chunks.len(), 1, "only the snapshot is a chunk");
    let raw = store.load_range(&[doc.id().to_string()]).await.unwrap();
    assert_eq!(raw.len(), 2, "the sync state is still stored");
}

#[wasm_bindgen_test]
async fn the_repo_keeps_a_group_across_page_loads() {
    let name = database();
    let repo = Repo::open(&name).await.unwrap();
    let (id, _) = repo.create_group("Eastside Growers", 1).unwrap();
    repo.apply(
        id,
        &Command::AddSite {
            id: "s1".into(),
            name: "Maple St".into(),
        },
        &2.into(),
    )
    .unwrap();
    for n in 0..12 {
        let add = Command::AddPlot {
            id: format!("p{n}"),
            site: "s1".into(),
            label: format!("A{n}"),
            size: String::new(),
            status: PlotStatus::Available,
        };
        repo.apply(id, &add, &3.into()).unwrap();
        repo.flush(id).await.unwrap();
    }
    // A second page load is a second repo over the same database.
    let later = Repo::open(&name).await.unwrap();
    let (group, report) = later.open_group(id).await.unwrap();
    assert!(report.corrupt.is_empty());
    assert_eq!(group.name, "Eastside Growers");
    assert_eq!(group.plots_in("s1").len(), 12);
    let missing = DocumentId::from_bytes(random_bytes());
    assert_eq!(
        later.open_group(missing).await.unwrap_err(),
        OpenError::NotHere
    );
}
