//! Worker profiles: availability, limits, skills; their bookings and pay.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use slivers_core::availability::Availability;
use slivers_core::ids::WorkerId;
use slivers_core::skills::SkillClaim;
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Money, Zone};
use slivers_store::{Booking, BookingFilter, Page, Scope};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_worker))
        .routes(routes!(get_worker, put_worker))
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
    pub name: String,
    #[schema(value_type = String, example = "Europe/London")]
    pub zone: Zone,
    pub reach: Reach,
    pub min_rate: Money,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub instant_book: bool,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    pub skills: Vec<SkillClaim>,
    #[serde(default)]
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

/// Only the worker themselves or an operator may change a profile or see pay;
/// to anyone else the worker's private resources do not exist.
fn own(caller: &Caller, id: WorkerId) -> Result<(), AppError> {
    match caller.scope() {
        Scope::All => Ok(()),
        Scope::Worker(me) if me == id => Ok(()),
        _ => Err(AppError::NotFound("worker")),
    }
}

/// Create a worker profile (operators).
#[utoipa::path(post, path = "/workers", tag = "workers", security(("token" = [])), request_body = WorkerInput,
    responses((status = 201, body = Worker), (status = 422, body = crate::Problem)))]
async fn create_worker(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<WorkerInput>,
) -> Result<(StatusCode, axum::Json<Worker>), AppError> {
    if !caller.is_operator() {
        return Err(AppError::Forbidden("only operators create worker profiles"));
    }
    let mut worker = input.into_worker(WorkerId(0));
    worker.validate()?;
    worker.id = state.store.create_worker(&worker, &caller.actor(), state.now()).await?;
    state.refresh().await;
    Ok((StatusCode::CREATED, axum::Json(worker)))
}

/// A worker's profile: the worker, an operator, or a business judging candidates.
#[utoipa::path(get, path = "/workers/{id}", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Worker), (status = 404, body = crate::Problem)))]
async fn get_worker(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(state.store.get_worker(WorkerId(id), &caller.scope()).await?))
}

/// Replace the whole profile.
#[utoipa::path(put, path = "/workers/{id}", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = WorkerInput, responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn put_worker(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(input): Json<WorkerInput>,
) -> Result<axum::Json<Worker>, AppError> {
    own(&caller, WorkerId(id))?;
    let worker = input.into_worker(WorkerId(id));
    state.store.update_worker(&worker, &caller.actor(), state.now()).await?;
    state.refresh().await;
    Ok(axum::Json(worker))
}

/// Load the caller's own worker, change one part, validate and save.
async fn amend(state: &AppState, caller: &Caller, id: i64, change: impl FnOnce(&mut Worker)) -> Result<axum::Json<Worker>, AppError> {
    own(caller, WorkerId(id))?;
    let mut worker = state.store.get_worker(WorkerId(id), &caller.scope()).await?;
    change(&mut worker);
    state.store.update_worker(&worker, &caller.actor(), state.now()).await?;
    state.refresh().await;
    Ok(axum::Json(worker))
}

/// Replace availability: weekly patterns, dated windows and exceptions, in the worker's zone.
#[utoipa::path(put, path = "/workers/{id}/availability", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Availability, responses((status = 200, body = Worker), (status = 422, body = crate::Problem)))]
async fn put_availability(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(a): Json<Availability>,
) -> Result<axum::Json<Worker>, AppError> {
    amend(&state, &caller, id, |w| w.availability = a).await
}

/// Replace hard limits.
#[utoipa::path(put, path = "/workers/{id}/limits", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Limits, responses((status = 200, body = Worker), (status = 422, body = crate::Problem)))]
async fn put_limits(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(l): Json<Limits>,
) -> Result<axum::Json<Worker>, AppError> {
    amend(&state, &caller, id, |w| w.limits = l).await
}

/// Replace skill claims and their evidence.
#[utoipa::path(put, path = "/workers/{id}/skills", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Vec<SkillClaim>, responses((status = 200, body = Worker), (status = 422, body = crate::Problem)))]
async fn put_skills(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(s): Json<Vec<SkillClaim>>,
) -> Result<axum::Json<Worker>, AppError> {
    amend(&state, &caller, id, |w| w.skills = s).await
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
    if let Scope::Worker(me) = caller.scope() {
        if me.0 != id {
            return Err(AppError::NotFound("worker"));
        }
    }
    let filter = BookingFilter { worker: Some(WorkerId(id)), ..Default::default() };
    Ok(axum::Json(state.store.list_bookings(&filter, &caller.scope(), p.page()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayLine {
    pub booking_id: i64,
    pub shift_id: i64,
    pub status: slivers_core::booking::BookingStatus,
    pub minutes: i64,
    pub pay: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayTotal {
    pub earned: Money,
    pub upcoming: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayStatement {
    pub worker_id: WorkerId,
    pub lines: Vec<PayLine>,
    /// Per currency; each total is exactly the sum of its lines.
    pub totals: Vec<PayTotal>,
}

/// A worker's pay: completed work earned, confirmed work upcoming. Only the worker and operators.
#[utoipa::path(get, path = "/workers/{id}/pay", tag = "workers", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PayStatement), (status = 404, body = crate::Problem)))]
async fn worker_pay(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<PayStatement>, AppError> {
    own(&caller, WorkerId(id))?;
    let filter = BookingFilter { worker: Some(WorkerId(id)), ..Default::default() };
    let bookings = state.store.list_bookings(&filter, &caller.scope(), Page::all()).await?;
    let mut lines = Vec::new();
    let mut totals: BTreeMap<slivers_core::Currency, (Decimal, Decimal)> = BTreeMap::new();
    for b in bookings.into_iter().filter(|b| b.status.holds_time()) {
        let t = totals.entry(b.pay.currency).or_default();
        if b.status == slivers_core::booking::BookingStatus::Completed {
            t.0 += b.pay.amount;
        } else {
            t.1 += b.pay.amount;
        }
        lines.push(PayLine { booking_id: b.id.0, shift_id: b.shift_id.0, status: b.status, minutes: b.window.minutes(), pay: b.pay });
    }
    let totals = totals
        .into_iter()
        .map(|(c, (e, u))| PayTotal { earned: Money::new(e, c), upcoming: Money::new(u, c) })
        .collect();
    Ok(axum::Json(PayStatement { worker_id: WorkerId(id), lines, totals }))
}
