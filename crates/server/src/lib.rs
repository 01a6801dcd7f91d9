//! The HTTP face of the exchange: a REST API under `/api/v1` described by an
//! OpenAPI document, with token authentication and tenant scoping on every route.

pub mod api;
pub mod auth;
pub mod portal;
mod error;
mod extract;
pub mod health;
pub mod metrics;
mod openapi;
pub mod roster;
pub mod waves;

use std::sync::{Arc, RwLock};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use jiff::Timestamp;
use slivers_match::{Feed, SharedIndex};
use slivers_store::Store;

pub use error::{AppError, Problem};

/// Request bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The matching index and the feed that keeps it current.
    pub feed: Arc<Feed>,
    /// Request and booking counters served at `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
}

impl AppState {
    /// A state over `store` with an empty index that fills from the event log
    /// (see [`AppState::refresh`]); [`AppState::build`] loads it up front instead.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_clock(store, Arc::new(Timestamp::now))
    }

    /// A state whose clock is supplied by the caller (simulated time in tests).
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Fn() -> Timestamp + Send + Sync>) -> Self {
        let index: SharedIndex = Arc::new(RwLock::new(slivers_match::Index::default()));
        AppState { feed: Arc::new(Feed::new(index, store.clone())), store, metrics: Default::default(), clock }
    }

    /// A state whose index is built from the whole store now.
    pub async fn build(store: Arc<dyn Store>) -> Result<Self, slivers_store::StoreError> {
        let index = slivers_match::build_from_store(&*store, Timestamp::now()).await?;
        let index: SharedIndex = Arc::new(RwLock::new(index));
        Ok(AppState { feed: Arc::new(Feed::new(index, store.clone())), store, metrics: Default::default(), clock: Arc::new(Timestamp::now) })
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Bring the index up to the event log: after this server's own writes, so
    /// its next answer reflects them; other servers' writes arrive by [`AppState::tail`].
    pub async fn refresh(&self) {
        if let Err(e) = self.feed.catch_up().await {
            tracing::warn!(error = %e, "matching index refresh failed");
        }
    }

    /// Follow the event log in the background.
    pub fn tail(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.feed.clone().run(every))
    }
}

/// The whole application: API, OpenAPI document and docs page, portal,
/// `/healthz` and `/metrics` (these two outside the API and its document).
pub fn app(state: AppState) -> Router {
    let (api, spec) = api::router().split_for_parts();
    let spec = Arc::new(spec);
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
