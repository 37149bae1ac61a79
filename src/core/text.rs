//! Cleaning what a member typed before it goes into a document.

/// Characters that show nothing and only make look-alikes: zero-width
/// spaces, the word joiner, a byte order mark, the soft hyphen, and the
/// direction marks and overrides (a label "A1" and "A1" + RLM look alike).
const fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that look like a space but are letters to Unicode (the
/// Hangul fillers, the blank Braille pattern): treated as spaces.
const fn is_blank(c: char) -> bool {
    matches!(
        c,
        '\u{3164}' | '\u{2800}' | '\u{115F}' | '\u{1160}' | '\u{FFA0}'
    )
}

/// Characters that only join or vary their neighbours: kept inside words
/// (emoji sequences, Persian and Indic scripts need them), but a name of
/// nothing else is empty.
const fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{034F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Cleans one line a member typed (a name, a label): one Unicode form
/// (NFC, so "é" typed two ways is one name), invisible and direction
/// characters removed, space-like letters made spaces, every run of white
/// space folded into one, trimmed. So "  Bed   3 " and "Bed 3" are the same
/// label, and a name of only invisible characters is empty (and refused).
pub fn clean_line(text: &str) -> String {
    let visible: String = nfc(text)
        .chars()
        .filter(|c| !is_invisible(*c) && (!c.is_control() || c.is_whitespace()))
        .map(|c| if is_blank(c) { ' ' } else { c })
        .collect();
    let line = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().all(|c| is_joiner(c) || c == ' ') {
        String::new()
    } else {
        line
    }
}

/// Whether two names or labels are the same to a member: compared cleaned
/// and ignoring case, so one stored by an older version (unnormalised, with
/// a zero-width or direction mark) is still a duplicate of its look-alike.
pub fn same_text(a: &str, b: &str) -> bool {
    clean_line(a).to_lowercase() == clean_line(b).to_lowercase()
}

/// A typed name or label as [`same_text`] compares it: cleaned, lower case.
/// Fold it once, then check it against many stored ones with [`same_as`].
pub fn fold(text: &str) -> String {
    clean_line(text).to_lowercase()
}

/// `same_text(stored, typed)` for `folded = fold(typed)`. A stored text of
/// plain ASCII words is its own cleaned form, so it is compared as it is:
/// checking a label against a garden of 5,000 costs no trip to the
/// browser's normalizer for each of them.
pub fn same_as(stored: &str, folded: &str) -> bool {
    let plain = stored.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        && !stored.starts_with(' ')
        && !stored.ends_with(' ')
        && !stored.contains("  ");
    if plain {
        stored.eq_ignore_ascii_case(folded)
    } else {
        fold(stored) == folded
    }
}

/// Unicode's composed form (NFC). In the browser it is the browser's own
/// `String.prototype.normalize`: the same standard, and the member's phone
/// is spared the ~60 KB (gzip) of tables a Rust copy would add to the app.
#[cfg(target_arch = "wasm32")]
fn nfc(text: &str) -> String {
    String::from(js_sys::JsString::from(text).normalize("NFC"))
}

#[cfg(not(target_arch = "wasm32"))]
fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

/// Length as a member counts it: characters, not bytes.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// True when every word of a filter appears in one of the texts, ignoring
/// case: "ana tool" finds Ana's tool loan.
pub fn matches_filter(filter: &str, texts: &[&str]) -> bool {
    let texts: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    filter
        .to_lowercase()
        .split_whitespace()
        .all(|word| texts.iter().any(|t| t.contains(word)))
}

/// A sync server address as typed: `ws://` or `wss://`, a host, nothing
/// that cannot be in a URL. `None` when it is not one.
pub fn sync_server_address(text: &str) -> Option<String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("wss://")
        .or_else(|| text.strip_prefix("ws://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let fine = !host.is_empty()
        && text.len() <= 300
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    fine.then(|| text.to_owned())
}

/// A STUN server as the browser takes it: `stun:host` or `stun:host:port`.
pub fn is_stun_address(text: &str) -> bool {
    text.strip_prefix("stun:").is_some_and(|rest| {
        let (host, port) = rest.rsplit_once(':').unwrap_or((rest, "3478"));
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c))
            && port.parse::<u16>().is_ok_and(|p| p > 0)
            && text.len() <= 200
    })
}

/// A name as a file name's stem: letters and digits kept (any script),
/// everything else a dash. "Eastside Garden!" → "Eastside-Garden".
pub fn file_stem(name: &str) -> String {
    let stem: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if stem.is_empty() {
        "common-ground".to_owned()
    } else {
        stem.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stun_addresses_and_file_stems() {
        assert!(is_stun_address("stun:stun.example.org:3478"));
        assert!(is_stun_address("stun:192.0.2.1"));
        for bad in [
            "stun:",
            "turn:x.org",
            "stun:a b",
            "stun:x.org:0",
            "stun:x.org:99999",
        ] {
            assert!(!is_stun_address(bad), "{bad}");
        }
        assert_eq!(file_stem("Eastside Garden!"), "Eastside-Garden");
        assert_eq!(file_stem("社区 菜园"), "社区-菜园");
        assert_eq!(file_stem("../"), "common-ground");
    }

    #[test]
    fn sync_server_addresses_are_websocket_urls() {
        assert_eq!(
            sync_server_address(" wss://sync.example.org "),
            Some("wss://sync.example.org".into())
        );
        assert!(sync_server_address("ws://127.0.0.1:3030/path").is_some());
        for bad in [
            "https://sync.example.org",
            "wss://",
            "sync.example.org",
            "wss://a b",
            "",
        ] {
            assert_eq!(sync_server_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn filters_match_every_word_anywhere() {
        assert!(matches_filter("", &["anything"]));
        assert!(matches_filter("ana SHOV", &["Shovel", "Ana Ruiz"]));
        assert!(!matches_filter("ana rake", &["Shovel", "Ana Ruiz"]));
        assert!(matches_filter("菜", &["菜园"]));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The quick comparison says what the whole one says: for a label
        /// typed again in other case, with odd spaces or invisible marks,
        /// in another Unicode form, or anything else.
        #[test]
        fn folding_once_compares_as_same_text(
            stored in "([ A-Za-z0-9\t]|\u{200B}|\u{00E9}|e\u{0301}|\u{212A}|\u{00A0}|\u{3164}){0,12}",
            other in "([ A-Za-z0-9]|\u{00E9}|\u{212A}){0,12}",
            how in 0..5_u8,
        ) {
            let typed = match how {
                0 => stored.to_uppercase(),
                1 => stored.to_lowercase(),
                2 => format!("  {}\u{200B} ", stored.replace(' ', "  ")),
                3 => stored.replace('\u{00E9}', "e\u{0301}").replace('K', "\u{212A}"),
                _ => other,
            };
            proptest::prop_assert_eq!(same_as(&stored, &fold(&typed)), same_text(&stored, &typed));
        }
    }

    #[test]
    fn invisible_names_are_empty_and_look_alikes_are_one() {
        for invisible in [
            "\u{200B}",
            "\u{3164}",
            "\u{2800}",
            "\u{200B}\u{200B}\u{3164}",
            "\u{200D}\u{200C}",
            "\u{202E}\u{2066}",
            "\u{FEFF} \u{115F}",
        ] {
            assert_eq!(clean_line(invisible), "", "{invisible:?}");
        }
        assert_eq!(clean_line("A1\u{200F}"), "A1");
        assert_eq!(clean_line("\u{202E}A1"), "A1");
        assert_eq!(clean_line("A\u{200B}1"), "A1");
        assert_eq!(clean_line("Ana\u{3164}Ruiz"), "Ana Ruiz");
        // One form for one name: e + combining acute is é.
        assert_eq!(clean_line("Jose\u{301}"), "Jos\u{e9}");
        // Joiners inside words stay: a family emoji, a Persian word.
        assert_eq!(clean_line("👩\u{200D}👧"), "👩\u{200D}👧");
        assert_eq!(clean_line("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(clean_line("a\u{7}b"), "ab");
    }

    #[test]
    fn cleans_spaces_and_counts_characters() {
        assert_eq!(clean_line("  Bed \t  3\n"), "Bed 3");
        assert_eq!(clean_line("   "), "");
        assert_eq!(char_len("菜园"), 2);
        assert_eq!(char_len("Jardín"), 6);
    }
}
