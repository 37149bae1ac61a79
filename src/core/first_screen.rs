//! The cached first screen: a group as the engine last hydrated it, with the
//! storage keys of the chunks it was hydrated from, so that the first
//! download can show a group's pages before automerge is here.
//!
//! **Invariant:** a cached group is shown only when its keys equal the
//! document's chunk keys in storage now. Chunks are named by their content
//! (an incremental by the hash of its bytes, a snapshot by the heads it
//! holds), so equal keys mean the stored document is the one the record was
//! written from, and the cached group is what the engine would hydrate,
//! `read_at` heads included. Anything else (another tab or a sync wrote
//! since, a compaction, a damaged or foreign record) is not used: the page
//! waits for the engine as it would without a cache.
//!
//! A record is `"CGFS"`, the format byte, the SHA-256 of the rest, then the
//! rest: postcard of [`Payload`]. Postcard carries no field names, so any
//! change to the model's types must bump [`FORMAT`] (the test
//! `layout_is_pinned` fails until it is).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::Group;
use super::repo::{ChunkKey, ChunkKind, DocumentId};

/// The record's format: bump when `Payload` or any model type changes.
pub const FORMAT: u8 = 1;

const MAGIC: &[u8; 4] = b"CGFS";
const HEADER: usize = MAGIC.len() + 1 + 32;

/// What the record holds.
#[derive(Deserialize)]
struct Payload {
    document: String,
    /// The chunks the group was read from, sorted: (kind, name).
    keys: Vec<(String, String)>,
    group: Group,
}

/// The same, borrowed, for writing without copying the group (postcard
/// lays out a reference as the value itself).
#[derive(Serialize)]
struct PayloadRef<'a> {
    document: &'a str,
    keys: &'a [(String, String)],
    group: &'a Group,
}

/// Why a cached first screen is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unusable {
    /// Not a record of this format: damaged, truncated, or another version's.
    Unreadable,
    /// A record of another document.
    OtherDocument,
    /// The stored document changed since the record was written.
    Changed,
}

/// The record of `group`, read from the chunks `keys` of `document`.
pub fn encode(document: DocumentId, keys: &[ChunkKey], group: &Group) -> Vec<u8> {
    let document_text = document.to_string();
    let keys = names(document, keys);
    let payload = PayloadRef {
        document: &document_text,
        keys: &keys,
        group,
    };
    // Serialising plain data into a Vec cannot fail.
    let body = postcard::to_allocvec(&payload).unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.push(FORMAT);
    out.extend_from_slice(&Sha256::digest(&body));
    out.extend_from_slice(&body);
    out
}

/// The cached group of `document`, if the record is whole, of this format,
/// of this document, and its keys are exactly the `stored` chunk keys.
///
/// # Errors
/// Why it cannot be shown; never panics on any bytes.
pub fn shown(record: &[u8], document: DocumentId, stored: &[ChunkKey]) -> Result<Group, Unusable> {
    let payload = decode(record)?;
    if payload.document != document.to_string() {
        return Err(Unusable::OtherDocument);
    }
    if payload.keys.is_empty() || payload.keys != names(document, stored) {
        return Err(Unusable::Changed);
    }
    Ok(payload.group)
}

fn decode(record: &[u8]) -> Result<Payload, Unusable> {
    if record.len() < HEADER || &record[..4] != MAGIC || record[4] != FORMAT {
        return Err(Unusable::Unreadable);
    }
    let (sum, body) = record[5..].split_at(32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(Unusable::Unreadable);
    }
    match postcard::take_from_bytes::<Payload>(body) {
        Ok((payload, [])) => Ok(payload),
        _ => Err(Unusable::Unreadable),
    }
}

/// A document's chunk keys as a sorted, deduplicated list; keys of other
/// documents are left out (they cannot be this document's chunks).
fn names(document: DocumentId, keys: &[ChunkKey]) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = keys
        .iter()
        .filter(|key| key.document == document)
        .map(|key| (key.kind.as_str().to_owned(), key.name.clone()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A stored key, for tests and the shell: `kind` is "snapshot" or
/// "incremental".
pub fn chunk_key(document: DocumentId, kind: ChunkKind, name: &str) -> ChunkKey {
    ChunkKey {
        document,
        kind,
        name: name.to_owned(),
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::core::model::{
        AidCategory, AidKind, AidPost, AidStatus, Category, Condition, Hold, Loan, LogEntry,
        LogKind, MeetingEntry, Member, Plot, PlotStatus, ReadAt, Resource, SeedMove, Shift,
        ShiftKind, Site, Urgency, WaitlistEntry,
    };

    fn id() -> DocumentId {
        DocumentId::from_bytes([3; 16])
    }

    fn keys() -> Vec<ChunkKey> {
        vec![
            chunk_key(id(), ChunkKind::Snapshot, "aa01"),
            chunk_key(id(), ChunkKind::Incremental, "bb02"),
            chunk_key(id(), ChunkKind::Incremental, "cc03"),
        ]
    }

    fn one<T, C: FromIterator<(String, T)>>(key: &str, value: T) -> C {
        std::iter::once((key.to_owned(), value)).collect()
    }

    /// A group with one of every kind of entry, values away from defaults.
    #[expect(
        clippy::too_many_lines,
        reason = "one literal with every kind of entry"
    )]
    fn group() -> Group {
        Group {
            schema: 2,
            name: "Huerta Sur 🌱".to_owned(),
            created_at: 1_700_000_000_000,
            members: one(
                "m1",
                Member {
                    name: "Ana".to_owned(),
                    created_at: 5,
                    languages: "Spanish, English".to_owned(),
                    contact: "555".to_owned(),
                    coordinator: true,
                    point_person: true,
                },
            ),
            sites: one(
                "s1",
                Site {
                    name: "North".to_owned(),
                    created_at: 6,
                    rows: 4,
                    cols: 5,
                },
            ),
            plots: one(
                "p1",
                Plot {
                    site: "s1".to_owned(),
                    label: "A3".to_owned(),
                    size: "3 × 4 m".to_owned(),
                    status: PlotStatus::NeedsAttention,
                    holder: Some("m1".to_owned()),
                    created_at: 7,
                    holders: one("2026", vec!["m1".to_owned()]),
                    cells: "0,0 0,1".to_owned(),
                    notes: "tomatoes".to_owned(),
                    attention: "weeds".to_owned(),
                    first_notice: Some("2026-05-01".to_owned()),
                    final_notice: None,
                },
            ),
            meetings: one(
                "automerge:xyz",
                MeetingEntry {
                    title: "May".to_owned(),
                    created_at: 8,
                    date: "2026-05-02".to_owned(),
                },
            ),
            waitlist: one(
                "w1",
                WaitlistEntry {
                    site: "s1".to_owned(),
                    name: "Bo".to_owned(),
                    contact: "bo@x".to_owned(),
                    member: None,
                    priority: "high".to_owned(),
                    added_at: 9,
                },
            ),
            shifts: one(
                "sh1",
                Shift {
                    site: "s1".to_owned(),
                    kind: ShiftKind::ALL[ShiftKind::ALL.len() - 1],
                    title: "Compost".to_owned(),
                    date: "2026-05-03".to_owned(),
                    time: "10:00".to_owned(),
                    spots: 3,
                    signups: one("m1", 10),
                    minutes: one("m1", 90),
                    created_at: 11,
                },
            ),
            log: one(
                "l1",
                LogEntry {
                    site: "s1".to_owned(),
                    plot: Some("p1".to_owned()),
                    kind: LogKind::ALL[LogKind::ALL.len() - 1],
                    date: "2026-05-04".to_owned(),
                    crop: "kale".to_owned(),
                    quantity: 2.5,
                    unit: "kg".to_owned(),
                    note: "first".to_owned(),
                    by: Some("m1".to_owned()),
                    created_at: 12,
                },
            ),
            resources: one(
                "r1",
                Resource {
                    name: "Hoe".to_owned(),
                    category: Category::Seeds,
                    condition: Condition::NeedsRepair,
                    kept_at: "shed".to_owned(),
                    notes: "blue".to_owned(),
                    packets: -3,
                    created_at: 13,
                },
            ),
            loans: one(
                "lo1",
                Loan {
                    resource: "r1".to_owned(),
                    borrower: "m1".to_owned(),
                    out: "2026-05-05".to_owned(),
                    due: "2026-05-12".to_owned(),
                    renewals: 1,
                    returned: Some("2026-05-10".to_owned()),
                    created_at: 14,
                },
            ),
            holds: one(
                "h1",
                Hold {
                    resource: "r1".to_owned(),
                    member: "m1".to_owned(),
                    placed_at: 15,
                },
            ),
            seed_moves: one(
                "sm1",
                SeedMove {
                    resource: "r1".to_owned(),
                    member: None,
                    packets: 4,
                    date: "2026-05-06".to_owned(),
                    created_at: 16,
                },
            ),
            aid: one(
                "a1",
                AidPost {
                    kind: AidKind::Offer,
                    title: "Rides".to_owned(),
                    details: "Tuesdays".to_owned(),
                    category: AidCategory::Transport,
                    urgency: Urgency::Urgent,
                    area: "East".to_owned(),
                    status: AidStatus::Unknown,
                    by: Some("m1".to_owned()),
                    matched_with: None,
                    created_at: 17,
                    done_at: Some(18),
                },
            ),
            read_at: ReadAt(vec![
                automerge::ChangeHash([9; 32]),
                automerge::ChangeHash([1; 32]),
            ]),
            aid_expiry_days: 14,
        }
    }

    #[test]
    fn a_group_with_every_kind_of_entry_comes_back_whole() {
        let group = group();
        let record = encode(id(), &keys(), &group);
        // Stored keys are listed in any order.
        let mut stored = keys();
        stored.reverse();
        let back = shown(&record, id(), &stored).expect("shown");
        assert_eq!(back, group);
        // `ReadAt` compares equal whatever it holds: compare the heads.
        assert_eq!(back.read_at.0, group.read_at.0);
        assert_eq!(back.aid["a1"].status, AidStatus::Unknown);
    }

    #[test]
    fn a_changed_document_is_not_shown() {
        let record = encode(id(), &keys(), &group());
        // Another tab or a sync wrote a chunk since.
        let mut more = keys();
        more.push(chunk_key(id(), ChunkKind::Incremental, "dd04"));
        assert_eq!(shown(&record, id(), &more), Err(Unusable::Changed));
        // A compaction replaced the chunks.
        let compacted = [chunk_key(id(), ChunkKind::Snapshot, "ee05")];
        assert_eq!(shown(&record, id(), &compacted), Err(Unusable::Changed));
        // One chunk gone.
        assert_eq!(shown(&record, id(), &keys()[1..]), Err(Unusable::Changed));
        // Nothing stored (the group was removed).
        assert_eq!(shown(&record, id(), &[]), Err(Unusable::Changed));
        // Another document's record.
        let other = DocumentId::from_bytes([4; 16]);
        assert_eq!(shown(&record, other, &keys()), Err(Unusable::OtherDocument));
    }

    #[test]
    fn a_record_of_no_chunks_is_never_shown() {
        let record = encode(id(), &[], &group());
        assert_eq!(shown(&record, id(), &[]), Err(Unusable::Changed));
    }

    #[test]
    fn damaged_or_truncated_records_are_refused_without_panic() {
        let record = encode(id(), &keys(), &group());
        for len in 0..record.len() {
            assert_eq!(
                shown(&record[..len], id(), &keys()),
                Err(Unusable::Unreadable),
                "cut at {len}"
            );
        }
        for at in 0..record.len() {
            let mut damaged = record.clone();
            damaged[at] ^= 0x5a;
            assert!(shown(&damaged, id(), &keys()).is_err(), "byte {at} flipped");
        }
        let mut longer = record.clone();
        longer.push(0);
        assert_eq!(shown(&longer, id(), &keys()), Err(Unusable::Unreadable));
        assert_eq!(shown(b"", id(), &keys()), Err(Unusable::Unreadable));
        assert_eq!(
            shown(&[0xff; 100], id(), &keys()),
            Err(Unusable::Unreadable)
        );
    }

    #[test]
    fn another_format_is_refused() {
        let mut record = encode(id(), &keys(), &group());
        record[4] = FORMAT + 1;
        assert_eq!(shown(&record, id(), &keys()), Err(Unusable::Unreadable));
    }

    /// A well-formed body (checksum right) that is not a `Payload` is
    /// refused, never read as something else.
    #[test]
    fn garbage_with_a_right_checksum_is_refused() {
        for body in [&b""[..], b"\x01", &[0xff; 64], b"\x05hello"] {
            let mut record = MAGIC.to_vec();
            record.push(FORMAT);
            record.extend_from_slice(&Sha256::digest(body));
            record.extend_from_slice(body);
            assert_eq!(shown(&record, id(), &keys()), Err(Unusable::Unreadable));
        }
    }

    /// Postcard carries no field names: a model change read with an old
    /// layout would misread. When this fails, bump `FORMAT` and pin the new
    /// digest.
    #[test]
    fn layout_is_pinned() {
        let record = encode(id(), &keys(), &group());
        let digest = crate::core::repo::hex(&record[5..37]);
        assert_eq!(
            (FORMAT, digest.as_str()),
            (
                1,
                "3ece7e6d973530438e31fe91c1a74bf8cf2cbe6b7a64e3d7f71922a85d703c6b"
            ),
            "the cached first screen's layout changed: bump FORMAT and pin the new digest"
        );
    }
}
