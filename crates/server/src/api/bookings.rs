//! Bookings: read them, and move them through the state machine.

use axum::extract::State;
use slivers_core::ids::BookingId;
use slivers_exchange::bookings;
use slivers_store::{Booking, BookingFilter};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_bookings)).routes(routes!(get_booking)).routes(routes!(act))
}

/// Bookings the caller may see.
#[utoipa::path(get, path = "/bookings", tag = "bookings", security(("token" = [])), params(Paging),
    responses((status = 200, body = [Booking])))]
async fn list_bookings(State(state): State<AppState>, caller: Caller, Query(p): Query<Paging>) -> Result<axum::Json<Vec<Booking>>, AppError> {
    Ok(axum::Json(bookings::list(&state.exchange, &caller.principal(), &BookingFilter::default(), p.page()?).await?))
}

#[utoipa::path(get, path = "/bookings/{id}", tag = "bookings", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Booking), (status = 404, body = crate::Problem)))]
async fn get_booking(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Booking>, AppError> {
    Ok(axum::Json(bookings::get(&state.exchange, &caller.principal(), BookingId(id)).await?))
}

/// Move a booking on: `accept`, `decline`, `withdraw`, `cancel`, `check-in`,
/// `complete`, `no-show` or `expire`. Accepting re-checks every hard limit.
#[utoipa::path(post, path = "/bookings/{id}/{action}", tag = "bookings", security(("token" = [])),
    params(("id" = i64, Path), ("action" = String, Path)),
    responses((status = 200, body = Booking), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn act(State(state): State<AppState>, caller: Caller, Path((id, name)): Path<(i64, String)>) -> Result<axum::Json<Booking>, AppError> {
    let who = caller.principal();
    let a = bookings::action_named(&name, &who).ok_or(AppError::NotFound("booking action"))?;
    Ok(axum::Json(bookings::act(&state.exchange, &who, BookingId(id), a).await?))
}
