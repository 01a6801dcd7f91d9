//! Messages about a booking, between its business and its worker (and
//! operators), once the two were matched. `/bookings/{id}/messages` is a
//! static segment, so the router matches it before `/bookings/{id}/{action}`
//! (as it does `attendance` and `rating`); `messages` is no booking action.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::ids::BookingId;
use slivers_exchange::messages;
use slivers_store::BookingMessage;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::checked_page;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, send))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MessagePaging {
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Skip this many (0 to 100000).
    #[param(minimum = 0, maximum = 100000)]
    pub offset: Option<i64>,
}

/// The conversation on a booking, oldest first: its business, its worker
/// and operators; anyone else gets 404, as for a booking that does not exist.
#[utoipa::path(get, path = "/bookings/{id}/messages", tag = "bookings", security(("token" = [])), params(("id" = i64, Path), MessagePaging),
    responses((status = 200, body = [BookingMessage]), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn list(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Query(q): Query<MessagePaging>) -> Result<axum::Json<Vec<BookingMessage>>, AppError> {
    let page = checked_page(q.limit, q.offset)?;
    Ok(axum::Json(messages::list(&state.exchange, &caller.principal(), BookingId(id), page).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// 1 to 5000 characters (`slivers_core::contact::BODY_CHARS`).
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub text: String,
}

/// Send a message on a booking. Only once the worker is booked (confirmed,
/// checked in, completed, no-show or cancelled); before that, 409 naming
/// the rule `messages`. The timelines record that a message was sent, never its text.
#[utoipa::path(post, path = "/bookings/{id}/messages", tag = "bookings", security(("token" = [])), params(("id" = i64, Path)),
    request_body = MessageBody,
    responses((status = 201, body = BookingMessage), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem),
        (status = 422, body = crate::Problem)))]
async fn send(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<MessageBody>) -> Result<(StatusCode, axum::Json<BookingMessage>), AppError> {
    Ok((StatusCode::CREATED, axum::Json(messages::send(&state.exchange, &caller.principal(), BookingId(id), &b.text).await?)))
}
