//! Who changed what, read from a document's own changes.
//!
//! Every change a command commits carries a [`Stamp`] as its message: what
//! was done, the ids of the entries it touched and the member this phone
//! says it is. An item's history is the changes whose stamp names it. A
//! change from a program that writes no stamp is attributed through its
//! actor: the member whose stamped changes that actor also made.

use std::collections::BTreeMap;

use automerge::AutoCommit;

/// The message of a change made by a command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// What was done, in fixed English words ("assign plot"); the app shows
    /// each in the member's language.
    pub action: String,
    /// Ids of the entries it touched.
    pub items: Vec<String>,
    /// The member who made it, if this phone knows who it is.
    pub by: Option<String>,
}

impl Stamp {
    /// One line per part: `action`, then `item <id>` and `by <id>` lines.
    pub fn encode(&self) -> String {
        let mut text = self.action.clone();
        for item in &self.items {
            text.push_str("\nitem ");
            text.push_str(item);
        }
        if let Some(by) = &self.by {
            text.push_str("\nby ");
            text.push_str(by);
        }
        text
    }

    /// Reads a change message; anything else is an action without items.
    pub fn parse(message: &str) -> Self {
        let mut lines = message.lines();
        let mut stamp = Self {
            action: lines.next().unwrap_or_default().to_owned(),
            ..Self::default()
        };
        for line in lines {
            if let Some(item) = line.strip_prefix("item ") {
                stamp.items.push(item.to_owned());
            } else if let Some(by) = line.strip_prefix("by ") {
                stamp.by = Some(by.to_owned());
            }
        }
        stamp
    }
}

/// One change in an item's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Seconds since the Unix epoch, as the changing phone's clock said.
    pub at: i64,
    pub action: String,
    /// The member who made it, when known.
    pub by: Option<String>,
}

/// The changes that touched `item`, newest first, at most `limit`.
pub fn history(doc: &mut AutoCommit, item: &str, limit: usize) -> Vec<Event> {
    let changes = doc.get_changes_meta(&[]);
    let mut members_of_actor: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    let mut found = Vec::new();
    for change in &changes {
        let stamp = Stamp::parse(change.message.as_deref().unwrap_or_default());
        if let Some(by) = &stamp.by {
            members_of_actor.insert(change.actor.to_bytes().to_vec(), by.clone());
        }
        if stamp.items.iter().any(|i| i == item) {
            found.push((change.actor.to_bytes().to_vec(), change.timestamp, stamp));
        }
    }
    let mut events: Vec<Event> = found
        .into_iter()
        .map(|(actor, at, stamp)| Event {
            at,
            by: stamp.by.or_else(|| members_of_actor.get(&actor).cloned()),
            action: stamp.action,
        })
        .collect();
    events.sort_by_key(|event| std::cmp::Reverse(event.at));
    events.truncate(limit);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        let stamp = Stamp {
            action: "offer plot".into(),
            items: vec!["p1".into(), "w1".into()],
            by: Some("m1".into()),
        };
        assert_eq!(Stamp::parse(&stamp.encode()), stamp);
        assert_eq!(Stamp::parse("create group").action, "create group");
        assert_eq!(Stamp::parse("").items, Vec::<String>::new());
    }
}
