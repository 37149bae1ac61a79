//! A garden's work days and watering turns: who signed up, places left,
//! hours worked, and everyone's hours this season.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::{Key, Named, measured};
use crate::core::model::{Shift, ShiftKind};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{
    Badge, Choice, FieldError, Filter, InputField, MemberSelect, PageTitle, TextField, local_date,
    member_names,
};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn ShiftsPage(id: DocumentId, site: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <ShiftsView id=id site=site.clone() />
        </GroupGate>
    }
}

/// Minutes as hours, to a tenth, in the member's words.
pub fn hours(app: AppState, minutes: u64) -> String {
    measured(app.lang.get(), Key::Hours, in_hours(minutes))
}

/// Minutes as hours, to a tenth: 90 → 1.5.
pub fn in_hours(minutes: u64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "minutes worked stay small")]
    let hours = (minutes as f64 / 6.0).round() / 10.0;
    hours
}

/// One shift as the list shows it.
#[derive(Clone, PartialEq)]
struct Row {
    id: String,
    shift: Shift,
    /// (member id, name, minutes worked)
    people: Vec<(String, String, u64)>,
    past: bool,
    /// Today or before: hours can be recorded.
    begun: bool,
}

#[component]
fn ShiftsView(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let garden = site.clone();
    let site_name = Signal::derive(move || {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.sites.get(&garden))
                .map(|s| format!("{} · {}", app.t(Key::WorkDays), s.name))
                .unwrap_or_default()
        })
    });
    let filter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let garden = site.clone();
    let rows = Memo::new(move |_| {
        let today = app.today.get();
        let filter = filter.get();
        group.with(|g| {
            let Some(g) = g.as_ref() else {
                return Vec::new();
            };
            let mut rows: Vec<Row> = g
                .shifts
                .iter()
                .filter(|(_, s)| s.site == garden)
                .map(|(shift_id, shift)| {
                    let mut people: Vec<(String, String, u64)> = shift
                        .signups
                        .keys()
                        .chain(
                            shift
                                .minutes
                                .keys()
                                .filter(|m| !shift.signups.contains_key(*m)),
                        )
                        .map(|m| {
                            let name = g.member_name(m).unwrap_or("?").to_owned();
                            (m.clone(), name, shift.minutes.get(m).copied().unwrap_or(0))
                        })
                        .collect();
                    people.sort_by(|a, b| crate::core::model::natural_cmp(&a.1, &b.1));
                    let day = crate::core::date::Date::parse(&shift.date);
                    Row {
                        id: shift_id.clone(),
                        past: day.is_some_and(|d| d < today),
                        begun: day.is_some_and(|d| d <= today),
                        shift: shift.clone(),
                        people,
                    }
                })
                .filter(|row| {
                    let names: Vec<&str> = row.people.iter().map(|p| p.1.as_str()).collect();
                    matches_filter(
                        &filter,
                        &[
                            &row.shift.title,
                            &row.shift.date,
                            &names.join(" "),
                            app.t(row.shift.kind.key()),
                        ],
                    )
                })
                .collect();
            rows.sort_by(|a, b| {
                (&a.shift.date, &a.shift.time, &a.id).cmp(&(&b.shift.date, &b.shift.time, &b.id))
            });
            rows
        })
    });
    let season = move || app.today.get().year();
    let totals = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                let mut totals: Vec<(String, u64)> = g
                    .minutes_in(season())
                    .into_iter()
                    .map(|(m, minutes)| (g.member_name(m).unwrap_or("?").to_owned(), minutes))
                    .collect();
                totals.sort_by(|a, b| crate::core::model::natural_cmp(&a.0, &b.0));
                totals
            })
        })
    };
    // The one shift whose sign-up or hours panel is open.
    let open = RwSignal::new(None::<(String, bool)>);
    let who = RwSignal::new(String::new());
    let worked = RwSignal::new(String::new());
    let worked_error = RwSignal::new(None::<String>);
    let run = move |command: Command| match app.run(id, &command) {
        Ok(()) => {
            error.set(None);
            true
        }
        Err(refused) => {
            error.set(Some(refused.message));
            false
        }
    };
    let shift_item = move |row: Row| {
        let Row {
            id: shift_id,
            shift,
            people,
            past,
            begun,
        } = row;
        let title = if shift.title.is_empty() {
            app.t(shift.kind.key()).to_owned()
        } else {
            shift.title.clone()
        };
        let when = [local_date(app, &shift.date), shift.time.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let taken = u64::try_from(shift.signups.len()).unwrap_or(u64::MAX);
        let left = (shift.spots > 0).then(|| shift.spots.saturating_sub(taken));
        let symbol = if shift.kind == ShiftKind::Watering {
            "≈"
        } else {
            "⚒"
        };
        let people_view = if people.is_empty() {
            view! { <li class="quiet">{move || app.t(Key::NobodySignedUp)}</li> }.into_any()
        } else {
            people
                .into_iter()
                .map(|(member, name, minutes)| {
                    let (shift_id, member) = (shift_id.clone(), member.clone());
                    view! {
                        <li>
                            {name}
                            {(minutes > 0).then(|| view! { " · "<span>{hours(app, minutes)}</span> })}
                            {(!past).then(|| view! {
                                <button type="button" on:click=move |_| { run(Command::LeaveShift { shift: shift_id.clone(), member: member.clone() }); }>
                                    {move || app.t(Key::TakeOff)}
                                </button>
                            })}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        };
        let (sign_id, hours_id, delete_id, panel_id) = (
            shift_id.clone(),
            shift_id.clone(),
            shift_id.clone(),
            shift_id.clone(),
        );
        let anyone = !shift.signups.is_empty();
        let no_hours = shift.minutes.is_empty();
        view! {
            <li data-testid="shift">
                <p><Badge class="assigned" symbol=symbol text=shift.kind.key() /></p>
                <strong>{title}</strong>
                <span>{when}</span>
                <span class="quiet" data-testid="spots">
                    {move || match left {
                        Some(0) => app.t(Key::Full).to_owned(),
                        Some(n) => app.count(Key::SpotsLeft, n),
                        None => String::new(),
                    }}
                </span>
                <ul class="plain-list">{people_view}</ul>
                <div class="row">
                    {(!past && left != Some(0)).then(|| view! {
                        <button type="button" class="primary" on:click=move |_| {
                            who.set(app.me_in(id).unwrap_or_default());
                            open.set(Some((sign_id.clone(), false)));
                        }>{move || app.t(Key::SignUp)}</button>
                    })}
                    {(begun && (anyone || !no_hours)).then(|| view! {
                        <button type="button" on:click=move |_| {
                            who.set(app.me_in(id).unwrap_or_default());
                            worked.set(String::new());
                            open.set(Some((hours_id.clone(), true)));
                        }>{move || app.t(Key::RecordHours)}</button>
                    })}
                    {no_hours.then(|| view! {
                        <button type="button" class="danger" on:click=move |_| {
                            let sure = window().confirm_with_message(app.t(Key::ConfirmDeleteShift)).unwrap_or(false);
                            if sure {
                                run(Command::DeleteShift { shift: delete_id.clone() });
                            }
                        }>{move || app.t(Key::Delete)}</button>
                    })}
                </div>
                {move || match open.get() {
                    Some((shift, false)) if shift == panel_id => {
                        let shift = shift.clone();
                        Some(view! {
                            <div class="panel">
                                <MemberSelect id="signup-member" label=Key::Who value=who members=member_names(app, id) />
                                <button type="button" class="primary" on:click=move |_| {
                                    if run(Command::SignUp { shift: shift.clone(), member: who.get_untracked() }) {
                                        open.set(None);
                                    }
                                }>{move || app.t(Key::SignUp)}</button>
                            </div>
                        }.into_any())
                    }
                    Some((shift, true)) if shift == panel_id => {
                        let shift = shift.clone();
                        Some(view! {
                            <div class="panel">
                                <MemberSelect id="hours-member" label=Key::Who value=who members=member_names(app, id) />
                                <InputField id="hours-worked" label=Key::HoursWorked kind="decimal" value=worked error=worked_error />
                                <button type="button" class="primary" on:click=move |_| {
                                    let Some(minutes) = app.lang.get_untracked().parse_number(&worked.get_untracked()) else {
                                        worked_error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
                                        return;
                                    };
                                    #[expect(clippy::cast_possible_truncation, reason = "checked finite; the command bounds it")]
                                    let minutes = (minutes * 60.0).round() as i64;
                                    match app.run(id, &Command::RecordHours { shift: shift.clone(), member: who.get_untracked(), minutes }) {
                                        Ok(()) => open.set(None),
                                        Err(refused) => worked_error.set(Some(refused.message)),
                                    }
                                }>{move || app.t(Key::RecordHours)}</button>
                            </div>
                        }.into_any())
                    }
                    _ => None,
                }}
            </li>
        }
    };
    view! {
        <PageTitle title=site_name back=Route::Site(id, site.clone()).href() />
        <Filter id="shift-filter" value=filter />
        <FieldError id="shift-error".to_owned() error=error />
        <section aria-labelledby="coming-heading">
            <h2 id="coming-heading">{move || app.t(Key::ComingUp)}</h2>
            <ul class="plain-list" data-testid="shifts">
                {move || {
                    let coming: Vec<Row> = rows.get().into_iter().filter(|r| !r.past).collect();
                    if coming.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoShiftsYet)}</li> }.into_any();
                    }
                    coming.into_iter().map(shift_item).collect_view().into_any()
                }}
            </ul>
        </section>
        <AddShift id=id site=site.clone() />
        <details class="panel">
            <summary>{move || app.t(Key::Past)}</summary>
            <ul class="plain-list" data-testid="past-shifts">
                {move || rows.get().into_iter().filter(|r| r.past).rev().map(shift_item).collect_view()}
            </ul>
        </details>
        <section class="panel" aria-labelledby="hours-heading">
            <h2 id="hours-heading">{move || app.tf(Key::HoursBySeason, &[("season", &season().to_string())])}</h2>
            <ul class="plain-list" data-testid="hours">
                {move || {
                    let totals = totals();
                    if totals.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoHoursYet)}</li> }.into_any();
                    }
                    totals.into_iter().map(|(name, minutes)| view! {
                        <li>{name}" · "{hours(app, minutes)}</li>
                    }).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}

#[component]
fn AddShift(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let kind = RwSignal::new(ShiftKind::WorkDay);
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(app.today.get_untracked().add_days(7).to_string());
    let time = RwSignal::new(String::new());
    let spots = RwSignal::new("0".to_owned());
    let date_error = RwSignal::new(None::<String>);
    let spots_error = RwSignal::new(None::<String>);
    let title_error = RwSignal::new(None::<String>);
    let time_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = spots.get_untracked();
        let Ok(count) = typed.trim().parse::<i64>() else {
            spots_error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
            return;
        };
        let command = Command::AddShift {
            id: new_id(),
            site: site.clone(),
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            date: date.get_untracked(),
            time: time.get_untracked(),
            spots: count,
        };
        match app.run(id, &command) {
            Ok(()) => title.set(String::new()),
            Err(refused) => {
                use crate::core::command::Refusal;
                let field = match refused.why {
                    Refusal::DateInvalid | Refusal::DateInPast => date_error,
                    Refusal::TimeInvalid => time_error,
                    Refusal::NumberInvalid => spots_error,
                    _ => title_error,
                };
                field.set(Some(refused.message));
            }
        }
    };
    view! {
        <form class="panel" on:submit=add novalidate>
            <h2>{move || app.t(Key::AddShift)}</h2>
            <Choice id="shift-kind" label=Key::ShiftKindLabel value=kind all=ShiftKind::ALL as_str=ShiftKind::as_str />
            <TextField id="shift-title" label=Key::ShiftTitle value=title error=title_error />
            <InputField id="shift-date" label=Key::Date kind="date" value=date error=date_error />
            <InputField id="shift-time" label=Key::TimeOptional kind="time" value=time error=time_error />
            <InputField id="shift-spots" label=Key::Spots kind="number" value=spots hint=Key::SpotsHint error=spots_error />
            <button type="submit" class="primary">{move || app.t(Key::AddShift)}</button>
        </form>
    }
}
