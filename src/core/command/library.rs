//! The shared library: the catalogue, loans, holds and the seed library.

use super::{
    At, Command, Field, MAX_SHORT, Refusal, Touched, coming, fresh, line, member, member_name,
    name, note,
};
use crate::core::date::Date;
use crate::core::model::{Category, Condition, Group, Hold, Loan, Resource, SeedMove};

fn resource<'a>(group: &'a Group, id: &str) -> Result<&'a Resource, Refusal> {
    group.resources.get(id).ok_or(Refusal::NoSuchResource)
}

fn loan<'a>(group: &'a Group, id: &str) -> Result<&'a Loan, Refusal> {
    group.loans.get(id).ok_or(Refusal::NoSuchLoan)
}

/// A count of packets: at least one.
fn packets(count: i64) -> Result<i64, Refusal> {
    if (1..=100_000).contains(&count) {
        Ok(count)
    } else {
        Err(Refusal::NumberInvalid)
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per command reads best together"
)]
pub(super) fn edit(group: &mut Group, command: &Command, at: &At) -> Result<Vec<Touched>, Refusal> {
    let put = |field, id: &String| Ok(vec![Touched::Put(field, id.clone())]);
    match command {
        Command::AddResource {
            id,
            name: new,
            category,
            kept_at,
            notes,
            packets: stock,
        } => {
            fresh(group.resources.contains_key(id))?;
            let stock = if *category == Category::Seeds {
                u64::try_from(*stock).map_err(|_| Refusal::NumberInvalid)?;
                *stock
            } else {
                0
            };
            let item = Resource {
                name: name(new)?,
                category: *category,
                condition: Condition::Available,
                kept_at: line(kept_at, MAX_SHORT)?,
                notes: note(notes)?,
                packets: stock,
                created_at: at.now,
            };
            group.resources.insert(id.clone(), item);
            put(Field::Resources, id)
        }
        Command::EditResource {
            resource: id,
            name: new,
            category,
            condition,
            kept_at,
            notes,
        } => {
            let new = new.as_deref().map(name).transpose()?;
            let kept_at = kept_at
                .as_deref()
                .map(|text| line(text, MAX_SHORT))
                .transpose()?;
            let notes = notes.as_deref().map(note).transpose()?;
            let item = group.resources.get_mut(id).ok_or(Refusal::NoSuchResource)?;
            // Only what the member changed: the rest stays as it is now.
            if let Some(new) = new {
                item.name = new;
            }
            if let Some(category) = category {
                item.category = *category;
            }
            if let Some(condition) = condition {
                item.condition = *condition;
            }
            if let Some(kept_at) = kept_at {
                item.kept_at = kept_at;
            }
            if let Some(notes) = notes {
                item.notes = notes;
            }
            put(Field::Resources, id)
        }
        Command::Lend {
            id,
            resource: item,
            borrower,
            due,
        } => {
            fresh(group.loans.contains_key(id))?;
            member(group, borrower)?;
            let thing = resource(group, item)?;
            if matches!(
                thing.condition,
                Condition::Missing | Condition::Retired | Condition::Unknown
            ) {
                return Err(Refusal::NotLendable);
            }
            if let Some((_, out)) = group.loans_out(item).first() {
                return Err(Refusal::OnLoan {
                    to: member_name(group, &out.borrower),
                });
            }
            let due = Date::parse(due).ok_or(Refusal::DateInvalid)?;
            if due < at.today {
                return Err(Refusal::DueBeforeOut);
            }
            // Whoever asked first gets it first.
            let queue = group.holds_on(item);
            if let Some((_, first)) = queue.first()
                && first.member != *borrower
            {
                return Err(Refusal::HeldFor {
                    name: member_name(group, &first.member),
                });
            }
            let served: Vec<String> = queue
                .iter()
                .filter(|(_, h)| h.member == *borrower)
                .map(|(hold, _)| (*hold).clone())
                .collect();
            let lent = Loan {
                resource: item.clone(),
                borrower: borrower.clone(),
                out: at.today.to_string(),
                due: due.to_string(),
                renewals: 0,
                returned: None,
                created_at: at.now,
            };
            group.loans.insert(id.clone(), lent);
            let mut touched = vec![Touched::Put(Field::Loans, id.clone())];
            for hold in served {
                group.holds.remove(&hold);
                touched.push(Touched::Removed(Field::Holds, hold));
            }
            Ok(touched)
        }
        Command::Renew { loan: id, due } => {
            let current = loan(group, id)?;
            if !current.is_out() {
                return Err(Refusal::AlreadyReturned);
            }
            let due = coming(due, at)?;
            if Date::parse(&current.out).is_some_and(|out| due < out) {
                return Err(Refusal::DueBeforeOut);
            }
            if !group.holds_on(&current.resource).is_empty() {
                return Err(Refusal::OthersWaiting);
            }
            let entry = group.loans.get_mut(id).ok_or(Refusal::NoSuchLoan)?;
            entry.due = due.to_string();
            entry.renewals += 1;
            put(Field::Loans, id)
        }
        Command::Return { loan: id } => {
            if !loan(group, id)?.is_out() {
                return Err(Refusal::AlreadyReturned);
            }
            let entry = group.loans.get_mut(id).ok_or(Refusal::NoSuchLoan)?;
            entry.returned = Some(at.today.to_string());
            put(Field::Loans, id)
        }
        Command::PlaceHold {
            id,
            resource: item,
            member: who,
        } => {
            fresh(group.holds.contains_key(id))?;
            member(group, who)?;
            resource(group, item)?;
            let out = group.loans_out(item);
            if out.is_empty() {
                return Err(Refusal::NotOnLoan);
            }
            let already = out.iter().any(|(_, l)| l.borrower == *who)
                || group.holds_on(item).iter().any(|(_, h)| h.member == *who);
            if already {
                return Err(Refusal::AlreadyHolding);
            }
            let hold = Hold {
                resource: item.clone(),
                member: who.clone(),
                placed_at: at.now,
            };
            group.holds.insert(id.clone(), hold);
            put(Field::Holds, id)
        }
        Command::CancelHold { hold } => {
            group.holds.remove(hold).ok_or(Refusal::NoSuchEntry)?;
            Ok(vec![Touched::Removed(Field::Holds, hold.clone())])
        }
        Command::TakeSeeds {
            id,
            resource: item,
            member: who,
            packets: count,
        }
        | Command::GiveSeeds {
            id,
            resource: item,
            member: who,
            packets: count,
        } => {
            fresh(group.seed_moves.contains_key(id))?;
            if resource(group, item)?.category != Category::Seeds {
                return Err(Refusal::NotSeeds);
            }
            if let Some(who) = who {
                member(group, who)?;
            }
            let count = packets(*count)?;
            let taking = matches!(command, Command::TakeSeeds { .. });
            let left = group.packets_left(item);
            if taking && count > left {
                return Err(Refusal::NotEnoughSeeds { left: left.max(0) });
            }
            let moved = SeedMove {
                resource: item.clone(),
                member: who.clone(),
                packets: if taking { -count } else { count },
                date: at.today.to_string(),
                created_at: at.now,
            };
            group.seed_moves.insert(id.clone(), moved);
            put(Field::SeedMoves, id)
        }
        _ => unreachable!("library::edit is given library commands only"),
    }
}
