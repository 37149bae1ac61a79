//! Export for spreadsheets: the group's lists as CSV files and meeting
//! minutes as text, made on the phone and saved to its downloads.

use leptos::prelude::*;

use super::GroupGate;
use crate::core::export::{actions_csv, aid_csv, all_minutes, loans_csv, plots_csv};
use crate::core::i18n::Key;
use crate::core::model::{Group, Meeting};
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::ui::components::{FieldError, PageTitle};
use crate::ui::state::AppState;
use crate::web::platform;

#[component]
pub fn ExportPage(id: DocumentId) -> impl IntoView {
    view! {
        <GroupGate id=id>
            <ExportView id=id />
        </GroupGate>
    }
}

/// One file the page offers.
#[derive(Clone, Copy)]
enum File {
    Plots,
    Loans,
    Aid,
    Actions,
    Minutes,
}

impl File {
    const ALL: [Self; 5] = [
        Self::Plots,
        Self::Loans,
        Self::Aid,
        Self::Actions,
        Self::Minutes,
    ];

    const fn label(self) -> Key {
        match self {
            Self::Plots => Key::ExportPlots,
            Self::Loans => Key::ExportLoans,
            Self::Aid => Key::ExportAid,
            Self::Actions => Key::ExportActions,
            Self::Minutes => Key::ExportMinutes,
        }
    }

    /// Its name, after its list: "Plots.csv".
    const fn name(self) -> (Key, &'static str) {
        match self {
            Self::Plots => (Key::Plots, "csv"),
            Self::Loans => (Key::Library, "csv"),
            Self::Aid => (Key::MutualAid, "csv"),
            Self::Actions => (Key::ActionItems, "csv"),
            Self::Minutes => (Key::Minutes, "txt"),
        }
    }

    const fn test_id(self) -> &'static str {
        match self {
            Self::Plots => "export-plots",
            Self::Loans => "export-loans",
            Self::Aid => "export-aid",
            Self::Actions => "export-actions",
            Self::Minutes => "export-minutes",
        }
    }

    const fn needs_meetings(self) -> bool {
        matches!(self, Self::Actions | Self::Minutes)
    }
}

#[component]
fn ExportView(id: DocumentId) -> impl IntoView {
    let app = expect_context::<AppState>();
    let group = app.group(id);
    let error = RwSignal::new(None::<String>);
    let save = move |file: File, group: &Group, meetings: &[(String, Meeting)]| {
        let lang = app.lang.get_untracked();
        let today = app.today.get_untracked();
        let text = match file {
            File::Plots => plots_csv(group, lang, today.year()),
            File::Loans => loans_csv(group, lang, today),
            File::Aid => aid_csv(group, lang),
            File::Actions => actions_csv(group, meetings, lang),
            File::Minutes => all_minutes(group, meetings, lang),
        };
        let (list, extension) = file.name();
        let name = format!("{} - {} {today}.{extension}", group.name, app.t(list));
        let mime = if extension == "csv" {
            "text/csv;charset=utf-8"
        } else {
            "text/plain;charset=utf-8"
        };
        if let Err(why) = platform::download(&name, mime, &text) {
            error.set(Some(app.tf(Key::ErrStorage, &[("error", &why)])));
        }
    };
    let export = move |file: File| {
        let Some(shown) = group.get_untracked() else {
            return;
        };
        if !file.needs_meetings() {
            save(file, &shown, &[]);
            return;
        }
        let Some(repo) = app.store() else { return };
        // Every meeting the phone holds, read from its own document.
        leptos::task::spawn_local(async move {
            let mut meetings = Vec::new();
            for m in shown
                .meetings
                .keys()
                .filter_map(|m| DocumentId::parse(m).ok())
            {
                if let Some(read) = repo.meeting(m).await {
                    meetings.push((m.to_string(), read));
                }
            }
            save(file, &shown, &meetings);
        });
    };
    view! {
        <PageTitle title=Signal::derive(move || app.t(Key::Export).to_owned()) back=Route::Group(id).href() />
        <p>{move || app.t(Key::ExportIntro)}</p>
        <FieldError id="export-error".to_owned() error=error />
        <div class="stack">
            {File::ALL.into_iter().map(|file| view! {
                <button type="button" data-testid=file.test_id() on:click=move |_| export(file)>
                    {move || app.t(file.label())}
                </button>
            }).collect_view()}
        </div>
    }
}
