//! The runtime that holds this device's documents: it drives the sync
//! engine, keeps IndexedDB in step with it, and carries the engine's frames
//! over whatever transports are connected. UI code calls it; it calls the
//! pure core.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use automerge::{ActorId, ChangeHash};

use super::idb::{ChunkStore, DEVICE_DATABASE, DeviceStore, StoreError};
use super::platform;
use super::settings::KnownGroup;
use crate::core::command::{self, At, Command, MeetingCommand, Refusal};
use crate::core::history::{self, Event};
use crate::core::model::{Group, Meeting, linked_documents};
use crate::core::repo::message::{DecodeError, MAX_FRAME_BYTES, StorageId};
use crate::core::repo::saving::{SaveLedger, SaveState, Ticket};
use crate::core::repo::sync::{ConnId, Effect, Holder, Link, Share, SyncEngine, Trouble};
use crate::core::repo::{ChunkKey, DocumentId, LoadReport, StoredDoc};
use crate::core::seal::{self, GroupKey, SealError, Sealer};
use crate::core::updates::{self, FileError};

/// Why a group could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// No chunk of it is stored on this device.
    NotHere,
    /// Not here, and the group's sync server does not have it either.
    NotOnServer,
    Unreadable,
    Storage(StoreError),
}

/// What happened that the UI may want to show.
#[derive(Clone, Debug, PartialEq)]
pub enum RepoEvent {
    /// A document changed because of a peer; groups are re-read already.
    Changed(DocumentId),
    /// A document asked for by id arrived (and is being saved).
    Arrived(DocumentId),
    /// Every peer said it does not have a document asked for.
    Unavailable(DocumentId),
    /// Presence data about a document from a peer.
    Ephemeral {
        document: DocumentId,
        peer: String,
        data: Vec<u8>,
    },
    /// A connection was closed or a frame ignored because of bad input;
    /// the peer as the member knows it (a server's address, a phone's name).
    Trouble(String, Trouble),
    /// Peers came or went, or sync progressed.
    Status,
    /// An entry of a sealed group's log did not open (a wrong key, damage
    /// or a replay); nothing of it was applied.
    SealRefused(DocumentId, SealError),
    /// A save began, finished or failed: read [`Repo::unsaved`].
    Saving,
}

/// What the shell writes to IndexedDB, each saved on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SaveKey {
    /// A document's changes (automerge-repo's database).
    Doc(DocumentId),
    /// A group's device record: that this phone holds it, its server, "this is me".
    Record(DocumentId),
}

impl SaveKey {
    pub const fn id(self) -> DocumentId {
        match self {
            Self::Doc(id) | Self::Record(id) => id,
        }
    }
}

/// Sends one frame on a connection.
pub type SendFrame = Box<dyn Fn(&[u8])>;
type Listener = Rc<dyn Fn(RepoEvent)>;

/// How the runtime reaches one connection.
pub struct Wire {
    pub send: SendFrame,
    pub close: Box<dyn Fn()>,
    /// Who is at the other end, as the member knows it: a server's
    /// address, a phone's name, "tabs".
    pub peer: String,
}

/// A cheap handle to the device's documents.
#[derive(Clone)]
pub struct Repo(Rc<Inner>);

struct Inner {
    store: ChunkStore,
    device: DeviceStore,
    /// One actor per page load: two tabs must never share one.
    actor: ActorId,
    engine: RefCell<SyncEngine>,
    /// Groups read out of their documents, kept in step so that a command
    /// does not re-read the whole group.
    groups: RefCell<HashMap<DocumentId, Group>>,
    /// Which edits storage holds; "Saved" is read from here only.
    ledger: RefCell<SaveLedger<SaveKey>>,
    /// Device records waiting to be written: `None` removes the record.
    records: RefCell<HashMap<DocumentId, Option<KnownGroup>>>,
    /// Documents the member removed from this phone: never saved again.
    removed: RefCell<std::collections::HashSet<DocumentId>>,
    /// What loading found (damaged chunks), kept for whichever page asks.
    reports: RefCell<HashMap<DocumentId, LoadReport>>,
    /// Documents being read from IndexedDB now, and the promise that
    /// resolves when that read is done: a second open of the same document
    /// (the page's and the background load of every group) waits for the
    /// first instead of reading and parsing it again.
    loading: RefCell<HashMap<DocumentId, js_sys::Promise>>,
    /// The notes last typed here, so the next key need not read them all.
    notes: RefCell<Option<(DocumentId, command::NotesCopy)>>,
    wires: RefCell<HashMap<ConnId, Wire>>,
    next_conn: Cell<ConnId>,
    listener: RefCell<Option<Listener>>,
    /// Sealed groups: what each has read of and written to its sealed log.
    sealed: RefCell<HashMap<DocumentId, Sealed>>,
    /// This page load as an author of sealed entries.
    author: [u8; 8],
    /// Per sealed group, why the last entry that did not open was refused.
    seal_refused: RefCell<HashMap<DocumentId, SealError>>,
    /// What each connection was asked to share, before sealed logs in it
    /// are brought up to date (see [`Repo::sealed_share`]).
    shares: RefCell<HashMap<ConnId, Share>>,
    /// Per sealed group, the generation an invite said its log is at.
    start_at: RefCell<HashMap<DocumentId, u32>>,
    /// The database of cached first screens (`web::first_screen`).
    first_screens: String,
    /// Per group, the chunk keys its cached first screen was last written
    /// with: an unchanged group is not written again.
    first_screen_keys: RefCell<HashMap<DocumentId, Vec<ChunkKey>>>,
    /// Bumped by each request to write the cached first screens; a wait
    /// that finds it moved on leaves the write to the later request.
    first_screen_due: Cell<u32>,
}

/// How long after a group's last save its cached first screen is written:
/// never on an edit's way to disk, and once for a burst of typing.
const FIRST_SCREEN_AFTER_MS: i32 = 1_000;

/// One sealed group on this phone.
struct Sealed {
    sealer: Sealer,
    /// A write of new changes into the log is waiting to run.
    scheduled: bool,
    /// The group's earlier logs this page load knew (older generations,
    /// an old key's), oldest first: a server offered one of them is
    /// offered the current log instead, and the last one besides, so its
    /// closing note reaches the server even after a reconnect.
    earlier: Vec<DocumentId>,
}

/// The highest log generation looked for in storage (each at most a
/// rotation's 4 MB of history: far more than a group writes).
const MAX_GENERATIONS: u32 = 1024;

/// How long new changes wait before they are sealed into one entry: a
/// member typing notes makes one entry a pause, not one a keystroke.
const SEAL_AFTER_MS: i32 = 400;

/// The engine's documents as the sealer reads and changes them.
struct EngineDocs<'a> {
    engine: &'a mut SyncEngine,
    actor: ActorId,
}

impl seal::Docs for EngineDocs<'_> {
    fn get(&mut self, id: DocumentId) -> Option<&mut automerge::AutoCommit> {
        self.engine.document_mut(id).map(StoredDoc::doc_mut)
    }

    fn add(&mut self, id: DocumentId, doc: automerge::AutoCommit) {
        self.engine.merge_document(id, doc, self.actor.clone());
    }
}

impl Repo {
    /// Opens the document store in the named IndexedDB database.
    ///
    /// # Errors
    /// When IndexedDB cannot be opened.
    pub async fn open(database: &str) -> Result<Self, StoreError> {
        let device = if database == super::idb::DATABASE {
            DEVICE_DATABASE.to_owned()
        } else {
            format!("{database}.device")
        };
        // Both databases at once: each open waits on the browser's storage
        // thread, and the group on screen waits for both.
        let (store, device) =
            futures::future::join(ChunkStore::open(database), DeviceStore::open(&device)).await;
        let (store, device) = (store?, device?);
        let storage = store.storage_id().await?;
        // Every message a server sends names its target: a short id (as
        // short as automerge-repo's own `peer-` ids) is bytes saved on each.
        let me = format!(
            "cg-{}",
            bs58::encode(platform::random_bytes::<6>()).into_string()
        );
        Ok(Self(Rc::new(Inner {
            store,
            device,
            actor: ActorId::from(platform::random_bytes::<16>()),
            engine: RefCell::new(SyncEngine::new(me, Some(storage), linked_documents)),
            groups: RefCell::default(),
            ledger: RefCell::default(),
            records: RefCell::default(),
            removed: RefCell::default(),
            reports: RefCell::default(),
            loading: RefCell::default(),
            notes: RefCell::default(),
            wires: RefCell::default(),
            next_conn: Cell::new(1),
            listener: RefCell::default(),
            sealed: RefCell::default(),
            author: platform::random_bytes::<8>(),
            seal_refused: RefCell::default(),
            shares: RefCell::default(),
            start_at: RefCell::default(),
            first_screens: super::first_screen::database_for(database),
            first_screen_keys: RefCell::default(),
            first_screen_due: Cell::new(0),
        }))
        .remember_when_hidden())
    }

    /// Writes the cached first screens when the page is hidden (the member
    /// switched apps, the tab closes): the next start shows what is here.
    fn remember_when_hidden(self) -> Self {
        super::first_screen::prepare(&self.0.first_screens);
        let repo = Rc::downgrade(&self.0);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return self;
        };
        let hidden = document.clone();
        let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if let (true, Some(repo)) = (hidden.hidden(), repo.upgrade()) {
                Self(repo).remember_first_screens();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
        );
        // The engine lives as long as the page.
        listener.forget();
        self
    }

    /// Writes the cached first screens after a quiet moment.
    fn remember_soon(&self) {
        let due = self.0.first_screen_due.get().wrapping_add(1);
        self.0.first_screen_due.set(due);
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            platform::sleep(FIRST_SCREEN_AFTER_MS).await;
            if repo.0.first_screen_due.get() == due {
                repo.remember_first_screens();
            }
        });
    }

    /// Writes the cached first screen of every group whose stored form
    /// changed since its last one.
    fn remember_first_screens(&self) {
        let ids: Vec<DocumentId> = self.0.groups.borrow().keys().copied().collect();
        for id in ids {
            self.remember_first_screen(id);
        }
    }

    /// Writes a group's cached first screen (see `core::first_screen`): the
    /// hydrated group and the keys of the chunks storage holds of it, only
    /// when storage holds all of it and the group is read at its heads, so
    /// the record is exactly what the engine would hydrate from those chunks.
    fn remember_first_screen(&self, id: DocumentId) {
        if self.0.removed.borrow().contains(&id)
            || self.0.ledger.borrow().state(&SaveKey::Doc(id)) != SaveState::Saved
        {
            return;
        }
        let (keys, record) = {
            let groups = self.0.groups.borrow();
            let mut engine = self.0.engine.borrow_mut();
            let (Some(group), Some(doc)) = (groups.get(&id), engine.document_mut(id)) else {
                return;
            };
            if doc.has_unsaved_changes() {
                return;
            }
            let mut heads = doc.doc_mut().get_heads();
            let mut read = group.read_at.0.clone();
            heads.sort_unstable();
            read.sort_unstable();
            let keys: Vec<ChunkKey> = doc.chunks().iter().map(|c| c.key.clone()).collect();
            if heads != read
                || keys.is_empty()
                || self.0.first_screen_keys.borrow().get(&id) == Some(&keys)
            {
                return;
            }
            let record = crate::core::first_screen::encode(id, &keys, group);
            (keys, record)
        };
        self.0
            .first_screen_keys
            .borrow_mut()
            .insert(id, keys.clone());
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let written =
                super::first_screen::write(&repo.0.first_screens, id, Some(&record)).await;
            // Not written: tried again at the next save.
            if written.is_err() {
                let mut known = repo.0.first_screen_keys.borrow_mut();
                if known.get(&id) == Some(&keys) {
                    known.remove(&id);
                }
            }
        });
    }

    /// Sets the one listener for [`RepoEvent`]s (the app state).
    pub fn listen(&self, listener: impl Fn(RepoEvent) + 'static) {
        *self.0.listener.borrow_mut() = Some(Rc::new(listener));
    }

    fn emit(&self, event: RepoEvent) {
        let listener = self.0.listener.borrow().clone();
        if let Some(listener) = listener {
            listener(event);
        }
    }

    /// Creates a new group document in memory; call [`Repo::save`] to store
    /// it, after [`Repo::record`] so that its record is written first.
    ///
    /// # Errors
    /// When the name is refused.
    pub fn create_group(&self, name: &str, now: i64) -> Result<(DocumentId, Group), Refusal> {
        let (doc, group) = command::new_group(self.0.actor.clone(), name, now)?;
        let id = DocumentId::new_random(platform::random_bytes::<16>());
        self.0.groups.borrow_mut().insert(id, group.clone());
        self.0
            .engine
            .borrow_mut()
            .add_document(StoredDoc::new(id, doc), Vec::new());
        self.drive();
        Ok((id, group))
    }

    /// The group as it is in memory, loading it (and the documents it
    /// links) from IndexedDB first if needed. The report lists damaged
    /// chunks that were skipped.
    ///
    /// # Errors
    /// When the group is not on this device, cannot be read, or storage fails.
    pub async fn open_group(&self, id: DocumentId) -> Result<(Group, LoadReport), OpenError> {
        let report = |repo: &Self| {
            repo.0
                .reports
                .borrow()
                .get(&id)
                .cloned()
                .unwrap_or_default()
        };
        if let Some(group) = self.0.groups.borrow().get(&id) {
            return Ok((group.clone(), report(self)));
        }
        self.load(id).await?;
        // Whoever loaded it first has read it already.
        let read = self.0.groups.borrow().get(&id).cloned();
        let group = match read {
            Some(group) => group,
            None => self.read_group(id).ok_or(OpenError::Unreadable)?,
        };
        let links = self.meetings_of(id);
        for linked in links {
            // A meeting not stored here yet is fetched by the engine.
            let _ = self.load(linked).await;
        }
        self.remember_soon();
        Ok((group, report(self)))
    }

    /// Loads one document from IndexedDB into the engine, unless it is there
    /// or being loaded (then waits for that load).
    async fn load(&self, id: DocumentId) -> Result<LoadReport, OpenError> {
        loop {
            if self.0.engine.borrow().has(id) {
                return Ok(LoadReport::default());
            }
            let pending = self.0.loading.borrow().get(&id).cloned();
            match pending {
                // The other load's result decides: held now, or tried again.
                Some(pending) => {
                    let _ = wasm_bindgen_futures::JsFuture::from(pending).await;
                    if !self.0.engine.borrow().has(id) {
                        return self.load_now(id).await;
                    }
                }
                None => return self.load_now(id).await,
            }
        }
    }

    /// Reads one document from IndexedDB and hands it to the engine, while
    /// others asking for it wait.
    async fn load_now(&self, id: DocumentId) -> Result<LoadReport, OpenError> {
        let mut done = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| done = Some(resolve));
        self.0.loading.borrow_mut().insert(id, promise);
        let result = self.read_stored(id).await;
        self.0.loading.borrow_mut().remove(&id);
        if let Some(done) = done {
            let _ = done.call0(&wasm_bindgen::JsValue::NULL);
        }
        result
    }

    async fn read_stored(&self, id: DocumentId) -> Result<LoadReport, OpenError> {
        let (chunks, sync_states) = self
            .0
            .store
            .load_document(id)
            .await
            .map_err(OpenError::Storage)?;
        let had_chunks = !chunks.is_empty();
        let (doc, report) = StoredDoc::load(id, &self.0.actor, chunks);
        if doc.chunks().is_empty() {
            return Err(if had_chunks {
                OpenError::Unreadable
            } else {
                OpenError::NotHere
            });
        }
        // A peer may have sent it meanwhile; the engine merges.
        self.0.engine.borrow_mut().add_document(doc, sync_states);
        self.0.reports.borrow_mut().insert(id, report.clone());
        self.drive();
        Ok(report)
    }

    /// Re-reads a group from its document into the cache, first merging
    /// any map two phones made at once (see [`command::heal`]).
    fn read_group(&self, id: DocumentId) -> Option<Group> {
        let mut healed = false;
        let group = {
            let mut engine = self.0.engine.borrow_mut();
            let doc = engine.document_mut(id)?;
            if command::heal(doc.doc_mut(), platform::now_ms()) {
                engine.local_change(id);
                healed = true;
            }
            command::read(engine.document(id)?.doc()).ok()?
        };
        self.0.groups.borrow_mut().insert(id, group.clone());
        if healed {
            self.save(id);
        }
        Some(group)
    }

    /// Whether the document is in memory.
    pub fn holds(&self, id: DocumentId) -> bool {
        self.0.engine.borrow().has(id)
    }

    /// The group as last read, if it is open.
    pub fn group(&self, id: DocumentId) -> Option<Group> {
        self.0.groups.borrow().get(&id).cloned()
    }

    /// Creates a meeting document and lists it in its group.
    ///
    /// # Errors
    /// When the title is refused or the group is not open.
    pub fn create_meeting(
        &self,
        group: DocumentId,
        title: &str,
        at: &At,
    ) -> Result<(DocumentId, Group), Refusal> {
        let doc = command::new_meeting(self.0.actor.clone(), group, title, at.now)?;
        let id = DocumentId::new_random(platform::random_bytes::<16>());
        // The meeting goes into the engine first, so that listing it in the
        // group offers both to whoever holds the group. Its title was checked
        // above; should the group refuse, the empty meeting is never saved.
        self.0
            .engine
            .borrow_mut()
            .add_document(StoredDoc::new(id, doc), Vec::new());
        self.save(id);
        let listed = self.apply(
            group,
            &Command::AddMeeting {
                id: id.to_string(),
                title: title.to_owned(),
            },
            at,
        )?;
        Ok((id, listed))
    }

    /// A meeting as it is in memory, loading it from IndexedDB if needed.
    /// `None` when it is not on this phone (yet) or unreadable.
    pub async fn meeting(&self, id: DocumentId) -> Option<Meeting> {
        let _ = self.load(id).await;
        self.meeting_now(id)
    }

    /// A meeting if it is already in memory.
    pub fn meeting_now(&self, id: DocumentId) -> Option<Meeting> {
        let engine = self.0.engine.borrow();
        command::read_meeting(engine.document(id)?.doc()).ok()
    }

    /// Applies a member's command to a meeting of an open group.
    ///
    /// # Errors
    /// The refusal; nothing changed.
    pub fn apply_meeting(
        &self,
        group: DocumentId,
        id: DocumentId,
        command: &MeetingCommand,
        at: &At,
    ) -> Result<Meeting, Refusal> {
        let meeting = {
            let groups = self.0.groups.borrow();
            let group = groups.get(&group).ok_or(Refusal::Unreadable)?;
            let mut engine = self.0.engine.borrow_mut();
            let doc = engine.document_mut(id).ok_or(Refusal::Unreadable)?;
            let meeting = command::apply_meeting(doc.doc_mut(), group, command, at)?;
            engine.local_change(id);
            meeting
        };
        self.drive();
        self.save(id);
        Ok(meeting)
    }

    /// The latest changes of an entry of a document, newest first.
    pub fn history(&self, id: DocumentId, item: &str) -> Vec<Event> {
        let mut engine = self.0.engine.borrow_mut();
        engine
            .document_mut(id)
            .map(|doc| history::history(doc.doc_mut(), item, 8))
            .unwrap_or_default()
    }

    /// Makes a meeting's notes read `typed`, keeping others' concurrent words.
    ///
    /// # Errors
    /// When the meeting is not open or not a meeting.
    pub fn edit_notes(&self, id: DocumentId, typed: &str, at: &At) -> Result<bool, Refusal> {
        let changed = {
            let mut engine = self.0.engine.borrow_mut();
            let doc = engine.document_mut(id).ok_or(Refusal::Unreadable)?;
            let mut notes = self.0.notes.borrow_mut();
            if notes.as_ref().is_none_or(|(meeting, _)| *meeting != id) {
                *notes = Some((id, command::NotesCopy::default()));
            }
            let known = &mut notes.as_mut().ok_or(Refusal::Unreadable)?.1;
            let changed = command::edit_notes_from(doc.doc_mut(), typed, at, known)?;
            if changed {
                engine.local_change(id);
            }
            changed
        };
        self.drive();
        if changed {
            self.save(id);
        }
        Ok(changed)
    }

    /// A meeting's notes as they stand, and the heads they stand at.
    pub fn notes_now(&self, id: DocumentId) -> Option<(String, Vec<ChangeHash>)> {
        let mut engine = self.0.engine.borrow_mut();
        command::notes_now(engine.document_mut(id)?.doc_mut())
    }

    /// A document's heads now.
    pub fn heads(&self, id: DocumentId) -> Option<Vec<ChangeHash>> {
        let mut engine = self.0.engine.borrow_mut();
        Some(engine.document_mut(id)?.doc_mut().get_heads())
    }

    /// Where a caret in the notes as shown at `shown` goes now (characters).
    pub fn caret_after_merge(
        &self,
        id: DocumentId,
        shown: &[ChangeHash],
        caret: usize,
    ) -> Option<usize> {
        let engine = self.0.engine.borrow();
        command::caret_after_merge(engine.document(id)?.doc(), shown, caret)
    }

    /// Asks every connected peer for a document this device does not hold.
    pub fn want(&self, id: DocumentId) {
        self.0.engine.borrow_mut().want(id, self.0.actor.clone());
        self.drive();
    }

    /// Applies a member's command to an open group.
    ///
    /// # Errors
    /// The refusal; nothing changed.
    pub fn apply(&self, id: DocumentId, command: &Command, at: &At) -> Result<Group, Refusal> {
        let group = {
            let mut engine = self.0.engine.borrow_mut();
            let mut groups = self.0.groups.borrow_mut();
            let group = groups.get_mut(&id).ok_or(Refusal::Unreadable)?;
            let doc = engine.document_mut(id).ok_or(Refusal::Unreadable)?;
            command::apply_on(doc.doc_mut(), group, command, at)?;
            engine.local_change(id);
            group.clone()
        };
        self.drive();
        self.save(id);
        Ok(group)
    }

    /// Saves a document's changes and waits until it is saved or a write
    /// failed (the failure is retried on its own meanwhile).
    ///
    /// # Errors
    /// When IndexedDB fails; the changes stay in memory.
    pub async fn flush(&self, id: DocumentId) -> Result<(), StoreError> {
        self.save(id);
        loop {
            match self.0.ledger.borrow().state(&SaveKey::Doc(id)) {
                SaveState::Saved => return Ok(()),
                SaveState::Failed { error, .. } => return Err(StoreError(error)),
                SaveState::Saving => {}
            }
            platform::sleep(10).await;
        }
    }

    /// Whether anything is not in IndexedDB yet: a write in flight or
    /// failed, or changes no write has been asked for.
    pub fn has_unsaved_changes(&self) -> bool {
        if !self.0.ledger.borrow().all_saved() {
            return true;
        }
        let removed = self.0.removed.borrow();
        let ids: Vec<DocumentId> = self
            .0
            .engine
            .borrow()
            .document_ids()
            .filter(|id| !removed.contains(id))
            .collect();
        let mut engine = self.0.engine.borrow_mut();
        ids.into_iter().any(|id| {
            engine
                .document_mut(id)
                .is_some_and(StoredDoc::has_unsaved_changes)
        })
    }

    /// What is not saved yet, and where each stands.
    pub fn unsaved(&self) -> Vec<(SaveKey, SaveState)> {
        self.0.ledger.borrow().unsaved()
    }

    /// The group a document belongs to: itself, or the group listing it.
    pub fn group_of(&self, id: DocumentId) -> Option<DocumentId> {
        if self.0.groups.borrow().contains_key(&id) {
            return Some(id);
        }
        let engine = self.0.engine.borrow();
        self.0.groups.borrow().keys().copied().find(|group| {
            engine
                .document(*group)
                .is_some_and(|doc| linked_documents(doc.doc()).contains(&id))
        })
    }

    /// Counts a change of a document and writes it to IndexedDB. Every
    /// change goes through here, the member's own and a peer's alike.
    pub fn save(&self, id: DocumentId) {
        if self.0.removed.borrow().contains(&id) {
            return;
        }
        self.0.ledger.borrow_mut().changed(&SaveKey::Doc(id));
        self.kick(SaveKey::Doc(id));
        if let Some(group) = self.sealed_owner(id) {
            self.seal_soon(group);
        }
    }

    /// Writes (or, with `None`, removes) a group's device record. A
    /// document waits for its group's record, so storage never holds a
    /// group this phone does not list.
    pub fn record(&self, id: DocumentId, group: Option<KnownGroup>) {
        self.0.records.borrow_mut().insert(id, group);
        self.0.ledger.borrow_mut().changed(&SaveKey::Record(id));
        self.kick(SaveKey::Record(id));
    }

    /// Removes a group and its meetings from this phone: their documents,
    /// then the group's record (so an interrupted removal leaves at most a
    /// "group on its way" card, never a group without its record).
    ///
    /// # Errors
    /// When IndexedDB fails to delete; the group stays.
    pub async fn remove_group(&self, id: DocumentId) -> Result<(), StoreError> {
        let linked = self.meetings_of(id);
        // A sealed group's log goes too: it is this group, sealed.
        let log = self.sealed_log(id);
        let earlier = self
            .0
            .sealed
            .borrow()
            .get(&id)
            .map(|sealed| sealed.earlier.clone())
            .unwrap_or_default();
        let ids: Vec<DocumentId> = std::iter::once(id)
            .chain(linked)
            .chain(log)
            .chain(earlier)
            .collect();
        self.0.removed.borrow_mut().extend(ids.iter().copied());
        for doc in &ids {
            self.0.ledger.borrow_mut().forget(&SaveKey::Doc(*doc));
        }
        if let Err(error) = self.0.store.delete_documents(&ids).await {
            let mut removed = self.0.removed.borrow_mut();
            for doc in &ids {
                removed.remove(doc);
            }
            drop(removed);
            for doc in ids {
                self.save(doc);
            }
            return Err(error);
        }
        self.0.groups.borrow_mut().remove(&id);
        self.0.sealed.borrow_mut().remove(&id);
        // Its cached first screen holds the group too.
        self.0.first_screen_keys.borrow_mut().remove(&id);
        let _ = super::first_screen::write(&self.0.first_screens, id, None).await;
        self.record(id, None);
        Ok(())
    }

    /// The device records IndexedDB holds.
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn records(&self) -> Result<Vec<KnownGroup>, StoreError> {
        self.0.device.groups().await
    }

    /// The ids of every document stored on this phone.
    ///
    /// # Errors
    /// When IndexedDB fails to read.
    pub async fn stored_documents(&self) -> Result<Vec<DocumentId>, StoreError> {
        self.0.store.document_ids().await
    }

    /// Starts a write of `key` unless one is in flight (its end starts the
    /// next) or nothing is new.
    fn kick(&self, key: SaveKey) {
        let record_pending = match key {
            SaveKey::Doc(id) => {
                self.0.ledger.borrow().state(&SaveKey::Record(id)) != SaveState::Saved
            }
            SaveKey::Record(_) => false,
        };
        if record_pending {
            // The record's write starts this one when it is done.
            self.emit(RepoEvent::Saving);
            return;
        }
        let Some(ticket) = self.0.ledger.borrow_mut().begin(&key) else {
            return;
        };
        // A document's write opens its transaction now, before the page
        // re-renders: the browser writes while the page draws.
        let written: std::pin::Pin<Box<dyn Future<Output = Result<(), StoreError>>>> = match key {
            SaveKey::Doc(id) => Box::pin(self.write_doc(id)),
            SaveKey::Record(id) => {
                let repo = self.clone();
                Box::pin(async move { repo.write_record(id).await })
            }
        };
        self.emit(RepoEvent::Saving);
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = written.await;
            repo.finished(&ticket, result);
        });
    }

    fn finished(&self, ticket: &Ticket<SaveKey>, result: Result<(), StoreError>) {
        let key = ticket.key;
        match result {
            Ok(()) => {
                let again = self.0.ledger.borrow_mut().succeeded(ticket);
                if again {
                    self.kick(key);
                } else if matches!(key, SaveKey::Doc(id) if self.0.groups.borrow().contains_key(&id))
                {
                    self.remember_soon();
                }
                if let SaveKey::Record(id) = key {
                    self.kick(SaveKey::Doc(id));
                }
            }
            Err(error) => {
                let wait = self.0.ledger.borrow_mut().failed(ticket, error.0);
                let repo = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    platform::sleep(i32::try_from(wait).unwrap_or(i32::MAX)).await;
                    repo.kick(key);
                });
            }
        }
        self.emit(RepoEvent::Saving);
    }

    /// Tries every failed save now (space was freed, the member asked).
    pub fn retry_saves(&self) {
        let keys: Vec<SaveKey> = self.unsaved().into_iter().map(|(key, _)| key).collect();
        for key in keys {
            self.kick(key);
        }
    }

    /// Writes what a document's storage lacks, in one transaction, opened
    /// before this returns; the future waits until it is durable.
    fn write_doc(
        &self,
        id: DocumentId,
    ) -> impl Future<Output = Result<(), StoreError>> + 'static + use<> {
        let plan = self
            .0
            .engine
            .borrow_mut()
            .document_mut(id)
            .and_then(StoredDoc::save);
        let started = plan.map(|plan| {
            let started = self.0.store.start_write(&plan);
            (plan, started)
        });
        let repo = self.clone();
        async move {
            let Some((plan, started)) = started else {
                return Ok(());
            };
            let written = match started {
                Ok(writing) => writing.await,
                Err(error) => Err(error),
            };
            if written.is_err()
                && let Some(doc) = repo.0.engine.borrow_mut().document_mut(id)
            {
                doc.save_failed(plan);
            }
            written
        }
    }

    async fn write_record(&self, id: DocumentId) -> Result<(), StoreError> {
        let Some(record) = self.0.records.borrow().get(&id).cloned() else {
            return Ok(());
        };
        self.0.device.put(&id.to_string(), record.as_ref()).await
    }

    // ---- updates files ----

    /// An updates file with the group and every meeting it links that is on
    /// this phone.
    pub fn updates_file(&self, group: DocumentId) -> Option<Vec<u8>> {
        self.group_file(group, None)
    }

    /// [`Repo::updates_file`] with a sealed group's key in it, for a member
    /// who chose to send the key with the file; `None` when the group is
    /// not sealed on this phone.
    pub fn sealed_updates_file(&self, group: DocumentId) -> Option<Vec<u8>> {
        let key = self.0.sealed.borrow().get(&group)?.sealer.key().clone();
        self.group_file(group, Some(&key))
    }

    fn group_file(&self, group: DocumentId, key: Option<&GroupKey>) -> Option<Vec<u8>> {
        let engine = self.0.engine.borrow();
        let doc = engine.document(group)?;
        let ids = std::iter::once(group).chain(linked_documents(doc.doc()));
        let docs: Vec<(DocumentId, Vec<u8>)> = ids
            .filter_map(|id| Some((id, engine.document(id)?.doc().clone().save())))
            .collect();
        Some(updates::pack_keyed(group, &docs, key))
    }

    /// Merges an updates file opened in `expected` (or, with `None`, to bring
    /// its group onto this phone): the group, then only the meetings it
    /// links. Returns the group and how many documents it brought news to.
    ///
    /// # Errors
    /// When the file is damaged or for another group; nothing changed.
    pub fn open_updates(
        &self,
        expected: Option<DocumentId>,
        bytes: &[u8],
    ) -> Result<(DocumentId, usize), FileError> {
        let updates = updates::unpack(bytes, expected)?;
        let group = updates.group;
        let mut changed = 0;
        for (id, copy) in updates.docs {
            let linked = id == group
                || self
                    .0
                    .engine
                    .borrow()
                    .document(group)
                    .is_some_and(|doc| linked_documents(doc.doc()).contains(&id));
            if linked {
                let mut engine = self.0.engine.borrow_mut();
                changed += usize::from(engine.merge_document(id, copy, self.0.actor.clone()));
            }
        }
        self.drive();
        if !self.0.groups.borrow().contains_key(&group) {
            self.read_group(group);
        }
        Ok((group, changed))
    }

    // ---- sync ----

    /// Whether the peer on `conn` has everything of the group and its
    /// meetings that this phone has.
    pub fn in_sync(&self, conn: ConnId, group: DocumentId) -> bool {
        let linked = self.meetings_of(group);
        let mut engine = self.0.engine.borrow_mut();
        std::iter::once(group)
            .chain(linked.into_iter().filter(|id| engine.has(*id)))
            .collect::<Vec<_>>()
            .into_iter()
            .all(|id| engine.in_sync(conn, id))
    }

    /// What this phone holds of a group and its meetings, as a digest the
    /// phones of a meeting room compare (see `core::room`).
    pub fn room_holding(&self, group: DocumentId) -> crate::core::room::Holding {
        let linked = self.meetings_of(group);
        let mut engine = self.0.engine.borrow_mut();
        let heads: Vec<_> = std::iter::once(group)
            .chain(linked)
            .filter_map(|id| Some((id, engine.document_mut(id)?.doc_mut().get_heads())))
            .collect();
        crate::core::room::holding(&heads)
    }

    /// Registers a new connection; frames for it go through `wire`.
    pub fn connect(&self, link: Link, share: Share, wire: Wire) -> ConnId {
        let conn = self.0.next_conn.get();
        self.0.next_conn.set(conn + 1);
        self.0.wires.borrow_mut().insert(conn, wire);
        self.0.shares.borrow_mut().insert(conn, share.clone());
        let share = self.sealed_share(share);
        self.0.engine.borrow_mut().connect(conn, link, share);
        self.drive();
        conn
    }

    /// A frame arrived on a connection.
    pub fn receive(&self, conn: ConnId, frame: &[u8]) {
        if frame.len() > MAX_FRAME_BYTES {
            return self.too_large(conn, frame.len());
        }
        self.0
            .engine
            .borrow_mut()
            .receive(conn, frame, platform::now_ms());
        self.drive();
    }

    /// A frame too large to take arrived: the transport checked its size
    /// before copying it into wasm memory. The connection is closed.
    pub fn too_large(&self, conn: ConnId, size: usize) {
        self.0
            .engine
            .borrow_mut()
            .refuse(conn, Trouble::Unreadable(DecodeError::TooLarge(size)));
        self.drive();
    }

    /// A connection closed.
    pub fn disconnect(&self, conn: ConnId) {
        self.0.wires.borrow_mut().remove(&conn);
        self.0.shares.borrow_mut().remove(&conn);
        self.0.engine.borrow_mut().disconnect(conn);
        self.drive();
    }

    /// Says goodbye on a shared channel, then forgets it.
    pub fn leave(&self, conn: ConnId) {
        self.0.engine.borrow_mut().leave(conn);
        self.drive();
        self.0.wires.borrow_mut().remove(&conn);
        self.0.shares.borrow_mut().remove(&conn);
    }

    /// Changes which groups a server connection is offered.
    pub fn set_share(&self, conn: ConnId, share: Share) {
        self.0.shares.borrow_mut().insert(conn, share.clone());
        let share = self.sealed_share(share);
        self.0.engine.borrow_mut().set_share(conn, share);
        self.drive();
    }

    /// Sends presence data about a document to the peers syncing it.
    pub fn broadcast(&self, document: DocumentId, data: &[u8]) {
        self.0.engine.borrow_mut().broadcast(document, data);
        self.drive();
    }

    /// Connected peers, for the status line.
    pub fn peers(&self) -> Vec<crate::core::repo::sync::PeerStatus> {
        self.0.engine.borrow().peers()
    }

    /// Changes of a group and every meeting of it on this phone that no
    /// peer is known to have yet. A sealed group's changes are also shared
    /// once sealed into a log the server is known to have.
    pub fn unshared_changes(&self, group: DocumentId) -> usize {
        let plain = self.sum_over_group(group, SyncEngine::unshared_changes);
        match self.sealed_log(group) {
            Some(log) => {
                let unsealed = self.unsealed(group);
                let log_unshared = self.0.engine.borrow_mut().unshared_changes(log);
                plain.min(unsealed + log_unshared)
            }
            None => plain,
        }
    }

    /// What a group's sync server lacks: for a sealed group, the changes not
    /// sealed yet and the log's own changes the server is not known to have
    /// (one a sealed entry), as the server never holds the group itself.
    pub fn missing_on_server(&self, group: DocumentId, server: &Holder) -> usize {
        match self.sealed_log(group) {
            Some(log) => self.unsealed(group) + self.0.engine.borrow_mut().missing_on(log, server),
            None => self.missing_on(group, server),
        }
    }

    /// Whether the server on `conn` has everything of a group: for a
    /// sealed group, its log, with nothing left to seal.
    pub fn server_in_sync(&self, conn: ConnId, group: DocumentId) -> bool {
        match self.sealed_log(group) {
            Some(log) => self.unsealed(group) == 0 && self.0.engine.borrow_mut().in_sync(conn, log),
            None => self.in_sync(conn, group),
        }
    }

    /// Runs `f` on a sealed group (its sealer and earlier logs) with the
    /// engine's documents, both borrowed; `None` when it is not sealed here.
    fn with_sealed<R>(
        &self,
        group: DocumentId,
        f: impl FnOnce(&mut Sealed, &mut EngineDocs<'_>) -> R,
    ) -> Option<R> {
        let mut sealed = self.0.sealed.borrow_mut();
        let sealed = sealed.get_mut(&group)?;
        let mut engine = self.0.engine.borrow_mut();
        let mut docs = EngineDocs {
            engine: &mut engine,
            actor: self.0.actor.clone(),
        };
        Some(f(sealed, &mut docs))
    }

    /// Changes of a sealed group and its meetings not in its log yet.
    fn unsealed(&self, group: DocumentId) -> usize {
        self.with_sealed(group, |sealed, docs| sealed.sealer.unsealed(docs))
            .unwrap_or(0)
    }

    /// Changes of a group and every meeting of it on this phone that
    /// `holder` (a sync server, a phone) is not known to have.
    pub fn missing_on(&self, group: DocumentId, holder: &Holder) -> usize {
        self.sum_over_group(group, |engine, id| engine.missing_on(id, holder))
    }

    /// The documents a group links (its meetings), as this phone has it.
    fn meetings_of(&self, group: DocumentId) -> Vec<DocumentId> {
        self.0
            .engine
            .borrow()
            .document(group)
            .map(|doc| linked_documents(doc.doc()))
            .unwrap_or_default()
    }

    /// A count summed over a group and every meeting it links.
    fn sum_over_group(
        &self,
        group: DocumentId,
        count: impl Fn(&mut SyncEngine, DocumentId) -> usize,
    ) -> usize {
        let linked = self.meetings_of(group);
        let mut engine = self.0.engine.borrow_mut();
        std::iter::once(group)
            .chain(linked)
            .map(|id| count(&mut engine, id))
            .sum()
    }

    /// The storage id of the peer on a connection, when it keeps one.
    pub fn storage_on(&self, conn: ConnId) -> Option<StorageId> {
        self.0.engine.borrow().storage_on(conn)
    }

    /// Carries out what the engine asked for.
    fn drive(&self) {
        loop {
            let effects = self.0.engine.borrow_mut().take_effects();
            if effects.is_empty() {
                return;
            }
            for effect in effects {
                self.carry_out(effect);
            }
        }
    }

    fn carry_out(&self, effect: Effect) {
        match effect {
            Effect::Send { conn, frame } => {
                if let Some(wire) = self.0.wires.borrow().get(&conn) {
                    (wire.send)(&frame);
                }
            }
            Effect::Close { conn, trouble } => {
                let wire = self.0.wires.borrow_mut().remove(&conn);
                let peer = wire.map(|wire| {
                    (wire.close)();
                    wire.peer
                });
                self.emit(RepoEvent::Trouble(peer.unwrap_or_default(), trouble));
            }
            Effect::Ignored { conn, trouble } => {
                let peer = self.0.wires.borrow().get(&conn).map(|w| w.peer.clone());
                self.emit(RepoEvent::Trouble(peer.unwrap_or_default(), trouble));
            }
            Effect::Changed(id) | Effect::Arrived(id) if self.log_of(id).is_some() => {
                self.save_soon(id);
                if let Some(group) = self.log_of(id) {
                    self.open_log(group);
                }
            }
            Effect::Changed(id) => {
                if self.0.groups.borrow().contains_key(&id) {
                    self.read_group(id);
                }
                self.save_soon(id);
                self.emit(RepoEvent::Changed(id));
            }
            Effect::Arrived(id) => {
                self.save_soon(id);
                self.emit(RepoEvent::Arrived(id));
            }
            Effect::Unavailable(id) => self.emit(RepoEvent::Unavailable(id)),
            Effect::SaveSyncState {
                document,
                storage,
                state,
            } => self.save_sync_state(document, storage, state),
            Effect::ForgetSyncState { document, storage } => {
                let repo = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let key = [document.to_string(), "sync-state".to_owned(), storage];
                    // Left behind, it is deleted again at the next load.
                    let _ = repo.0.store.delete_raw(&key).await;
                });
            }
            Effect::Ephemeral {
                document,
                peer,
                data,
            } => self.emit(RepoEvent::Ephemeral {
                document,
                peer,
                data,
            }),
            Effect::Status => self.emit(RepoEvent::Status),
        }
    }

    fn save_soon(&self, id: DocumentId) {
        self.save(id);
    }

    // ---- sealed groups ----

    /// Seals a group with `key` on this phone (idempotent): its documents
    /// are never named to a sync server again, and its sealed log is loaded
    /// (or started empty) and read. Returns the log's id, which is what the
    /// group's sync server is offered instead.
    pub fn seal(&self, group: DocumentId, key: &GroupKey) -> DocumentId {
        if let Some(sealed) = self.0.sealed.borrow().get(&group)
            && sealed.sealer.key() == key
        {
            return sealed.sealer.log_id();
        }
        // The key changed here: the old log is closed with a note in the
        // old key, so phones still holding it say so instead of syncing
        // into a log nobody reads.
        let old = self.0.sealed.borrow().get(&group).map(|sealed| {
            let nonce = platform::random_bytes::<{ seal::NONCE_BYTES }>();
            let mut earlier = sealed.earlier.clone();
            earlier.push(sealed.sealer.log_id());
            (earlier, sealed.sealer.key_changed_note(nonce))
        });
        let earlier = match old {
            Some((earlier, note)) => {
                if let Some(old_log) = earlier.last() {
                    self.write_log(*old_log, &[note]);
                }
                earlier
            }
            None => Vec::new(),
        };
        self.0.engine.borrow_mut().seal(group);
        // A new key (or the first): what the old one refused is past.
        self.0.seal_refused.borrow_mut().remove(&group);
        let sealer = Sealer::new(key.clone(), group, 0, &self.0.author, linked_documents);
        let log = sealer.log_id();
        self.0.sealed.borrow_mut().insert(
            group,
            Sealed {
                sealer,
                scheduled: false,
                earlier,
            },
        );
        let repo = self.clone();
        let key = key.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // The group and its meetings as stored here come first: the log
            // is merged into them, never read in their place.
            let _ = repo.open_group(group).await;
            // The newest generation of the log stored here is where this
            // phone left off: the ones before it are not read again.
            // (Generations need not all be here: a phone that joined at
            // one starts there.) An invite's generation counts too.
            let stored = repo.0.store.document_ids().await.unwrap_or_default();
            let invited = repo.0.start_at.borrow().get(&group).copied();
            let newest = (1..=MAX_GENERATIONS)
                .filter(|generation| stored.contains(&key.log_id(group, *generation)))
                .chain(invited.filter(|g| *g > 0))
                .max();
            if let Some(generation) = newest {
                repo.move_to(group, generation).await;
            } else {
                repo.load_log(log).await;
                repo.open_log(group);
                repo.seal_soon(group);
            }
        });
        log
    }

    /// Starts a sealed group's log at `generation` (an invite's), not at
    /// the first: the earlier logs need not be fetched.
    pub fn seal_from_generation(&self, group: DocumentId, generation: u32) {
        if generation == 0 {
            return;
        }
        self.0.start_at.borrow_mut().insert(group, generation);
        if self.0.sealed.borrow().contains_key(&group) {
            let repo = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                repo.move_to(group, generation).await;
            });
        }
    }

    /// The generation of a sealed group's log on this phone.
    pub fn sealed_generation(&self, group: DocumentId) -> Option<u32> {
        self.0
            .sealed
            .borrow()
            .get(&group)
            .map(|sealed| sealed.sealer.generation())
    }

    /// Loads a sealed log from IndexedDB, or starts it empty: no phone has
    /// written it yet, or this phone never read it, and syncing with the
    /// server fills it.
    async fn load_log(&self, log: DocumentId) {
        if let Err(OpenError::NotHere) = self.load(log).await
            && !self.0.engine.borrow().has(log)
        {
            let empty = automerge::AutoCommit::new().with_actor(self.0.actor.clone());
            self.0
                .engine
                .borrow_mut()
                .add_document(StoredDoc::new(log, empty), Vec::new());
            self.drive();
        }
    }

    /// Follows a sealed group to a later generation of its log (another
    /// phone moved it, or this phone left off there): the new log is
    /// loaded and read, servers are offered it, and what it lacks is sealed.
    async fn move_to(&self, group: DocumentId, generation: u32) {
        let log = {
            let mut sealed = self.0.sealed.borrow_mut();
            let Some(sealed) = sealed.get_mut(&group) else {
                return;
            };
            if generation <= sealed.sealer.generation() {
                return;
            }
            sealed.earlier.push(sealed.sealer.log_id());
            sealed.sealer.follow(generation);
            sealed.sealer.log_id()
        };
        self.reshare();
        self.load_log(log).await;
        self.open_log(group);
        self.seal_soon(group);
    }

    /// Offers every server connection its sealed groups' current logs.
    fn reshare(&self) {
        let shares: Vec<(ConnId, Share)> = self
            .0
            .shares
            .borrow()
            .iter()
            .map(|(conn, share)| (*conn, share.clone()))
            .collect();
        for (conn, share) in shares {
            let share = self.sealed_share(share);
            self.0.engine.borrow_mut().set_share(conn, share);
        }
        self.drive();
    }

    /// A server's share with each sealed log brought up to date: a log
    /// that moved on (or whose key changed) stands for the group's current
    /// log and itself, so its closing note reaches the server too.
    fn sealed_share(&self, share: Share) -> Share {
        let Share::Server(ids) = share else {
            return share;
        };
        let sealed = self.0.sealed.borrow();
        let mut offered = std::collections::BTreeSet::new();
        for id in ids {
            let group = sealed
                .values()
                .find(|s| s.sealer.log_id() == id || s.earlier.contains(&id));
            match group {
                Some(group) => {
                    offered.insert(group.sealer.log_id());
                    offered.extend(group.earlier.last());
                }
                None => {
                    offered.insert(id);
                }
            }
        }
        Share::Server(offered)
    }

    /// Why an entry of a sealed group's log did not open, if one did not.
    pub fn seal_refused(&self, group: DocumentId) -> Option<SealError> {
        self.0.seal_refused.borrow().get(&group).cloned()
    }

    /// The sealed log of a group, if it is sealed on this phone.
    pub fn sealed_log(&self, group: DocumentId) -> Option<DocumentId> {
        self.0
            .sealed
            .borrow()
            .get(&group)
            .map(|sealed| sealed.sealer.log_id())
    }

    /// Entries in a sealed group's log, and bytes of the log's history:
    /// what the server holds of it.
    pub fn sealed_size(&self, group: DocumentId) -> Option<(usize, usize)> {
        let log = self.sealed_log(group)?;
        let mut engine = self.0.engine.borrow_mut();
        let doc = engine.document_mut(log)?.doc_mut();
        Some((seal::names(doc).len(), seal::history_bytes(doc)))
    }

    /// The sealed group whose log `id` is.
    fn log_of(&self, id: DocumentId) -> Option<DocumentId> {
        self.0
            .sealed
            .borrow()
            .iter()
            .find(|(_, sealed)| sealed.sealer.log_id() == id)
            .map(|(group, _)| *group)
    }

    /// The sealed group a plaintext document belongs to (itself or a
    /// meeting it lists).
    fn sealed_owner(&self, id: DocumentId) -> Option<DocumentId> {
        let sealed = self.0.sealed.borrow();
        if sealed.contains_key(&id) {
            return Some(id);
        }
        let engine = self.0.engine.borrow();
        sealed.keys().copied().find(|group| {
            engine
                .document(*group)
                .is_some_and(|doc| linked_documents(doc.doc()).contains(&id))
        })
    }

    /// Reads the entries of a sealed group's log this phone has not read,
    /// merging them into the group and its meetings.
    fn open_log(&self, group: DocumentId) {
        let Some(log) = self.sealed_log(group) else {
            return;
        };
        // Only the entries not opened yet are read out of the log.
        let read = {
            let mut sealed = self.0.sealed.borrow_mut();
            let Some(sealed) = sealed.get_mut(&group) else {
                return;
            };
            let engine = self.0.engine.borrow();
            engine
                .document(log)
                .map(|doc| (sealed.sealer.unopened(doc.doc()), seal::moved(doc.doc())))
        };
        let Some((entries, moved)) = read else { return };
        let had_group = self.0.engine.borrow().has(group);
        let Some(opened) = self.with_sealed(group, |sealed, docs| {
            sealed.sealer.open_entries(entries, moved, docs)
        }) else {
            return;
        };
        for id in &opened.changed {
            self.0.engine.borrow_mut().local_change(*id);
        }
        self.drive();
        for id in &opened.changed {
            if self.0.groups.borrow().contains_key(id) {
                self.read_group(*id);
            }
            self.save(*id);
            self.emit(RepoEvent::Changed(*id));
        }
        if !had_group && self.0.engine.borrow().has(group) {
            self.emit(RepoEvent::Arrived(group));
        }
        if let Some(generation) = opened.moved {
            let repo = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                repo.move_to(group, generation).await;
            });
        }
        let key_changed = opened.key_changed.then_some(SealError::KeyChanged);
        for error in opened
            .refused
            .into_iter()
            .map(|(_, e)| e)
            .chain(key_changed)
        {
            self.0
                .seal_refused
                .borrow_mut()
                .insert(group, error.clone());
            self.emit(RepoEvent::SealRefused(group, error));
        }
    }

    /// Seals new changes of a group after a short pause.
    fn seal_soon(&self, group: DocumentId) {
        {
            let mut sealed = self.0.sealed.borrow_mut();
            let Some(sealed) = sealed.get_mut(&group) else {
                return;
            };
            if sealed.scheduled {
                return;
            }
            sealed.scheduled = true;
        }
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            platform::sleep(SEAL_AFTER_MS).await;
            if let Some(sealed) = repo.0.sealed.borrow_mut().get_mut(&group) {
                sealed.scheduled = false;
            }
            repo.seal_now(group);
        });
    }

    /// Writes what the log lacks of the group and its meetings as one
    /// entry, and compacts the log when it has grown.
    fn seal_now(&self, group: DocumentId) {
        let Some(log) = self.sealed_log(group) else {
            return;
        };
        if !self.0.engine.borrow().has(log) || !self.0.engine.borrow().has(group) {
            return;
        }
        // Nobody reads a log closed by a new key: nothing more goes there.
        if self.seal_refused(group) == Some(SealError::KeyChanged) {
            return;
        }
        let names: Vec<String> = self
            .0
            .engine
            .borrow()
            .document(log)
            .map(|doc| seal::names(doc.doc()))
            .unwrap_or_default();
        let limits = seal_limits();
        let due = if limits.due(names.len(), 0) == seal::Due::Nothing {
            seal::Due::Nothing
        } else {
            // Only now is the history measured (a save of the whole log).
            let history = self
                .0
                .engine
                .borrow_mut()
                .document_mut(log)
                .map_or(0, |doc| seal::history_bytes(doc.doc_mut()));
            limits.due(names.len(), history)
        };
        if due == seal::Due::Rotate {
            return self.rotate(group, log);
        }
        let Some(writes) = self.with_sealed(group, |sealed, docs| {
            let nonce = platform::random_bytes::<{ seal::NONCE_BYTES }>();
            if due == seal::Due::Compact {
                Some(sealed.sealer.compaction(&names, docs, nonce))
            } else {
                sealed.sealer.pending(docs, nonce)
            }
        }) else {
            return;
        };
        if let Some(write) = writes {
            self.write_log(log, &[write]);
        }
    }

    /// Moves a sealed group to the next generation's log: a snapshot there,
    /// a sealed note in the old one; servers are offered both.
    fn rotate(&self, group: DocumentId, old: DocumentId) {
        let nonces = [
            platform::random_bytes::<{ seal::NONCE_BYTES }>(),
            platform::random_bytes::<{ seal::NONCE_BYTES }>(),
        ];
        let Some((note, first, log)) = self.with_sealed(group, |sealed, docs| {
            let (note, first) = sealed.sealer.rotation(docs, nonces);
            sealed.earlier.push(old);
            (note, first, sealed.sealer.log_id())
        }) else {
            return;
        };
        let mut doc = automerge::AutoCommit::new().with_actor(self.0.actor.clone());
        first.apply(&mut doc);
        doc.commit();
        self.0
            .engine
            .borrow_mut()
            .add_document(StoredDoc::new(log, doc), Vec::new());
        self.drive();
        self.save(log);
        self.write_log(old, &[note]);
        self.reshare();
    }

    /// Writes entries into a sealed log this phone holds, as one change,
    /// and hands it to the engine and storage.
    fn write_log(&self, log: DocumentId, writes: &[seal::Write]) {
        {
            let mut engine = self.0.engine.borrow_mut();
            let Some(doc) = engine.document_mut(log) else {
                return;
            };
            for write in writes {
                write.apply(doc.doc_mut());
            }
            doc.doc_mut().commit();
            engine.local_change(log);
        }
        self.drive();
        self.save(log);
    }

    fn save_sync_state(&self, document: DocumentId, storage: StorageId, state: Vec<u8>) {
        let repo = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let key = [document.to_string(), "sync-state".to_owned(), storage];
            // A lost sync state only costs a longer next sync.
            let _ = repo.0.store.put_raw(&key, &state).await;
        });
    }
}

/// This device's sealed-log limits: the defaults, unless localStorage
/// holds `common-ground.seal-limits` (`"<entries>,<bytes>"`), which tests
/// and benches set to see compaction and rotation in seconds.
fn seal_limits() -> seal::Limits {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item("common-ground.seal-limits").ok().flatten())
        .and_then(|text| seal::Limits::parse(&text))
        .unwrap_or_default()
}
