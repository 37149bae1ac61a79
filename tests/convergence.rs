#![cfg(not(target_arch = "wasm32"))]
//! Random concurrent plot edits on two or three replicas converge once the
//! replicas have merged: same heads, same hydrated group.

use automerge::{ActorId, AutoCommit};
use common_ground::core::command::{self, Command};
use common_ground::core::model::PlotStatus;
use proptest::prelude::*;

/// One replica's edit, with ids drawn from a small pool so that edits collide.
#[derive(Clone, Debug)]
enum Edit {
    Add {
        plot: u8,
        label: u8,
    },
    Change {
        plot: u8,
        label: u8,
        size: u8,
        status: u8,
    },
    Assign {
        plot: u8,
        member: Option<u8>,
    },
    Delete {
        plot: u8,
    },
    AddMember {
        member: u8,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..6u8, 0..8u8).prop_map(|(plot, label)| Edit::Add { plot, label }),
        (0..6u8, 0..8u8, 0..4u8, 0..3u8).prop_map(|(plot, label, size, status)| Edit::Change {
            plot,
            label,
            size,
            status
        }),
        (0..6u8, proptest::option::of(0..3u8))
            .prop_map(|(plot, member)| Edit::Assign { plot, member }),
        (0..6u8).prop_map(|plot| Edit::Delete { plot }),
        (0..3u8).prop_map(|member| Edit::AddMember { member }),
    ]
}

/// The season the tests' clock (a few ms after 1970) falls in.
const SEASON: i64 = 1970;

fn command(replica: usize, edit: &Edit) -> Command {
    match edit {
        // Plot ids are per replica (as random ids would be); labels collide.
        Edit::Add { plot, label } => Command::AddPlot {
            id: format!("r{replica}p{plot}"),
            site: "s1".into(),
            label: format!("L{label}"),
            size: String::new(),
            status: PlotStatus::Available,
        },
        Edit::Change {
            plot,
            label,
            size,
            status,
        } => Command::EditPlot {
            plot: format!("r{}p{plot}", plot % 3),
            label: Some(format!("E{label}")),
            size: Some(format!("{size} m")),
            status: Some(PlotStatus::ALL[usize::from(*status)]),
        },
        Edit::Assign { plot, member } => match member {
            Some(m) => Command::AssignPlot {
                plot: format!("r{}p{plot}", plot % 3),
                season: SEASON,
                member: format!("m{m}"),
                alongside: *m == 2,
            },
            None => Command::ReleasePlot {
                plot: format!("r{}p{plot}", plot % 3),
                season: SEASON,
            },
        },
        Edit::Delete { plot } => Command::DeletePlot {
            plot: format!("r{}p{plot}", plot % 3),
        },
        Edit::AddMember { member } => Command::AddMember {
            id: format!("r{replica}m{member}"),
            name: format!("Member {member}"),
        },
    }
}

fn base() -> AutoCommit {
    let (mut doc, _) = command::new_group(ActorId::from([9; 16]), "Garden club", 0).unwrap();
    for (id, name) in [("m0", "Ana"), ("m1", "Bo"), ("m2", "Chen")] {
        command::apply(
            &mut doc,
            &Command::AddMember {
                id: id.into(),
                name: name.into(),
            },
            0,
        )
        .unwrap();
    }
    command::apply(
        &mut doc,
        &Command::AddSite {
            id: "s1".into(),
            name: "Main".into(),
        },
        0,
    )
    .unwrap();
    for n in 0..3 {
        for replica in 0..3 {
            let add = Command::AddPlot {
                id: format!("r{replica}p{n}"),
                site: "s1".into(),
                label: format!("B{replica}{n}"),
                size: String::new(),
                status: PlotStatus::Available,
            };
            command::apply(&mut doc, &add, 0).unwrap();
        }
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn concurrent_plot_edits_converge(
        edits in proptest::collection::vec(proptest::collection::vec(edit(), 0..12), 2..=3),
        merge_order in proptest::collection::vec(0..3usize, 0..6),
    ) {
        let mut origin = base();
        let mut replicas: Vec<AutoCommit> = (0..edits.len())
            .map(|n| origin.fork().with_actor(ActorId::from([u8::try_from(n).unwrap() + 1; 16])))
            .collect();
        let (mut added, mut deleted) = (Vec::new(), Vec::new());
        for (n, (replica, edits)) in replicas.iter_mut().zip(&edits).enumerate() {
            for (step, edit) in edits.iter().enumerate() {
                let command = command(n, edit);
                // Refusals (a label taken, a plot deleted) are part of the game.
                let accepted = command::apply(replica, &command, i64::try_from(step).unwrap()).is_ok();
                match command {
                    Command::AddPlot { id, .. } if accepted => added.push(id),
                    Command::DeletePlot { plot } => deleted.push(plot),
                    _ => {}
                }
            }
        }
        // Some partial merges first, in a random order, then everyone with everyone.
        let count = replicas.len();
        for pair in merge_order.windows(2) {
            let (a, b) = (pair[0] % count, pair[1] % count);
            if a != b {
                let mut other = replicas[b].clone();
                replicas[a].merge(&mut other).unwrap();
            }
        }
        for a in 0..count {
            for b in 0..count {
                if a != b {
                    let mut other = replicas[b].clone();
                    replicas[a].merge(&mut other).unwrap();
                }
            }
        }
        let first_heads = replicas[0].get_heads();
        let first = command::read(&replicas[0]).unwrap();
        for replica in &mut replicas[1..] {
            prop_assert_eq!(replica.get_heads(), first_heads.clone());
            prop_assert_eq!(command::read(replica).unwrap(), first.clone());
        }
        // Every plot a replica added and nobody deleted is there.
        for id in &added {
            if !deleted.contains(id) {
                prop_assert!(first.plots.contains_key(id), "plot {} was lost", id);
            }
        }
    }

    #[test]
    fn two_members_editing_different_fields_of_one_plot_both_win(label in 0..8u8, member in 0..3u8) {
        let mut origin = base();
        let mut a = origin.fork().with_actor(ActorId::from([1; 16]));
        let mut b = origin.fork().with_actor(ActorId::from([2; 16]));
        command::apply(&mut a, &Command::AssignPlot { plot: "r0p0".into(), season: SEASON, member: format!("m{member}"), alongside: false }, 1).unwrap();
        // b changes the label and size only: its status stays what a saw.
        let mut b_group = command::read(&b).unwrap();
        b_group.plots.get_mut("r0p0").unwrap().label = format!("N{label}");
        b_group.plots.get_mut("r0p0").unwrap().size = "9 m".into();
        autosurgeon::reconcile(&mut b, &b_group).unwrap();
        b.commit();
        a.merge(&mut b).unwrap();
        let plot = command::read(&a).unwrap().plots["r0p0"].clone();
        prop_assert_eq!(plot.holders_in(SEASON), vec![format!("m{member}")]);
        prop_assert_eq!(plot.label, format!("N{label}"));
        prop_assert_eq!(plot.size, "9 m");
    }
}
