//! The HTTP face of the exchange: a REST API under `/api/v1` described by an
//! OpenAPI document, with token authentication and tenant scoping on every route.

pub mod api;
pub mod auth;
mod error;
mod extract;
mod openapi;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use jiff::Timestamp;
use slivers_store::Store;

pub use error::{AppError, Problem};

/// Request bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState { store, clock: Arc::new(Timestamp::now) }
    }

    /// A state whose clock is supplied by the caller (simulated time in tests).
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Fn() -> Timestamp + Send + Sync>) -> Self {
        AppState { store, clock }
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }
}

/// The whole application: API, OpenAPI document and docs page.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api::router().split_for_parts();
    let spec = Arc::new(spec);
    Router::new()
        .nest("/api/v1", api)
        .merge(openapi::routes(spec))
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .fallback(|| async { AppError::NotFound("route") })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Serve until ctrl-c.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
