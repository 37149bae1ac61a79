//! One member: how to reach them, their roles, what they hold and owe, and
//! "this is me" for this phone.

use leptos::prelude::*;

use super::GroupGate;
use super::tracked::{ChangedNote, Tracked, as_text};
use crate::core::command::{Command, MemberDetails};
use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{FieldError, History, InputField, PageTitle, TextField, local_date};
use crate::ui::state::AppState;

#[component]
pub fn MemberPage(id: DocumentId, member: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <MemberView id=id member=member.clone() />
        </GroupGate>
    }
}

/// A yes/no as the member reads it.
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "the shape of every field's display in ChangedNote"
)]
fn yes_no(app: AppState, value: &bool) -> String {
    app.t(if *value { Key::Yes } else { Key::No }).to_owned()
}

#[component]
fn MemberView(id: DocumentId, member: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let who = member.clone();
    let current =
        Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.members.get(&who).cloned())));
    // Each field follows the member's details as other phones change them
    // until it is changed here; saving sends only what was changed.
    let name = Tracked::new(
        move || current.with(|m| m.as_ref().map(|m| m.name.clone())),
        String::new(),
    );
    let languages = Tracked::new(
        move || current.with(|m| m.as_ref().map(|m| m.languages.clone())),
        String::new(),
    );
    let contact = Tracked::new(
        move || current.with(|m| m.as_ref().map(|m| m.contact.clone())),
        String::new(),
    );
    let coordinator = Tracked::new(
        move || current.with(|m| m.as_ref().map(|m| m.coordinator)),
        false,
    );
    let point_person = Tracked::new(
        move || current.with(|m| m.as_ref().map(|m| m.point_person)),
        false,
    );
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let who = member.clone();
    let save = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let details = MemberDetails {
            name: name.changed(),
            languages: languages.changed(),
            contact: contact.changed(),
            coordinator: coordinator.changed(),
            point_person: point_person.changed(),
        };
        match app.run(
            id,
            &Command::EditMember {
                member: who.clone(),
                details,
            },
        ) {
            Ok(()) => {
                name.saved();
                languages.saved();
                contact.saved();
                coordinator.saved();
                point_person.saved();
                saved.set(true);
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    });
    let who = member.clone();
    let is_me = Signal::derive(move || app.me_in(id).as_deref() == Some(who.as_str()));
    let who = member.clone();
    let toggle_me = Callback::new(move |()| {
        let next = if is_me.get_untracked() {
            None
        } else {
            Some(who.clone())
        };
        app.set_me(id, next);
    });
    let who = member.clone();
    let plots = Signal::derive(move || {
        let season = app.today.get().year();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_held_by(&who, season)
                    .into_iter()
                    .map(|(p, plot)| (p.clone(), plot.label.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let who = member.clone();
    let loans = Signal::derive(move || {
        let today = app.today.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.loans_of(&who)
                    .into_iter()
                    .map(|(_, l)| {
                        let item = g
                            .resources
                            .get(&l.resource)
                            .map(|r| r.name.clone())
                            .unwrap_or_default();
                        (l.resource.clone(), item, l.due.clone(), l.is_overdue(today))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let who = member.clone();
    let hours = Signal::derive(move || {
        let season = app.today.get().year();
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.minutes_in(season).get(&who).copied())
                .unwrap_or(0)
        })
    });
    let remove_error = RwSignal::new(None::<String>);
    let who = member.clone();
    let remove = Callback::new(move |()| {
        match app.run(
            id,
            &Command::RemoveMember {
                member: who.clone(),
            },
        ) {
            Ok(()) => {
                if is_me.get_untracked() {
                    app.set_me(id, None);
                }
                let _ = window().location().set_hash(&Route::Members(id).href());
            }
            Err(refused) => remove_error.set(Some(refused.message)),
        }
    });
    let title = Signal::derive(move || {
        current.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default())
    });
    view! {
        <Show
            when=move || current.with(Option::is_some)
            fallback=move || view! { <p class="error" role="alert">{move || app.t(Key::ErrNoSuchMember)}</p> }
        >
            <PageTitle title=title back=Route::Members(id).href() />
            <div class="panel">
                <Show
                    when=move || is_me.get()
                    fallback=move || view! { <p>{move || app.t(Key::IsThisYou)}</p> }
                >
                    <p class="notice" data-testid="this-is-me">{move || app.t(Key::ThisIsYouOnThisPhone)}</p>
                </Show>
                <button type="button" on:click=move |_| toggle_me.run(()) data-testid="me-button">
                    {move || if is_me.get() { app.t(Key::NotMe) } else { app.t(Key::ThisIsMe) }}
                </button>
            </div>
            <section aria-labelledby="holds-heading">
                <h2 id="holds-heading">{move || app.t(Key::PlotsThisSeason)}</h2>
                <ul class="plain-list" data-testid="member-plots">
                    {move || {
                        let rows = plots.get();
                        if rows.is_empty() {
                            return view! { <li class="quiet">{move || app.t(Key::NoneYet)}</li> }.into_any();
                        }
                        rows.into_iter()
                            .map(|(p, label)| view! { <li><a href=Route::Plot(id, p).href()>{label}</a></li> })
                            .collect_view()
                            .into_any()
                    }}
                </ul>
                <h2>{move || app.t(Key::OnLoanNow)}</h2>
                <ul class="plain-list" data-testid="member-loans">
                    {move || {
                        let rows = loans.get();
                        if rows.is_empty() {
                            return view! { <li class="quiet">{move || app.t(Key::NoneYet)}</li> }.into_any();
                        }
                        rows.into_iter()
                            .map(|(r, item, due, overdue)| {
                                let due = local_date(app, &due);
                                view! {
                                    <li class:overdue=overdue>
                                        <a class="list-link" href=Route::Resource(id, r).href()>{item}</a>
                                        <span class="due">{move || app.tf(if overdue { Key::OverdueSince } else { Key::DueOn }, &[("date", &due)])}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </ul>
                <p data-testid="member-hours">{move || {
                    let minutes = hours.get();
                    app.tf(Key::HoursThisSeason, &[("hours", &app.number(super::shifts::in_hours(minutes)))])
                }}</p>
            </section>
            <form class="panel" on:submit=move |ev| save.run(ev) novalidate>
                <h2>{move || app.t(Key::Details)}</h2>
                <TextField id="member-name" label=Key::MemberName value=name.value error=error />
                <ChangedNote field=name show=as_text id=id item=member.clone() test_id="member-name-changed" />
                <TextField id="member-languages" label=Key::LanguagesSpoken value=languages.value hint=Key::LanguagesHint />
                <ChangedNote field=languages show=as_text id=id item=member.clone() test_id="member-languages-changed" />
                <InputField id="member-contact" label=Key::Contact kind="text" value=contact.value hint=Key::ContactHint />
                <ChangedNote field=contact show=as_text id=id item=member.clone() test_id="member-contact-changed" />
                <label class="check">
                    <input type="checkbox" prop:checked=move || coordinator.value.get() on:change=move |ev| coordinator.value.set(event_target_checked(&ev)) />
                    {move || app.t(Key::Coordinator)}
                </label>
                <ChangedNote field=coordinator show=yes_no id=id item=member.clone() test_id="member-coordinator-changed" />
                <label class="check">
                    <input type="checkbox" prop:checked=move || point_person.value.get() on:change=move |ev| point_person.value.set(event_target_checked(&ev)) />
                    {move || app.t(Key::PointPerson)}
                </label>
                <ChangedNote field=point_person show=yes_no id=id item=member.clone() test_id="member-point-person-changed" />
                <button type="submit" class="primary">{move || app.t(Key::Save)}</button>
                <Show when=move || saved.get()>
                    <p class="quiet" role="status">"✓ "{move || app.t(Key::Saved)}</p>
                </Show>
            </form>
            <History id=id item=member.clone() />
            <div class="panel danger-zone">
                <button type="button" class="danger" on:click=move |_| remove.run(())>{move || app.t(Key::RemoveMember)}</button>
                <FieldError id="remove-error".to_owned() error=remove_error />
            </div>
        </Show>
    }
}
