//! Propose a roster for a business's open shifts, and apply it in one transaction.

use axum::extract::State;
use jiff::Timestamp;
use serde::Deserialize;
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_core::{Interval, Invalid};
use slivers_store::{BookMode, BookRequest, Booking, Scope};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::matching::MatchMode;
use crate::auth::Caller;
use crate::extract::{Json, Path};
use crate::roster::{self, RosterProposal};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(propose)).routes(routes!(apply))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRequest {
    /// Shifts starting from this instant...
    pub from: Timestamp,
    /// ...and before this one (default: a week after `from`; at most 31 days).
    #[serde(default)]
    pub to: Option<Timestamp>,
    /// `instant` rosters only into declared availability; `offer` (default) any time that fits every limit.
    #[serde(default)]
    pub mode: MatchMode,
    /// Time for the optimizer, 0.1 to 30 seconds (default 1.5).
    #[serde(default)]
    pub seconds: Option<f64>,
}

/// Propose a roster: who should fill each open place, the places left open,
/// minutes per worker, and the optimizer's objective, bound and gap.
#[utoipa::path(post, path = "/businesses/{id}/roster/propose", tag = "roster", security(("token" = [])), params(("id" = i64, Path)),
    request_body = ProposeRequest, responses((status = 200, body = RosterProposal), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(r): Json<ProposeRequest>,
) -> Result<axum::Json<RosterProposal>, AppError> {
    let business = state.store.get_business(BusinessId(id), &caller.scope()).await?.id;
    let range = Interval::new(r.from, r.to.unwrap_or_else(|| roster::week_from(r.from).end)).map_err(|Invalid(e)| {
        Invalid(e.into_iter().map(|f| slivers_core::FieldError::new("to", f.reason)).collect())
    })?;
    if range.minutes() > 31 * 24 * 60 {
        return Err(Invalid::one("to", "a roster covers at most 31 days").into());
    }
    let seconds = r.seconds.unwrap_or(1.5);
    if !(0.1..=30.0).contains(&seconds) {
        return Err(Invalid::one("seconds", "must be 0.1 to 30").into());
    }
    Ok(axum::Json(roster::propose(&state, business, &caller.scope(), range, r.mode.into(), seconds).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedAssignment {
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    pub assignments: Vec<PlannedAssignment>,
    /// `offer` (default) sends offers; `instant` books.
    #[serde(default)]
    pub mode: MatchMode,
}

/// Apply a roster as bookings or offers in one transaction that re-checks every
/// rule: all are written, or none, and a refusal names the rule.
#[utoipa::path(post, path = "/businesses/{id}/roster/apply", tag = "roster", security(("token" = [])), params(("id" = i64, Path)),
    request_body = ApplyRequest, responses((status = 200, body = [Booking]), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(r): Json<ApplyRequest>,
) -> Result<axum::Json<Vec<Booking>>, AppError> {
    if matches!(caller.scope(), Scope::Worker(_)) {
        return Err(AppError::NotFound("business"));
    }
    let business = state.store.get_business(BusinessId(id), &caller.scope()).await?.id;
    if r.assignments.is_empty() || r.assignments.len() > 2000 {
        return Err(Invalid::one("assignments", "must list 1 to 2000 assignments").into());
    }
    let now = state.now();
    let mode = match r.mode {
        MatchMode::Instant => BookMode::Instant,
        MatchMode::Offer => BookMode::Offer,
    };
    let mut requests = Vec::with_capacity(r.assignments.len());
    for a in &r.assignments {
        // Every shift must be this business's: a foreign one is simply not found.
        let shift = state.store.get_shift(a.shift_id, &Scope::Business(business)).await?;
        requests.push(BookRequest { shift_id: shift.id, worker_id: a.worker_id, mode, now, offer_expires_at: Some(shift.window.start) });
    }
    // A stable order keeps lock order predictable across concurrent applies.
    requests.sort_by_key(|q| (q.shift_id, q.worker_id));
    let bookings = state.store.book_many(&requests, &caller.actor()).await?;
    state.refresh().await;
    Ok(axum::Json(bookings))
}
