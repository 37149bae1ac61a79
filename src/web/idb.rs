//! The document store in IndexedDB, laid out exactly as
//! `@automerge/automerge-repo-storage-indexeddb` lays it out: database
//! "automerge", object store "documents", records `{ key, binary }` stored
//! under the out-of-line key `[documentId, kind, name]`.

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::repo::{ChunkKey, DocumentId, SavePlan};
use crate::web::settings::KnownGroup;

/// The database name automerge-repo uses by default.
pub const DATABASE: &str = "automerge";
const STORE: &str = "documents";

/// Storage could not be opened, read or written. The text is the browser's
/// own explanation, shown to the member inside a translated sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        Self(error.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        Self(error.to_string())
    }
}

impl From<JsValue> for StoreError {
    fn from(error: JsValue) -> Self {
        Self(format!("{error:?}"))
    }
}

/// A key or chunk as stored: the raw parts, so that keys this version does
/// not understand can still be listed (tests) and are never misread.
pub type RawKey = Vec<String>;

/// The open document store.
#[derive(Debug)]
pub struct ChunkStore {
    db: Database,
    /// The same database, for writes (see [`write_strict`]).
    raw: JsValue,
}

// Writes go through these few lines of JavaScript rather than
// indexed_db_futures, whose commit reports an abort without its reason: the
// member must hear "storage full" (QuotaExceededError), not "aborted".
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function open_raw(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(String(request.error));
  });
}
export function write_strict(db, store, puts, deletes) {
  return new Promise((resolve, reject) => {
    let tx;
    try {
      tx = db.transaction(store, "readwrite", { durability: "strict" });
      const objects = tx.objectStore(store);
      for (const [key, value] of puts) objects.put(value, key);
      for (const key of deletes) objects.delete(key);
    } catch (error) {
      reject(`${error.name}: ${error.message}`);
      return;
    }
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ? `${tx.error.name}: ${tx.error.message}` : "AbortError");
    if (tx.commit) tx.commit();
  });
}
"#)]
extern "C" {
    fn open_raw(name: &str) -> js_sys::Promise;
    fn write_strict(db: &JsValue, store: &str, puts: &Array, deletes: &Array) -> js_sys::Promise;
}

/// Opens a second connection to a database for [`write_strict`].
async fn raw_connection(name: &str) -> Result<JsValue, StoreError> {
    Ok(wasm_bindgen_futures::JsFuture::from(open_raw(name)).await?)
}

/// One readwrite transaction, durability `strict`: resolves once it is on
/// disk; fails with the browser's own reason (`QuotaExceededError: …`).
async fn write_all(
    db: &JsValue,
    store: &str,
    puts: Vec<(JsValue, JsValue)>,
    deletes: Vec<JsValue>,
) -> Result<(), StoreError> {
    start_write(db, store, puts, deletes).await
}

/// [`write_all`], with the transaction opened before this returns rather
/// than when the future is first polled: the browser writes while the page
/// goes on with its work.
fn start_write(
    db: &JsValue,
    store: &str,
    puts: Vec<(JsValue, JsValue)>,
    deletes: Vec<JsValue>,
) -> impl Future<Output = Result<(), StoreError>> + 'static + use<> {
    let puts: Array = puts
        .into_iter()
        .map(|(key, value)| JsValue::from(Array::of2(&key, &value)))
        .collect();
    let deletes: Array = deletes.into_iter().collect();
    let written = wasm_bindgen_futures::JsFuture::from(write_strict(db, store, &puts, &deletes));
    async move {
        written.await.map_err(|error| {
            StoreError(error.as_string().unwrap_or_else(|| format!("{error:?}")))
        })?;
        Ok(())
    }
}

impl ChunkStore {
    /// Opens (creating if needed) the store in the named database.
    ///
    /// # Errors
    /// When the browser refuses IndexedDB (private mode, storage disabled).
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(1u8)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(STORE).build()?;
                }
                Ok(())
            })
            .await?;
        let raw = raw_connection(name).await?;
        Ok(Self { db, raw })
    }

    /// Every stored chunk of one document (snapshots and incrementals; sync
    /// states and anything unknown are left out).
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn load(&self, document: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, StoreError> {
        let records = self.load_range(&[document.to_string()]).await?;
        Ok(records
            .into_iter()
            .filter_map(|(key, bytes)| Some((ChunkKey::from_parts(&key)?, bytes)))
            .collect())
    }

    /// Every stored chunk of one document, and the sync states kept beside
    /// it (`[documentId, "sync-state", storageId]`) by storage id.
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn load_document(
        &self,
        document: DocumentId,
    ) -> Result<(Vec<(ChunkKey, Vec<u8>)>, Vec<(String, Vec<u8>)>), StoreError> {
        let records = self.load_range(&[document.to_string()]).await?;
        let mut chunks = Vec::new();
        let mut sync_states = Vec::new();
        for (key, bytes) in records {
            if let [_, kind, storage] = key.as_slice()
                && kind == "sync-state"
            {
                sync_states.push((storage.clone(), bytes));
            } else if let Some(key) = ChunkKey::from_parts(&key) {
                chunks.push((key, bytes));
            }
        }
        Ok((chunks, sync_states))
    }

    /// This storage's id, as automerge-repo keeps it: a UUID under the key
    /// `["storage-adapter-id"]`, made on first use. Sync servers keep our
    /// sync state under it, so a reconnect sends only what is new.
    ///
    /// # Errors
    /// When IndexedDB fails to read or write.
    pub async fn storage_id(&self) -> Result<String, StoreError> {
        let key = ["storage-adapter-id".to_owned()];
        let stored = self.load_range(&key).await?;
        if let Some((_, bytes)) = stored.into_iter().find(|(k, _)| k.as_slice() == key)
            && let Ok(id) = String::from_utf8(bytes)
        {
            return Ok(id);
        }
        let id = super::platform::new_uuid();
        self.put_raw(&key, id.as_bytes()).await?;
        Ok(id)
    }

    /// Every record whose key starts with `prefix`, as automerge-repo's
    /// `loadRange` reads them.
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn load_range(
        &self,
        prefix: &[String],
    ) -> Result<Vec<(RawKey, Vec<u8>)>, StoreError> {
        let tx = self.db.transaction(STORE).build()?;
        let store = tx.object_store(STORE)?;
        let lower = key_array(prefix);
        let upper = key_array(prefix);
        upper.push(&JsValue::from_str("\u{ffff}"));
        let range = KeyRange::Bound(JsValue::from(lower), false, JsValue::from(upper), false);
        let records = store
            .get_all::<JsValue>()
            .with_query::<JsValue, _>(range)
            .primitive()?
            .await?;
        let mut out = Vec::new();
        for record in records {
            let record = record?;
            let key = Reflect::get(&record, &JsValue::from_str("key"))?;
            let binary = Reflect::get(&record, &JsValue::from_str("binary"))?;
            let (Some(key), Some(binary)) = (parts(&key), binary.dyn_ref::<Uint8Array>()) else {
                continue; // not an automerge-repo record; leave it alone
            };
            out.push((key, binary.to_vec()));
        }
        Ok(out)
    }

    /// Writes a save plan in one transaction: the new chunk and the removal
    /// of the chunks it replaces land together or not at all. Resolves once
    /// the browser reports the transaction durable.
    ///
    /// # Errors
    /// When IndexedDB fails to write (for example, the disk is full).
    pub async fn write(&self, plan: &SavePlan) -> Result<(), StoreError> {
        self.start_write(plan)?.await
    }

    /// [`ChunkStore::write`], with the transaction opened before this
    /// returns: the future only waits for it to be durable.
    ///
    /// # Errors
    /// When the record cannot be made; the future fails when IndexedDB
    /// fails to write (for example, the disk is full).
    pub fn start_write(
        &self,
        plan: &SavePlan,
    ) -> Result<impl Future<Output = Result<(), StoreError>> + 'static + use<>, StoreError> {
        let put = plan.put.to_parts();
        let puts = vec![(JsValue::from(key_array(&put)), record(&put, &plan.bytes)?)];
        let deletes = plan
            .delete
            .iter()
            .map(|key| JsValue::from(key_array(&key.to_parts())))
            .collect();
        Ok(start_write(&self.raw, STORE, puts, deletes))
    }

    /// Stores raw bytes under a raw key, as any automerge-repo peer could.
    ///
    /// # Errors
    /// When IndexedDB fails to write.
    pub async fn put_raw(&self, key: &[String], bytes: &[u8]) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(STORE)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(STORE)?;
        store
            .put(record(key, bytes)?)
            .with_key(JsValue::from(key_array(key)))
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the record under a raw key (a sync state the engine let go).
    ///
    /// # Errors
    /// When IndexedDB fails to write.
    pub async fn delete_raw(&self, key: &[String]) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(STORE)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(STORE)?;
        store
            .delete::<JsValue, _>(JsValue::from(key_array(key)))
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes the connection (tests reopen to prove what is on disk).
    pub fn close(self) {
        self.db.close();
    }
}

fn key_array(parts: &[String]) -> Array {
    parts.iter().map(|part| JsValue::from_str(part)).collect()
}

fn parts(key: &JsValue) -> Option<RawKey> {
    let array = key.dyn_ref::<Array>()?;
    array.iter().map(|part| part.as_string()).collect()
}

fn record(key: &[String], bytes: &[u8]) -> Result<JsValue, StoreError> {
    let record = Object::new();
    Reflect::set(&record, &JsValue::from_str("key"), &key_array(key))?;
    Reflect::set(
        &record,
        &JsValue::from_str("binary"),
        &Uint8Array::from(bytes),
    )?;
    Ok(record.into())
}

/// This phone's records of the groups it holds, in a database of our own
/// beside automerge-repo's (whose layout and version stay untouched): one
/// record per group, `{ id, name, server?, me? }` under the group's id.
/// A group's record is committed before its document's first save, so a
/// killed browser never holds a group it does not list.
pub const DEVICE_DATABASE: &str = "common-ground-device";
const GROUPS: &str = "groups";

/// The open store of device records.
#[derive(Debug)]
pub struct DeviceStore {
    db: Database,
    raw: JsValue,
}

impl DeviceStore {
    /// Opens (creating if needed) the device records.
    ///
    /// # Errors
    /// When the browser refuses IndexedDB.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(1u8)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(GROUPS).build()?;
                }
                Ok(())
            })
            .await?;
        let raw = raw_connection(name).await?;
        Ok(Self { db, raw })
    }

    /// Every group record.
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn groups(&self) -> Result<Vec<KnownGroup>, StoreError> {
        let tx = self.db.transaction(GROUPS).build()?;
        let store = tx.object_store(GROUPS)?;
        let records = store.get_all::<JsValue>().primitive()?.await?;
        let mut out = Vec::new();
        for record in records {
            if let Some(group) = known_group(&record?) {
                out.push(group);
            }
        }
        Ok(out)
    }

    /// Writes (`Some`) or removes (`None`) a group's record; resolves once
    /// the transaction is durable.
    ///
    /// # Errors
    /// When IndexedDB fails to write (for example, the disk is full).
    pub async fn put(&self, id: &str, group: Option<&KnownGroup>) -> Result<(), StoreError> {
        let key = JsValue::from_str(id);
        match group {
            Some(group) => {
                write_all(
                    &self.raw,
                    GROUPS,
                    vec![(key, group_record(group)?)],
                    Vec::new(),
                )
                .await
            }
            None => write_all(&self.raw, GROUPS, Vec::new(), vec![key]).await,
        }
    }
}

fn group_record(group: &KnownGroup) -> Result<JsValue, StoreError> {
    let record = Object::new();
    let set = |name: &str, value: Option<&str>| -> Result<(), StoreError> {
        if let Some(value) = value {
            Reflect::set(&record, &JsValue::from_str(name), &JsValue::from_str(value))?;
        }
        Ok(())
    };
    set("id", Some(&group.id))?;
    set("name", Some(&group.name))?;
    set("server", group.server.as_deref())?;
    set("me", group.me.as_deref())?;
    set("key", group.key.as_deref())?;
    Ok(record.into())
}

fn known_group(record: &JsValue) -> Option<KnownGroup> {
    let get = |name: &str| {
        Reflect::get(record, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    Some(KnownGroup {
        id: get("id")?,
        name: get("name").unwrap_or_default(),
        server: get("server"),
        me: get("me"),
        key: get("key"),
    })
}

impl ChunkStore {
    /// Deletes every record of the documents (the member removed their
    /// group from this phone), in one durable transaction.
    ///
    /// # Errors
    /// When IndexedDB fails to write.
    pub async fn delete_documents(&self, documents: &[DocumentId]) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(STORE)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
            .build()?;
        let store = tx.object_store(STORE)?;
        for document in documents {
            let lower = key_array(&[document.to_string()]);
            let upper = key_array(&[document.to_string()]);
            upper.push(&JsValue::from_str("\u{ffff}"));
            let range: KeyRange<JsValue> =
                KeyRange::Bound(JsValue::from(lower), false, JsValue::from(upper), false);
            store.delete::<JsValue, _>(range).primitive()?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The ids of every document with a chunk stored here (read from the
    /// keys only, without loading any bytes).
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn document_ids(&self) -> Result<Vec<DocumentId>, StoreError> {
        let tx = self.db.transaction(STORE).build()?;
        let store = tx.object_store(STORE)?;
        let keys = store.get_all_keys::<JsValue>().primitive()?.await?;
        let mut ids: Vec<DocumentId> = Vec::new();
        for key in keys {
            if let Some(key) = parts(&key?).and_then(|p| ChunkKey::from_parts(&p))
                && ids.last() != Some(&key.document)
            {
                ids.push(key.document);
            }
        }
        ids.dedup();
        Ok(ids)
    }
}
