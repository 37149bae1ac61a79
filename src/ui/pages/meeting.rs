//! A meeting as it is held: when and where, who does what, who came, the
//! agenda, last time's commitments, the notes typed together, decisions in
//! their exact words and action items.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::GroupGate;
use super::tracked::{ChangedNote, Tracked, as_text};
use crate::core::command::{Command, MeetingCommand, Role};
use crate::core::export::tally_line;
use crate::core::i18n::{Key, Named};
use crate::core::model::{ActionStatus, Commitment, Meeting, Tally, commitments};
use crate::core::repo::DocumentId;
use crate::core::repo::message::encode_presence;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{
    Badge, FieldError, Filter, InputField, MemberSelect, PageTitle, TextArea, TextField,
    local_date, member_names,
};
use crate::ui::state::AppState;
use crate::web::platform::{self, new_id};
use crate::web::settings::Settings;

/// How often this phone says it is here, and how long a silent peer counts.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_FOR_MS: i64 = 15_000;

/// How many earlier meetings are searched for open commitments: items
/// still open are carried forward, so they stay within reach.
const LOOK_BACK: usize = 10;

#[component]
pub fn MeetingPage(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <MeetingView id=id meeting=meeting />
        </GroupGate>
    }
}

/// The meeting as this phone has it.
#[derive(Clone, Default)]
enum Read {
    #[default]
    Reading,
    Missing,
    Found(Box<Meeting>),
}

/// What every part of the page shares: the meeting as read, and a way to
/// run a command on it that shows a refusal.
#[derive(Clone, Copy)]
struct Held {
    app: AppState,
    id: DocumentId,
    meeting: DocumentId,
    read: RwSignal<Read>,
    error: RwSignal<Option<String>>,
}

impl Held {
    fn with<T: Default>(self, f: impl FnOnce(&Meeting) -> T) -> T {
        self.read.with(|read| match read {
            Read::Found(meeting) => f(meeting),
            Read::Reading | Read::Missing => T::default(),
        })
    }

    /// Runs a command on this meeting; false (and the reason shown) when refused.
    fn run(self, command: &MeetingCommand) -> bool {
        match self.app.run_meeting(self.id, self.meeting, command) {
            Ok(meeting) => {
                self.read.set(Read::Found(Box::new(meeting)));
                self.error.set(None);
                true
            }
            Err(refused) => {
                self.error.set(Some(refused.message));
                false
            }
        }
    }
}

#[component]
fn MeetingView(id: DocumentId, meeting: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let held = Held {
        app,
        id,
        meeting,
        read: RwSignal::new(Read::Reading),
        error: RwSignal::new(None),
    };
    // Read it now, and again whenever a peer changed any document.
    Effect::new(move || {
        app.remote_tick.track();
        let Some(repo) = app.store() else { return };
        leptos::task::spawn_local(async move {
            match repo.meeting(meeting).await {
                Some(m) => held.read.set(Read::Found(Box::new(m))),
                // It read before and no longer does: said at once; its
                // commands are refused until it reads again.
                None if held.read.with_untracked(|r| matches!(r, Read::Found(_))) => {
                    held.error.set(Some(app.t(Key::GroupStale).to_owned()));
                }
                None => held.read.set(Read::Missing),
            }
        });
    });
    let title = Signal::derive(move || held.with(|m| m.title.clone()));
    let when = move || {
        held.with(|m| {
            let day = local_date(app, &m.day());
            [day, m.time.clone(), m.place.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    // Render the page once the meeting is found, not again on each change,
    // so the member's caret and keyboard stay put.
    let found = Memo::new(move |_| {
        held.read.with(|read| match read {
            Read::Reading => None,
            Read::Missing => Some(false),
            Read::Found(_) => Some(true),
        })
    });
    view! {
        <PageTitle title=title back=Route::Group(id).href() />
        {move || match found.get() {
            Some(false) => Some(view! { <p class="notice">{move || app.t(Key::MeetingNotFound)}</p> }.into_any()),
            Some(true) => Some(view! {
                <p data-testid="when">{when}" · "
                    <a href=Route::Minutes(id, meeting).href()>{move || app.t(Key::PrintableMinutes)}</a>
                </p>
                <AlsoHere held=held />
                <FieldError id="meeting-error".to_owned() error=held.error />
                <Details held=held />
                <Roles held=held />
                <Attendance held=held />
                <Agenda held=held />
                <FromLastTime held=held />
                <Notes held=held />
                <Decisions held=held />
                <Actions held=held />
            }.into_any()),
            None => None,
        }}
    }
}

/// Who else has these notes open now; and this phone's name, said to them.
#[component]
fn AlsoHere(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(held.id);
    let my_name = RwSignal::new(Settings::load().my_name.unwrap_or_default());
    // The member this phone is, when chosen; else the name typed here.
    let name = move || {
        let member = app.me_in(held.id).and_then(|me| {
            group.with_untracked(|g| g.as_ref()?.member_name(&me).map(str::to_owned))
        });
        member
            .or_else(|| Some(my_name.get_untracked()).filter(|n| !n.trim().is_empty()))
            .unwrap_or_else(|| app.t(Key::Someone).to_owned())
    };
    let now = RwSignal::new(platform::now_ms());
    let announce = move || {
        if let Some(repo) = app.store() {
            let me = app.me_in(held.id);
            repo.broadcast(held.meeting, &encode_presence(&name(), me.as_deref()));
        }
    };
    announce();
    let ticker = set_interval_with_handle(
        move || {
            now.set(platform::now_ms());
            announce();
        },
        PRESENCE_EVERY,
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    let also_here = move || {
        let cutoff = now.get() - PRESENCE_FOR_MS;
        let names: Vec<String> = app.presence.with(|here| {
            here.iter()
                .filter(|((document, _), (_, seen))| *document == held.meeting && *seen >= cutoff)
                // A member of the group is shown by the group's own name
                // for them, whatever name the peer sent.
                .filter_map(|(_, (said, _))| {
                    let known = said.member.as_deref().and_then(|member| {
                        group.with(|g| g.as_ref()?.member_name(member).map(str::to_owned))
                    });
                    known.or_else(|| Some(said.name.clone()).filter(|n| !n.is_empty()))
                })
                .collect()
        });
        (!names.is_empty()).then(|| app.tf(Key::AlsoHere, &[("names", &names.join(", "))]))
    };
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut settings = Settings::load();
        let name = my_name.get_untracked().trim().to_owned();
        settings.my_name = (!name.is_empty()).then_some(name);
        settings.save();
        announce();
    };
    view! {
        <p class="quiet" role="status" aria-live="polite" data-testid="also-here">{also_here}</p>
        <Show when=move || app.me_in(held.id).is_none()>
            <form class="panel" on:submit=save_name novalidate>
                <TextField id="my-name" label=Key::YourName value=my_name />
                <button type="submit">{move || app.t(Key::Save)}</button>
            </form>
        </Show>
    }
}

/// Title, date, time and place; the group's list of meetings follows.
#[component]
fn Details(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    // Each detail follows other phones until it is changed here; saving
    // sends only what was changed.
    let live = move |pick: fn(&Meeting) -> String| {
        move || {
            held.read.with(|read| match read {
                Read::Found(meeting) => Some(pick(meeting)),
                Read::Reading | Read::Missing => None,
            })
        }
    };
    let title = Tracked::new(live(|m| m.title.clone()), String::new());
    let date = Tracked::new(live(|m| m.date.clone()), String::new());
    let time = Tracked::new(live(|m| m.time.clone()), String::new());
    let place = Tracked::new(live(|m| m.place.clone()), String::new());
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = MeetingCommand::SetDetails {
            title: title.changed(),
            date: date.changed(),
            time: time.changed(),
            place: place.changed(),
        };
        if held.run(&command) {
            for field in [title, date, time, place] {
                field.saved();
            }
            let (title, date) = held.with(|m| (m.title.clone(), m.date.clone()));
            let listed = app.run(
                held.id,
                &Command::ListMeeting {
                    id: held.meeting.to_string(),
                    title,
                    date,
                },
            );
            if let Err(refused) = listed {
                held.error.set(Some(refused.message));
            }
            saved.set(true);
        }
    };
    let item = held.meeting.to_string();
    view! {
        <details class="panel">
            <summary>{move || app.t(Key::MeetingDetails)}</summary>
            <form on:submit=save novalidate>
                <TextField id="meeting-title" label=Key::MeetingTitle value=title.value />
                <ChangedNote field=title show=as_text id=held.id item=item.clone() test_id="meeting-title-changed" />
                <InputField id="meeting-date" label=Key::Date kind="date" value=date.value />
                <ChangedNote field=date show=as_text id=held.id item=item.clone() test_id="meeting-date-changed" />
                <InputField id="meeting-time" label=Key::Time kind="time" value=time.value />
                <ChangedNote field=time show=as_text id=held.id item=item.clone() test_id="meeting-time-changed" />
                <TextField id="meeting-place" label=Key::Place value=place.value />
                <ChangedNote field=place show=as_text id=held.id item=item.clone() test_id="meeting-place-changed" />
                <button type="submit">{move || app.t(Key::Save)}</button>
                <span class="quiet" role="status">{move || saved.get().then(|| app.t(Key::Saved))}</span>
            </form>
        </details>
    }
}

/// Facilitator, note-taker, timekeeper: chosen from the members.
#[component]
fn Roles(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let members = member_names(app, held.id);
    let roles = Role::ALL.map(|role| {
        let chosen = RwSignal::new(held.with(|m| role.of(m).cloned().unwrap_or_default()));
        // Follows what another phone chose.
        Effect::new(move || {
            let now = held.with(|m| role.of(m).cloned().unwrap_or_default());
            if chosen.get_untracked() != now {
                chosen.set(now);
            }
        });
        // Saved as soon as it is chosen.
        Effect::watch(
            move || chosen.get(),
            move |who, _, _| {
                let member = Some(who.clone()).filter(|w| !w.is_empty());
                if held.with(|m| role.of(m).cloned()) != member {
                    held.run(&MeetingCommand::SetRole { role, member });
                }
            },
            false,
        );
        let id = match role {
            Role::Facilitator => "role-facilitator",
            Role::NoteTaker => "role-note-taker",
            Role::Timekeeper => "role-timekeeper",
        };
        view! { <MemberSelect id=id label=role.key() value=chosen members=members none=Key::Nobody /> }
    });
    view! {
        <section class="panel" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{move || app.t(Key::Roles)}</h2>
            {roles.into_iter().collect_view()}
        </section>
    }
}

/// Who came: a tick per member, with a filter for big groups.
#[component]
fn Attendance(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let members = member_names(app, held.id);
    let filter = RwSignal::new(String::new());
    let shown = move || {
        let filter = filter.get();
        members
            .get()
            .into_iter()
            .filter(|(_, name)| matches_filter(&filter, &[name]))
            .collect::<Vec<_>>()
    };
    let count = move || held.with(|m| i64::try_from(m.attendees.len()).unwrap_or(0));
    view! {
        <details class="panel">
            <summary>
                <span>
                    {move || app.t(Key::Attendance)}" · "
                    <span data-testid="present-count">{move || app.count(Key::PresentCount, count())}</span>
                </span>
            </summary>
            <Filter id="attendance-filter" value=filter />
            <ul class="plain-list checks" data-testid="attendance">
                <For each=shown key=|row| row.clone() let:row>
                    {
                        let (member, name) = row;
                        let box_id = format!("present-{member}");
                        let here = member.clone();
                        view! {
                            <li>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        id=box_id
                                        prop:checked=move || held.with(|m| m.attendees.contains_key(&here))
                                        on:change=move |ev| {
                                            held.run(&MeetingCommand::SetPresent {
                                                member: member.clone(),
                                                present: event_target_checked(&ev),
                                            });
                                        }
                                    />
                                    {name}
                                </label>
                            </li>
                        }
                    }
                </For>
            </ul>
        </details>
    }
}

#[component]
fn Agenda(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let items = move || {
        held.with(|m| {
            m.agenda_in_order()
                .into_iter()
                .map(|(id, item)| (id.clone(), item.title.clone(), item.done))
                .collect::<Vec<_>>()
        })
    };
    let new_item = RwSignal::new(String::new());
    let item_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = MeetingCommand::AddAgenda {
            id: new_id(),
            title: new_item.get_untracked(),
        };
        match app.run_meeting(held.id, held.meeting, &command) {
            Ok(meeting) => {
                held.read.set(Read::Found(Box::new(meeting)));
                new_item.set(String::new());
            }
            Err(refused) => item_error.set(Some(refused.message)),
        }
    };
    view! {
        <section class="panel" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{move || app.t(Key::Agenda)}</h2>
            <ol class="plain-list checks" data-testid="agenda">
                {move || {
                    let items = items();
                    if items.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoAgendaYet)}</li> }.into_any();
                    }
                    items.into_iter().map(|(item, title, done)| {
                        let box_id = format!("agenda-{item}");
                        view! {
                            <li>
                                <label class="check" class:done=done>
                                    <input type="checkbox" id=box_id prop:checked=done
                                        on:change=move |ev| { held.run(&MeetingCommand::CheckAgenda { item: item.clone(), done: event_target_checked(&ev) }); } />
                                    {title}
                                </label>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ol>
            <form on:submit=add novalidate>
                <TextField id="agenda-item" label=Key::AddAgendaItem value=new_item error=item_error />
                <button type="submit">{move || app.t(Key::AddAgendaItem)}</button>
            </form>
        </section>
    }
}

/// Open action items of earlier meetings: done, or carried into this one.
#[component]
fn FromLastTime(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(held.id);
    let earlier = RwSignal::new(Vec::<(String, Meeting)>::new());
    let reload = move || {
        let Some(repo) = app.store() else { return };
        let ids: Vec<DocumentId> = group.with_untracked(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.meetings_before(&held.meeting.to_string())
                    .into_iter()
                    .take(LOOK_BACK)
                    .filter_map(|id| DocumentId::parse(id).ok())
                    .collect()
            })
        });
        leptos::task::spawn_local(async move {
            let mut read = Vec::new();
            for id in ids {
                if let Some(meeting) = repo.meeting(id).await {
                    read.push((id.to_string(), meeting));
                }
            }
            earlier.set(read);
        });
    };
    Effect::new(move || {
        app.remote_tick.track();
        group.track();
        reload();
    });
    let owed = move || earlier.with(|earlier| held.with(|this| commitments(this, earlier)));
    let titles = move |meeting: &str| {
        group.with(|g| {
            g.as_ref()
                .and_then(|g| g.meetings.get(meeting))
                .map(|m| m.title.clone())
                .unwrap_or_default()
        })
    };
    // Settles an item in the meeting that holds it.
    let settle = move |commitment: &Commitment, status: ActionStatus| {
        let Ok(source) = DocumentId::parse(&commitment.meeting) else {
            return;
        };
        let command = MeetingCommand::SetActionStatus {
            item: commitment.item.clone(),
            status,
        };
        match app.run_meeting(held.id, source, &command) {
            Ok(_) => reload(),
            Err(refused) => held.error.set(Some(refused.message)),
        }
    };
    let carry = move |commitment: Commitment| {
        // Taken on here first, so that a failure leaves it open there.
        let taken = held.run(&MeetingCommand::AddAction {
            id: new_id(),
            text: commitment.action.text.clone(),
            owner: commitment.action.owner.clone(),
            due: commitment.action.due.clone(),
            carried_from: Some(commitment.source()),
        });
        if taken {
            settle(&commitment, ActionStatus::CarriedOver);
        }
    };
    view! {
        <section class="panel" aria-labelledby="owed-heading">
            <h2 id="owed-heading">{move || app.t(Key::Commitments)}</h2>
            <ul class="plain-list" data-testid="commitments">
                {move || {
                    let owed = owed();
                    if owed.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoCommitments)}</li> }.into_any();
                    }
                    owed.into_iter().map(|c| {
                        let from = titles(&c.meeting);
                        let who_when = owner_due(app, held.id, c.action.owner.as_deref(), &c.action.due);
                        let (done, carried) = (c.clone(), c.clone());
                        view! {
                            <li>
                                <strong>{c.action.text.clone()}</strong>
                                <span class="quiet">{who_when}</span>
                                <span class="quiet">{move || app.tf(Key::FromMeeting, &[("meeting", &from)])}</span>
                                <div class="row">
                                    <button type="button" on:click=move |_| settle(&done, ActionStatus::Done)>{move || app.t(Key::MarkDone)}</button>
                                    <button type="button" class="primary" on:click=move |_| carry(carried.clone())>{move || app.t(Key::CarryOver)}</button>
                                </div>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}

/// "Ana · by 3 Oct", or whichever part is known.
fn owner_due(app: AppState, id: DocumentId, owner: Option<&str>, due: &str) -> String {
    let group = app.group(id);
    let name =
        owner.and_then(|o| group.with_untracked(|g| g.as_ref()?.member_name(o).map(str::to_owned)));
    let due = (!due.is_empty()).then(|| app.tf(Key::ByDate, &[("date", &local_date(app, due))]));
    [name, due]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The notes, typed together: each phone's words merge with the others'.
#[component]
fn Notes(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let notes = Memo::new(move |_| {
        held.read.with(|read| match read {
            Read::Found(meeting) => Some(meeting.notes.as_str().to_owned()),
            Read::Reading | Read::Missing => None,
        })
    });
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // The document's heads when the box last matched it: the caret's place
    // is found by letter in the notes as they were then.
    let shown = StoredValue::new(Vec::new());
    // A peer's words arrive while the member types: the caret stays after
    // the same letter it followed, wherever the words arrived.
    Effect::new(move || {
        let Some(text) = notes.get() else { return };
        let Some(area) = textarea.get() else { return };
        let old = area.value();
        if old == text {
            // The member's own key: the box already shows it.
            shown.set_value(app.heads(held.meeting).unwrap_or_default());
            return;
        }
        let Some((text, heads)) = app.notes_now(held.meeting) else {
            return;
        };
        if old != text {
            let caret = area.selection_start().ok().flatten().unwrap_or(0);
            let caret = chars_before(&old, caret);
            let moved = shown.with_value(|shown: &Vec<_>| {
                (!shown.is_empty())
                    .then(|| app.caret_after_merge(held.meeting, shown, caret))
                    .flatten()
            });
            area.set_value(&text);
            let caret = utf16_before(&text, moved.unwrap_or(caret));
            let _ = area.set_selection_range(caret, caret);
        }
        shown.set_value(heads);
    });
    let on_input = move |ev: leptos::ev::Event| {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        else {
            return;
        };
        app.edit_notes(held.id, held.meeting, &area.value());
        shown.set_value(app.heads(held.meeting).unwrap_or_default());
    };
    view! {
        <div class="field">
            <label for="notes"><h2>{move || app.t(Key::MeetingNotes)}</h2></label>
            <textarea
                id="notes"
                node_ref=textarea
                rows="12"
                data-testid="notes"
                prop:value=move || notes.get_untracked().unwrap_or_default()
                on:input=on_input
            ></textarea>
        </div>
    }
}

/// Decisions in the exact words agreed, with the show of hands if taken.
#[component]
fn Decisions(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let decisions = move || {
        held.with(|m| {
            m.decisions_in_order()
                .into_iter()
                .map(|(_, d)| (d.text.clone(), d.tally))
                .collect::<Vec<_>>()
        })
    };
    let wording = RwSignal::new(String::new());
    let wording_error = RwSignal::new(None::<String>);
    let hands = [Key::Agree, Key::Abstain, Key::Disagree, Key::Block]
        .map(|key| (key, RwSignal::new(String::new())));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut counts = [0u64; 4];
        for (count, (_, typed)) in counts.iter_mut().zip(hands) {
            let typed = typed.get_untracked();
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let Ok(n) = typed.parse() else {
                wording_error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
                return;
            };
            *count = n;
        }
        let tally = hands
            .iter()
            .any(|(_, typed)| !typed.get_untracked().trim().is_empty())
            .then_some(Tally {
                agree: counts[0],
                abstain: counts[1],
                disagree: counts[2],
                block: counts[3],
            });
        let command = MeetingCommand::AddDecision {
            id: new_id(),
            text: wording.get_untracked(),
            tally,
        };
        match app.run_meeting(held.id, held.meeting, &command) {
            Ok(meeting) => {
                held.read.set(Read::Found(Box::new(meeting)));
                wording.set(String::new());
                for (_, typed) in hands {
                    typed.set(String::new());
                }
            }
            Err(refused) => wording_error.set(Some(refused.message)),
        }
    };
    let hand_ids = [
        "tally-agree",
        "tally-abstain",
        "tally-disagree",
        "tally-block",
    ];
    view! {
        <section class="panel" aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">{move || app.t(Key::Decisions)}</h2>
            <ol class="plain-list" data-testid="decisions">
                {move || {
                    let decisions = decisions();
                    if decisions.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoDecisionsYet)}</li> }.into_any();
                    }
                    decisions.into_iter().map(|(text, tally)| view! {
                        <li>
                            <p class="wording">{text}</p>
                            {tally.map(|t| view! { <p class="quiet">{move || tally_line(app.lang.get(), t)}</p> })}
                        </li>
                    }).collect_view().into_any()
                }}
            </ol>
            <form on:submit=add novalidate>
                <TextArea id="decision-wording" label=Key::DecisionWording value=wording error=wording_error />
                <fieldset class="tally">
                    <legend>{move || app.t(Key::ShowOfHands)}</legend>
                    {hands.into_iter().zip(hand_ids).map(|((key, typed), id)| view! {
                        <div><InputField id=id label=key kind="number" value=typed /></div>
                    }).collect_view()}
                </fieldset>
                <button type="submit">{move || app.t(Key::AddDecision)}</button>
            </form>
        </section>
    }
}

/// Action items: what will be done, by whom and when.
#[component]
fn Actions(held: Held) -> impl IntoView {
    let app = expect_context::<AppState>();
    let actions = move || {
        held.with(|m| {
            m.actions_in_order()
                .into_iter()
                .map(|(id, a)| (id.clone(), a.clone()))
                .collect::<Vec<_>>()
        })
    };
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let text_error = RwSignal::new(None::<String>);
    let due_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = MeetingCommand::AddAction {
            id: new_id(),
            text: text.get_untracked(),
            owner: Some(owner.get_untracked()).filter(|o| !o.is_empty()),
            due: due.get_untracked(),
            carried_from: None,
        };
        match app.run_meeting(held.id, held.meeting, &command) {
            Ok(meeting) => {
                held.read.set(Read::Found(Box::new(meeting)));
                text.set(String::new());
                due.set(String::new());
            }
            Err(refused) => match refused.why {
                crate::core::command::Refusal::DateInvalid
                | crate::core::command::Refusal::DateInPast => due_error.set(Some(refused.message)),
                _ => text_error.set(Some(refused.message)),
            },
        }
    };
    view! {
        <section class="panel" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{move || app.t(Key::ActionItems)}</h2>
            <ul class="plain-list" data-testid="actions">
                {move || {
                    let actions = actions();
                    if actions.is_empty() {
                        return view! { <li class="quiet">{move || app.t(Key::NoActionsYet)}</li> }.into_any();
                    }
                    actions.into_iter().map(|(item, action)| {
                        let who_when = owner_due(app, held.id, action.owner.as_deref(), &action.due);
                        let status = action.status;
                        let (symbol, class) = match status {
                            ActionStatus::Open => ("○", "open"),
                            ActionStatus::Done => ("✓", "done"),
                            ActionStatus::CarriedOver => ("→", "carried"),
                            ActionStatus::Unknown => ("?", "carried"),
                        };
                        view! {
                            <li>
                                <strong>{action.text}</strong>
                                <span class="quiet">{who_when}</span>
                                <span><Badge class=class symbol=symbol text=status.key() /></span>
                                {(status == ActionStatus::Open).then(|| view! {
                                    <button type="button" on:click=move |_| { held.run(&MeetingCommand::SetActionStatus { item: item.clone(), status: ActionStatus::Done }); }>
                                        {move || app.t(Key::MarkDone)}
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
            <form on:submit=add novalidate>
                <TextField id="action-text" label=Key::ActionText value=text error=text_error />
                <MemberSelect id="action-owner" label=Key::Owner value=owner members=member_names(app, held.id) none=Key::Nobody />
                <InputField id="action-due" label=Key::DueOptional kind="date" value=due error=due_error />
                <button type="submit" class="primary">{move || app.t(Key::AddAction)}</button>
            </form>
        </section>
    }
}

/// How many characters come before a text box's caret (which counts UTF-16).
fn chars_before(text: &str, caret: u32) -> usize {
    let mut units = 0;
    text.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= caret as usize
        })
        .count()
}

/// A caret after `chars` characters, as a text box counts it (UTF-16).
fn utf16_before(text: &str, chars: usize) -> u32 {
    let units: usize = text.chars().take(chars).map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}
