//! The catalogue and the code agree: every key is shown somewhere, and no
//! component shows words that are not in the catalogue.
//!
//! Reads the source, as a reviewer would: a key only the catalogue names is
//! dead weight for every translator, and a string literal in a `view!` is a
//! word a Spanish, Portuguese or Chinese speaker would see in English.

use std::fs;
use std::path::{Path, PathBuf};

use common_ground::core::i18n::Key;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source of every file under `src/`, without its tests, and without
/// the four catalogues themselves.
fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter(|path| {
            !["en.rs", "es.rs", "pt.rs", "zh.rs"]
                .iter()
                .any(|name| path.ends_with(Path::new("i18n").join(name)))
        })
        .map(|path| {
            let text = fs::read_to_string(&path).expect("readable source");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            (path, code.to_owned())
        })
        .collect()
}

#[test]
fn every_key_is_used() {
    let code: String = sources().into_iter().map(|(_, text)| text).collect();
    let unused: Vec<_> = Key::ALL
        .iter()
        .map(|key| format!("{key:?}"))
        .filter(|name| {
            let wanted = format!("Key::{name}");
            !code.match_indices(&wanted).any(|(at, _)| {
                // Whole names only: `Key::Plots` is not `Key::PlotsCount`.
                !code[at + wanted.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
        .collect();
    assert!(
        unused.is_empty(),
        "keys no code shows (remove them from every catalogue): {unused:?}"
    );
}

/// A string literal in a source file, with what comes before it.
struct Literal<'a> {
    text: String,
    before: &'a str,
    line: usize,
}

/// The string literals of Rust source, skipping comments and char literals.
fn literals(code: &str) -> Vec<Literal<'_>> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            // A char literal such as '"' or '\'' (a lifetime has no closing quote).
            b'\'' => {
                let end = if bytes.get(i + 1) == Some(&b'\\') {
                    code[i + 2..].find('\'').map(|n| i + 2 + n)
                } else {
                    code[i + 1..]
                        .chars()
                        .next()
                        .map(|c| i + 1 + c.len_utf8())
                        .filter(|&n| bytes.get(n) == Some(&b'\''))
                };
                i = end.map_or(i + 1, |n| n + 1);
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                found.push(Literal {
                    text: code[start..j.min(bytes.len())].to_owned(),
                    before: code[..i].trim_end(),
                    line: code[..i].lines().count(),
                });
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// The literals a member would read: words (not symbols such as "✓ ") as
/// a text child of an element (`<p>"words"</p>`, `{x}" words"`) or in an
/// attribute that is read or heard, as opposed to ids and classes.
fn shown_words(code: &str) -> Vec<Literal<'_>> {
    const READ_ATTRIBUTES: [&str; 4] = ["aria-label=", "placeholder=", "title=", "alt="];
    literals(code)
        .into_iter()
        .filter(|literal| literal.text.chars().any(char::is_alphabetic))
        .filter(|literal| {
            let before = literal.before;
            let text_child =
                (before.ends_with('>') && !before.ends_with("=>") && !before.ends_with("->"))
                    || before.ends_with('}')
                    || before.ends_with('"');
            text_child
                || READ_ATTRIBUTES
                    .iter()
                    .any(|attribute| before.ends_with(attribute))
        })
        .collect()
}

#[test]
fn components_show_no_words_of_their_own() {
    let mut hard_coded = Vec::new();
    for (path, code) in sources() {
        if path.components().any(|c| c.as_os_str() == "ui") {
            for literal in shown_words(&code) {
                hard_coded.push(format!(
                    "{}:{}: \"{}\"",
                    path.display(),
                    literal.line,
                    literal.text
                ));
            }
        }
    }
    assert!(
        hard_coded.is_empty(),
        "words shown without the catalogue (add a Key):\n{}",
        hard_coded.join("\n")
    );
}

#[test]
fn the_checks_catch_what_they_look_for() {
    // The scanner itself: a text child and a label are caught; a class, a
    // symbol, a match arm, a char literal and a comment are not.
    let code = r#"view! { <p class="quiet">"Hello"</p> <a aria-label="Back">{x}" more"</a> }
        let mark = view! { <span>"✓ "</span> };
        let class = match x { A => "status ok", _ => "" };
        let quote = '"'; // "not this"
        let s = "fine";"#;
    let caught: Vec<_> = shown_words(code).into_iter().map(|l| l.text).collect();
    assert_eq!(caught, ["Hello", "Back", " more"]);
}
