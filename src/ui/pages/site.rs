//! A garden: its plots, and adding one.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::{Command, Refusal};
use crate::core::i18n::Key;
use crate::core::model::PlotStatus;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{PageTitle, StatusBadge, StatusSelect, TextField};
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

/// One row of the plot list.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PlotRow {
    id: String,
    label: String,
    size: String,
    status: PlotStatus,
    holder: Option<String>,
}

#[component]
fn SiteView(id: DocumentId, site: String) -> impl IntoView {
    let app = expect_context::<AppState>();
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
    let site_id = site.clone();
    let plots = Memo::new(move |_| {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots_in(&site_id)
                    .into_iter()
                    .map(|(plot, p)| PlotRow {
                        id: plot.clone(),
                        label: p.label.clone(),
                        size: p.size.clone(),
                        status: p.status,
                        holder: p
                            .holder
                            .as_ref()
                            .and_then(|m| g.members.get(m))
                            .map(|m| m.name.clone()),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

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
            <h2>{move || app.t(Key::Plots)}</h2>
            <Show
                when=move || !plots.with(Vec::is_empty)
                fallback=move || view! { <p class="empty">{move || app.t(Key::NoPlotsYet)}</p> }
            >
                <ul class="cards" data-testid="plots">
                    <For each=move || plots.get() key=|row| row.clone() let:row>
                        <li>
                            <a class="card plot" href=Route::Plot(id, row.id.clone()).href()>
                                <span class="card-title">{row.label.clone()}</span>
                                <StatusBadge status=row.status />
                                <span class="card-detail">{row.size.clone()}</span>
                                {row.holder.clone().map(|name: String| {
                                    view! {
                                        <span class="card-detail">
                                            {move || app.tf(Key::HeldBy, &[("name", &name)])}
                                        </span>
                                    }
                                })}
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="panel" on:submit=add_plot.clone() novalidate>
                <h2>{move || app.t(Key::AddPlot)}</h2>
                <TextField id="plot-label" label=Key::PlotLabel value=label error=error />
                <TextField id="plot-size" label=Key::PlotSize value=size hint=Key::PlotSizeHint error=size_error />
                <StatusSelect id="plot-status" value=status />
                <button type="submit" class="primary">{move || app.t(Key::AddPlot)}</button>
            </form>
        </Show>
    }
}
