//! Document ids and URLs as automerge-repo writes them:
//! `automerge:<bs58check of 16 random bytes>`.

use std::fmt;

use sha2::{Digest, Sha256};

const URL_PREFIX: &str = "automerge:";

/// The id of one automerge document: 16 bytes (a UUID) chosen by whoever
/// created the document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct DocumentId([u8; 16]);

/// Why a string is not a document id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentIdError {
    /// Not base58, or the checksum does not match.
    NotBase58Check,
    /// Decoded, but not 16 bytes long.
    WrongLength(usize),
}

impl DocumentId {
    /// Wraps 16 random bytes supplied by the shell.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// A new id from 16 random bytes, marked as a version 4 UUID the way
    /// automerge-repo makes them (`uuid.v4()`): sync servers built on older
    /// automerge-repo drop messages whose id is not a valid UUID.
    pub const fn new_random(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(bytes)
    }

    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:...` URL of this document.
    pub fn url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }

    /// Parses either a bare bs58check id or an `automerge:` URL.
    ///
    /// # Errors
    /// When the text is not a bs58check encoding of 16 bytes.
    pub fn parse(text: &str) -> Result<Self, DocumentIdError> {
        let encoded = text.trim();
        let encoded = encoded.strip_prefix(URL_PREFIX).unwrap_or(encoded);
        // automerge-repo URLs may carry heads after a '#'; the id is before it.
        let encoded = encoded.split('#').next().unwrap_or_default();
        let decoded = bs58::decode(encoded)
            .into_vec()
            .map_err(|_| DocumentIdError::NotBase58Check)?;
        let split = decoded
            .len()
            .checked_sub(4)
            .ok_or(DocumentIdError::NotBase58Check)?;
        let (bytes, check) = decoded.split_at(split);
        if check != checksum(bytes) {
            return Err(DocumentIdError::NotBase58Check);
        }
        let bytes: [u8; 16] = bytes
            .try_into()
            .map_err(|_| DocumentIdError::WrongLength(bytes.len()))?;
        Ok(Self(bytes))
    }
}

/// The bs58check checksum: the first four bytes of a double sha256.
fn checksum(payload: &[u8]) -> [u8; 4] {
    let hash = Sha256::digest(Sha256::digest(payload));
    [hash[0], hash[1], hash[2], hash[3]]
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut checked = self.0.to_vec();
        checked.extend_from_slice(&checksum(&self.0));
        f.write_str(&bs58::encode(checked).into_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_url() {
        let id = DocumentId::from_bytes([7; 16]);
        let url = id.url();
        assert!(url.starts_with("automerge:"));
        assert_eq!(DocumentId::parse(&url), Ok(id));
        assert_eq!(DocumentId::parse(&id.to_string()), Ok(id));
    }

    #[test]
    fn reads_a_url_made_by_automerge_repo() {
        // The "good URL" of automerge-repo's own AutomergeUrl tests.
        let id = DocumentId::parse("automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu").unwrap();
        assert_eq!(id.to_string(), "4NMNnkMhL8jXrdJ9jamS58PAVdXu");
    }

    #[test]
    fn new_ids_are_version_4_uuids() {
        for fill in [0x00, 0xff, 0x5a] {
            let id = DocumentId::new_random([fill; 16]);
            assert_eq!(id.as_bytes()[6] >> 4, 4, "version nibble");
            assert_eq!(id.as_bytes()[8] >> 6, 0b10, "RFC 4122 variant");
        }
    }

    #[test]
    fn refuses_a_typo() {
        assert_eq!(
            DocumentId::parse("automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXv"),
            Err(DocumentIdError::NotBase58Check)
        );
        assert_eq!(
            DocumentId::parse("not an id!"),
            Err(DocumentIdError::NotBase58Check)
        );
        let mut short = vec![1u8; 8];
        short.extend_from_slice(&checksum(&short));
        let short = bs58::encode(short).into_string();
        assert_eq!(
            DocumentId::parse(&short),
            Err(DocumentIdError::WrongLength(8))
        );
    }
}
