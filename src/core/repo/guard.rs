//! Checks automerge bytes from outside — a peer's sync message, an updates
//! file, a stored chunk — before automerge reads them.
//!
//! Release builds abort on panic, and a failed allocation aborts too, so
//! whatever automerge 0.12 cannot survive must be refused here first. The
//! defects this guards against are upstream (see docs/protocol.md):
//!
//! - a bloom filter with entries but no bits divides by zero when the reply
//!   is generated (`sync/bloom.rs`, "remainder with a divisor of zero"); a
//!   huge probe count allocates gigabytes;
//! - DEFLATE-compressed chunks and columns are inflated with no limit (a
//!   400 KB message can ask for a gigabyte);
//! - counts of heads, needs and haves are unbounded, and each `have` is
//!   checked against every change of the document;
//! - run-length-encoded columns can claim any number of rows in a few bytes
//!   (a 64-byte change claiming a million ops takes 400 MB and seconds), and
//!   a list count (a change's deps, an op's preds) is reserved up front.
//!
//! Nothing here allocates in proportion to what the bytes claim: inflating
//! only counts, or keeps what the budget allows; rows are counted from the
//! run headers without expanding a run.

use std::io::Read;

/// The most a message, a file's document or a stored chunk may inflate to.
pub const MAX_INFLATED_BYTES: usize = 64 * 1024 * 1024;
/// Heads or needs in one sync message: a document has as many heads as
/// members who edited at once, far below this.
pub const MAX_HASHES: usize = 4_096;
/// automerge sends one `have`; each costs a pass over the whole document.
pub const MAX_HAVES: usize = 4;
/// automerge uses 7 probes and 10 bits per entry.
pub const MAX_PROBES: u32 = 32;
pub const MAX_BITS_PER_ENTRY: u32 = 64;
/// Columns of one chunk: automerge writes about twenty.
pub const MAX_COLUMNS: u64 = 256;
/// Rows one message, file or stored chunk may claim: ops, changes and list
/// entries (deps, preds, succs). automerge's work on a message is linear in
/// these, at about 4 µs and up to 400 bytes a row natively, so this bounds a
/// message to seconds and under a gigabyte even when every row is made up.
/// A group with years of meeting notes has a few hundred thousand ops.
pub const MAX_ROWS: u64 = 1 << 21;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const SYNC_V1: u8 = 0x42;
const SYNC_V2: u8 = 0x43;
/// The bit of a column spec that marks it DEFLATE-compressed.
const DEFLATE_BIT: u64 = 0b1000;

/// Why bytes were refused before automerge saw them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Cut short, or a length longer than what follows.
    Truncated,
    /// Not a sync message or not automerge chunks.
    NotAutomerge,
    /// A bloom filter automerge would crash on.
    BadBloom,
    /// More heads, needs, haves or columns than any real peer sends.
    TooMany,
    /// Compressed data that inflates past [`MAX_INFLATED_BYTES`] or is not DEFLATE.
    Bomb,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Truncated => "truncated",
            Self::NotAutomerge => "not automerge data",
            Self::BadBloom => "invalid bloom filter",
            Self::TooMany => "too many entries",
            Self::Bomb => "compressed data too large",
        })
    }
}

/// Inflated bytes and rows left for one message or document.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    inflated: usize,
    rows: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            inflated: MAX_INFLATED_BYTES,
            rows: MAX_ROWS,
        }
    }
}

impl Budget {
    /// Rows claimed so far: the work automerge will do on what passed.
    pub const fn rows_used(&self) -> u64 {
        MAX_ROWS - self.rows
    }

    fn charge_rows(&mut self, rows: u64) -> Result<(), Refused> {
        self.rows = self.rows.checked_sub(rows).ok_or(Refused::TooMany)?;
        Ok(())
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], Refused> {
        let n = usize::try_from(n).map_err(|_| Refused::Truncated)?;
        let (head, tail) = self.bytes.split_at_checked(n).ok_or(Refused::Truncated)?;
        self.bytes = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, Refused> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 number of at most 64 bits.
    fn uleb(&mut self) -> Result<u64, Refused> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(Refused::NotAutomerge);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Refused::NotAutomerge)
    }

    fn uleb_u32(&mut self) -> Result<u32, Refused> {
        u32::try_from(self.uleb()?).map_err(|_| Refused::NotAutomerge)
    }

    /// A count of items at least `size` bytes each, checked against what is left.
    fn count(&mut self, size: u64, max: usize) -> Result<u64, Refused> {
        let count = self.uleb()?;
        if count > max as u64 {
            return Err(Refused::TooMany);
        }
        if count.saturating_mul(size) > self.bytes.len() as u64 {
            return Err(Refused::Truncated);
        }
        Ok(count)
    }

    fn hashes(&mut self) -> Result<(), Refused> {
        let count = self.count(32, MAX_HASHES)?;
        self.take(count * 32).map(|_| ())
    }

    fn prefixed(&mut self) -> Result<&'a [u8], Refused> {
        let len = self.uleb()?;
        self.take(len)
    }
}

/// Checks an automerge sync message (`sync::Message::decode`'s input).
///
/// # Errors
/// When automerge would crash, allocate without bound, or spend unbounded
/// time on it; or when it is not a sync message at all.
pub fn check_sync_message(bytes: &[u8]) -> Result<(), Refused> {
    check_sync_message_within(bytes, &mut Budget::default())
}

/// Like [`check_sync_message`], drawing on `budget` (which then says how
/// many rows the message claims).
///
/// # Errors
/// As [`check_sync_message`].
pub fn check_sync_message_within(bytes: &[u8], budget: &mut Budget) -> Result<(), Refused> {
    let mut r = Reader::new(bytes);
    if !matches!(r.byte()?, SYNC_V1 | SYNC_V2) {
        return Err(Refused::NotAutomerge);
    }
    r.hashes()?; // heads
    r.hashes()?; // need
    let haves = r.count(2, MAX_HAVES)?;
    for _ in 0..haves {
        r.hashes()?; // last sync
        check_bloom(r.prefixed()?)?;
    }
    let changes = r.count(1, usize::MAX)?;
    for _ in 0..changes {
        check_chunks_within(r.prefixed()?, budget)?;
    }
    // The flags section, and anything after it, automerge reads leniently.
    Ok(())
}

/// A bloom filter as `sync/bloom.rs` parses it: empty, or entries, bits
/// per entry, probes and the bits.
fn check_bloom(bytes: &[u8]) -> Result<(), Refused> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut r = Reader::new(bytes);
    let entries = r.uleb_u32()?;
    let bits_per_entry = r.uleb_u32()?;
    let probes = r.uleb_u32()?;
    if entries == 0 {
        // automerge never probes an empty filter.
        return Ok(());
    }
    if bits_per_entry == 0
        || bits_per_entry > MAX_BITS_PER_ENTRY
        || probes == 0
        || probes > MAX_PROBES
    {
        return Err(Refused::BadBloom);
    }
    let bits = (u64::from(entries) * u64::from(bits_per_entry)).div_ceil(8);
    // automerge takes the modulus over 8 × the bytes as a u32.
    if bits == 0 || bits >= 1 << 29 {
        return Err(Refused::BadBloom);
    }
    r.take(bits).map(|_| ())
}

/// Checks concatenated automerge chunks (a save, an incremental save, the
/// changes of a sync message) against a fresh [`Budget`].
///
/// # Errors
/// When a chunk is cut short, is not a chunk, or inflates too far.
pub fn check_chunks(bytes: &[u8]) -> Result<(), Refused> {
    check_chunks_within(bytes, &mut Budget::default())
}

/// Like [`check_chunks`], drawing on a budget shared with other chunks.
///
/// # Errors
/// As [`check_chunks`].
pub fn check_chunks_within(bytes: &[u8], budget: &mut Budget) -> Result<(), Refused> {
    let mut r = Reader::new(bytes);
    while !r.is_empty() {
        if r.take(4)? != MAGIC {
            return Err(Refused::NotAutomerge);
        }
        let checksum = r.take(4)?;
        let kind = r.byte()?;
        let body = r.prefixed()?;
        // automerge skips a chunk whose checksum is wrong without a word;
        // a peer that sends one is refused instead. (A compressed chunk's
        // checksum is over the inflated change, which is not kept here.)
        if kind != 2 && checksum != &chunk_hash(kind, body)[..4] {
            return Err(Refused::NotAutomerge);
        }
        // Every chunk is at least a row of work (its hash, its place in
        // the change graph), however little it holds.
        budget.charge_rows(1)?;
        match kind {
            0 => check_document(body, budget)?,
            // A change's columns are never compressed.
            1 => check_change(body, budget)?,
            2 => check_change(&inflate_kept(body, budget)?, budget)?,
            3 => check_bundle(body, budget)?,
            _ => return Err(Refused::NotAutomerge),
        }
    }
    Ok(())
}

/// The hash automerge gives a chunk: SHA-256 of its type, length and body.
fn chunk_hash(kind: u8, body: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut length = Vec::with_capacity(10);
    uleb(&mut length, body.len() as u64);
    let mut hasher = Sha256::new();
    hasher.update([kind]);
    hasher.update(&length);
    hasher.update(body);
    hasher.finalize().into()
}

/// Writes an unsigned LEB128 number, as automerge writes lengths.
fn uleb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A document chunk: actors, heads, change and op column metadata, then
/// the column data; compressed columns are inflated against the budget.
fn check_document(body: &[u8], budget: &mut Budget) -> Result<(), Refused> {
    let mut r = Reader::new(body);
    let actors = r.count(1, usize::MAX)?;
    for _ in 0..actors {
        r.prefixed()?;
    }
    r.hashes()?;
    let changes = columns(&mut r)?;
    let ops = columns(&mut r)?;
    check_columns(&mut r, &changes, budget)?;
    check_columns(&mut r, &ops, budget)
}

/// A change chunk's body (also what a compressed change inflates to):
/// deps, actor, seq, start op, time, message, other actors, op columns.
fn check_change(body: &[u8], budget: &mut Budget) -> Result<(), Refused> {
    let mut r = Reader::new(body);
    let deps = r.count(32, usize::MAX)?;
    r.take(deps * 32)?;
    r.prefixed()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.uleb()?; // time (signed; skipped the same way)
    r.prefixed()?; // message
    let actors = r.count(1, usize::MAX)?;
    for _ in 0..actors {
        r.prefixed()?;
    }
    let ops = columns(&mut r)?;
    check_columns(&mut r, &ops, budget)
}

/// A bundle chunk (automerge 0.12): deps, actors, change columns and
/// their data, op columns and their data.
fn check_bundle(body: &[u8], budget: &mut Budget) -> Result<(), Refused> {
    let mut r = Reader::new(body);
    r.hashes()?;
    let actors = r.count(1, usize::MAX)?;
    for _ in 0..actors {
        r.prefixed()?;
    }
    let changes = columns(&mut r)?;
    check_columns(&mut r, &changes, budget)?;
    let ops = columns(&mut r)?;
    check_columns(&mut r, &ops, budget)
}

/// Column metadata: (spec, length) pairs.
fn columns(r: &mut Reader<'_>) -> Result<Vec<(u64, u64)>, Refused> {
    let count = r.uleb()?;
    if count > MAX_COLUMNS {
        return Err(Refused::TooMany);
    }
    (0..count).map(|_| Ok((r.uleb()?, r.uleb()?))).collect()
}

/// The columns of one group (a chunk's changes or its ops): compressed
/// ones inflated against the budget, and the rows each claims charged to
/// it. The rows of a group are its longest column (automerge reads as many
/// ops as the action column has), plus every list count (deps, preds).
fn check_columns(
    r: &mut Reader<'_>,
    columns: &[(u64, u64)],
    budget: &mut Budget,
) -> Result<(), Refused> {
    let mut longest = 0;
    let mut listed = 0u64;
    for (spec, len) in columns {
        let data = r.take(*len)?;
        let inflated;
        let data = if spec & DEFLATE_BIT == 0 {
            data
        } else {
            inflated = inflate_kept(data, budget)?;
            &inflated
        };
        let rows = column_rows(*spec, data)?;
        longest = longest.max(rows.rows);
        listed = listed.saturating_add(rows.listed);
        // Checked as it goes, so a later column cannot overflow the sum.
        if longest.saturating_add(listed) > budget.rows {
            return Err(Refused::TooMany);
        }
    }
    budget.charge_rows(longest.saturating_add(listed))
}

/// What one column claims: its rows and, for a group column (the length of
/// each row's list), the entries of all its lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ColumnRows {
    rows: u64,
    listed: u64,
}

/// Column types, the low three bits of a column spec (automerge's
/// `storage/columns/column_specification.rs`).
const GROUP: u64 = 0;
const DELTA: u64 = 3;
const BOOLEAN: u64 = 4;
const STRING: u64 = 5;
const VALUE: u64 = 7;

/// Counts the rows a column's bytes claim without expanding a run: RLE
/// columns are runs (`n > 0`: one value n times), literals (`n < 0`: -n
/// values) and null runs (`0` then a count); boolean columns alternate
/// counts of false and true; raw value bytes have no rows of their own.
fn column_rows(spec: u64, data: &[u8]) -> Result<ColumnRows, Refused> {
    let kind = spec & 0b111;
    let mut r = Reader::new(data);
    let mut out = ColumnRows::default();
    let add = |out: &mut ColumnRows, rows: u64, listed: u64| {
        out.rows = out.rows.saturating_add(rows);
        out.listed = out.listed.saturating_add(listed);
    };
    match kind {
        VALUE => {}
        BOOLEAN => {
            while !r.is_empty() {
                let rows = r.uleb()?;
                add(&mut out, rows, 0);
            }
        }
        _ => {
            // One value; what it adds to the lists (a group column's count).
            let value = |r: &mut Reader<'_>| -> Result<u64, Refused> {
                match kind {
                    STRING => r.prefixed().map(|_| 0),
                    // Signed, but the same seven-bit groups to skip.
                    DELTA => r.uleb().map(|_| 0),
                    GROUP => r.uleb(),
                    _ => r.uleb().map(|_| 0),
                }
            };
            while !r.is_empty() {
                let count = sleb(&mut r)?;
                match count.cmp(&0) {
                    std::cmp::Ordering::Greater => {
                        let rows = count.unsigned_abs();
                        let listed = value(&mut r)?.saturating_mul(rows);
                        add(&mut out, rows, listed);
                    }
                    std::cmp::Ordering::Less => {
                        // Each value is read, so this is bounded by the bytes.
                        for _ in 0..count.unsigned_abs() {
                            let listed = value(&mut r)?;
                            add(&mut out, 1, listed);
                        }
                    }
                    std::cmp::Ordering::Equal => {
                        let rows = r.uleb()?;
                        add(&mut out, rows, 0);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A signed LEB128 number of at most 64 bits.
fn sleb(r: &mut Reader<'_>) -> Result<i64, Refused> {
    let mut value = 0i64;
    for shift in (0..64).step_by(7) {
        let byte = r.byte()?;
        value |= i64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            if shift < 57 && byte & 0x40 != 0 {
                value |= -1 << (shift + 7);
            }
            return Ok(value);
        }
    }
    Err(Refused::NotAutomerge)
}

/// Inflates raw DEFLATE, keeping the bytes (automerge will hold them all
/// anyway), and stops at the budget.
fn inflate_kept(data: &[u8], budget: &mut Budget) -> Result<Vec<u8>, Refused> {
    let mut decoder = flate2::bufread::DeflateDecoder::new(data);
    let mut out = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = decoder.read(&mut buffer).map_err(|_| Refused::Bomb)?;
        if read == 0 {
            return Ok(out);
        }
        budget.inflated = budget.inflated.checked_sub(read).ok_or(Refused::Bomb)?;
        out.extend_from_slice(&buffer[..read]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_with_bloom(bloom: &[u8]) -> Vec<u8> {
        let mut m = vec![SYNC_V1, 0, 0, 1, 0];
        uleb(&mut m, bloom.len() as u64);
        m.extend_from_slice(bloom);
        m.push(0);
        m
    }

    #[test]
    fn blooms_automerge_would_crash_on_are_refused() {
        for bloom in [[1, 0, 7], [1, 10, 0], [1, 10, 200]] {
            let mut bytes = bloom.to_vec();
            bytes.extend([0; 2]);
            assert_eq!(
                check_sync_message(&message_with_bloom(&bytes)),
                Err(Refused::BadBloom),
                "{bloom:?}"
            );
        }
        // What automerge itself writes passes.
        assert_eq!(
            check_sync_message(&message_with_bloom(&[1, 10, 7, 0, 0])),
            Ok(())
        );
        assert_eq!(check_sync_message(&message_with_bloom(&[])), Ok(()));
    }

    #[test]
    fn a_real_sync_message_passes() {
        use automerge::sync::SyncDoc;
        use automerge::transaction::Transactable;
        let mut doc = automerge::AutoCommit::new();
        for i in 0..300 {
            doc.put(automerge::ROOT, format!("k{i}"), "x".repeat(40))
                .expect("put");
        }
        let mut state = automerge::sync::State::new();
        let message = doc
            .sync()
            .generate_sync_message(&mut state)
            .expect("a message");
        assert_eq!(check_sync_message(&message.encode()), Ok(()));
        assert_eq!(check_chunks(&doc.save()), Ok(()));
        assert_eq!(check_chunks(&doc.save_nocompress()), Ok(()));
    }

    #[test]
    fn a_compressed_chunk_that_inflates_too_far_is_refused() {
        use std::io::Write;
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..65 {
            encoder.write_all(&zeros).expect("deflate");
        }
        let deflated = encoder.finish().expect("deflate");
        let mut chunk = MAGIC.to_vec();
        chunk.extend([0, 0, 0, 0, 2]);
        uleb(&mut chunk, deflated.len() as u64);
        chunk.extend(&deflated);
        assert_eq!(check_chunks(&chunk), Err(Refused::Bomb));
    }
}
