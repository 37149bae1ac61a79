//! "Share updates as a file": one file holding a group's documents, for any
//! messenger to carry when phones cannot connect at all. Opening it on
//! another phone merges it in.
//!
//! Layout: `CGUPDATES`, a version byte, the group's 16-byte id, a count,
//! then each document as its 16-byte id, a 4-byte length and an automerge
//! save; a SHA-256 of all of that closes the file. Everything is checked,
//! and every document loaded, before anything is merged.
//!
//! Version 2 is the same with a sealed group's key (32 bytes) after the
//! documents: written only when the member asks for it, as whoever holds
//! such a file can read the group and what its server keeps.

use automerge::AutoCommit;
use sha2::{Digest, Sha256};

use super::command;
use super::repo::DocumentId;
use super::repo::guard;
use super::seal::{GroupKey, KEY_BYTES};

const MAGIC: &[u8; 9] = b"CGUPDATES";
const VERSION: u8 = 1;
/// A file that carries the group's key.
const VERSION_KEYED: u8 = 2;

/// Why a file was not taken. Every one changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Not an updates file, or damaged on the way.
    Damaged,
    /// Written by a newer version of the app.
    Newer,
    /// For a group other than the one it was opened in.
    OtherGroup,
}

/// A file's documents, each loaded and checked.
pub struct Updates {
    pub group: DocumentId,
    /// The group first, then the documents it links.
    pub docs: Vec<(DocumentId, AutoCommit)>,
    /// A sealed group's key, when the member who wrote the file put it in.
    pub key: Option<GroupKey>,
}

/// Writes the file for a group and the documents it links (`docs`, as
/// automerge saves, the group's own among them).
pub fn pack(group: DocumentId, docs: &[(DocumentId, Vec<u8>)]) -> Vec<u8> {
    pack_keyed(group, docs, None)
}

/// [`pack`], with a sealed group's key in the file when given.
pub fn pack_keyed(
    group: DocumentId,
    docs: &[(DocumentId, Vec<u8>)],
    key: Option<&GroupKey>,
) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(if key.is_some() {
        VERSION_KEYED
    } else {
        VERSION
    });
    out.extend_from_slice(group.as_bytes());
    let docs = &docs[..docs.len().min(usize::from(u16::MAX))];
    out.extend_from_slice(&u16::try_from(docs.len()).unwrap_or(u16::MAX).to_be_bytes());
    for (id, bytes) in docs {
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    if let Some(key) = key {
        out.extend_from_slice(key.as_bytes());
    }
    let check = Sha256::digest(&out);
    out.extend_from_slice(&check);
    out
}

/// Reads a file opened in `expected`'s group, or (with `None`) opened to
/// bring a group onto this phone.
///
/// # Errors
/// When the file is damaged, newer, for another group, or its group
/// document is missing or not a group.
pub fn unpack(bytes: &[u8], expected: Option<DocumentId>) -> Result<Updates, FileError> {
    let (body, check) = bytes
        .split_at_checked(bytes.len().saturating_sub(32))
        .ok_or(FileError::Damaged)?;
    if !body.starts_with(MAGIC) || Sha256::digest(body)[..] != *check {
        return Err(FileError::Damaged);
    }
    let mut rest = &body[MAGIC.len()..];
    let mut take = |n: usize| -> Result<&[u8], FileError> {
        let (head, tail) = rest.split_at_checked(n).ok_or(FileError::Damaged)?;
        rest = tail;
        Ok(head)
    };
    let version = take(1)?[0];
    if version > VERSION_KEYED {
        return Err(FileError::Newer);
    }
    let id = |bytes: &[u8]| {
        <[u8; 16]>::try_from(bytes)
            .map(DocumentId::from_bytes)
            .map_err(|_| FileError::Damaged)
    };
    let group = id(take(16)?)?;
    if expected.is_some_and(|expected| expected != group) {
        return Err(FileError::OtherGroup);
    }
    let count = u16::from_be_bytes(take(2)?.try_into().map_err(|_| FileError::Damaged)?);
    // Each document takes at least 20 bytes of the file: reserve no more
    // than the file can hold, whatever the count says.
    let mut docs = Vec::with_capacity(usize::from(count).min(body.len() / 20));
    for _ in 0..count {
        let doc_id = id(take(16)?)?;
        let len = u32::from_be_bytes(take(4)?.try_into().map_err(|_| FileError::Damaged)?);
        let saved = take(usize::try_from(len).map_err(|_| FileError::Damaged)?)?;
        // Checked before automerge inflates anything (see repo::guard).
        guard::check_chunks(saved).map_err(|_| FileError::Damaged)?;
        let doc = AutoCommit::load(saved).map_err(|_| FileError::Damaged)?;
        docs.push((doc_id, doc));
    }
    let key = if version == VERSION_KEYED {
        let bytes =
            <[u8; KEY_BYTES]>::try_from(take(KEY_BYTES)?).map_err(|_| FileError::Damaged)?;
        Some(GroupKey::from_random(bytes))
    } else {
        None
    };
    if !rest.is_empty() {
        return Err(FileError::Damaged);
    }
    // The group must be there and read as a group.
    let at = docs
        .iter()
        .position(|(id, _)| *id == group)
        .ok_or(FileError::Damaged)?;
    command::read(&docs[at].1).map_err(|_| FileError::Damaged)?;
    docs.swap(0, at);
    Ok(Updates { group, docs, key })
}

/// The key a file carries, if it is whole and carries one: read without
/// loading its documents (the file was merged by [`unpack`] already).
pub fn key_in(bytes: &[u8]) -> Option<GroupKey> {
    let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if !body.starts_with(MAGIC)
        || Sha256::digest(body)[..] != *check
        || body.get(MAGIC.len()) != Some(&VERSION_KEYED)
    {
        return None;
    }
    let key = body.get(body.len().checked_sub(KEY_BYTES)?..)?;
    Some(GroupKey::from_random(key.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::{At, Command, new_group, new_meeting};

    fn saved_group() -> (DocumentId, Vec<(DocumentId, Vec<u8>)>) {
        let (mut doc, mut group) =
            new_group(automerge::ActorId::from([1; 16]), "Eastside", 1).expect("a group");
        let at = At::utc(2);
        let meeting = DocumentId::new_random([3; 16]);
        command::apply_on(
            &mut doc,
            &mut group,
            &Command::AddMeeting {
                id: meeting.to_string(),
                title: "May".into(),
            },
            &at,
        )
        .expect("listed");
        let id = DocumentId::new_random([2; 16]);
        let mut minutes =
            new_meeting(automerge::ActorId::from([1; 16]), id, "May", 2).expect("a meeting");
        (id, vec![(id, doc.save()), (meeting, minutes.save())])
    }

    #[test]
    fn a_file_reads_back_with_the_group_first() {
        let (id, docs) = saved_group();
        let file = pack(id, &[docs[1].clone(), docs[0].clone()]);
        let updates = unpack(&file, Some(id))
            .map_err(|_| "refused")
            .expect("read");
        assert_eq!(updates.group, id);
        assert_eq!(updates.docs.len(), 2);
        assert_eq!(updates.docs[0].0, id);
        let group = command::read(&updates.docs[0].1).expect("a group");
        assert_eq!(group.name, "Eastside");
    }

    #[test]
    fn the_key_is_in_the_file_only_when_asked_and_cannot_be_changed_unseen() {
        let (id, docs) = saved_group();
        let key = GroupKey::from_random([9; 32]);
        let plain = pack(id, &docs);
        assert_eq!(key_in(&plain), None);
        assert!(unpack(&plain, Some(id)).expect("read").key.is_none());
        assert!(!plain.windows(32).any(|w| w == key.as_bytes()));
        let keyed = pack_keyed(id, &docs, Some(&key));
        assert_eq!(key_in(&keyed), Some(key.clone()));
        let updates = unpack(&keyed, Some(id)).expect("read");
        assert_eq!(updates.key, Some(key));
        assert_eq!(updates.docs.len(), 2);
        // A changed byte of the key (or a cut file) gives no key at all.
        let mut damaged = keyed.clone();
        let at = keyed.len() - 40;
        damaged[at] ^= 1;
        assert_eq!(key_in(&damaged), None);
        assert_eq!(unpack(&damaged, None).err(), Some(FileError::Damaged));
        assert_eq!(key_in(&keyed[..keyed.len() - 1]), None);
    }

    #[test]
    fn another_groups_file_is_refused() {
        let (id, docs) = saved_group();
        let file = pack(id, &docs);
        let other = DocumentId::new_random([9; 16]);
        assert_eq!(
            unpack(&file, Some(other)).err(),
            Some(FileError::OtherGroup)
        );
        // Opened to bring the group onto a phone, any group's file is fine.
        assert!(unpack(&file, None).is_ok());
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused() {
        let (id, docs) = saved_group();
        let file = pack(id, &docs);
        for at in [0, 12, file.len() / 2, file.len() - 1] {
            let mut damaged = file.clone();
            damaged[at] ^= 0x40;
            assert_eq!(
                unpack(&damaged, Some(id)).err(),
                Some(FileError::Damaged),
                "{at}"
            );
        }
        assert_eq!(
            unpack(&file[..file.len() - 10], None).err(),
            Some(FileError::Damaged)
        );
        assert_eq!(unpack(b"", None).err(), Some(FileError::Damaged));
        assert_eq!(
            unpack(b"%PDF-1.4 not an updates file at all......", None).err(),
            Some(FileError::Damaged)
        );
        // Well framed, but the automerge bytes inside are not a document.
        let junk = pack(id, &[(id, b"not automerge".to_vec())]);
        assert_eq!(unpack(&junk, None).err(), Some(FileError::Damaged));
        // A newer app's file.
        let mut newer = file[..file.len() - 32].to_vec();
        newer[MAGIC.len()] = VERSION_KEYED + 1;
        let check = Sha256::digest(&newer);
        newer.extend_from_slice(&check);
        assert_eq!(unpack(&newer, Some(id)).err(), Some(FileError::Newer));
    }
}
