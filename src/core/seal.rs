//! Sealed groups: what a sync server keeps of a group is ciphertext only.
//!
//! A sealed group does not give the server its documents. It gives it one
//! ordinary automerge document, the **sealed log**, whose id is derived
//! from the group key (so the server cannot link it to the group) and
//! whose root map holds **entries**: `name → bytes`, each the
//! XChaCha20-Poly1305 ciphertext of automerge changes (or a save) of the
//! group and its meetings. The associated data binds an entry to its group,
//! its log and its name, so an entry copied into another group, another
//! log or under another name does not open. Names are `<author>.<seq>`:
//! an author is one page load (random, from the shell), so two phones
//! never write the same name and entries merge in the log like any keys.
//!
//! Keys: the group key is 32 random bytes made on a phone (the shell
//! passes them in: the core has no randomness). Everything else comes
//! from it with HKDF-SHA256, salted with the group's id:
//! `info = "cg-sealed-v1 log" ‖ generation` gives the log's id (16 bytes,
//! marked as a UUID v4 like any other id), `"cg-sealed-v1 entries"` the
//! entry key. See docs/schema.md ("The sealed log").
//!
//! [`Sealer`] is one phone's view of one log: which entries it has opened
//! (applied, idempotently) and which changes of each document the log is
//! known to hold, so that it seals only what is new.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Change, ChangeHash, ReadDoc, ScalarValue, Value};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use sha2::Sha256;

use super::repo::DocumentId;
use super::repo::guard;

/// Bytes of the group key.
pub const KEY_BYTES: usize = 32;
/// Bytes of an entry's nonce (`XChaCha20`: 24, random, from the shell).
pub const NONCE_BYTES: usize = 24;
const TAG_BYTES: usize = 16;
const VERSION: u8 = 1;
/// Plaintexts are padded to a multiple of this, so an entry's size says
/// a little less about what was typed.
const PAD: usize = 64;
/// Entries a log holds before a phone compacts it (writes one snapshot
/// and retires what it covers).
pub const COMPACT_AFTER: usize = 64;
/// Bytes of history a log's document may grow to before the group moves
/// to the next generation's log (retired entries stay in an automerge
/// document's history, so only a new log bounds what the server keeps).
pub const ROTATE_AFTER_BYTES: usize = 4 * 1024 * 1024;
/// When a log is compacted and when it moves to the next generation: the
/// constants above, unless a test or bench asks for smaller ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries a log holds before it is compacted (or moved).
    pub compact_after: usize,
    /// Bytes of a log's history past which compaction time moves the
    /// group to the next generation's log instead.
    pub rotate_after_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            compact_after: COMPACT_AFTER,
            rotate_after_bytes: ROTATE_AFTER_BYTES,
        }
    }
}

impl Limits {
    /// Reads `"<entries>,<bytes>"` (a device setting for tests and
    /// benches); `None` when it is not two numbers, the first at least 2.
    pub fn parse(text: &str) -> Option<Self> {
        let (entries, bytes) = text.split_once(',')?;
        let compact_after: usize = entries.trim().parse().ok()?;
        let rotate_after_bytes = bytes.trim().parse().ok()?;
        (compact_after >= 2).then_some(Self {
            compact_after,
            rotate_after_bytes,
        })
    }

    /// What a log of `entries` entries and `history` bytes of history
    /// needs now.
    pub const fn due(&self, entries: usize, history: usize) -> Due {
        if entries < self.compact_after {
            Due::Nothing
        } else if history >= self.rotate_after_bytes {
            Due::Rotate
        } else {
            Due::Compact
        }
    }
}

/// What a log needs, by [`Limits::due`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Nothing,
    /// One snapshot entry, and the entries it covers retired.
    Compact,
    /// A snapshot in the next generation's log, and a note in this one.
    Rotate,
}

/// The root key of a log whose group moved on to a newer log: its value is
/// a sealed entry saying which generation.
const MOVED: &str = "moved";

/// A group's key. Never shown, never sent to a server: it travels only in
/// invite links (in the fragment) and updates files.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupKey([u8; KEY_BYTES]);

impl std::fmt::Debug for GroupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupKey(..)")
    }
}

/// Why an entry (or a key) was refused. Each changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealError {
    /// Shorter than a nonce and a tag: cut on the way.
    Truncated,
    /// The tag does not match: a wrong key, a changed byte, or an entry
    /// from another group, log or name. (Authenticated encryption cannot
    /// tell these apart, and must not.)
    NotAuthentic,
    /// Written by a newer version of the app.
    Newer,
    /// It opened, but what is inside is not automerge data of this group.
    Malformed,
    /// A document the group does not list (a member's phone wrote it).
    Foreign(DocumentId),
    /// A key that is not 32 bytes of base58.
    BadKey,
    /// Not a refused entry: the log says the group's key was changed, so
    /// this phone's key reads nothing the group writes from now on.
    KeyChanged,
}

impl GroupKey {
    /// A key from 32 random bytes made by the shell.
    pub const fn from_random(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    /// The key's bytes, as an updates file carries them.
    pub const fn as_bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    /// The key as invite links carry it (base58).
    pub fn to_text(&self) -> String {
        bs58::encode(self.0).into_string()
    }

    /// Reads a key from an invite link or a device record.
    ///
    /// # Errors
    /// [`SealError::BadKey`] when it is not base58 of 32 bytes.
    pub fn parse(text: &str) -> Result<Self, SealError> {
        let bytes = bs58::decode(text.trim())
            .into_vec()
            .map_err(|_| SealError::BadKey)?;
        <[u8; KEY_BYTES]>::try_from(bytes.as_slice())
            .map(Self)
            .map_err(|_| SealError::BadKey)
    }

    fn derive<const N: usize>(&self, group: DocumentId, info: &[u8]) -> [u8; N] {
        let hk = Hkdf::<Sha256>::new(Some(group.as_bytes()), &self.0);
        let mut out = [0; N];
        // N is at most 32 here, far below HKDF's 255 × 32 limit.
        let _ = hk.expand(info, &mut out);
        out
    }

    /// The id of the group's sealed log of `generation` (0 first; a larger
    /// log moves to the next). Looks like any random document id.
    pub fn log_id(&self, group: DocumentId, generation: u32) -> DocumentId {
        let mut info = b"cg-sealed-v1 log".to_vec();
        info.extend_from_slice(&generation.to_be_bytes());
        DocumentId::new_random(self.derive(group, &info))
    }

    fn cipher(&self, group: DocumentId) -> XChaCha20Poly1305 {
        let key: [u8; 32] = self.derive(group, b"cg-sealed-v1 entries");
        XChaCha20Poly1305::new(&key.into())
    }
}

/// What one entry holds, once opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Automerge data of documents: each a document id with either raw
    /// changes or a save (a snapshot), loaded the same way.
    Docs(Vec<(DocumentId, Vec<u8>)>),
    /// The log is full; the group continues in this generation's log.
    Moved(u32),
    /// The group's key was changed: this log is closed, and the group goes
    /// on in a log only the new key names. Says nothing more (not the new
    /// key, not who has it), and pads to the size of [`Content::Moved`].
    KeyChanged,
}

const KIND_DOCS: u8 = 0;
const KIND_MOVED: u8 = 1;
const KIND_KEY_CHANGED: u8 = 2;

fn associated(group: DocumentId, log: DocumentId, name: &str) -> Vec<u8> {
    let mut aad = b"cg-sealed-v1".to_vec();
    aad.extend_from_slice(group.as_bytes());
    aad.extend_from_slice(log.as_bytes());
    aad.extend_from_slice(name.as_bytes());
    aad
}

fn encode(content: &Content) -> Vec<u8> {
    let mut out = vec![VERSION];
    match content {
        Content::Docs(docs) => {
            out.push(KIND_DOCS);
            out.extend_from_slice(&u32::try_from(docs.len()).unwrap_or(u32::MAX).to_be_bytes());
            for (id, bytes) in docs {
                out.extend_from_slice(id.as_bytes());
                out.extend_from_slice(
                    &u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes(),
                );
                out.extend_from_slice(bytes);
            }
        }
        Content::Moved(generation) => {
            out.push(KIND_MOVED);
            out.extend_from_slice(&generation.to_be_bytes());
        }
        Content::KeyChanged => out.push(KIND_KEY_CHANGED),
    }
    let padded = out.len().div_ceil(PAD) * PAD;
    out.resize(padded.max(PAD), 0);
    out
}

fn decode(plain: &[u8]) -> Result<Content, SealError> {
    let mut rest = plain;
    let mut take = |n: usize| -> Result<&[u8], SealError> {
        let (head, tail) = rest.split_at_checked(n).ok_or(SealError::Malformed)?;
        rest = tail;
        Ok(head)
    };
    let u32_of = |b: &[u8]| -> Result<u32, SealError> {
        Ok(u32::from_be_bytes(
            b.try_into().map_err(|_| SealError::Malformed)?,
        ))
    };
    if take(1)?[0] > VERSION {
        return Err(SealError::Newer);
    }
    match take(1)?[0] {
        KIND_DOCS => {
            let count = u32_of(take(4)?)?;
            let mut docs = Vec::new();
            for _ in 0..count {
                let id = <[u8; 16]>::try_from(take(16)?).map_err(|_| SealError::Malformed)?;
                let len = u32_of(take(4)?)? as usize;
                docs.push((DocumentId::from_bytes(id), take(len)?.to_vec()));
            }
            Ok(Content::Docs(docs))
        }
        KIND_MOVED => Ok(Content::Moved(u32_of(take(4)?)?)),
        KIND_KEY_CHANGED => Ok(Content::KeyChanged),
        _ => Err(SealError::Newer),
    }
}

/// Seals `content` as the entry `name` of `log` in `group`'s key:
/// `nonce ‖ ciphertext ‖ tag`.
pub fn seal(
    key: &GroupKey,
    group: DocumentId,
    log: DocumentId,
    name: &str,
    content: &Content,
    nonce: [u8; NONCE_BYTES],
) -> Vec<u8> {
    let plain = encode(content);
    let aad = associated(group, log, name);
    let sealed = key
        .cipher(group)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        .unwrap_or_default();
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    out
}

/// Opens the entry `name` of `log`.
///
/// # Errors
/// [`SealError::Truncated`], [`SealError::NotAuthentic`] (wrong key,
/// tampered, or replayed from another group, log or name),
/// [`SealError::Newer`] or [`SealError::Malformed`].
pub fn open(
    key: &GroupKey,
    group: DocumentId,
    log: DocumentId,
    name: &str,
    sealed: &[u8],
) -> Result<Content, SealError> {
    if sealed.len() < NONCE_BYTES + TAG_BYTES {
        return Err(SealError::Truncated);
    }
    let (nonce, body) = sealed.split_at(NONCE_BYTES);
    let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| SealError::Truncated)?;
    let aad = associated(group, log, name);
    let plain = key
        .cipher(group)
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: body,
                aad: &aad,
            },
        )
        .map_err(|_| SealError::NotAuthentic)?;
    decode(&plain)
}

// ---- the log document ----

/// The entries of a log document: `(name, sealed bytes)`, by name.
pub fn entries(log: &AutoCommit) -> Vec<(String, Vec<u8>)> {
    log.keys(automerge::ROOT)
        .filter(|key| key != MOVED)
        .filter_map(|key| {
            let bytes = bytes_at(log, &key)?;
            Some((key, bytes))
        })
        .collect()
}

fn bytes_at(log: &AutoCommit, key: &str) -> Option<Vec<u8>> {
    match log.get(automerge::ROOT, key).ok()?? {
        (Value::Scalar(scalar), _) => match scalar.as_ref() {
            ScalarValue::Bytes(bytes) => Some(bytes.clone()),
            _ => None,
        },
        (Value::Object(_), _) => None,
    }
}

/// The names of a log's entries (not their bytes).
pub fn names(log: &AutoCommit) -> Vec<String> {
    log.keys(automerge::ROOT)
        .filter(|key| key != MOVED)
        .collect()
}

/// The sealed "moved" entry of a log, if its group moved on.
pub fn moved(log: &AutoCommit) -> Option<Vec<u8>> {
    bytes_at(log, MOVED)
}

/// Bytes of the log's whole history (what a server stores of it).
pub fn history_bytes(log: &mut AutoCommit) -> usize {
    log.save_nocompress().len()
}

/// Entries to put into a log and entries to retire from it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Write {
    pub put: Vec<(String, Vec<u8>)>,
    pub retire: Vec<String>,
}

impl Write {
    /// Writes into the log document (uncommitted: the caller commits).
    pub fn apply(&self, log: &mut AutoCommit) {
        for (name, sealed) in &self.put {
            let _ = log.put(
                automerge::ROOT,
                name.as_str(),
                ScalarValue::Bytes(sealed.clone()),
            );
        }
        for name in &self.retire {
            let _ = log.delete(automerge::ROOT, name.as_str());
        }
    }
}

/// What opening a log's new entries did to the plaintext documents.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Opened {
    /// Documents that changed (the group first when it did).
    pub changed: Vec<DocumentId>,
    /// Entries that were refused, by name, with why. Nothing of them was
    /// applied, and they are not tried again.
    pub refused: Vec<(String, SealError)>,
    /// The log says the group moved on to this generation.
    pub moved: Option<u32>,
    /// The log says the group's key was changed: this phone's key is an
    /// old one, and reads nothing written from now on.
    pub key_changed: bool,
}

/// One phone's view of a group's sealed log.
pub struct Sealer {
    key: GroupKey,
    group: DocumentId,
    generation: u32,
    /// This page load's name as an author of entries.
    author: String,
    next: u64,
    /// Entries opened (applied or refused): never opened twice.
    opened: BTreeSet<String>,
    /// Entries applied here (or written here): what a snapshot of this
    /// phone's documents covers, so the only entries compaction retires.
    /// One refused (a newer version's) is left for phones that can read it.
    applied: BTreeSet<String>,
    /// Per document, the heads of what the log is known to hold: every
    /// change before them is in the log too. A frontier, not every hash
    /// ever sealed, so it stays a few hashes however long the history.
    covered: BTreeMap<DocumentId, Vec<ChangeHash>>,
    links_of: LinksOf,
}

/// The plaintext documents of a group as the sealer reads and changes them.
pub trait Docs {
    /// The document, if this phone has it.
    fn get(&mut self, id: DocumentId) -> Option<&mut AutoCommit>;
    /// Adds a document this phone did not have (a meeting made elsewhere).
    fn add(&mut self, id: DocumentId, doc: AutoCommit);
}

/// Reads the ids of the documents a group links (its meetings).
pub type LinksOf = fn(&AutoCommit) -> Vec<DocumentId>;

impl Sealer {
    /// A sealer writing as `author` (random per page load, from the shell).
    pub fn new(
        key: GroupKey,
        group: DocumentId,
        generation: u32,
        author: &[u8; 8],
        links_of: LinksOf,
    ) -> Self {
        Self {
            links_of,
            key,
            group,
            generation,
            author: super::repo::hex(author),
            next: 0,
            opened: BTreeSet::new(),
            applied: BTreeSet::new(),
            covered: BTreeMap::new(),
        }
    }

    pub const fn key(&self) -> &GroupKey {
        &self.key
    }

    pub const fn generation(&self) -> u32 {
        self.generation
    }

    /// The id of the log this sealer reads and writes.
    pub fn log_id(&self) -> DocumentId {
        self.key.log_id(self.group, self.generation)
    }

    /// Entries of the log not opened yet, applied to the documents: each is
    /// opened, checked (only the group and documents it links), passed by
    /// the guard, and only then merged. Idempotent: changes already here
    /// change nothing.
    pub fn open_new(&mut self, log: &AutoCommit, docs: &mut dyn Docs) -> Opened {
        let new = self.unopened(log);
        self.open_entries(new, moved(log), docs)
    }

    /// The entries of `log` this sealer has not opened: only their bytes
    /// are read, so the work of a change is what it brought. Entries no
    /// longer in the log (retired) are forgotten here, so what this phone
    /// remembers of a log is bounded by the log.
    pub fn unopened(&mut self, log: &AutoCommit) -> Vec<(String, Vec<u8>)> {
        let names = names(log);
        let present: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        self.opened
            .retain(|name| name == MOVED || present.contains(name.as_str()));
        self.applied.retain(|name| present.contains(name.as_str()));
        names
            .into_iter()
            .filter(|name| !self.opened.contains(name))
            .filter_map(|name| {
                let bytes = bytes_at(log, &name)?;
                Some((name, bytes))
            })
            .collect()
    }

    /// How many change hashes this sealer keeps to know what the log
    /// holds (a frontier per document).
    pub fn known_hashes(&self) -> usize {
        self.covered.values().map(Vec::len).sum()
    }

    /// [`Sealer::open_new`] for a log held elsewhere: its entries and its
    /// "moved" note, as [`entries`] and [`moved`] read them.
    pub fn open_entries(
        &mut self,
        entries: Vec<(String, Vec<u8>)>,
        moved: Option<Vec<u8>>,
        docs: &mut dyn Docs,
    ) -> Opened {
        let mut opened = Opened::default();
        let log_id = self.log_id();
        if let Some(sealed) = moved {
            match open(&self.key, self.group, log_id, MOVED, &sealed) {
                Ok(Content::Moved(generation)) if generation > self.generation => {
                    opened.moved = Some(generation);
                }
                Ok(Content::KeyChanged) => opened.key_changed = true,
                Ok(_) => {}
                Err(error) => {
                    if self.opened.insert(MOVED.to_owned()) {
                        opened.refused.push((MOVED.to_owned(), error));
                    }
                }
            }
        }
        for (name, sealed) in entries {
            if self.opened.contains(&name) {
                continue;
            }
            self.opened.insert(name.clone());
            let result = open(&self.key, self.group, log_id, &name, &sealed)
                .and_then(|content| self.apply(content, docs));
            match result {
                Ok(changed) => {
                    self.applied.insert(name);
                    for id in changed {
                        if !opened.changed.contains(&id) {
                            opened.changed.push(id);
                        }
                    }
                }
                Err(error) => opened.refused.push((name, error)),
            }
        }
        opened.changed.sort_by_key(|id| (*id != self.group, *id));
        opened
    }

    /// The documents the group links, as this phone has it.
    fn linked(&self, docs: &mut dyn Docs) -> Vec<DocumentId> {
        docs.get(self.group)
            .map(|doc| (self.links_of)(doc))
            .unwrap_or_default()
    }

    /// Applies an opened entry; all of it is checked before any of it is
    /// merged, so a refused entry changes nothing.
    fn apply(
        &mut self,
        content: Content,
        docs: &mut dyn Docs,
    ) -> Result<Vec<DocumentId>, SealError> {
        let Content::Docs(parts) = content else {
            return Ok(Vec::new());
        };
        let mut read: Vec<(DocumentId, Part)> = Vec::new();
        for (id, bytes) in parts {
            guard::check_chunks(&bytes).map_err(|_| SealError::Malformed)?;
            read.push((id, Part::read(&bytes)?));
        }
        // The group's own part first, so meetings it lists are known.
        read.sort_by_key(|(id, _)| *id != self.group);
        let mut links = self.linked(docs);
        let unlisted = read
            .iter()
            .any(|(id, _)| *id != self.group && !links.contains(id));
        if unlisted && let Some((_, part)) = read.iter().find(|(id, _)| *id == self.group) {
            // A meeting listed by this very entry: read the links from a
            // copy of the group with the entry's part merged.
            let mut group = docs
                .get(self.group)
                .map(AutoCommit::fork)
                .unwrap_or_default();
            part.merge_into(&mut group)?;
            links = (self.links_of)(&group);
        }
        if let Some((id, _)) = read
            .iter()
            .find(|(id, _)| *id != self.group && !links.contains(id))
        {
            return Err(SealError::Foreign(*id));
        }
        let mut changed = Vec::new();
        for (id, mut part) in read {
            let now_changed = if let Some(doc) = docs.get(id) {
                let before = doc.get_heads();
                part.merge_into(doc)?;
                doc.get_heads() != before
            } else {
                let mut doc = AutoCommit::new();
                part.merge_into(&mut doc)?;
                let any = !doc.get_heads().is_empty();
                docs.add(id, doc);
                any
            };
            let old = self.covered.remove(&id).unwrap_or_default();
            self.covered.insert(id, part.frontier(&old));
            if now_changed {
                changed.push(id);
            }
        }
        Ok(changed)
    }

    /// Seals what the log does not hold yet of the group and its meetings
    /// as one new entry in `log`. Returns whether anything was written.
    pub fn seal_new(
        &mut self,
        log: &mut AutoCommit,
        docs: &mut dyn Docs,
        nonce: [u8; NONCE_BYTES],
    ) -> bool {
        self.pending(docs, nonce)
            .map(|write| write.apply(log))
            .is_some()
    }

    /// What [`Sealer::seal_new`] writes, for a log held elsewhere: `None`
    /// when the log holds everything already.
    pub fn pending(&mut self, docs: &mut dyn Docs, nonce: [u8; NONCE_BYTES]) -> Option<Write> {
        let mut parts = Vec::new();
        let mut hashes: Vec<(DocumentId, Vec<ChangeHash>)> = Vec::new();
        for id in self.sealed_ids(docs) {
            let Some(doc) = docs.get(id) else { continue };
            let have = self.in_log(id, doc);
            let changes = doc.get_changes(&have);
            if changes.is_empty() {
                continue;
            }
            // The log now holds what it held and these: all up to the heads.
            let new = doc.get_heads();
            // A document the log holds nothing of goes as a save: automerge's
            // columns are several times smaller than its changes one by one.
            let bytes = if have.is_empty() {
                doc.save()
            } else {
                changes
                    .iter()
                    .flat_map(|c| c.raw_bytes().to_vec())
                    .collect()
            };
            parts.push((id, bytes));
            hashes.push((id, new));
        }
        if parts.is_empty() {
            return None;
        }
        let entry = self.entry(&Content::Docs(parts), nonce);
        for (id, new) in hashes {
            self.covered.insert(id, new);
        }
        Some(Write {
            put: vec![entry],
            retire: Vec::new(),
        })
    }

    /// How many changes of the group and its meetings the log does not
    /// hold yet (what [`Sealer::pending`] would seal now).
    pub fn unsealed(&mut self, docs: &mut dyn Docs) -> usize {
        let mut count = 0;
        for id in self.sealed_ids(docs) {
            let Some(doc) = docs.get(id) else { continue };
            let have = self.in_log(id, doc);
            count += doc.get_changes_meta(&have).len();
        }
        count
    }

    /// The group and the meetings it links: what the log carries.
    fn sealed_ids(&self, docs: &mut dyn Docs) -> Vec<DocumentId> {
        std::iter::once(self.group)
            .chain(self.linked(docs))
            .collect()
    }

    /// The changes of `doc` the log holds (and this phone has).
    fn in_log(&self, id: DocumentId, doc: &mut AutoCommit) -> Vec<ChangeHash> {
        self.covered
            .get(&id)
            .map_or_else(Vec::new, |covered: &Vec<ChangeHash>| {
                covered
                    .iter()
                    .copied()
                    .filter(|hash| doc.get_change_meta_by_hash(hash).is_some())
                    .collect()
            })
    }

    /// A new entry under a name never used: the author is one page load,
    /// the number counts up.
    fn entry(&mut self, content: &Content, nonce: [u8; NONCE_BYTES]) -> (String, Vec<u8>) {
        let name = format!("{}.{}", self.author, self.next);
        self.next += 1;
        let sealed = seal(&self.key, self.group, self.log_id(), &name, content, nonce);
        self.opened.insert(name.clone());
        self.applied.insert(name.clone());
        (name, sealed)
    }

    /// Whether the log has grown enough to compact.
    pub fn should_compact(log: &AutoCommit) -> bool {
        entries(log).len() > COMPACT_AFTER
    }

    /// Compacts: one snapshot entry holding a save of the group and each of
    /// its meetings here, and the entries this phone has opened (all of
    /// which the snapshot covers) retired. Entries it has not opened stay,
    /// so two phones compacting at once lose nothing. Returns how many
    /// entries were retired.
    pub fn compact(
        &mut self,
        log: &mut AutoCommit,
        docs: &mut dyn Docs,
        nonce: [u8; NONCE_BYTES],
    ) -> usize {
        let names: Vec<String> = entries(log).into_iter().map(|(name, _)| name).collect();
        let write = self.compaction(&names, docs, nonce);
        write.apply(log);
        write.retire.len()
    }

    /// What [`Sealer::compact`] writes, given the names of the log's entries.
    pub fn compaction(
        &mut self,
        names: &[String],
        docs: &mut dyn Docs,
        nonce: [u8; NONCE_BYTES],
    ) -> Write {
        let retire: Vec<String> = names
            .iter()
            .filter(|name| self.applied.contains(*name))
            .cloned()
            .collect();
        let snapshot = self.snapshot(docs);
        let entry = self.entry(&Content::Docs(snapshot), nonce);
        Write {
            put: vec![entry],
            retire,
        }
    }

    fn snapshot(&mut self, docs: &mut dyn Docs) -> Vec<(DocumentId, Vec<u8>)> {
        let ids: Vec<DocumentId> = std::iter::once(self.group)
            .chain(self.linked(docs))
            .collect();
        let mut parts = Vec::new();
        for id in ids {
            if let Some(doc) = docs.get(id) {
                let save = doc.save();
                self.covered.insert(id, doc.get_heads());
                parts.push((id, save));
            }
        }
        parts
    }

    /// Moves the group to the next generation's log: a snapshot there,
    /// and a sealed "moved" note in the old one. Returns the new log.
    pub fn rotate(
        &mut self,
        old: &mut AutoCommit,
        docs: &mut dyn Docs,
        nonces: [[u8; NONCE_BYTES]; 2],
    ) -> AutoCommit {
        let (note, first) = self.rotation(docs, nonces);
        note.apply(old);
        let mut log = AutoCommit::new();
        log.set_actor(old.get_actor().clone());
        first.apply(&mut log);
        log
    }

    /// What [`Sealer::rotate`] writes: the note in the old log, and the
    /// first entry of the new one (whose id is then [`Sealer::log_id`]).
    pub fn rotation(
        &mut self,
        docs: &mut dyn Docs,
        nonces: [[u8; NONCE_BYTES]; 2],
    ) -> (Write, Write) {
        let next = self.generation + 1;
        let note = seal(
            &self.key,
            self.group,
            self.log_id(),
            MOVED,
            &Content::Moved(next),
            nonces[0],
        );
        self.generation = next;
        self.opened.clear();
        self.applied.clear();
        let snapshot = self.snapshot(docs);
        let first = self.entry(&Content::Docs(snapshot), nonces[1]);
        (
            Write {
                put: vec![(MOVED.to_owned(), note)],
                retire: Vec::new(),
            },
            Write {
                put: vec![first],
                retire: Vec::new(),
            },
        )
    }

    /// The note that closes this log because the group's key changed,
    /// sealed with the old key (this sealer's), so only phones holding the
    /// old key learn it, and they learn nothing else.
    pub fn key_changed_note(&self, nonce: [u8; NONCE_BYTES]) -> Write {
        let note = seal(
            &self.key,
            self.group,
            self.log_id(),
            MOVED,
            &Content::KeyChanged,
            nonce,
        );
        Write {
            put: vec![(MOVED.to_owned(), note)],
            retire: Vec::new(),
        }
    }

    /// Follows the log to a later generation (another phone rotated it):
    /// entries there are opened afresh, and what the new log holds is
    /// learnt from it. Changes this phone sealed into the old log after
    /// the other phone's snapshot are sealed again into the new one, so
    /// nothing written across a rotation is left behind in a log that is
    /// no longer read.
    pub fn follow(&mut self, generation: u32) {
        if generation > self.generation {
            self.generation = generation;
            self.opened.clear();
            self.applied.clear();
            self.covered.clear();
        }
    }
}

/// One document's part of an entry: raw changes, or a save.
enum Part {
    Changes(Vec<Change>),
    Save(Box<AutoCommit>),
}

impl Part {
    fn read(bytes: &[u8]) -> Result<Self, SealError> {
        // A save starts with a document chunk (type 0 after magic and checksum).
        if bytes.get(8) == Some(&0) {
            return AutoCommit::load(bytes)
                .map(|doc| Self::Save(Box::new(doc)))
                .map_err(|_| SealError::Malformed);
        }
        let mut changes = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let len = chunk_len(rest).ok_or(SealError::Malformed)?;
            let (chunk, tail) = rest.split_at(len);
            changes.push(Change::try_from(chunk).map_err(|_| SealError::Malformed)?);
            rest = tail;
        }
        Ok(Self::Changes(changes))
    }

    /// The heads of what the log holds of a document once it holds this
    /// part too, given the heads `old` it held before: the part's own heads,
    /// and those of `old` the part does not build on.
    fn frontier(&mut self, old: &[ChangeHash]) -> Vec<ChangeHash> {
        let mut out: Vec<ChangeHash> = match self {
            Self::Changes(changes) => {
                let hashes: BTreeSet<ChangeHash> = changes.iter().map(Change::hash).collect();
                let deps: BTreeSet<ChangeHash> = changes
                    .iter()
                    .flat_map(|c| c.deps().iter().copied())
                    .collect();
                old.iter()
                    .chain(&hashes)
                    .copied()
                    .filter(|hash| !deps.contains(hash))
                    .collect()
            }
            Self::Save(doc) => {
                let mut out: Vec<ChangeHash> = old
                    .iter()
                    .copied()
                    .filter(|hash| doc.get_change_meta_by_hash(hash).is_none())
                    .collect();
                out.extend(doc.get_heads());
                out
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    fn merge_into(&self, doc: &mut AutoCommit) -> Result<(), SealError> {
        match self {
            Self::Changes(changes) => doc.apply_changes(changes.iter().cloned()),
            Self::Save(save) => doc.merge(&mut (**save).clone()).map(|_| ()),
        }
        .map_err(|_| SealError::Malformed)
    }
}

/// The length of the automerge chunk at the start of `bytes`: magic (4),
/// checksum (4), type (1), a LEB128 length, then the body.
fn chunk_len(bytes: &[u8]) -> Option<usize> {
    let mut len: u64 = 0;
    let mut at = 9;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(at)?;
        at += 1;
        len |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            let end = at.checked_add(usize::try_from(len).ok()?)?;
            return (end <= bytes.len()).then_some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::{self, At, Command, new_group, new_meeting};
    use crate::core::model::linked_documents;

    /// One phone's plaintext documents.
    #[derive(Default, Clone)]
    struct Phone(BTreeMap<DocumentId, AutoCommit>);

    impl Docs for Phone {
        fn get(&mut self, id: DocumentId) -> Option<&mut AutoCommit> {
            self.0.get_mut(&id)
        }
        fn add(&mut self, id: DocumentId, doc: AutoCommit) {
            self.0.insert(id, doc);
        }
    }

    impl Phone {
        fn heads(&mut self) -> Vec<(DocumentId, Vec<ChangeHash>)> {
            self.0
                .iter_mut()
                .map(|(id, doc)| (*id, doc.get_heads()))
                .collect()
        }
        fn members(&self, group: DocumentId) -> Vec<String> {
            let group = command::read(&self.0[&group]).expect("a group");
            group.members.values().map(|m| m.name.clone()).collect()
        }
        fn run(&mut self, group: DocumentId, command: &Command) {
            let doc = self.0.get_mut(&group).expect("the group");
            let mut read = command::read(doc).expect("a group");
            command::apply_on(doc, &mut read, command, &At::utc(5)).expect("applied");
        }
    }

    const GROUP: DocumentId = DocumentId::from_bytes([7; 16]);
    const MEETING: DocumentId = DocumentId::from_bytes([8; 16]);

    fn key() -> GroupKey {
        GroupKey::from_random([42; 32])
    }

    fn sealer(author: u8) -> Sealer {
        Sealer::new(key(), GROUP, 0, &[author; 8], linked_documents)
    }

    fn nonce(n: u8) -> [u8; NONCE_BYTES] {
        [n; NONCE_BYTES]
    }

    /// A phone with a group (two members) and a meeting it lists.
    fn ana() -> Phone {
        let (doc, _) = new_group(automerge::ActorId::from([1; 16]), "Eastside", 1).expect("group");
        let mut phone = Phone::default();
        phone.add(GROUP, doc);
        phone.run(
            GROUP,
            &Command::AddMember {
                id: "m1".into(),
                name: "Rosa Delgado".into(),
            },
        );
        phone.run(
            GROUP,
            &Command::AddMeeting {
                id: MEETING.to_string(),
                title: "May".into(),
            },
        );
        let meeting =
            new_meeting(automerge::ActorId::from([1; 16]), GROUP, "May", 2).expect("meeting");
        phone.add(MEETING, meeting);
        phone
    }

    fn add_member(phone: &mut Phone, id: &str, name: &str) {
        phone.run(
            GROUP,
            &Command::AddMember {
                id: id.into(),
                name: name.into(),
            },
        );
    }

    /// Ana's phone sealed into a log, and the log.
    fn sealed() -> (Phone, Sealer, AutoCommit) {
        let mut phone = ana();
        let mut sealer = sealer(1);
        let mut log = AutoCommit::new();
        assert!(sealer.seal_new(&mut log, &mut phone, nonce(1)));
        (phone, sealer, log)
    }

    fn first_entry(log: &AutoCommit) -> (String, Vec<u8>) {
        entries(log).into_iter().next().expect("an entry")
    }

    #[test]
    fn a_second_phone_reads_the_group_and_its_meeting_from_the_log() {
        let (mut ana, _, log) = sealed();
        let mut ben = Phone::default();
        let opened = sealer(2).open_new(&log, &mut ben);
        assert_eq!(opened.changed, vec![GROUP, MEETING]);
        assert!(opened.refused.is_empty());
        assert_eq!(ben.members(GROUP), vec!["Rosa Delgado".to_owned()]);
        assert_eq!(ben.heads(), ana.heads());
        // Nothing of the group is readable in the log's bytes.
        let bytes = log.clone().save_nocompress();
        let find = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!find(b"Rosa"));
        assert!(!find(b"Eastside"));
        assert!(!find(GROUP.as_bytes()));
        assert!(!find(GROUP.to_string().as_bytes()));
    }

    #[test]
    fn opening_again_changes_nothing_and_sealing_again_writes_nothing() {
        let (mut ana, mut sealer_a, mut log) = sealed();
        let mut ben = Phone::default();
        sealer(2).open_new(&log, &mut ben);
        // A fresh sealer (a reload) opens everything again: nothing changes.
        let again = sealer(3).open_new(&log, &mut ben);
        assert!(again.changed.is_empty() && again.refused.is_empty());
        assert!(!sealer_a.seal_new(&mut log, &mut ana, nonce(2)));
        assert_eq!(sealer_a.unsealed(&mut ana), 0);
        // Only what is new is sealed next time.
        add_member(&mut ana, "m2", "Tomás");
        assert_eq!(sealer_a.unsealed(&mut ana), 1);
        assert!(sealer_a.seal_new(&mut log, &mut ana, nonce(3)));
        assert_eq!(entries(&log).len(), 2);
        let mut reloaded = sealer(4);
        let opened = reloaded.open_new(&log, &mut ben);
        assert_eq!(opened.changed, vec![GROUP]);
        assert!(ben.members(GROUP).contains(&"Tomás".to_owned()));
        // A phone that opened the log seals nothing it read there.
        assert!(!reloaded.seal_new(&mut log, &mut ben, nonce(4)));
    }

    /// Opens `log` on a copy of Ben's phone (which has read the first
    /// entry) and says what was refused; asserts nothing changed.
    fn refused_on_ben(log: &AutoCommit, key: GroupKey) -> Vec<SealError> {
        let (_, _, good) = sealed();
        let mut ben = Phone::default();
        sealer(2).open_new(&good, &mut ben);
        let before = ben.heads();
        let opened = Sealer::new(key, GROUP, 0, &[9; 8], linked_documents).open_new(log, &mut ben);
        assert!(opened.changed.is_empty());
        assert_eq!(ben.heads(), before, "a refused entry changed nothing");
        opened.refused.into_iter().map(|(_, error)| error).collect()
    }

    /// A log holding Ana's second entry (a new member) as `bytes` under `name`.
    fn second_entry() -> (AutoCommit, String, Vec<u8>) {
        let (mut ana, mut sealer, mut log) = sealed();
        add_member(&mut ana, "m2", "Tomás");
        let first = first_entry(&log).0;
        sealer.seal_new(&mut log, &mut ana, nonce(5));
        let (name, bytes) = entries(&log)
            .into_iter()
            .find(|(name, _)| *name != first)
            .expect("second");
        (log, name, bytes)
    }

    #[test]
    fn a_tampered_entry_is_refused_and_changes_nothing() {
        let (mut log, name, mut bytes) = second_entry();
        let last = bytes.len() - 20;
        bytes[last] ^= 1;
        log.put(automerge::ROOT, name.as_str(), ScalarValue::Bytes(bytes))
            .expect("put");
        assert_eq!(refused_on_ben(&log, key()), vec![SealError::NotAuthentic]);
    }

    #[test]
    fn a_truncated_entry_is_refused_and_changes_nothing() {
        let (mut log, name, bytes) = second_entry();
        log.put(
            automerge::ROOT,
            name.as_str(),
            ScalarValue::Bytes(bytes[..bytes.len() - 1].to_vec()),
        )
        .expect("put");
        assert_eq!(refused_on_ben(&log, key()), vec![SealError::NotAuthentic]);
        log.put(
            automerge::ROOT,
            name.as_str(),
            ScalarValue::Bytes(bytes[..30].to_vec()),
        )
        .expect("put");
        assert_eq!(refused_on_ben(&log, key()), vec![SealError::Truncated]);
    }

    #[test]
    fn a_wrong_key_opens_nothing() {
        let (log, _, _) = second_entry();
        let wrong = GroupKey::from_random([43; 32]);
        // The first entry does not open either: a phone with the wrong key
        // reads nothing at all.
        let (_, _, good) = sealed();
        let mut carla = Phone::default();
        let opened = Sealer::new(wrong.clone(), GROUP, 0, &[9; 8], linked_documents)
            .open_new(&good, &mut carla);
        assert!(carla.0.is_empty());
        assert_eq!(opened.refused.len(), 1);
        assert_eq!(
            refused_on_ben(&log, wrong),
            vec![SealError::NotAuthentic, SealError::NotAuthentic]
        );
    }

    #[test]
    fn an_entry_replayed_into_another_log_group_or_name_is_refused() {
        let (_, name, bytes) = second_entry();
        // Under another name in the same log.
        let (_, _, mut log) = sealed();
        log.put(
            automerge::ROOT,
            "0000000000000000.9",
            ScalarValue::Bytes(bytes.clone()),
        )
        .expect("put");
        assert_eq!(refused_on_ben(&log, key()), vec![SealError::NotAuthentic]);
        // Into generation 1's log, under its own name.
        let mut ben = Phone::default();
        let (_, _, good) = sealed();
        let mut next = Sealer::new(key(), GROUP, 1, &[9; 8], linked_documents);
        next.open_new(&good, &mut ben); // refused too: written for generation 0
        let mut other = AutoCommit::new();
        other
            .put(
                automerge::ROOT,
                name.as_str(),
                ScalarValue::Bytes(bytes.clone()),
            )
            .expect("put");
        let opened = next.open_new(&other, &mut ben);
        assert_eq!(
            opened.refused,
            vec![(name.clone(), SealError::NotAuthentic)]
        );
        // Into another group sharing the key (and so the cipher's input key).
        let mut elsewhere = Sealer::new(
            key(),
            DocumentId::from_bytes([9; 16]),
            0,
            &[9; 8],
            linked_documents,
        );
        let opened = elsewhere.open_new(&other, &mut Phone::default());
        assert_eq!(opened.refused, vec![(name, SealError::NotAuthentic)]);
    }

    #[test]
    fn an_entry_for_a_document_the_group_does_not_list_is_refused_whole() {
        let (_, _, mut log) = sealed();
        let mut stranger = AutoCommit::new();
        stranger.put(automerge::ROOT, "x", 1).expect("put");
        let mut ana = ana();
        add_member(&mut ana, "m3", "Lin");
        let group_part = ana.0.get_mut(&GROUP).expect("group").save();
        let foreign = DocumentId::from_bytes([3; 16]);
        let content = Content::Docs(vec![(GROUP, group_part), (foreign, stranger.save())]);
        let sealed = seal(
            &key(),
            GROUP,
            key().log_id(GROUP, 0),
            "aaaa.1",
            &content,
            nonce(9),
        );
        log.put(automerge::ROOT, "aaaa.1", ScalarValue::Bytes(sealed))
            .expect("put");
        assert_eq!(
            refused_on_ben(&log, key()),
            vec![SealError::Foreign(foreign)]
        );
    }

    #[test]
    fn log_ids_come_from_the_key_the_group_and_the_generation() {
        let id = key().log_id(GROUP, 0);
        assert_eq!(id, key().log_id(GROUP, 0));
        assert_ne!(id, key().log_id(GROUP, 1));
        assert_ne!(id, key().log_id(MEETING, 0));
        assert_ne!(id, GroupKey::from_random([1; 32]).log_id(GROUP, 0));
        assert_ne!(id, GROUP);
        // Like any id automerge-repo makes: a version 4 UUID.
        assert_eq!(id.as_bytes()[6] >> 4, 4);
        assert_eq!(GroupKey::parse(&key().to_text()), Ok(key()));
        assert_eq!(GroupKey::parse("not a key"), Err(SealError::BadKey));
        assert_eq!(GroupKey::parse("2NEpo7TZRRrLZSi2U"), Err(SealError::BadKey));
    }

    #[test]
    fn concurrent_compaction_by_two_phones_loses_nothing() {
        let (mut ana, mut sa, mut log_a) = sealed();
        let mut ben = Phone::default();
        let mut sb = sealer(2);
        sb.open_new(&log_a, &mut ben);
        let mut log_b = log_a.fork();
        log_b.set_actor(automerge::ActorId::from([2; 16]));
        // Each writes something, the other does not see it yet, and each
        // compacts what it has read.
        add_member(&mut ana, "m2", "Tomás");
        sa.seal_new(&mut log_a, &mut ana, nonce(2));
        add_member(&mut ben, "m3", "Lin");
        sb.seal_new(&mut log_b, &mut ben, nonce(3));
        assert_eq!(sa.compact(&mut log_a, &mut ana, nonce(4)), 2);
        assert_eq!(sb.compact(&mut log_b, &mut ben, nonce(5)), 2);
        assert_eq!(entries(&log_a).len(), 1);
        log_a.merge(&mut log_b).expect("merge");
        // Two snapshots left; a new phone reads every member from them.
        assert_eq!(entries(&log_a).len(), 2);
        let mut carla = Phone::default();
        let opened = sealer(3).open_new(&log_a, &mut carla);
        assert!(opened.refused.is_empty());
        let mut members = carla.members(GROUP);
        members.sort();
        assert_eq!(members, vec!["Lin", "Rosa Delgado", "Tomás"]);
        assert!(carla.0.contains_key(&MEETING));
    }

    #[test]
    fn compaction_leaves_an_entry_it_could_not_open() {
        let (mut ana, mut sa, mut log) = sealed();
        // An entry from a newer version (or damaged): Ana cannot read it.
        log.put(automerge::ROOT, "ffff.0", ScalarValue::Bytes(vec![0; 80]))
            .expect("put");
        assert_eq!(sa.open_new(&log, &mut ana).refused.len(), 1);
        assert_eq!(sa.compact(&mut log, &mut ana, nonce(6)), 1);
        let names: Vec<String> = entries(&log).into_iter().map(|(n, _)| n).collect();
        assert!(names.contains(&"ffff.0".to_owned()), "{names:?}");
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn a_full_log_moves_to_the_next_generation_and_keeps_every_change() {
        let (mut ana, mut sa, mut log) = sealed();
        let mut ben = Phone::default();
        let mut sb = sealer(2);
        sb.open_new(&log, &mut ben);
        add_member(&mut ana, "m2", "Tomás");
        sa.seal_new(&mut log, &mut ana, nonce(2));
        let next = sa.rotate(&mut log, &mut ana, [nonce(3), nonce(4)]);
        assert_eq!(sa.log_id(), key().log_id(GROUP, 1));
        // Ben reads the old log, learns it moved, follows, and reads the new.
        let opened = sb.open_new(&log, &mut ben);
        assert_eq!(opened.moved, Some(1));
        sb.follow(1);
        sb.open_new(&next, &mut ben);
        assert!(ben.members(GROUP).contains(&"Tomás".to_owned()));
        assert_eq!(ben.heads(), ana.heads());
        // A phone that only ever sees the new log has everything.
        let mut carla = Phone::default();
        Sealer::new(key(), GROUP, 1, &[3; 8], linked_documents).open_new(&next, &mut carla);
        assert_eq!(carla.heads(), ana.heads());
    }

    #[test]
    fn a_phone_with_the_old_key_learns_the_key_changed_and_nothing_else() {
        let (_, sa, mut log) = sealed();
        let mut ben = Phone::default();
        let mut sb = sealer(2);
        assert!(!sb.open_new(&log, &mut ben).key_changed);
        let heads = ben.heads();
        // Ana changes the key: the old log gets the note, in the old key.
        sa.key_changed_note(nonce(7)).apply(&mut log);
        let opened = sb.open_new(&log, &mut ben);
        assert!(opened.key_changed);
        assert_eq!(opened.moved, None);
        assert!(opened.changed.is_empty() && opened.refused.is_empty());
        assert_eq!(ben.heads(), heads, "the note changes no document");
        // As large as a note that the log moved: the server cannot tell
        // a new key from a full log.
        let note = moved(&log).expect("a note");
        let mut full = log.fork();
        let (moved_note, _) = sealer(3).rotation(&mut Phone::default(), [nonce(8), nonce(9)]);
        moved_note.apply(&mut full);
        assert_eq!(note.len(), moved(&full).expect("moved").len());
        // A phone with another key cannot read the note.
        let opened = Sealer::new(
            GroupKey::from_random([43; 32]),
            GROUP,
            0,
            &[9; 8],
            linked_documents,
        )
        .open_new(&log, &mut Phone::default());
        assert!(!opened.key_changed);
    }

    #[test]
    fn a_change_written_into_the_old_log_while_another_phone_moved_it_is_not_lost() {
        let (mut ana, mut sa, mut log_a) = sealed();
        let mut ben = Phone::default();
        let mut sb = sealer(2);
        sb.open_new(&log_a, &mut ben);
        let mut log_b = log_a.fork();
        log_b.set_actor(automerge::ActorId::from([2; 16]));
        // Ben writes into generation 0 while Ana, not seeing it, moves on.
        add_member(&mut ben, "m4", "Written during the move");
        assert!(sb.seal_new(&mut log_b, &mut ben, nonce(2)));
        let mut next = sa.rotate(&mut log_a, &mut ana, [nonce(3), nonce(4)]);
        log_a.merge(&mut log_b).expect("merge");
        // Ben hears the log moved, follows, reads the new log and seals
        // what it lacks there.
        let opened = sb.open_new(&log_a, &mut ben);
        assert_eq!(opened.moved, Some(1));
        sb.follow(1);
        sb.open_new(&next, &mut ben);
        assert!(sb.seal_new(&mut next, &mut ben, nonce(5)));
        // A phone that only ever reads the new log has Ben's member.
        let mut carla = Phone::default();
        Sealer::new(key(), GROUP, 1, &[3; 8], linked_documents).open_new(&next, &mut carla);
        assert!(
            carla
                .members(GROUP)
                .contains(&"Written during the move".to_owned())
        );
        assert_eq!(carla.heads(), ben.heads());
    }

    #[test]
    fn limits_say_when_to_compact_and_when_to_move() {
        let limits = Limits::default();
        assert_eq!(limits.due(COMPACT_AFTER - 1, 10), Due::Nothing);
        assert_eq!(limits.due(COMPACT_AFTER, 10), Due::Compact);
        assert_eq!(limits.due(COMPACT_AFTER, ROTATE_AFTER_BYTES), Due::Rotate);
        assert_eq!(
            Limits::parse("4, 1000"),
            Some(Limits {
                compact_after: 4,
                rotate_after_bytes: 1000
            })
        );
        assert_eq!(Limits::parse("1,1000"), None);
        assert_eq!(Limits::parse("many"), None);
    }

    #[test]
    fn a_new_key_reads_nothing_of_the_old_and_the_old_nothing_of_the_new() {
        let (mut ana, _, old_log) = sealed();
        let new_key = GroupKey::from_random([77; 32]);
        let mut renewed = Sealer::new(new_key.clone(), GROUP, 0, &[6; 8], linked_documents);
        assert_ne!(renewed.log_id(), key().log_id(GROUP, 0));
        let mut new_log = AutoCommit::new();
        add_member(&mut ana, "m9", "After");
        renewed.seal_new(&mut new_log, &mut ana, nonce(8));
        // The old key, even pointed at the new log's id, opens nothing.
        let mut gone = Phone::default();
        let mut old = sealer(5);
        old.open_new(&old_log, &mut gone);
        let opened = old.open_new(&new_log, &mut gone);
        assert_eq!(opened.refused.len(), 1);
        assert!(!gone.members(GROUP).contains(&"After".to_owned()));
    }
}
