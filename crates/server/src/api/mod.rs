//! REST routes under `/api/v1`. Each module registers its handlers together
//! with their OpenAPI descriptions, so the document cannot miss a route.

mod accounts;
mod assessments;
mod audit;
mod after_work;
mod billing;
mod bookings;
mod businesses;
mod contact;
mod feedback;
mod inquiries;
mod market;
mod matching;
mod messages;
mod overlap;
mod reputation;
mod roster;
mod schemas;
mod shifts;
mod timeline;
mod waves;
mod workers;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use slivers_core::validation::Collector;
use slivers_store::Page;
use utoipa_axum::router::OpenApiRouter;

use crate::{AppError, AppState};

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
        .merge(overlap::routes())
        .merge(inquiries::routes())
        .merge(feedback::routes())
        .merge(messages::routes())
        .merge(market::routes())
        .merge(assessments::routes())
        .merge(reputation::routes())
        .merge(audit::routes())
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
    /// The page asked for; a limit or offset out of bounds is refused by name.
    pub fn page(&self) -> Result<Page, AppError> {
        checked_page(self.limit, self.offset)
    }
}

/// The deepest page a list serves: beyond it a client should filter.
pub const MAX_OFFSET: i64 = 100_000;

/// Paging that refuses out-of-range values by name rather than clamp them,
/// so a client learns of its mistake instead of silently getting a different
/// page than it asked for.
pub fn checked_page(limit: Option<i64>, offset: Option<i64>) -> Result<Page, AppError> {
    let mut c = Collector::new();
    c.check(limit.is_none_or(|l| (1..=Page::MAX_LIMIT).contains(&l)), "limit", format!("must be 1 to {}", Page::MAX_LIMIT));
    c.check(offset.is_none_or(|o| (0..=MAX_OFFSET).contains(&o)), "offset", format!("must be 0 to {MAX_OFFSET}"));
    c.finish()?;
    Ok(Page::new(limit, offset))
}

/// A 200 with a body that is not JSON (CSV, XML, HTML, iCalendar), as a
/// download when it has a file name.
pub fn typed(content_type: &'static str, body: String, filename: Option<String>) -> Response {
    let mut res = (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Some(f) = filename
        && let Ok(v) = format!("attachment; filename=\"{f}\"").parse()
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
