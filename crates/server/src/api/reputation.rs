//! Portable reputation: the exchange's published key and status list
//! (public, `security: [{}]`), a worker's export of a signed record and its
//! revocation (`exchange::reputation` holds the use cases; these only map).

use axum::extract::State;
use axum::http::StatusCode;
use slivers_core::ids::WorkerId;
use slivers_exchange::reputation::{self, ExportRequest, IssuerKey, StatusList};
use slivers_store::IssuedCredential;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::extract::{Json, Path};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issuer))
        .routes(routes!(status))
        .routes(routes!(export))
        .routes(routes!(revoke))
}

/// The exchange's Ed25519 verification key and how records are signed.
#[utoipa::path(get, path = "/issuer", tag = "reputation", security(()), responses((status = 200, body = IssuerKey)))]
async fn issuer(State(state): State<AppState>) -> Result<axum::Json<IssuerKey>, AppError> {
    Ok(axum::Json(reputation::issuer(&state.exchange).await?))
}

/// Every revoked record, by id and status-list index.
#[utoipa::path(get, path = "/credentials/status", tag = "reputation", security(()), responses((status = 200, body = StatusList)))]
async fn status(State(state): State<AppState>) -> Result<axum::Json<StatusList>, AppError> {
    Ok(axum::Json(reputation::status(&state.exchange).await?))
}

/// Export a signed W3C Verifiable Credential of the chosen skills, with
/// reliability and reputation; the worker themself only.
#[utoipa::path(post, path = "/workers/{id}/credentials", tag = "reputation", security(("token" = [])), params(("id" = i64, Path)),
    request_body = ExportRequest,
    responses((status = 201, description = "The signed credential (JSON-LD)", body = Object), (status = 401, body = crate::Problem),
        (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ExportRequest>,
) -> Result<(StatusCode, axum::Json<serde_json::Value>), AppError> {
    let vc = reputation::export(&state.exchange, &caller.principal(), WorkerId(id), &request).await?;
    Ok((StatusCode::CREATED, axum::Json(vc)))
}

/// Revoke one of your records; it then appears in the status list.
#[utoipa::path(post, path = "/credentials/{id}/revoke", tag = "reputation", security(("token" = [])), params(("id" = String, Path)),
    responses((status = 200, body = IssuedCredential), (status = 401, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn revoke(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<axum::Json<IssuedCredential>, AppError> {
    Ok(axum::Json(reputation::revoke(&state.exchange, &caller.principal(), &id).await?))
}
