//! Pages fetched when first opened. The first download holds what a member
//! sees first (home, a group, its garden, an invite); each page here is a
//! split point: `scripts/build-wasm.sh` cuts its code into a chunk of its own
//! that the browser fetches on first use, and the service worker keeps for
//! offline use after that.

use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use super::pages;
use crate::core::repo::DocumentId;
use crate::web::engine::{self, Handle};
use crate::web::idb::StoreError;

/// A page's chunk could not be fetched (first visit, connection gone).
#[derive(Debug)]
pub struct Unfetched;

impl From<SplitLoaderError> for Unfetched {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

pub type Later = Result<AnyView, Unfetched>;

/// One split point a page: `page!(chunk(args) => view)`.
macro_rules! page {
    ($($chunk:ident($($arg:ident: $ty:ty),*) => $view:expr;)*) => {$(
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $chunk($($arg: $ty),*) -> Later {
            Ok($view.into_any())
        }
    )*};
}

page! {
    settings() => pages::settings::SettingsPage();
    plot(id: DocumentId, plot: String) => view! { <pages::plot::PlotPage id=id plot=plot /> };
    share(id: DocumentId) => view! { <pages::share::SharePage id=id /> };
    phones(id: DocumentId) => view! { <pages::phones::PhonesPage id=id /> };
    meet_link(code: String) => view! { <pages::phones::MeetLink code=code /> };
    meeting(id: DocumentId, meeting: DocumentId) => view! { <pages::meeting::MeetingPage id=id meeting=meeting /> };
    members(id: DocumentId) => view! { <pages::members::MembersPage id=id /> };
    member(id: DocumentId, member: String) => view! { <pages::member::MemberPage id=id member=member /> };
    library(id: DocumentId) => view! { <pages::library::LibraryPage id=id /> };
    resource(id: DocumentId, resource: String) => view! { <pages::resource::ResourcePage id=id resource=resource /> };
    aid(id: DocumentId) => view! { <pages::aid::AidPage id=id /> };
    minutes(id: DocumentId, meeting: DocumentId) => view! { <pages::minutes::MinutesPage id=id meeting=meeting /> };
    shifts(id: DocumentId, site: String) => view! { <pages::shifts::ShiftsPage id=id site=site /> };
    log(id: DocumentId, site: String) => view! { <pages::log::LogPage id=id site=site /> };
    export(id: DocumentId) => view! { <pages::export::ExportPage id=id /> };
}

/// Opens the device's documents in the named IndexedDB database.
pub type OpenEngine = fn(&'static str) -> engine::Later<'static, Result<Handle, StoreError>>;

/// The engine: automerge, the sync engine, IndexedDB's documents and every
/// command come with this chunk, fetched after the first screen shows (see
/// `web::engine` for why nothing else may name `Repo`).
// `fallible` asks for a `Result`: the fetch can fail, the function cannot.
#[allow(clippy::unnecessary_wraps)]
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn engine() -> Result<OpenEngine, Unfetched> {
    Ok(|database| {
        Box::pin(async move {
            let repo = crate::web::repo::Repo::open(database).await?;
            Ok(std::rc::Rc::new(repo) as Handle)
        })
    })
}
