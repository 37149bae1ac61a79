//! The app's addresses. They live in the URL fragment (`#/g/...`) so that any
//! static host serves the app without rewrite rules, and a reload or a shared
//! link opens the same page.

use super::repo::DocumentId;

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Group(DocumentId),
    Site(DocumentId, String),
    Plot(DocumentId, String),
    NotFound,
}

impl Route {
    /// Reads a fragment such as `#/g/<id>/site/<site>`.
    pub fn parse(fragment: &str) -> Self {
        let path = fragment.trim_start_matches('#').trim_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let group = |id: &str| DocumentId::parse(id).ok();
        match parts.as_slice() {
            [] => Self::Home,
            ["g", id] => group(id).map_or(Self::NotFound, Self::Group),
            ["g", id, "site", site] => {
                group(id).map_or(Self::NotFound, |g| Self::Site(g, (*site).to_owned()))
            }
            ["g", id, "plot", plot] => {
                group(id).map_or(Self::NotFound, |g| Self::Plot(g, (*plot).to_owned()))
            }
            _ => Self::NotFound,
        }
    }

    /// The fragment for this page, `#/...`.
    pub fn href(&self) -> String {
        match self {
            Self::Home | Self::NotFound => "#/".to_owned(),
            Self::Group(id) => format!("#/g/{id}"),
            Self::Site(id, site) => format!("#/g/{id}/site/{site}"),
            Self::Plot(id, plot) => format!("#/g/{id}/plot/{plot}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips() {
        let id = DocumentId::from_bytes([3; 16]);
        for route in [
            Route::Home,
            Route::Group(id),
            Route::Site(id, "s1".into()),
            Route::Plot(id, "p9".into()),
        ] {
            assert_eq!(Route::parse(&route.href()), route);
        }
    }

    #[test]
    fn unknown_addresses_are_not_found() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/g/nonsense"), Route::NotFound);
        assert_eq!(Route::parse("#/elsewhere"), Route::NotFound);
    }
}
