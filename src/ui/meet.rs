//! Phones at a meeting: this phone letting others in (showing its code),
//! joined through another phone, or both: any phone that is in lets the
//! next one in, so the phones of a room form a tree. Kept for the whole page
//! life, so a member can look at the plots or the meeting while their phone
//! stays connected.
//!
//! While a link is open this phone says every few seconds that it is here
//! and what it holds (a `core::room` beacon, relayed by every phone); a new
//! link to a phone heard in the room before the link opened would make a
//! loop, and is closed.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::meet::{Code, CodeError, Side};
use crate::core::repo::DocumentId;
use crate::core::repo::message::PeerId;
use crate::core::repo::sync::{ConnId, Link, Share};
use crate::core::room::{BEACON_EVERY_MS, Beacon, Room};
use crate::ui::state::AppState;
use crate::web::platform;
use crate::web::rtc::{PairState, Pairing, RtcError};
use crate::web::settings::Settings;

thread_local! {
    /// The phones of each group's meeting room, heard by their beacons (see
    /// `core::room`). One for the page's life, like the app state, which
    /// hands beacons in as they arrive.
    /// Reference counted, not owned by whichever component first asked.
    static ROOMS: ArcRwSignal<BTreeMap<DocumentId, Room>> = ArcRwSignal::new(BTreeMap::new());
}

/// The meeting rooms this phone hears, by group.
pub fn rooms() -> ArcRwSignal<BTreeMap<DocumentId, Room>> {
    ROOMS.with(Clone::clone)
}

/// The code this phone shows: the host's offer or the joiner's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub group: DocumentId,
    pub side: Side,
    pub text: String,
}

/// Another phone this one is paired with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub key: u32,
    pub group: DocumentId,
    /// The name its member gave, possibly empty.
    pub name: String,
    pub state: PairState,
    /// When it last had everything this phone has.
    pub up_to_date: Option<i64>,
    /// The storage id it gave, so what it lacks is still counted once it left.
    pub storage: Option<String>,
}

/// The meeting sync of this phone.
#[derive(Clone, Copy)]
pub struct Meet {
    pub shown: RwSignal<Option<Shown>>,
    /// Making a code takes the browser a moment.
    pub making: RwSignal<bool>,
    pub phones: RwSignal<Vec<Phone>>,
    /// Why the last code could not be made.
    pub error: RwSignal<Option<Key>>,
    /// A host's code opened as a link, waiting for its group's page.
    pub link_code: RwSignal<Option<String>>,
    /// What happened to a link that the member should know: a phone left
    /// (those below it pair again), or a second link into the room closed.
    pub notice: RwSignal<Option<(Key, String)>>,
    /// The room's phones heard before each link opened: a link to one of
    /// them is a loop. Emptied once the link's peer is known.
    heard_before: StoredValue<BTreeMap<ConnId, (DocumentId, BTreeSet<PeerId>)>>,
    pairings: StoredValue<BTreeMap<u32, Pairing>, LocalStorage>,
    /// The host's offer waiting for an answer: its nonce and connection.
    waiting: StoredValue<Option<([u8; 8], Pairing)>, LocalStorage>,
    next_key: StoredValue<u32>,
    /// Links seen closing, by group: said in each beacon (`core::room`).
    cuts: StoredValue<BTreeMap<DocumentId, u32>>,
    app: AppState,
}

impl Meet {
    pub fn new(app: AppState) -> Self {
        let meet = Self {
            shown: RwSignal::new(None),
            making: RwSignal::new(false),
            phones: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            link_code: RwSignal::new(None),
            notice: RwSignal::new(None),
            heard_before: StoredValue::new(BTreeMap::new()),
            pairings: StoredValue::new_local(BTreeMap::new()),
            waiting: StoredValue::new_local(None),
            next_key: StoredValue::new(1),
            cuts: StoredValue::new(BTreeMap::new()),
            app,
        };
        // Note when each phone has caught up.
        Effect::new(move |_| {
            app.sync_tick.track();
            let Some(repo) = app.store() else { return };
            let now = platform::now_ms();
            let updates: Vec<(u32, bool, Option<String>)> = meet.phones.with_untracked(|phones| {
                phones
                    .iter()
                    .filter_map(|p| match p.state {
                        PairState::Open(conn) => {
                            Some((p.key, repo.in_sync(conn, p.group), repo.storage_on(conn)))
                        }
                        _ => None,
                    })
                    .collect()
            });
            meet.refuse_loops(&repo);
            for (key, in_sync, storage) in updates {
                meet.phones.update(|phones| {
                    if let Some(phone) = phones.iter_mut().find(|p| p.key == key) {
                        if storage.is_some() {
                            phone.storage = storage;
                        }
                        match (in_sync, phone.up_to_date) {
                            (true, None) => phone.up_to_date = Some(now),
                            (false, Some(_)) => phone.up_to_date = None,
                            _ => {}
                        }
                    }
                });
            }
        });
        // Say we are here to the room, over every group with a link open.
        let _ = set_interval_with_handle(
            move || meet.beacon(app),
            std::time::Duration::from_millis(BEACON_EVERY_MS.unsigned_abs()),
        );
        meet
    }

    /// Tells the room of each group with a link open that this phone is
    /// here, and what it holds.
    fn beacon(self, app: AppState) {
        let Some(repo) = app.store() else { return };
        let groups: BTreeSet<DocumentId> = self.phones.with_untracked(|phones| {
            phones
                .iter()
                .filter(|p| matches!(p.state, PairState::Open(_)))
                .map(|p| p.group)
                .collect()
        });
        for group in groups {
            let beacon = Beacon {
                holding: repo.room_holding(group),
                name: Self::my_name(app, group),
                cuts: self
                    .cuts
                    .with_value(|cuts| cuts.get(&group).copied().unwrap_or_default()),
            };
            repo.broadcast(group, &beacon.encode());
        }
        // Redraw what depends on who was heard lately.
        rooms().update(|_| {});
    }

    /// Closes a link whose peer was already heard in the room before it
    /// opened: the two phones are joined through others already, and a
    /// second path would be a loop.
    fn refuse_loops(self, repo: &crate::web::engine::Handle) {
        if self.heard_before.with_value(BTreeMap::is_empty) {
            return;
        }
        let peers = repo.peers();
        let known: Vec<(ConnId, PeerId)> = self.heard_before.with_value(|before| {
            before
                .keys()
                .filter_map(|conn| {
                    let peer = peers.iter().find(|p| p.conn == *conn)?;
                    Some((*conn, peer.peer.clone()))
                })
                .collect()
        });
        for (conn, peer) in known {
            let Some((_, heard)) = self
                .heard_before
                .try_update_value(|before| before.remove(&conn))
                .flatten()
            else {
                continue;
            };
            if !heard.contains(&peer) {
                continue;
            }
            let phone = self.phones.with_untracked(|phones| {
                phones
                    .iter()
                    .find(|p| p.state == PairState::Open(conn))
                    .map(|p| (p.key, p.name.clone()))
            });
            if let Some((key, name)) = phone {
                let pairing = self.pairings.try_update_value(|p| p.remove(&key)).flatten();
                if let Some(pairing) = pairing {
                    pairing.close();
                }
                repo.disconnect(conn);
                self.set_state(key, PairState::Closed);
                self.notice.set(Some((Key::LoopRefused, name)));
            }
        }
    }

    /// The name this phone gives the others: the member it is in the group,
    /// or the name it shows beside meeting notes.
    fn my_name(app: AppState, group: DocumentId) -> String {
        let member = app.me_in(group).and_then(|me| {
            app.group(group)
                .get_untracked()
                .and_then(|g| g.members.get(&me).map(|m| m.name.clone()))
        });
        member
            .or_else(|| Settings::load().my_name)
            .unwrap_or_default()
    }

    fn stun() -> Option<String> {
        Settings::load().stun.filter(|s| !s.trim().is_empty())
    }

    fn minute() -> u32 {
        u32::try_from(platform::now_ms() / 60_000).unwrap_or(u32::MAX)
    }

    /// Becomes the host of `group` and shows a fresh code for the next phone.
    pub fn host(self, app: AppState, group: DocumentId) {
        self.making.set(true);
        self.error.set(None);
        self.drop_waiting();
        // The code shown was used (or is replaced): never show it again.
        if self
            .shown
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.side == Side::Offer))
        {
            self.shown.set(None);
        }
        wasm_bindgen_futures::spawn_local(async move {
            let made = Pairing::offer(Self::stun().as_deref()).await;
            self.making.set(false);
            match made {
                Ok((pairing, session)) => {
                    let nonce = platform::random_bytes::<8>();
                    let name = Self::my_name(app, group);
                    let code = Code::new(Side::Offer, group, nonce, Self::minute(), &name, session);
                    self.waiting.set_value(Some((nonce, pairing)));
                    self.shown.set(Some(Shown {
                        group,
                        side: Side::Offer,
                        text: code.encode(),
                    }));
                }
                Err(error) => self.failed_to_make(&error),
            }
        });
    }

    fn failed_to_make(self, error: &RtcError) {
        self.shown.set(None);
        self.error.set(Some(match error {
            RtcError::Code(_) => Key::ErrNoNetwork,
            RtcError::Browser(_) => Key::ErrConnectFailed,
        }));
    }

    /// The host read a joiner's answer: connect to it, then show a new code
    /// for whoever is next.
    ///
    /// # Errors
    /// What to tell the member when the answer is not taken.
    pub fn take_answer(self, app: AppState, group: DocumentId, text: &str) -> Result<(), Key> {
        let code = Code::decode(text).map_err(code_key)?;
        let waiting = self
            .waiting
            .with_value(|w| w.as_ref().map(|(nonce, _)| *nonce));
        let Some(nonce) = waiting else {
            return Err(Key::ErrCodeStale);
        };
        code.check_answer(group, &nonce).map_err(code_key)?;
        let Some((_, pairing)) = self.waiting.try_update_value(Option::take).flatten() else {
            return Err(Key::ErrCodeStale);
        };
        let key = self.add_phone(group, &code.name);
        let Some(repo) = app.store() else {
            return Err(Key::ErrConnectFailed);
        };
        // Listening before the answer is set: the joiner is already checking
        // this phone's addresses, so the channel can open at once, before
        // any code after the answer's `await` runs.
        self.pairings.update_value(|p| {
            p.insert(key, pairing.clone());
        });
        let share = Share::Groups(BTreeSet::from([group]));
        pairing.start(&repo, Link::Host, share, code.name.clone(), move |state| {
            self.set_state(key, state);
        });
        wasm_bindgen_futures::spawn_local(async move {
            if pairing.accept(&code.session).await.is_err() {
                self.pairings.update_value(|p| {
                    p.remove(&key);
                });
                self.set_state(key, PairState::Failed);
            }
        });
        self.host(app, group);
        Ok(())
    }

    /// Joins the host whose code was read: shows the answer to scan back.
    ///
    /// # Errors
    /// What to tell the member when the code is not taken.
    pub fn join(self, app: AppState, group: DocumentId, text: &str) -> Result<(), Key> {
        let code = Code::decode(text).map_err(code_key)?;
        if let Err(error) = code.check_offer(group, Self::minute()) {
            let mine_elsewhere = app.groups.with_untracked(|groups| {
                groups
                    .iter()
                    .filter_map(|g| DocumentId::parse(&g.id).ok())
                    .any(|id| id != group && code.is_for(id))
            });
            return Err(if mine_elsewhere {
                Key::ErrCodeForYourOtherGroup
            } else {
                code_key(error)
            });
        }
        let Some(repo) = app.store() else {
            return Err(Key::ErrConnectFailed);
        };
        self.drop_waiting();
        self.making.set(true);
        self.error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let made = Pairing::answer(Self::stun().as_deref(), &code.session).await;
            self.making.set(false);
            match made {
                Ok((pairing, session)) => {
                    let name = Self::my_name(app, group);
                    let answer = Code::new(
                        Side::Answer,
                        group,
                        code.nonce,
                        Self::minute(),
                        &name,
                        session,
                    );
                    self.shown.set(Some(Shown {
                        group,
                        side: Side::Answer,
                        text: answer.encode(),
                    }));
                    let key = self.add_phone(group, &code.name);
                    self.pairings.update_value(|p| {
                        p.insert(key, pairing.clone());
                    });
                    let share = Share::Groups(BTreeSet::from([group]));
                    pairing.start(
                        &repo,
                        Link::Client,
                        share,
                        code.name.clone(),
                        move |state| {
                            self.set_state(key, state);
                            if matches!(state, PairState::Open(_)) {
                                // The host has scanned it: nothing more to show.
                                self.shown.set(None);
                            }
                        },
                    );
                }
                Err(error) => self.failed_to_make(&error),
            }
        });
        Ok(())
    }

    fn add_phone(self, group: DocumentId, name: &str) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.phones.update(|phones| {
            phones.push(Phone {
                key,
                group,
                name: name.to_owned(),
                state: PairState::Connecting,
                up_to_date: None,
                storage: None,
            });
        });
        key
    }

    fn set_state(self, key: u32, state: PairState) {
        let mut left = None;
        self.phones.update(|phones| {
            if let Some(phone) = phones.iter_mut().find(|p| p.key == key) {
                if matches!(phone.state, PairState::Open(_)) && state == PairState::Closed {
                    left = Some((phone.group, phone.name.clone()));
                }
                phone.state = state;
                if !matches!(state, PairState::Open(_)) {
                    phone.up_to_date = None;
                }
                if let PairState::Open(conn) = state {
                    let heard: BTreeSet<PeerId> = rooms().with_untracked(|rooms| {
                        rooms
                            .get(&phone.group)
                            .map(|room| room.in_room(platform::now_ms()).cloned().collect())
                            .unwrap_or_default()
                    });
                    let group = phone.group;
                    self.heard_before.update_value(|before| {
                        before.insert(conn, (group, heard));
                    });
                }
            }
        });
        if let Some((group, name)) = left {
            // Who is still reachable says so again within a beacon; until
            // then nobody is counted, and pairing again is never a loop.
            rooms().update(|rooms| {
                rooms.remove(&group);
            });
            // Tell the rest of the room at once, so that none of them takes
            // a phone cut off here pairing again for a loop.
            self.cuts.update_value(|cuts| {
                let count = cuts.entry(group).or_default();
                *count = count.wrapping_add(1);
            });
            let app = self.app;
            leptos::task::spawn_local(async move { self.beacon(app) });
            // A link this phone closed itself (stop) is no news.
            if self.pairings.with_value(|p| p.contains_key(&key)) {
                self.pairings.update_value(|p| {
                    p.remove(&key);
                });
                self.notice.set(Some((Key::PhoneLeftPairAgain, name)));
            }
        }
    }

    /// Whether this phone has a link open for `group`: it is in the room.
    pub fn is_in(self, group: DocumentId) -> bool {
        self.phones.with(|phones| {
            phones
                .iter()
                .any(|p| p.group == group && matches!(p.state, PairState::Open(_)))
        })
    }

    /// Stops letting others in: the code shown is dropped.
    pub fn close_door(self) {
        self.drop_waiting();
        if self
            .shown
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.side == Side::Offer))
        {
            self.shown.set(None);
        }
    }

    fn drop_waiting(self) {
        if let Some((_, pairing)) = self.waiting.try_update_value(Option::take).flatten() {
            pairing.close();
        }
    }

    /// Ends every connection and hides the code.
    pub fn stop(self) {
        self.drop_waiting();
        self.pairings.update_value(|pairings| {
            for pairing in pairings.values() {
                pairing.close();
            }
            pairings.clear();
        });
        self.phones.update(|phones| {
            for phone in phones.iter_mut() {
                phone.state = PairState::Closed;
                phone.up_to_date = None;
            }
        });
        self.shown.set(None);
        self.notice.set(None);
        // Out of every room: joining again is never taken for a loop.
        rooms().set(BTreeMap::new());
    }
}

/// What to tell the member about a code that was not taken.
pub const fn code_key(error: CodeError) -> Key {
    match error {
        CodeError::Garbled => Key::ErrCodeGarbled,
        CodeError::Newer => Key::ErrCodeNewer,
        CodeError::WrongSide => Key::ErrCodeWrongSide,
        CodeError::OtherGroup => Key::ErrCodeOtherGroup,
        CodeError::Stale => Key::ErrCodeStale,
        CodeError::NoSession => Key::ErrConnectFailed,
    }
}
