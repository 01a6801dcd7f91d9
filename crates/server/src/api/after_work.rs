//! After the work: attendance and timesheets, ratings both ways.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::ids::{BookingId, BusinessId, WorkerId};
use slivers_core::timesheet::{Review, Timesheet, TimesheetStatus};
use slivers_exchange::timesheets::{self, Clock};
use slivers_exchange::ratings;
use slivers_store::{Owner, Rating, RatingFilter, RatingSide, RatingSummary, TimesheetFilter};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(attend))
        .routes(routes!(list_timesheets))
        .routes(routes!(get_timesheet))
        .routes(routes!(review))
        .routes(routes!(rate, edit_rating))
        .routes(routes!(list_ratings))
        .routes(routes!(rating_summary))
}

/// A check-in or check-out with its actual time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    pub clock: Clock,
    /// When it happened (RFC 3339); defaults to now, never in the future.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<jiff::Timestamp>,
    /// Breaks taken, on check-out (0 to the time worked).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1440)]
    pub break_minutes: i64,
}

/// Check in (opens the timesheet) or out (submits it for the business's review).
#[utoipa::path(post, path = "/bookings/{id}/attendance", tag = "timesheets", security(("token" = [])), params(("id" = i64, Path)),
    request_body = AttendanceRequest,
    responses((status = 200, body = Timesheet), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn attend(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(r): Json<AttendanceRequest>) -> Result<axum::Json<Timesheet>, AppError> {
    Ok(axum::Json(timesheets::attend(&state.exchange, &caller.principal(), BookingId(id), r.clock, r.at, r.break_minutes).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TimesheetQuery {
    pub status: Option<TimesheetStatus>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Timesheets the caller may see, newest shift first.
#[utoipa::path(get, path = "/timesheets", tag = "timesheets", security(("token" = [])), params(TimesheetQuery),
    responses((status = 200, body = [Timesheet]), (status = 422, body = crate::Problem)))]
async fn list_timesheets(State(state): State<AppState>, caller: Caller, Query(q): Query<TimesheetQuery>) -> Result<axum::Json<Vec<Timesheet>>, AppError> {
    let page = Paging { limit: q.limit, offset: q.offset }.page()?;
    let filter = TimesheetFilter { status: q.status, ..Default::default() };
    Ok(axum::Json(timesheets::list(&state.exchange, &caller.principal(), &filter, page).await?))
}

#[utoipa::path(get, path = "/timesheets/{id}", tag = "timesheets", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Timesheet), (status = 404, body = crate::Problem)))]
async fn get_timesheet(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Timesheet>, AppError> {
    Ok(axum::Json(timesheets::get(&state.exchange, &caller.principal(), id).await?))
}

/// `confirm`, `correct` (minutes and reason) or `dispute` (reason) by the
/// business within its review window; `respond` (statement) by the worker
/// on a dispute; `resolve` (minutes and note) by an operator.
#[utoipa::path(post, path = "/timesheets/{id}/review", tag = "timesheets", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Review,
    responses((status = 200, body = Timesheet), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn review(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(r): Json<Review>) -> Result<axum::Json<Timesheet>, AppError> {
    Ok(axum::Json(timesheets::review(&state.exchange, &caller.principal(), id, &r).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    #[schema(minimum = 1, maximum = 5)]
    pub stars: u8,
    /// At most 2000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub comment: String,
}

/// Rate the other side of a completed booking, once per side.
#[utoipa::path(post, path = "/bookings/{id}/rating", tag = "ratings", security(("token" = [])), params(("id" = i64, Path)),
    request_body = RatingRequest,
    responses((status = 201, body = Rating), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn rate(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(r): Json<RatingRequest>) -> Result<(StatusCode, axum::Json<Rating>), AppError> {
    let rating = ratings::rate(&state.exchange, &caller.principal(), BookingId(id), r.stars, &r.comment, false).await?;
    Ok((StatusCode::CREATED, axum::Json(rating)))
}

/// Change one's rating within seven days of giving it.
#[utoipa::path(put, path = "/bookings/{id}/rating", tag = "ratings", security(("token" = [])), params(("id" = i64, Path)),
    request_body = RatingRequest,
    responses((status = 200, body = Rating), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn edit_rating(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(r): Json<RatingRequest>) -> Result<axum::Json<Rating>, AppError> {
    Ok(axum::Json(ratings::rate(&state.exchange, &caller.principal(), BookingId(id), r.stars, &r.comment, true).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingQuery {
    /// Only ratings given by this side.
    pub by: Option<RatingSide>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Ratings the caller gave or received.
#[utoipa::path(get, path = "/ratings", tag = "ratings", security(("token" = [])), params(RatingQuery),
    responses((status = 200, body = [Rating]), (status = 422, body = crate::Problem)))]
async fn list_ratings(State(state): State<AppState>, caller: Caller, Query(q): Query<RatingQuery>) -> Result<axum::Json<Vec<Rating>>, AppError> {
    let page = Paging { limit: q.limit, offset: q.offset }.page()?;
    Ok(axum::Json(ratings::list(&state.exchange, &caller.principal(), &RatingFilter { by: q.by, ..Default::default() }, page).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Exactly one of `worker_id` and `business_id`.
    pub worker_id: Option<i64>,
    pub business_id: Option<i64>,
}

/// The average and count of the ratings a worker (from businesses) or a business (from workers) received.
#[utoipa::path(get, path = "/ratings/summary", tag = "ratings", security(("token" = [])), params(SummaryQuery),
    responses((status = 200, body = RatingSummary), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn rating_summary(State(state): State<AppState>, _caller: Caller, Query(q): Query<SummaryQuery>) -> Result<axum::Json<RatingSummary>, AppError> {
    let subject = match (q.worker_id, q.business_id) {
        (Some(w), None) => Owner::Worker(WorkerId(w)),
        (None, Some(b)) => Owner::Business(BusinessId(b)),
        _ => return Err(AppError::Invalid(slivers_core::Invalid::one("worker_id", "give exactly one of worker_id and business_id"))),
    };
    Ok(axum::Json(ratings::summary(&state.exchange, subject).await?))
}
