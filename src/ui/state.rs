//! The app's state on this device, shared with every page through context.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::core::command::{At, Command, MeetingCommand, Refusal};
use crate::core::date::Date;
use crate::core::i18n::{self, Key, Lang, fill};
use crate::core::model::{Group, Meeting};
use crate::core::repo::DocumentId;
use crate::core::repo::message::Presence;
use crate::core::repo::saving::SaveState;
use crate::core::repo::sync::{ConnId, Holder, Share, Trouble};
use crate::core::route::Route;
use crate::core::seal::{GroupKey, SealError};
use crate::web::engine::Handle;
use crate::web::idb::DATABASE;
use crate::web::platform;
use crate::web::repo::{OpenError, RepoEvent, SaveKey};
use crate::web::settings::{KnownGroup, Settings};
use crate::web::transport::{self, ServerLink, ServerState};

/// The open group as pages read it: shared, never copied, so that each
/// page's view of it costs nothing, and "changed" is one pointer compare
/// (a new `Shown` exists only when a command or a peer changed the group).
#[derive(Clone, Debug)]
pub struct Shown(std::sync::Arc<Group>);

impl Shown {
    pub fn new(group: Group) -> Self {
        Self(std::sync::Arc::new(group))
    }
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shown {
    type Target = Group;
    fn deref(&self) -> &Group {
        &self.0
    }
}

/// Lets go of a copy of the group that a newer one replaced, after the
/// command that replaced it is done: freeing what the copies no longer
/// share (the changed map's ids, `model::Entries`) grows with the group,
/// and is no part of saving the edit.
/// (Pages holding the old copy let go of it as they redraw; whichever
/// holder is last frees it, so one is kept here until then.)
fn retire(old: Shown) {
    leptos::task::spawn_local(async move {
        platform::sleep(0).await;
        drop(old);
    });
}

/// The group the current page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Loading(DocumentId),
    /// Not on this phone: asked for from the group's sync server.
    Fetching(DocumentId),
    Open {
        id: DocumentId,
        group: Shown,
        damaged: usize,
        /// The copy here could not be read again after another phone
        /// changed it: its pages say so and commands on it are refused.
        stale: bool,
        /// Shown from the cached first screen (`core::first_screen`)
        /// before the engine is here: the same data as the stored document,
        /// but nothing can be done with it until the engine's copy replaces it.
        early: bool,
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
    /// False on a first run, until the member has said which language the
    /// app should speak.
    pub lang_chosen: RwSignal<bool>,
    pub route: RwSignal<Route>,
    pub online: RwSignal<bool>,
    pub offline_ready: RwSignal<bool>,
    /// A new version of the app is installed and waits for a reload.
    pub update_ready: RwSignal<bool>,
    /// What is not in IndexedDB yet (documents and device records), and
    /// where each save stands; empty when everything is saved.
    pub unsaved: RwSignal<Vec<(SaveKey, SaveState)>>,
    /// IndexedDB could not be opened at all.
    pub storage_error: RwSignal<Option<String>>,
    pub groups: RwSignal<Vec<KnownGroup>>,
    pub opened: RwSignal<Option<Opened>>,
    /// True once the document store is open (or could not be: then
    /// `storage_error` says why). Until then the first screen shows without
    /// it: the engine's chunk may still be on its way.
    pub ready: RwSignal<bool>,
    /// Sync servers by address, and where each connection stands.
    pub servers: RwSignal<BTreeMap<String, ServerState>>,
    /// Bumped whenever peers come or go or sync progresses.
    pub sync_tick: RwSignal<u64>,
    /// When a peer last sent us something new, in ms.
    pub last_synced: RwSignal<Option<i64>>,
    /// The last peer that sent bad input (as the member knows it) and what.
    pub sync_trouble: RwSignal<Option<(String, Trouble)>>,
    /// Bumped when any document changes because of a peer.
    pub remote_tick: RwSignal<u64>,

    /// Who said they are looking at a document: (document, peer) → (what
    /// they said, when).
    pub presence: RwSignal<BTreeMap<(DocumentId, String), (Presence, i64)>>,
    /// "This is me": group id → the member this phone is.
    pub me: RwSignal<BTreeMap<String, String>>,
    /// Today on the member's calendar, refreshed every minute so that due
    /// dates turn overdue without a reload.
    pub today: RwSignal<Date>,
    repo: StoredValue<Option<Handle>, LocalStorage>,
    links: StoredValue<Vec<ServerLink>, LocalStorage>,
}

thread_local! {
    /// The engine's chunk could not be fetched (yet); tried again until it
    /// is. Kept here, not in `AppState`, which is copied into every closure.
    static ENGINE_UNFETCHED: ArcRwSignal<bool> = ArcRwSignal::new(false);
    /// The storage id each sync server gave, by address (see `Settings`);
    /// kept here, not in `AppState`, which is copied into every closure.
    static SERVER_STORAGE: std::cell::RefCell<Option<BTreeMap<String, String>>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether the engine's chunk could not be fetched (yet) (reactive).
pub fn engine_unfetched() -> ArcRwSignal<bool> {
    ENGINE_UNFETCHED.with(Clone::clone)
}

/// The storage id a sync server gave when last connected.
fn server_storage(url: &str) -> Option<String> {
    SERVER_STORAGE.with_borrow_mut(|known| {
        known
            .get_or_insert_with(|| Settings::load().server_storage)
            .get(url)
            .cloned()
    })
}

/// How long a failed fetch of the engine's chunk waits to be tried again.
const ENGINE_RETRY_MS: i32 = 3_000;

/// How long an invite looks for its group before saying it was not found.
pub const GIVE_UP_MS: i32 = 30_000;

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
            // A phone that already holds groups has been set up before.
            lang_chosen: RwSignal::new(settings.lang.is_some() || !settings.groups.is_empty()),
            route: RwSignal::new(current_route()),
            online: RwSignal::new(platform::is_online()),
            offline_ready: RwSignal::new(false),
            update_ready: RwSignal::new(false),
            unsaved: RwSignal::new(Vec::new()),
            storage_error: RwSignal::new(None),
            groups: RwSignal::new(settings.known_groups()),
            opened: RwSignal::new(None),
            ready: RwSignal::new(false),
            servers: RwSignal::new(BTreeMap::new()),
            sync_tick: RwSignal::new(0),
            last_synced: RwSignal::new(None),
            sync_trouble: RwSignal::new(None),
            remote_tick: RwSignal::new(0),
            presence: RwSignal::new(BTreeMap::new()),
            me: RwSignal::new(settings.me.clone()),
            today: RwSignal::new(platform::today()),
            repo: StoredValue::new_local(None),
            links: StoredValue::new_local(Vec::new()),
        };
        let listeners = [
            window_event_listener(leptos::ev::hashchange, move |_| {
                app.route.set(current_route());
            }),
            window_event_listener(leptos::ev::online, move |_| {
                app.online.set(true);
                app.links
                    .with_value(|links| links.iter().for_each(ServerLink::retry_now));
            }),
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
        let _ = set_interval_with_handle(
            move || {
                let today = platform::today();
                if app.today.get_untracked() != today {
                    app.today.set(today);
                }
            },
            std::time::Duration::from_secs(60),
        );
        Effect::new(move || {
            document()
                .document_element()
                .map(|html| html.set_attribute("lang", app.lang.get().tag()));
        });
        // Whenever the page shows a group, make sure that group is open.
        Effect::new(move || {
            let route = app.route.get();
            let wanted = route.group();
            if let (Some(id), true) = (wanted, app.ready.get()) {
                app.open_group(id);
            }
        });
        // A group's first screen, from its cached copy, before the engine:
        // drawn first (a few ms of reading), so the engine's fetch and
        // compiling do not compete with it.
        if let Route::Group(id) | Route::Site(id, _) = app.route.get_untracked() {
            leptos::task::spawn_local(async move {
                if app.show_first_screen(id).await {
                    // Let the page be painted before the engine comes: its
                    // compiling and loading would hold the frame back.
                    platform::after_paint().await;
                }
                app.open_store().await;
            });
        } else {
            leptos::task::spawn_local(app.open_store());
        }
        app
    }

    /// Shows a group from its cached first screen if that is exactly the
    /// stored document (its chunk keys equal the stored ones) and the
    /// engine has not opened it meanwhile; otherwise the page waits for the
    /// engine as it would without a cache.
    /// True if it was shown.
    async fn show_first_screen(self, id: DocumentId) -> bool {
        let Some((record, keys)) = crate::web::first_screen::read(id).await else {
            return false;
        };
        let Ok(group) = crate::core::first_screen::shown(&record, id, &keys) else {
            return false;
        };
        if self.ready.get_untracked()
            || self.route.with_untracked(Route::group) != Some(id)
            || self.opened.with_untracked(Option::is_some)
        {
            return false;
        }
        self.opened.set(Some(Opened::Open {
            id,
            group: Shown::new(group),
            damaged: 0,
            stale: false,
            early: true,
        }));
        true
    }

    /// Opens the document store and the device records, then syncs and
    /// registers the service worker.
    async fn open_store(self) {
        let app = self;
        let open = app.fetch_engine().await;
        match open(DATABASE).await {
            Ok(repo) => {
                repo.listen(Box::new(move |event| app.on_repo_event(event)));
                transport::join_tabs(&repo);
                app.repo.set_value(Some(repo.clone()));
                app.read_records(&repo).await;
                app.sync_servers();
                leptos::task::spawn_local(async move {
                    // The Settings page shows the answer.
                    let _ = platform::request_persistent_storage().await;
                });
                // Every group on this phone syncs, not only the one on
                // screen; loaded after the page shows, not before.
                leptos::task::spawn_local(async move {
                    for known in app.groups.get_untracked() {
                        if let Ok(id) = DocumentId::parse(&known.id) {
                            let _ = repo.open_group(id).await;
                        }
                    }
                    app.find_unlisted_groups(&repo).await;
                });
            }
            Err(error) => app.storage_error.set(Some(app.storage_message(&error.0))),
        }
        app.ready.set(true);
        app.offline_ready
            .set(platform::register_service_worker(move || app.update_ready.set(true)).await);
    }

    /// The engine's chunk: fetched at once (from the service worker's cache
    /// after the first visit); a failed fetch is said, and tried again.
    async fn fetch_engine(self) -> super::later::OpenEngine {
        loop {
            if let Ok(open) = super::later::engine().await {
                engine_unfetched().set(false);
                return open;
            }
            engine_unfetched().set(true);
            platform::sleep(ENGINE_RETRY_MS).await;
        }
    }

    /// The group shown from its cached first screen while the engine is on
    /// its way (reactive): its pages show, and say they are getting ready;
    /// nothing can be done on them yet. Read it through a `Memo`.
    pub fn early(self) -> Option<DocumentId> {
        self.opened.with(|opened| match opened {
            Some(Opened::Open {
                id, early: true, ..
            }) => Some(*id),
            _ => None,
        })
    }

    /// The open group with this id, as it changes.
    pub fn group(self, id: DocumentId) -> Memo<Option<Shown>> {
        Memo::new(move |_| {
            self.opened.with(|opened| match opened {
                Some(Opened::Open {
                    id: open, group, ..
                }) if *open == id => Some(group.clone()),
                _ => None,
            })
        })
    }

    /// The member this phone is in a group, if chosen (reactive).
    pub fn me_in(self, id: DocumentId) -> Option<String> {
        let id = id.to_string();
        self.me.with(|me| me.get(&id).cloned())
    }

    /// Says which member this phone is in a group (or nobody).
    pub fn set_me(self, id: DocumentId, member: Option<String>) {
        self.update_group(id, |group| group.me = member);
    }

    /// Changes what this phone records of a group (adding the group if it
    /// is new): in memory, durably in IndexedDB (counted by the status
    /// bar), and as a copy in localStorage.
    fn update_group(self, id: DocumentId, change: impl FnOnce(&mut KnownGroup)) {
        let key = id.to_string();
        let mut groups = self.groups.get_untracked();
        if !groups.iter().any(|g| g.id == key) {
            groups.push(KnownGroup {
                id: key.clone(),
                name: String::new(),
                server: None,
                me: None,
                key: None,
            });
        }
        let Some(group) = groups.iter_mut().find(|g| g.id == key) else {
            return;
        };
        let before = group.clone();
        change(group);
        let record = group.clone();
        if record == before
            && self
                .groups
                .with_untracked(|g| g.iter().any(|g| g.id == key))
        {
            return;
        }
        if let Some(repo) = self.repo() {
            repo.record(id, Some(record));
        }
        self.set_groups(groups);
    }

    /// Shows `groups` and keeps a copy of them in localStorage.
    fn set_groups(self, groups: Vec<KnownGroup>) {
        let mut settings = Settings::load();
        settings.copy_groups(&groups);
        settings.save();
        self.me.set(settings.me);
        self.groups.set(groups);
    }

    /// Reads the groups this phone holds from IndexedDB, moving those only
    /// localStorage knows (an earlier version kept them there) once.
    async fn read_records(self, repo: &Handle) {
        let Ok(mut records) = repo.records().await else {
            // IndexedDB answered for documents, so this is unlikely; keep
            // the copy from localStorage on screen.
            return;
        };
        let mut settings = Settings::load();
        if !settings.moved_to_idb {
            for group in settings.known_groups() {
                if !records.iter().any(|r| r.id == group.id)
                    && let Ok(id) = DocumentId::parse(&group.id)
                {
                    repo.record(id, Some(group.clone()));
                    records.push(group);
                }
            }
            settings.moved_to_idb = true;
            settings.save();
        }
        // A phone holding groups has been set up, even if localStorage
        // (and the language chosen there) was lost.
        // (Set only if it changes: the first screen is showing already,
        // and setting a signal redraws what reads it, typing and all.)
        if !records.is_empty() && !self.lang_chosen.get_untracked() {
            self.lang_chosen.set(true);
        }
        self.set_groups(records);
    }

    /// Lists every group whose document is in IndexedDB, even one no record
    /// names (a record lost with an older version, or localStorage cleared
    /// before the move).
    async fn find_unlisted_groups(self, repo: &Handle) {
        let Ok(stored) = repo.stored_documents().await else {
            return;
        };
        for id in stored {
            let listed = self
                .groups
                .with_untracked(|groups| groups.iter().any(|g| g.id == id.to_string()));
            // Meetings of listed groups are open already; skip them.
            if listed || repo.group_of(id).is_some() || repo.holds(id) {
                continue;
            }
            if let Ok((group, _)) = repo.open_group(id).await {
                self.remember(id, &group.name);
            }
        }
    }

    /// When, and as whom, a command in a group is made.
    pub fn at(self, id: DocumentId) -> At {
        At {
            now: platform::now_ms(),
            today: platform::today(),
            by: self
                .me
                .with_untracked(|me| me.get(&id.to_string()).cloned()),
        }
    }

    /// The text for a key in the member's language (reactive).
    pub fn t(self, key: Key) -> &'static str {
        self.lang.get().text(key)
    }

    /// The same, with placeholders filled.
    pub fn tf(self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.t(key), values)
    }

    /// A count with its noun, in the plural form of the member's language
    /// (reactive).
    pub fn count(self, key: Key, count: impl TryInto<i64>) -> String {
        i18n::counted(self.lang.get(), key, count.try_into().unwrap_or(i64::MAX))
    }

    /// A number as the member's language writes it (reactive).
    pub fn number(self, value: f64) -> String {
        self.lang.get().number(value)
    }

    fn storage_message(self, error: &str) -> String {
        fill(
            self.lang.get_untracked().text(Key::ErrStorage),
            &[("error", error)],
        )
    }

    /// Speaks `lang` from now on, on this phone only.
    pub fn set_lang(self, lang: Lang) {
        self.lang.set(lang);
        self.lang_chosen.set(true);
        let mut settings = Settings::load();
        settings.lang = Some(lang.tag().to_owned());
        settings.save();
    }

    fn repo(self) -> Option<Handle> {
        self.repo.get_value()
    }

    fn open_group(self, id: DocumentId) {
        let (already, early) = self.opened.with_untracked(|opened| match opened {
            Some(Opened::Open {
                id: open,
                early: true,
                ..
            }) => (false, *open == id),
            Some(
                Opened::Loading(open) | Opened::Fetching(open) | Opened::Open { id: open, .. },
            ) => (*open == id, false),
            _ => (false, false),
        });
        let Some(repo) = self.repo() else { return };
        if already {
            return;
        }
        // The cached first screen stays on screen until the engine's copy
        // (the same data) replaces it.
        if !early {
            self.opened.set(Some(Opened::Loading(id)));
        }
        leptos::task::spawn_local(async move {
            let loaded = match repo.open_group(id).await {
                Ok((group, report)) => {
                    self.remember(id, &group.name);
                    Opened::Open {
                        id,
                        group: Shown::new(group),
                        damaged: report.corrupt.len(),
                        stale: false,
                        early: false,
                    }
                }
                Err(OpenError::NotHere) if self.server_of(id).is_some() => {
                    repo.want(id);
                    self.give_up_later(id);
                    Opened::Fetching(id)
                }
                Err(error) => Opened::Failed(id, error),
            };
            // The member may have moved on to another group meanwhile.
            self.opened.update(|opened| {
                if matches!(opened, Some(Opened::Loading(open) | Opened::Open { id: open, early: true, .. }) if *open == id)
                {
                    *opened = Some(loaded);
                }
            });
        });
    }

    /// An npm sync server with storage never says it lacks a document, so
    /// looking for a group ends after a while with a message, and the
    /// member can try again or remove it.
    fn give_up_later(self, id: DocumentId) {
        leptos::task::spawn_local(async move {
            platform::sleep(GIVE_UP_MS).await;
            self.opened.update(|opened| {
                if matches!(opened, Some(Opened::Fetching(f)) if *f == id) {
                    *opened = Some(Opened::Failed(id, OpenError::NotOnServer));
                }
            });
        });
    }

    /// Looks for a group again: reconnects to its server, which asks anew.
    pub fn try_again(self, id: DocumentId) {
        if let Some(url) = self.server_of(id) {
            self.links.update_value(|links| {
                links.retain(|link| {
                    let keep = link.url() != url;
                    if !keep {
                        link.stop();
                    }
                    keep
                });
            });
            self.sync_servers();
        }
        self.opened.set(None);
        self.open_group(id);
    }

    /// Removes a group from this phone, then goes home.
    ///
    /// # Errors
    /// What IndexedDB said; the group stays.
    pub async fn remove_group(self, id: DocumentId) -> Result<(), String> {
        let repo = self.repo().ok_or_else(String::new)?;
        repo.remove_group(id).await.map_err(|e| e.0)?;
        let key = id.to_string();
        let mut groups = self.groups.get_untracked();
        groups.retain(|g| g.id != key);
        self.set_groups(groups);
        self.sync_servers();
        self.opened.set(None);
        let _ = window().location().set_hash(&Route::Home.href());
        Ok(())
    }

    /// The sync server this phone uses for a group (reactive).
    pub fn server_of(self, id: DocumentId) -> Option<String> {
        let id = id.to_string();
        self.groups
            .with(|groups| groups.iter().find(|g| g.id == id)?.server.clone())
    }

    /// Sets a group's sync server (or none) and reconnects.
    pub fn set_server(self, id: DocumentId, server: Option<String>) {
        self.update_group(id, |group| group.server = server);
        self.sync_servers();
    }

    /// A sealed group's key on this phone, as invites carry it (reactive).
    pub fn key_of(self, id: DocumentId) -> Option<String> {
        let id = id.to_string();
        self.groups
            .with(|groups| groups.iter().find(|g| g.id == id)?.key.clone())
    }

    /// Seals a group: a new random key, kept on this phone, and from now on
    /// its sync server gets only the sealed log. What the server already
    /// holds of the group (if it had one unsealed) stays there.
    pub fn seal_group(self, id: DocumentId) {
        if self.key_of(id).is_some() {
            return;
        }
        let key = GroupKey::from_random(platform::random_bytes::<32>());
        self.update_group(id, |group| group.key = Some(key.to_text()));
        self.sync_servers();
    }

    /// Changes a sealed group's key (someone left): a new key means a new
    /// log; the old key opens nothing written from now on.
    pub fn change_key(self, id: DocumentId) {
        if self.key_of(id).is_none() {
            return;
        }
        let key = GroupKey::from_random(platform::random_bytes::<32>());
        self.update_group(id, |group| group.key = Some(key.to_text()));
        self.sync_servers();
    }

    /// Why an entry of a sealed group's log did not open, if one did not
    /// (reactive on sync progress).
    pub fn seal_refused(self, id: DocumentId) -> Option<SealError> {
        self.sync_tick.track();
        self.repo()?.seal_refused(id)
    }

    /// Entries in a sealed group's log and bytes of its history, as the
    /// sync server keeps them (reactive on sync progress).
    pub fn sealed_size(self, id: DocumentId) -> Option<(usize, usize)> {
        self.sync_tick.track();
        self.repo()?.sealed_size(id)
    }

    /// The member keeps a server the app stopped on last time: connect again.
    pub fn keep_held_server(self, url: &str) {
        transport::release_held_server();
        self.links.with_value(|links| {
            links
                .iter()
                .filter(|link| link.url() == url)
                .for_each(ServerLink::resume);
        });
    }

    /// The member drops a server the app stopped on: no group uses it any more.
    pub fn drop_held_server(self, url: &str) {
        transport::release_held_server();
        let using: Vec<DocumentId> = self.groups.with_untracked(|groups| {
            groups
                .iter()
                .filter(|g| g.server.as_deref() == Some(url))
                .filter_map(|g| DocumentId::parse(&g.id).ok())
                .collect()
        });
        for id in using {
            self.set_server(id, None);
        }
    }

    /// The member said yes to an invite (the join page asks first).
    pub fn accept_invite(
        self,
        group: DocumentId,
        server: Option<String>,
        key: Option<GroupKey>,
        generation: u32,
    ) {
        // A sealed group's log starts where the invite says, not at the
        // first generation (each earlier one would be fetched in full).
        if let (Some(repo), true) = (self.repo(), key.is_some()) {
            repo.seal_from_generation(group, generation);
        }
        self.join(group, server, key);
    }

    /// The generation of a sealed group's log on this phone (reactive on
    /// sync progress), for invites.
    pub fn sealed_generation(self, id: DocumentId) -> u32 {
        self.sync_tick.track();
        self.repo()
            .and_then(|repo| repo.sealed_generation(id))
            .unwrap_or(0)
    }

    /// Opens an invite link: remembers the group, its server and its key,
    /// then shows the group, fetching it if this phone does not hold it yet.
    fn join(self, group: DocumentId, server: Option<String>, key: Option<GroupKey>) {
        self.update_group(group, |known| {
            if server.is_some() {
                known.server = server;
            }
            if let Some(key) = key {
                known.key = Some(key.to_text());
            }
        });
        self.sync_servers();
        // Replace the invite in history, so "back" does not join again.
        let _ = window().location().replace(&Route::Group(group).href());
    }

    /// One connection per sync server the groups on this phone use, each
    /// offered exactly the groups that use it.
    fn sync_servers(self) {
        let Some(repo) = self.repo() else { return };
        let mut wanted: BTreeMap<String, std::collections::BTreeSet<DocumentId>> = BTreeMap::new();
        for known in self.groups.get_untracked() {
            let Ok(id) = DocumentId::parse(&known.id) else {
                continue;
            };
            // A sealed group's server is offered its sealed log, never the group.
            let key = known.key.as_deref().and_then(|k| GroupKey::parse(k).ok());
            let offered = key.map_or(id, |key| repo.seal(id, &key));
            if let Some(server) = known.server {
                wanted.entry(server).or_default().insert(offered);
            }
        }
        self.links.update_value(|links| {
            links.retain(|link| {
                let keep = wanted.contains_key(link.url());
                if !keep {
                    link.stop();
                }
                keep
            });
            for (url, groups) in &wanted {
                if let Some(link) = links.iter().find(|l| l.url() == url) {
                    link.set_share(Share::Server(groups.clone()));
                } else {
                    let key = url.clone();
                    links.push(ServerLink::start(
                        repo.clone(),
                        url,
                        Share::Server(groups.clone()),
                        move |state| {
                            self.servers.update(|s| {
                                s.insert(key.clone(), state);
                            });
                        },
                    ));
                }
            }
        });
        self.servers
            .update(|servers| servers.retain(|url, _| wanted.contains_key(url)));
    }

    fn on_repo_event(self, event: RepoEvent) {
        match event {
            RepoEvent::Changed(id) => {
                self.last_synced.set(Some(platform::now_ms()));
                self.sync_trouble.set(None);
                self.remote_tick.update(|n| *n += 1);
                let Some(repo) = self.repo() else { return };
                // Re-read and checked: a group that no longer reads is
                // never shown (or edited) as it was before the change.
                match repo.apply(id, &Command::Verify, &self.at(id)) {
                    Ok(group) => {
                        self.mark_stale(id, false);
                        self.remember(id, &group.name);
                        self.show(id, group);
                    }
                    Err(Refusal::Stale) => self.mark_stale(id, true),
                    Err(_) => {}
                }
            }
            RepoEvent::Arrived(id) => {
                let fetching = self
                    .opened
                    .with_untracked(|o| matches!(o, Some(Opened::Fetching(f)) if *f == id));
                if fetching {
                    self.opened.set(None);
                    self.open_group(id);
                }
            }
            RepoEvent::Unavailable(id) => {
                self.opened.update(|opened| {
                    if matches!(opened, Some(Opened::Fetching(f)) if *f == id) {
                        *opened = Some(Opened::Failed(id, OpenError::NotOnServer));
                    }
                });
            }
            RepoEvent::Trouble(peer, trouble) => self.sync_trouble.set(Some((peer, trouble))),
            // Kept by the repo (`Repo::seal_refused`); redraw what says so.
            RepoEvent::SealRefused(..) => self.sync_tick.update(|n| *n += 1),
            RepoEvent::Saving => {
                if let Some(repo) = self.repo() {
                    let unsaved = repo.unsaved();
                    if self.unsaved.with_untracked(|now| *now != unsaved) {
                        self.unsaved.set(unsaved);
                    }
                }
            }
            RepoEvent::Status => {
                // Later, not now: a link stopping (inside `links.update_value`)
                // is one way a status event arrives.
                leptos::task::spawn_local(async move { self.note_server_storage() });
                self.sync_tick.update(|n| *n += 1);
            }
            RepoEvent::Ephemeral {
                document,
                peer,
                data,
            } => {
                // A phone of a meeting room saying it is here, for a group
                // on this phone (never more rooms than groups).
                if let Some(beacon) = crate::core::room::Beacon::decode(&data) {
                    let ours = self.groups.with_untracked(|groups| {
                        groups
                            .iter()
                            .any(|g| DocumentId::parse(&g.id).is_ok_and(|id| id == document))
                    });
                    if ours {
                        let now = platform::now_ms();
                        crate::ui::meet::rooms().update(|rooms| {
                            rooms.entry(document).or_default().hear(&peer, beacon, now);
                        });
                    }
                    return;
                }
                // A peer's name is cleaned like a typed one: one made of
                // invisible characters is no name at all.
                let heard = crate::core::repo::message::decode_presence(&data)
                    .map(|said| Presence {
                        name: crate::core::text::clean_line(&said.name),
                        member: said.member,
                    })
                    .filter(|said| !said.name.is_empty() || said.member.is_some());
                if let Some(heard) = heard {
                    let now = platform::now_ms();
                    self.presence.update(|here| {
                        // Only who was heard lately, and never more than a
                        // meeting's worth of names, whatever peers send.
                        here.retain(|_, (_, heard)| now - *heard < 60_000);
                        if here.len() < 64 || here.contains_key(&(document, peer.clone())) {
                            here.insert((document, peer), (heard, now));
                        }
                    });
                }
            }
        }
    }

    /// Connected peers: sync servers and other tabs.
    pub fn peers(self) -> Vec<crate::core::repo::sync::PeerStatus> {
        self.sync_tick.track();
        self.repo().map(|repo| repo.peers()).unwrap_or_default()
    }

    /// Whether the group's sync server, connected now, has everything of
    /// the group and its meetings that this phone has (`None`: not connected
    /// or no server, so nothing can be claimed).
    pub fn on_server(self, id: DocumentId) -> Option<bool> {
        self.sync_tick.track();
        let url = self.server_of(id)?;
        let repo = self.repo()?;
        Some(repo.server_in_sync(self.conn_to(&url)?, id))
    }

    /// The connection to a sync server, while there is one.
    fn conn_to(self, url: &str) -> Option<ConnId> {
        self.links.with_value(|links| {
            links
                .iter()
                .find(|link| link.url() == url)
                .and_then(ServerLink::conn)
        })
    }

    /// Remembers the storage id of each connected sync server, so what it
    /// lacks can still be counted once it is away (or after a reload).
    fn note_server_storage(self) {
        let Some(repo) = self.repo() else { return };
        let seen: Vec<(String, String)> = self.links.with_value(|links| {
            links
                .iter()
                .filter_map(|link| Some((link.url().to_owned(), repo.storage_on(link.conn()?)?)))
                .collect()
        });
        for (url, storage) in seen {
            if server_storage(&url).as_ref() != Some(&storage) {
                SERVER_STORAGE.with_borrow_mut(|known| {
                    known
                        .get_or_insert_with(BTreeMap::new)
                        .insert(url.clone(), storage.clone())
                });
                let mut settings = Settings::load();
                settings.server_storage.insert(url, storage);
                settings.save();
            }
        }
    }

    /// Changes of a group and its meetings not yet on its sync server, known
    /// from what the server said it has (now, or when last connected); a
    /// server never heard from has none. `None`: the group has no server.
    pub fn missing_on_server(self, id: DocumentId) -> Option<usize> {
        self.sync_tick.track();
        let url = self.server_of(id)?;
        let repo = self.repo()?;
        let conn = self.conn_to(&url);
        // A server never heard from is counted as having nothing.
        let holder = server_storage(&url)
            .map(Holder::Storage)
            .or(conn.map(Holder::Conn))
            .unwrap_or(Holder::Storage(String::new()));
        Some(repo.missing_on_server(id, &holder))
    }

    /// Changes of a group and its meetings that a phone paired at a meeting
    /// (on its connection now, or by its storage id once it left) is not
    /// known to have.
    pub fn missing_on_phone(self, id: DocumentId, phone: &Holder) -> usize {
        self.sync_tick.track();
        self.repo().map_or(0, |repo| repo.missing_on(id, phone))
    }

    /// Changes of a group (meetings included) that no other device is known to have.
    pub fn unshared_changes(self, id: DocumentId) -> usize {
        self.sync_tick.track();
        self.repo().map_or(0, |repo| repo.unshared_changes(id))
    }

    /// Brings a group onto this phone from an updates file.
    ///
    /// # Errors
    /// Why the file was not taken; nothing changed.
    pub fn open_group_file(
        self,
        bytes: &[u8],
    ) -> Result<DocumentId, crate::core::updates::FileError> {
        let repo = self
            .repo()
            .ok_or(crate::core::updates::FileError::Damaged)?;
        let (id, _) = repo.open_updates(None, bytes)?;
        if let Some(group) = repo.group(id) {
            self.remember(id, &group.name);
        }
        self.take_key_from_file(id, bytes);
        Ok(id)
    }

    /// A sealed group's key carried by an updates file (the member who
    /// wrote it chose so) is kept, when this phone has no key for the
    /// group: a file never replaces a key this phone holds, as it may be
    /// older than a change of key.
    pub fn take_key_from_file(self, id: DocumentId, bytes: &[u8]) {
        let Some(key) = crate::core::updates::key_in(bytes) else {
            return;
        };
        if self.key_of(id).is_none() {
            self.update_group(id, |group| group.key = Some(key.to_text()));
            self.sync_servers();
        }
    }

    fn remember(self, id: DocumentId, name: &str) {
        self.update_group(id, |group| name.clone_into(&mut group.name));
    }

    fn refused(self, why: Refusal) -> Refused {
        let message = i18n::refusal(self.lang.get_untracked(), &why);
        Refused { why, message }
    }

    /// The device store, or the refusal to show when IndexedDB is unusable
    /// or the engine is still on its way.
    fn usable_repo(self) -> Result<Handle, Refused> {
        self.repo().ok_or_else(|| Refused {
            why: Refusal::Unreadable,
            message: self
                .storage_error
                .get_untracked()
                .unwrap_or_else(|| self.lang.get_untracked().text(Key::GettingReady).to_owned()),
        })
    }

    /// True while anything the member did is not yet in IndexedDB.
    pub fn has_unsaved_changes(self) -> bool {
        self.repo().is_some_and(|repo| repo.has_unsaved_changes())
    }

    /// Tries every failed save again now.
    pub fn retry_saves(self) {
        if let Some(repo) = self.repo() {
            repo.retry_saves();
        }
    }

    /// The name of the group a document belongs to, for "Not saved: …".
    pub fn group_name_of(self, key: SaveKey) -> String {
        let group = self
            .repo()
            .and_then(|repo| repo.group_of(key.id()))
            .unwrap_or(key.id())
            .to_string();
        self.groups.with(|groups| {
            groups
                .iter()
                .find(|g| g.id == group)
                .map(|g| g.name.clone())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| self.t(Key::NewGroupArriving).to_owned())
        })
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
        // Its record is written first; the document waits for it.
        self.remember(id, &group.name);
        repo.save(id);
        self.opened.set(Some(Opened::Open {
            id,
            group: Shown::new(group),
            damaged: 0,
            stale: false,
            early: false,
        }));
        Ok(id)
    }

    /// Creates a meeting in a group, stores both, and returns its id.
    ///
    /// # Errors
    /// The refusal, with its message in the member's language.
    pub fn create_meeting(self, group: DocumentId, title: &str) -> Result<DocumentId, Refused> {
        let repo = self.usable_repo()?;
        let (id, listed) = repo
            .create_meeting(group, title, &self.at(group))
            .map_err(|why| self.refused(why))?;
        self.show(group, listed);
        Ok(id)
    }

    /// The device store, for pages that read documents other than groups
    /// (reactive: `None` until the engine is open).
    pub fn store(self) -> Option<Handle> {
        self.ready.track();
        self.repo()
    }

    /// The device store once the engine is open (`None` if IndexedDB could
    /// not be opened).
    pub async fn store_when_open(self) -> Option<Handle> {
        while !self.ready.get_untracked() {
            platform::sleep(50).await;
        }
        self.repo()
    }

    /// Makes a meeting's notes read `typed` and saves them.
    pub fn edit_notes(self, group: DocumentId, meeting: DocumentId, typed: &str) {
        let Some(repo) = self.repo() else { return };
        let _ = repo.edit_notes(meeting, typed, &self.at(group));
    }

    /// A meeting's notes as they stand, and the heads they stand at.
    pub fn notes_now(self, meeting: DocumentId) -> Option<(String, Vec<automerge::ChangeHash>)> {
        self.repo()?.notes_now(meeting)
    }

    /// A meeting's heads now.
    pub fn heads(self, meeting: DocumentId) -> Option<Vec<automerge::ChangeHash>> {
        self.repo()?.heads(meeting)
    }

    /// Where a caret in the notes as shown at `shown` goes now (characters).
    pub fn caret_after_merge(
        self,
        meeting: DocumentId,
        shown: &[automerge::ChangeHash],
        caret: usize,
    ) -> Option<usize> {
        self.repo()?.caret_after_merge(meeting, shown, caret)
    }

    fn show(self, id: DocumentId, group: Group) {
        self.opened.update(|opened| {
            if let Some(Opened::Open {
                id: open,
                group: shown,
                ..
            }) = opened
                && *open == id
            {
                retire(std::mem::replace(shown, Shown::new(group)));
            }
        });
    }

    /// Notes whether the open group's copy here could be read again.
    fn mark_stale(self, id: DocumentId, now: bool) {
        let differs = self.opened.with_untracked(|opened| {
            matches!(opened, Some(Opened::Open { id: open, stale, .. }) if *open == id && *stale != now)
        });
        if differs {
            self.opened.update(|opened| {
                if let Some(Opened::Open { stale, .. }) = opened {
                    *stale = now;
                }
            });
        }
    }

    /// Runs a member's command on the open group and saves it.
    ///
    /// # Errors
    /// The refusal, with its message in the member's language; nothing changed.
    pub fn run(self, id: DocumentId, command: &Command) -> Result<(), Refused> {
        let repo = self.usable_repo()?;
        let group = repo.apply(id, command, &self.at(id)).map_err(|why| {
            if why == Refusal::Stale {
                self.mark_stale(id, true);
            }
            self.refused(why)
        })?;
        self.mark_stale(id, false);
        if matches!(command, Command::RenameGroup { .. }) {
            self.remember(id, &group.name);
        }
        self.show(id, group);
        Ok(())
    }

    /// Runs a member's command on a meeting of the open group and saves it.
    ///
    /// # Errors
    /// The refusal, with its message in the member's language; nothing changed.
    pub fn run_meeting(
        self,
        group: DocumentId,
        meeting: DocumentId,
        command: &MeetingCommand,
    ) -> Result<Meeting, Refused> {
        let repo = self.usable_repo()?;
        let read = repo
            .apply_meeting(group, meeting, command, &self.at(group))
            .map_err(|why| self.refused(why))?;
        Ok(read)
    }
}
