//! Mounts the app; nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    common_ground::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Common Ground runs in the browser: build it with `trunk serve` (see README.md).");
}
