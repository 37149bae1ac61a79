//! The tool and seed library: the catalogue, what is out and overdue.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::Key;
use crate::core::i18n::Named;
use crate::core::model::{Category, Standing};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{Badge, Choice, Filter, InputField, PageTitle, TextField};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn LibraryPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <LibraryView id=id />
        </GroupGate>
    }
}

/// A resource's standing as a badge class, symbol and word.
pub const fn standing_badge(standing: Standing) -> (&'static str, &'static str, Key) {
    match standing {
        Standing::Available => ("available", "○", Key::StandingAvailable),
        Standing::OnLoan => ("assigned", "→", Key::StandingOnLoan),
        Standing::Overdue => ("needs-attention", "!", Key::StandingOverdue),
        Standing::NeedsRepair => ("needs-attention", "✎", Key::StandingNeedsRepair),
        Standing::Missing => ("needs-attention", "?", Key::StandingMissing),
        Standing::Retired => ("fallow", "×", Key::StandingRetired),
        Standing::Unknown => ("fallow", "?", Key::UnknownValue),
    }
}

#[component]
fn LibraryView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let filter = RwSignal::new(String::new());
    let rows = move || {
        let today = app.today.get();
        let filter = filter.get();
        let lang = app.lang.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.resources_by_name()
                    .into_iter()
                    .filter_map(|(r, item)| {
                        let standing = g.standing(r, today);
                        let out: Vec<String> = g
                            .loans_out(r)
                            .iter()
                            .filter_map(|(_, l)| g.member_name(&l.borrower).map(str::to_owned))
                            .collect();
                        let holds = g.holds_on(r).len();
                        let kind = lang.text(item.category.key());
                        let shown = matches_filter(
                            &filter,
                            &[&item.name, kind, &item.kept_at, &out.join(" ")],
                        );
                        let packets = (item.category == Category::Seeds).then(|| g.packets_left(r));
                        shown.then(|| {
                            (
                                r.clone(),
                                item.name.clone(),
                                kind,
                                standing,
                                out.join(", "),
                                holds,
                                packets,
                            )
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(Category::Tool);
    let kept_at = RwSignal::new(String::new());
    let packets = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let packets_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let count = packets.get_untracked();
        let count = if count.trim().is_empty() {
            Some(0)
        } else {
            count.trim().parse::<i64>().ok()
        };
        let Some(count) = count else {
            packets_error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
            return;
        };
        let command = Command::AddResource {
            id: new_id(),
            name: name.get_untracked(),
            category: category.get_untracked(),
            kept_at: kept_at.get_untracked(),
            notes: String::new(),
            packets: count,
        };
        match app.run(id, &command) {
            Ok(()) => {
                name.set(String::new());
                kept_at.set(String::new());
                packets.set(String::new());
            }
            Err(refused) if refused.why == crate::core::command::Refusal::NumberInvalid => {
                packets_error.set(Some(refused.message));
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    view! {
        <PageTitle title=Signal::derive(move || app.t(Key::Library).to_owned()) back=Route::Group(id).href() />
        <Filter id="library-filter" value=filter />
        <Show
            when=move || !rows().is_empty()
            fallback=move || view! { <p class="empty">{move || app.t(Key::NothingInLibrary)}</p> }
        >
            <ul class="cards" data-testid="library">
                <For each=rows key=|row| (row.0.clone(), row.3, row.4.clone(), row.5, row.6) let:row>
                    {
                        let (class, symbol, word) = standing_badge(row.3);
                        let who = row.4.clone();
                        let holds = row.5;
                        view! {
                            <li>
                                <a class="card" href=Route::Resource(id, row.0.clone()).href()>
                                    <span class="card-title">{row.1.clone()}</span>
                                    <Badge class=class symbol=symbol text=word />
                                    <span class="card-detail">{row.2}</span>
                                    {(!who.is_empty()).then(|| view! { <span class="card-detail">{move || app.tf(Key::WithName, &[("name", &who)])}</span> })}
                                    {(holds > 0).then(|| view! { <span class="card-detail">{move || app.count(Key::WaitingCount, holds)}</span> })}
                                    {row.6.map(|left| view! { <span class="card-detail">{move || app.count(Key::PacketsLeft, left)}</span> })}
                                </a>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
        <form class="panel" on:submit=add novalidate>
            <h2>{move || app.t(Key::AddToLibrary)}</h2>
            <TextField id="item-name" label=Key::ItemName value=name error=error />
            <Choice id="item-category" label=Key::Category value=category all=Category::ALL as_str=Category::as_str />
            <TextField id="item-kept" label=Key::KeptAt value=kept_at hint=Key::KeptAtHint />
            <Show when=move || category.get() == Category::Seeds>
                <InputField id="item-packets" label=Key::PacketsInLibrary kind="number" value=packets error=packets_error />
            </Show>
            <button type="submit" class="primary">{move || app.t(Key::AddToLibrary)}</button>
        </form>
    }
}
