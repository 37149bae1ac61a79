//! Device settings, kept in localStorage and never synced: the language
//! chosen on this phone and other preferences. The groups this phone holds
//! (with their servers and "this is me") are kept durably in IndexedDB
//! (`idb::DeviceStore`); localStorage keeps a copy for a fast first paint
//! and for phones upgrading from the version that kept them only here.

use gloo::storage::{LocalStorage, Storage};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

const KEY: &str = "common-ground.settings";

/// A group this device holds, with its name cached so the home page can list
/// groups without opening every document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownGroup {
    /// The document id (bs58check).
    pub id: String,
    pub name: String,
    /// The automerge-repo sync server this phone syncs the group through
    /// (`wss://...`); a device setting, as each phone may reach a different one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// "This is me": the member this phone is in the group. Kept in the
    /// settings' `me` map in localStorage, in the record in IndexedDB.
    #[serde(skip)]
    pub me: Option<String>,
    /// A sealed group's key (base58, see `core::seal`): the server gets
    /// only its sealed log. Kept on this phone and in invites, nowhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// A language tag ("en", "es", "pt-BR", "zh-CN"); absent until the
    /// member picks one on the first run.
    pub lang: Option<String>,
    pub groups: Vec<KnownGroup>,
    /// The name this phone shows others looking at the same meeting notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_name: Option<String>,
    /// "This is me": for each group (by id), the member this phone is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub me: BTreeMap<String, String>,
    /// A STUN server for phone-to-phone sync across networks; none at meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stun: Option<String>,
    /// The storage id each sync server gave, by its address, so what a
    /// server lacks can be counted while it is away. Losing it costs only
    /// that: until it connects again, the server is counted as having nothing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub server_storage: BTreeMap<String, String>,
    /// The groups above were moved into IndexedDB (done once per phone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moved_to_idb: bool,
}

impl Settings {
    /// The saved settings; defaults if there are none or they are unreadable.
    pub fn load() -> Self {
        LocalStorage::get(KEY).unwrap_or_default()
    }

    /// Saves the settings. localStorage only fails when full or disabled, and
    /// nothing here is worth more than the documents, so failure is ignored.
    pub fn save(&self) {
        let _ = LocalStorage::set(KEY, self);
    }

    /// Adds a group, or updates its cached name.
    pub fn remember_group(&mut self, id: &str, name: &str) {
        match self.groups.iter_mut().find(|g| g.id == id) {
            Some(known) => name.clone_into(&mut known.name),
            None => self.groups.push(KnownGroup {
                id: id.to_owned(),
                name: name.to_owned(),
                server: None,
                me: None,
                key: None,
            }),
        }
    }

    /// The groups as kept here, each with its "this is me" (for moving them
    /// into IndexedDB once).
    pub fn known_groups(&self) -> Vec<KnownGroup> {
        self.groups
            .iter()
            .map(|g| KnownGroup {
                me: self.me.get(&g.id).cloned(),
                ..g.clone()
            })
            .collect()
    }

    /// Keeps a copy of the groups IndexedDB holds.
    pub fn copy_groups(&mut self, groups: &[KnownGroup]) {
        self.groups = groups.to_vec();
        self.me = groups
            .iter()
            .filter_map(|g| Some((g.id.clone(), g.me.clone()?)))
            .collect();
    }

    /// Sets (or clears) the sync server of a group this phone holds.
    pub fn set_server(&mut self, id: &str, server: Option<String>) {
        if let Some(known) = self.groups.iter_mut().find(|g| g.id == id) {
            known.server = server;
        }
    }
}
