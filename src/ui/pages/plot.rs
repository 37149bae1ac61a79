//! One plot: edit it, give it to a member, or delete it.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::{Command, Refusal};
use crate::core::i18n::Key;
use crate::core::model::PlotStatus;
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

/// What the form held when it was last saved, to show "Saved" only while
/// nothing has been changed since.
type FormValues = (String, String, PlotStatus, String);

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
    let saved_as = RwSignal::new(None::<FormValues>);
    let values = move || (label.get(), size.get(), status.get(), holder.get());
    let confirming = RwSignal::new(false);
    let deleted = RwSignal::new(false);
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
    // Choosing a holder shows the status that goes with it; the member can
    // still pick another before saving.
    let choose_holder = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        status.set(if chosen.is_empty() {
            PlotStatus::Available
        } else {
            PlotStatus::Assigned
        });
        holder.set(chosen);
    };

    let plot_id = plot.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = |status| Command::EditPlot {
            plot: plot_id.clone(),
            label: label.get_untracked(),
            size: size.get_untracked(),
            status,
        };
        // Label and size are checked first, so a refusal changes nothing.
        if let Err(refused) = app.run(id, &edit(status.get_untracked())) {
            match refused.why {
                Refusal::SizeTooLong { .. } => size_error.set(Some(refused.message)),
                _ => error.set(Some(refused.message)),
            }
            return;
        }
        let wanted = Some(holder.get_untracked()).filter(|h| !h.is_empty());
        if current.get_untracked().and_then(|p| p.holder) != wanted {
            let assign = Command::AssignPlot {
                plot: plot_id.clone(),
                member: wanted,
            };
            if let Err(refused) = app.run(id, &assign) {
                error.set(Some(refused.message));
                return;
            }
            // Assigning sets the usual status; keep the one the member chose.
            if current
                .get_untracked()
                .is_some_and(|p| p.status != status.get_untracked())
            {
                let _ = app.run(id, &edit(status.get_untracked()));
            }
        }
        saved_as.set(Some(values()));
    };

    let confirm_button = NodeRef::<leptos::html::Button>::new();
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let return_focus = RwSignal::new(false);
    // Keep keyboard and screen reader focus on the delete controls as they swap.
    Effect::new(move || {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    Effect::new(move || {
        if let Some(button) = delete_button.get()
            && return_focus.get_untracked()
        {
            return_focus.set(false);
            let _ = button.focus();
        }
    });
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
                deleted.set(true);
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
            fallback=move || {
                (!deleted.get())
                    .then(|| view! { <p class="error" role="alert">{move || app.t(Key::PlotNotFound)}</p> })
            }
        >
            <PageTitle title=title back=back.clone() />
            <form class="panel" on:submit=save.clone() novalidate>
                <h2>{move || app.t(Key::EditPlot)}</h2>
                <TextField id="plot-label" label=Key::PlotLabel value=label error=error />
                <TextField
                    id="plot-size"
                    label=Key::PlotSize
                    value=size
                    hint=Key::PlotSizeHint
                    error=size_error
                />
                <label for="plot-holder">{move || app.t(Key::Holder)}</label>
                <select id="plot-holder" prop:value=move || holder.get() on:change=choose_holder>
                    <option value="" selected=move || holder.get().is_empty()>
                        {move || app.t(Key::Nobody)}
                    </option>
                    <For each=members key=|row| row.clone() let:row>
                        <option value=row.0.clone() selected=move || holder.get() == row.0>
                            {row.1.clone()}
                        </option>
                    </For>
                </select>
                <StatusSelect id="plot-status" value=status />
                <button type="submit" class="primary">
                    {move || app.t(Key::Save)}
                </button>
                <Show when=move || saved_as.get().is_some_and(|saved| saved == values())>
                    <p class="quiet" role="status" data-testid="plot-saved">
                        "✓ "{move || app.t(Key::Saved)}
                    </p>
                </Show>
            </form>
            <div class="panel danger-zone">
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="danger"
                                node_ref=delete_button
                                on:click=move |_| confirming.set(true)
                            >
                                {move || app.t(Key::DeletePlot)}
                            </button>
                        }
                    }
                >
                    <p id="confirm-delete-text">{move || app.tf(Key::ConfirmDeletePlot, &[("label", &title.get())])}</p>
                    <div class="row">
                        <button
                            type="button"
                            class="danger"
                            node_ref=confirm_button
                            aria-describedby="confirm-delete-text"
                            on:click=move |_| delete.run(())
                        >
                            {move || app.t(Key::Delete)}
                        </button>
                        <button
                            type="button"
                            on:click=move |_| {
                                return_focus.set(true);
                                confirming.set(false);
                            }
                        >
                            {move || app.t(Key::Cancel)}
                        </button>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
