//! Shifts: post, list, read; and booking a worker onto one.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use serde::Deserialize;
use slivers_core::business::Shift;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::skills::SkillRequirement;
use slivers_core::{Interval, Money};
use slivers_exchange::{bookings, businesses};
use slivers_store::{BookMode, Booking, NewShift, ShiftFilter};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_shift, list_shifts))
        .routes(routes!(get_shift))
        .routes(routes!(book_shift, shift_bookings))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    /// Required for operators; business members post for their own business.
    #[serde(default)]
    pub business_id: Option<BusinessId>,
    /// Omit for remote work.
    #[serde(default)]
    pub site_id: Option<SiteId>,
    /// UTC instant (RFC 3339), on a whole minute.
    pub start: Timestamp,
    pub end: Timestamp,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub skills: Vec<SkillRequirement>,
    #[schema(minimum = 1, maximum = 500)]
    pub headcount: u32,
    #[schema(value_type = slivers_core::money::Rate)]
    pub pay_rate: Money,
    #[schema(value_type = slivers_core::money::Rate)]
    pub bill_rate: Money,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notes: String,
}

/// Post a shift.
#[utoipa::path(post, path = "/shifts", tag = "shifts", security(("token" = [])), request_body = ShiftInput,
    responses((status = 201, body = Shift), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_shift(
    State(state): State<AppState>,
    caller: Caller,
    Json(s): Json<ShiftInput>,
) -> Result<(StatusCode, axum::Json<Shift>), AppError> {
    let who = caller.principal();
    let business_id = businesses::business_for(&who, s.business_id)?;
    let window = Interval::new(s.start, s.end)?;
    let ns = NewShift {
        business_id,
        site_id: s.site_id,
        window,
        skills: s.skills,
        headcount: s.headcount,
        pay_rate: s.pay_rate,
        bill_rate: s.bill_rate,
        notes: s.notes,
    };
    Ok((StatusCode::CREATED, axum::Json(businesses::post_shift(&state.exchange, &who, &ns).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShiftQuery {
    /// Shifts ending after this instant.
    pub from: Option<Timestamp>,
    /// Shifts starting before this instant.
    pub to: Option<Timestamp>,
    /// Operators: one business's shifts.
    pub business_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Shifts the caller may see, in start order.
#[utoipa::path(get, path = "/shifts", tag = "shifts", security(("token" = [])), params(ShiftQuery),
    responses((status = 200, body = [Shift])))]
async fn list_shifts(State(state): State<AppState>, caller: Caller, Query(q): Query<ShiftQuery>) -> Result<axum::Json<Vec<Shift>>, AppError> {
    let f = ShiftFilter { business: q.business_id.map(BusinessId), from: q.from, to: q.to };
    let page = Paging { limit: q.limit, offset: q.offset }.page()?;
    Ok(axum::Json(businesses::shifts(&state.exchange, &caller.principal(), &f, page).await?))
}

#[utoipa::path(get, path = "/shifts/{id}", tag = "shifts", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Shift), (status = 404, body = crate::Problem)))]
async fn get_shift(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Shift>, AppError> {
    Ok(axum::Json(businesses::get_shift(&state.exchange, &caller.principal(), ShiftId(id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookInput {
    pub worker_id: WorkerId,
    /// `instant` confirms at once inside declared availability; `offer` asks the worker.
    pub mode: BookMode,
    /// For offers: when it lapses (default 24 hours, never after the shift starts).
    #[serde(default)]
    pub offer_expires_at: Option<Timestamp>,
}

/// Book a worker instantly, or send them an offer. Every rule is re-checked in
/// the write transaction; a refusal is a 409 naming each broken rule.
#[utoipa::path(post, path = "/shifts/{id}/bookings", tag = "bookings", security(("token" = [])), params(("id" = i64, Path)),
    request_body = BookInput, responses((status = 201, body = Booking), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn book_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(b): Json<BookInput>,
) -> Result<(StatusCode, axum::Json<Booking>), AppError> {
    let booked = bookings::book(&state.exchange, &caller.principal(), ShiftId(id), b.worker_id, b.mode, b.offer_expires_at).await;
    let booking = crate::metrics::record_booking(&state.metrics, booked)?;
    Ok((StatusCode::CREATED, axum::Json(booking)))
}

/// Bookings and offers on a shift.
#[utoipa::path(get, path = "/shifts/{id}/bookings", tag = "bookings", security(("token" = [])), params(("id" = i64, Path), Paging),
    responses((status = 200, body = [Booking]), (status = 404, body = crate::Problem)))]
async fn shift_bookings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> Result<axum::Json<Vec<Booking>>, AppError> {
    Ok(axum::Json(bookings::of_shift(&state.exchange, &caller.principal(), ShiftId(id), p.page()?).await?))
}
