//! One timeline per customer: every contact with a business or a worker,
//! newest first, filterable by category.

use axum::extract::State;
use serde::Deserialize;
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::validation::Collector;
use slivers_exchange::timeline::{self, Item};
use slivers_store::{Owner, Page};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::extract::{Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(business_timeline)).routes(routes!(worker_timeline))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    /// Comma-separated categories (booking, offer, shift, timesheet, rating,
    /// invoice, pay, message, inquiry, feedback, email, webhook, account,
    /// profile, other); all when absent.
    #[param(schema_with = super::schemas::timeline_categories)]
    pub category: Option<String>,
    /// At most this many items (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Skip this many items (at most 9000).
    #[param(minimum = 0, maximum = 9000)]
    pub offset: Option<i64>,
}

/// The deepest a timeline pages: beyond it, filter by category.
const MAX_TIMELINE_OFFSET: i64 = 9000;

fn page(q: &TimelineQuery) -> Result<Page, AppError> {
    let mut c = Collector::new();
    c.check(q.offset.is_none_or(|o| (0..=MAX_TIMELINE_OFFSET).contains(&o)), "offset", format!("must be 0 to {MAX_TIMELINE_OFFSET}"));
    c.finish()?;
    super::checked_page(q.limit, q.offset)
}

/// A business's timeline: the business itself and operators.
#[utoipa::path(get, path = "/businesses/{id}/timeline", tag = "contact", security(("token" = [])),
    params(("id" = i64, Path), TimelineQuery),
    responses((status = 200, body = [Item]), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn business_timeline(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Query(q): Query<TimelineQuery>) -> Result<axum::Json<Vec<Item>>, AppError> {
    let categories = timeline::parse_categories(q.category.as_deref())?;
    Ok(axum::Json(timeline::timeline(&state.exchange, &caller.principal(), Owner::Business(BusinessId(id)), &categories, page(&q)?).await?))
}

/// A worker's timeline: the worker themself and operators.
#[utoipa::path(get, path = "/workers/{id}/timeline", tag = "contact", security(("token" = [])),
    params(("id" = i64, Path), TimelineQuery),
    responses((status = 200, body = [Item]), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn worker_timeline(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Query(q): Query<TimelineQuery>) -> Result<axum::Json<Vec<Item>>, AppError> {
    let categories = timeline::parse_categories(q.category.as_deref())?;
    Ok(axum::Json(timeline::timeline(&state.exchange, &caller.principal(), Owner::Worker(WorkerId(id)), &categories, page(&q)?).await?))
}
