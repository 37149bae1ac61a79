//! Mutual aid: asks and offers, matched and done.

use super::{At, Command, Field, MAX_SHORT, Refusal, Touched, fresh, line, member, name, note};
use crate::core::model::{AidPost, AidStatus, Group};

pub(super) fn edit(group: &mut Group, command: &Command, at: &At) -> Result<Vec<Touched>, Refusal> {
    let id = match command {
        Command::PostAid {
            id,
            kind,
            title,
            details,
            category,
            urgency,
            area,
        } => {
            fresh(group.aid.contains_key(id))?;
            let post = AidPost {
                kind: *kind,
                title: name(title)?,
                details: note(details)?,
                category: *category,
                urgency: *urgency,
                area: line(area, MAX_SHORT)?,
                status: AidStatus::Open,
                by: at.by.clone(),
                matched_with: None,
                created_at: at.now,
                done_at: None,
            };
            group.aid.insert(id.clone(), post);
            id
        }
        Command::MatchAid {
            post: id,
            member: who,
        } => {
            member(group, who)?;
            let post = group.aid.get_mut(id).ok_or(Refusal::NoSuchPost)?;
            post.status = AidStatus::Matched;
            post.matched_with = Some(who.clone());
            post.done_at = None;
            id
        }
        Command::AidDone { post: id } => {
            let post = group.aid.get_mut(id).ok_or(Refusal::NoSuchPost)?;
            post.status = AidStatus::Done;
            post.done_at = Some(at.now);
            id
        }
        Command::ReopenAid { post: id } => {
            let post = group.aid.get_mut(id).ok_or(Refusal::NoSuchPost)?;
            post.status = AidStatus::Open;
            post.matched_with = None;
            post.done_at = None;
            id
        }
        _ => unreachable!("aid::edit is given aid commands only"),
    };
    Ok(vec![Touched::Put(Field::Aid, id.clone())])
}
