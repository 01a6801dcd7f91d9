//! `/healthz`: whether this server can do its work, which means whether its
//! database answers. A load balancer takes a 503 as "send traffic elsewhere".

use axum::extract::State;

use crate::{AppError, AppState};

/// 200 `ok` when the database answers `SELECT 1` within
/// [`slivers_store::Store::ping`]'s timeout; otherwise 503 as a problem document.
pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    match state.exchange.ping().await {
        Ok(()) => Ok("ok"),
        Err(e) => {
            // The cause goes to the log, not to the (unauthenticated) caller.
            tracing::warn!(error = %e, "health check: database unreachable");
            Err(AppError::Unavailable("the database is unreachable".into()))
        }
    }
}
