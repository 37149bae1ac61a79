//! The runtime that holds this device's open documents and keeps IndexedDB
//! in step with them. UI code calls it; it calls the pure core.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use automerge::ActorId;

use super::idb::{ChunkStore, StoreError};
use super::platform;
use crate::core::command::{self, Command, Refusal};
use crate::core::model::Group;
use crate::core::repo::{DocumentId, LoadReport, StoredDoc};

/// Why a group could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// No chunk of it is stored on this device.
    NotHere,
    Unreadable,
    Storage(StoreError),
}

/// A cheap handle to the device's documents.
#[derive(Clone, Debug)]
pub struct Repo(Rc<Inner>);

#[derive(Debug)]
struct Inner {
    store: ChunkStore,
    /// One actor per page load: two tabs must never share one.
    actor: ActorId,
    docs: RefCell<HashMap<DocumentId, OpenDoc>>,
    saving: RefCell<HashSet<DocumentId>>,
}

/// A document in memory with the group read out of it, kept in step so that
/// a command does not re-read the whole group.
#[derive(Debug)]
struct OpenDoc {
    stored: StoredDoc,
    group: Group,
}

impl Repo {
    /// Opens the document store in the named IndexedDB database.
    ///
    /// # Errors
    /// When IndexedDB cannot be opened.
    pub async fn open(database: &str) -> Result<Self, StoreError> {
        let store = ChunkStore::open(database).await?;
        Ok(Self(Rc::new(Inner {
            store,
            actor: ActorId::from(platform::random_bytes::<16>()),
            docs: RefCell::default(),
            saving: RefCell::default(),
        })))
    }

    /// Creates a new group document in memory; call [`Repo::flush`] to store it.
    ///
    /// # Errors
    /// When the name is refused.
    pub fn create_group(&self, name: &str, now: i64) -> Result<(DocumentId, Group), Refusal> {
        let (doc, group) = command::new_group(self.0.actor.clone(), name, now)?;
        let id = DocumentId::new_random(platform::random_bytes::<16>());
        let open = OpenDoc {
            stored: StoredDoc::new(id, doc),
            group: group.clone(),
        };
        self.0.docs.borrow_mut().insert(id, open);
        Ok((id, group))
    }

    /// The group as it is in memory, loading it from IndexedDB first if
    /// needed. The report lists damaged chunks that were skipped.
    ///
    /// # Errors
    /// When the group is not on this device, cannot be read, or storage fails.
    pub async fn open_group(&self, id: DocumentId) -> Result<(Group, LoadReport), OpenError> {
        if let Some(open) = self.0.docs.borrow().get(&id) {
            return Ok((open.group.clone(), LoadReport::default()));
        }
        let chunks = self.0.store.load(id).await.map_err(OpenError::Storage)?;
        let had_chunks = !chunks.is_empty();
        let (doc, report) = StoredDoc::load(id, &self.0.actor, chunks);
        if doc.chunks().is_empty() {
            return Err(if had_chunks {
                OpenError::Unreadable
            } else {
                OpenError::NotHere
            });
        }
        let group = command::read(doc.doc()).map_err(|_| OpenError::Unreadable)?;
        // Another await may have loaded it meanwhile; keep the first copy.
        let open = OpenDoc { stored: doc, group };
        let group = self
            .0
            .docs
            .borrow_mut()
            .entry(id)
            .or_insert(open)
            .group
            .clone();
        Ok((group, report))
    }

    /// Applies a member's command to an open group.
    ///
    /// # Errors
    /// The refusal; nothing changed.
    pub fn apply(&self, id: DocumentId, command: &Command, now: i64) -> Result<Group, Refusal> {
        let mut docs = self.0.docs.borrow_mut();
        let open = docs.get_mut(&id).ok_or(Refusal::Unreadable)?;
        command::apply_on(open.stored.doc_mut(), &mut open.group, command, now)?;
        Ok(open.group.clone())
    }

    /// Writes everything not yet stored for a document. Saves of one
    /// document never overlap: a call during a save returns at once and the
    /// running save picks its changes up before it finishes.
    ///
    /// # Errors
    /// When IndexedDB fails; the changes stay in memory and the next flush
    /// tries again.
    pub async fn flush(&self, id: DocumentId) -> Result<(), StoreError> {
        if !self.0.saving.borrow_mut().insert(id) {
            return Ok(());
        }
        let result = self.write_until_saved(id).await;
        self.0.saving.borrow_mut().remove(&id);
        result
    }

    /// Whether any open document has changes IndexedDB does not hold yet.
    pub fn has_unsaved_changes(&self) -> bool {
        self.0
            .docs
            .borrow_mut()
            .values_mut()
            .any(|open| open.stored.has_unsaved_changes())
    }

    async fn write_until_saved(&self, id: DocumentId) -> Result<(), StoreError> {
        loop {
            let plan = self
                .0
                .docs
                .borrow_mut()
                .get_mut(&id)
                .and_then(|open| open.stored.save());
            let Some(plan) = plan else { return Ok(()) };
            if let Err(error) = self.0.store.write(&plan).await {
                if let Some(open) = self.0.docs.borrow_mut().get_mut(&id) {
                    open.stored.save_failed(plan);
                }
                return Err(error);
            }
        }
    }
}
