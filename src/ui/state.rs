//! The app's state on this device, shared with every page through context.

use leptos::prelude::*;

use crate::core::command::{Command, Refusal};
use crate::core::i18n::{self, Key, Lang, fill};
use crate::core::model::Group;
use crate::core::repo::DocumentId;
use crate::core::route::Route;
use crate::web::idb::DATABASE;
use crate::web::platform;
use crate::web::repo::{OpenError, Repo};
use crate::web::settings::{KnownGroup, Settings};

/// The group the current page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Loading(DocumentId),
    Open {
        id: DocumentId,
        group: Group,
        damaged: usize,
    },
    Failed(DocumentId, OpenError),
}

/// A command the member tried that did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub why: Refusal,
    /// What to tell the member, in their language.
    pub message: String,
}

/// Everything a page needs, as signals; `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Route>,
    pub online: RwSignal<bool>,
    pub offline_ready: RwSignal<bool>,
    /// Saves started and not yet finished.
    pub pending: RwSignal<u32>,
    /// The last save failure, until a save succeeds.
    pub save_error: RwSignal<Option<String>>,
    /// IndexedDB could not be opened at all.
    pub storage_error: RwSignal<Option<String>>,
    pub groups: RwSignal<Vec<KnownGroup>>,
    pub opened: RwSignal<Option<Opened>>,
    /// True once the document store is open.
    pub ready: RwSignal<bool>,
    repo: StoredValue<Option<Repo>, LocalStorage>,
}

fn current_route() -> Route {
    let hash = window().location().hash().unwrap_or_default();
    Route::parse(&hash)
}

impl AppState {
    /// Reads the device settings, opens the store and wires browser events.
    pub fn start() -> Self {
        let settings = Settings::load();
        let lang = settings
            .lang
            .as_deref()
            .and_then(Lang::from_tag)
            .or_else(|| {
                platform::browser_language()
                    .as_deref()
                    .and_then(Lang::from_tag)
            })
            .unwrap_or_default();
        let app = Self {
            lang: RwSignal::new(lang),
            route: RwSignal::new(current_route()),
            online: RwSignal::new(platform::is_online()),
            offline_ready: RwSignal::new(false),
            pending: RwSignal::new(0),
            save_error: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            groups: RwSignal::new(settings.groups),
            opened: RwSignal::new(None),
            ready: RwSignal::new(false),
            repo: StoredValue::new_local(None),
        };
        let listeners = [
            window_event_listener(leptos::ev::hashchange, move |_| {
                app.route.set(current_route());
            }),
            window_event_listener(leptos::ev::online, move |_| app.online.set(true)),
            window_event_listener(leptos::ev::offline, move |_| app.online.set(false)),
            // Closing the page with changes not yet in IndexedDB: ask first.
            window_event_listener(leptos::ev::beforeunload, move |ev| {
                if app.has_unsaved_changes() {
                    ev.prevent_default();
                }
            }),
        ];
        // The app lives as long as the page.
        std::mem::forget(listeners);
        Effect::new(move || {
            document()
                .document_element()
                .map(|html| html.set_attribute("lang", app.lang.get().tag()));
        });
        // Whenever the page shows a group, make sure that group is open.
        Effect::new(move || {
            let wanted = match app.route.get() {
                Route::Group(id) | Route::Site(id, _) | Route::Plot(id, _) => Some(id),
                Route::Home | Route::NotFound => None,
            };
            if let (Some(id), true) = (wanted, app.ready.get()) {
                app.open_group(id);
            }
        });
        leptos::task::spawn_local(async move {
            match Repo::open(DATABASE).await {
                Ok(repo) => {
                    app.repo.set_value(Some(repo));
                    platform::request_persistent_storage();
                }
                Err(error) => app.storage_error.set(Some(app.storage_message(&error.0))),
            }
            app.ready.set(true);
            app.offline_ready
                .set(platform::register_service_worker().await);
        });
        app
    }

    /// The open group with this id, as it changes.
    pub fn group(self, id: DocumentId) -> Memo<Option<Group>> {
        Memo::new(move |_| {
            self.opened.with(|opened| match opened {
                Some(Opened::Open {
                    id: open, group, ..
                }) if *open == id => Some(group.clone()),
                _ => None,
            })
        })
    }

    /// The text for a key in the member's language (reactive).
    pub fn t(self, key: Key) -> &'static str {
        self.lang.get().text(key)
    }

    /// The same, with placeholders filled.
    pub fn tf(self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.t(key), values)
    }

    fn storage_message(self, error: &str) -> String {
        fill(
            self.lang.get_untracked().text(Key::ErrStorage),
            &[("error", error)],
        )
    }

    pub fn set_lang(self, lang: Lang) {
        self.lang.set(lang);
        let mut settings = Settings::load();
        settings.lang = Some(lang.tag().to_owned());
        settings.save();
    }

    fn repo(self) -> Option<Repo> {
        self.repo.get_value()
    }

    fn open_group(self, id: DocumentId) {
        let already = self.opened.with_untracked(|opened| match opened {
            Some(Opened::Loading(open) | Opened::Open { id: open, .. }) => *open == id,
            _ => false,
        });
        let Some(repo) = self.repo() else { return };
        if already {
            return;
        }
        self.opened.set(Some(Opened::Loading(id)));
        leptos::task::spawn_local(async move {
            let loaded = match repo.open_group(id).await {
                Ok((group, report)) => {
                    self.remember(id, &group.name);
                    Opened::Open {
                        id,
                        group,
                        damaged: report.corrupt.len(),
                    }
                }
                Err(error) => Opened::Failed(id, error),
            };
            // The member may have moved on to another group meanwhile.
            self.opened.update(|opened| {
                if matches!(opened, Some(Opened::Loading(loading)) if *loading == id) {
                    *opened = Some(loaded);
                }
            });
        });
    }

    fn remember(self, id: DocumentId, name: &str) {
        let mut settings = Settings::load();
        settings.remember_group(&id.to_string(), name);
        settings.save();
        self.groups.set(settings.groups);
    }

    fn refused(self, why: Refusal) -> Refused {
        let message = i18n::refusal(self.lang.get_untracked(), &why);
        Refused { why, message }
    }

    /// The device store, or the refusal to show when IndexedDB is unusable.
    fn usable_repo(self) -> Result<Repo, Refused> {
        self.repo().ok_or_else(|| Refused {
            why: Refusal::Unreadable,
            message: self.storage_error.get_untracked().unwrap_or_default(),
        })
    }

    /// True while anything the member did is not yet in IndexedDB.
    pub fn has_unsaved_changes(self) -> bool {
        self.pending.get_untracked() > 0
            || self.save_error.with_untracked(Option::is_some)
            || self.repo().is_some_and(|repo| repo.has_unsaved_changes())
    }

    /// Creates a group, stores it, and returns its id.
    ///
    /// # Errors
    /// The refusal, with its message in the member's language.
    pub fn create_group(self, name: &str) -> Result<DocumentId, Refused> {
        let repo = self.usable_repo()?;
        let (id, group) = repo
            .create_group(name, platform::now_ms())
            .map_err(|why| self.refused(why))?;
        // The home page lists it once it is really stored.
        let name = group.name.clone();
        self.opened.set(Some(Opened::Open {
            id,
            group,
            damaged: 0,
        }));
        self.save(repo, id, Some(name), 0);
        Ok(id)
    }

    /// Runs a member's command on the open group and saves it.
    ///
    /// # Errors
    /// The refusal, with its message in the member's language; nothing changed.
    pub fn run(self, id: DocumentId, command: &Command) -> Result<(), Refused> {
        let repo = self.usable_repo()?;
        let group = repo
            .apply(id, command, platform::now_ms())
            .map_err(|why| self.refused(why))?;
        if matches!(command, Command::RenameGroup { .. }) {
            self.remember(id, &group.name);
        }
        self.opened.update(|opened| {
            if let Some(Opened::Open {
                id: open,
                group: shown,
                ..
            }) = opened
                && *open == id
            {
                *shown = group;
            }
        });
        self.save(repo, id, None, 0);
        Ok(())
    }

    /// Writes a document's changes to IndexedDB. A failure is shown and
    /// retried, waiting longer each time (up to 30 s), until it goes through;
    /// `new_group` is remembered on the home page once it is stored.
    fn save(self, repo: Repo, id: DocumentId, new_group: Option<String>, attempt: u32) {
        self.pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            match repo.flush(id).await {
                Ok(()) => {
                    self.save_error.set(None);
                    if let Some(name) = &new_group {
                        self.remember(id, name);
                    }
                }
                Err(error) => {
                    self.save_error.set(Some(error.0));
                    let wait = std::time::Duration::from_secs(2u64.pow(attempt.min(4)).min(30));
                    set_timeout(move || self.save(repo, id, new_group, attempt + 1), wait);
                }
            }
            self.pending.update(|n| *n = n.saturating_sub(1));
        });
    }
}
