//! The app's addresses. They live in the URL fragment (`#/g/...`) so that any
//! static host serves the app without rewrite rules, and a reload or a shared
//! link opens the same page.

use super::command::MAX_NAME;
use super::repo::DocumentId;
use super::text::clean_line;

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// This phone's settings: the language.
    Settings,
    Group(DocumentId),
    Site(DocumentId, String),
    Plot(DocumentId, String),
    /// Sync and invite settings of a group.
    Share(DocumentId),
    /// Syncing with the phones at a meeting, and updates files.
    Phones(DocumentId),
    /// A host's code sent as a link: join the group it is sealed to.
    Meet(String),
    /// A meeting of a group: the group, then the meeting's own document.
    Meeting(DocumentId, DocumentId),
    Members(DocumentId),
    Member(DocumentId, String),
    /// The tool and seed library.
    Library(DocumentId),
    Resource(DocumentId, String),
    /// Mutual aid asks and offers.
    Aid(DocumentId),
    /// A meeting's minutes, laid out to print.
    Minutes(DocumentId, DocumentId),
    /// A garden's work days and watering shifts.
    Shifts(DocumentId, String),
    /// A garden's log: harvests, observations, watering, pests.
    Log(DocumentId, String),
    /// The group as CSV files and minutes as text.
    Export(DocumentId),
    /// An invite link: a group, the sync server that has it, and the name
    /// the link gives the group (shown as what the link says until the
    /// group itself arrives). The whole link lives in the fragment, so it
    /// never reaches a web server.
    Join {
        group: DocumentId,
        server: Option<String>,
        name: Option<String>,
        /// A sealed group's key (base58, checked): only phones with it can
        /// read what the server keeps of the group.
        key: Option<String>,
        /// The group is sealed. Said apart from the key (and before it in
        /// the link), so that a link whose key was lost on the way still
        /// says so, and the phone asks for the key instead of the server.
        sealed: bool,
        /// The generation of the sealed log when the link was made, so a
        /// new phone starts there instead of fetching every earlier log.
        generation: u32,
    },
    /// An invite link cut short or damaged on the way (a messenger broke
    /// the line, a character was lost): it says so, not "no such page".
    BadInvite,
    NotFound,
}

impl Route {
    /// Reads a fragment such as `#/g/<id>/site/<site>`.
    pub fn parse(fragment: &str) -> Self {
        let fragment = fragment.trim_start_matches('#');
        let (path, query) = fragment.split_once('?').unwrap_or((fragment, ""));
        let path = path.trim_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let group = |id: &str| DocumentId::parse(id).ok();
        match parts.as_slice() {
            [] => Self::Home,
            ["settings"] => Self::Settings,
            ["g", id] => group(id).map_or(Self::NotFound, Self::Group),
            ["g", id, "site", site] => {
                group(id).map_or(Self::NotFound, |g| Self::Site(g, (*site).to_owned()))
            }
            ["g", id, "plot", plot] => {
                group(id).map_or(Self::NotFound, |g| Self::Plot(g, (*plot).to_owned()))
            }
            ["g", id, "share"] => group(id).map_or(Self::NotFound, Self::Share),
            ["g", id, "phones"] => group(id).map_or(Self::NotFound, Self::Phones),
            ["meet", code] => Self::Meet((*code).to_owned()),
            ["g", id, "members"] => group(id).map_or(Self::NotFound, Self::Members),
            ["g", id, "member", member] => {
                group(id).map_or(Self::NotFound, |g| Self::Member(g, (*member).to_owned()))
            }
            ["g", id, "library"] => group(id).map_or(Self::NotFound, Self::Library),
            ["g", id, "library", item] => {
                group(id).map_or(Self::NotFound, |g| Self::Resource(g, (*item).to_owned()))
            }
            ["g", id, "aid"] => group(id).map_or(Self::NotFound, Self::Aid),
            ["g", id, "export"] => group(id).map_or(Self::NotFound, Self::Export),
            ["g", id, "site", site, "shifts"] => {
                group(id).map_or(Self::NotFound, |g| Self::Shifts(g, (*site).to_owned()))
            }
            ["g", id, "site", site, "log"] => {
                group(id).map_or(Self::NotFound, |g| Self::Log(g, (*site).to_owned()))
            }
            ["g", id, "meeting", meeting, "minutes"] => match (group(id), group(meeting)) {
                (Some(g), Some(m)) => Self::Minutes(g, m),
                _ => Self::NotFound,
            },
            ["g", id, "meeting", meeting] => match (group(id), group(meeting)) {
                (Some(g), Some(m)) => Self::Meeting(g, m),
                _ => Self::NotFound,
            },
            ["join", id] => {
                let field = |key: &str| {
                    query
                        .split('&')
                        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
                        .map(percent_decode)
                };
                // The name is anyone's words: cleaned like a typed name and
                // cut to a name's length; one that cleans to nothing is none.
                let name = match field("name") {
                    None => None,
                    Some(None) => return Self::BadInvite,
                    Some(Some(name)) => {
                        let name: String = clean_line(&name).chars().take(MAX_NAME).collect();
                        Some(name.trim_end().to_owned()).filter(|n| !n.is_empty())
                    }
                };
                // A key cut short on the way would read nothing: refused.
                let key = match field("key") {
                    None => None,
                    Some(Some(key)) if crate::core::seal::GroupKey::parse(&key).is_ok() => {
                        Some(key)
                    }
                    Some(_) => return Self::BadInvite,
                };
                let sealed = key.is_some() || field("sealed").is_some();
                // A generation that does not read is 0: the phone then
                // follows the logs' notes from the first.
                let generation = field("gen")
                    .flatten()
                    .and_then(|g| g.parse().ok())
                    .unwrap_or(0);
                match (group(id), field("server")) {
                    (Some(group), None) => Self::Join {
                        group,
                        server: None,
                        name,
                        key,
                        sealed,
                        generation,
                    },
                    (Some(group), Some(Some(server))) if !server.is_empty() => Self::Join {
                        group,
                        server: Some(server),
                        name,
                        key,
                        sealed,
                        generation,
                    },
                    _ => Self::BadInvite,
                }
            }
            ["join", ..] => Self::BadInvite,
            _ => Self::NotFound,
        }
    }

    /// The group a page belongs to, if any.
    pub const fn group(&self) -> Option<DocumentId> {
        match self {
            Self::Group(id)
            | Self::Site(id, _)
            | Self::Plot(id, _)
            | Self::Share(id)
            | Self::Phones(id)
            | Self::Meeting(id, _)
            | Self::Members(id)
            | Self::Member(id, _)
            | Self::Library(id)
            | Self::Resource(id, _)
            | Self::Aid(id)
            | Self::Minutes(id, _)
            | Self::Shifts(id, _)
            | Self::Log(id, _)
            | Self::Export(id) => Some(*id),
            Self::Home
            | Self::Settings
            | Self::Join { .. }
            | Self::BadInvite
            | Self::Meet(_)
            | Self::NotFound => None,
        }
    }

    /// The fragment for this page, `#/...`.
    pub fn href(&self) -> String {
        match self {
            Self::Home | Self::NotFound => "#/".to_owned(),
            Self::BadInvite => "#/join".to_owned(),
            Self::Settings => "#/settings".to_owned(),
            Self::Group(id) => format!("#/g/{id}"),
            Self::Site(id, site) => format!("#/g/{id}/site/{site}"),
            Self::Plot(id, plot) => format!("#/g/{id}/plot/{plot}"),
            Self::Share(id) => format!("#/g/{id}/share"),
            Self::Phones(id) => format!("#/g/{id}/phones"),
            Self::Meet(code) => format!("#/meet/{code}"),
            Self::Meeting(id, meeting) => format!("#/g/{id}/meeting/{meeting}"),
            Self::Members(id) => format!("#/g/{id}/members"),
            Self::Member(id, member) => format!("#/g/{id}/member/{member}"),
            Self::Library(id) => format!("#/g/{id}/library"),
            Self::Resource(id, item) => format!("#/g/{id}/library/{item}"),
            Self::Aid(id) => format!("#/g/{id}/aid"),
            Self::Minutes(id, meeting) => format!("#/g/{id}/meeting/{meeting}/minutes"),
            Self::Shifts(id, site) => format!("#/g/{id}/site/{site}/shifts"),
            Self::Log(id, site) => format!("#/g/{id}/site/{site}/log"),
            Self::Export(id) => format!("#/g/{id}/export"),
            Self::Join {
                group,
                server,
                name,
                key,
                sealed,
                generation,
            } => {
                // The key last: a link cut short loses it first, and keeps
                // the word that the group is sealed.
                let sealed = (*sealed || key.is_some()).then(|| "1".to_owned());
                let generation = (*generation > 0).then(|| generation.to_string());
                let query: Vec<String> = [
                    ("server", server),
                    ("sealed", &sealed),
                    ("name", name),
                    ("gen", &generation),
                    ("key", key),
                ]
                .into_iter()
                .filter_map(|(key, value)| {
                    Some(format!("{key}={}", percent_encode(value.as_ref()?)))
                })
                .collect();
                if query.is_empty() {
                    format!("#/join/{}", group.url())
                } else {
                    format!("#/join/{}?{}", group.url(), query.join("&"))
                }
            }
        }
    }
}

/// Escapes everything but letters, digits and `-._~`, so a URL can sit in
/// a query inside the fragment.
fn percent_encode(text: &str) -> String {
    use std::fmt::Write;
    text.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_an_invite_gives_is_cleaned_and_bounded() {
        let id = DocumentId::from_bytes([3; 16]);
        let with = |name: &str| format!("#/join/{}?server=ws%3A%2F%2Fx&name={name}", id.url());
        let name_of = |href: &str| match Route::parse(href) {
            Route::Join { name, .. } => name,
            other => panic!("{other:?}"),
        };
        // Direction overrides and zero-width characters go; spaces fold.
        assert_eq!(
            name_of(&with("%E2%80%AEevil%E2%80%8B%20%20Garden")).as_deref(),
            Some("evil Garden")
        );
        // Only invisible characters: no name at all.
        assert_eq!(name_of(&with("%E2%80%8B%E3%85%A4")), None);
        // At most a name's length.
        let long = name_of(&with(&"a".repeat(5000))).unwrap();
        assert_eq!(long.chars().count(), MAX_NAME);
        // A damaged escape in the name is a damaged invite.
        assert_eq!(Route::parse(&with("Garden%E")), Route::BadInvite);
        // Markup is only words here; the page shows it as text.
        assert_eq!(
            name_of(&with("%3Cimg%20src%3Dx%3E")).as_deref(),
            Some("<img src=x>")
        );
    }

    #[test]
    fn every_route_round_trips() {
        let id = DocumentId::from_bytes([3; 16]);
        for route in [
            Route::Home,
            Route::Settings,
            Route::Group(id),
            Route::Site(id, "s1".into()),
            Route::Plot(id, "p9".into()),
            Route::Share(id),
            Route::Phones(id),
            Route::Meet("GEBAFBMH".into()),
            Route::Meeting(id, DocumentId::from_bytes([4; 16])),
            Route::Members(id),
            Route::Member(id, "m1".into()),
            Route::Library(id),
            Route::Resource(id, "r1".into()),
            Route::Aid(id),
            Route::Minutes(id, DocumentId::from_bytes([4; 16])),
            Route::Shifts(id, "s1".into()),
            Route::Log(id, "s1".into()),
            Route::Export(id),
            Route::Join {
                group: id,
                server: None,
                name: None,
                key: None,
                sealed: false,
                generation: 0,
            },
            Route::Join {
                group: id,
                server: Some("wss://sync.example.org:3030/path?x=1&y=ü".into()),
                name: None,
                key: None,
                sealed: false,
                generation: 0,
            },
            Route::Join {
                group: id,
                server: Some("wss://sync.example.org".into()),
                name: Some("Jardín & Co = 花园".into()),
                key: None,
                sealed: false,
                generation: 0,
            },
            Route::Join {
                group: id,
                server: None,
                name: Some("Eastside".into()),
                key: None,
                sealed: false,
                generation: 0,
            },
            Route::Join {
                group: id,
                server: Some("wss://sync.example.org".into()),
                name: Some("Eastside".into()),
                key: Some(crate::core::seal::GroupKey::from_random([5; 32]).to_text()),
                sealed: true,
                generation: 3,
            },
        ] {
            assert_eq!(Route::parse(&route.href()), route);
        }
    }

    #[test]
    fn unknown_addresses_are_not_found() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/g/nonsense"), Route::NotFound);
        assert_eq!(Route::parse("#/elsewhere"), Route::NotFound);
        assert_eq!(Route::parse("#/g/automerge:nonsense"), Route::NotFound);
    }

    #[test]
    fn an_invite_link_keeps_its_server_in_the_fragment() {
        let id = DocumentId::from_bytes([3; 16]);
        let href = Route::Join {
            group: id,
            server: Some("ws://127.0.0.1:3030".into()),
            name: None,
            key: None,
            sealed: false,
            generation: 0,
        }
        .href();
        assert!(href.starts_with("#/join/automerge:"));
        assert!(!href.contains("ws://"), "the server is escaped: {href}");
        // A broken escape is a damaged invite, not a crash.
        let broken = format!("#/join/{}?server=%E", id.url());
        assert_eq!(Route::parse(&broken), Route::BadInvite);
    }

    #[test]
    fn an_invite_with_a_key_cut_short_says_so() {
        let key = crate::core::seal::GroupKey::from_random([5; 32]).to_text();
        let href = Route::Join {
            group: DocumentId::from_bytes([3; 16]),
            server: None,
            name: None,
            key: Some(key.clone()),
            sealed: true,
            generation: 0,
        }
        .href();
        assert!(href.ends_with(&format!("&key={key}")));
        assert_eq!(Route::parse(&href[..href.len() - 3]), Route::BadInvite);
    }

    #[test]
    fn an_invite_that_lost_its_key_still_says_the_group_is_sealed() {
        let key = crate::core::seal::GroupKey::from_random([5; 32]).to_text();
        let group = DocumentId::from_bytes([3; 16]);
        let href = Route::Join {
            group,
            server: Some("wss://sync.example.org".into()),
            name: Some("Eastside".into()),
            key: Some(key.clone()),
            sealed: true,
            generation: 0,
        }
        .href();
        let lost = href.replace(&format!("&key={key}"), "");
        assert!(!lost.contains("key"), "{lost}");
        assert_eq!(
            Route::parse(&lost),
            Route::Join {
                group,
                server: Some("wss://sync.example.org".into()),
                name: Some("Eastside".into()),
                key: None,
                sealed: true,
                generation: 0,
            }
        );
    }

    #[test]
    fn a_cut_or_damaged_invite_says_so() {
        let href = Route::Join {
            group: DocumentId::from_bytes([3; 16]),
            server: Some("wss://sync.example.org".into()),
            name: None,
            key: None,
            sealed: false,
            generation: 0,
        }
        .href();
        let at = href.find('?').unwrap();
        // Cut anywhere inside the group's id, or with the id's check spoiled.
        for cut in ("#/join".len() + 1..at).step_by(3) {
            assert_eq!(
                Route::parse(&href[..cut]),
                Route::BadInvite,
                "{}",
                &href[..cut]
            );
        }
        let spoiled = href.replacen('1', "2", 1).replacen('A', "B", 1);
        assert_eq!(Route::parse(&spoiled), Route::BadInvite, "{spoiled}");
        assert_eq!(Route::parse("#/join/"), Route::BadInvite);
        assert_eq!(Route::parse("#/join/automerge:nonsense"), Route::BadInvite);
        // The server cut short in an escape.
        assert_eq!(
            Route::parse(&href[..href.len() - 1].replace("%3A", "%3")),
            Route::BadInvite
        );
    }
}
