#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::needless_pass_by_value,
    reason = "commands read best written inline, by value"
)]
//! What the pages show, computed natively: last time's commitments, what
//! needs a member now, and the files exported for spreadsheets.

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{self, At, Command, MeetingCommand, apply_meeting};
use common_ground::core::date::Date;
use common_ground::core::export::{actions_csv, csv, loans_csv, minutes_text, plots_csv};
use common_ground::core::i18n::Lang;
use common_ground::core::model::{
    ActionStatus, AidCategory, AidKind, Category, Group, Meeting, PlotStatus, Tally, Urgency,
    commitments,
};
use common_ground::core::needs::needs_me;
use common_ground::core::repo::DocumentId;

/// 2026-09-21, in the 2026 season.
const NOW: i64 = 1_790_000_000_000;
const DAY: i64 = 86_400_000;

fn today() -> Date {
    Date::from_unix_ms(NOW, 0)
}

fn run(doc: &mut AutoCommit, command: Command) -> Group {
    command::apply(doc, &command, NOW).unwrap_or_else(|why| panic!("{command:?}: {why:?}"))
}

/// A group with a garden, two plots, Rosa and Ana, and a spade.
fn group() -> AutoCommit {
    let (mut doc, _) = command::new_group(ActorId::from([1; 16]), "Eastside", NOW).unwrap();
    for command in [
        Command::AddSite {
            id: "s1".into(),
            name: "Maple St".into(),
        },
        Command::AddMember {
            id: "rosa".into(),
            name: "Rosa".into(),
        },
        Command::AddMember {
            id: "ana".into(),
            name: "Ana, \"the seed keeper\"".into(),
        },
        Command::AddPlot {
            id: "p1".into(),
            site: "s1".into(),
            label: "A1".into(),
            size: "3 × 4 m".into(),
            status: PlotStatus::Available,
        },
        Command::AddResource {
            id: "spade".into(),
            name: "Spade".into(),
            category: Category::Tool,
            kept_at: "Shed".into(),
            notes: String::new(),
            packets: 0,
        },
    ] {
        run(&mut doc, command);
    }
    doc
}

/// A meeting listed in the group, made `days_ago` days before NOW.
fn meeting(
    group_doc: &mut AutoCommit,
    seed: u8,
    title: &str,
    days_ago: i64,
) -> (String, AutoCommit) {
    let id = DocumentId::new_random([seed; 16]);
    let made = NOW - days_ago * DAY;
    let doc = command::new_meeting(ActorId::from([seed; 16]), id, title, made).unwrap();
    command::apply(
        group_doc,
        &Command::AddMeeting {
            id: id.to_string(),
            title: title.into(),
        },
        made,
    )
    .unwrap();
    (id.to_string(), doc)
}

fn act(doc: &mut AutoCommit, group: &Group, command: MeetingCommand) -> Meeting {
    apply_meeting(doc, group, &command, &At::utc(NOW).by("rosa"))
        .unwrap_or_else(|why| panic!("{command:?}: {why:?}"))
}

fn add_action(id: &str, text: &str, owner: &str, due: &str) -> MeetingCommand {
    MeetingCommand::AddAction {
        id: id.into(),
        text: text.into(),
        owner: Some(owner.into()),
        due: due.into(),
        carried_from: None,
    }
}

#[test]
fn open_action_items_of_last_meeting_show_in_the_next_until_settled() {
    let mut group_doc = group();
    let (first_id, mut first) = meeting(&mut group_doc, 2, "September", 14);
    let (next_id, mut next) = meeting(&mut group_doc, 3, "October", 0);
    let group = command::read(&group_doc).unwrap();
    assert_eq!(group.meetings_before(&next_id), [&first_id]);
    assert!(group.meetings_before(&first_id).is_empty());

    act(
        &mut first,
        &group,
        add_action("a1", "Fix the gate", "rosa", "2026-09-30"),
    );
    act(
        &mut first,
        &group,
        add_action("a2", "Order compost", "ana", ""),
    );
    act(
        &mut first,
        &group,
        add_action("a3", "Call the city", "ana", ""),
    );
    let done = act(
        &mut first,
        &group,
        MeetingCommand::SetActionStatus {
            item: "a3".into(),
            status: ActionStatus::Done,
        },
    );
    let earlier = vec![(first_id.clone(), done)];
    let this = command::read_meeting(&next).unwrap();
    let owed: Vec<String> = commitments(&this, &earlier)
        .into_iter()
        .map(|c| c.action.text)
        .collect();
    assert_eq!(
        owed,
        ["Fix the gate", "Order compost"],
        "done items are not owed"
    );

    // Carried over: it is in this meeting now, and no longer owed.
    let gate = commitments(&this, &earlier).remove(0);
    let this = act(
        &mut next,
        &group,
        MeetingCommand::AddAction {
            id: "b1".into(),
            text: gate.action.text.clone(),
            owner: gate.action.owner.clone(),
            due: gate.action.due.clone(),
            carried_from: Some(gate.source()),
        },
    );
    let owed: Vec<String> = commitments(&this, &earlier)
        .into_iter()
        .map(|c| c.action.text)
        .collect();
    assert_eq!(owed, ["Order compost"]);
    assert_eq!(
        this.actions["b1"].carried_from.as_deref(),
        Some(format!("{first_id}/a1").as_str())
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one member's day, set up and checked in one place"
)]
fn what_needs_me_lists_my_plot_loans_tasks_shifts_and_open_asks() {
    let mut doc = group();
    let at = At {
        now: NOW - 20 * DAY,
        today: Date::from_unix_ms(NOW - 20 * DAY, 0),
        by: Some("rosa".into()),
    };
    // Lent 20 days ago, due 6 days later: overdue today.
    command::apply(
        &mut doc,
        &Command::Lend {
            id: "l1".into(),
            resource: "spade".into(),
            borrower: "rosa".into(),
            due: Date::from_unix_ms(NOW - 14 * DAY, 0).to_string(),
        },
        at,
    )
    .unwrap();
    for command in [
        Command::AssignPlot {
            plot: "p1".into(),
            season: 2026,
            member: "rosa".into(),
            alongside: false,
        },
        Command::AddShift {
            id: "w1".into(),
            site: "s1".into(),
            kind: common_ground::core::model::ShiftKind::Watering,
            title: "Evening watering".into(),
            date: "2026-09-23".into(),
            time: "18:00".into(),
            spots: 2,
        },
        Command::SignUp {
            shift: "w1".into(),
            member: "rosa".into(),
        },
        Command::PostAid {
            id: "ask1".into(),
            kind: AidKind::Ask,
            title: "Ride to the clinic".into(),
            details: String::new(),
            category: AidCategory::Transport,
            urgency: Urgency::Urgent,
            area: "Northside".into(),
        },
        Command::PostAid {
            id: "offer1".into(),
            kind: AidKind::Offer,
            title: "Spare tomato starts".into(),
            details: String::new(),
            category: AidCategory::Food,
            urgency: Urgency::Normal,
            area: String::new(),
        },
    ] {
        run(&mut doc, command);
    }
    // Rosa's own ask is hers to follow, not one of her neighbors' asks.
    command::apply(
        &mut doc,
        &Command::PostAid {
            id: "ask2".into(),
            kind: AidKind::Ask,
            title: "Someone to water my plot".into(),
            details: String::new(),
            category: AidCategory::Errands,
            urgency: Urgency::Normal,
            area: String::new(),
        },
        At::utc(NOW).by("rosa"),
    )
    .unwrap();
    let (meeting_id, mut meeting_doc) = meeting(&mut doc, 4, "September", 3);
    let group = command::read(&doc).unwrap();
    act(
        &mut meeting_doc,
        &group,
        add_action("a1", "Fix the gate", "rosa", "2026-09-25"),
    );
    let read = act(
        &mut meeting_doc,
        &group,
        add_action("a2", "Order compost", "ana", ""),
    );
    let meetings = vec![(meeting_id.clone(), read)];

    let rosa = needs_me(&group, "rosa", &meetings, today(), NOW);
    assert_eq!(rosa.plots.len(), 1);
    assert_eq!(
        (rosa.plots[0].text.as_str(), rosa.plots[0].place.as_str()),
        ("A1", "Maple St")
    );
    assert_eq!(rosa.loans.len(), 1);
    assert_eq!(rosa.loans[0].text, "Spade");
    assert!(rosa.loans[0].late, "the spade is overdue");
    assert_eq!(rosa.actions.len(), 1, "only Rosa's own task");
    assert_eq!(
        (rosa.actions[0].text.as_str(), rosa.actions[0].id.as_str()),
        ("Fix the gate", meeting_id.as_str())
    );
    assert_eq!(rosa.shifts.len(), 1);
    assert_eq!(
        rosa.asks.len(),
        1,
        "neighbors' open asks only: not offers, not her own"
    );
    assert_eq!(rosa.asks[0].text, "Ride to the clinic");
    assert!(rosa.asks[0].late, "an urgent ask stands out");

    let ana = needs_me(&group, "ana", &meetings, today(), NOW);
    assert!(ana.plots.is_empty() && ana.loans.is_empty() && ana.shifts.is_empty());
    assert_eq!(ana.actions[0].text, "Order compost");
    assert!(!ana.is_empty(), "asks are everyone's");
    assert_eq!(
        ana.asks.len(),
        2,
        "Rosa's ask is among Ana's neighbors' asks"
    );
}

#[test]
fn csv_cells_with_commas_quotes_lines_or_formulas_survive_a_spreadsheet() {
    let rows = vec![
        vec![
            "plain".to_owned(),
            "a, b".to_owned(),
            "say \"hi\"".to_owned(),
        ],
        vec![
            "two\nlines".to_owned(),
            "=SUM(A1)".to_owned(),
            "-3".to_owned(),
        ],
    ];
    assert_eq!(
        csv(&rows),
        "\u{feff}plain,\"a, b\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",'=SUM(A1),-3\r\n"
    );
}

#[test]
fn exported_plots_and_loans_read_in_the_members_language() {
    let mut doc = group();
    run(
        &mut doc,
        Command::AssignPlot {
            plot: "p1".into(),
            season: 2026,
            member: "ana".into(),
            alongside: false,
        },
    );
    let group = run(
        &mut doc,
        Command::Lend {
            id: "l1".into(),
            resource: "spade".into(),
            borrower: "ana".into(),
            due: "2026-10-01".into(),
        },
    );
    let plots = plots_csv(&group, Lang::Es, 2026);
    let lines: Vec<&str> = plots.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("Huerto,"), "{}", lines[0]);
    // Headings name the data, not the buttons that record it.
    assert!(
        lines[0].ends_with(",Primer aviso,Aviso final"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("Maple St,A1,3 × 4 m,Asignada,2026,\"Ana, \"\"the seed keeper\"\"\""),
        "{}",
        lines[1]
    );
    let loans = loans_csv(&group, Lang::En, today());
    let lines: Vec<&str> = loans.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1]
            .starts_with("Spade,Tool,\"Ana, \"\"the seed keeper\"\"\",2026-09-21,2026-10-01,,0,")
    );
    // Past its due date, the same loan says so.
    let later = Date::parse("2026-10-05").unwrap();
    assert!(
        loans_csv(&group, Lang::En, later)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",Yes")
    );
}

#[test]
fn minutes_as_text_keep_the_decision_words_tally_and_tasks() {
    let mut group_doc = group();
    let (id, mut doc) = meeting(&mut group_doc, 5, "Garden meeting", 0);
    let group = command::read(&group_doc).unwrap();
    act(
        &mut doc,
        &group,
        MeetingCommand::SetDetails {
            title: Some("Garden meeting".into()),
            date: Some("2026-09-21".into()),
            time: Some("18:30".into()),
            place: Some("Church basement".into()),
        },
    );
    act(
        &mut doc,
        &group,
        MeetingCommand::SetPresent {
            member: "rosa".into(),
            present: true,
        },
    );
    act(
        &mut doc,
        &group,
        MeetingCommand::AddDecision {
            id: "d1".into(),
            text: "Gate opens at 8.\nKeys stay with Rosa.".into(),
            tally: Some(Tally {
                agree: 9,
                abstain: 1,
                disagree: 0,
                block: 0,
            }),
        },
    );
    let read = act(
        &mut doc,
        &group,
        add_action("a1", "Fix the gate", "rosa", "2026-09-30"),
    );
    let text = minutes_text(&group, &read, Lang::En);
    for expected in [
        "Garden meeting",
        "2026-09-21 · 18:30 · Church basement",
        "Who came: Rosa",
        "- Gate opens at 8.\nKeys stay with Rosa.\n  (9 agree · 1 abstain · 0 disagree · 0 block)",
        "- Fix the gate — Rosa (by 2026-09-30) [To do]",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let actions = actions_csv(&group, &[(id, read)], Lang::En);
    assert!(
        actions.contains("Garden meeting,2026-09-21,Fix the gate,Rosa,2026-09-30,To do"),
        "{actions}"
    );
}
