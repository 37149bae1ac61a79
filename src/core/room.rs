//! The phones of a meeting room as this phone knows them.
//!
//! Phones at a meeting pair as a tree: any phone that is in lets the next
//! one in. Each phone with a link open says every [`BEACON_EVERY_MS`] who
//! it is and a digest of what it holds of the group (the group document
//! and every meeting, by their heads), as `ephemeral` data on the group
//! document; the sync engine relays it across every hop once. From what it
//! hears, a phone knows how many phones are in the room, whether every one
//! of them holds exactly what it holds, and whether a phone it is about to
//! pair with is already in the room through another link (which would make
//! a loop, so that link is closed).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use automerge::ChangeHash;
use minicbor::Encoder;
use sha2::{Digest, Sha256};

use crate::core::repo::DocumentId;
use crate::core::repo::message::PeerId;

/// How often a phone with a link open says it is here.
pub const BEACON_EVERY_MS: i64 = 2_000;
/// A phone not heard from for this long has left the room.
pub const HEARD_FOR_MS: i64 = 7_000;
/// A phone heard this recently is in the room for the loop check: a beacon
/// and a second to spare. A phone cut off by one leaving in the middle is
/// no longer heard after that, so pairing with it again a moment later
/// (scanning takes longer) is not taken for a loop.
pub const IN_ROOM_MS: i64 = BEACON_EVERY_MS + 1_500;
/// Phones remembered, whatever peers send: a meeting's worth and more.
pub const MAX_PHONES: usize = 64;
/// Names longer than this are cut.
const NAME_CHARS: usize = 80;

/// What a phone holds of a group, in 16 hex digits: equal digests, equal
/// documents.
pub type Holding = String;

/// The digest of a group's documents by their heads (order does not matter).
pub fn holding(documents: &[(DocumentId, Vec<ChangeHash>)]) -> Holding {
    let mut sorted: Vec<(DocumentId, Vec<ChangeHash>)> = documents.to_vec();
    sorted.sort();
    let mut hash = Sha256::new();
    for (id, mut heads) in sorted {
        heads.sort_unstable();
        hash.update(id.to_string().as_bytes());
        hash.update((heads.len() as u64).to_be_bytes());
        for head in heads {
            hash.update(head.0);
        }
    }
    let mut hex = String::with_capacity(16);
    for byte in &hash.finalize()[..8] {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// What a phone says: `{ "room": holding, "phone": name, "cuts": n }`.
/// There is no `name` field, so it is never taken for a meeting's
/// presence. `cuts` counts the links this phone has seen close: when it
/// changes, the room has split somewhere, and who is still in is heard
/// afresh (see [`Room::hear`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beacon {
    pub holding: Holding,
    pub name: String,
    pub cuts: u32,
}

impl Beacon {
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        let _ = e
            .map(3)
            .and_then(|e| e.str("room"))
            .and_then(|e| e.str(&self.holding))
            .and_then(|e| e.str("phone"))
            .and_then(|e| e.str(&self.name))
            .and_then(|e| e.str("cuts"))
            .and_then(|e| e.str(&self.cuts.to_string()));
        e.into_writer()
    }

    /// Reads a beacon; `None` for anything else (presence, garbage).
    pub fn decode(data: &[u8]) -> Option<Self> {
        let mut d = minicbor::Decoder::new(data);
        let fields = d.map().ok()??;
        let (mut holding, mut name, mut cuts) = (None, None, 0);
        for _ in 0..fields.min(8) {
            let key = d.str().ok()?;
            let value = d.str().ok()?;
            match key {
                "room" => holding = Some(value),
                "phone" => name = Some(value),
                "cuts" => cuts = value.parse().unwrap_or_default(),
                _ => {}
            }
        }
        let holding =
            holding.filter(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
        Some(Self {
            holding: holding.to_owned(),
            name: name.unwrap_or_default().chars().take(NAME_CHARS).collect(),
            cuts,
        })
    }
}

/// A phone heard in the room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heard {
    pub name: String,
    pub holding: Holding,
    pub at: i64,
    cuts: u32,
}

/// The phones heard lately, bounded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Room {
    heard: BTreeMap<PeerId, Heard>,
}

impl Room {
    /// A beacon arrived from `peer` (its author, however many hops away).
    /// If that phone has seen a link close since it was last heard, the
    /// room split somewhere: phones on the far side are no longer in it,
    /// so everyone else is forgotten and heard again within a beacon
    /// (pairing again with one of them at once is then no loop).
    pub fn hear(&mut self, peer: &str, beacon: Beacon, now: i64) {
        self.heard.retain(|_, h| now - h.at < HEARD_FOR_MS);
        if self.heard.get(peer).is_some_and(|h| h.cuts != beacon.cuts) {
            self.heard.retain(|other, _| other == peer);
        }
        if self.heard.len() >= MAX_PHONES && !self.heard.contains_key(peer) {
            return;
        }
        self.heard.insert(
            peer.to_owned(),
            Heard {
                name: beacon.name,
                holding: beacon.holding,
                at: now,
                cuts: beacon.cuts,
            },
        );
    }

    /// A link closed: who is still reachable is heard again within
    /// [`BEACON_EVERY_MS`], and nobody is counted who is not.
    pub fn forget_all(&mut self) {
        self.heard.clear();
    }

    /// The phones heard lately, by peer id.
    pub fn phones(&self, now: i64) -> impl Iterator<Item = (&PeerId, &Heard)> {
        self.heard
            .iter()
            .filter(move |(_, h)| now - h.at < HEARD_FOR_MS)
    }

    pub fn count(&self, now: i64) -> usize {
        self.phones(now).count()
    }

    /// The phones heard within [`IN_ROOM_MS`]: a new link to one of them
    /// is a loop.
    pub fn in_room(&self, now: i64) -> impl Iterator<Item = &PeerId> {
        self.heard
            .iter()
            .filter(move |(_, h)| now - h.at < IN_ROOM_MS)
            .map(|(peer, _)| peer)
    }

    /// Whether every phone heard holds exactly what this phone holds.
    pub fn up_to_date_with(&self, mine: &str, now: i64) -> bool {
        self.phones(now).all(|(_, h)| h.holding == mine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beacon(holding: &str) -> Beacon {
        Beacon {
            holding: holding.to_owned(),
            name: "Ana".to_owned(),
            cuts: 0,
        }
    }

    #[test]
    fn a_beacon_reads_back_and_presence_is_not_one() {
        let said = beacon("0123456789abcdef");
        assert_eq!(Beacon::decode(&said.encode()), Some(said));
        let presence = crate::core::repo::message::encode_presence("Ana", None);
        assert_eq!(Beacon::decode(&presence), None);
        assert_eq!(
            crate::core::repo::message::decode_presence(&beacon("0123456789abcdef").encode()),
            None
        );
        assert_eq!(Beacon::decode(&beacon("not hex at all!!").encode()), None);
        assert_eq!(Beacon::decode(&[0xff, 0x00]), None);
    }

    #[test]
    fn holding_is_the_same_for_the_same_heads_in_any_order() {
        let (a, b) = (
            DocumentId::from_bytes([1; 16]),
            DocumentId::from_bytes([2; 16]),
        );
        let (h1, h2) = (ChangeHash([1; 32]), ChangeHash([2; 32]));
        let one = holding(&[(a, vec![h1, h2]), (b, vec![h1])]);
        let other = holding(&[(b, vec![h1]), (a, vec![h2, h1])]);
        assert_eq!(one, other);
        assert_ne!(one, holding(&[(a, vec![h1]), (b, vec![h1])]));
        assert_eq!(one.len(), 16);
    }

    #[test]
    fn the_room_counts_phones_heard_lately_and_stays_bounded() {
        let mut room = Room::default();
        room.hear("ben", beacon("aaaaaaaaaaaaaaaa"), 0);
        room.hear("chen", beacon("aaaaaaaaaaaaaaaa"), 1_000);
        assert_eq!(room.count(1_000), 2);
        assert!(room.up_to_date_with("aaaaaaaaaaaaaaaa", 1_000));
        room.hear("chen", beacon("bbbbbbbbbbbbbbbb"), 2_000);
        assert!(!room.up_to_date_with("aaaaaaaaaaaaaaaa", 2_000));
        assert_eq!(room.in_room(2_000).collect::<Vec<_>>(), ["ben", "chen"]);
        assert_eq!(room.in_room(IN_ROOM_MS + 1).collect::<Vec<_>>(), ["chen"]);
        assert_eq!(room.count(HEARD_FOR_MS + 1), 1);
        for n in 0..1_000 {
            room.hear(&format!("flood-{n}"), beacon("aaaaaaaaaaaaaaaa"), 3_000);
        }
        assert_eq!(room.count(3_000), MAX_PHONES);
        room.forget_all();
        assert_eq!(room.count(3_000), 0);
    }

    #[test]
    fn a_phone_that_saw_a_link_close_makes_the_room_hear_itself_again() {
        let mut room = Room::default();
        room.hear("ben", beacon("aaaaaaaaaaaaaaaa"), 0);
        room.hear("dara", beacon("aaaaaaaaaaaaaaaa"), 0);
        room.hear("eli", beacon("aaaaaaaaaaaaaaaa"), 0);
        // Ben's link to Dara closed: Dara and Eli were below it.
        let cut = Beacon {
            cuts: 1,
            ..beacon("aaaaaaaaaaaaaaaa")
        };
        assert_eq!(Beacon::decode(&cut.encode()), Some(cut.clone()));
        room.hear("ben", cut, 500);
        assert_eq!(room.in_room(500).collect::<Vec<_>>(), ["ben"]);
        // The same count again changes nothing.
        room.hear("chen", beacon("aaaaaaaaaaaaaaaa"), 600);
        room.hear(
            "ben",
            Beacon {
                cuts: 1,
                ..beacon("aaaaaaaaaaaaaaaa")
            },
            700,
        );
        assert_eq!(room.in_room(700).collect::<Vec<_>>(), ["ben", "chen"]);
    }
}
