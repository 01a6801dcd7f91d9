//! Offer waves on a shift, and a business's wave settings.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::ids::{BusinessId, ShiftId};
use slivers_exchange::waves;
use slivers_store::{Business, Wave, WaveOrder, WaveSettings};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::extract::{Json, Path};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_settings)).routes(routes!(set_remote_rule)).routes(routes!(start, status, stop))
}

/// Set the business's offer-wave defaults: wave size N, interval T, and the ordering.
#[utoipa::path(put, path = "/businesses/{id}/wave-settings", tag = "waves", security(("token" = [])), params(("id" = i64, Path)),
    request_body = WaveSettings, responses((status = 200, body = Business), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(w): Json<WaveSettings>,
) -> Result<axum::Json<Business>, AppError> {
    Ok(axum::Json(waves::set_settings(&state.exchange, &caller.principal(), BusinessId(id), w).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteRule {
    /// A worker's first N shifts with this business are on site before any remote work (0 to 100; 0: no rule).
    #[schema(minimum = 0, maximum = 100)]
    pub onsite_before_remote: u32,
}

/// Set the business's on-site-first rule; the one rule checker enforces it on every booking.
#[utoipa::path(put, path = "/businesses/{id}/remote-rule", tag = "waves", security(("token" = [])), params(("id" = i64, Path)),
    request_body = RemoteRule, responses((status = 200, body = Business), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_remote_rule(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(r): Json<RemoteRule>,
) -> Result<axum::Json<Business>, AppError> {
    Ok(axum::Json(slivers_exchange::businesses::set_remote_rule(&state.exchange, &caller.principal(), BusinessId(id), r.onsite_before_remote).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartWave {
    /// Offers per wave (1 to 100); defaults to the business's setting.
    #[schema(minimum = 1, maximum = 100)]
    pub size: Option<u32>,
    /// Minutes between waves (1 to 1440).
    #[schema(minimum = 1, maximum = 1440)]
    pub interval_minutes: Option<u32>,
    pub order: Option<WaveOrder>,
}

/// Start offer waves on a shift: the first wave goes out at once.
#[utoipa::path(post, path = "/shifts/{id}/waves", tag = "waves", security(("token" = [])), params(("id" = i64, Path)),
    request_body = StartWave, responses((status = 201, body = Wave), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(r): Json<StartWave>,
) -> Result<(StatusCode, axum::Json<Wave>), AppError> {
    let o = waves::WaveOverrides { size: r.size, interval_minutes: r.interval_minutes, order: r.order };
    Ok((StatusCode::CREATED, axum::Json(waves::start(&state.exchange, &caller.principal(), ShiftId(id), o).await?)))
}

/// The latest offer-wave campaign on a shift.
#[utoipa::path(get, path = "/shifts/{id}/waves", tag = "waves", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Wave), (status = 404, body = crate::Problem)))]
async fn status(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Wave>, AppError> {
    Ok(axum::Json(waves::current(&state.exchange, &caller.principal(), ShiftId(id)).await?))
}

/// Stop the offer waves on a shift; outstanding offers are withdrawn.
#[utoipa::path(delete, path = "/shifts/{id}/waves", tag = "waves", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Wave), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
async fn stop(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Wave>, AppError> {
    Ok(axum::Json(waves::stop(&state.exchange, &caller.principal(), ShiftId(id)).await?))
}
