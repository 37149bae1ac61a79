//! One plot: edit it, give it to a member, or delete it.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::{Command, Refusal};
use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{PageTitle, StatusSelect, TextField};
use crate::ui::state::AppState;

#[component]
pub fn PlotPage(id: DocumentId, plot: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <PlotView id=id plot=plot.clone() />
        </GroupGate>
    }
}

#[component]
fn PlotView(id: DocumentId, plot: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let plot_id = plot.clone();
    let current =
        Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.plots.get(&plot_id).cloned())));
    // The form starts from the plot as it is when the page opens.
    let start = current.get_untracked().unwrap_or_default();
    let label = RwSignal::new(start.label.clone());
    let size = RwSignal::new(start.size.clone());
    let status = RwSignal::new(start.status);
    let holder = RwSignal::new(start.holder.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let size_error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let site = start.site.clone();
    let members = move || {
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.members_by_name()
                    .into_iter()
                    .map(|(m, member)| (m.clone(), member.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };

    let plot_id = plot.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let edit = Command::EditPlot {
            plot: plot_id.clone(),
            label: label.get_untracked(),
            size: size.get_untracked(),
            status: status.get_untracked(),
        };
        if let Err(refused) = app.run(id, &edit) {
            match refused.why {
                Refusal::SizeTooLong { .. } => size_error.set(Some(refused.message)),
                _ => error.set(Some(refused.message)),
            }
            return;
        }
        // The holder is its own command so that it sets the status to match.
        let wanted = Some(holder.get_untracked()).filter(|h| !h.is_empty());
        let had = current.get_untracked().and_then(|p| p.holder);
        if wanted != had {
            let assign = Command::AssignPlot {
                plot: plot_id.clone(),
                member: wanted,
            };
            if let Err(refused) = app.run(id, &assign) {
                error.set(Some(refused.message));
                return;
            }
            if let Some(now) = current.get_untracked() {
                status.set(now.status);
            }
        }
        saved.set(true);
    };
    let plot_id = plot.clone();
    let back = Route::Site(id, site.clone()).href();
    let after_delete = back.clone();
    let delete = Callback::new(move |()| {
        match app.run(
            id,
            &Command::DeletePlot {
                plot: plot_id.clone(),
            },
        ) {
            Ok(()) => {
                let _ = window().location().set_hash(&after_delete);
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    });
    let title = Signal::derive(move || {
        current.with(|p| p.as_ref().map(|p| p.label.clone()).unwrap_or_default())
    });

    view! {
        <Show
            when=move || current.with(Option::is_some)
            fallback=move || view! { <p class="error" role="alert">{move || app.t(Key::PlotNotFound)}</p> }
        >
            <PageTitle title=title back=back.clone() />
            <form class="panel" on:submit=save.clone() novalidate>
                <h2>{move || app.t(Key::EditPlot)}</h2>
                <TextField id="plot-label" label=Key::PlotLabel value=label error=error />
                <TextField id="plot-size" label=Key::PlotSize value=size hint=Key::PlotSizeHint error=size_error />
                <StatusSelect id="plot-status" value=status />
                <label for="plot-holder">{move || app.t(Key::Holder)}</label>
                <select
                    id="plot-holder"
                    prop:value=move || holder.get()
                    on:change=move |ev| holder.set(event_target_value(&ev))
                >
                    <option value="" selected=move || holder.get().is_empty()>{move || app.t(Key::Nobody)}</option>
                    <For each=members key=|row| row.clone() let:row>
                        <option value=row.0.clone() selected=move || holder.get() == row.0>{row.1.clone()}</option>
                    </For>
                </select>
                <button type="submit" class="primary">{move || app.t(Key::Save)}</button>
                <Show when=move || saved.get()>
                    <p class="quiet" role="status" data-testid="plot-saved">"✓ "{move || app.t(Key::Saved)}</p>
                </Show>
            </form>
            <div class="panel danger-zone">
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>
                            {move || app.t(Key::DeletePlot)}
                        </button>
                    }
                >
                    <p role="alert">{move || app.tf(Key::ConfirmDeletePlot, &[("label", &title.get())])}</p>
                    <div class="row">
                        <button type="button" class="danger" on:click=move |_| delete.run(())>{move || app.t(Key::Delete)}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{move || app.t(Key::Cancel)}</button>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
