//! Two phones pairing over a real WebRTC data channel, in one headless
//! Chromium page (wasm-bindgen-test): two repos, a host and a joiner, with
//! the sessions their codes would carry handed across directly.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;

use common_ground::core::repo::sync::{Link, Share};
use common_ground::web::engine::Handle;
use common_ground::web::platform::{new_id, sleep};
use common_ground::web::repo::Repo;
use common_ground::web::rtc::{PairState, Pairing};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn repo() -> Handle {
    Rc::new(Repo::open(&format!("test-{}", new_id())).await.unwrap())
}

/// Waits up to `ms` for `done`; says whether it came.
async fn within(ms: i32, done: impl Fn() -> bool) -> bool {
    let mut waited = 0;
    while !done() && waited < ms {
        sleep(50).await;
        waited += 50;
    }
    done()
}

fn is_open(state: &Cell<PairState>) -> bool {
    matches!(state.get(), PairState::Open(_))
}

/// A busy host page may get to its handlers only after the channel opened
/// (the joiner was already checking its addresses). Before, such a host
/// never counted the link open and dropped every frame: the joiner showed
/// itself in, and a meeting's room split in two without a word.
#[wasm_bindgen_test]
async fn a_host_that_listens_after_its_channel_opened_still_syncs() {
    let (host_repo, joiner_repo) = (repo().await, repo().await);
    let (group, _) = host_repo.create_group("Eastside Growers", 1).unwrap();
    let share = || Share::Groups(BTreeSet::from([group]));

    let (host, offer) = Pairing::offer(None).await.expect("an offer");
    let (joiner, answer) = Pairing::answer(None, &offer).await.expect("an answer");
    let joiner_state = Rc::new(Cell::new(PairState::Connecting));
    let seen = joiner_state.clone();
    joiner.start(
        &joiner_repo,
        Link::Client,
        share(),
        "Ana".into(),
        move |s| {
            seen.set(s);
        },
    );
    host.accept(&answer).await.expect("the answer is taken");
    assert!(
        within(10_000, || is_open(&joiner_state)).await,
        "the joiner's channel opens"
    );
    // The host's channel opened too, with nobody listening yet.
    sleep(500).await;

    let host_state = Rc::new(Cell::new(PairState::Connecting));
    let seen = host_state.clone();
    host.start(&host_repo, Link::Host, share(), "Ben".into(), move |s| {
        seen.set(s);
    });
    assert!(
        within(2_000, || is_open(&host_state)).await,
        "the host counts the link open: {:?}",
        host_state.get()
    );
    // Frames cross both ways: each side's engine knows the other phone.
    assert!(
        within(10_000, || host_repo.peers().len() == 1
            && joiner_repo.peers().len() == 1)
        .await,
        "the two phones greet each other over the link"
    );
    host.close();
    joiner.close();
}
