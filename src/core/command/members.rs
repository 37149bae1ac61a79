//! Members: who is in the group and how to reach them.

use super::{At, Command, Field, MAX_SHORT, Refusal, Touched, fresh, line, name};
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
            let new_name = name(&details.name)?;
            let languages = line(&details.languages, MAX_SHORT)?;
            let contact = line(&details.contact, MAX_SHORT)?;
            let entry = group.members.get_mut(member).ok_or(Refusal::NoSuchMember)?;
            entry.name = new_name;
            entry.languages = languages;
            entry.contact = contact;
            entry.coordinator = details.coordinator;
            entry.point_person = details.point_person;
            Ok(vec![Touched::Put(Field::Members, member.clone())])
        }
        Command::RemoveMember { member } => {
            if !group.members.contains_key(member) {
                return Err(Refusal::NoSuchMember);
            }
            // Removing someone who holds things would leave plots and loans
            // pointing at nobody: they are handed back first.
            if let Some((_, plot)) = group.plots_held_by(member, at.season()).first() {
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
            group.members.remove(member);
            let mut touched = vec![Touched::Removed(Field::Members, member.clone())];
            for hold in holds {
                group.holds.remove(&hold);
                touched.push(Touched::Removed(Field::Holds, hold));
            }
            Ok(touched)
        }
        _ => unreachable!("members::edit is given member commands only"),
    }
}
