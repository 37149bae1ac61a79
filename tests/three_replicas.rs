#![cfg(not(target_arch = "wasm32"))]
//! Three phones edit the same group and the same meeting notes apart — members,
//! plots, loans, typing — then meet: all three end up with the same group and
//! the same notes, and nobody's typed words are lost.

use automerge::{ActorId, AutoCommit, ReadDoc};
use common_ground::core::command::{self, At, Command, edit_notes, read_meeting};
use common_ground::core::model::{Category, PlotStatus};
use common_ground::core::repo::DocumentId;
use proptest::prelude::*;

/// 2026-09-21.
const NOW: i64 = 1_790_000_000_000;
const SEASON: i64 = 2026;

#[derive(Clone, Debug)]
enum Edit {
    AddMember(u8),
    Rename(u8, u8),
    Remove(u8),
    Relabel(u8, u8),
    Assign(u8, u8),
    Release(u8),
    Lend(u8, u8, u8),
    Return(u8, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..3u8).prop_map(Edit::AddMember),
        (0..3u8, 0..4u8).prop_map(|(m, n)| Edit::Rename(m, n)),
        (0..3u8).prop_map(Edit::Remove),
        (0..3u8, 0..4u8).prop_map(|(p, l)| Edit::Relabel(p, l)),
        (0..3u8, 0..3u8).prop_map(|(p, m)| Edit::Assign(p, m)),
        (0..3u8).prop_map(Edit::Release),
        (0..2u8, 0..3u8, 0..3u8).prop_map(|(r, m, l)| Edit::Lend(r, m, l)),
        (0..3u8, 0..3u8).prop_map(|(replica, l)| Edit::Return(replica, l)),
    ]
}

fn command(replica: usize, edit: &Edit) -> Command {
    match edit {
        Edit::AddMember(m) => Command::AddMember {
            id: format!("r{replica}m{m}"),
            name: format!("New {replica}{m}"),
        },
        Edit::Rename(m, n) => Command::EditMember {
            member: format!("m{m}"),
            details: command::MemberDetails {
                name: Some(format!("Name {n} by {replica}")),
                ..command::MemberDetails::default()
            },
        },
        Edit::Remove(m) => Command::RemoveMember {
            member: format!("m{m}"),
        },
        Edit::Relabel(p, l) => Command::EditPlot {
            plot: format!("p{p}"),
            label: Some(format!("{replica}-{l}")),
            size: Some(String::new()),
            status: Some(PlotStatus::Fallow),
        },
        Edit::Assign(p, m) => Command::AssignPlot {
            plot: format!("p{p}"),
            season: SEASON,
            member: format!("m{m}"),
            alongside: false,
        },
        Edit::Release(p) => Command::ReleasePlot {
            plot: format!("p{p}"),
            season: SEASON,
        },
        Edit::Lend(r, m, l) => Command::Lend {
            id: format!("r{replica}l{l}"),
            resource: format!("tool{r}"),
            borrower: format!("m{m}"),
            due: "2026-10-01".into(),
        },
        // Any replica's loan: the others learn of it only after merging.
        Edit::Return(owner, l) => Command::Return {
            loan: format!("r{owner}l{l}"),
        },
    }
}

fn base() -> AutoCommit {
    let (mut doc, _) = command::new_group(ActorId::from([9; 16]), "Eastside", NOW).unwrap();
    let mut steps = vec![Command::AddSite {
        id: "s1".into(),
        name: "Maple St".into(),
    }];
    for i in 0..3 {
        steps.push(Command::AddMember {
            id: format!("m{i}"),
            name: format!("Member {i}"),
        });
        steps.push(Command::AddPlot {
            id: format!("p{i}"),
            site: "s1".into(),
            label: format!("A{i}"),
            size: String::new(),
            status: PlotStatus::Available,
        });
    }
    for i in 0..2 {
        steps.push(Command::AddResource {
            id: format!("tool{i}"),
            name: format!("Tool {i}"),
            category: Category::Tool,
            kept_at: String::new(),
            notes: String::new(),
            packets: 0,
        });
    }
    for step in steps {
        command::apply(&mut doc, &step, NOW).unwrap();
    }
    doc
}

fn replicas(base: &mut AutoCommit) -> Vec<AutoCommit> {
    (0..3u8)
        .map(|i| base.fork().with_actor(ActorId::from([i + 1; 16])))
        .collect()
}

/// Every replica takes in every other's changes.
fn meet(docs: &mut [AutoCommit]) {
    for i in 0..docs.len() {
        for j in 0..docs.len() {
            if i != j {
                let mut other = docs[j].clone();
                docs[i].merge(&mut other).unwrap();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn members_plots_and_loans_edited_apart_converge(
        edits in proptest::collection::vec(proptest::collection::vec(edit(), 0..8), 3)
    ) {
        let mut docs = replicas(&mut base());
        for (replica, doc) in docs.iter_mut().enumerate() {
            for (n, edit) in edits[replica].iter().enumerate() {
                let at = At::utc(NOW + i64::try_from(n).unwrap());
                let heads = doc.get_heads();
                if command::apply(doc, &command(replica, edit), at).is_err() {
                    prop_assert_eq!(doc.get_heads(), heads, "a refusal commits nothing");
                }
            }
        }
        meet(&mut docs);
        // Reading heals maps made twice; the heal is a change like any other.
        for doc in &mut docs {
            command::heal(doc, NOW);
        }
        meet(&mut docs);
        let first = command::read(&docs[0]).unwrap();
        let heads = docs[0].get_heads();
        for doc in &mut docs[1..] {
            prop_assert_eq!(doc.get_heads(), heads.clone());
            prop_assert_eq!(&command::read(doc).unwrap(), &first);
        }
        // Each member added on any phone is there on all three.
        for (replica, list) in edits.iter().enumerate() {
            for edit in list {
                if let Edit::AddMember(m) = edit {
                    let id = format!("r{replica}m{m}");
                    prop_assert!(first.members.contains_key(&id), "{} lost", id);
                }
            }
        }
    }

    #[test]
    fn notes_typed_apart_keep_everyones_words(
        typing in proptest::collection::vec(proptest::collection::vec(0..1000usize, 1..6), 3)
    ) {
        let id = DocumentId::new_random([4; 16]);
        let mut base = command::new_meeting(ActorId::from([9; 16]), id, "September", NOW).unwrap();
        edit_notes(&mut base, "Agenda: water, compost.", &At::utc(NOW)).unwrap();
        let mut docs = replicas(&mut base);
        let mut words = Vec::new();
        for (replica, doc) in docs.iter_mut().enumerate() {
            for (n, place) in typing[replica].iter().enumerate() {
                // Typed as the page does: the whole text with a word added
                // between two words.
                let text = read_meeting(doc).unwrap().notes.as_str().to_owned();
                let spaces: Vec<usize> = text
                    .char_indices()
                    .filter(|(_, c)| *c == ' ')
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let at = spaces[place % spaces.len()];
                let word = format!(" r{replica}w{n}");
                let typed = format!("{}{word}{}", &text[..at], &text[at..]);
                edit_notes(doc, &typed, &At::utc(NOW + 1)).unwrap();
                words.push(word.trim().to_owned());
            }
        }
        meet(&mut docs);
        let notes = read_meeting(&docs[0]).unwrap().notes.as_str().to_owned();
        for doc in &docs[1..] {
            let theirs = read_meeting(doc).unwrap().notes.as_str().to_owned();
            prop_assert_eq!(theirs, notes.clone());
        }
        for word in &words {
            prop_assert!(
                notes.split(' ').any(|w| w.trim_end_matches([',', '.']) == word),
                "{} lost from {:?}", word, notes
            );
        }
        for word in ["Agenda:", "water,", "compost."] {
            prop_assert!(notes.contains(word), "{} lost from {:?}", word, notes);
        }
        prop_assert_eq!(docs[0].length(automerge::ROOT), docs[1].length(automerge::ROOT));
    }
}
