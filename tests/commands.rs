#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::needless_pass_by_value,
    reason = "commands read best written inline, by value"
)]
//! Every command of the first slice, accepted and refused, as a member would
//! do it on one phone.

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{self, Command, MAX_LABEL, MAX_NAME, Refusal};
use common_ground::core::model::{Category, SCHEMA_VERSION};
use common_ground::core::model::{Group, PlotStatus};

/// 2026-09-21, in the 2026 season.
const NOW: i64 = 1_790_000_000_000;
const SEASON: i64 = 2026;

fn group_with_garden() -> AutoCommit {
    let (mut doc, _) = command::new_group(ActorId::from([1; 16]), "Eastside Growers", NOW).unwrap();
    run(
        &mut doc,
        Command::AddSite {
            id: "s1".into(),
            name: "Maple St garden".into(),
        },
    );
    doc
}

fn run(doc: &mut AutoCommit, command: Command) -> Group {
    command::apply(doc, &command, NOW).unwrap_or_else(|why| panic!("{command:?} refused: {why:?}"))
}

fn refused(doc: &mut AutoCommit, command: Command) -> Refusal {
    let before = command::read(doc).unwrap();
    let heads = doc.get_heads();
    let why = command::apply(doc, &command, NOW).expect_err("should be refused");
    assert_eq!(
        command::read(doc).unwrap(),
        before,
        "a refusal changes nothing"
    );
    assert_eq!(doc.get_heads(), heads, "a refusal commits nothing");
    why
}

fn add_plot(id: &str, label: &str) -> Command {
    Command::AddPlot {
        id: id.into(),
        site: "s1".into(),
        label: label.into(),
        size: "3 × 4 m".into(),
        status: PlotStatus::Available,
    }
}

#[test]
fn a_new_group_has_its_name_and_nothing_else() {
    let (doc, group) =
        command::new_group(ActorId::from([1; 16]), "  Eastside   Growers ", NOW).unwrap();
    assert_eq!(group.name, "Eastside Growers");
    assert_eq!(command::read(&doc).unwrap(), group);
    assert!(group.plots.is_empty() && group.sites.is_empty() && group.members.is_empty());
    assert_eq!(group.schema, 2);
}

#[test]
fn a_group_needs_a_sensible_name() {
    let actor = ActorId::from([1; 16]);
    assert_eq!(
        command::new_group(actor.clone(), "   ", NOW).unwrap_err(),
        Refusal::NameEmpty
    );
    let long = "x".repeat(MAX_NAME + 1);
    assert_eq!(
        command::new_group(actor.clone(), &long, NOW).unwrap_err(),
        Refusal::NameTooLong { max: MAX_NAME }
    );
    // Characters count, not bytes: 80 Chinese characters are fine.
    assert!(command::new_group(actor, &"园".repeat(MAX_NAME), NOW).is_ok());
}

#[test]
fn adding_editing_assigning_and_deleting_plots() {
    let mut doc = group_with_garden();
    run(&mut doc, add_plot("p1", "A1"));
    run(&mut doc, add_plot("p2", "A2"));
    run(
        &mut doc,
        Command::AddMember {
            id: "m1".into(),
            name: "Rosa".into(),
        },
    );
    let group = run(
        &mut doc,
        Command::AssignPlot {
            plot: "p1".into(),
            season: SEASON,
            member: "m1".into(),
            alongside: false,
        },
    );
    assert_eq!(group.plots["p1"].holders_in(SEASON), ["m1"]);
    assert_eq!(group.plots["p1"].status, PlotStatus::Assigned);

    let group = run(
        &mut doc,
        Command::EditPlot {
            plot: "p2".into(),
            label: Some("A2b".into()),
            size: Some("2 m".into()),
            status: Some(PlotStatus::NeedsAttention),
        },
    );
    assert_eq!(group.plots["p2"].label, "A2b");
    assert_eq!(group.plots["p2"].status, PlotStatus::NeedsAttention);

    let group = run(
        &mut doc,
        Command::ReleasePlot {
            plot: "p1".into(),
            season: SEASON,
        },
    );
    assert!(group.plots["p1"].holders_in(SEASON).is_empty());
    assert_eq!(group.plots["p1"].status, PlotStatus::Available);

    let group = run(&mut doc, Command::DeletePlot { plot: "p2".into() });
    assert_eq!(group.plots.keys().collect::<Vec<_>>(), ["p1"]);
    assert_eq!(command::read(&doc).unwrap(), group);
}

#[test]
fn plot_labels_are_unique_within_a_garden_only() {
    let mut doc = group_with_garden();
    run(&mut doc, add_plot("p1", "A1"));
    assert_eq!(
        refused(&mut doc, add_plot("p2", " a1 ")),
        Refusal::DuplicateLabel { label: "a1".into() }
    );
    run(
        &mut doc,
        Command::AddSite {
            id: "s2".into(),
            name: "Church lot".into(),
        },
    );
    run(
        &mut doc,
        Command::AddPlot {
            id: "p3".into(),
            site: "s2".into(),
            label: "A1".into(),
            size: String::new(),
            status: PlotStatus::Available,
        },
    );
    // Keeping its own label while editing is not a duplicate.
    run(
        &mut doc,
        Command::EditPlot {
            plot: "p1".into(),
            label: Some("A1".into()),
            size: Some("big".into()),
            status: Some(PlotStatus::Available),
        },
    );
    run(&mut doc, add_plot("p4", "A4"));
    assert_eq!(
        refused(
            &mut doc,
            Command::EditPlot {
                plot: "p4".into(),
                label: Some("A1".into()),
                size: None,
                status: None,
            }
        ),
        Refusal::DuplicateLabel { label: "A1".into() }
    );
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let mut doc = group_with_garden();
    run(&mut doc, add_plot("p1", "A1"));
    assert_eq!(refused(&mut doc, add_plot("p2", "  ")), Refusal::LabelEmpty);
    assert_eq!(
        refused(&mut doc, add_plot("p2", &"B".repeat(MAX_LABEL + 1))),
        Refusal::LabelTooLong { max: MAX_LABEL }
    );
    let mut big = add_plot("p2", "B1");
    if let Command::AddPlot { size, .. } = &mut big {
        *size = "9".repeat(41);
    }
    assert_eq!(refused(&mut doc, big), Refusal::SizeTooLong { max: 40 });
    assert_eq!(refused(&mut doc, add_plot("p1", "B1")), Refusal::IdTaken);
    assert_eq!(
        refused(
            &mut doc,
            Command::AddPlot {
                id: "p9".into(),
                site: "nowhere".into(),
                label: "Z".into(),
                size: String::new(),
                status: PlotStatus::Available
            }
        ),
        Refusal::NoSuchSite
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::AssignPlot {
                plot: "p1".into(),
                season: SEASON,
                member: "ghost".into(),
                alongside: false,
            }
        ),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::ReleasePlot {
                plot: "gone".into(),
                season: SEASON,
            }
        ),
        Refusal::NoSuchPlot
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::DeletePlot {
                plot: "gone".into()
            }
        ),
        Refusal::NoSuchPlot
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::AddMember {
                id: "m1".into(),
                name: String::new()
            }
        ),
        Refusal::NameEmpty
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::RenameSite {
                site: "s1".into(),
                name: " ".into()
            }
        ),
        Refusal::NameEmpty
    );
    assert_eq!(
        refused(&mut doc, Command::RenameGroup { name: "\n".into() }),
        Refusal::NameEmpty
    );
}

#[test]
fn a_document_that_is_not_a_group_is_unreadable() {
    let mut doc = AutoCommit::new();
    assert_eq!(
        command::apply(&mut doc, &add_plot("p1", "A1"), NOW).unwrap_err(),
        Refusal::Unreadable
    );
}

#[test]
fn plots_list_in_the_order_people_read_labels() {
    let mut doc = group_with_garden();
    for (id, label) in [("p1", "A10"), ("p2", "A2"), ("p3", "a1")] {
        run(&mut doc, add_plot(id, label));
    }
    let group = command::read(&doc).unwrap();
    let labels: Vec<_> = group
        .plots_in("s1")
        .into_iter()
        .map(|(_, p)| p.label.as_str())
        .collect();
    assert_eq!(labels, ["a1", "A2", "A10"]);
}

#[test]
fn a_group_from_a_newer_version_is_not_edited() {
    let mut doc = group_with_garden();
    let mut group = command::read(&doc).unwrap();
    group.schema = SCHEMA_VERSION + 1;
    autosurgeon::reconcile(&mut doc, &group).unwrap();
    doc.commit();
    assert_eq!(
        refused(&mut doc, add_plot("p1", "A1")),
        Refusal::NewerSchema
    );
}

#[test]
fn a_kept_copy_of_the_group_stays_equal_to_the_document() {
    let mut doc = group_with_garden();
    let mut kept = command::read(&doc).unwrap();
    let steps = [
        add_plot("p1", "A1"),
        add_plot("p2", "A2"),
        Command::AddMember {
            id: "m1".into(),
            name: "Rosa".into(),
        },
        Command::AssignPlot {
            plot: "p1".into(),
            season: SEASON,
            member: "m1".into(),
            alongside: false,
        },
        Command::RenameSite {
            site: "s1".into(),
            name: "Maple".into(),
        },
        Command::RenameGroup {
            name: "Eastside".into(),
        },
        Command::DeletePlot { plot: "p2".into() },
        add_plot("p1", "refused: id taken"),
    ];
    for step in &steps {
        let _ = command::apply_on(&mut doc, &mut kept, step, &NOW.into());
        assert_eq!(kept, command::read(&doc).unwrap(), "after {step:?}");
    }
}

#[test]
fn a_meeting_is_listed_in_its_group_and_linked_for_sync() {
    let mut doc = group_with_garden();
    let meeting_id = common_ground::core::repo::DocumentId::new_random([9; 16]);
    let group = run(
        &mut doc,
        Command::AddMeeting {
            id: meeting_id.to_string(),
            title: "  Spring  planning ".into(),
        },
    );
    assert_eq!(
        group.meetings[&meeting_id.to_string()].title,
        "Spring planning"
    );
    assert_eq!(
        common_ground::core::model::linked_documents(&doc),
        [meeting_id]
    );
    assert_eq!(
        refused(
            &mut doc,
            Command::AddMeeting {
                id: "m2".into(),
                title: "   ".into(),
            }
        ),
        Refusal::NameEmpty
    );
}

#[test]
fn a_group_made_before_meetings_gets_its_meetings_map_on_first_use() {
    use automerge::{ROOT, transaction::Transactable};
    let mut doc = group_with_garden();
    doc.delete(ROOT, "meetings").unwrap();
    doc.commit();
    assert!(command::read(&doc).unwrap().meetings.is_empty());
    let group = run(
        &mut doc,
        Command::AddMeeting {
            id: "m1".into(),
            title: "Work day".into(),
        },
    );
    assert_eq!(group.meetings.len(), 1);
}

#[test]
fn two_people_typing_notes_at_once_both_keep_their_words() {
    let group = common_ground::core::repo::DocumentId::new_random([3; 16]);
    let mut ana =
        command::new_meeting(ActorId::from([1; 16]), group, "Garden meeting", NOW).unwrap();
    command::edit_notes(&mut ana, "Agenda:\n", &NOW.into()).unwrap();
    let mut ben = ana.fork().with_actor(ActorId::from([2; 16]));
    command::edit_notes(&mut ana, "Agenda:\nwater rota\n", &NOW.into()).unwrap();
    command::edit_notes(&mut ben, "Agenda:\ncompost bins\n", &NOW.into()).unwrap();
    ana.merge(&mut ben).unwrap();
    let notes = command::read_meeting(&ana)
        .unwrap()
        .notes
        .as_str()
        .to_owned();
    assert!(notes.contains("water rota"), "{notes}");
    assert!(notes.contains("compost bins"), "{notes}");
    assert!(notes.starts_with("Agenda:\n"), "{notes}");
    // Typing the same text again changes nothing.
    let heads = ana.get_heads();
    assert!(!command::edit_notes(&mut ana, &notes, &NOW.into()).unwrap());
    assert_eq!(ana.get_heads(), heads);
}

/// Typing keeps a copy of the notes as last written (so a key in long
/// notes does not read them all); a neighbour's words arriving between two
/// keys are read, not typed over or doubled.
#[test]
fn typing_from_a_kept_copy_keeps_words_that_arrived_between_keys() {
    let group = common_ground::core::repo::DocumentId::new_random([3; 16]);
    let mut ana =
        command::new_meeting(ActorId::from([1; 16]), group, "Garden meeting", NOW).unwrap();
    let mut known = command::NotesCopy::default();
    command::edit_notes_from(&mut ana, "Agenda:\n", &NOW.into(), &mut known).unwrap();
    let mut ben = ana.fork().with_actor(ActorId::from([2; 16]));
    command::edit_notes_from(&mut ana, "Agenda:\nwater", &NOW.into(), &mut known).unwrap();
    command::edit_notes(&mut ben, "Agenda:\ncompost\n", &NOW.into()).unwrap();
    ana.merge(&mut ben).unwrap();
    let notes = |doc: &automerge::AutoCommit| {
        command::read_meeting(doc)
            .unwrap()
            .notes
            .as_str()
            .to_owned()
    };
    // Ana's page shows Ben's line (the text area follows the document),
    // and she types on at the end of her own word.
    let shown = notes(&ana);
    let at = shown.find("water").unwrap() + "water".len();
    let typed = format!("{} rota{}", &shown[..at], &shown[at..]);
    command::edit_notes_from(&mut ana, &typed, &NOW.into(), &mut known).unwrap();
    assert_eq!(notes(&ana), typed);
    assert_eq!(notes(&ana).matches("compost").count(), 1, "{}", notes(&ana));
    // Many keys from the copy read just as keys from the document do.
    let mut plain = ana.fork();
    let mut text = typed;
    for key in 0..50 {
        text.insert(8 + key, 'x');
        command::edit_notes_from(&mut ana, &text, &NOW.into(), &mut known).unwrap();
        command::edit_notes(&mut plain, &text, &NOW.into()).unwrap();
    }
    assert_eq!(notes(&ana), text);
    assert_eq!(notes(&plain), text);
}

#[test]
fn maps_two_phones_made_at_once_for_an_old_group_keep_both_entries() {
    use automerge::{ROOT, transaction::Transactable};
    let mut old = group_with_garden();
    old.delete(ROOT, "resources").unwrap();
    old.commit();
    let mut ana = old.fork().with_actor(ActorId::from([1; 16]));
    let mut ben = old.fork().with_actor(ActorId::from([2; 16]));
    let shovel = |id: &str, name: &str| Command::AddResource {
        id: id.into(),
        name: name.into(),
        category: Category::Tool,
        kept_at: String::new(),
        notes: String::new(),
        packets: 0,
    };
    run(&mut ana, shovel("r1", "Shovel"));
    run(&mut ben, shovel("r2", "Wheelbarrow"));
    ana.merge(&mut ben).unwrap();
    assert_eq!(
        command::read(&ana).unwrap().resources.len(),
        1,
        "one map hides the other"
    );
    assert!(command::heal(&mut ana, NOW));
    let names: Vec<_> = command::read(&ana)
        .unwrap()
        .resources
        .values()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        !command::heal(&mut ana, NOW),
        "healing twice changes nothing"
    );
}

#[test]
fn an_items_history_shows_who_lent_and_returned_it() {
    let mut doc = group_with_garden();
    let at = |by: &str| command::At::utc(NOW).by(by);
    let apply = |doc: &mut AutoCommit, command: Command, by: &str| {
        command::apply(doc, &command, at(by)).unwrap();
    };
    apply(
        &mut doc,
        Command::AddMember {
            id: "m1".into(),
            name: "Rosa".into(),
        },
        "m1",
    );
    apply(
        &mut doc,
        Command::AddResource {
            id: "r1".into(),
            name: "Wheelbarrow".into(),
            category: Category::Tool,
            kept_at: "shed".into(),
            notes: String::new(),
            packets: 0,
        },
        "m1",
    );
    apply(
        &mut doc,
        Command::Lend {
            id: "l1".into(),
            resource: "r1".into(),
            borrower: "m1".into(),
            due: "2026-09-30".into(),
        },
        "m1",
    );
    apply(&mut doc, Command::Return { loan: "l1".into() }, "m1");
    let events = common_ground::core::history::history(&mut doc, "r1", 10);
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(
        actions.contains(&"lend") && actions.contains(&"return"),
        "{actions:?}"
    );
    assert!(events.iter().all(|e| e.by.as_deref() == Some("m1")));
}

#[test]
#[expect(clippy::too_many_lines, reason = "one meeting told top to bottom")]
fn a_meeting_keeps_roles_decisions_and_action_items_and_refuses_nonsense() {
    use common_ground::core::command::{MeetingCommand, Role, apply_meeting};
    use common_ground::core::model::{ActionStatus, Tally};
    let mut group_doc = group_with_garden();
    let group = run(
        &mut group_doc,
        Command::AddMember {
            id: "m1".into(),
            name: "Rosa".into(),
        },
    );
    let id = common_ground::core::repo::DocumentId::new_random([5; 16]);
    let mut doc = command::new_meeting(ActorId::from([1; 16]), id, "Garden meeting", NOW).unwrap();
    let at = command::At::utc(NOW).by("m1");
    let ok = |doc: &mut AutoCommit, command: MeetingCommand| {
        apply_meeting(doc, &group, &command, &at)
            .unwrap_or_else(|why| panic!("{command:?}: {why:?}"))
    };
    ok(
        &mut doc,
        MeetingCommand::SetRole {
            role: Role::Facilitator,
            member: Some("m1".into()),
        },
    );
    ok(
        &mut doc,
        MeetingCommand::SetPresent {
            member: "m1".into(),
            present: true,
        },
    );
    let wording = "We open the gate at 8 on Saturdays.\nKeys stay with Rosa.";
    let tally = Tally {
        agree: 9,
        abstain: 1,
        disagree: 0,
        block: 0,
    };
    ok(
        &mut doc,
        MeetingCommand::AddDecision {
            id: "d1".into(),
            text: wording.into(),
            tally: Some(tally),
        },
    );
    ok(
        &mut doc,
        MeetingCommand::AddAction {
            id: "a1".into(),
            text: "Fix the hose".into(),
            owner: Some("m1".into()),
            due: "2026-10-01".into(),
            carried_from: None,
        },
    );
    // A carried-over item keeps its old due date, even if it has passed.
    ok(
        &mut doc,
        MeetingCommand::AddAction {
            id: "a2".into(),
            text: "Order compost".into(),
            owner: None,
            due: "2026-09-01".into(),
            carried_from: Some("old/a9".into()),
        },
    );
    let meeting = ok(
        &mut doc,
        MeetingCommand::SetActionStatus {
            item: "a1".into(),
            status: ActionStatus::Done,
        },
    );
    assert_eq!(meeting.facilitator.as_deref(), Some("m1"));
    assert_eq!(meeting.decisions["d1"].text, wording, "worded exactly");
    assert_eq!(meeting.decisions["d1"].tally, Some(tally));
    assert_eq!(meeting.actions["a1"].status, ActionStatus::Done);
    assert_eq!(command::read_meeting(&doc).unwrap().actions.len(), 2);

    let heads = doc.get_heads();
    let refused = |doc: &mut AutoCommit, command: MeetingCommand| {
        apply_meeting(doc, &group, &command, &at).unwrap_err()
    };
    assert_eq!(
        refused(
            &mut doc,
            MeetingCommand::AddAction {
                id: "a3".into(),
                text: "Paint".into(),
                owner: None,
                due: "2026-09-01".into(),
                carried_from: None
            }
        ),
        Refusal::DateInPast
    );
    assert_eq!(
        refused(
            &mut doc,
            MeetingCommand::SetRole {
                role: Role::Timekeeper,
                member: Some("ghost".into())
            }
        ),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(
            &mut doc,
            MeetingCommand::AddDecision {
                id: "d2".into(),
                text: "  ".into(),
                tally: None
            }
        ),
        Refusal::NameEmpty
    );
    assert_eq!(doc.get_heads(), heads, "refusals change nothing");
}

/// Two people type the same words at once: when Ana's "while " arrives
/// on Eli's phone just before his own "while", his caret stays after his
/// own last letter, so his next keys finish his words instead of landing in
/// hers (comparing the texts alone would put it after her "while").
#[test]
fn a_caret_stays_after_its_own_letter_when_the_same_words_arrive() {
    let group = common_ground::core::repo::DocumentId::new_random([4; 16]);
    let mut eli =
        command::new_meeting(ActorId::from([1; 16]), group, "Garden meeting", NOW).unwrap();
    command::edit_notes(&mut eli, "Notes: ", &NOW.into()).unwrap();
    let mut ana = eli.fork().with_actor(ActorId::from([2; 16]));
    let type_keys = |doc: &mut automerge::AutoCommit, words: &str| {
        let (mut text, _) = command::notes_now(doc).unwrap();
        for key in words.chars() {
            text.push(key);
            command::edit_notes(doc, &text, &NOW.into()).unwrap();
        }
    };
    type_keys(&mut eli, "while");
    type_keys(&mut ana, "while ");
    let (shown, heads) = command::notes_now(&mut eli).unwrap();
    let caret = shown.chars().count();
    eli.merge(&mut ana).unwrap();
    let (now, _) = command::notes_now(&mut eli).unwrap();
    assert_eq!(now, "Notes: while while", "Ana's words come first here");
    let at = command::caret_after_merge(&eli, &heads, caret).unwrap();
    // Eli types on where his caret now is, as the text box would.
    let mut text: Vec<char> = now.chars().collect();
    for (n, key) in " apart.".chars().enumerate() {
        text.insert(at + n, key);
        command::edit_notes(&mut eli, &text.iter().collect::<String>(), &NOW.into()).unwrap();
    }
    let (notes, _) = command::notes_now(&mut eli).unwrap();
    assert_eq!(notes, "Notes: while while apart.");
    // A caret at the start stays there; one after a deleted letter goes
    // after the letter before it.
    assert_eq!(command::caret_after_merge(&eli, &heads, 0), Some(0));
    let heads = eli.get_heads();
    command::edit_notes(&mut eli, "Notes: apart.", &NOW.into()).unwrap();
    assert_eq!(command::caret_after_merge(&eli, &heads, 13), Some(7));
}
