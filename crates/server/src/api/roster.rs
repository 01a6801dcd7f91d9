//! Propose a roster for a business's open shifts, and apply it in one transaction.

use axum::extract::State;
use jiff::Timestamp;
use serde::Deserialize;
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_store::{BookMode, Booking};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::matching::MatchMode;
use crate::auth::Caller;
use crate::extract::{Json, Path};
use slivers_exchange::roster::{self, RosterProposal};
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
    #[schema(minimum = 0.1, maximum = 30)]
    pub seconds: Option<f64>,
    /// How much to weigh fairness of hours (each candidate's share of the
    /// hours they want) against match quality: 0 to 100, default 0 (cost only).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    pub fairness_weight: Option<f64>,
}

/// Propose a roster: who should fill each open place, the places left open,
/// minutes per worker, and the optimizer's objective, bound and gap.
#[utoipa::path(post, path = "/businesses/{id}/roster/propose", tag = "roster", security(("token" = [])), params(("id" = i64, Path)),
    request_body = ProposeRequest, responses((status = 200, body = RosterProposal), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem), (status = 503, body = crate::Problem)))]
async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(r): Json<ProposeRequest>,
) -> Result<axum::Json<RosterProposal>, AppError> {
    let (range, seconds, weight) = roster::checked_request(r.from, r.to, r.seconds, r.fairness_weight)?;
    Ok(axum::Json(roster::propose(&state.exchange, &caller.principal(), BusinessId(id), range, r.mode.into(), seconds, weight).await?))
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
    #[schema(min_items = 1, max_items = 2000)]
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
    let mode = match r.mode {
        MatchMode::Instant => BookMode::Instant,
        MatchMode::Offer => BookMode::Offer,
    };
    let planned: Vec<roster::Planned> = r.assignments.iter().map(|a| roster::Planned { shift_id: a.shift_id, worker_id: a.worker_id }).collect();
    Ok(axum::Json(roster::apply(&state.exchange, &caller.principal(), BusinessId(id), &planned, mode).await?))
}
