//! Form fields that know what the member changed.
//!
//! A form is open while other phones keep changing the same item. Each field
//! remembers the live value it last took in (`base`): while the member has
//! not touched it, it follows the live value; once they have, a peer's
//! change is shown beside it ("Changed by Ana while you were editing: 4 × 8
//! m") and the member decides. Saving sends only the fields that differ from
//! their base, so a field the member never touched is never written back
//! over someone else's newer value.

use leptos::prelude::*;

use crate::core::i18n::Key;
use crate::core::repo::DocumentId;
use crate::ui::state::AppState;

/// One field of an edit form.
pub struct Tracked<T: Send + Sync + 'static> {
    /// What the form shows and the member types into.
    pub value: RwSignal<T>,
    /// The live value the form last took in.
    base: RwSignal<T>,
    /// A peer's value for a field the member is editing, until they decide.
    pub theirs: RwSignal<Option<T>>,
}

impl<T: Send + Sync + 'static> Clone for Tracked<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Tracked<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Tracked<T> {
    /// A field that starts from, and then watches, `live` (`None` while the
    /// item is not there).
    pub fn new(live: impl Fn() -> Option<T> + Send + Sync + 'static, empty: T) -> Self {
        let start = untrack(&live).unwrap_or(empty);
        let field = Self {
            value: RwSignal::new(start.clone()),
            base: RwSignal::new(start),
            theirs: RwSignal::new(None),
        };
        Effect::new(move || {
            let Some(now) = live() else { return };
            field.take_in(now);
        });
        field
    }

    /// The live value changed to `now`.
    fn take_in(self, now: T) {
        let base = self.base.get_untracked();
        if base == now {
            return;
        }
        let mine = self.value.get_untracked();
        if mine == base || mine == now {
            // Untouched (or already the same): follow the live value.
            if mine != now {
                self.value.set(now.clone());
            }
            self.base.set(now);
            self.theirs.set(None);
        } else {
            self.theirs.set(Some(now));
        }
    }

    /// What the member changed, if anything: the value to send.
    pub fn changed(self) -> Option<T> {
        let mine = self.value.get_untracked();
        (mine != self.base.get_untracked()).then_some(mine)
    }

    /// The member keeps their value over the peer's.
    pub fn keep_mine(self) {
        if let Some(theirs) = self.theirs.get_untracked() {
            self.base.set(theirs);
            self.theirs.set(None);
        }
    }

    /// The member takes the peer's value.
    pub fn take_theirs(self) {
        if let Some(theirs) = self.theirs.get_untracked() {
            self.value.set(theirs.clone());
            self.base.set(theirs);
            self.theirs.set(None);
        }
    }

    /// The form was saved: what it shows is now what is stored.
    pub fn saved(self) {
        self.base.set(self.value.get_untracked());
        self.theirs.set(None);
    }
}

/// The member who just changed an item on another phone, from the stamps
/// of its latest changes (clocks count seconds, so changes made in the
/// same moment tie): one not made as this phone's member, if the phone that
/// made it said who it was.
pub fn last_changed_by(app: AppState, id: DocumentId, item: &str) -> Option<String> {
    let events = app.store()?.history(id, item);
    let newest = events.first()?.at;
    let me = app.me_in(id);
    let by = events
        .into_iter()
        .take_while(|event| event.at + 2 >= newest)
        .filter_map(|event| event.by)
        .find(|by| Some(by) != me.as_ref())?;
    app.group(id)
        .with_untracked(|g| g.as_ref()?.member_name(&by).map(str::to_owned))
}

/// "Changed by Ana while you were editing: 4 × 8 m", with the member's
/// choice: keep theirs or their own.
#[component]
pub fn ChangedNote<T: Clone + PartialEq + Send + Sync + 'static>(
    field: Tracked<T>,
    /// How the peer's value reads to a member.
    show: fn(AppState, &T) -> String,
    id: DocumentId,
    item: String,
    test_id: &'static str,
) -> impl IntoView {
    let app = expect_context::<AppState>();
    let text = move || {
        let theirs = field.theirs.get()?;
        let mut value = show(app, &theirs);
        if value.is_empty() {
            app.t(Key::EmptyValue).clone_into(&mut value);
        }
        let by = last_changed_by(app, id, &item);
        Some(match by {
            Some(name) => app.tf(Key::ChangedByName, &[("name", &name), ("value", &value)]),
            None => app.tf(Key::ChangedElsewhere, &[("value", &value)]),
        })
    };
    view! {
        <Show when=move || field.theirs.with(Option::is_some)>
            <div class="changed-note" role="status" data-testid=test_id>
                <p>{text.clone()}</p>
                <div class="row">
                    <button type="button" on:click=move |_| field.take_theirs()>
                        {move || app.t(Key::TakeTheirs)}
                    </button>
                    <button type="button" on:click=move |_| field.keep_mine()>
                        {move || app.t(Key::KeepMine)}
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// Text as the member reads it.
#[expect(
    clippy::ptr_arg,
    reason = "the shape of every field's display in ChangedNote"
)]
pub fn as_text(_: AppState, value: &String) -> String {
    value.clone()
}
