//! One plot: edit it, give it to a member, or delete it.

use leptos::prelude::*;

use super::GroupGate;
use super::tracked::{ChangedNote, Tracked, as_text};
use crate::core::command::{Command, Refusal};
use crate::core::i18n::Key;
use crate::core::model::{Plot, PlotStatus};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{
    FieldError, History, InputField, MemberSelect, PageTitle, StatusSelect, TextField, local_date,
    member_names,
};
use crate::ui::state::AppState;

#[component]
pub fn PlotPage(id: DocumentId, plot: String) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <PlotView id=id plot=plot.clone() />
        </GroupGate>
    }
}

/// What the follow-up panel shows of a plot.
#[derive(Clone, PartialEq)]
struct FollowUp {
    status: PlotStatus,
    attention: String,
    first_notice: Option<String>,
    final_notice: Option<String>,
}

/// What the form held when it was last saved, to show "Saved" only while
/// nothing has been changed since.
type FormValues = (String, String, PlotStatus);

/// A plot status as the member reads it.
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "the shape of every field's display in ChangedNote"
)]
fn status_text(app: AppState, status: &PlotStatus) -> String {
    use crate::core::i18n::Named;
    app.t(status.key()).to_owned()
}

#[component]
fn PlotView(id: DocumentId, plot: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let plot_id = plot.clone();
    let current =
        Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.plots.get(&plot_id).cloned())));
    // Each field follows the plot as it changes on other phones until the
    // member changes it; saving sends only what they changed.
    let label = Tracked::new(
        move || current.with(|p| p.as_ref().map(|p| p.label.clone())),
        String::new(),
    );
    let size = Tracked::new(
        move || current.with(|p| p.as_ref().map(|p| p.size.clone())),
        String::new(),
    );
    let status = Tracked::new(
        move || current.with(|p| p.as_ref().map(|p| p.status)),
        PlotStatus::default(),
    );
    let start = current.get_untracked().unwrap_or_default();
    let error = RwSignal::new(None::<String>);
    let size_error = RwSignal::new(None::<String>);
    let saved_as = RwSignal::new(None::<FormValues>);
    let values = move || (label.value.get(), size.value.get(), status.value.get());
    let confirming = RwSignal::new(false);
    let deleted = RwSignal::new(false);
    let site = start.site.clone();
    let plot_id = plot.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = Command::EditPlot {
            plot: plot_id.clone(),
            label: label.changed(),
            size: size.changed(),
            status: status.changed(),
        };
        // Label and size are checked first, so a refusal changes nothing.
        if let Err(refused) = app.run(id, &edit) {
            match refused.why {
                Refusal::SizeTooLong { .. } => size_error.set(Some(refused.message)),
                _ => error.set(Some(refused.message)),
            }
            return;
        }
        label.saved();
        size.saved();
        status.saved();
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
    // Memos, not derived signals, below: an edit of one field redraws only
    // what shows that field (the page re-reads the plot on every change of
    // the group).
    let title = Memo::new(move |_| {
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
                <TextField id="plot-label" label=Key::PlotLabel value=label.value error=error />
                <ChangedNote field=label show=as_text id=id item=plot.clone() test_id="plot-label-changed" />
                <TextField
                    id="plot-size"
                    label=Key::PlotSize
                    value=size.value
                    hint=Key::PlotSizeHint
                    error=size_error
                />
                <ChangedNote field=size show=as_text id=id item=plot.clone() test_id="plot-size-changed" />
                <StatusSelect id="plot-status" value=status.value />
                <ChangedNote field=status show=status_text id=id item=plot.clone() test_id="plot-status-changed" />
                <button type="submit" class="primary">
                    {move || app.t(Key::Save)}
                </button>
                <Show when=move || saved_as.get().is_some_and(|saved| saved == values())>
                    <p class="quiet" role="status" data-testid="plot-saved">
                        "✓ "{move || app.t(Key::Saved)}
                    </p>
                </Show>
            </form>
            <Holders id=id plot=plot.clone() />
            <Attention id=id plot=plot.clone() current=current />
            <PlotNotes id=id plot=plot.clone() current=current />
            <History id=id item=plot.clone() />
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

/// Who holds the plot this season: give it, share it, or release it.
#[component]
fn Holders(id: DocumentId, plot: String) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let plot_id = plot.clone();
    let holders = Memo::new(move |_| {
        let season = app.today.get().year();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.plots.get(&plot_id).map_or_else(Vec::new, |p| {
                    p.holders_in(season)
                        .into_iter()
                        .map(|m| (m.clone(), g.member_name(&m).unwrap_or("?").to_owned()))
                        .collect()
                })
            })
        })
    });
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let plot_id = plot.clone();
    let give = move |_| {
        let member = chosen.get_untracked();
        if member.is_empty() {
            error.set(Some(app.t(Key::ChooseMember).to_owned()));
            return;
        }
        let command = Command::AssignPlot {
            plot: plot_id.clone(),
            season: app.today.get_untracked().year(),
            member,
            alongside: !holders.with_untracked(Vec::is_empty),
        };
        match app.run(id, &command) {
            Ok(()) => chosen.set(String::new()),
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    let plot_id = plot.clone();
    let release = move |_| {
        let command = Command::ReleasePlot {
            plot: plot_id.clone(),
            season: app.today.get_untracked().year(),
        };
        if let Err(refused) = app.run(id, &command) {
            error.set(Some(refused.message));
        }
    };
    view! {
        <section class="panel" aria-labelledby="holders-heading">
            <h2 id="holders-heading">{move || app.tf(Key::HoldersIn, &[("season", &app.today.get().year().to_string())])}</h2>
            <ul class="plain-list" data-testid="holders">
                {move || {
                    let rows = holders.get();
                    if rows.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::Nobody)}</li> }.into_any();
                    }
                    rows.into_iter()
                        .map(|(m, name)| view! { <li><a href=Route::Member(id, m).href()>{name}</a></li> })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <MemberSelect id="plot-holder" label=Key::Holder value=chosen members=member_names(app, id) error=error />
            <button type="button" class="primary" on:click=give data-testid="give-plot">
                {move || if holders.with(Vec::is_empty) { app.t(Key::GivePlot) } else { app.t(Key::AddCoHolder) }}
            </button>
            <Show when=move || !holders.with(Vec::is_empty)>
                <button type="button" on:click=release.clone() data-testid="release-plot">{move || app.t(Key::ReleasePlot)}</button>
            </Show>
        </section>
    }
}

/// Follow-up of a neglected plot: what is wrong, the notices given.
#[component]
fn Attention(id: DocumentId, plot: String, current: Memo<Option<Plot>>) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Only what this panel shows: editing the plot's size redraws nothing here.
    let current = Memo::new(move |_| {
        current.with(|p| {
            p.as_ref().map(|p| FollowUp {
                status: p.status,
                attention: p.attention.clone(),
                first_notice: p.first_notice.clone(),
                final_notice: p.final_notice.clone(),
            })
        })
    });
    let note = RwSignal::new(String::new());
    let day = RwSignal::new(app.today.get_untracked().to_string());
    let error = RwSignal::new(None::<String>);
    let run = move |command: Command| {
        if let Err(refused) = app.run(id, &command) {
            error.set(Some(refused.message));
        }
    };
    let plot_id = plot.clone();
    let mark = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(Command::MarkAttention {
            plot: plot_id.clone(),
            note: note.get_untracked(),
        });
    };
    let plot_id = plot.clone();
    let notice = move |last: bool| {
        run(Command::RecordNotice {
            plot: plot_id.clone(),
            last,
            date: day.get_untracked(),
        });
    };
    let plot_id = plot.clone();
    let clear = move |_| {
        run(Command::ClearAttention {
            plot: plot_id.clone(),
        });
    };
    let needs = move || {
        current.with(|p| {
            p.as_ref()
                .is_some_and(|p| p.status == PlotStatus::NeedsAttention)
        })
    };
    let notice_line = move |key: Key, date: Option<String>| {
        date.map(|d| {
            let d = local_date(app, &d);
            view! { <li>{move || app.tf(key, &[("date", &d)])}</li> }
        })
    };
    view! {
        <section class="panel" aria-labelledby="attention-heading">
            <h2 id="attention-heading">{move || app.t(Key::FollowUp)}</h2>
            <Show
                when=needs
                fallback=move || view! {
                    <form on:submit=mark.clone() novalidate class="stack">
                        <TextField id="attention-note" label=Key::WhatNeedsDoing value=note />
                        <button type="submit">{move || app.t(Key::MarkNeedsAttention)}</button>
                    </form>
                }
            >
                <p>{move || current.with(|p| p.as_ref().map(|p| p.attention.clone()).unwrap_or_default())}</p>
                <ul class="plain-list" data-testid="notices">
                    {move || notice_line(Key::FirstNoticeOn, current.with(|p| p.as_ref().and_then(|p| p.first_notice.clone())))}
                    {move || notice_line(Key::FinalNoticeOn, current.with(|p| p.as_ref().and_then(|p| p.final_notice.clone())))}
                </ul>
                <InputField id="notice-date" label=Key::NoticeDate kind="date" value=day />
                <div class="row">
                    <button type="button" on:click={let notice = notice.clone(); move |_| notice(false)}>{move || app.t(Key::RecordFirstNotice)}</button>
                    <button type="button" on:click={let notice = notice.clone(); move |_| notice(true)}>{move || app.t(Key::RecordFinalNotice)}</button>
                </div>
                <button type="button" on:click=clear.clone()>{move || app.t(Key::LookedAfterAgain)}</button>
            </Show>
            <FieldError id="attention-error".to_owned() error=error />
        </section>
    }
}

/// The plot's notes, and what it gave this season.
#[component]
fn PlotNotes(id: DocumentId, plot: String, current: Memo<Option<Plot>>) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let field = Tracked::new(
        move || current.with(|p| p.as_ref().map(|p| p.notes.clone())),
        String::new(),
    );
    let notes = field.value;
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let plot_id = plot.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Unchanged notes are not written over a newer copy.
        let Some(notes) = field.changed() else {
            saved.set(true);
            return;
        };
        match app.run(
            id,
            &Command::SetPlotNotes {
                plot: plot_id.clone(),
                notes,
            },
        ) {
            Ok(()) => {
                field.saved();
                saved.set(true);
            }
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    let plot_id = plot.clone();
    // Redrawn only when the totals change, not on every change of the group.
    let harvest = Memo::new(move |_| {
        let season = app.today.get().year();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                let site = g
                    .plots
                    .get(&plot_id)
                    .map(|p| p.site.clone())
                    .unwrap_or_default();
                g.harvest_totals(&site, Some(&plot_id), season)
            })
        })
    });
    view! {
        <form class="panel" on:submit=save novalidate>
            <label for="plot-notes">{move || app.t(Key::PlotNotes)}</label>
            <textarea id="plot-notes" rows="4" prop:value=move || notes.get()
                on:input=move |ev| { notes.set(event_target_value(&ev)); saved.set(false); }></textarea>
            <ChangedNote field=field show=as_text id=id item=plot.clone() test_id="plot-notes-changed" />
            <button type="submit">{move || app.t(Key::Save)}</button>
            <Show when=move || saved.get()><p class="quiet" role="status">"✓ "{move || app.t(Key::Saved)}</p></Show>
            <FieldError id="notes-error".to_owned() error=error />
            <h3>{move || app.t(Key::HarvestThisSeason)}</h3>
            <ul class="plain-list">
                {move || {
                    let totals = harvest.get();
                    if totals.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoneYet)}</li> }.into_any();
                    }
                    totals.into_iter().map(|t| view! { <li>{super::log::harvest_line(app, t.quantity, &t.unit, &t.crop)}</li> }).collect_view().into_any()
                }}
            </ul>
        </form>
    }
}
