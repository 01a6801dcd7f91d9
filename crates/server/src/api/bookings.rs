//! Bookings: read them, and move them through the state machine.

use axum::extract::State;
use slivers_core::booking::BookingAction;
use slivers_core::ids::BookingId;
use slivers_store::{Booking, BookingFilter, Scope};
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
    Ok(axum::Json(state.store.list_bookings(&BookingFilter::default(), &caller.scope(), p.page()).await?))
}

#[utoipa::path(get, path = "/bookings/{id}", tag = "bookings", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Booking), (status = 404, body = crate::Problem)))]
async fn get_booking(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Booking>, AppError> {
    Ok(axum::Json(state.store.get_booking(BookingId(id), &caller.scope()).await?))
}

/// The action named in the URL. `cancel` means the caller's side cancels.
fn action(name: &str, scope: Scope) -> Option<BookingAction> {
    Some(match name {
        "accept" => BookingAction::Accept,
        "decline" => BookingAction::Decline,
        "withdraw" => BookingAction::Withdraw,
        "check-in" => BookingAction::CheckIn,
        "complete" => BookingAction::Complete,
        "no-show" => BookingAction::NoShow,
        "expire" => BookingAction::Expire,
        "cancel" => match scope {
            Scope::Worker(_) => BookingAction::CancelByWorker,
            _ => BookingAction::CancelByBusiness,
        },
        _ => return None,
    })
}

/// Move a booking on: `accept`, `decline`, `withdraw`, `cancel`, `check-in`,
/// `complete`, `no-show` or `expire`. Accepting re-checks every hard limit.
#[utoipa::path(post, path = "/bookings/{id}/{action}", tag = "bookings", security(("token" = [])),
    params(("id" = i64, Path), ("action" = String, Path)),
    responses((status = 200, body = Booking), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn act(State(state): State<AppState>, caller: Caller, Path((id, name)): Path<(i64, String)>) -> Result<axum::Json<Booking>, AppError> {
    let a = action(&name, caller.scope()).ok_or(AppError::NotFound("booking action"))?;
    let booking = state.store.transition(BookingId(id), a, &caller.actor(), state.now()).await?;
    state.refresh().await;
    Ok(axum::Json(booking))
}
