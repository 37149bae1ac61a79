//! Common Ground: a local-first app for community groups.
//!
//! `core` is pure and tested natively; `web` and `ui` are the browser shell
//! and only exist when compiling for wasm32.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
