//! The save ledger: which edits storage holds, per document, so that
//! "Saved on this phone" is said only when it is true.
//!
//! Every edit in memory (the member's own, a peer's, a merged file) is
//! counted with [`SaveLedger::changed`]. A write takes a [`Ticket`] covering
//! every edit counted so far ([`SaveLedger::begin`], called right before the
//! write's bytes are planned); when the write's transaction completes, the
//! ticket's edits are durable. A thing is saved when every edit counted is
//! durable; an edit made while a write is in flight is not covered by it and
//! waits for the next write. A failure is kept on that thing alone, retried
//! after [`retry_wait_ms`], and cleared only by that thing's own success.
//!
//! The keys are whatever the shell saves: documents, and the device records
//! that say which groups this phone holds.

use std::collections::BTreeMap;

/// The longest wait between two tries of a failed save.
pub const MAX_RETRY_MS: u64 = 30_000;

/// How long to wait before trying a failed save again, after `failures`
/// failures in a row: 1 s, 2 s, 4 s, … up to 30 s.
pub fn retry_wait_ms(failures: u32) -> u64 {
    let doubled = 1000u64.saturating_mul(1u64 << failures.saturating_sub(1).min(16));
    doubled.min(MAX_RETRY_MS)
}

/// Whether the browser's explanation of a failed write means the disk (or
/// the site's share of it) is full.
pub fn is_disk_full(error: &str) -> bool {
    let error = error.to_ascii_lowercase();
    error.contains("quota") || error.contains("disk full") || error.contains("no space")
}

/// A write in flight: it covers every edit counted before it began.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket<K> {
    pub key: K,
    covers: u64,
}

/// Where one thing's saving stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Every edit is in storage.
    Saved,
    /// A write is in flight or about to start.
    Saving,
    /// The last write failed; the edits are in memory only and a retry is due.
    Failed { error: String, failures: u32 },
}

#[derive(Clone, Debug, Default)]
struct Entry {
    /// Edits counted so far.
    edits: u64,
    /// Edits a completed write holds.
    durable: u64,
    /// The edits the write in flight covers.
    in_flight: Option<u64>,
    error: Option<String>,
    failures: u32,
}

/// Every thing's saving, by key.
#[derive(Clone, Debug)]
pub struct SaveLedger<K> {
    entries: BTreeMap<K, Entry>,
}

impl<K> Default for SaveLedger<K> {
    fn default() -> Self {
        Self {
            entries: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> SaveLedger<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Something changed in memory that storage must get.
    pub fn changed(&mut self, key: &K) {
        self.entries.entry(key.clone()).or_default().edits += 1;
    }

    /// Starts a write of everything counted so far; `None` while another
    /// write of the same thing is in flight (it is started again when that
    /// one ends) or when there is nothing new.
    pub fn begin(&mut self, key: &K) -> Option<Ticket<K>> {
        let entry = self.entries.get_mut(key)?;
        if entry.in_flight.is_some() || entry.durable >= entry.edits {
            return None;
        }
        entry.in_flight = Some(entry.edits);
        Some(Ticket {
            key: key.clone(),
            covers: entry.edits,
        })
    }

    /// The write's transaction completed. Returns true when edits came in
    /// meanwhile, so another write must begin.
    pub fn succeeded(&mut self, ticket: &Ticket<K>) -> bool {
        let Some(entry) = self.entries.get_mut(&ticket.key) else {
            return false;
        };
        entry.in_flight = None;
        entry.durable = entry.durable.max(ticket.covers);
        entry.error = None;
        entry.failures = 0;
        entry.durable < entry.edits
    }

    /// The write failed: its edits are in memory only. Returns how long to
    /// wait before trying again.
    pub fn failed(&mut self, ticket: &Ticket<K>, error: String) -> u64 {
        let Some(entry) = self.entries.get_mut(&ticket.key) else {
            return retry_wait_ms(1);
        };
        entry.in_flight = None;
        entry.error = Some(error);
        entry.failures += 1;
        retry_wait_ms(entry.failures)
    }

    /// Where one thing's saving stands.
    pub fn state(&self, key: &K) -> SaveState {
        match self.entries.get(key) {
            None => SaveState::Saved,
            Some(entry) => match &entry.error {
                Some(error) if entry.durable < entry.edits => SaveState::Failed {
                    error: error.clone(),
                    failures: entry.failures,
                },
                _ if entry.durable < entry.edits => SaveState::Saving,
                _ => SaveState::Saved,
            },
        }
    }

    /// True when everything counted is in storage.
    pub fn all_saved(&self) -> bool {
        self.entries.values().all(|e| e.durable >= e.edits)
    }

    /// The things with edits storage does not hold, and where each stands.
    pub fn unsaved(&self) -> Vec<(K, SaveState)> {
        self.entries
            .iter()
            .filter(|(_, e)| e.durable < e.edits)
            .map(|(key, _)| (key.clone(), self.state(key)))
            .collect()
    }

    /// Forgets a thing (removed from this phone).
    pub fn forget(&mut self, key: &K) {
        self.entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_during_a_write_waits_for_the_next_write() {
        let mut ledger = SaveLedger::new();
        ledger.changed(&"plot");
        let first = ledger.begin(&"plot").unwrap();
        assert_eq!(ledger.state(&"plot"), SaveState::Saving);
        // The member types again while the first write is in flight.
        ledger.changed(&"plot");
        assert_eq!(
            ledger.begin(&"plot"),
            None,
            "saves of one thing never overlap"
        );
        assert!(ledger.succeeded(&first), "the second edit needs a write");
        assert_eq!(
            ledger.state(&"plot"),
            SaveState::Saving,
            "the first write does not cover the second edit"
        );
        assert!(!ledger.all_saved());
        let second = ledger.begin(&"plot").unwrap();
        assert!(!ledger.succeeded(&second));
        assert_eq!(ledger.state(&"plot"), SaveState::Saved);
        assert!(ledger.all_saved());
    }

    #[test]
    fn one_failure_is_not_cleared_by_another_things_success() {
        let mut ledger = SaveLedger::new();
        ledger.changed(&"garden");
        ledger.changed(&"meeting");
        let garden = ledger.begin(&"garden").unwrap();
        let meeting = ledger.begin(&"meeting").unwrap();
        ledger.failed(&garden, "QuotaExceededError".into());
        ledger.succeeded(&meeting);
        assert_eq!(
            ledger.state(&"garden"),
            SaveState::Failed {
                error: "QuotaExceededError".into(),
                failures: 1
            }
        );
        assert_eq!(ledger.state(&"meeting"), SaveState::Saved);
        assert_eq!(ledger.unsaved().len(), 1);
        // The retry goes through: only now is the garden saved.
        let retry = ledger.begin(&"garden").unwrap();
        ledger.succeeded(&retry);
        assert!(ledger.all_saved());
    }

    #[test]
    fn a_failed_write_leaves_its_edits_unsaved_until_retried() {
        let mut ledger = SaveLedger::new();
        ledger.changed(&1);
        let ticket = ledger.begin(&1).unwrap();
        ledger.changed(&1);
        ledger.failed(&ticket, "disk".into());
        assert!(matches!(ledger.state(&1), SaveState::Failed { .. }));
        // The retry covers both edits.
        let retry = ledger.begin(&1).unwrap();
        assert!(!ledger.succeeded(&retry));
        assert_eq!(ledger.state(&1), SaveState::Saved);
    }

    #[test]
    fn peer_edits_count_like_the_members_own() {
        let mut ledger = SaveLedger::new();
        ledger.changed(&"notes"); // another phone's words arrived
        let peer = ledger.begin(&"notes").unwrap();
        ledger.changed(&"notes"); // the member types
        ledger.succeeded(&peer);
        assert_eq!(ledger.state(&"notes"), SaveState::Saving);
    }

    #[test]
    fn retries_wait_longer_up_to_thirty_seconds() {
        let waits: Vec<u64> = (1..=8).map(retry_wait_ms).collect();
        assert_eq!(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert_eq!(retry_wait_ms(200), MAX_RETRY_MS);
    }

    #[test]
    fn nothing_counted_is_saved() {
        let mut ledger = SaveLedger::<u8>::new();
        assert_eq!(ledger.state(&3), SaveState::Saved);
        assert_eq!(ledger.begin(&3), None);
        assert!(ledger.all_saved());
    }

    #[test]
    fn the_browsers_quota_error_is_a_full_disk() {
        assert!(is_disk_full(
            "QuotaExceededError: The quota has been exceeded."
        ));
        assert!(!is_disk_full("InvalidStateError"));
    }
}
