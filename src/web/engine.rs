//! The documents as the UI and the transports reach them: through a trait
//! object, never by calling [`Repo`] directly.
//!
//! **Why:** automerge, the sync engine and every command are most of the
//! app's code, and a member's first screen (home, an invite, the language)
//! needs none of them. Only `ui::later::engine` names `Repo`; the build cuts
//! what it reaches into a chunk the browser fetches after the first screen
//! shows. A direct call to a `Repo` method from the UI would pull that code
//! back into the first download (the first-load bench shows it).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use automerge::ChangeHash;

use super::idb::StoreError;
use super::repo::{OpenError, Repo, RepoEvent, SaveKey, Wire};
use super::settings::KnownGroup;
use crate::core::command::{At, Command, MeetingCommand, Refusal};
use crate::core::history::Event;
use crate::core::model::{Group, Meeting};
use crate::core::repo::message::StorageId;
use crate::core::repo::saving::SaveState;
use crate::core::repo::sync::{ConnId, Holder, Link, PeerStatus, Share};
use crate::core::repo::{DocumentId, LoadReport};
use crate::core::room::Holding;
use crate::core::seal::{GroupKey, SealError};
use crate::core::updates::FileError;

/// The device's documents, shared by every page and connection.
pub type Handle = Rc<dyn Engine>;

/// Work that finishes later (IndexedDB), on the page's thread.
pub type Later<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What [`Repo`] does for the UI and the transports; see [`Repo`]'s methods
/// of the same names for what each means.
#[allow(missing_docs, clippy::missing_errors_doc)]
pub trait Engine {
    fn listen(&self, listener: Box<dyn Fn(RepoEvent)>);
    fn create_group(&self, name: &str, now: i64) -> Result<(DocumentId, Group), Refusal>;
    fn open_group(&self, id: DocumentId) -> Later<'_, Result<(Group, LoadReport), OpenError>>;
    fn holds(&self, id: DocumentId) -> bool;
    fn group(&self, id: DocumentId) -> Option<Group>;
    fn create_meeting(
        &self,
        group: DocumentId,
        title: &str,
        at: &At,
    ) -> Result<(DocumentId, Group), Refusal>;
    fn meeting(&self, id: DocumentId) -> Later<'_, Option<Meeting>>;
    fn apply_meeting(
        &self,
        group: DocumentId,
        id: DocumentId,
        command: &MeetingCommand,
        at: &At,
    ) -> Result<Meeting, Refusal>;
    fn history(&self, id: DocumentId, item: &str) -> Vec<Event>;
    fn edit_notes(&self, id: DocumentId, typed: &str, at: &At) -> Result<bool, Refusal>;
    fn notes_now(&self, id: DocumentId) -> Option<(String, Vec<ChangeHash>)>;
    fn heads(&self, id: DocumentId) -> Option<Vec<ChangeHash>>;
    fn caret_after_merge(
        &self,
        id: DocumentId,
        shown: &[ChangeHash],
        caret: usize,
    ) -> Option<usize>;
    fn want(&self, id: DocumentId);
    fn apply(&self, id: DocumentId, command: &Command, at: &At) -> Result<Group, Refusal>;
    fn has_unsaved_changes(&self) -> bool;
    fn unsaved(&self) -> Vec<(SaveKey, SaveState)>;
    fn group_of(&self, id: DocumentId) -> Option<DocumentId>;
    fn save(&self, id: DocumentId);
    fn record(&self, id: DocumentId, group: Option<KnownGroup>);
    fn remove_group(&self, id: DocumentId) -> Later<'_, Result<(), StoreError>>;
    fn records(&self) -> Later<'_, Result<Vec<KnownGroup>, StoreError>>;
    fn stored_documents(&self) -> Later<'_, Result<Vec<DocumentId>, StoreError>>;
    fn retry_saves(&self);
    fn updates_file(&self, group: DocumentId) -> Option<Vec<u8>>;
    fn open_updates(
        &self,
        expected: Option<DocumentId>,
        bytes: &[u8],
    ) -> Result<(DocumentId, usize), FileError>;
    fn in_sync(&self, conn: ConnId, group: DocumentId) -> bool;
    fn room_holding(&self, group: DocumentId) -> Holding;
    fn connect(&self, link: Link, share: Share, wire: Wire) -> ConnId;
    fn receive(&self, conn: ConnId, frame: &[u8]);
    fn too_large(&self, conn: ConnId, size: usize);
    fn disconnect(&self, conn: ConnId);
    fn leave(&self, conn: ConnId);
    fn set_share(&self, conn: ConnId, share: Share);
    fn broadcast(&self, document: DocumentId, data: &[u8]);
    fn peers(&self) -> Vec<PeerStatus>;
    fn unshared_changes(&self, group: DocumentId) -> usize;
    fn missing_on_server(&self, group: DocumentId, server: &Holder) -> usize;
    fn server_in_sync(&self, conn: ConnId, group: DocumentId) -> bool;
    fn missing_on(&self, group: DocumentId, holder: &Holder) -> usize;
    fn storage_on(&self, conn: ConnId) -> Option<StorageId>;
    fn seal(&self, group: DocumentId, key: &GroupKey) -> DocumentId;
    fn seal_refused(&self, group: DocumentId) -> Option<SealError>;
    fn sealed_size(&self, group: DocumentId) -> Option<(usize, usize)>;
    fn sealed_updates_file(&self, group: DocumentId) -> Option<Vec<u8>>;
    fn seal_from_generation(&self, group: DocumentId, generation: u32);
    fn sealed_generation(&self, group: DocumentId) -> Option<u32>;
}

/// Each method is `Repo`'s own of the same name.
impl Engine for Repo {
    fn listen(&self, listener: Box<dyn Fn(RepoEvent)>) {
        Self::listen(self, listener);
    }
    fn create_group(&self, name: &str, now: i64) -> Result<(DocumentId, Group), Refusal> {
        Self::create_group(self, name, now)
    }
    fn open_group(&self, id: DocumentId) -> Later<'_, Result<(Group, LoadReport), OpenError>> {
        Box::pin(Self::open_group(self, id))
    }
    fn holds(&self, id: DocumentId) -> bool {
        Self::holds(self, id)
    }
    fn group(&self, id: DocumentId) -> Option<Group> {
        Self::group(self, id)
    }
    fn create_meeting(
        &self,
        group: DocumentId,
        title: &str,
        at: &At,
    ) -> Result<(DocumentId, Group), Refusal> {
        Self::create_meeting(self, group, title, at)
    }
    fn meeting(&self, id: DocumentId) -> Later<'_, Option<Meeting>> {
        Box::pin(Self::meeting(self, id))
    }
    fn apply_meeting(
        &self,
        group: DocumentId,
        id: DocumentId,
        command: &MeetingCommand,
        at: &At,
    ) -> Result<Meeting, Refusal> {
        Self::apply_meeting(self, group, id, command, at)
    }
    fn history(&self, id: DocumentId, item: &str) -> Vec<Event> {
        Self::history(self, id, item)
    }
    fn edit_notes(&self, id: DocumentId, typed: &str, at: &At) -> Result<bool, Refusal> {
        Self::edit_notes(self, id, typed, at)
    }
    fn notes_now(&self, id: DocumentId) -> Option<(String, Vec<ChangeHash>)> {
        Self::notes_now(self, id)
    }
    fn heads(&self, id: DocumentId) -> Option<Vec<ChangeHash>> {
        Self::heads(self, id)
    }
    fn caret_after_merge(
        &self,
        id: DocumentId,
        shown: &[ChangeHash],
        caret: usize,
    ) -> Option<usize> {
        Self::caret_after_merge(self, id, shown, caret)
    }
    fn want(&self, id: DocumentId) {
        Self::want(self, id);
    }
    fn apply(&self, id: DocumentId, command: &Command, at: &At) -> Result<Group, Refusal> {
        Self::apply(self, id, command, at)
    }
    fn has_unsaved_changes(&self) -> bool {
        Self::has_unsaved_changes(self)
    }
    fn unsaved(&self) -> Vec<(SaveKey, SaveState)> {
        Self::unsaved(self)
    }
    fn group_of(&self, id: DocumentId) -> Option<DocumentId> {
        Self::group_of(self, id)
    }
    fn save(&self, id: DocumentId) {
        Self::save(self, id);
    }
    fn record(&self, id: DocumentId, group: Option<KnownGroup>) {
        Self::record(self, id, group);
    }
    fn remove_group(&self, id: DocumentId) -> Later<'_, Result<(), StoreError>> {
        Box::pin(Self::remove_group(self, id))
    }
    fn records(&self) -> Later<'_, Result<Vec<KnownGroup>, StoreError>> {
        Box::pin(Self::records(self))
    }
    fn stored_documents(&self) -> Later<'_, Result<Vec<DocumentId>, StoreError>> {
        Box::pin(Self::stored_documents(self))
    }
    fn retry_saves(&self) {
        Self::retry_saves(self);
    }
    fn updates_file(&self, group: DocumentId) -> Option<Vec<u8>> {
        Self::updates_file(self, group)
    }
    fn open_updates(
        &self,
        expected: Option<DocumentId>,
        bytes: &[u8],
    ) -> Result<(DocumentId, usize), FileError> {
        Self::open_updates(self, expected, bytes)
    }
    fn in_sync(&self, conn: ConnId, group: DocumentId) -> bool {
        Self::in_sync(self, conn, group)
    }
    fn room_holding(&self, group: DocumentId) -> Holding {
        Self::room_holding(self, group)
    }
    fn connect(&self, link: Link, share: Share, wire: Wire) -> ConnId {
        Self::connect(self, link, share, wire)
    }
    fn receive(&self, conn: ConnId, frame: &[u8]) {
        Self::receive(self, conn, frame);
    }
    fn too_large(&self, conn: ConnId, size: usize) {
        Self::too_large(self, conn, size);
    }
    fn disconnect(&self, conn: ConnId) {
        Self::disconnect(self, conn);
    }
    fn leave(&self, conn: ConnId) {
        Self::leave(self, conn);
    }
    fn set_share(&self, conn: ConnId, share: Share) {
        Self::set_share(self, conn, share);
    }
    fn broadcast(&self, document: DocumentId, data: &[u8]) {
        Self::broadcast(self, document, data);
    }
    fn peers(&self) -> Vec<PeerStatus> {
        Self::peers(self)
    }
    fn unshared_changes(&self, group: DocumentId) -> usize {
        Self::unshared_changes(self, group)
    }
    fn missing_on_server(&self, group: DocumentId, server: &Holder) -> usize {
        Self::missing_on_server(self, group, server)
    }
    fn server_in_sync(&self, conn: ConnId, group: DocumentId) -> bool {
        Self::server_in_sync(self, conn, group)
    }
    fn missing_on(&self, group: DocumentId, holder: &Holder) -> usize {
        Self::missing_on(self, group, holder)
    }
    fn storage_on(&self, conn: ConnId) -> Option<StorageId> {
        Self::storage_on(self, conn)
    }
    fn seal(&self, group: DocumentId, key: &GroupKey) -> DocumentId {
        Self::seal(self, group, key)
    }
    fn seal_refused(&self, group: DocumentId) -> Option<SealError> {
        Self::seal_refused(self, group)
    }
    fn sealed_size(&self, group: DocumentId) -> Option<(usize, usize)> {
        Self::sealed_size(self, group)
    }
    fn sealed_updates_file(&self, group: DocumentId) -> Option<Vec<u8>> {
        Self::sealed_updates_file(self, group)
    }
    fn seal_from_generation(&self, group: DocumentId, generation: u32) {
        Self::seal_from_generation(self, group, generation);
    }
    fn sealed_generation(&self, group: DocumentId) -> Option<u32> {
        Self::sealed_generation(self, group)
    }
}
