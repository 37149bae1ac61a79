//! The codes two phones swap to open a WebRTC connection at a meeting with
//! no server and no internet: the host's *offer* and the joiner's *answer*,
//! shown as QR codes or copied as text.
//!
//! A code carries only what a data channel needs out of the browser's SDP
//! (ICE credentials, the DTLS certificate fingerprint, the UDP candidates)
//! in a compact binary form, written in base32 so that a QR code can hold it
//! in alphanumeric mode. The other phone rebuilds a full SDP from it.
//!
//! Each code is *sealed* to the group: an HMAC-SHA256, keyed from the
//! group's document id, over every field of the code — side, nonce, time,
//! name, ICE credentials, certificate fingerprint and candidates. The
//! document id never appears, so a code seen over someone's shoulder tells
//! nothing; only a phone holding the group can check a seal or make one.
//! Since the seal covers the fingerprint, the encrypted channel ends at such
//! a phone; since it covers the name and the time, a relay cannot change
//! the name shown or make a stale code fresh again.

use std::fmt::Write;

use sha2::{Digest, Sha256};

use super::repo::DocumentId;

/// Code layout version, in the first byte's high nibble. Version 2 seals
/// every field with a keyed hash (version 1 sealed the fingerprint only).
const VERSION: u8 = 2;
/// A host's code is good this long after it was made, and a phone whose
/// clock runs this far behind the host's still takes it (minutes).
const FRESH_MINUTES: u32 = 30;
/// Longest name carried in a code (bytes of UTF-8).
const NAME_BYTES: usize = 24;
const SEAL_BYTES: usize = 8;
const CHECK_BYTES: usize = 2;
/// The alphabet of RFC 4648 base32: all in QR's alphanumeric set.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Which side of the exchange a code is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The host's code, scanned by someone joining.
    Offer = 1,
    /// The joiner's reply, scanned by the host.
    Answer = 2,
}

/// Where a phone can be reached on the local network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    V4([u8; 4]),
    V6([u8; 16]),
    /// A `<uuid>.local` name the browser publishes over mDNS instead of
    /// its IP address.
    Mdns([u8; 16]),
}

/// A UDP candidate for the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub address: Address,
    pub port: u16,
    /// Seen by a STUN server (only with the optional STUN setting), rather
    /// than the phone's own address.
    pub reflexive: bool,
}

/// What the data channel needs of one side's SDP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub ufrag: String,
    pub pwd: String,
    /// SHA-256 of the DTLS certificate.
    pub fingerprint: [u8; 32],
    pub candidates: Vec<Candidate>,
}

/// One code, as made or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub side: Side,
    /// Chosen by the host for its offer; an answer repeats it.
    pub nonce: [u8; 8],
    /// When the code was made, in minutes since 1970.
    pub minute: u32,
    /// Who is holding the phone, as they call themselves ("this is me").
    pub name: String,
    pub session: Session,
    seal: [u8; SEAL_BYTES],
}

/// Why a code was not taken. Every one changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Not a code at all, or damaged in copying.
    Garbled,
    /// A code from a newer version of the app.
    Newer,
    /// An answer where an offer belongs, or the other way round.
    WrongSide,
    /// Sealed to a group this phone does not hold (or not this group).
    OtherGroup,
    /// An offer made too long ago, or an answer to an offer no longer shown.
    Stale,
    /// The browser's SDP had nothing a code can carry.
    NoSession,
}

impl Code {
    /// Makes a code for `group` from this side's session.
    pub fn new(
        side: Side,
        group: DocumentId,
        nonce: [u8; 8],
        minute: u32,
        name: &str,
        session: Session,
    ) -> Self {
        let mut code = Self {
            side,
            nonce,
            minute,
            name: truncate(name.trim(), NAME_BYTES).to_owned(),
            session,
            seal: [0; SEAL_BYTES],
        };
        code.seal = seal(group, &code.fields());
        code
    }

    /// Whether the code was sealed to `group`, and nothing in it changed since.
    pub fn is_for(&self, group: DocumentId) -> bool {
        self.seal == seal(group, &self.fields())
    }

    /// Every field but the seal, as written in the code: what the seal covers.
    fn fields(&self) -> Vec<u8> {
        let mut out = vec![VERSION << 4 | self.side as u8];
        out.extend_from_slice(&self.nonce);
        self.write_rest(&mut out);
        out
    }

    /// Checks a host's code that a joiner read at `now_minute`.
    ///
    /// # Errors
    /// When it is an answer, for another group, or no longer fresh.
    pub fn check_offer(&self, group: DocumentId, now_minute: u32) -> Result<(), CodeError> {
        if self.side != Side::Offer {
            return Err(CodeError::WrongSide);
        }
        if !self.is_for(group) {
            return Err(CodeError::OtherGroup);
        }
        let age = i64::from(now_minute) - i64::from(self.minute);
        if age > i64::from(FRESH_MINUTES) || age < -i64::from(FRESH_MINUTES) {
            return Err(CodeError::Stale);
        }
        Ok(())
    }

    /// Checks a joiner's code that the host read, against the nonce of the
    /// offer it is showing.
    ///
    /// # Errors
    /// When it is an offer, answers another code, or is for another group.
    pub fn check_answer(&self, group: DocumentId, shown: &[u8; 8]) -> Result<(), CodeError> {
        if self.side != Side::Answer {
            return Err(CodeError::WrongSide);
        }
        if !self.is_for(group) {
            return Err(CodeError::OtherGroup);
        }
        if &self.nonce != shown {
            return Err(CodeError::Stale);
        }
        Ok(())
    }

    /// The code as text for a QR code or the clipboard.
    pub fn encode(&self) -> String {
        let mut out = vec![VERSION << 4 | self.side as u8];
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.seal);
        self.write_rest(&mut out);
        let check = Sha256::digest(&out);
        out.extend_from_slice(&check[..CHECK_BYTES]);
        base32(&out)
    }

    /// The fields after the seal: time, texts, fingerprint, candidates.
    fn write_rest(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.minute.to_be_bytes());
        for text in [&self.name, &self.session.ufrag, &self.session.pwd] {
            // Every text was limited to 255 bytes when it was read.
            out.push(u8::try_from(text.len()).unwrap_or(u8::MAX));
            out.extend_from_slice(&text.as_bytes()[..text.len().min(255)]);
        }
        out.extend_from_slice(&self.session.fingerprint);
        let candidates = &self.session.candidates[..self.session.candidates.len().min(255)];
        out.push(u8::try_from(candidates.len()).unwrap_or(u8::MAX));
        for candidate in candidates {
            let (kind, bytes): (u8, &[u8]) = match &candidate.address {
                Address::V4(ip) => (0, ip),
                Address::V6(ip) => (1, ip),
                Address::Mdns(uuid) => (2, uuid),
            };
            out.push(kind | u8::from(candidate.reflexive) << 4);
            out.extend_from_slice(bytes);
            out.extend_from_slice(&candidate.port.to_be_bytes());
        }
    }

    /// Reads a code from text: a bare code, or a link ending in one. Spaces,
    /// line breaks and letter case do not matter.
    ///
    /// # Errors
    /// When the text is not a whole, undamaged code.
    pub fn decode(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        let text = text.rsplit(['/', '#', '=']).next().unwrap_or_default();
        let bytes = unbase32(text).ok_or(CodeError::Garbled)?;
        let (body, check) = bytes
            .split_at_checked(bytes.len().saturating_sub(CHECK_BYTES))
            .ok_or(CodeError::Garbled)?;
        if body.is_empty() || Sha256::digest(body)[..CHECK_BYTES] != *check {
            return Err(CodeError::Garbled);
        }
        if body[0] >> 4 > VERSION {
            return Err(CodeError::Newer);
        }
        let mut read = Reader(&body[1..]);
        let side = match body[0] {
            b if b == VERSION << 4 | Side::Offer as u8 => Side::Offer,
            b if b == VERSION << 4 | Side::Answer as u8 => Side::Answer,
            _ => return Err(CodeError::Garbled),
        };
        let nonce = read.array()?;
        let seal = read.array()?;
        let minute = u32::from_be_bytes(read.array()?);
        let name = read.text()?;
        let ufrag = read.text()?;
        let pwd = read.text()?;
        let fingerprint = read.array()?;
        let count = read.take(1)?[0];
        let mut candidates = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let kind = read.take(1)?[0];
            let address = match kind & 0x0f {
                0 => Address::V4(read.array()?),
                1 => Address::V6(read.array()?),
                2 => Address::Mdns(read.array()?),
                _ => return Err(CodeError::Garbled),
            };
            let port = u16::from_be_bytes(read.array()?);
            candidates.push(Candidate {
                address,
                port,
                reflexive: kind & 0x10 != 0,
            });
        }
        if !read.0.is_empty() {
            return Err(CodeError::Garbled);
        }
        Ok(Self {
            side,
            nonce,
            minute,
            name: truncate(&name, NAME_BYTES).to_owned(),
            session: Session {
                ufrag,
                pwd,
                fingerprint,
                candidates,
            },
            seal,
        })
    }
}

/// The seal: HMAC-SHA256 over the code's fields, keyed from the group's id.
fn seal(group: DocumentId, fields: &[u8]) -> [u8; SEAL_BYTES] {
    let key: [u8; 32] = Sha256::new()
        .chain_update(b"common-ground meet v2")
        .chain_update(group.as_bytes())
        .finalize()
        .into();
    let mut out = [0; SEAL_BYTES];
    out.copy_from_slice(&hmac_sha256(&key, fields)[..SEAL_BYTES]);
    out
}

/// HMAC (RFC 2104) with SHA-256, for a key of at most one block: a dozen
/// lines with the sha2 already linked, rather than another crate.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..key.len().min(64)].copy_from_slice(&key[..key.len().min(64)]);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn truncate(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CodeError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or(CodeError::Garbled)?;
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodeError> {
        self.take(N)?.try_into().map_err(|_| CodeError::Garbled)
    }

    fn text(&mut self) -> Result<String, CodeError> {
        let len = self.take(1)?[0];
        let bytes = self.take(usize::from(len))?;
        String::from_utf8(bytes.to_vec()).map_err(|_| CodeError::Garbled)
    }
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in bytes {
        buffer = buffer << 8 | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[(buffer >> bits & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[(buffer << (5 - bits) & 31) as usize]));
    }
    out
}

fn unbase32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let value = BASE32.iter().position(|b| *b == c.to_ascii_uppercase())?;
        buffer = (buffer << 5 | u32::try_from(value).ok()?) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from(buffer >> bits & 0xff).ok()?);
        }
    }
    Some(out)
}

// ---- SDP ----

impl Session {
    /// Reads what a data channel needs out of a browser's SDP (taken after
    /// ICE gathering finished, so every candidate is in it).
    ///
    /// # Errors
    /// When the SDP has no credentials, no SHA-256 fingerprint, or no UDP
    /// candidate.
    pub fn from_sdp(sdp: &str) -> Result<Self, CodeError> {
        let mut ufrag = None;
        let mut pwd = None;
        let mut fingerprint = None;
        let mut candidates = Vec::new();
        for line in sdp.lines().map(str::trim) {
            if let Some(value) = line.strip_prefix("a=ice-ufrag:") {
                ufrag.get_or_insert(value.to_owned());
            } else if let Some(value) = line.strip_prefix("a=ice-pwd:") {
                pwd.get_or_insert(value.to_owned());
            } else if let Some(value) = line.strip_prefix("a=fingerprint:sha-256 ") {
                fingerprint = fingerprint.or_else(|| parse_fingerprint(value));
            } else if let Some(value) = line.strip_prefix("a=candidate:") {
                candidates.extend(parse_candidate(value));
            }
        }
        candidates.dedup();
        let (Some(ufrag), Some(pwd), Some(fingerprint)) = (ufrag, pwd, fingerprint) else {
            return Err(CodeError::NoSession);
        };
        if candidates.is_empty() || ufrag.len() > 255 || pwd.len() > 255 {
            return Err(CodeError::NoSession);
        }
        Ok(Self {
            ufrag,
            pwd,
            fingerprint,
            candidates,
        })
    }

    /// The SDP a browser takes as the other side's description: one data
    /// channel, every candidate included (no trickling).
    pub fn to_sdp(&self, side: Side) -> String {
        // The offerer lets the answerer pick its DTLS role; we always answer
        // as the client, as browsers do.
        let setup = match side {
            Side::Offer => "actpass",
            Side::Answer => "active",
        };
        let fingerprint = self
            .fingerprint
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":");
        let mut sdp = format!(
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
             m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\
             a=ice-ufrag:{}\r\na=ice-pwd:{}\r\na=fingerprint:sha-256 {fingerprint}\r\n\
             a=setup:{setup}\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n",
            self.ufrag, self.pwd
        );
        for (index, candidate) in self.candidates.iter().enumerate() {
            let address = match &candidate.address {
                Address::V4(ip) => std::net::Ipv4Addr::from(*ip).to_string(),
                Address::V6(ip) => std::net::Ipv6Addr::from(*ip).to_string(),
                Address::Mdns(uuid) => format!("{}.local", uuid_text(uuid)),
            };
            let (kind, base) = if candidate.reflexive {
                ("srflx raddr 0.0.0.0 rport 0", 1_686_052_607)
            } else {
                ("host", 2_122_260_223)
            };
            // Earlier candidates were the browser's own preference.
            let priority = base - u32::try_from(index).unwrap_or(0) * 256;
            // Writing to a String cannot fail.
            let _ = write!(
                sdp,
                "a=candidate:{} 1 udp {priority} {address} {} typ {kind}\r\n",
                index + 1,
                candidate.port
            );
        }
        sdp.push_str("a=end-of-candidates\r\n");
        sdp
    }
}

fn parse_fingerprint(hex: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = hex
        .trim()
        .split(':')
        .map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

/// `foundation component transport priority address port typ kind ...`
fn parse_candidate(value: &str) -> Option<Candidate> {
    let fields: Vec<&str> = value.split_whitespace().collect();
    let (transport, address, port, kind) = (fields.get(2)?, fields.get(4)?, fields.get(5)?, {
        let typ = fields.iter().position(|f| *f == "typ")?;
        *fields.get(typ + 1)?
    });
    // Only the RTP component, over UDP.
    if *fields.get(1)? != "1" || !transport.eq_ignore_ascii_case("udp") {
        return None;
    }
    let reflexive = match kind {
        "host" => false,
        "srflx" => true,
        _ => return None,
    };
    let address = if let Some(name) = address.strip_suffix(".local") {
        Address::Mdns(parse_uuid(name)?)
    } else if let Ok(ip) = address.parse::<std::net::Ipv4Addr>() {
        Address::V4(ip.octets())
    } else {
        Address::V6(address.parse::<std::net::Ipv6Addr>().ok()?.octets())
    };
    Some(Candidate {
        address,
        port: port.parse().ok()?,
        reflexive,
    })
}

fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || text.len() != 36 {
        return None;
    }
    let mut out = [0; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn uuid_text(bytes: &[u8; 16]) -> String {
    let hex = super::repo::hex(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME_OFFER: &str = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
        a=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n\
        m=application 54321 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 192.168.1.23\r\n\
        a=candidate:2837395628 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1\r\n\
        a=candidate:1510613869 1 udp 2122262783 9b36a1c4-0e21-4f0d-9f7e-2a1a3c5d7e90.local 40112 typ host generation 0 network-id 2\r\n\
        a=candidate:3699174752 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0 network-id 1\r\n\
        a=candidate:842163049 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.168.1.23 rport 54321 generation 0\r\n\
        a=ice-ufrag:Xy3q\r\na=ice-pwd:d7Gx1bL0JvQ2n9k+ZpR4sT/a\r\na=ice-options:trickle\r\n\
        a=fingerprint:sha-256 1F:6A:6B:0C:CF:52:0B:7E:AB:9F:93:1A:03:3E:6A:3F:27:C2:0E:31:88:F4:84:15:A1:38:76:9E:2D:16:47:B0\r\n\
        a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    fn group(n: u8) -> DocumentId {
        DocumentId::new_random([n; 16])
    }

    fn offer() -> Code {
        let session = Session::from_sdp(CHROME_OFFER).expect("a session");
        Code::new(Side::Offer, group(1), [7; 8], 29_000_000, "Ana", session)
    }

    #[test]
    fn reads_the_udp_candidates_and_credentials_of_a_browser_offer() {
        let session = Session::from_sdp(CHROME_OFFER).expect("a session");
        assert_eq!(session.ufrag, "Xy3q");
        assert_eq!(session.pwd, "d7Gx1bL0JvQ2n9k+ZpR4sT/a");
        assert_eq!(session.fingerprint[0], 0x1f);
        assert_eq!(session.candidates.len(), 3, "tcp is left out");
        assert_eq!(
            session.candidates[0].address,
            Address::V4([192, 168, 1, 23])
        );
        assert!(matches!(session.candidates[1].address, Address::Mdns(_)));
        assert!(session.candidates[2].reflexive);
    }

    #[test]
    fn a_code_survives_text_and_rebuilds_the_same_session() {
        let code = offer();
        let text = code.encode();
        assert!(text.bytes().all(|b| BASE32.contains(&b)), "{text}");
        let read = Code::decode(&text).expect("reads back");
        assert_eq!(read, code);
        // Lower case, wrapped lines and a link around it are fine too.
        let pasted = format!("http://x/#/meet/\n{}", text.to_lowercase());
        assert_eq!(Code::decode(&pasted), Ok(code.clone()));
        // The rebuilt SDP reads back to the same session.
        let sdp = read.session.to_sdp(Side::Offer);
        assert_eq!(Session::from_sdp(&sdp), Ok(code.session));
        assert!(sdp.contains("a=setup:actpass") && sdp.contains(".local 40112 typ host"));
    }

    #[test]
    fn a_code_is_small_enough_to_scan() {
        // One candidate, as on a phone on one Wi-Fi network.
        let mut code = offer();
        code.session.candidates.truncate(1);
        let text = code.encode();
        assert!(text.len() < 180, "{} characters", text.len());
    }

    #[test]
    fn only_a_phone_holding_the_group_takes_a_code() {
        let code = offer();
        assert_eq!(code.check_offer(group(1), 29_000_005), Ok(()));
        assert_eq!(
            code.check_offer(group(2), 29_000_005),
            Err(CodeError::OtherGroup)
        );
        // The document id is nowhere in the code.
        let text = code.encode();
        assert!(!text.contains(&base32(group(1).as_bytes())[..10]));
    }

    #[test]
    fn an_old_offer_or_an_answer_to_another_offer_is_stale() {
        let code = offer();
        assert_eq!(
            code.check_offer(group(1), 29_000_031),
            Err(CodeError::Stale)
        );
        let answer = Code::new(
            Side::Answer,
            group(1),
            code.nonce,
            29_000_001,
            "Bea",
            code.session.clone(),
        );
        assert_eq!(answer.check_answer(group(1), &[7; 8]), Ok(()));
        assert_eq!(
            answer.check_answer(group(1), &[8; 8]),
            Err(CodeError::Stale)
        );
        assert_eq!(
            answer.check_offer(group(1), 29_000_001),
            Err(CodeError::WrongSide)
        );
        assert_eq!(
            code.check_answer(group(1), &[7; 8]),
            Err(CodeError::WrongSide)
        );
    }

    #[test]
    fn a_changed_fingerprint_breaks_the_seal() {
        let mut code = offer();
        code.session.fingerprint[5] ^= 1;
        assert!(!code.is_for(group(1)));
    }

    #[test]
    fn the_seal_covers_name_time_candidates_and_credentials() {
        let code = offer();
        assert!(code.is_for(group(1)));
        let mut renamed = code.clone();
        renamed.name = "Treasurer".into();
        let mut refreshed = code.clone();
        refreshed.minute += 25;
        let mut moved = code.clone();
        moved.session.candidates[0].port ^= 1;
        let mut added = code.clone();
        added
            .session
            .candidates
            .push(added.session.candidates[0].clone());
        let mut credentials = code.clone();
        credentials.session.pwd.push('x');
        for altered in [renamed, refreshed, moved, added, credentials] {
            // Re-encoded by a relay, with a good check: the seal refuses it.
            let read = Code::decode(&altered.encode()).expect("well formed");
            assert!(!read.is_for(group(1)), "{altered:?}");
            assert_eq!(
                read.check_offer(group(1), read.minute),
                Err(CodeError::OtherGroup)
            );
        }
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex = mac.iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn garbage_and_damaged_codes_are_refused() {
        for text in [
            "",
            "hello there",
            "AAAA",
            "automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu",
        ] {
            assert_eq!(Code::decode(text), Err(CodeError::Garbled), "{text}");
        }
        let text = offer().encode();
        let mut damaged = text.clone().into_bytes();
        damaged[40] = if damaged[40] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).expect("ascii");
        assert_eq!(Code::decode(&damaged), Err(CodeError::Garbled));
        assert_eq!(
            Code::decode(&text[..text.len() - 3]),
            Err(CodeError::Garbled)
        );
    }

    #[test]
    fn names_are_cut_at_a_character_boundary() {
        let session = Session::from_sdp(CHROME_OFFER).expect("a session");
        let code = Code::new(Side::Answer, group(1), [1; 8], 1, &"林".repeat(20), session);
        assert_eq!(code.name, "林".repeat(8));
        assert_eq!(Code::decode(&code.encode()).map(|c| c.name), Ok(code.name));
    }

    #[test]
    fn an_sdp_without_candidates_makes_no_code() {
        let sdp: String = CHROME_OFFER
            .lines()
            .filter(|l| !l.starts_with("a=candidate"))
            .collect::<Vec<_>>()
            .join("\r\n");
        assert_eq!(Session::from_sdp(&sdp), Err(CodeError::NoSession));
    }
}
