//! Ranked, explained candidates for a shift or an ad-hoc request; explain one
//! worker against one shift; open shifts that fit a worker.

use axum::extract::State;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::ids::{ShiftId, SiteId, WorkerId};
use slivers_core::rules::{Mode, Verdict};
use slivers_exchange::matching::{self, AdHoc, CandidateView, WhyNot};
use slivers_core::skills::SkillRequirement;
use slivers_core::Money;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::extract::{Json, Path, Query as QueryParams};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(candidates))
        .routes(routes!(explain))
        .routes(routes!(why_not))
        .routes(routes!(search))
        .routes(routes!(shifts_for_worker))
}


#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Must fit declared availability and have opted in: bookable now.
    Instant,
    /// Every hard limit, availability not required: can be sent an offer.
    #[default]
    Offer,
}

impl From<MatchMode> for Mode {
    fn from(m: MatchMode) -> Mode {
        match m {
            MatchMode::Instant => Mode::Instant,
            MatchMode::Offer => Mode::Offer,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    pub mode: Option<MatchMode>,
    /// 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    pub shift_id: ShiftId,
    pub candidates: Vec<CandidateView>,
}




/// Workers who pass every hard rule for this shift, best first, with the parts of each score.
#[utoipa::path(get, path = "/shifts/{id}/candidates", tag = "matching", security(("token" = [])),
    params(("id" = i64, Path), CandidateParams), responses((status = 200, body = CandidateList), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn candidates(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    QueryParams(p): QueryParams<CandidateParams>,
) -> Result<axum::Json<CandidateList>, AppError> {
    let candidates = matching::candidates(&state.exchange, &caller.principal(), ShiftId(id), p.mode.unwrap_or_default().into(), p.limit).await?;
    Ok(axum::Json(CandidateList { shift_id: ShiftId(id), candidates }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExplainParams {
    pub worker_id: i64,
    pub mode: Option<MatchMode>,
}

/// Every rule for one worker on one shift, pass or fail, with its numbers: a
/// business sees why someone is not offered; a worker why a shift is not shown.
#[utoipa::path(get, path = "/shifts/{id}/explain", tag = "matching", security(("token" = [])),
    params(("id" = i64, Path), ExplainParams), responses((status = 200, body = Verdict), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn explain(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    QueryParams(p): QueryParams<ExplainParams>,
) -> Result<axum::Json<Verdict>, AppError> {
    let mode = p.mode.unwrap_or_default().into();
    Ok(axum::Json(matching::explain(&state.exchange, &caller.principal(), ShiftId(id), WorkerId(p.worker_id), mode).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    pub start: Timestamp,
    pub end: Timestamp,
    /// One of the caller's sites; omit for remote work.
    #[serde(default)]
    pub site_id: Option<SiteId>,
    #[serde(default)]
    pub skills: Vec<SkillRequirement>,
    /// Hourly pay offered.
    #[schema(value_type = slivers_core::money::Rate)]
    pub pay_rate: Money,
    #[serde(default)]
    pub mode: MatchMode,
    /// 1 to 500, default 50.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

/// Ad-hoc search: who could do this work, before posting a shift.
#[utoipa::path(post, path = "/match/search", tag = "matching", security(("token" = [])), request_body = SearchRequest,
    responses((status = 200, body = [CandidateView]), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Json(r): Json<SearchRequest>,
) -> Result<axum::Json<Vec<CandidateView>>, AppError> {
    let r = AdHoc { start: r.start, end: r.end, site_id: r.site_id, skills: r.skills, pay_rate: r.pay_rate, mode: r.mode.into(), limit: r.limit };
    Ok(axum::Json(matching::search(&state.exchange, &caller.principal(), r).await?))
}


/// Open shifts that fit a worker's limits, best first. The worker and operators only.
#[utoipa::path(get, path = "/workers/{id}/shifts", tag = "matching", security(("token" = [])),
    params(("id" = i64, Path), CandidateParams), responses((status = 200, body = [matching::FitForWorker]), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn shifts_for_worker(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    QueryParams(p): QueryParams<CandidateParams>,
) -> Result<axum::Json<Vec<matching::FitForWorker>>, AppError> {
    Ok(axum::Json(matching::shifts_for_worker(&state.exchange, &caller.principal(), WorkerId(id), p.limit).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WhyNotParams {
    /// Operators name the worker; a worker may omit it or give their own id.
    pub worker_id: Option<i64>,
    pub mode: Option<MatchMode>,
}

/// The worker's "why not": every rule for the calling worker on an open
/// shift, framed for them, with the shift as a worker may see it (no bill
/// rate, headcount or business settings). Operators pass `worker_id`.
#[utoipa::path(get, path = "/shifts/{id}/why-not", tag = "matching", security(("token" = [])),
    params(("id" = i64, Path), WhyNotParams), responses((status = 200, body = WhyNot), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn why_not(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    QueryParams(p): QueryParams<WhyNotParams>,
) -> Result<axum::Json<WhyNot>, AppError> {
    let mode = p.mode.unwrap_or_default().into();
    Ok(axum::Json(matching::why_not(&state.exchange, &caller.principal(), ShiftId(id), p.worker_id.map(WorkerId), mode).await?))
}
