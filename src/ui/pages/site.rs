//! A garden: its plot map and plot list, adding plots, and its waitlist.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::{Command, Refusal};
use crate::core::i18n::Key;
use crate::core::model::PlotStatus;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{
    FieldError, Filter, InputField, PageTitle, StatusBadge, StatusSelect, TextField,
};
use crate::ui::state::AppState;
use crate::web::platform::new_id;

#[component]
pub fn SitePage(id: DocumentId, site: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <SiteView id=id site=site.clone() />
        </GroupGate>
    }
}

/// Plots listed at first, and added by each "Show more": a garden of
/// thousands of plots opens as fast as one of a hundred, and the page stays
/// small (the search finds any plot).
const PAGE: usize = 100;

/// Plots drawn in the page's first frame; the rest of the first hundred
/// follow once it is painted. The list sits below the map, so the first
/// screen looks the same and shows sooner (each row costs about 0.2 ms).
const FIRST_FRAME: usize = 20;

/// One row of the plot list.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PlotRow {
    id: String,
    label: String,
    size: String,
    status: PlotStatus,
    holders: String,
}

#[component]
fn SiteView(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Shown from the cached first screen: nothing can be done yet.
    let waiting = Memo::new(move |_| app.early().is_some());
    let group = app.group(id);
    let site_id = site.clone();
    let exists = Memo::new(move |_| {
        group.with(|g| g.as_ref().is_some_and(|g| g.sites.contains_key(&site_id)))
    });
    let site_id = site.clone();
    let title = Signal::derive(move || {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.sites.get(&site_id))
                .map(|s| s.name.clone())
                .unwrap_or_default()
        })
    });
    let filter = RwSignal::new(String::new());
    let site_id = site.clone();
    let plots = Memo::new(move |_| {
        let season = app.today.get().year();
        let filter = filter.get();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_in(&site_id)
                    .into_iter()
                    .map(|(plot, p)| PlotRow {
                        id: plot.clone(),
                        label: p.label.clone(),
                        size: p.size.clone(),
                        status: p.status,
                        holders: p
                            .holders_in(season)
                            .iter()
                            .filter_map(|m| g.member_name(m))
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                    .filter(|row| matches_filter(&filter, &[&row.label, &row.size, &row.holders]))
                    .collect::<Vec<_>>()
            })
        })
    });

    let shown = RwSignal::new(PAGE);
    let first_frame = RwSignal::new(true);
    // After the first paint: the next frame, then a task.
    request_animation_frame(move || {
        set_timeout(move || first_frame.set(false), std::time::Duration::ZERO);
    });
    let drawn = Memo::new(move |_| {
        if first_frame.get() {
            shown.get().min(FIRST_FRAME)
        } else {
            shown.get()
        }
    });
    let total = Memo::new(move |_| plots.with(Vec::len));
    let page =
        move || plots.with(|rows| rows.iter().take(drawn.get()).cloned().collect::<Vec<_>>());

    let label = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let status = RwSignal::new(PlotStatus::Available);
    let error = RwSignal::new(None::<String>);
    let size_error = RwSignal::new(None::<String>);
    let site_id = site.clone();
    let add_plot = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::AddPlot {
            id: new_id(),
            site: site_id.clone(),
            label: label.get_untracked(),
            size: size.get_untracked(),
            status: status.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => {
                label.set(String::new());
                size.set(String::new());
                status.set(PlotStatus::Available);
            }
            Err(refused) if matches!(refused.why, Refusal::SizeTooLong { .. }) => {
                size_error.set(Some(refused.message));
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    };

    view! {
        <Show
            when=move || exists.get()
            fallback=move || view! { <p class="error" role="alert">{move || app.t(Key::SiteNotFound)}</p> }
        >
            <PageTitle title=title back=Route::Group(id).href() />
            <nav class="hub" aria-label=move || app.t(Key::GroupSections)>
                <a class="card" href=Route::Shifts(id, site.clone()).href() data-testid="shifts-link">
                    <span class="card-title">{move || app.t(Key::WorkDays)}</span>
                </a>
                <a class="card" href=Route::Log(id, site.clone()).href() data-testid="log-link">
                    <span class="card-title">{move || app.t(Key::GardenLog)}</span>
                </a>
            </nav>
            <PlotMap id=id site=site.clone() />
            <h2>{move || app.t(Key::Plots)}</h2>
            <Filter id="plots-filter" value=filter />
            <Show
                when=move || !plots.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoPlotsYet)}</p> }
            >
                <ul class="cards" data-testid="plots">
                    <For each=page key=|row| row.clone() let:row>
                        <li>
                            <a class="card plot" href=Route::Plot(id, row.id.clone()).href()>
                                <span class="card-title">{row.label.clone()}</span>
                                <StatusBadge status=row.status />
                                <span class="card-detail">{row.size.clone()}</span>
                                {(!row.holders.is_empty()).then(|| {
                                    let names = row.holders.clone();
                                    view! {
                                        <span class="card-detail">
                                            {move || app.tf(Key::HeldBy, &[("name", &names)])}
                                        </span>
                                    }
                                })}
                            </a>
                        </li>
                    </For>
                </ul>
                <Show when=move || { total.get() > shown.get() }>
                    <p class="hint" role="status" data-testid="plots-shown">
                        {move || {
                            let number = |n: usize| app.number(u32::try_from(n).map_or(f64::MAX, f64::from));
                            let shown = number(drawn.get().min(total.get()));
                            let all = number(total.get());
                            app.tf(Key::PlotsShown, &[("shown", &shown), ("total", &all)])
                        }}
                    </p>
                    <button type="button" data-testid="show-more-plots" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {move || app.count(Key::ShowMorePlots, PAGE.min(total.get().saturating_sub(shown.get())))}
                    </button>
                </Show>
            </Show>
            <form class="panel" on:submit=add_plot.clone() novalidate>
                <h2>{move || app.t(Key::AddPlot)}</h2>
                <TextField id="plot-label" label=Key::PlotLabel value=label error=error />
                <TextField id="plot-size" label=Key::PlotSize value=size hint=Key::PlotSizeHint error=size_error />
                <StatusSelect id="plot-status" value=status />
                <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::AddPlot)}</button>
            </form>
            <Waitlist id=id site=site.clone() />
        </Show>
    }
}

/// The plot map: a grid of squares the coordinator lays out. Tapping a plot
/// opens it; tapping empty squares chooses them for a new or existing plot.
/// Nothing needs dragging.
#[component]
fn PlotMap(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Shown from the cached first screen: nothing can be done yet.
    let waiting = Memo::new(move |_| app.early().is_some());
    let group = app.group(id);
    let site_id = site.clone();
    let grid = Memo::new(move |_| {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.map_of(&site_id)
                    .into_iter()
                    .map(|row| {
                        row.into_iter()
                            .map(|cell| {
                                cell.and_then(|p| {
                                    let plot = g.plots.get(&p)?;
                                    Some((p, plot.label.clone(), plot.status))
                                })
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let chosen = RwSignal::new(BTreeSet::<(u64, u64)>::new());
    let site_id = site.clone();
    let size_now = move || {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.sites.get(&site_id))
                .map_or((0, 0), |s| (s.rows, s.cols))
        })
    };
    let (rows0, cols0) = size_now();
    let rows = RwSignal::new(if rows0 == 0 {
        String::new()
    } else {
        rows0.to_string()
    });
    let cols = RwSignal::new(if cols0 == 0 {
        String::new()
    } else {
        cols0.to_string()
    });
    let layout_error = RwSignal::new(None::<String>);
    let site_id = site.clone();
    let lay_out = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: String| s.trim().parse::<i64>().unwrap_or(-1);
        let command = Command::LayOutSite {
            site: site_id.clone(),
            rows: number(rows.get_untracked()),
            cols: number(cols.get_untracked()),
        };
        match app.run(id, &command) {
            Ok(()) => chosen.set(BTreeSet::new()),
            Err(refused) => layout_error.set(Some(refused.message)),
        }
    };
    let new_label = RwSignal::new(String::new());
    let place_error = RwSignal::new(None::<String>);
    let site_id = site.clone();
    let make_plot = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let plot = new_id();
        let cells: Vec<_> = chosen.get_untracked().into_iter().collect();
        let add = Command::AddPlot {
            id: plot.clone(),
            site: site_id.clone(),
            label: new_label.get_untracked(),
            size: String::new(),
            status: PlotStatus::Available,
        };
        let result = app
            .run(id, &add)
            .and_then(|()| app.run(id, &Command::PlacePlot { plot, cells }));
        match result {
            Ok(()) => {
                new_label.set(String::new());
                chosen.set(BTreeSet::new());
            }
            Err(refused) => place_error.set(Some(refused.message)),
        }
    });
    let existing = RwSignal::new(String::new());
    let move_plot = Callback::new(move |()| {
        let plot = existing.get_untracked();
        if plot.is_empty() {
            place_error.set(Some(app.t(Key::ChoosePlot).to_owned()));
            return;
        }
        let mut cells: Vec<_> = chosen.get_untracked().into_iter().collect();
        // Adding squares to a plot keeps the ones it had.
        if let Some(had) = group.with_untracked(|g| {
            g.as_ref()
                .and_then(|g| g.plots.get(&plot))
                .map(crate::core::model::Plot::cells)
        }) {
            cells.extend(had);
        }
        match app.run(id, &Command::PlacePlot { plot, cells }) {
            Ok(()) => chosen.set(BTreeSet::new()),
            Err(refused) => place_error.set(Some(refused.message)),
        }
    });
    let site_id = site.clone();
    let plot_options = Signal::derive(move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_in(&site_id)
                    .into_iter()
                    .map(|(p, plot)| (p.clone(), plot.label.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section aria-labelledby="map-heading">
            <h2 id="map-heading">{move || app.t(Key::PlotMap)}</h2>
            <Show
                when=move || !grid.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoMapYet)}</p> }
            >
                <p class="hint">{move || app.t(Key::MapHint)}</p>
                <div class="map-scroll">
                    <table class="plot-map" data-testid="plot-map">
                        <caption class="visually-hidden">{move || app.t(Key::PlotMap)}</caption>
                        <tbody>
                            {move || grid.get().into_iter().enumerate().map(|(r, row)| {
                                view! {
                                    <tr>
                                        {row.into_iter().enumerate().map(|(c, cell)| {
                                            let (r, c) = (r as u64, c as u64);
                                            let place = move || app.tf(Key::Square, &[("row", &(r + 1).to_string()), ("col", &(c + 1).to_string())]);
                                            match cell {
                                                Some((plot, label, status)) => view! {
                                                    <td>
                                                        <a class=format!("cell plot-cell {}", status.as_str()) href=Route::Plot(id, plot).href() title=place>
                                                            {label}
                                                        </a>
                                                    </td>
                                                }.into_any(),
                                                None => view! {
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="cell"
                                                            aria-label=place
                                                            aria-pressed=move || if chosen.with(|s| s.contains(&(r, c))) { "true" } else { "false" }
                                                            on:click=move |_| chosen.update(|s| if !s.remove(&(r, c)) { s.insert((r, c)); })
                                                        >
                                                            {move || if chosen.with(|s| s.contains(&(r, c))) { "✓" } else { "" }}
                                                        </button>
                                                    </td>
                                                }.into_any(),
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || !chosen.with(BTreeSet::is_empty)>
                <form class="panel" on:submit=move |ev| make_plot.run(ev) novalidate data-testid="place-form">
                    <p role="status">{move || app.count(Key::SquaresChosen, chosen.with(BTreeSet::len))}</p>
                    <TextField id="map-plot-label" label=Key::NewPlotHere value=new_label />
                    <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::MakePlot)}</button>
                    <label for="map-existing">{move || app.t(Key::OrAddToPlot)}</label>
                    <select id="map-existing" on:change=move |ev| existing.set(event_target_value(&ev))>
                        <option value="">{move || app.t(Key::ChoosePlot)}</option>
                        <For each=move || plot_options.get() key=|row| row.clone() let:row>
                            <option value=row.0.clone()>{row.1.clone()}</option>
                        </For>
                    </select>
                    <button type="button" disabled=waiting on:click=move |_| move_plot.run(())>{move || app.t(Key::AddSquares)}</button>
                    <button type="button" on:click=move |_| chosen.set(BTreeSet::new())>{move || app.t(Key::Cancel)}</button>
                    <FieldError id="place-error".to_owned() error=place_error />
                </form>
            </Show>
            <details class="panel" open=move || grid.with(Vec::is_empty)>
                <summary>{move || app.t(Key::LayOutMap)}</summary>
                <form on:submit=lay_out novalidate class="stack">
                    <InputField id="map-rows" label=Key::Rows kind="number" value=rows />
                    <InputField id="map-cols" label=Key::Columns kind="number" value=cols error=layout_error />
                    <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::SaveMapSize)}</button>
                </form>
            </details>
        </section>
    }
}

/// The garden's waitlist: who is waiting, in the order plots are offered.
#[component]
fn Waitlist(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Shown from the cached first screen: nothing can be done yet.
    let waiting = Memo::new(move |_| app.early().is_some());
    let group = app.group(id);
    let site_id = site.clone();
    let queue = Memo::new(move |_| {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.waitlist_of(&site_id)
                    .into_iter()
                    .map(|(e, w)| (e.clone(), w.name.clone(), w.priority.clone(), w.added_at))
                    .collect::<Vec<_>>()
            })
        })
    });
    let site_id = site.clone();
    let free_plots = Memo::new(move |_| {
        let season = app.today.get().year();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_in(&site_id)
                    .into_iter()
                    .filter(|(_, p)| {
                        p.holders_in(season).is_empty() && p.status != PlotStatus::Fallow
                    })
                    .map(|(p, plot)| (p.clone(), plot.label.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let numbered = move || queue.get().into_iter().enumerate().collect::<Vec<_>>();
    let offer_plot = RwSignal::new(String::new());
    let offer_error = RwSignal::new(None::<String>);
    let offer = Callback::new(move |entry: String| {
        let plot = offer_plot.get_untracked();
        let plot = if plot.is_empty() {
            free_plots
                .with_untracked(|p| p.first().map(|(id, _)| id.clone()))
                .unwrap_or_default()
        } else {
            plot
        };
        let command = Command::OfferPlot {
            plot,
            entry,
            season: app.today.get_untracked().year(),
            new_member: new_id(),
        };
        match app.run(id, &command) {
            Ok(()) => offer_plot.set(String::new()),
            Err(refused) => offer_error.set(Some(refused.message)),
        }
    });
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let site_id = site.clone();
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::JoinWaitlist {
            id: new_id(),
            site: site_id.clone(),
            name: name.get_untracked(),
            contact: contact.get_untracked(),
            member: None,
            priority: priority.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => {
                name.set(String::new());
                contact.set(String::new());
                priority.set(String::new());
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    view! {
        <section aria-labelledby="waitlist-heading">
            <h2 id="waitlist-heading">{move || app.t(Key::Waitlist)}</h2>
            <Show
                when=move || !queue.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || app.t(Key::NobodyWaiting)}</p> }
            >
                <Show when=move || !free_plots.with(Vec::is_empty)
                    fallback=move || view! { <p class="hint">{move || app.t(Key::NoFreePlots)}</p> }
                >
                    <div class="panel">
                        <label for="offer-plot">{move || app.t(Key::PlotToOffer)}</label>
                        <select id="offer-plot" on:change=move |ev| offer_plot.set(event_target_value(&ev))>
                            <For each=move || free_plots.get() key=|row| row.clone() let:row>
                                <option value=row.0.clone() selected=move || offer_plot.get() == row.0>{row.1.clone()}</option>
                            </For>
                        </select>
                    </div>
                </Show>
                <FieldError id="offer-error".to_owned() error=offer_error />
                <ol class="plain-list waitlist" data-testid="waitlist">
                    <For each=numbered key=|row| row.clone() let:row>
                        {
                            let (place, (entry, who, why, added)) = row;
                            let leave_entry = entry.clone();
                            let since = crate::ui::components::local_date(app, &crate::core::date::Date::from_unix_ms(added, 0).to_string());
                            view! {
                                <li>
                                    <strong>{format!("{}. {who}", place + 1)}</strong>
                                    {(!why.is_empty()).then(|| view! { <span class="badge priority">{move || app.tf(Key::PriorityBecause, &[("why", &why)])}</span> })}
                                    <span class="quiet">{move || app.tf(Key::WaitingSince, &[("when", &since)])}</span>
                                    <div class="row">
                                        {(place == 0).then(|| {
                                            let entry = entry.clone();
                                            view! {
                                                <button type="button" class="primary" data-testid="offer-next"
                                                    disabled=move || waiting.get() || free_plots.with(Vec::is_empty)
                                                    on:click=move |_| offer.run(entry.clone())>
                                                    {move || app.t(Key::OfferToNext)}
                                                </button>
                                            }
                                        })}
                                        <button type="button" disabled=waiting on:click=move |_| {
                                            if let Err(refused) = app.run(id, &Command::LeaveWaitlist { entry: leave_entry.clone() }) {
                                                offer_error.set(Some(refused.message));
                                            }
                                        }>{move || app.t(Key::TakeOffList)}</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
            <form class="panel" on:submit=join novalidate>
                <h3>{move || app.t(Key::AddToWaitlist)}</h3>
                <TextField id="wait-name" label=Key::PersonName value=name error=error />
                <TextField id="wait-contact" label=Key::Contact value=contact />
                <TextField id="wait-priority" label=Key::PriorityReason value=priority hint=Key::PriorityHint />
                <button type="submit" class="primary" disabled=waiting>{move || app.t(Key::AddToWaitlist)}</button>
            </form>
        </section>
    }
}
