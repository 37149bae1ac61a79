//! Mutual aid: neighbors' asks and offers, matched with a member and marked
//! done; done posts leave the list after the group's set number of days.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::command::Command;
use crate::core::i18n::{Key, Named};
use crate::core::model::{AidCategory, AidKind, AidPost, AidStatus, Urgency};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::core::text::matches_filter;
use crate::ui::components::{
    Badge, Choice, FieldError, Filter, InputField, MemberSelect, PageTitle, TextArea, TextField,
    local_time, member_names,
};
use crate::ui::state::AppState;
use crate::web::platform::{self, new_id};

#[component]
pub fn AidPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <AidView id=id />
        </GroupGate>
    }
}

const fn status_badge(status: AidStatus) -> (&'static str, &'static str) {
    match status {
        AidStatus::Open => ("available", "○"),
        AidStatus::Matched => ("assigned", "⇄"),
        AidStatus::Done => ("fallow", "✓"),
        AidStatus::Unknown => ("fallow", "?"),
    }
}

#[component]
fn AidView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let filter = RwSignal::new(String::new());
    // "" for everything, else a kind's name.
    let kind_shown = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let posts = move || {
        let filter = filter.get();
        let kind = kind_shown.get();
        let lang = app.lang.get();
        app.today.track();
        group.with(|g| {
            g.as_ref().map_or_else(Vec::new, |g| {
                g.aid_listed(platform::now_ms())
                    .into_iter()
                    .filter(|(_, p)| kind.is_empty() || p.kind.as_str() == kind)
                    .filter(|(_, p)| {
                        let by = p.by.as_deref().and_then(|m| g.member_name(m)).unwrap_or("");
                        let with = p
                            .matched_with
                            .as_deref()
                            .and_then(|m| g.member_name(m))
                            .unwrap_or("");
                        matches_filter(
                            &filter,
                            &[
                                &p.title,
                                &p.details,
                                &p.area,
                                lang.text(p.category.key()),
                                by,
                                with,
                            ],
                        )
                    })
                    .map(|(post, p)| {
                        let name = |m: &Option<String>| {
                            m.as_deref()
                                .and_then(|m| g.member_name(m))
                                .map(str::to_owned)
                        };
                        (post.clone(), p.clone(), name(&p.by), name(&p.matched_with))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let matching = RwSignal::new(None::<String>);
    let match_member = RwSignal::new(String::new());
    let run = move |command: Command| match app.run(id, &command) {
        Ok(()) => {
            error.set(None);
            true
        }
        Err(refused) => {
            error.set(Some(refused.message));
            false
        }
    };
    let post_row = move |(post, p, by, with): (String, AidPost, Option<String>, Option<String>)| {
        let (class, symbol) = status_badge(p.status);
        let posted = local_time(app, p.created_at);
        let byline = move || match &by {
            Some(name) => app.tf(Key::PostedBy, &[("name", name), ("date", &posted)]),
            None => app.tf(Key::PostedOn, &[("date", &posted)]),
        };
        let meta = move || {
            [app.t(p.category.key()), p.area.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let urgent = p.urgency != Urgency::Normal;
        let (match_post, done_post, reopen_post, open_form) =
            (post.clone(), post.clone(), post.clone(), post.clone());
        let this = post.clone();
        view! {
            <li class:done=p.status == AidStatus::Done data-testid="aid-post">
                <p>
                    <Badge class=if p.kind == AidKind::Ask { "ask" } else { "offer" } symbol=if p.kind == AidKind::Ask { "?" } else { "+" } text=p.kind.key() />" "
                    <Badge class=class symbol=symbol text=p.status.key() />" "
                    {urgent.then(|| view! { <Badge class="needs-attention" symbol="!" text=p.urgency.key() /> })}
                </p>
                <strong>{p.title.clone()}</strong>
                {(!p.details.is_empty()).then(|| view! { <p class="wording">{p.details.clone()}</p> })}
                <span class="quiet">{meta}</span>
                <span class="quiet">{byline}</span>
                {with.map(|name| view! { <span>{move || app.tf(Key::MatchedWithName, &[("name", &name)])}</span> })}
                <div class="row">
                    {match p.status {
                        AidStatus::Open => view! {
                            <button type="button" class="primary" on:click=move |_| { match_member.set(String::new()); matching.set(Some(open_form.clone())); }>
                                {move || app.t(Key::Match)}
                            </button>
                        }.into_any(),
                        AidStatus::Matched => view! {
                            <button type="button" class="primary" on:click=move |_| { run(Command::AidDone { post: done_post.clone() }); }>
                                {move || app.t(Key::MarkResolved)}
                            </button>
                        }.into_any(),
                        // Done, or a status from a newer version: nothing to do here.
                        AidStatus::Done | AidStatus::Unknown => ().into_any(),
                    }}
                    {(p.status != AidStatus::Open).then(|| view! {
                        <button type="button" on:click=move |_| { run(Command::ReopenAid { post: reopen_post.clone() }); }>
                            {move || app.t(Key::Reopen)}
                        </button>
                    })}
                </div>
                <Show when=move || matching.get().as_deref() == Some(this.as_str())>
                    <div class="panel">
                        <MemberSelect id="match-member" label=Key::MatchWith value=match_member members=member_names(app, id) />
                        <button type="button" class="primary" on:click={
                            let post = match_post.clone();
                            move |_| {
                                if run(Command::MatchAid { post: post.clone(), member: match_member.get_untracked() }) {
                                    matching.set(None);
                                }
                            }
                        }>{move || app.t(Key::Match)}</button>
                    </div>
                </Show>
            </li>
        }
    };
    view! {
        <PageTitle title=Signal::derive(move || app.t(Key::MutualAid).to_owned()) back=Route::Group(id).href() />
        <div class="filter">
            <label for="aid-kind">{move || app.t(Key::Show)}</label>
            <select id="aid-kind" on:change=move |ev| kind_shown.set(event_target_value(&ev))>
                <option value="" selected=move || kind_shown.get().is_empty()>{move || app.t(Key::ShowAll)}</option>
                <option value=AidKind::Ask.as_str()>{move || app.t(Key::ShowAsks)}</option>
                <option value=AidKind::Offer.as_str()>{move || app.t(Key::ShowOffers)}</option>
            </select>
        </div>
        <Filter id="aid-filter" value=filter />
        <FieldError id="aid-error".to_owned() error=error />
        <ul class="plain-list" data-testid="aid">
            {move || {
                let posts = posts();
                if posts.is_empty() {
                    return view! { <li class="quiet">{move || app.t(Key::NoAidYet)}</li> }.into_any();
                }
                posts.into_iter().map(post_row).collect_view().into_any()
            }}
        </ul>
        <PostForm id=id />
        <Expiry id=id />
    }
}

#[component]
fn PostForm(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let kind = RwSignal::new(AidKind::Ask);
    let title = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let category = RwSignal::new(AidCategory::Food);
    let urgency = RwSignal::new(Urgency::Normal);
    let area = RwSignal::new(String::new());
    let title_error = RwSignal::new(None::<String>);
    let post = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = Command::PostAid {
            id: new_id(),
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            details: details.get_untracked(),
            category: category.get_untracked(),
            urgency: urgency.get_untracked(),
            area: area.get_untracked(),
        };
        match app.run(id, &command) {
            Ok(()) => {
                title.set(String::new());
                details.set(String::new());
                urgency.set(Urgency::Normal);
            }
            Err(refused) => title_error.set(Some(refused.message)),
        }
    };
    view! {
        <form class="panel" on:submit=post novalidate>
            <h2>{move || app.t(Key::PostAid)}</h2>
            <Choice id="aid-post-kind" label=Key::AidKindLabel value=kind all=AidKind::ALL as_str=AidKind::as_str />
            <TextField id="aid-title" label=Key::AidTitle value=title error=title_error />
            <TextArea id="aid-details" label=Key::AidDetails value=details />
            <Choice id="aid-category" label=Key::AidCategoryLabel value=category all=AidCategory::ALL as_str=AidCategory::as_str />
            <Choice id="aid-urgency" label=Key::UrgencyLabel value=urgency all=Urgency::ALL as_str=Urgency::as_str />
            <TextField id="aid-area" label=Key::Area value=area />
            <button type="submit" class="primary">{move || app.t(Key::Post)}</button>
        </form>
    }
}

/// How long done posts stay listed; a group setting.
#[component]
fn Expiry(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let days = RwSignal::new(group.with_untracked(|g| {
        g.as_ref()
            .map(|g| g.aid_expiry_days.to_string())
            .unwrap_or_default()
    }));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(count) = days.get_untracked().trim().parse::<i64>() else {
            error.set(Some(app.t(Key::ErrNumberInvalid).to_owned()));
            return;
        };
        match app.run(id, &Command::SetAidExpiry { days: count }) {
            Ok(()) => saved.set(true),
            Err(refused) => error.set(Some(refused.message)),
        }
    };
    view! {
        <details class="panel">
            <summary>{move || app.t(Key::AidExpiryLabel)}</summary>
            <form on:submit=save novalidate>
                <InputField id="aid-expiry" label=Key::AidExpiryLabel kind="number" value=days hint=Key::AidExpiryHint error=error />
                <button type="submit">{move || app.t(Key::Save)}</button>
                <span class="quiet" role="status">{move || saved.get().then(|| app.t(Key::Saved))}</span>
            </form>
        </details>
    }
}
