//! The group as files for people who keep spreadsheets: CSV lists of plots,
//! loans, aid posts and action items, and meeting minutes as plain text.
//! Headers and fixed values are in the member's language.

use std::fmt::Write as _;

use crate::core::date::Date;
use crate::core::i18n::{Key, Lang, Named, fill};
use crate::core::model::{Group, Meeting, natural_cmp};

/// Rows as CSV (RFC 4180: quoted where needed, CRLF), starting with a
/// byte-order mark so spreadsheets read accents right. Quoting a field is
/// a few lines; a CSV crate would cost more wasm than it saves.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(cell: &str) -> String {
    // A cell a spreadsheet would run as a formula is kept as text.
    let formula =
        cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
    let cell = if formula {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn header(lang: Lang, keys: &[Key]) -> Vec<String> {
    keys.iter().map(|k| lang.text(*k).to_owned()).collect()
}

fn names(group: &Group, ids: &[String]) -> String {
    ids.iter()
        .map(|id| group.member_name(id).unwrap_or("?"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn name(group: &Group, id: Option<&String>) -> String {
    id.and_then(|id| group.member_name(id))
        .unwrap_or_default()
        .to_owned()
}

/// Every plot, garden by garden, with who holds it in `season`.
pub fn plots_csv(group: &Group, lang: Lang, season: i64) -> String {
    let mut rows = vec![header(
        lang,
        &[
            Key::Garden,
            Key::Plot,
            Key::PlotSize,
            Key::Status,
            Key::Season,
            Key::Holder,
            Key::Squares,
            Key::PlotNotes,
            Key::WhatNeedsDoing,
            Key::FirstNoticeCol,
            Key::FinalNoticeCol,
        ],
    )];
    for (site_id, site) in group.sites_by_name() {
        for (_, plot) in group.plots_in(site_id) {
            rows.push(vec![
                site.name.clone(),
                plot.label.clone(),
                plot.size.clone(),
                lang.text(plot.status.key()).to_owned(),
                season.to_string(),
                names(group, &plot.holders_in(season)),
                plot.cells.clone(),
                plot.notes.clone(),
                plot.attention.clone(),
                plot.first_notice.clone().unwrap_or_default(),
                plot.final_notice.clone().unwrap_or_default(),
            ]);
        }
    }
    csv(&rows)
}

/// Every loan, the ones still out first, then by due date.
pub fn loans_csv(group: &Group, lang: Lang, today: Date) -> String {
    let mut rows = vec![header(
        lang,
        &[
            Key::Item,
            Key::Category,
            Key::Borrower,
            Key::LentOut,
            Key::DueDate,
            Key::Returned,
            Key::Renewals,
            Key::Overdue,
        ],
    )];
    let mut loans: Vec<_> = group.loans.iter().collect();
    loans.sort_by(|(ida, a), (idb, b)| (!a.is_out(), &a.due, ida).cmp(&(!b.is_out(), &b.due, idb)));
    for (_, loan) in loans {
        let item = group.resources.get(&loan.resource);
        rows.push(vec![
            item.map(|r| r.name.clone()).unwrap_or_default(),
            item.map(|r| lang.text(r.category.key()).to_owned())
                .unwrap_or_default(),
            group.member_name(&loan.borrower).unwrap_or("?").to_owned(),
            loan.out.clone(),
            loan.due.clone(),
            loan.returned.clone().unwrap_or_default(),
            loan.renewals.to_string(),
            if loan.is_overdue(today) {
                lang.text(Key::Yes).to_owned()
            } else {
                String::new()
            },
        ]);
    }
    csv(&rows)
}

/// Every ask and offer, done ones included, newest first.
pub fn aid_csv(group: &Group, lang: Lang) -> String {
    let mut rows = vec![header(
        lang,
        &[
            Key::AidKindLabel,
            Key::AidTitle,
            Key::AidCategoryLabel,
            Key::UrgencyLabel,
            Key::Area,
            Key::Status,
            Key::MatchWith,
            Key::PostedByCol,
            Key::PostedOnCol,
            Key::Details,
        ],
    )];
    let mut posts: Vec<_> = group.aid.iter().collect();
    posts.sort_by(|(ida, a), (idb, b)| b.created_at.cmp(&a.created_at).then_with(|| ida.cmp(idb)));
    for (_, post) in posts {
        rows.push(vec![
            lang.text(post.kind.key()).to_owned(),
            post.title.clone(),
            lang.text(post.category.key()).to_owned(),
            lang.text(post.urgency.key()).to_owned(),
            post.area.clone(),
            lang.text(post.status.key()).to_owned(),
            name(group, post.matched_with.as_ref()),
            name(group, post.by.as_ref()),
            Date::from_unix_ms(post.created_at, 0).to_string(),
            post.details.clone(),
        ]);
    }
    csv(&rows)
}

/// Every action item of the given meetings, meeting by meeting in date
/// order.
pub fn actions_csv(group: &Group, meetings: &[(String, Meeting)], lang: Lang) -> String {
    let mut rows = vec![header(
        lang,
        &[
            Key::Meeting,
            Key::Date,
            Key::ActionText,
            Key::Owner,
            Key::DueDate,
            Key::Status,
        ],
    )];
    for (_, meeting) in in_date_order(meetings) {
        for (_, action) in meeting.actions_in_order() {
            rows.push(vec![
                meeting.title.clone(),
                meeting.day(),
                action.text.clone(),
                name(group, action.owner.as_ref()),
                action.due.clone(),
                lang.text(action.status.key()).to_owned(),
            ]);
        }
    }
    csv(&rows)
}

fn in_date_order(meetings: &[(String, Meeting)]) -> Vec<&(String, Meeting)> {
    let mut sorted: Vec<_> = meetings.iter().collect();
    sorted.sort_by(|(ida, a), (idb, b)| {
        (a.day(), a.created_at, ida).cmp(&(b.day(), b.created_at, idb))
    });
    sorted
}

/// The minutes of one meeting as plain text: what a note-taker would type
/// up afterwards.
pub fn minutes_text(group: &Group, meeting: &Meeting, lang: Lang) -> String {
    let t = |key| lang.text(key);
    let mut out = String::new();
    let _ = writeln!(out, "{}", meeting.title);
    let day = meeting.day();
    let when: Vec<&str> = [day.as_str(), meeting.time.as_str(), meeting.place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let _ = writeln!(out, "{}", when.join(" · "));
    for role in crate::core::command::Role::ALL {
        if let Some(who) = role.of(meeting) {
            let _ = writeln!(out, "{}: {}", t(role.key()), name(group, Some(who)));
        }
    }
    let mut present: Vec<&str> = meeting
        .attendees
        .keys()
        .map(|id| group.member_name(id).unwrap_or("?"))
        .collect();
    present.sort_by(|a, b| natural_cmp(a, b));
    let _ = writeln!(out, "{}: {}", t(Key::Attendance), present.join(", "));
    section(
        &mut out,
        t(Key::Agenda),
        meeting
            .agenda_in_order()
            .into_iter()
            .map(|(_, item)| format!("{} {}", if item.done { "[x]" } else { "[ ]" }, item.title)),
    );
    section(
        &mut out,
        t(Key::Decisions),
        meeting
            .decisions_in_order()
            .into_iter()
            .map(|(_, d)| match d.tally {
                Some(tally) => format!("{}\n  ({})", d.text, tally_line(lang, tally)),
                None => d.text.clone(),
            }),
    );
    section(
        &mut out,
        t(Key::ActionItems),
        meeting.actions_in_order().into_iter().map(|(_, a)| {
            let mut line = a.text.clone();
            if let Some(owner) = &a.owner {
                let _ = write!(line, " — {}", name(group, Some(owner)));
            }
            if !a.due.is_empty() {
                let _ = write!(line, " ({})", fill(t(Key::ByDate), &[("date", &a.due)]));
            }
            let _ = write!(line, " [{}]", t(a.status.key()));
            line
        }),
    );
    let notes = meeting.notes.as_str().trim();
    if !notes.is_empty() {
        let _ = write!(out, "\n{}\n{notes}\n", t(Key::Notes));
    }
    out
}

fn section(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    let _ = write!(out, "\n{title}\n");
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
}

/// A proposal's show of hands in words.
pub fn tally_line(lang: Lang, tally: crate::core::model::Tally) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a show of hands is small")]
    let count = |n: u64| lang.number(n as f64);
    fill(
        lang.text(Key::TallyLine),
        &[
            ("agree", &count(tally.agree)),
            ("abstain", &count(tally.abstain)),
            ("disagree", &count(tally.disagree)),
            ("block", &count(tally.block)),
        ],
    )
}

/// Every meeting's minutes, oldest first, one after the other.
pub fn all_minutes(group: &Group, meetings: &[(String, Meeting)], lang: Lang) -> String {
    in_date_order(meetings)
        .into_iter()
        .map(|(_, m)| minutes_text(group, m, lang))
        .collect::<Vec<_>>()
        .join("\n\n----------\n\n")
}
