//! The overlap finder: when a team spread over zones can all meet in a week.

use axum::extract::State;
use jiff::Timestamp;
use serde::Deserialize;
use slivers_exchange::overlap::{self, Person, TeamOverlap};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::extract::Json;
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlapRequest {
    /// The start of the week asked about (7 × 24 hours from it).
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    /// 1 to 50 people, each with their zone and weekly availability in it.
    #[schema(min_items = 1, max_items = 50)]
    pub people: Vec<Person>,
}

/// The hours of a week when everyone is available, on each person's clock.
#[utoipa::path(post, path = "/overlap", tag = "matching", security(("token" = [])), request_body = OverlapRequest,
    responses((status = 200, body = TeamOverlap), (status = 401, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn find(State(_state): State<AppState>, _caller: Caller, Json(req): Json<OverlapRequest>) -> Result<axum::Json<TeamOverlap>, AppError> {
    Ok(axum::Json(overlap::team(&req.people, req.start)?))
}
