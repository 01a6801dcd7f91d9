//! Worker profiles: availability, limits, skills; their bookings and pay.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::availability::Availability;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::skills::{Level, SkillClaim, SkillCode};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Money, Zone};
use slivers_exchange::workers::{self, PayStatement, PublicProfile};
use slivers_store::Booking;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_worker))
        .routes(routes!(get_worker, put_worker))
        .routes(routes!(get_public))
        .routes(routes!(grade_assessment))
        .routes(routes!(put_availability))
        .routes(routes!(put_limits))
        .routes(routes!(put_skills))
        .routes(routes!(worker_bookings))
        .routes(routes!(worker_pay))
}

/// A worker profile as written by clients (the id comes from the URL or the store).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    pub zone: Zone,
    pub reach: Reach,
    #[schema(value_type = slivers_core::money::Rate)]
    pub min_rate: Money,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub instant_book: bool,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub skills: Vec<SkillClaim>,
    #[serde(default)]
    #[schema(maximum = 10080)]
    pub wanted_minutes_per_week: u32,
}

impl WorkerInput {
    fn into_worker(self, id: WorkerId) -> Worker {
        Worker {
            id,
            name: self.name,
            zone: self.zone,
            reach: self.reach,
            min_rate: self.min_rate,
            limits: self.limits,
            instant_book: self.instant_book,
            availability: self.availability,
            skills: self.skills,
            wanted_minutes_per_week: self.wanted_minutes_per_week,
        }
    }
}

/// Create a worker profile (operators). Skill claims carry declared evidence
/// only (self-declared, certificates); the exchange writes the rest.
#[utoipa::path(post, path = "/workers", tag = "workers", security(("token" = [])), request_body = WorkerInput,
    responses((status = 201, body = Worker), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_worker(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<WorkerInput>,
) -> Result<(StatusCode, axum::Json<Worker>), AppError> {
    let worker = workers::create(&state.exchange, &caller.principal(), input.into_worker(WorkerId(0))).await?;
    Ok((StatusCode::CREATED, axum::Json(worker)))
}

/// A worker's full profile, private part included: the worker and operators only.
#[utoipa::path(get, path = "/workers/{id}", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Worker), (status = 404, body = crate::Problem)))]
async fn get_worker(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(workers::profile(&state.exchange, &caller.principal(), WorkerId(id)).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicParams {
    /// One of the caller's shifts: adds the distance from its site, as a band.
    pub shift_id: Option<i64>,
}

/// A worker's public profile, as businesses see it: name, zone, skills with
/// effective level and an evidence summary, reputation, reliability, and a
/// distance band from a shift's site. Never coordinates, limits, blackouts,
/// availability, rate floor or pay.
#[utoipa::path(get, path = "/workers/{id}/public", tag = "workers", security(("token" = [])),
    params(("id" = i64, Path), PublicParams),
    responses((status = 200, body = PublicProfile), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn get_public(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(p): Query<PublicParams>,
) -> Result<axum::Json<PublicProfile>, AppError> {
    Ok(axum::Json(workers::public_profile(&state.exchange, &caller.principal(), WorkerId(id), p.shift_id.map(ShiftId)).await?))
}

/// Replace the whole profile. Exchange-only evidence (assessment, verified
/// minutes, rating) is refused, naming the field; what the exchange recorded is kept.
#[utoipa::path(put, path = "/workers/{id}", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = WorkerInput, responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn put_worker(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<WorkerInput>,
) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(workers::replace(&state.exchange, &caller.principal(), input.into_worker(WorkerId(id))).await?))
}

/// Replace availability: weekly patterns, dated windows and exceptions, in the worker's zone.
#[utoipa::path(put, path = "/workers/{id}/availability", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Availability, responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn put_availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(a): Json<Availability>,
) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(workers::amend(&state.exchange, &caller.principal(), WorkerId(id), |w| w.availability = a).await?))
}

/// Replace hard limits.
#[utoipa::path(put, path = "/workers/{id}/limits", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Limits, responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn put_limits(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(l): Json<Limits>,
) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(workers::amend(&state.exchange, &caller.principal(), WorkerId(id), |w| w.limits = l).await?))
}

/// Replace skill claims with declared evidence (self-declared, certificates).
/// Assessment grades, verified minutes and ratings are refused: only the
/// exchange writes them, from its own records.
#[utoipa::path(put, path = "/workers/{id}/skills", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Vec<SkillClaim>, responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn put_skills(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(s): Json<Vec<SkillClaim>>,
) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(workers::set_skills(&state.exchange, &caller.principal(), WorkerId(id), s).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentGrade {
    pub skill: SkillCode,
    pub level: Level,
}

/// Record an assessment grade for a worker (operators, on the exchange's behalf).
#[utoipa::path(post, path = "/workers/{id}/assessments", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = AssessmentGrade, responses((status = 201, body = Worker), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn grade_assessment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(g): Json<AssessmentGrade>,
) -> Result<(StatusCode, axum::Json<Worker>), AppError> {
    let w = workers::grade_assessment(&state.exchange, &caller.principal(), WorkerId(id), g.skill, g.level).await?;
    Ok((StatusCode::CREATED, axum::Json(w)))
}

/// A worker's bookings, as far as the caller may see them.
#[utoipa::path(get, path = "/workers/{id}/bookings", tag = "workers", security(("token" = [])),
    params(("id" = i64, Path), Paging), responses((status = 200, body = [Booking]), (status = 404, body = crate::Problem)))]
async fn worker_bookings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> Result<axum::Json<Vec<Booking>>, AppError> {
    Ok(axum::Json(workers::bookings(&state.exchange, &caller.principal(), WorkerId(id), p.page()?).await?))
}

/// A worker's pay: completed work earned, confirmed work upcoming. Only the worker and operators.
#[utoipa::path(get, path = "/workers/{id}/pay", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PayStatement), (status = 404, body = crate::Problem)))]
async fn worker_pay(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<PayStatement>, AppError> {
    Ok(axum::Json(workers::pay(&state.exchange, &caller.principal(), WorkerId(id)).await?))
}
