#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::needless_pass_by_value,
    reason = "commands read best written inline, by value"
)]
//! Every command of the group document a member can give, one test each:
//! what they notice when it is accepted, and each way it is refused.

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{
    self, At, Command, MAX_NAME, MAX_NOTE, MAX_SHORT, MemberDetails, Refusal,
};
use common_ground::core::date::Date;
use common_ground::core::model::{
    AidCategory, AidKind, AidStatus, Category, Condition, Group, LogKind, PlotStatus, ShiftKind,
    Standing, Urgency,
};

/// 2026-09-21, in the 2026 season.
const NOW: i64 = 1_790_000_000_000;
const SEASON: i64 = 2026;
const DAY: i64 = 86_400_000;

/// The moment `NOW`, on a phone whose calendar says `today`.
fn on(today: &str) -> At {
    At {
        now: NOW,
        today: Date::parse(today).unwrap(),
        by: None,
    }
}

fn run(doc: &mut AutoCommit, command: Command) -> Group {
    run_at(doc, command, At::utc(NOW))
}

fn run_at(doc: &mut AutoCommit, command: Command, at: At) -> Group {
    command::apply(doc, &command, at).unwrap_or_else(|why| panic!("{command:?} refused: {why:?}"))
}

fn refused(doc: &mut AutoCommit, command: Command) -> Refusal {
    refused_at(doc, command, At::utc(NOW))
}

/// Refused, and nothing changed: not the group, not the document's history.
fn refused_at(doc: &mut AutoCommit, command: Command, at: At) -> Refusal {
    let before = command::read(doc).unwrap();
    let heads = doc.get_heads();
    let why = command::apply(doc, &command, at).expect_err("should be refused");
    assert_eq!(
        command::read(doc).unwrap(),
        before,
        "a refusal changes nothing"
    );
    assert_eq!(doc.get_heads(), heads, "a refusal commits nothing");
    why
}

fn group(doc: &AutoCommit) -> Group {
    command::read(doc).unwrap()
}

/// Two gardens, three members, plots A1 and A2 at Maple St and B1 at the
/// Church lot.
fn garden() -> AutoCommit {
    let (mut doc, _) = command::new_group(ActorId::from([1; 16]), "Eastside Growers", NOW).unwrap();
    for step in [
        site("s1", "Maple St garden"),
        site("s2", "Church lot"),
        member("m1", "Rosa"),
        member("m2", "Ben"),
        member("m3", "Ana"),
        plot("p1", "s1", "A1"),
        plot("p2", "s1", "A2"),
        plot("q1", "s2", "B1"),
    ] {
        run(&mut doc, step);
    }
    doc
}

fn site(id: &str, name: &str) -> Command {
    Command::AddSite {
        id: id.into(),
        name: name.into(),
    }
}

fn member(id: &str, name: &str) -> Command {
    Command::AddMember {
        id: id.into(),
        name: name.into(),
    }
}

fn plot(id: &str, site: &str, label: &str) -> Command {
    Command::AddPlot {
        id: id.into(),
        site: site.into(),
        label: label.into(),
        size: "3 × 4 m".into(),
        status: PlotStatus::Available,
    }
}

fn assign(plot: &str, who: &str, season: i64, alongside: bool) -> Command {
    Command::AssignPlot {
        plot: plot.into(),
        season,
        member: who.into(),
        alongside,
    }
}

fn notice(plot: &str, last: bool, date: &str) -> Command {
    Command::RecordNotice {
        plot: plot.into(),
        last,
        date: date.into(),
    }
}

fn wait(id: &str, site: &str, name: &str, member: Option<&str>, priority: &str) -> Command {
    Command::JoinWaitlist {
        id: id.into(),
        site: site.into(),
        name: name.into(),
        contact: "555-0101".into(),
        member: member.map(Into::into),
        priority: priority.into(),
    }
}

fn offer(plot: &str, entry: &str, new_member: &str) -> Command {
    Command::OfferPlot {
        plot: plot.into(),
        entry: entry.into(),
        season: SEASON,
        new_member: new_member.into(),
    }
}

fn shift(id: &str, date: &str, spots: i64) -> Command {
    Command::AddShift {
        id: id.into(),
        site: "s1".into(),
        kind: ShiftKind::WorkDay,
        title: "Fall clean-up".into(),
        date: date.into(),
        time: "09:30".into(),
        spots,
    }
}

fn sign_up(shift: &str, who: &str) -> Command {
    Command::SignUp {
        shift: shift.into(),
        member: who.into(),
    }
}

fn hours(shift: &str, who: &str, minutes: i64) -> Command {
    Command::RecordHours {
        shift: shift.into(),
        member: who.into(),
        minutes,
    }
}

fn harvest(id: &str, plot: Option<&str>, date: &str, crop: &str, quantity: f64) -> Command {
    Command::AddLog {
        id: id.into(),
        site: "s1".into(),
        plot: plot.map(Into::into),
        kind: LogKind::Harvest,
        date: date.into(),
        crop: crop.into(),
        quantity,
        unit: "kg".into(),
        note: String::new(),
    }
}

fn item(id: &str, name: &str, category: Category, packets: i64) -> Command {
    Command::AddResource {
        id: id.into(),
        name: name.into(),
        category,
        kept_at: "shed".into(),
        notes: String::new(),
        packets,
    }
}

fn condition(id: &str, name: &str, condition: Condition) -> Command {
    Command::EditResource {
        resource: id.into(),
        name: Some(name.into()),
        category: Some(Category::Tool),
        condition: Some(condition),
        kept_at: Some("shed".into()),
        notes: None,
    }
}

fn lend(id: &str, resource: &str, borrower: &str, due: &str) -> Command {
    Command::Lend {
        id: id.into(),
        resource: resource.into(),
        borrower: borrower.into(),
        due: due.into(),
    }
}

fn hold(id: &str, resource: &str, who: &str) -> Command {
    Command::PlaceHold {
        id: id.into(),
        resource: resource.into(),
        member: who.into(),
    }
}

fn take(id: &str, who: Option<&str>, packets: i64) -> Command {
    Command::TakeSeeds {
        id: id.into(),
        resource: "seeds".into(),
        member: who.map(Into::into),
        packets,
    }
}

fn give(id: &str, resource: &str, packets: i64) -> Command {
    Command::GiveSeeds {
        id: id.into(),
        resource: resource.into(),
        member: Some("m1".into()),
        packets,
    }
}

fn post(id: &str, title: &str) -> Command {
    Command::PostAid {
        id: id.into(),
        kind: AidKind::Ask,
        title: title.into(),
        details: "Two bags from the food bank".into(),
        category: AidCategory::Food,
        urgency: Urgency::Soon,
        area: "Maple St".into(),
    }
}

/// A garden with a wheelbarrow (r1) and a spade (r2) in the library.
fn library() -> AutoCommit {
    let mut doc = garden();
    run(&mut doc, item("r1", "Wheelbarrow", Category::Tool, 0));
    run(&mut doc, item("r2", "Spade", Category::Tool, 0));
    doc
}

// ---- the group ----

#[test]
fn renaming_the_group_tidies_the_name_and_refuses_a_too_long_one() {
    let mut doc = garden();
    let group = run(
        &mut doc,
        Command::RenameGroup {
            name: "  Eastside   Growers Co-op ".into(),
        },
    );
    assert_eq!(group.name, "Eastside Growers Co-op");
    assert_eq!(
        refused(
            &mut doc,
            Command::RenameGroup {
                name: "x".repeat(MAX_NAME + 1)
            }
        ),
        Refusal::NameTooLong { max: MAX_NAME }
    );
    assert_eq!(
        refused(&mut doc, Command::RenameGroup { name: "  ".into() }),
        Refusal::NameEmpty
    );
}

#[test]
fn done_aid_posts_can_be_kept_for_zero_to_ten_years_of_days() {
    let mut doc = garden();
    assert_eq!(group(&doc).aid_expiry_days, 30, "a month to start with");
    assert_eq!(
        run(&mut doc, Command::SetAidExpiry { days: 7 }).aid_expiry_days,
        7
    );
    assert_eq!(
        run(&mut doc, Command::SetAidExpiry { days: 3650 }).aid_expiry_days,
        3650
    );
    assert_eq!(
        run(&mut doc, Command::SetAidExpiry { days: 0 }).aid_expiry_days,
        0
    );
    for days in [-1, 3651, i64::MIN] {
        assert_eq!(
            refused(&mut doc, Command::SetAidExpiry { days }),
            Refusal::NumberInvalid,
            "{days}"
        );
    }
}

// ---- members ----

#[test]
fn a_new_member_starts_with_just_their_name() {
    let mut doc = garden();
    let group = run(&mut doc, member("m9", "  María  José "));
    let maria = &group.members["m9"];
    assert_eq!(maria.name, "María José");
    assert_eq!(maria.created_at, NOW);
    assert!(maria.contact.is_empty() && !maria.coordinator && !maria.point_person);
    assert_eq!(refused(&mut doc, member("m1", "Someone")), Refusal::IdTaken);
    assert_eq!(
        refused(&mut doc, member("m8", &"n".repeat(MAX_NAME + 1))),
        Refusal::NameTooLong { max: MAX_NAME }
    );
    assert_eq!(refused(&mut doc, member("m8", " ")), Refusal::NameEmpty);
}

#[test]
fn editing_a_member_keeps_their_details_and_refuses_an_over_long_contact() {
    let mut doc = garden();
    let details = |name: &str, contact: &str| MemberDetails {
        name: Some(name.into()),
        languages: Some(" Spanish,  English ".into()),
        contact: Some(contact.into()),
        coordinator: Some(true),
        point_person: Some(true),
    };
    let edit = |who: &str, details: MemberDetails| Command::EditMember {
        member: who.into(),
        details,
    };
    let group = run(&mut doc, edit("m1", details("Rosa M.", "555-0199")));
    let rosa = &group.members["m1"];
    assert_eq!(rosa.name, "Rosa M.");
    assert_eq!(rosa.languages, "Spanish, English");
    assert_eq!(rosa.contact, "555-0199");
    assert!(rosa.coordinator && rosa.point_person);
    assert_eq!(rosa.created_at, NOW, "joining day kept");

    assert_eq!(
        refused(
            &mut doc,
            edit("m1", details("Rosa", &"5".repeat(MAX_SHORT + 1)))
        ),
        Refusal::TextTooLong { max: MAX_SHORT }
    );
    assert_eq!(
        refused(&mut doc, edit("m1", details("", "555"))),
        Refusal::NameEmpty
    );
    assert_eq!(
        refused(&mut doc, edit("ghost", details("Casper", ""))),
        Refusal::NoSuchMember
    );
}

#[test]
fn removing_a_member_who_holds_a_plot_or_a_loan_is_refused_and_says_what() {
    let mut doc = library();
    run(&mut doc, assign("p1", "m1", SEASON, false));
    run(&mut doc, lend("l1", "r1", "m2", "2026-09-30"));
    run(&mut doc, hold("h1", "r1", "m3"));
    let remove = |who: &str| Command::RemoveMember { member: who.into() };

    assert_eq!(
        refused(&mut doc, remove("m1")),
        Refusal::MemberHoldsPlot { label: "A1".into() }
    );
    assert_eq!(
        refused(&mut doc, remove("m2")),
        Refusal::MemberHasLoan {
            name: "Wheelbarrow".into()
        }
    );
    // Someone only waiting for an item goes, and so does their place in line.
    let group = run(&mut doc, remove("m3"));
    assert!(!group.members.contains_key("m3"));
    assert!(group.holds.is_empty());
    assert_eq!(refused(&mut doc, remove("m3")), Refusal::NoSuchMember);

    // Once the plot and the wheelbarrow are handed back, they can go.
    run(
        &mut doc,
        Command::ReleasePlot {
            plot: "p1".into(),
            season: SEASON,
        },
    );
    run(&mut doc, Command::Return { loan: "l1".into() });
    run(&mut doc, remove("m1"));
    let group = run(&mut doc, remove("m2"));
    assert!(group.members.is_empty());
    assert_eq!(
        group.loans["l1"].borrower, "m2",
        "past loans stay as history"
    );
}

#[test]
fn removing_a_member_who_holds_a_plot_next_season_is_refused() {
    let mut doc = garden();
    run(&mut doc, assign("p1", "m1", SEASON + 1, false));
    assert_eq!(
        refused(
            &mut doc,
            Command::RemoveMember {
                member: "m1".into()
            }
        ),
        Refusal::MemberHoldsPlot { label: "A1".into() }
    );
}

#[test]
fn removing_a_member_frees_their_spot_on_a_shift() {
    let mut doc = garden();
    run(&mut doc, shift("w1", "2026-10-03", 1));
    run(&mut doc, sign_up("w1", "m3"));
    let outcome = command::apply(
        &mut doc,
        &Command::RemoveMember {
            member: "m3".into(),
        },
        NOW,
    );
    let group = group(&doc);
    for (id, shift) in &group.shifts {
        for who in shift.signups.keys() {
            assert!(
                group.members.contains_key(who),
                "{id} is signed up for by {who}, who is no longer a member ({outcome:?})"
            );
        }
    }
}

// ---- gardens and plots ----

#[test]
fn a_new_garden_has_a_name_and_no_map_yet() {
    let mut doc = garden();
    let group = run(&mut doc, site("s3", "  Library   lawn "));
    let lawn = &group.sites["s3"];
    assert_eq!(lawn.name, "Library lawn");
    assert_eq!((lawn.rows, lawn.cols), (0, 0));
    assert!(group.map_of("s3").is_empty());
    assert_eq!(refused(&mut doc, site("s1", "Again")), Refusal::IdTaken);
    assert_eq!(refused(&mut doc, site("s4", "")), Refusal::NameEmpty);
}

#[test]
fn renaming_a_garden_keeps_its_plots() {
    let mut doc = garden();
    let rename = |id: &str, name: &str| Command::RenameSite {
        site: id.into(),
        name: name.into(),
    };
    let group = run(&mut doc, rename("s1", "Maple Street"));
    assert_eq!(group.sites["s1"].name, "Maple Street");
    assert_eq!(group.plots_in("s1").len(), 2);
    assert_eq!(
        refused(&mut doc, rename("s1", &"m".repeat(MAX_NAME + 1))),
        Refusal::NameTooLong { max: MAX_NAME }
    );
    assert_eq!(
        refused(&mut doc, rename("nowhere", "Somewhere")),
        Refusal::NoSuchSite
    );
}

#[test]
fn laying_out_a_garden_never_cuts_a_plot_off_the_map() {
    let mut doc = garden();
    let lay_out = |id: &str, rows: i64, cols: i64| Command::LayOutSite {
        site: id.into(),
        rows,
        cols,
    };
    let group = run(&mut doc, lay_out("s1", 4, 5));
    assert_eq!((group.sites["s1"].rows, group.sites["s1"].cols), (4, 5));
    assert_eq!(group.map_of("s1").len(), 4);
    assert!(group.map_of("s1").iter().all(|row| row.len() == 5));

    run(
        &mut doc,
        Command::PlacePlot {
            plot: "p1".into(),
            cells: vec![(3, 4)],
        },
    );
    assert_eq!(
        refused(&mut doc, lay_out("s1", 3, 5)),
        Refusal::PlotOffMap { label: "A1".into() }
    );
    assert_eq!(
        refused(&mut doc, lay_out("s1", 4, 4)),
        Refusal::PlotOffMap { label: "A1".into() }
    );
    assert_eq!(
        refused(&mut doc, lay_out("s1", 31, 5)),
        Refusal::GridTooLarge { max: 30 }
    );
    assert_eq!(
        refused(&mut doc, lay_out("s1", -1, 5)),
        Refusal::NumberInvalid
    );
    assert_eq!(
        refused(&mut doc, lay_out("nowhere", 2, 2)),
        Refusal::NoSuchSite
    );
    // Growing it is fine; the plot stays where it was.
    let group = run(&mut doc, lay_out("s1", 30, 30));
    assert_eq!(group.map_of("s1")[3][4].as_deref(), Some("p1"));
}

#[test]
fn editing_a_plot_changes_its_label_size_and_status() {
    let mut doc = garden();
    let edit = |id: &str, label: &str| Command::EditPlot {
        plot: id.into(),
        label: Some(label.into()),
        size: Some(" 10 × 20  ft ".into()),
        status: Some(PlotStatus::Fallow),
    };
    let group = run(&mut doc, edit("p2", " A2 east "));
    let a2 = &group.plots["p2"];
    assert_eq!(
        (a2.label.as_str(), a2.size.as_str()),
        ("A2 east", "10 × 20 ft")
    );
    assert_eq!(a2.status, PlotStatus::Fallow);
    assert_eq!(refused(&mut doc, edit("p2", "")), Refusal::LabelEmpty);
    assert_eq!(refused(&mut doc, edit("gone", "Z")), Refusal::NoSuchPlot);
    // A plot someone holds this season cannot be marked available.
    let held = run(
        &mut doc,
        Command::AssignPlot {
            plot: "p2".into(),
            season: SEASON,
            member: "m1".into(),
            alongside: false,
        },
    );
    let holder = held.members["m1"].name.clone();
    let available = Command::EditPlot {
        plot: "p2".into(),
        label: None,
        size: None,
        status: Some(PlotStatus::Available),
    };
    assert_eq!(
        refused(&mut doc, available),
        Refusal::StillHeld { by: holder }
    );
}

#[test]
fn plot_notes_keep_their_line_breaks_up_to_a_limit() {
    let mut doc = garden();
    let notes = |id: &str, text: &str| Command::SetPlotNotes {
        plot: id.into(),
        notes: text.into(),
    };
    let group = run(
        &mut doc,
        notes("p1", "  Compost bin in the corner\r\nTap drips  \n"),
    );
    assert_eq!(
        group.plots["p1"].notes,
        "Compost bin in the corner\nTap drips"
    );
    assert_eq!(
        refused(&mut doc, notes("p1", &"n".repeat(MAX_NOTE + 1))),
        Refusal::TextTooLong { max: MAX_NOTE }
    );
    assert_eq!(refused(&mut doc, notes("gone", "hi")), Refusal::NoSuchPlot);
    assert_eq!(run(&mut doc, notes("p1", "")).plots["p1"].notes, "");
}

#[test]
fn placing_a_plot_on_a_cell_taken_or_off_the_map_is_refused() {
    let mut doc = garden();
    let place = |id: &str, cells: Vec<(u64, u64)>| Command::PlacePlot {
        plot: id.into(),
        cells,
    };
    assert_eq!(
        refused(&mut doc, place("p1", vec![(0, 0)])),
        Refusal::PlotOffMap { label: "A1".into() },
        "no map laid out yet"
    );
    run(
        &mut doc,
        Command::LayOutSite {
            site: "s1".into(),
            rows: 3,
            cols: 3,
        },
    );
    let group = run(&mut doc, place("p1", vec![(0, 1), (0, 0), (0, 1)]));
    assert_eq!(group.plots["p1"].cells(), [(0, 0), (0, 1)]);
    assert_eq!(
        group.map_of("s1")[0][..2],
        [Some("p1".into()), Some("p1".into())]
    );

    assert_eq!(
        refused(&mut doc, place("p2", vec![(1, 1), (0, 1)])),
        Refusal::CellTaken { label: "A1".into() }
    );
    assert_eq!(
        refused(&mut doc, place("p2", vec![(3, 0)])),
        Refusal::PlotOffMap { label: "A2".into() }
    );
    assert_eq!(
        refused(&mut doc, place("gone", vec![])),
        Refusal::NoSuchPlot
    );
    // A plot in another garden may use the same cell numbers.
    run(
        &mut doc,
        Command::LayOutSite {
            site: "s2".into(),
            rows: 1,
            cols: 1,
        },
    );
    run(&mut doc, place("q1", vec![(0, 0)]));
    // Moving a plot onto its own cells is fine; no cells takes it off.
    run(&mut doc, place("p1", vec![(0, 1), (1, 1)]));
    let group = run(&mut doc, place("p1", vec![]));
    assert!(group.map_of("s1").iter().flatten().all(Option::is_none));
}

#[test]
fn assigning_a_plot_that_is_taken_is_refused_and_says_who_has_it() {
    let mut doc = garden();
    let group = run(&mut doc, assign("p1", "m1", SEASON, false));
    assert_eq!(group.plots["p1"].holders_in(SEASON), ["m1"]);
    assert_eq!(group.plots["p1"].status, PlotStatus::Assigned);

    assert_eq!(
        refused(&mut doc, assign("p1", "m2", SEASON, false)),
        Refusal::PlotTaken { by: "Rosa".into() }
    );
    // A co-holder joins alongside, once.
    run(&mut doc, assign("p1", "m2", SEASON, true));
    let group = run(&mut doc, assign("p1", "m2", SEASON, true));
    assert_eq!(group.plots["p1"].holders_in(SEASON), ["m1", "m2"]);
    let held: Vec<_> = group
        .plots_held_by("m2", SEASON)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(held, ["p1"]);

    // Next season is its own: assigning it leaves this season's status.
    let group = run(&mut doc, assign("p2", "m3", SEASON + 1, false));
    assert_eq!(group.plots["p2"].holders_in(SEASON + 1), ["m3"]);
    assert!(group.plots["p2"].holders_in(SEASON).is_empty());
    assert_eq!(group.plots["p2"].status, PlotStatus::Available);

    assert_eq!(
        refused(&mut doc, assign("gone", "m1", SEASON, false)),
        Refusal::NoSuchPlot
    );
    assert_eq!(
        refused(&mut doc, assign("p2", "ghost", SEASON, true)),
        Refusal::NoSuchMember
    );
}

#[test]
fn releasing_a_plot_frees_it_and_clears_its_notices() {
    let mut doc = garden();
    let release = |id: &str, season: i64| Command::ReleasePlot {
        plot: id.into(),
        season,
    };
    run(&mut doc, assign("p1", "m1", SEASON, false));
    run(&mut doc, assign("p1", "m2", SEASON, true));
    run(&mut doc, assign("p1", "m1", SEASON + 1, false));
    run(
        &mut doc,
        Command::MarkAttention {
            plot: "p1".into(),
            note: "weeds".into(),
        },
    );
    run(&mut doc, notice("p1", false, "2026-09-14"));

    let group = run(&mut doc, release("p1", SEASON));
    let a1 = &group.plots["p1"];
    assert!(a1.holders_in(SEASON).is_empty());
    assert_eq!(a1.holders_in(SEASON + 1), ["m1"], "next season untouched");
    assert_eq!(a1.status, PlotStatus::Available);
    assert!(a1.attention.is_empty() && a1.first_notice.is_none());

    assert_eq!(refused(&mut doc, release("p1", SEASON)), Refusal::NotHeld);
    assert_eq!(refused(&mut doc, release("p2", SEASON)), Refusal::NotHeld);
    assert_eq!(
        refused(&mut doc, release("gone", SEASON)),
        Refusal::NoSuchPlot
    );
    let group = run(&mut doc, release("p1", SEASON + 1));
    assert!(group.plots_held_by("m1", SEASON + 1).is_empty());
}

#[test]
fn marking_a_plot_for_attention_says_why() {
    let mut doc = garden();
    let mark = |id: &str, why: &str| Command::MarkAttention {
        plot: id.into(),
        note: why.into(),
    };
    run(&mut doc, assign("p1", "m1", SEASON, false));
    let group = run(&mut doc, mark("p1", "  Not watered   for weeks "));
    assert_eq!(group.plots["p1"].status, PlotStatus::NeedsAttention);
    assert_eq!(group.plots["p1"].attention, "Not watered for weeks");
    assert_eq!(group.plots["p1"].holders_in(SEASON), ["m1"], "still theirs");
    assert_eq!(
        refused(&mut doc, mark("p1", &"w".repeat(MAX_NOTE + 1))),
        Refusal::TextTooLong { max: MAX_NOTE }
    );
    assert_eq!(
        refused(&mut doc, mark("gone", "weeds")),
        Refusal::NoSuchPlot
    );
}

#[test]
fn notices_go_first_then_final_and_never_in_the_future() {
    let mut doc = garden();
    run(&mut doc, assign("p1", "m1", SEASON, false));
    let today = || on("2026-09-21");

    assert_eq!(
        refused_at(&mut doc, notice("p1", true, "2026-09-20"), today()),
        Refusal::NoFirstNotice
    );
    let group = run_at(&mut doc, notice("p1", false, "2026-09-10"), today());
    assert_eq!(
        group.plots["p1"].first_notice.as_deref(),
        Some("2026-09-10")
    );
    assert_eq!(group.plots["p1"].status, PlotStatus::NeedsAttention);

    assert_eq!(
        refused_at(&mut doc, notice("p1", true, "2026-09-09"), today()),
        Refusal::FinalBeforeFirst
    );
    assert_eq!(
        refused_at(&mut doc, notice("p1", true, "2026-09-22"), today()),
        Refusal::DateInFuture
    );
    assert_eq!(
        refused_at(&mut doc, notice("p1", false, "2026-09-22"), today()),
        Refusal::DateInFuture
    );
    assert_eq!(
        refused_at(&mut doc, notice("p1", true, "21/09/2026"), today()),
        Refusal::DateInvalid
    );
    assert_eq!(
        refused_at(&mut doc, notice("gone", false, "2026-09-10"), today()),
        Refusal::NoSuchPlot
    );
    // Today is the member's own day: late on the 21st in UTC may already be
    // the 22nd where they are.
    let group = run_at(&mut doc, notice("p1", true, "2026-09-22"), on("2026-09-22"));
    assert_eq!(
        group.plots["p1"].final_notice.as_deref(),
        Some("2026-09-22")
    );
}

#[test]
fn a_first_notice_after_the_final_one_is_refused() {
    let mut doc = garden();
    run(&mut doc, notice("p1", false, "2026-09-10"));
    run(&mut doc, notice("p1", true, "2026-09-15"));
    assert_eq!(
        refused(&mut doc, notice("p1", false, "2026-09-18")),
        Refusal::FinalBeforeFirst
    );
}

#[test]
fn adding_a_co_holder_keeps_a_plot_needing_attention_flagged() {
    let mut doc = garden();
    run(&mut doc, assign("p1", "m1", SEASON, false));
    run(
        &mut doc,
        Command::MarkAttention {
            plot: "p1".into(),
            note: "weeds".into(),
        },
    );
    run(&mut doc, notice("p1", false, "2026-09-14"));
    let group = run(&mut doc, assign("p1", "m2", SEASON, true));
    let a1 = &group.plots["p1"];
    assert_eq!(a1.first_notice.as_deref(), Some("2026-09-14"));
    assert_eq!(a1.status, PlotStatus::NeedsAttention);
}

#[test]
fn clearing_attention_returns_a_plot_to_assigned_or_available() {
    let mut doc = garden();
    let clear = |id: &str| Command::ClearAttention { plot: id.into() };
    run(&mut doc, assign("p1", "m1", SEASON, false));
    for id in ["p1", "p2"] {
        run(
            &mut doc,
            Command::MarkAttention {
                plot: id.into(),
                note: "weeds".into(),
            },
        );
        run(&mut doc, notice(id, false, "2026-09-10"));
    }
    run(&mut doc, notice("p1", true, "2026-09-20"));
    run(&mut doc, clear("p1"));
    let group = run(&mut doc, clear("p2"));
    let (a1, a2) = (&group.plots["p1"], &group.plots["p2"]);
    assert_eq!(a1.status, PlotStatus::Assigned);
    assert_eq!(a2.status, PlotStatus::Available);
    for plot in [a1, a2] {
        assert!(plot.attention.is_empty());
        assert!(plot.first_notice.is_none() && plot.final_notice.is_none());
    }
    assert_eq!(a1.holders_in(SEASON), ["m1"]);
    assert_eq!(refused(&mut doc, clear("gone")), Refusal::NoSuchPlot);
}

// ---- the waitlist ----

#[test]
fn the_waitlist_puts_people_with_a_reason_first_then_by_when_they_joined() {
    let mut doc = garden();
    run(&mut doc, wait("w1", "s1", "Lee", None, ""));
    run_at(
        &mut doc,
        wait("w2", "s1", "Ana", Some("m3"), "  no yard at home "),
        At::utc(NOW + 1000),
    );
    run_at(
        &mut doc,
        wait("w3", "s1", "Kim", None, ""),
        At::utc(NOW + 2000),
    );
    let group = run(&mut doc, wait("w4", "s2", "Sam", None, ""));
    let queue: Vec<_> = group
        .waitlist_of("s1")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(queue, ["w2", "w1", "w3"]);
    assert_eq!(group.waitlist["w2"].priority, "no yard at home");
    assert_eq!(group.waitlist["w2"].member.as_deref(), Some("m3"));
    assert_eq!(group.waitlist_of("s2").len(), 1);

    assert_eq!(
        refused(&mut doc, wait("w1", "s1", "Lee", None, "")),
        Refusal::IdTaken
    );
    assert_eq!(
        refused(&mut doc, wait("w5", "nowhere", "Lee", None, "")),
        Refusal::NoSuchSite
    );
    // The same person twice in one garden's queue is refused, by name or
    // by member; another garden's queue is theirs to join.
    assert_eq!(
        refused(&mut doc, wait("w5", "s1", " lee ", None, "")),
        Refusal::AlreadyWaiting { name: "lee".into() }
    );
    assert_eq!(
        refused(&mut doc, wait("w5", "s1", "Ana María", Some("m3"), "")),
        Refusal::AlreadyWaiting {
            name: "Ana María".into()
        }
    );
    assert_eq!(
        refused(&mut doc, wait("w5", "s1", "Lee", Some("ghost"), "")),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(&mut doc, wait("w5", "s1", " ", None, "")),
        Refusal::NameEmpty
    );
    assert_eq!(
        refused(
            &mut doc,
            wait("w5", "s1", "Lena", None, &"p".repeat(MAX_SHORT + 1))
        ),
        Refusal::TextTooLong { max: MAX_SHORT }
    );
}

#[test]
fn leaving_the_waitlist_takes_them_out_of_the_queue() {
    let mut doc = garden();
    run(&mut doc, wait("w1", "s1", "Lee", None, ""));
    run(&mut doc, wait("w2", "s1", "Kim", None, ""));
    let leave = |id: &str| Command::LeaveWaitlist { entry: id.into() };
    let group = run(&mut doc, leave("w1"));
    let queue: Vec<_> = group
        .waitlist_of("s1")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(queue, ["w2"]);
    assert_eq!(refused(&mut doc, leave("w1")), Refusal::NoSuchEntry);
}

#[test]
fn offering_a_plot_makes_the_first_person_waiting_its_holder_and_a_member() {
    let mut doc = garden();
    run(&mut doc, wait("w1", "s1", "Lee Park", None, ""));
    run_at(
        &mut doc,
        wait("w2", "s1", "Ana", Some("m3"), ""),
        At::utc(NOW + 1000),
    );
    run(&mut doc, wait("w3", "s2", "Sam", None, ""));

    let first = group(&doc).waitlist_of("s1")[0].0.clone();
    assert_eq!(first, "w1");
    let group = run(&mut doc, offer("p1", &first, "m9"));
    assert_eq!(group.members["m9"].name, "Lee Park");
    assert_eq!(group.members["m9"].contact, "555-0101");
    assert_eq!(group.plots["p1"].holders_in(SEASON), ["m9"]);
    assert_eq!(group.plots["p1"].status, PlotStatus::Assigned);
    assert!(!group.waitlist.contains_key("w1"));

    // Someone already a member is not made twice.
    let group = run(&mut doc, offer("p2", "w2", "m10"));
    assert_eq!(group.plots["p2"].holders_in(SEASON), ["m3"]);
    assert!(!group.members.contains_key("m10"));
    assert_eq!(group.members.len(), 4);
    assert!(group.waitlist_of("s1").is_empty());

    run(&mut doc, wait("w4", "s1", "Kim", None, ""));
    assert_eq!(
        refused(&mut doc, offer("p1", "w4", "m11")),
        Refusal::PlotTaken {
            by: "Lee Park".into()
        }
    );
    assert_eq!(
        refused(&mut doc, offer("q1", "w4", "m11")),
        Refusal::WrongGarden
    );
    assert_eq!(
        refused(&mut doc, offer("p1", "w3", "m11")),
        Refusal::WrongGarden
    );
    assert_eq!(
        refused(&mut doc, offer("p1", "w1", "m11")),
        Refusal::NoSuchEntry
    );
    assert_eq!(
        refused(&mut doc, offer("gone", "w4", "m11")),
        Refusal::NoSuchPlot
    );
    run(
        &mut doc,
        Command::ReleasePlot {
            plot: "p1".into(),
            season: SEASON,
        },
    );
    assert_eq!(refused(&mut doc, offer("p1", "w4", "m1")), Refusal::IdTaken);
}

// ---- shifts and hours ----

#[test]
fn a_work_day_needs_a_date_not_in_the_past_and_a_sensible_number_of_spots() {
    let mut doc = garden();
    let today = || on("2026-09-21");
    let group = run_at(&mut doc, shift("w1", "2026-09-21", 6), today());
    let work = &group.shifts["w1"];
    assert_eq!(
        (work.date.as_str(), work.time.as_str(), work.spots),
        ("2026-09-21", "09:30", 6)
    );
    assert_eq!(work.title, "Fall clean-up");
    assert!(work.signups.is_empty());

    assert_eq!(
        refused_at(&mut doc, shift("w2", "2026-09-20", 6), today()),
        Refusal::DateInPast
    );
    assert_eq!(
        refused_at(&mut doc, shift("w2", "2026-02-30", 6), today()),
        Refusal::DateInvalid
    );
    for spots in [-1, 501] {
        assert_eq!(
            refused_at(&mut doc, shift("w2", "2026-10-03", spots), today()),
            Refusal::NumberInvalid
        );
    }
    let mut late = shift("w2", "2026-10-03", 6);
    if let Command::AddShift { time, .. } = &mut late {
        *time = "24:00".into();
    }
    assert_eq!(refused_at(&mut doc, late, today()), Refusal::TimeInvalid);
    let mut elsewhere = shift("w2", "2026-10-03", 6);
    if let Command::AddShift { site, .. } = &mut elsewhere {
        *site = "nowhere".into();
    }
    assert_eq!(
        refused_at(&mut doc, elsewhere, today()),
        Refusal::NoSuchSite
    );
    assert_eq!(
        refused_at(&mut doc, shift("w1", "2026-10-03", 6), today()),
        Refusal::IdTaken
    );
}

#[test]
fn signing_up_for_a_full_shift_or_twice_is_refused() {
    let mut doc = garden();
    run(&mut doc, shift("w1", "2026-10-03", 2));
    run(&mut doc, sign_up("w1", "m1"));
    let group = run(&mut doc, sign_up("w1", "m2"));
    assert_eq!(
        group.shifts["w1"].signups.keys().collect::<Vec<_>>(),
        ["m1", "m2"]
    );
    assert_eq!(group.shifts["w1"].signups["m1"], NOW);

    assert_eq!(
        refused(&mut doc, sign_up("w1", "m1")),
        Refusal::AlreadySignedUp
    );
    assert_eq!(refused(&mut doc, sign_up("w1", "m3")), Refusal::ShiftFull);
    assert_eq!(
        refused(&mut doc, sign_up("w1", "ghost")),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(&mut doc, sign_up("gone", "m3")),
        Refusal::NoSuchShift
    );

    // No limit when a shift needs any number of people.
    run(&mut doc, shift("w2", "2026-10-03", 0));
    for who in ["m1", "m2", "m3"] {
        run(&mut doc, sign_up("w2", who));
    }
    assert_eq!(group_signups(&doc, "w2"), 3);
}

fn group_signups(doc: &AutoCommit, shift: &str) -> usize {
    group(doc).shifts[shift].signups.len()
}

#[test]
fn leaving_a_shift_frees_the_spot() {
    let mut doc = garden();
    run(&mut doc, shift("w1", "2026-10-03", 1));
    run(&mut doc, sign_up("w1", "m1"));
    let leave = |id: &str, who: &str| Command::LeaveShift {
        shift: id.into(),
        member: who.into(),
    };
    let group = run(&mut doc, leave("w1", "m1"));
    assert!(group.shifts["w1"].signups.is_empty());
    run(&mut doc, sign_up("w1", "m2"));
    assert_eq!(refused(&mut doc, leave("w1", "m1")), Refusal::NotSignedUp);
    assert_eq!(refused(&mut doc, leave("gone", "m2")), Refusal::NoSuchShift);
}

#[test]
fn hours_worked_add_up_per_member_for_the_season() {
    let mut doc = garden();
    run(&mut doc, shift("w1", "2026-09-21", 0));
    run(&mut doc, shift("w2", "2026-10-03", 0));
    run(&mut doc, hours("w1", "m1", 120));
    // Hours are recorded on the day or after, not before.
    assert_eq!(
        refused(&mut doc, hours("w2", "m1", 90)),
        Refusal::DateInFuture
    );
    let after_w2 = At {
        now: NOW + 12 * 86_400_000,
        today: Date::parse("2026-10-03").unwrap(),
        by: None,
    };
    run_at(&mut doc, hours("w2", "m1", 90), after_w2);
    let group = run(&mut doc, hours("w1", "m2", 45));
    let totals = group.minutes_in(SEASON);
    assert_eq!(totals.get(&"m1".to_owned()), Some(&210));
    assert_eq!(totals.get(&"m2".to_owned()), Some(&45));
    assert!(group.minutes_in(SEASON + 1).is_empty());

    // Recording again corrects it; zero takes it out.
    run(&mut doc, hours("w1", "m1", 60));
    let group = run(&mut doc, hours("w1", "m2", 0));
    let totals = group.minutes_in(SEASON);
    assert_eq!(totals.get(&"m1".to_owned()), Some(&150));
    assert!(!totals.contains_key(&"m2".to_owned()));

    assert_eq!(
        refused(&mut doc, hours("w1", "m1", -30)),
        Refusal::NumberInvalid
    );
    assert_eq!(
        refused(&mut doc, hours("w1", "m1", 24 * 60 + 1)),
        Refusal::TooManyMinutes
    );
    run(&mut doc, hours("w1", "m3", 24 * 60));
    assert_eq!(
        refused(&mut doc, hours("w1", "ghost", 30)),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(&mut doc, hours("gone", "m1", 30)),
        Refusal::NoSuchShift
    );
}

#[test]
fn deleting_a_shift_takes_it_off_the_list() {
    let mut doc = garden();
    run(&mut doc, shift("w1", "2026-10-03", 0));
    run(&mut doc, shift("w2", "2026-10-10", 0));
    let group = run(&mut doc, Command::DeleteShift { shift: "w1".into() });
    assert_eq!(group.shifts.keys().collect::<Vec<_>>(), ["w2"]);
    assert_eq!(
        refused(&mut doc, Command::DeleteShift { shift: "w1".into() }),
        Refusal::NoSuchShift
    );
}

// ---- the garden log ----

#[test]
fn harvests_add_up_per_plot_and_per_season() {
    let mut doc = garden();
    let rosa = || At::utc(NOW).by("m1");
    run_at(
        &mut doc,
        harvest("h1", Some("p1"), "2026-09-20", "Tomatoes", 2.5),
        rosa(),
    );
    run(
        &mut doc,
        harvest("h2", Some("p1"), "2026-09-21", " tomatoes ", 1.5),
    );
    run(
        &mut doc,
        harvest("h3", Some("p2"), "2026-08-01", "Beans", 0.75),
    );
    run(&mut doc, harvest("h4", None, "2025-08-01", "Tomatoes", 9.0));
    let group = run(
        &mut doc,
        Command::AddLog {
            id: "o1".into(),
            site: "s1".into(),
            plot: Some("p2".into()),
            kind: LogKind::Observation,
            date: "2026-09-21".into(),
            crop: String::new(),
            quantity: 0.0,
            unit: String::new(),
            note: "Aphids on the kale\nsprayed soap".into(),
        },
    );
    assert_eq!(group.log["h1"].by.as_deref(), Some("m1"));
    assert_eq!(group.log["o1"].note, "Aphids on the kale\nsprayed soap");

    let a1 = group.harvest_totals("s1", Some("p1"), SEASON);
    assert_eq!(a1.len(), 1, "{a1:?}");
    assert!((a1[0].quantity - 4.0).abs() < 1e-9);
    assert_eq!(
        (a1[0].crop.to_lowercase(), a1[0].unit.as_str()),
        ("tomatoes".into(), "kg")
    );

    let whole: Vec<_> = group
        .harvest_totals("s1", None, SEASON)
        .into_iter()
        .map(|t| (t.crop, t.quantity))
        .collect();
    assert_eq!(whole.len(), 2, "{whole:?}");
    assert_eq!(whole[0], ("Beans".into(), 0.75));
    let last = group.harvest_totals("s1", None, SEASON - 1);
    assert_eq!(last.len(), 1);
    assert!((last[0].quantity - 9.0).abs() < 1e-9);
    assert!(group.harvest_totals("s2", None, SEASON).is_empty());
}

#[test]
fn a_harvest_needs_a_crop_a_quantity_not_negative_a_past_date_and_its_own_garden() {
    let mut doc = garden();
    let today = || on("2026-09-21");
    let mut check = |command: Command, why: Refusal| {
        assert_eq!(refused_at(&mut doc, command, today()), why);
    };
    check(
        harvest("h1", Some("p1"), "2026-09-21", "Squash", -1.0),
        Refusal::NumberInvalid,
    );
    check(
        harvest("h1", Some("p1"), "2026-09-21", "Squash", f64::NAN),
        Refusal::NumberInvalid,
    );
    check(
        harvest("h1", Some("p1"), "2026-09-21", "Squash", 2e9),
        Refusal::NumberInvalid,
    );
    check(
        harvest("h1", Some("p1"), "2026-09-21", "   ", 2.0),
        Refusal::CropEmpty,
    );
    check(
        harvest("h1", Some("q1"), "2026-09-21", "Squash", 2.0),
        Refusal::WrongGarden,
    );
    check(
        harvest("h1", Some("gone"), "2026-09-21", "Squash", 2.0),
        Refusal::NoSuchPlot,
    );
    check(
        harvest("h1", Some("p1"), "2026-09-22", "Squash", 2.0),
        Refusal::DateInFuture,
    );
    check(
        harvest("h1", Some("p1"), "yesterday", "Squash", 2.0),
        Refusal::DateInvalid,
    );
    check(
        harvest(
            "h1",
            Some("p1"),
            "2026-09-21",
            &"s".repeat(MAX_SHORT + 1),
            2.0,
        ),
        Refusal::TextTooLong { max: MAX_SHORT },
    );
    let mut elsewhere = harvest("h1", None, "2026-09-21", "Squash", 2.0);
    if let Command::AddLog { site, .. } = &mut elsewhere {
        *site = "nowhere".into();
    }
    check(elsewhere, Refusal::NoSuchSite);
    assert!(group(&doc).log.is_empty());
    run_at(
        &mut doc,
        harvest("h1", Some("p1"), "2026-09-21", "Squash", 0.0),
        today(),
    );
    assert_eq!(
        refused(
            &mut doc,
            harvest("h1", Some("p1"), "2026-09-21", "Squash", 1.0)
        ),
        Refusal::IdTaken
    );
}

#[test]
fn deleting_a_log_entry_takes_it_out_of_the_totals() {
    let mut doc = garden();
    run(
        &mut doc,
        harvest("h1", Some("p1"), "2026-09-20", "Kale", 1.0),
    );
    run(
        &mut doc,
        harvest("h2", Some("p1"), "2026-09-20", "Kale", 2.0),
    );
    let group = run(&mut doc, Command::DeleteLog { entry: "h2".into() });
    assert!((group.harvest_totals("s1", Some("p1"), SEASON)[0].quantity - 1.0).abs() < 1e-9);
    assert_eq!(
        refused(&mut doc, Command::DeleteLog { entry: "h2".into() }),
        Refusal::NoSuchEntry
    );
}

// ---- the library ----

#[test]
fn cataloguing_an_item_makes_it_available_and_counts_seed_packets() {
    let mut doc = garden();
    let group = run(&mut doc, item("r1", " Wheel  barrow ", Category::Tool, 5));
    let barrow = &group.resources["r1"];
    assert_eq!(barrow.name, "Wheel barrow");
    assert_eq!(barrow.packets, 0, "only seeds come in packets");
    assert_eq!(barrow.condition, Condition::Available);
    assert_eq!(
        group.standing("r1", on("2026-09-21").today),
        Standing::Available
    );
    let group = run(
        &mut doc,
        item("seeds", "Cherokee Purple tomato", Category::Seeds, 20),
    );
    assert_eq!(group.packets_left("seeds"), 20);

    assert_eq!(
        refused(&mut doc, item("r3", "Beans", Category::Seeds, -1)),
        Refusal::NumberInvalid
    );
    assert_eq!(
        refused(&mut doc, item("r1", "Rake", Category::Tool, 0)),
        Refusal::IdTaken
    );
    assert_eq!(
        refused(&mut doc, item("r3", "", Category::Tool, 0)),
        Refusal::NameEmpty
    );
    let mut far = item("r3", "Rake", Category::Tool, 0);
    if let Command::AddResource { kept_at, .. } = &mut far {
        *kept_at = "k".repeat(MAX_SHORT + 1);
    }
    assert_eq!(
        refused(&mut doc, far),
        Refusal::TextTooLong { max: MAX_SHORT }
    );
}

#[test]
fn editing_an_item_changes_what_members_see_on_the_list() {
    let mut doc = library();
    let today = on("2026-09-21").today;
    let group = run(
        &mut doc,
        condition("r1", "Old wheelbarrow", Condition::NeedsRepair),
    );
    assert_eq!(group.resources["r1"].name, "Old wheelbarrow");
    assert_eq!(group.standing("r1", today), Standing::NeedsRepair);
    let group = run(
        &mut doc,
        condition("r1", "Old wheelbarrow", Condition::Retired),
    );
    assert_eq!(group.standing("r1", today), Standing::Retired);

    assert_eq!(
        refused(&mut doc, condition("gone", "Rake", Condition::Available)),
        Refusal::NoSuchResource
    );
    assert_eq!(
        refused(&mut doc, condition("r1", " ", Condition::Available)),
        Refusal::NameEmpty
    );
    let mut wordy = condition("r1", "Wheelbarrow", Condition::Available);
    if let Command::EditResource { notes, .. } = &mut wordy {
        *notes = Some("n".repeat(MAX_NOTE + 1));
    }
    assert_eq!(
        refused(&mut doc, wordy),
        Refusal::TextTooLong { max: MAX_NOTE }
    );
}

#[test]
fn lending_a_tool_already_out_is_refused_and_says_who_has_it() {
    let mut doc = library();
    let today = || on("2026-09-21");
    let group = run_at(&mut doc, lend("l1", "r1", "m1", "2026-09-30"), today());
    let loan = &group.loans["l1"];
    assert_eq!(
        (loan.out.as_str(), loan.due.as_str()),
        ("2026-09-21", "2026-09-30")
    );
    assert!(loan.is_out() && loan.renewals == 0);
    assert_eq!(group.standing("r1", today().today), Standing::OnLoan);
    assert_eq!(group.loans_of("m1").len(), 1);
    assert_eq!(group.loans_out("r1").len(), 1);

    assert_eq!(
        refused_at(&mut doc, lend("l2", "r1", "m2", "2026-10-01"), today()),
        Refusal::OnLoan { to: "Rosa".into() }
    );
    assert_eq!(
        refused_at(&mut doc, lend("l1", "r2", "m2", "2026-10-01"), today()),
        Refusal::IdTaken
    );
    assert_eq!(
        refused_at(&mut doc, lend("l2", "r2", "ghost", "2026-10-01"), today()),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused_at(&mut doc, lend("l2", "gone", "m2", "2026-10-01"), today()),
        Refusal::NoSuchResource
    );
    // Past its due date it shows as overdue.
    let later = group.standing("r1", Date::parse("2026-10-01").unwrap());
    assert_eq!(later, Standing::Overdue);
}

#[test]
fn a_due_date_before_checkout_is_refused() {
    let mut doc = library();
    let today = || on("2026-09-21");
    assert_eq!(
        refused_at(&mut doc, lend("l1", "r1", "m1", "2026-09-20"), today()),
        Refusal::DueBeforeOut
    );
    assert_eq!(
        refused_at(&mut doc, lend("l1", "r1", "m1", "2025-09-30"), today()),
        Refusal::DueBeforeOut
    );
    assert_eq!(
        refused_at(&mut doc, lend("l1", "r1", "m1", "next week"), today()),
        Refusal::DateInvalid
    );
    // Due back the same day is fine.
    let group = run_at(&mut doc, lend("l1", "r1", "m1", "2026-09-21"), today());
    assert_eq!(group.loans["l1"].due, "2026-09-21");
}

#[test]
fn a_missing_or_retired_item_cannot_be_lent() {
    let mut doc = library();
    run(&mut doc, condition("r1", "Wheelbarrow", Condition::Missing));
    run(&mut doc, condition("r2", "Spade", Condition::Retired));
    assert_eq!(
        refused(&mut doc, lend("l1", "r1", "m1", "2026-09-30")),
        Refusal::NotLendable
    );
    assert_eq!(
        refused(&mut doc, lend("l1", "r2", "m1", "2026-09-30")),
        Refusal::NotLendable
    );
    // Needing repair is the borrower's call.
    run(
        &mut doc,
        condition("r1", "Wheelbarrow", Condition::NeedsRepair),
    );
    run(&mut doc, lend("l1", "r1", "m1", "2026-09-30"));
}

#[test]
fn an_item_held_for_someone_else_goes_to_them_first() {
    let mut doc = library();
    run(&mut doc, lend("l1", "r1", "m1", "2026-09-30"));
    run_at(&mut doc, hold("h1", "r1", "m2"), At::utc(NOW + 1000));
    run_at(&mut doc, hold("h2", "r1", "m3"), At::utc(NOW + 2000));
    run(&mut doc, Command::Return { loan: "l1".into() });

    assert_eq!(
        refused(&mut doc, lend("l2", "r1", "m3", "2026-10-05")),
        Refusal::HeldFor { name: "Ben".into() }
    );
    assert_eq!(
        refused(&mut doc, lend("l2", "r1", "m1", "2026-10-05")),
        Refusal::HeldFor { name: "Ben".into() }
    );
    // Ben gets it, and his hold is served; Ana is next.
    let group = run(&mut doc, lend("l2", "r1", "m2", "2026-10-05"));
    let queue: Vec<_> = group.holds_on("r1").into_iter().map(|(id, _)| id).collect();
    assert_eq!(queue, ["h2"]);
    assert_eq!(group.loans_out("r1")[0].1.borrower, "m2");
}

#[test]
fn renewing_a_loan_moves_its_due_date_unless_someone_is_waiting() {
    let mut doc = library();
    let today = || on("2026-09-21");
    let renew = |due: &str| Command::Renew {
        loan: "l1".into(),
        due: due.into(),
    };
    run_at(&mut doc, lend("l1", "r1", "m1", "2026-09-30"), today());
    let group = run_at(&mut doc, renew("2026-10-14"), today());
    assert_eq!(group.loans["l1"].due, "2026-10-14");
    assert_eq!(group.loans["l1"].renewals, 1);
    assert_eq!(group.loans["l1"].out, "2026-09-21", "lent the same day");

    assert_eq!(
        refused_at(&mut doc, renew("2026-09-20"), today()),
        Refusal::DateInPast
    );
    assert_eq!(
        refused_at(&mut doc, renew("soon"), today()),
        Refusal::DateInvalid
    );
    // A phone whose calendar is a day behind the lending one.
    assert_eq!(
        refused_at(&mut doc, renew("2026-09-20"), on("2026-09-20")),
        Refusal::DueBeforeOut
    );
    assert_eq!(
        refused_at(
            &mut doc,
            Command::Renew {
                loan: "gone".into(),
                due: "2026-10-14".into()
            },
            today()
        ),
        Refusal::NoSuchLoan
    );
    run(&mut doc, hold("h1", "r1", "m2"));
    assert_eq!(
        refused_at(&mut doc, renew("2026-10-21"), today()),
        Refusal::OthersWaiting
    );
    run(&mut doc, Command::Return { loan: "l1".into() });
    assert_eq!(
        refused_at(&mut doc, renew("2026-10-21"), today()),
        Refusal::AlreadyReturned
    );
}

#[test]
fn returning_an_item_twice_is_refused() {
    let mut doc = library();
    run_at(
        &mut doc,
        lend("l1", "r1", "m1", "2026-09-30"),
        on("2026-09-21"),
    );
    let back = |id: &str| Command::Return { loan: id.into() };
    let group = run_at(&mut doc, back("l1"), on("2026-10-02"));
    assert_eq!(group.loans["l1"].returned.as_deref(), Some("2026-10-02"));
    assert!(group.loans_of("m1").is_empty());
    assert_eq!(
        group.standing("r1", Date::parse("2026-10-02").unwrap()),
        Standing::Available
    );
    assert_eq!(refused(&mut doc, back("l1")), Refusal::AlreadyReturned);
    assert_eq!(refused(&mut doc, back("gone")), Refusal::NoSuchLoan);
    // Lent again, the old loan stays as history.
    let group = run(&mut doc, lend("l2", "r1", "m2", "2026-10-05"));
    assert_eq!(group.loans.len(), 2);
}

#[test]
fn holds_queue_up_for_an_item_out_on_loan_first_come_first_served() {
    let mut doc = library();
    assert_eq!(
        refused(&mut doc, hold("h1", "r1", "m2")),
        Refusal::NotOnLoan
    );
    run(&mut doc, lend("l1", "r1", "m1", "2026-09-30"));
    run_at(&mut doc, hold("h2", "r1", "m3"), At::utc(NOW + 1000));
    let group = run_at(&mut doc, hold("h1", "r1", "m2"), At::utc(NOW + 2000));
    let queue: Vec<_> = group
        .holds_on("r1")
        .into_iter()
        .map(|(_, h)| h.member.as_str())
        .collect();
    assert_eq!(queue, ["m3", "m2"]);

    assert_eq!(
        refused(&mut doc, hold("h3", "r1", "m1")),
        Refusal::AlreadyHolding
    );
    assert_eq!(
        refused(&mut doc, hold("h3", "r1", "m2")),
        Refusal::AlreadyHolding
    );
    assert_eq!(refused(&mut doc, hold("h1", "r1", "m2")), Refusal::IdTaken);
    assert_eq!(
        refused(&mut doc, hold("h3", "gone", "m2")),
        Refusal::NoSuchResource
    );
    assert_eq!(
        refused(&mut doc, hold("h3", "r1", "ghost")),
        Refusal::NoSuchMember
    );
}

#[test]
fn cancelling_a_hold_takes_them_out_of_the_line() {
    let mut doc = library();
    run(&mut doc, lend("l1", "r1", "m1", "2026-09-30"));
    run(&mut doc, hold("h1", "r1", "m2"));
    let cancel = |id: &str| Command::CancelHold { hold: id.into() };
    let group = run(&mut doc, cancel("h1"));
    assert!(group.holds_on("r1").is_empty());
    assert_eq!(refused(&mut doc, cancel("h1")), Refusal::NoSuchEntry);
    // With nobody waiting, the borrower may renew.
    run(
        &mut doc,
        Command::Renew {
            loan: "l1".into(),
            due: "2026-10-07".into(),
        },
    );
}

#[test]
fn taking_more_seed_packets_than_are_left_is_refused() {
    let mut doc = library();
    run(
        &mut doc,
        item("seeds", "Cherokee Purple tomato", Category::Seeds, 20),
    );
    run(&mut doc, take("t1", Some("m1"), 5));
    let group = run(&mut doc, take("t2", None, 3));
    assert_eq!(group.packets_left("seeds"), 12);
    assert_eq!(group.seed_moves["t1"].packets, -5);
    assert_eq!(group.seed_moves["t1"].member.as_deref(), Some("m1"));
    assert_eq!(group.seed_moves["t1"].date, "2026-09-21");

    assert_eq!(
        refused(&mut doc, take("t3", Some("m2"), 13)),
        Refusal::NotEnoughSeeds { left: 12 }
    );
    for packets in [-2, 0] {
        assert_eq!(
            refused(&mut doc, take("t3", Some("m2"), packets)),
            Refusal::NumberInvalid
        );
    }
    assert_eq!(
        refused(&mut doc, take("t1", Some("m2"), 1)),
        Refusal::IdTaken
    );
    assert_eq!(
        refused(&mut doc, take("t3", Some("ghost"), 1)),
        Refusal::NoSuchMember
    );
    let mut spade = take("t3", Some("m2"), 1);
    if let Command::TakeSeeds { resource, .. } = &mut spade {
        *resource = "r2".into();
    }
    assert_eq!(refused(&mut doc, spade), Refusal::NotSeeds);
    // The last packets can go.
    let group = run(&mut doc, take("t3", Some("m2"), 12));
    assert_eq!(group.packets_left("seeds"), 0);
    assert_eq!(
        refused(&mut doc, take("t4", Some("m2"), 1)),
        Refusal::NotEnoughSeeds { left: 0 }
    );
}

#[test]
fn seed_packets_given_back_count_again() {
    let mut doc = library();
    run(
        &mut doc,
        item("seeds", "Scarlet runner bean", Category::Seeds, 0),
    );
    let group = run(&mut doc, give("g1", "seeds", 8));
    assert_eq!(group.packets_left("seeds"), 8);
    assert_eq!(group.seed_moves["g1"].packets, 8);
    run(&mut doc, take("t1", Some("m2"), 8));

    assert_eq!(
        refused(&mut doc, give("g2", "seeds", -3)),
        Refusal::NumberInvalid
    );
    assert_eq!(
        refused(&mut doc, give("g2", "seeds", 100_001)),
        Refusal::NumberInvalid
    );
    assert_eq!(refused(&mut doc, give("g2", "r1", 3)), Refusal::NotSeeds);
    assert_eq!(
        refused(&mut doc, give("g2", "gone", 3)),
        Refusal::NoSuchResource
    );
    assert_eq!(refused(&mut doc, give("g1", "seeds", 3)), Refusal::IdTaken);
}

// ---- mutual aid ----

#[test]
fn an_aid_post_is_listed_open_with_who_posted_it() {
    let mut doc = garden();
    let group = run_at(
        &mut doc,
        post("a1", "  Groceries   for Mrs. Lee "),
        At::utc(NOW).by("m1"),
    );
    let ask = &group.aid["a1"];
    assert_eq!(ask.title, "Groceries for Mrs. Lee");
    assert_eq!(ask.status, AidStatus::Open);
    assert_eq!(ask.by.as_deref(), Some("m1"));
    assert_eq!(ask.created_at, NOW);
    assert_eq!(group.aid_listed(NOW).len(), 1);

    assert_eq!(refused(&mut doc, post("a1", "Again")), Refusal::IdTaken);
    assert_eq!(refused(&mut doc, post("a2", " ")), Refusal::NameEmpty);
    let mut long = post("a2", "Rides");
    if let Command::PostAid { details, .. } = &mut long {
        *details = "d".repeat(MAX_NOTE + 1);
    }
    assert_eq!(
        refused(&mut doc, long),
        Refusal::TextTooLong { max: MAX_NOTE }
    );
}

#[test]
fn matching_an_aid_post_names_the_member_who_helps() {
    let mut doc = garden();
    run(&mut doc, post("a1", "Groceries"));
    let matched = |id: &str, who: &str| Command::MatchAid {
        post: id.into(),
        member: who.into(),
    };
    let group = run(&mut doc, matched("a1", "m2"));
    assert_eq!(group.aid["a1"].status, AidStatus::Matched);
    assert_eq!(group.aid["a1"].matched_with.as_deref(), Some("m2"));
    assert_eq!(
        refused(&mut doc, matched("a1", "ghost")),
        Refusal::NoSuchMember
    );
    assert_eq!(
        refused(&mut doc, matched("gone", "m2")),
        Refusal::NoSuchPost
    );
}

#[test]
fn a_done_aid_post_leaves_the_list_after_the_groups_expiry_unless_zero() {
    let mut doc = garden();
    run(&mut doc, post("a1", "Groceries"));
    run(&mut doc, post("a2", "Ride to clinic"));
    let group = run(&mut doc, Command::AidDone { post: "a1".into() });
    assert_eq!(group.aid["a1"].status, AidStatus::Done);
    assert_eq!(group.aid["a1"].done_at, Some(NOW));
    let listed = |group: &Group, at: i64| -> Vec<String> {
        group
            .aid_listed(at)
            .into_iter()
            .map(|(id, _)| id.clone())
            .collect()
    };
    assert_eq!(listed(&group, NOW), ["a2", "a1"], "done ones last");
    assert_eq!(listed(&group, NOW + 30 * DAY - 1), ["a2", "a1"]);
    assert_eq!(listed(&group, NOW + 30 * DAY), ["a2"]);

    let group = run(&mut doc, Command::SetAidExpiry { days: 7 });
    assert_eq!(listed(&group, NOW + 7 * DAY), ["a2"]);
    let group = run(&mut doc, Command::SetAidExpiry { days: 0 });
    assert_eq!(
        listed(&group, NOW + 400 * DAY),
        ["a2", "a1"],
        "0 keeps them"
    );

    assert_eq!(
        refused(
            &mut doc,
            Command::AidDone {
                post: "gone".into()
            }
        ),
        Refusal::NoSuchPost
    );
}

#[test]
fn reopening_an_aid_post_clears_its_match() {
    let mut doc = garden();
    run(&mut doc, post("a1", "Groceries"));
    run(
        &mut doc,
        Command::MatchAid {
            post: "a1".into(),
            member: "m2".into(),
        },
    );
    run(&mut doc, Command::AidDone { post: "a1".into() });
    let group = run(&mut doc, Command::ReopenAid { post: "a1".into() });
    let ask = &group.aid["a1"];
    assert_eq!(ask.status, AidStatus::Open);
    assert!(ask.matched_with.is_none() && ask.done_at.is_none());
    assert_eq!(group.aid_listed(NOW + 400 * DAY).len(), 1, "listed again");
    assert_eq!(
        refused(
            &mut doc,
            Command::ReopenAid {
                post: "gone".into()
            }
        ),
        Refusal::NoSuchPost
    );
}

// ---- meetings in the group's list ----

#[test]
fn a_meeting_is_listed_once_under_its_title() {
    let mut doc = garden();
    let add = |id: &str, title: &str| Command::AddMeeting {
        id: id.into(),
        title: title.into(),
    };
    let group = run(&mut doc, add("mt1", "October meeting"));
    let entry = &group.meetings["mt1"];
    assert_eq!(entry.title, "October meeting");
    assert_eq!(entry.created_at, NOW);
    assert!(entry.date.is_empty());
    assert_eq!(refused(&mut doc, add("mt1", "Again")), Refusal::IdTaken);
    assert_eq!(
        refused(&mut doc, add("mt2", &"t".repeat(MAX_NAME + 1))),
        Refusal::NameTooLong { max: MAX_NAME }
    );
}

#[test]
fn the_meeting_list_follows_a_meetings_title_and_date() {
    let mut doc = garden();
    let list = |id: &str, title: &str, date: &str| Command::ListMeeting {
        id: id.into(),
        title: title.into(),
        date: date.into(),
    };
    run(
        &mut doc,
        Command::AddMeeting {
            id: "mt1".into(),
            title: "Meeting".into(),
        },
    );
    run(
        &mut doc,
        Command::AddMeeting {
            id: "mt2".into(),
            title: "Later meeting".into(),
        },
    );
    run(&mut doc, list("mt2", "Later meeting", "2026-11-02"));
    let group = run(
        &mut doc,
        list("mt1", " Harvest  fair planning ", " 2026-10-05 "),
    );
    assert_eq!(group.meetings["mt1"].title, "Harvest fair planning");
    assert_eq!(group.meetings["mt1"].date, "2026-10-05");
    let order: Vec<_> = group
        .meetings_by_date()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(order, ["mt2", "mt1"], "newest first");
    // A meeting held in the past can be listed: minutes are written after.
    run(&mut doc, list("mt1", "Harvest fair planning", "2026-09-01"));
    let group = run(&mut doc, list("mt1", "Harvest fair planning", ""));
    assert!(group.meetings["mt1"].date.is_empty());

    assert_eq!(
        refused(&mut doc, list("mt1", "Harvest", "5 October")),
        Refusal::DateInvalid
    );
    assert_eq!(refused(&mut doc, list("mt1", "", "")), Refusal::NameEmpty);
    assert_eq!(
        refused(&mut doc, list("gone", "Meeting", "")),
        Refusal::NoSuchItem
    );
}
