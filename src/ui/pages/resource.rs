//! One thing in the library: lend it, take it back, renew it, queue for it;
//! for seeds, packets taken and given back.

use leptos::prelude::*;

use super::GroupGate;
use super::library::standing_badge;
use super::tracked::{ChangedNote, Tracked};
use crate::core::command::Command;
use crate::core::i18n::Key;
use crate::core::i18n::Named;
use crate::core::model::{Category, Condition};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{
    Badge, Choice, FieldError, History, InputField, MemberSelect, PageTitle, local_date,
    member_names,
};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

/// A condition as the member reads it.
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "the shape of every field's display in ChangedNote"
)]
fn condition_text(app: AppState, condition: &Condition) -> String {
    app.t(condition.key()).to_owned()
}

#[component]
pub fn ResourcePage(id: DocumentId, resource: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <ResourceView id=id resource=resource.clone() />
        </GroupGate>
    }
}

#[component]
fn ResourceView(id: DocumentId, resource: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let item_id = resource.clone();
    let item = Memo::new(move |_| {
        group.with(|g| g.as_ref().and_then(|g| g.resources.get(&item_id).cloned()))
    });
    let item_id = resource.clone();
    let standing = Signal::derive(move || {
        group.with(|g| g.as_ref().map(|g| g.standing(&item_id, app.today.get())))
    });
    let item_id = resource.clone();
    let loans = Signal::derive(move || {
        let today = app.today.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.loans_out(&item_id)
                    .into_iter()
                    .map(|(l, loan)| {
                        let who = g.member_name(&loan.borrower).unwrap_or("?").to_owned();
                        (
                            l.clone(),
                            who,
                            loan.out.clone(),
                            loan.due.clone(),
                            loan.renewals,
                            loan.is_overdue(today),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let item_id = resource.clone();
    let holds = Signal::derive(move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.holds_on(&item_id)
                    .into_iter()
                    .map(|(h, hold)| {
                        (
                            h.clone(),
                            g.member_name(&hold.member).unwrap_or("?").to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let error = RwSignal::new(None::<String>);
    let run = Callback::new(move |command: Command| -> bool {
        match app.run(id, &command) {
            Ok(()) => {
                error.set(None);
                true
            }
            Err(refused) => {
                error.set(Some(refused.message));
                false
            }
        }
    });
    let borrower = RwSignal::new(String::new());
    let due = RwSignal::new(app.today.get_untracked().add_days(14).to_string());
    let due_error = RwSignal::new(None::<String>);
    let item_id = resource.clone();
    let lend = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::Lend {
            id: new_id(),
            resource: item_id.clone(),
            borrower: borrower.get_untracked(),
            due: due.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => borrower.set(String::new()),
            Err(refused) => match refused.why {
                crate::core::command::Refusal::DueBeforeOut
                | crate::core::command::Refusal::DateInvalid => {
                    due_error.set(Some(refused.message));
                }
                _ => error.set(Some(refused.message)),
            },
        }
    });
    let renew_to = RwSignal::new(app.today.get_untracked().add_days(14).to_string());
    let waiter = RwSignal::new(String::new());
    let item_id = resource.clone();
    let place_hold = Callback::new(move |()| {
        if run.run(Command::PlaceHold {
            id: new_id(),
            resource: item_id.clone(),
            member: waiter.get_untracked(),
        }) {
            waiter.set(String::new());
        }
    });
    let seed_member = RwSignal::new(String::new());
    let seed_count = RwSignal::new("1".to_owned());
    let item_id = resource.clone();
    let seeds = Callback::new(move |taking: bool| {
        let Ok(count) = seed_count.get_untracked().trim().parse::<i64>() else {
            error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
            return;
        };
        let member = Some(seed_member.get_untracked()).filter(|m| !m.is_empty());
        let (id_, resource) = (new_id(), item_id.clone());
        run.run(if taking {
            Command::TakeSeeds {
                id: id_,
                resource,
                member,
                packets: count,
            }
        } else {
            Command::GiveSeeds {
                id: id_,
                resource,
                member,
                packets: count,
            }
        });
    });
    let item_id = resource.clone();
    let packets =
        Signal::derive(move || group.with(|g| g.as_ref().map_or(0, |g| g.packets_left(&item_id))));
    // The condition follows other phones until it is changed here; saving
    // writes the condition alone, never the rest of the item.
    let condition = Tracked::new(
        move || item.with(|i| i.as_ref().map(|i| i.condition)),
        Condition::default(),
    );
    let item_id = resource.clone();
    let save_condition = Callback::new(move |()| {
        let Some(changed) = condition.changed() else {
            return;
        };
        if run.run(Command::EditResource {
            resource: item_id.clone(),
            name: None,
            category: None,
            condition: Some(changed),
            kept_at: None,
            notes: None,
        }) {
            condition.saved();
        }
    });
    let title = Signal::derive(move || {
        item.with(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default())
    });
    let is_seeds = move || item.with(|i| i.as_ref().is_some_and(|i| i.category == Category::Seeds));
    view! {
        <Show
            when=move || item.with(Option::is_some)
            fallback=move || view! { <p class="error" role="alert">{move || app.t(Key::ErrNoSuchResource)}</p> }
        >
            <PageTitle title=title back=Route::Library(id).href() />
            <p>
                {move || standing.get().map(|s| {
                    let (class, symbol, word) = standing_badge(s);
                    view! { <span data-testid="standing"><Badge class=class symbol=symbol text=word /></span> }
                })}
                " "
                {move || item.with(|i| i.as_ref().map(|i| app.t(i.category.key())))}
            </p>
            {move || item.with(|i| i.as_ref().filter(|i| !i.kept_at.is_empty()).map(|i| {
                let place = i.kept_at.clone();
                view! { <p>{move || app.tf(Key::KeptIn, &[("place", &place)])}</p> }
            }))}
            <FieldError id="resource-error".to_owned() error=error />
            <Show when=is_seeds>
                <section class="panel" aria-labelledby="seeds-heading">
                    <h2 id="seeds-heading">{move || app.count(Key::PacketsLeft, packets.get())}</h2>
                    <MemberSelect id="seed-member" label=Key::Who value=seed_member members=member_names(app, id) none=Key::SomeoneElse />
                    <InputField id="seed-count" label=Key::Packets kind="number" value=seed_count />
                    <div class="row">
                        <button type="button" class="primary" on:click=move |_| seeds.run(true)>{move || app.t(Key::TakePackets)}</button>
                        <button type="button" on:click=move |_| seeds.run(false)>{move || app.t(Key::GivePacketsBack)}</button>
                    </div>
                </section>
            </Show>
            <Show when=move || !is_seeds()>
                <section aria-labelledby="loans-heading">
                    <h2 id="loans-heading">{move || app.t(Key::WhoHasIt)}</h2>
                    <ul class="plain-list" data-testid="loans">
                        {move || {
                            let rows = loans.get();
                            if rows.is_empty() {
                                return view! { <li class="quiet">{move || app.t(Key::NobodyHasIt)}</li> }.into_any();
                            }
                            rows.into_iter().map(|(loan, who, out, due_on, renewals, overdue)| {
                                let (out, due_text) = (local_date(app, &out), local_date(app, &due_on));
                                let (return_loan, renew_loan) = (loan.clone(), loan.clone());
                                view! {
                                    <li class:overdue=overdue>
                                        <strong>{who}</strong>
                                        <span>{move || app.tf(Key::LentOn, &[("date", &out)])}</span>
                                        <span class="due" data-testid="due">{move || app.tf(if overdue { Key::OverdueSince } else { Key::DueOn }, &[("date", &due_text)])}</span>
                                        {(renewals > 0).then(|| view! { <span class="quiet">{move || app.count(Key::RenewedTimes, renewals)}</span> })}
                                        <button type="button" class="primary" data-testid="return" on:click=move |_| { run.run(Command::Return { loan: return_loan.clone() }); }>
                                            {move || app.t(Key::MarkReturned)}
                                        </button>
                                        <InputField id="renew-due" label=Key::NewDueDate kind="date" value=renew_to />
                                        <button type="button" on:click=move |_| { run.run(Command::Renew { loan: renew_loan.clone(), due: renew_to.get_untracked() }); }>
                                            {move || app.t(Key::Renew)}
                                        </button>
                                    </li>
                                }
                            }).collect_view().into_any()
                        }}
                    </ul>
                </section>
                <Show
                    when=move || loans.get().is_empty()
                    fallback=move || view! {
                        <section class="panel" aria-labelledby="holds-heading">
                            <h2 id="holds-heading">{move || match holds.get().len() {
                                0 => app.t(Key::NobodyInQueue).to_owned(),
                                n => app.count(Key::WaitingCount, n),
                            }}</h2>
                            <ol class="plain-list" data-testid="holds">
                                {move || holds.get().into_iter().map(|(hold, who)| view! {
                                    <li>{who}" "
                                        <button type="button" on:click=move |_| { run.run(Command::CancelHold { hold: hold.clone() }); }>{move || app.t(Key::Cancel)}</button>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <MemberSelect id="hold-member" label=Key::JoinQueue value=waiter members=member_names(app, id) />
                            <button type="button" on:click=move |_| place_hold.run(())>{move || app.t(Key::PlaceHold)}</button>
                        </section>
                    }
                >
                    <form class="panel" on:submit=move |ev| lend.run(ev) novalidate>
                        <h2>{move || app.t(Key::LendIt)}</h2>
                        {move || (!holds.get().is_empty()).then(|| {
                            let first = holds.get().first().map(|h| h.1.clone()).unwrap_or_default();
                            view! { <p class="notice">{move || app.tf(Key::ErrHeldFor, &[("name", &first)])}</p> }
                        })}
                        <MemberSelect id="borrower" label=Key::Borrower value=borrower members=member_names(app, id) />
                        <InputField id="due" label=Key::DueDate kind="date" value=due error=due_error />
                        <button type="submit" class="primary">{move || app.t(Key::Lend)}</button>
                    </form>
                </Show>
            </Show>
            <div class="panel">
                <Choice id="condition" label=Key::Condition value=condition.value all=Condition::ALL as_str=Condition::as_str />
                <ChangedNote field=condition show=condition_text id=id item=resource.clone() test_id="condition-changed" />
                <button type="button" on:click=move |_| save_condition.run(())>{move || app.t(Key::Save)}</button>
            </div>
            <History id=id item=resource.clone() />
        </Show>
    }
}
