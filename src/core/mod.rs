//! The pure core: domain model, commands, documents and storage policy.
//!
//! **Architecture Invariant:** nothing in here touches the browser, a clock or
//! a random number generator. Time, actor ids and new ids come in as values.

pub mod command;
pub mod date;
pub mod export;
pub mod first_screen;
pub mod history;
pub mod i18n;
pub mod meet;
pub mod model;
pub mod needs;
pub mod qr;
pub mod repo;
pub mod room;
pub mod route;
pub mod seal;
pub mod text;
pub mod updates;
