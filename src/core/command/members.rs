//! Members: who is in the group and how to reach them.

use super::{At, Command, Field, MAX_SHORT, Refusal, Touched, fresh, line, name};
use crate::core::date::Date;
use crate::core::model::{Group, Member};

pub(super) fn edit(group: &mut Group, command: &Command, at: &At) -> Result<Vec<Touched>, Refusal> {
    match command {
        Command::AddMember { id, name: new } => {
            fresh(group.members.contains_key(id))?;
            let member = Member {
                name: name(new)?,
                created_at: at.now,
                ..Member::default()
            };
            group.members.insert(id.clone(), member);
            Ok(vec![Touched::Put(Field::Members, id.clone())])
        }
        Command::EditMember { member, details } => {
            let new_name = details.name.as_deref().map(name).transpose()?;
            let languages = details
                .languages
                .as_deref()
                .map(|text| line(text, MAX_SHORT))
                .transpose()?;
            let contact = details
                .contact
                .as_deref()
                .map(|text| line(text, MAX_SHORT))
                .transpose()?;
            let entry = group.members.get_mut(member).ok_or(Refusal::NoSuchMember)?;
            // Only what the member changed: the rest stays as it is now.
            if let Some(new_name) = new_name {
                entry.name = new_name;
            }
            if let Some(languages) = languages {
                entry.languages = languages;
            }
            if let Some(contact) = contact {
                entry.contact = contact;
            }
            if let Some(coordinator) = details.coordinator {
                entry.coordinator = coordinator;
            }
            if let Some(point_person) = details.point_person {
                entry.point_person = point_person;
            }
            Ok(vec![Touched::Put(Field::Members, member.clone())])
        }
        Command::RemoveMember { member } => {
            if !group.members.contains_key(member) {
                return Err(Refusal::NoSuchMember);
            }
            // Removing someone who holds things would leave plots and loans
            // pointing at nobody: they are handed back first.
            // This season or one already planned.
            let season = at.season();
            let holds_plot = group.plots.values().find(|plot| {
                plot.holders_in(season).contains(member)
                    || plot.holders.iter().any(|(year, holders)| {
                        year.parse::<i64>().is_ok_and(|year| year > season)
                            && holders.contains(member)
                    })
            });
            if let Some(plot) = holds_plot {
                return Err(Refusal::MemberHoldsPlot {
                    label: plot.label.clone(),
                });
            }
            if let Some((_, loan)) = group.loans_of(member).first() {
                let name = group.resources.get(&loan.resource).map(|r| r.name.clone());
                return Err(Refusal::MemberHasLoan {
                    name: name.unwrap_or_default(),
                });
            }
            let holds: Vec<String> = group
                .holds
                .iter()
                .filter(|(_, h)| &h.member == member)
                .map(|(id, _)| id.clone())
                .collect();
            // Their places on shifts to come are freed; past shifts keep
            // who came and the hours worked.
            let shifts: Vec<String> = group
                .shifts
                .iter()
                .filter(|(_, s)| {
                    s.signups.contains_key(member)
                        && Date::parse(&s.date).is_none_or(|day| day >= at.today)
                })
                .map(|(id, _)| id.clone())
                .collect();
            group.members.remove(member);
            let mut touched = vec![Touched::Removed(Field::Members, member.clone())];
            for hold in holds {
                group.holds.remove(&hold);
                touched.push(Touched::Removed(Field::Holds, hold));
            }
            for shift in shifts {
                if let Some(s) = group.shifts.get_mut(&shift) {
                    s.signups.remove(member);
                }
                touched.push(Touched::Put(Field::Shifts, shift));
            }
            Ok(touched)
        }
        _ => unreachable!("members::edit is given member commands only"),
    }
}
