#![cfg(not(target_arch = "wasm32"))]
//! Three phones use every map of a document for the first time at once.
//!
//! - Documents made by this version hold every map from the start, so
//!   concurrent first use keeps every item, in the group and in meetings.
//! - Documents from an earlier version make some maps on first use: two
//!   phones making one map at once leaves automerge one map and a hidden
//!   one. The repair (`heal`, run whenever a document is read or a meeting
//!   command runs) brings every item into view, and empties the hidden map,
//!   so an item deleted after the repair stays deleted after the phones sync
//!   and reload.

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ROOT};
use common_ground::core::command::{self, At, Command, MeetingCommand};
use common_ground::core::date::Date;
use common_ground::core::model::{
    AidCategory, AidKind, Category, Group, LogKind, Meeting, PlotStatus, ShiftKind, Urgency,
};
use common_ground::core::repo::DocumentId;
use proptest::prelude::*;

/// 2026-09-21.
const NOW: i64 = 1_790_000_000_000;
const PHONES: usize = 3;

fn at() -> At {
    At {
        now: NOW,
        today: Date::parse("2026-09-21").unwrap(),
        by: None,
    }
}

/// The maps a version-1 group lacked; they are made on first use.
const V2_MAPS: [&str; 8] = [
    "waitlist",
    "shifts",
    "log",
    "resources",
    "loans",
    "holds",
    "seed_moves",
    "aid",
];
const MEETING_MAPS: [&str; 4] = ["attendees", "agenda", "decisions", "actions"];

fn base(old: bool) -> (AutoCommit, AutoCommit) {
    let (mut doc, _) = command::new_group(ActorId::from([9; 16]), "First use", NOW).unwrap();
    for c in [
        Command::AddSite {
            id: "s".into(),
            name: "Lot".into(),
        },
        Command::AddPlot {
            id: "p".into(),
            site: "s".into(),
            label: "A1".into(),
            size: String::new(),
            status: PlotStatus::Available,
        },
    ]
    .into_iter()
    .chain((0..PHONES).map(|i| Command::AddMember {
        id: format!("m{i}"),
        name: format!("Member {i}"),
    })) {
        command::apply(&mut doc, &c, at()).unwrap();
    }
    let mut meeting = command::new_meeting(
        ActorId::from([9; 16]),
        DocumentId::new_random([4; 16]),
        "Meeting",
        NOW,
    )
    .unwrap();
    if old {
        // As version 1 made them: these maps come on first use.
        for key in V2_MAPS {
            doc.delete(ROOT, key).unwrap();
        }
        for key in MEETING_MAPS {
            meeting.delete(ROOT, key).unwrap();
        }
        doc.commit();
        meeting.commit();
    }
    (doc, meeting)
}

/// What phone `p` adds, item `n`, to every map of the group.
fn additions(p: usize, n: usize) -> Vec<Command> {
    let id = |what: &str| format!("{what}{p}x{n}");
    let me = format!("m{p}");
    let other = format!("m{}", (p + 1) % PHONES);
    vec![
        Command::AddMember {
            id: id("m"),
            name: format!("Newcomer {p} {n}"),
        },
        Command::AddSite {
            id: id("s"),
            name: format!("Site {p} {n}"),
        },
        Command::AddPlot {
            id: id("p"),
            site: "s".into(),
            label: format!("P{p}x{n}"),
            size: String::new(),
            status: PlotStatus::Available,
        },
        Command::AddMeeting {
            id: id("mt"),
            title: format!("Meeting {p} {n}"),
        },
        Command::JoinWaitlist {
            id: id("w"),
            site: "s".into(),
            name: format!("Neighbor {p} {n}"),
            contact: String::new(),
            member: None,
            priority: String::new(),
        },
        Command::AddShift {
            id: id("sh"),
            site: "s".into(),
            kind: ShiftKind::Watering,
            title: format!("Water {p} {n}"),
            date: "2026-09-22".into(),
            time: String::new(),
            spots: 0,
        },
        Command::AddLog {
            id: id("l"),
            site: "s".into(),
            plot: None,
            kind: LogKind::Observation,
            date: "2026-09-21".into(),
            crop: String::new(),
            quantity: 0.0,
            unit: String::new(),
            note: format!("Seen {p} {n}"),
        },
        Command::AddResource {
            id: id("r"),
            name: format!("Rake {p} {n}"),
            category: Category::Tool,
            kept_at: String::new(),
            notes: String::new(),
            packets: 0,
        },
        Command::AddResource {
            id: id("seed"),
            name: format!("Beans {p} {n}"),
            category: Category::Seeds,
            kept_at: String::new(),
            notes: String::new(),
            packets: 5,
        },
        Command::Lend {
            id: id("loan"),
            resource: id("r"),
            borrower: me,
            due: "2026-10-01".into(),
        },
        Command::PlaceHold {
            id: id("h"),
            resource: id("r"),
            member: other,
        },
        Command::GiveSeeds {
            id: id("sm"),
            resource: id("seed"),
            member: None,
            packets: 2,
        },
        Command::PostAid {
            id: id("a"),
            kind: AidKind::Offer,
            title: format!("Soup {p} {n}"),
            details: String::new(),
            category: AidCategory::Food,
            urgency: Urgency::Normal,
            area: String::new(),
        },
    ]
}

fn meeting_additions(p: usize, n: usize) -> Vec<MeetingCommand> {
    let id = |what: &str| format!("{what}{p}x{n}");
    vec![
        MeetingCommand::SetPresent {
            member: format!("m{p}"),
            present: true,
        },
        MeetingCommand::AddAgenda {
            id: id("ag"),
            title: format!("Topic {p} {n}"),
        },
        MeetingCommand::AddDecision {
            id: id("d"),
            text: format!("Agreed {p} {n}"),
            tally: None,
        },
        MeetingCommand::AddAction {
            id: id("x"),
            text: format!("Do {p} {n}"),
            owner: None,
            due: String::new(),
            carried_from: None,
        },
    ]
}

/// Every id in every map of a group and a meeting.
fn ids(group: &Group, meeting: &Meeting) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    all.extend(group.members.keys().cloned());
    all.extend(group.sites.keys().cloned());
    all.extend(group.plots.keys().cloned());
    all.extend(group.meetings.keys().cloned());
    all.extend(group.waitlist.keys().cloned());
    all.extend(group.shifts.keys().cloned());
    all.extend(group.log.keys().cloned());
    all.extend(group.resources.keys().cloned());
    all.extend(group.loans.keys().cloned());
    all.extend(group.holds.keys().cloned());
    all.extend(group.seed_moves.keys().cloned());
    all.extend(group.aid.keys().cloned());
    all.extend(meeting.attendees.keys().map(|m| format!("present {m}")));
    all.extend(meeting.agenda.keys().cloned());
    all.extend(meeting.decisions.keys().cloned());
    all.extend(meeting.actions.keys().cloned());
    all.sort();
    all
}

fn sync(docs: &mut [AutoCommit]) {
    for i in 0..docs.len() {
        for j in 0..docs.len() {
            if i != j {
                let mut other = docs[j].fork();
                docs[i].merge(&mut other).unwrap();
            }
        }
    }
}

/// A phone reads its documents as the app does: the group healed first.
fn read(group: &mut AutoCommit, meeting: &AutoCommit) -> (Group, Meeting) {
    command::heal(group, NOW);
    (
        command::read(group).unwrap(),
        command::read_meeting(meeting).unwrap(),
    )
}

/// Reloads a document from what it saves, as after closing the app.
fn reload(doc: &mut AutoCommit) -> AutoCommit {
    AutoCommit::load(&doc.save()).unwrap()
}

/// Each phone adds `counts[p]` items to every map at once; returns the
/// phones' documents after they meet, and every id added.
fn first_use(old: bool, counts: &[usize]) -> (Vec<AutoCommit>, Vec<AutoCommit>, Vec<String>) {
    let (mut group, mut meeting) = base(old);
    let mut groups: Vec<AutoCommit> = (0..PHONES)
        .map(|p| {
            group
                .fork()
                .with_actor(ActorId::from([u8::try_from(p).unwrap() + 1; 16]))
        })
        .collect();
    let mut meetings: Vec<AutoCommit> = (0..PHONES)
        .map(|p| {
            meeting
                .fork()
                .with_actor(ActorId::from([u8::try_from(p).unwrap() + 1; 16]))
        })
        .collect();
    let start = {
        let (g, m) = read(&mut group, &meeting);
        ids(&g, &m)
    };
    let mut added = start;
    for p in 0..PHONES {
        let g = command::read(&groups[p]).unwrap();
        for n in 0..counts[p] {
            for c in additions(p, n) {
                command::apply(&mut groups[p], &c, at())
                    .unwrap_or_else(|why| panic!("phone {p}: {c:?}: {why:?}"));
            }
            for c in meeting_additions(p, n) {
                command::apply_meeting(&mut meetings[p], &g, &c, &at())
                    .unwrap_or_else(|why| panic!("phone {p}: {c:?}: {why:?}"));
            }
        }
        let (g, m) = read(&mut groups[p], &meetings[p]);
        added.extend(ids(&g, &m));
    }
    added.sort();
    added.dedup();
    sync(&mut groups);
    sync(&mut meetings);
    (groups, meetings, added)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn first_use_of_every_map_at_once_keeps_every_item(
        counts in prop::collection::vec(1..3usize, PHONES),
        old in any::<bool>(),
    ) {
        let (mut groups, meetings, added) = first_use(old, &counts);
        for p in 0..PHONES {
            let (g, m) = read(&mut groups[p], &meetings[p]);
            prop_assert_eq!(ids(&g, &m), added.clone(), "phone {}", p);
        }
    }

}

proptest! {
    // Each case syncs, repairs and reloads three phones twice: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(10))]

    #[test]
    fn a_deletion_after_the_repair_stays_deleted(
        counts in prop::collection::vec(1..3usize, PHONES),
        deleter in 0..PHONES,
    ) {
        let (mut groups, mut meetings, _) = first_use(true, &counts);
        // Every phone reads (and so repairs) what it got, and they meet again.
        for p in 0..PHONES {
            read(&mut groups[p], &meetings[p]);
        }
        sync(&mut groups);
        // One phone deletes what another phone added before the repair: a
        // waitlist entry, a shift, a log line, a hold, and one attendance.
        let from = (deleter + 1) % PHONES;
        let gone = |what: &str| format!("{what}{from}x0");
        let g = command::read(&groups[deleter]).unwrap();
        for c in [
            Command::LeaveWaitlist { entry: gone("w") },
            Command::DeleteShift { shift: gone("sh") },
            Command::DeleteLog { entry: gone("l") },
            Command::CancelHold { hold: gone("h") },
        ] {
            command::apply(&mut groups[deleter], &c, at())
                .unwrap_or_else(|why| panic!("{c:?}: {why:?}"));
        }
        let absent = MeetingCommand::SetPresent { member: format!("m{from}"), present: false };
        command::apply_meeting(&mut meetings[deleter], &g, &absent, &at()).unwrap();
        sync(&mut meetings);
        for meeting in &mut meetings {
            command::heal_meeting(meeting, NOW);
        }
        sync(&mut groups);
        sync(&mut meetings);
        // Every phone reads, repairs, reloads and reads again.
        for p in 0..PHONES {
            read(&mut groups[p], &meetings[p]);
            let mut group = reload(&mut groups[p]);
            let mut meeting = reload(&mut meetings[p]);
            command::heal_meeting(&mut meeting, NOW);
            let (g, m) = read(&mut group, &meeting);
            for id in [gone("w"), gone("sh"), gone("l"), gone("h")] {
                prop_assert!(!ids(&g, &m).contains(&id), "phone {}: {} came back", p, id);
            }
            prop_assert!(!m.attendees.contains_key(&format!("m{from}")), "phone {}: attendance came back", p);
            // The rest is all there.
            let kept = (format!("w{deleter}x0"), format!("ag{from}x0"));
            prop_assert!(g.waitlist.contains_key(&kept.0));
            prop_assert!(m.agenda.contains_key(&kept.1));
        }
    }
}

#[test]
fn meetings_made_now_hold_every_map_from_the_start() {
    let (_, meeting) = base(false);
    for key in MEETING_MAPS {
        assert!(
            matches!(
                automerge::ReadDoc::get(&meeting, ROOT, key),
                Ok(Some((automerge::Value::Object(automerge::ObjType::Map), _)))
            ),
            "{key} is made with the meeting"
        );
    }
}
