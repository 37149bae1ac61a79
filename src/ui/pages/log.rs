//! A garden's log: harvests, observations, watering, pests; and what was
//! harvested in a season, for the garden and plot by plot.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::{Command, Refusal};
use crate::core::date::Date;
use crate::core::i18n::{Key, Named};
use crate::core::model::{LogEntry, LogKind};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{
    Badge, Choice, FieldError, Filter, InputField, PageTitle, TextArea, TextField, local_date,
};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn LogPage(id: DocumentId, site: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <LogView id=id site=site.clone() />
        </GroupGate>
    }
}

/// "4.5 kg · tomatoes", as a list line, the number written the member's way.
pub fn harvest_line(app: AppState, quantity: f64, unit: &str, crop: &str) -> String {
    format!("{} {unit} · {crop}", app.number(quantity))
}

const fn kind_symbol(kind: LogKind) -> &'static str {
    match kind {
        LogKind::Harvest => "✿",
        LogKind::Observation => "◉",
        LogKind::Watering => "≈",
        LogKind::Pest => "!",
        LogKind::Unknown => "?",
    }
}

#[component]
fn LogView(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let garden = site.clone();
    let title = Signal::derive(move || {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.sites.get(&garden))
                .map(|s| format!("{} · {}", app.t(Key::GardenLog), s.name))
                .unwrap_or_default()
        })
    });
    let season = RwSignal::new(app.today.get_untracked().year());
    let garden = site.clone();
    // Every season the log has, and this one.
    let seasons = Memo::new(move |_| {
        let mut years: BTreeSet<i64> = group.with(|g| {
            g.as_ref().map_or_else(BTreeSet::new, |g| {
                g.log
                    .values()
                    .filter(|e| e.site == garden)
                    .filter_map(|e| Date::parse(&e.date).map(Date::year))
                    .collect()
            })
        });
        years.insert(app.today.get().year());
        years.into_iter().rev().collect::<Vec<_>>()
    });
    let garden = site.clone();
    let totals = move || {
        let season = season.get();
        group.with(|g| {
            g.as_ref().map_or_else(
                || (Vec::new(), Vec::new()),
                |g| {
                    let whole = g.harvest_totals(&garden, None, season);
                    let by_plot = g
                        .plots_in(&garden)
                        .into_iter()
                        .map(|(p, plot)| {
                            (
                                plot.label.clone(),
                                g.harvest_totals(&garden, Some(p), season),
                            )
                        })
                        .filter(|(_, totals)| !totals.is_empty())
                        .collect::<Vec<_>>();
                    (whole, by_plot)
                },
            )
        })
    };
    let filter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let garden = site.clone();
    let entries = move || {
        let filter = filter.get();
        let season = season.get();
        let lang = app.lang.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                let mut entries: Vec<(String, LogEntry, String, String)> = g
                    .log
                    .iter()
                    .filter(|(_, e)| {
                        e.site == garden && Date::parse(&e.date).is_some_and(|d| d.year() == season)
                    })
                    .map(|(e, entry)| {
                        let plot = entry
                            .plot
                            .as_ref()
                            .and_then(|p| g.plots.get(p))
                            .map(|p| p.label.clone())
                            .unwrap_or_default();
                        let by = entry
                            .by
                            .as_deref()
                            .and_then(|m| g.member_name(m))
                            .unwrap_or_default()
                            .to_owned();
                        (e.clone(), entry.clone(), plot, by)
                    })
                    .filter(|(_, e, plot, by)| {
                        matches_filter(
                            &filter,
                            &[&e.crop, &e.note, plot, by, lang.text(e.kind.key())],
                        )
                    })
                    .collect();
                entries
                    .sort_by(|a, b| (&b.1.date, b.1.created_at).cmp(&(&a.1.date, a.1.created_at)));
                entries
            })
        })
    };
    view! {
        <PageTitle title=title back=Route::Site(id, site.clone()).href() />
        <div class="filter">
            <label for="log-season">{move || app.t(Key::Season)}</label>
            <select id="log-season" on:change=move |ev| {
                if let Ok(year) = event_target_value(&ev).parse() {
                    season.set(year);
                }
            }>
                {move || seasons.get().into_iter().map(|year| view! {
                    <option value=year.to_string() selected=move || season.get() == year>{year.to_string()}</option>
                }).collect_view()}
            </select>
        </div>
        <section class="panel" aria-labelledby="harvest-heading">
            <h2 id="harvest-heading">{move || app.tf(Key::HarvestIn, &[("season", &season.get().to_string())])}</h2>
            {move || {
                let (whole, by_plot) = totals();
                if whole.is_empty() {
                    return view! { <p class="quiet">{move || app.t(Key::NoHarvestYet)}</p> }.into_any();
                }
                view! {
                    <ul class="plain-list" data-testid="harvest-totals">
                        {whole.iter().map(|t| view! { <li>{harvest_line(app, t.quantity, &t.unit, &t.crop)}</li> }).collect_view()}
                    </ul>
                    {(!by_plot.is_empty()).then(|| view! {
                        <h3>{move || app.t(Key::ByPlot)}</h3>
                        <ul class="plain-list" data-testid="harvest-by-plot">
                            {by_plot.into_iter().map(|(label, totals)| {
                                let lines = totals.iter().map(|t| harvest_line(app, t.quantity, &t.unit, &t.crop)).collect::<Vec<_>>().join(", ");
                                view! { <li><strong>{label}</strong>" · "{lines}</li> }
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any()
            }}
        </section>
        <AddEntry id=id site=site.clone() />
        <Filter id="log-filter" value=filter />
        <FieldError id="log-error".to_owned() error=error />
        <ul class="plain-list" data-testid="log">
            {move || {
                let entries = entries();
                if entries.is_empty() {
                    return view! { <li class="quiet">{move || app.t(Key::NoLogYet)}</li> }.into_any();
                }
                entries.into_iter().map(|(entry_id, e, plot, by)| {
                    let what = if e.kind == LogKind::Harvest {
                        harvest_line(app, e.quantity, &e.unit, &e.crop)
                    } else {
                        e.crop.clone()
                    };
                    let day = local_date(app, &e.date);
                    let meta = [day, plot].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                    view! {
                        <li>
                            <p><Badge class="assigned" symbol=kind_symbol(e.kind) text=e.kind.key() /></p>
                            {(!what.is_empty()).then(|| view! { <strong>{what}</strong> })}
                            {(!e.note.is_empty()).then(|| view! { <p class="wording">{e.note.clone()}</p> })}
                            <span class="quiet">{meta}</span>
                            {(!by.is_empty()).then(|| view! { <span class="quiet">{move || app.tf(Key::WrittenBy, &[("name", &by)])}</span> })}
                            <button type="button" class="danger" on:click=move |_| {
                                let sure = window().confirm_with_message(app.t(Key::ConfirmDeleteLog)).unwrap_or(false);
                                if sure && let Err(refused) = app.run(id, &Command::DeleteLog { entry: entry_id.clone() }) {
                                    error.set(Some(refused.message));
                                }
                            }>{move || app.t(Key::Delete)}</button>
                        </li>
                    }
                }).collect_view().into_any()
            }}
        </ul>
    }
}

#[component]
fn AddEntry(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let kind = RwSignal::new(LogKind::Harvest);
    let date = RwSignal::new(app.today.get_untracked().to_string());
    let plot = RwSignal::new(String::new());
    let crop = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let unit = RwSignal::new("kg".to_owned());
    let note = RwSignal::new(String::new());
    let (date_error, crop_error, quantity_error, note_error) = (
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
    );
    let garden = site.clone();
    let plots = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_in(&garden)
                    .into_iter()
                    .map(|(p, plot)| (p.clone(), plot.label.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let harvest = move || kind.get() == LogKind::Harvest;
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = quantity.get_untracked();
        let amount = if typed.trim().is_empty() || kind.get_untracked() != LogKind::Harvest {
            Some(0.0)
        } else {
            app.lang.get_untracked().parse_number(&typed)
        };
        let Some(amount) = amount else {
            quantity_error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
            return;
        };
        let harvesting = kind.get_untracked() == LogKind::Harvest;
        let command = Command::AddLog {
            id: new_id(),
            site: site.clone(),
            plot: Some(plot.get_untracked()).filter(|p| !p.is_empty()),
            kind: kind.get_untracked(),
            date: date.get_untracked(),
            crop: crop.get_untracked(),
            quantity: amount,
            unit: if harvesting {
                unit.get_untracked()
            } else {
                String::new()
            },
            note: note.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => {
                crop.set(String::new());
                quantity.set(String::new());
                note.set(String::new());
            }
            Err(refused) => {
                let field = match refused.why {
                    Refusal::DateInvalid | Refusal::DateInFuture => date_error,
                    Refusal::NumberInvalid => quantity_error,
                    Refusal::TextTooLong { .. } => note_error,
                    _ => crop_error,
                };
                field.set(Some(refused.message));
            }
        }
    };
    view! {
        <form class="panel" on:submit=add novalidate>
            <h2>{move || app.t(Key::AddLogEntry)}</h2>
            <Choice id="log-kind" label=Key::LogKindLabel value=kind all=LogKind::ALL as_str=LogKind::as_str />
            <InputField id="log-date" label=Key::Date kind="date" value=date error=date_error />
            <label for="log-plot">{move || app.t(Key::PlotOptional)}</label>
            <select id="log-plot" on:change=move |ev| plot.set(event_target_value(&ev))>
                <option value="" selected=move || plot.get().is_empty()>{move || app.t(Key::WholeGarden)}</option>
                {move || plots().into_iter().map(|(p, label)| {
                    let chosen = p.clone();
                    view! { <option value=p selected=move || plot.get() == chosen>{label}</option> }
                }).collect_view()}
            </select>
            <Show when=harvest>
                <TextField id="log-crop" label=Key::Crop value=crop error=crop_error />
                <div class="row">
                    <div><InputField id="log-quantity" label=Key::Quantity kind="decimal" value=quantity error=quantity_error /></div>
                    <div><TextField id="log-unit" label=Key::Unit value=unit hint=Key::UnitHint /></div>
                </div>
            </Show>
            <TextArea id="log-note" label=Key::LogNote value=note error=note_error />
            <button type="submit" class="primary">{move || app.t(Key::Write)}</button>
        </form>
    }
}
