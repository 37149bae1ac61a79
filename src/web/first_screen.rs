//! Where the cached first screen (`core::first_screen`) lives: IndexedDB
//! database `common-ground-first-screen`, store `groups`, one record per
//! group under the group's id, the value the record's bytes. A database of
//! its own, so neither automerge-repo's `automerge` nor the device records'
//! database changes its layout or version; losing it loses nothing but
//! speed.
//!
//! The page's first script (scripts/early.js) reads it on a group's
//! address, while the app downloads: the record and the group's chunk keys
//! (keys only, no chunk bytes), both databases opened without creating
//! them; [`read`] takes what it found. The engine writes it ([`write`])
//! when a group's saves are done.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::repo::{ChunkKey, DocumentId};

/// The database of cached first screens beside the documents' `database`.
pub fn database_for(database: &str) -> String {
    if database == super::idb::DATABASE {
        "common-ground-first-screen".to_owned()
    } else {
        format!("{database}.first-screen")
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
// The read scripts/early.js started for the page's address, once.
export function take_early(group) {
  const early = window.__firstScreen;
  if (!early || early.group !== group) return null;
  delete window.__firstScreen;
  return early.read;
}
// The cache's connection, opened once the engine starts, so that a write
// when the page is hidden starts its transaction at once: a page being
// left runs no more callbacks.
const open = new Map();
const ready = new Map();
function connect(name) {
  if (!open.has(name)) {
    open.set(name, new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore("groups");
      request.onsuccess = () => {
        const db = request.result;
        // Let a deletion or a newer version in; reopened on the next write.
        db.onversionchange = () => { db.close(); open.delete(name); ready.delete(name); };
        ready.set(name, db);
        resolve(db);
      };
      request.onerror = () => { open.delete(name); reject(String(request.error)); };
    }));
  }
  return open.get(name);
}
// A failure shows at the first write, which tries again.
export function prepare_cached(name) {
  connect(name).catch(() => {});
}
// A cache: relaxed durability, and a failure costs only speed.
export function write_cached(cache, group, bytes) {
  const db = ready.get(cache);
  if (!db) return connect(cache).then(() => write_cached(cache, group, bytes));
  return new Promise((resolve, reject) => {
    try {
      const tx = db.transaction("groups", "readwrite", { durability: "relaxed" });
      if (bytes) tx.objectStore("groups").put(bytes, group);
      else tx.objectStore("groups").delete(group);
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(String(tx.error));
      if (tx.commit) tx.commit();
    } catch (error) {
      ready.delete(cache);
      open.delete(cache);
      reject(String(error));
    }
  });
}
"#)]
extern "C" {
    fn take_early(group: &str) -> Option<js_sys::Promise>;
    fn write_cached(cache: &str, group: &str, bytes: &JsValue) -> js_sys::Promise;
    fn prepare_cached(cache: &str);
}

/// Opens (creating if needed) the database `cache`, so that a later
/// [`write`] starts its transaction at once.
pub fn prepare(cache: &str) {
    prepare_cached(cache);
}

/// A group's cached record and its document's stored chunk keys as the
/// page found them at its start (read by scripts/early.js while the app
/// downloaded), if the page started on this group's address and both
/// databases existed and held a record for it.
pub async fn read(group: DocumentId) -> Option<(Vec<u8>, Vec<ChunkKey>)> {
    let found = wasm_bindgen_futures::JsFuture::from(take_early(&group.to_string())?)
        .await
        .ok()?;
    let found = found.dyn_into::<Array>().ok()?;
    let record = found.get(0).dyn_into::<Uint8Array>().ok()?.to_vec();
    let keys = found
        .get(1)
        .dyn_into::<Array>()
        .ok()?
        .iter()
        .filter_map(|key| {
            let parts: Option<Vec<String>> = key
                .dyn_ref::<Array>()?
                .iter()
                .map(|part| part.as_string())
                .collect();
            ChunkKey::from_parts(&parts?)
        })
        .collect();
    Some((record, keys))
}

/// Writes (`Some`) or removes (`None`) a group's cached record in the
/// database `cache` (see [`database_for`]); resolves once the write is done.
///
/// # Errors
/// What IndexedDB said.
pub async fn write(cache: &str, group: DocumentId, bytes: Option<&[u8]>) -> Result<(), JsValue> {
    let bytes = bytes.map_or(JsValue::NULL, |bytes| Uint8Array::from(bytes).into());
    let written = write_cached(cache, &group.to_string(), &bytes);
    wasm_bindgen_futures::JsFuture::from(written).await?;
    Ok(())
}
