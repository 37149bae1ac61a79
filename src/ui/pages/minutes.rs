//! A meeting's minutes, laid out for paper: print them, or save them as a
//! text file to send on.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Role;
use crate::core::export::{minutes_text, tally_line};
use crate::core::i18n::{Key, Named};
use crate::core::model::{ActionStatus, Meeting, natural_cmp};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{FieldError, PageTitle, local_date};
use crate::ui::state::AppState;
use crate::web::platform;

#[component]
pub fn MinutesPage(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <MinutesView id=id meeting=meeting />
        </GroupGate>
    }
}

#[component]
fn MinutesView(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let read = RwSignal::new(None::<Option<Meeting>>);
    Effect::new(move || {
        app.remote_tick.track();
        let Some(repo) = app.store() else { return };
        leptos::task::spawn_local(async move {
            read.set(Some(repo.meeting(meeting).await));
        });
    });
    let name = move |member: &str| {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.member_name(member))
                .unwrap_or("?")
                .to_owned()
        })
    };
    let error = RwSignal::new(None::<String>);
    let save_text = move |_| {
        let text = read.with_untracked(|m| {
            let m = m.as_ref()?.as_ref()?;
            group.with_untracked(|g| {
                g.as_ref()
                    .map(|g| (m.day(), minutes_text(g, m, app.lang.get_untracked())))
            })
        });
        if let Some((day, text)) = text
            && let Err(why) = platform::download(
                &format!("{} {day}.txt", app.t(Key::Minutes)),
                "text/plain;charset=utf-8",
                &text,
            )
        {
            error.set(Some(app.tf(Key::ErrStorage, &[("error", &why)])));
        }
    };
    let page =
        move || {
            let m = read.get()?;
            let Some(m) = m else {
                return Some(
                    view! { <p class="notice">{move || app.t(Key::MeetingNotFound)}</p> }
                        .into_any(),
                );
            };
            let when = [local_date(app, &m.day()), m.time.clone(), m.place.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let roles = Role::ALL
                .into_iter()
                .filter_map(|role| {
                    let who = name(role.of(&m)?);
                    Some(view! { <p><strong>{move || app.t(role.key())}": "</strong>{who}</p> })
                })
                .collect_view();
            let mut present: Vec<String> = m.attendees.keys().map(|p| name(p)).collect();
            present.sort_by(|a, b| natural_cmp(a, b));
            let present = present.join(", ");
            let agenda = m
                .agenda_in_order()
                .into_iter()
                .map(|(_, item)| {
                    let mark = if item.done { "☑ " } else { "☐ " };
                    view! { <li><span aria-hidden="true">{mark}</span>{item.title.clone()}</li> }
                })
                .collect_view();
            let decisions = m
            .decisions_in_order()
            .into_iter()
            .map(|(_, d)| {
                let tally = d.tally;
                view! {
                    <li>
                        <p class="wording">{d.text.clone()}</p>
                        {tally.map(|t| view! { <p>{move || tally_line(app.lang.get(), t)}</p> })}
                    </li>
                }
            })
            .collect_view();
            let actions = m
            .actions_in_order()
            .into_iter()
            .map(|(_, a)| {
                let owner = a.owner.as_deref().map(name);
                let due = (!a.due.is_empty()).then(|| local_date(app, &a.due));
                let status = a.status;
                let mark = if status == ActionStatus::Done { "☑ " } else { "☐ " };
                view! {
                    <li>
                        <span aria-hidden="true">{mark}</span>
                        <strong>{a.text.clone()}</strong>
                        {owner.map(|o| view! { " — "{o} })}
                        {due.map(|d| view! { " · "{move || app.tf(Key::ByDate, &[("date", &d)])} })}
                        " · "{move || app.t(status.key())}
                    </li>
                }
            })
            .collect_view();
            let notes = m.notes.as_str().to_owned();
            Some(
                view! {
                    <article class="minutes" data-testid="minutes">
                        <h2 class="minutes-title">{m.title.clone()}</h2>
                        <p>{when}</p>
                        {roles}
                        <p><strong>{move || app.t(Key::Attendance)}": "</strong>{present}</p>
                        <h2>{move || app.t(Key::Agenda)}</h2>
                        <ul class="plain">{agenda}</ul>
                        <h2>{move || app.t(Key::Decisions)}</h2>
                        <ol>{decisions}</ol>
                        <h2>{move || app.t(Key::ActionItems)}</h2>
                        <ul class="plain">{actions}</ul>
                        <h2>{move || app.t(Key::Notes)}</h2>
                        <p class="wording">{notes}</p>
                    </article>
                }
                .into_any(),
            )
        };
    view! {
        <div class="no-print">
            <PageTitle title=Signal::derive(move || app.t(Key::Minutes).to_owned()) back=Route::Meeting(id, meeting).href() />
            <div class="row">
                <button type="button" class="primary" on:click=move |_| platform::print()>{move || app.t(Key::Print)}</button>
                <button type="button" on:click=save_text>{move || app.t(Key::ExportMinutes)}</button>
            </div>
            <FieldError id="minutes-error".to_owned() error=error />
        </div>
        {page}
    }
}
