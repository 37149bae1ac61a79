//! Gardens: the plot map, plots and their holders, the waitlist, shifts and
//! the garden log.

use super::{
    At, Command, Field, MAX_LABEL, MAX_NOTE, MAX_SHORT, MAX_SIZE, Refusal, Touched, coming, fresh,
    happened, line, member, member_name, name, note, time,
};
use crate::core::date::Date;
use crate::core::model::{
    Group, LogEntry, LogKind, MAX_GRID, Member, Plot, PlotStatus, Shift, Site, WaitlistEntry,
    format_cells,
};
use crate::core::text::{char_len, clean_line, fold, same_as};

fn label(group: &Group, site: &str, text: &str, except: Option<&str>) -> Result<String, Refusal> {
    let text = clean_line(text);
    if text.is_empty() {
        return Err(Refusal::LabelEmpty);
    }
    if char_len(&text) > MAX_LABEL {
        return Err(Refusal::LabelTooLong { max: MAX_LABEL });
    }
    let folded = fold(&text);
    let taken = group.plots.iter().any(|(id, plot)| {
        plot.site == site && Some(id.as_str()) != except && same_as(&plot.label, &folded)
    });
    if taken {
        return Err(Refusal::DuplicateLabel { label: text });
    }
    Ok(text)
}

fn size(text: &str) -> Result<String, Refusal> {
    let text = clean_line(text);
    if char_len(&text) > MAX_SIZE {
        Err(Refusal::SizeTooLong { max: MAX_SIZE })
    } else {
        Ok(text)
    }
}

fn site(group: &Group, id: &str) -> Result<(), Refusal> {
    if group.sites.contains_key(id) {
        Ok(())
    } else {
        Err(Refusal::NoSuchSite)
    }
}

fn plot<'a>(group: &'a Group, id: &str) -> Result<&'a Plot, Refusal> {
    group.plots.get(id).ok_or(Refusal::NoSuchPlot)
}

fn plot_mut<'a>(group: &'a mut Group, id: &str) -> Result<&'a mut Plot, Refusal> {
    group.plots.get_mut(id).ok_or(Refusal::NoSuchPlot)
}

fn shift_mut<'a>(group: &'a mut Group, id: &str) -> Result<&'a mut Shift, Refusal> {
    group.shifts.get_mut(id).ok_or(Refusal::NoSuchShift)
}

/// A plot's holders for a season start from what it has now (version 1's
/// single holder included), so assigning by season keeps them.
fn seasons_of(plot: &mut Plot, season: i64) -> &mut Vec<String> {
    if plot.holders.is_empty()
        && let Some(old) = plot.holder.take()
    {
        plot.holders.insert(season.to_string(), vec![old]);
    }
    plot.holders.entry(season.to_string()).or_default()
}

/// Gives a plot to a member for a season, after every check has passed.
fn hand_over(plot: &mut Plot, season: i64, member: &str, at: &At) {
    let holders = seasons_of(plot, season);
    if !holders.iter().any(|h| h == member) {
        holders.push(member.to_owned());
    }
    // A plot under follow-up stays so until a coordinator clears it.
    if season == at.season() && plot.status != PlotStatus::NeedsAttention {
        plot.status = PlotStatus::Assigned;
    }
}

/// Who holds a plot in a season, or nobody; refused with their name if
/// someone else does.
fn free(group: &Group, plot: &Plot, season: i64) -> Result<(), Refusal> {
    match plot.holders_in(season).first() {
        Some(holder) => Err(Refusal::PlotTaken {
            by: member_name(group, holder),
        }),
        None => Ok(()),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per command reads best together"
)]
pub(super) fn edit(group: &mut Group, command: &Command, at: &At) -> Result<Vec<Touched>, Refusal> {
    let put = |field, id: &String| Ok(vec![Touched::Put(field, id.clone())]);
    match command {
        Command::AddSite { id, name: new } => {
            fresh(group.sites.contains_key(id))?;
            let garden = Site {
                name: name(new)?,
                created_at: at.now,
                rows: 0,
                cols: 0,
            };
            group.sites.insert(id.clone(), garden);
            put(Field::Sites, id)
        }
        Command::RenameSite {
            site: id,
            name: new,
        } => {
            let new = name(new)?;
            group.sites.get_mut(id).ok_or(Refusal::NoSuchSite)?.name = new;
            put(Field::Sites, id)
        }
        Command::LayOutSite {
            site: id,
            rows,
            cols,
        } => {
            site(group, id)?;
            let side = |n: i64| u64::try_from(n).map_err(|_| Refusal::NumberInvalid);
            let (rows, cols) = (side(*rows)?, side(*cols)?);
            if rows > MAX_GRID || cols > MAX_GRID {
                return Err(Refusal::GridTooLarge { max: MAX_GRID });
            }
            let cut = group
                .plots_in(id)
                .into_iter()
                .find(|(_, p)| p.cells().iter().any(|(r, c)| *r >= rows || *c >= cols));
            if let Some((_, p)) = cut {
                return Err(Refusal::PlotOffMap {
                    label: p.label.clone(),
                });
            }
            let garden = group.sites.get_mut(id).ok_or(Refusal::NoSuchSite)?;
            garden.rows = rows;
            garden.cols = cols;
            put(Field::Sites, id)
        }
        Command::AddPlot {
            id,
            site: garden,
            label: text,
            size: measure,
            status,
        } => {
            fresh(group.plots.contains_key(id))?;
            site(group, garden)?;
            let new = Plot {
                site: garden.clone(),
                label: label(group, garden, text, None)?,
                size: size(measure)?,
                status: *status,
                created_at: at.now,
                ..Plot::default()
            };
            group.plots.insert(id.clone(), new);
            put(Field::Plots, id)
        }
        Command::EditPlot {
            plot: id,
            label: text,
            size: measure,
            status,
        } => {
            let garden = plot(group, id)?.site.clone();
            let text = text
                .as_deref()
                .map(|text| label(group, &garden, text, Some(id)))
                .transpose()?;
            let measure = measure.as_deref().map(size).transpose()?;
            let holder = plot(group, id)?.holders_in(at.season()).first().cloned();
            if let (Some(PlotStatus::Available), Some(holder)) = (status, holder) {
                return Err(Refusal::StillHeld {
                    by: member_name(group, &holder),
                });
            }
            let entry = plot_mut(group, id)?;
            // Only what the member changed: the rest stays as it is now.
            if let Some(text) = text {
                entry.label = text;
            }
            if let Some(measure) = measure {
                entry.size = measure;
            }
            if let Some(status) = status {
                entry.status = *status;
            }
            put(Field::Plots, id)
        }
        Command::SetPlotNotes { plot: id, notes } => {
            let notes = note(notes)?;
            plot_mut(group, id)?.notes = notes;
            put(Field::Plots, id)
        }
        Command::PlacePlot { plot: id, cells } => {
            let here = plot(group, id)?;
            let garden = group.sites.get(&here.site).ok_or(Refusal::NoSuchSite)?;
            if cells
                .iter()
                .any(|(r, c)| *r >= garden.rows || *c >= garden.cols)
            {
                return Err(Refusal::PlotOffMap {
                    label: here.label.clone(),
                });
            }
            let clash = group.plots_in(&here.site).into_iter().find(|(other, p)| {
                *other != id && p.cells().iter().any(|cell| cells.contains(cell))
            });
            if let Some((_, p)) = clash {
                return Err(Refusal::CellTaken {
                    label: p.label.clone(),
                });
            }
            plot_mut(group, id)?.cells = format_cells(cells);
            put(Field::Plots, id)
        }
        Command::AssignPlot {
            plot: id,
            season,
            member: who,
            alongside,
        } => {
            member(group, who)?;
            let here = plot(group, id)?;
            if !alongside {
                free(group, here, *season)?;
            }
            hand_over(plot_mut(group, id)?, *season, who, at);
            put(Field::Plots, id)
        }
        Command::ReleasePlot { plot: id, season } => {
            let entry = plot_mut(group, id)?;
            if entry.holders_in(*season).is_empty() {
                return Err(Refusal::NotHeld);
            }
            seasons_of(entry, *season).clear();
            if *season == at.season() {
                entry.status = PlotStatus::Available;
                entry.attention.clear();
                entry.first_notice = None;
                entry.final_notice = None;
            }
            put(Field::Plots, id)
        }
        Command::MarkAttention {
            plot: id,
            note: why,
        } => {
            let why = line(why, MAX_NOTE)?;
            let entry = plot_mut(group, id)?;
            entry.status = PlotStatus::NeedsAttention;
            entry.attention = why;
            put(Field::Plots, id)
        }
        Command::RecordNotice {
            plot: id,
            last,
            date: day,
        } => {
            let day = happened(day, at)?;
            let entry = plot(group, id)?;
            let given = |notice: &Option<String>| {
                notice.as_deref().and_then(crate::core::date::Date::parse)
            };
            if *last {
                let first = given(&entry.first_notice).ok_or(Refusal::NoFirstNotice)?;
                if day < first {
                    return Err(Refusal::FinalBeforeFirst);
                }
            } else if given(&entry.final_notice).is_some_and(|last| day > last) {
                return Err(Refusal::FinalBeforeFirst);
            }
            let entry = plot_mut(group, id)?;
            entry.status = PlotStatus::NeedsAttention;
            let slot = if *last {
                &mut entry.final_notice
            } else {
                &mut entry.first_notice
            };
            *slot = Some(day.to_string());
            put(Field::Plots, id)
        }
        Command::ClearAttention { plot: id } => {
            let season = at.season();
            let entry = plot_mut(group, id)?;
            entry.status = if entry.holders_in(season).is_empty() {
                PlotStatus::Available
            } else {
                PlotStatus::Assigned
            };
            entry.attention.clear();
            entry.first_notice = None;
            entry.final_notice = None;
            put(Field::Plots, id)
        }
        Command::DeletePlot { plot: id } => {
            group.plots.remove(id).ok_or(Refusal::NoSuchPlot)?;
            Ok(vec![Touched::Removed(Field::Plots, id.clone())])
        }
        Command::JoinWaitlist {
            id,
            site: garden,
            name: who,
            contact,
            member: known,
            priority,
        } => {
            fresh(group.waitlist.contains_key(id))?;
            site(group, garden)?;
            if let Some(known) = known {
                member(group, known)?;
            }
            let who = name(who)?;
            let folded = fold(&who);
            let waiting = group.waitlist.values().any(|w| {
                w.site == *garden
                    && match (known, &w.member) {
                        (Some(known), Some(them)) => known == them,
                        _ => same_as(&w.name, &folded),
                    }
            });
            if waiting {
                return Err(Refusal::AlreadyWaiting { name: who });
            }
            let entry = WaitlistEntry {
                site: garden.clone(),
                name: who,
                contact: line(contact, MAX_SHORT)?,
                member: known.clone(),
                priority: line(priority, MAX_SHORT)?,
                added_at: at.now,
            };
            group.waitlist.insert(id.clone(), entry);
            put(Field::Waitlist, id)
        }
        Command::LeaveWaitlist { entry } => {
            group.waitlist.remove(entry).ok_or(Refusal::NoSuchEntry)?;
            Ok(vec![Touched::Removed(Field::Waitlist, entry.clone())])
        }
        Command::OfferPlot {
            plot: id,
            entry,
            season,
            new_member,
        } => {
            let waiting = group
                .waitlist
                .get(entry)
                .ok_or(Refusal::NoSuchEntry)?
                .clone();
            let here = plot(group, id)?;
            if here.site != waiting.site {
                return Err(Refusal::WrongGarden);
            }
            free(group, here, *season)?;
            let mut touched = Vec::new();
            let holder = match &waiting.member {
                Some(known) if group.members.contains_key(known) => known.clone(),
                _ => {
                    fresh(group.members.contains_key(new_member))?;
                    let joined = Member {
                        name: waiting.name.clone(),
                        contact: waiting.contact.clone(),
                        created_at: at.now,
                        ..Member::default()
                    };
                    group.members.insert(new_member.clone(), joined);
                    touched.push(Touched::Put(Field::Members, new_member.clone()));
                    new_member.clone()
                }
            };
            hand_over(plot_mut(group, id)?, *season, &holder, at);
            group.waitlist.remove(entry);
            touched.push(Touched::Put(Field::Plots, id.clone()));
            touched.push(Touched::Removed(Field::Waitlist, entry.clone()));
            Ok(touched)
        }
        Command::AddShift {
            id,
            site: garden,
            kind,
            title,
            date: day,
            time: hour,
            spots,
        } => {
            fresh(group.shifts.contains_key(id))?;
            site(group, garden)?;
            let shift = Shift {
                site: garden.clone(),
                kind: *kind,
                title: line(title, MAX_SHORT)?,
                date: coming(day, at)?.to_string(),
                time: time(hour)?,
                spots: u64::try_from(*spots)
                    .ok()
                    .filter(|n| *n <= 500)
                    .ok_or(Refusal::NumberInvalid)?,
                created_at: at.now,
                ..Shift::default()
            };
            group.shifts.insert(id.clone(), shift);
            put(Field::Shifts, id)
        }
        Command::SignUp {
            shift: id,
            member: who,
        } => {
            member(group, who)?;
            let shift = shift_mut(group, id)?;
            if shift.signups.contains_key(who) {
                return Err(Refusal::AlreadySignedUp);
            }
            if shift.spots > 0 && shift.signups.len() as u64 >= shift.spots {
                return Err(Refusal::ShiftFull);
            }
            shift.signups.insert(who.clone(), at.now);
            put(Field::Shifts, id)
        }
        Command::LeaveShift {
            shift: id,
            member: who,
        } => {
            let shift = shift_mut(group, id)?;
            shift.signups.remove(who).ok_or(Refusal::NotSignedUp)?;
            put(Field::Shifts, id)
        }
        Command::RecordHours {
            shift: id,
            member: who,
            minutes,
        } => {
            member(group, who)?;
            let minutes = u64::try_from(*minutes).map_err(|_| Refusal::NumberInvalid)?;
            if minutes > 24 * 60 {
                return Err(Refusal::TooManyMinutes);
            }
            let shift = shift_mut(group, id)?;
            // Hours are worked on the day, not before.
            if Date::parse(&shift.date).is_some_and(|day| day > at.today) {
                return Err(Refusal::DateInFuture);
            }
            if minutes == 0 {
                shift.minutes.remove(who);
            } else {
                shift.minutes.insert(who.clone(), minutes);
            }
            put(Field::Shifts, id)
        }
        Command::DeleteShift { shift } => {
            group.shifts.remove(shift).ok_or(Refusal::NoSuchShift)?;
            Ok(vec![Touched::Removed(Field::Shifts, shift.clone())])
        }
        Command::AddLog {
            id,
            site: garden,
            plot: about,
            kind,
            date: day,
            crop,
            quantity,
            unit,
            note: text,
        } => {
            fresh(group.log.contains_key(id))?;
            site(group, garden)?;
            if let Some(about) = about
                && plot(group, about)?.site != *garden
            {
                return Err(Refusal::WrongGarden);
            }
            let day = happened(day, at)?;
            if !quantity.is_finite() || *quantity < 0.0 || *quantity > 1.0e9 {
                return Err(Refusal::NumberInvalid);
            }
            let crop = line(crop, MAX_SHORT)?;
            if *kind == LogKind::Harvest && crop.is_empty() {
                return Err(Refusal::CropEmpty);
            }
            let entry = LogEntry {
                site: garden.clone(),
                plot: about.clone(),
                kind: *kind,
                date: day.to_string(),
                crop,
                quantity: *quantity,
                unit: line(unit, MAX_SHORT)?,
                note: note(text)?,
                by: at.by.clone(),
                created_at: at.now,
            };
            group.log.insert(id.clone(), entry);
            put(Field::Log, id)
        }
        Command::DeleteLog { entry } => {
            group.log.remove(entry).ok_or(Refusal::NoSuchEntry)?;
            Ok(vec![Touched::Removed(Field::Log, entry.clone())])
        }
        _ => unreachable!("garden::edit is given garden commands only"),
    }
}
