//! The browser shell: IndexedDB, device settings, and the small pieces of the
//! platform (randomness, the clock, network state) the core is kept free of.

pub mod camera;
pub mod engine;
pub mod first_screen;
pub mod idb;
pub mod platform;
pub mod repo;
pub mod rtc;
pub mod settings;
pub mod transport;
