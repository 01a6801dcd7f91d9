//! The HTTP face of the exchange: a REST API under `/api/v1` described by an
//! OpenAPI document, with token authentication and tenant scoping on every route.

pub mod api;
pub mod auth;
pub mod portal;
mod contract;
mod error;
mod extract;
pub mod health;
pub mod metrics;
mod openapi;
pub mod security;
mod strict;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use jiff::Timestamp;
use slivers_exchange::Exchange;
use slivers_store::Store;

pub use error::{AppError, Problem};

/// Request bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Shared by every request: the application layer (every use case goes
/// through it) and this process's metrics.
#[derive(Clone)]
pub struct AppState {
    pub exchange: Exchange,
    /// Request and booking counters served at `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn from_exchange(exchange: Exchange) -> Self {
        AppState { metrics: Default::default(), exchange }
    }

    /// A state over `store` with an empty index that fills from the event log.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::from_exchange(Exchange::new(store))
    }

    /// A state whose clock is supplied by the caller (simulated time in tests).
    pub fn with_clock(store: Arc<dyn Store>, clock: slivers_exchange::Clock) -> Self {
        Self::from_exchange(Exchange::with_clock(store, clock))
    }

    pub fn now(&self) -> Timestamp {
        self.exchange.now()
    }

    /// Bring the matching index up to the event log.
    pub async fn refresh(&self) {
        self.exchange.refresh().await
    }
}

/// The whole application: API, OpenAPI document and docs page, portal,
/// `/healthz` and `/metrics` (these two outside the API and its document).
pub fn app(state: AppState) -> Router {
    let (api, spec) = api::router().split_for_parts();
    let spec = Arc::new(contract::complete(spec));
    let registry = state.metrics.clone();
    Router::new()
        .nest("/api/v1", api)
        .merge(openapi::routes(spec))
        .merge(portal::routes())
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/metrics", axum::routing::get(metrics::scrape))
        .fallback(|| async { AppError::NotFound("route") })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(security::headers))
        // Outermost, so it also counts what the body limit and fallbacks answer.
        .layer(axum::middleware::from_fn_with_state(registry, metrics::track))
        .with_state(state)
}

/// Serve until ctrl-c.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The peer address lets the portal rate-limit sign-in per email and address.
    axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
