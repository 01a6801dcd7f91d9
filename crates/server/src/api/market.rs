//! Open market data, public (no token): rates, fill rate, time to fill and
//! demand by skill and region, k-anonymous. Marked `security: [{}]` in the
//! OpenAPI document, which is how the privacy walk knows they are public.

use axum::extract::State;
use axum::response::Response;
use slivers_core::market::MarketData;
use slivers_exchange::market;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(market_json)).routes(routes!(market_csv))
}

/// Market data by skill and region: pay per hour (median, p25–p75), fill
/// rate, time to fill and demand by local weekday and hour. A cell drawing on
/// fewer than k businesses or k workers is suppressed, not rounded.
#[utoipa::path(get, path = "/market", tag = "market", security(()), responses((status = 200, body = MarketData)))]
async fn market_json(State(state): State<AppState>) -> Result<axum::Json<MarketData>, AppError> {
    Ok(axum::Json((*market::data(&state.exchange).await?).clone()))
}

/// The published cells as CSV (one row per cell; demand is in the JSON).
#[utoipa::path(get, path = "/market.csv", tag = "market", security(()), responses((status = 200, content_type = "text/csv", body = String)))]
async fn market_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(super::typed("text/csv; charset=utf-8", market::csv(&state.exchange).await?, Some("slivers-market.csv".into())))
}
