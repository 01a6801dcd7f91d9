//! REST routes under `/api/v1`. Each module registers its handlers together
//! with their OpenAPI descriptions, so the document cannot miss a route.

mod accounts;
mod after_work;
mod billing;
mod bookings;
mod businesses;
mod contact;
mod matching;
mod roster;
mod shifts;
mod timeline;
mod waves;
mod workers;

use serde::Deserialize;
use slivers_store::Page;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(accounts::routes())
        .merge(workers::routes())
        .merge(businesses::routes())
        .merge(shifts::routes())
        .merge(bookings::routes())
        .merge(matching::routes())
        .merge(waves::routes())
        .merge(roster::routes())
        .merge(after_work::routes())
        .merge(billing::routes())
        .merge(contact::routes())
        .merge(timeline::routes())
}

/// `?limit=&offset=` on every list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// At most this many items (1 to 1000, default 100).
    pub limit: Option<i64>,
    /// Skip this many items.
    pub offset: Option<i64>,
}

impl Paging {
    pub fn page(&self) -> Page {
        Page::new(self.limit, self.offset)
    }
}
