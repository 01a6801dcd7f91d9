//! Routes for the account's life (verification, password reset, email
//! change, claiming an imported account, preferences, export and deletion)
//! and for a business's webhooks with their delivery log.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::ids::BusinessId;
use slivers_exchange::lifecycle::{self, Preference};
use slivers_exchange::webhooks::{self, EndpointWithSecret};
use slivers_store::{Attempt, EndpointChange, OutboxItem, UserRecord, WebhookEndpoint};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_verification))
        .routes(routes!(verify_email))
        .routes(routes!(request_reset))
        .routes(routes!(reset_password))
        .routes(routes!(claim_account))
        .routes(routes!(request_email_change))
        .routes(routes!(confirm_email_change))
        .routes(routes!(get_preferences, set_preference))
        .routes(routes!(export_account))
        .routes(routes!(delete_account))
        .routes(routes!(create_endpoint, list_endpoints))
        .routes(routes!(change_endpoint))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_deliveries))
        .routes(routes!(list_attempts))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// The token from the emailed link.
    #[schema(min_length = 1, max_length = 128)]
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenPassword {
    #[schema(min_length = 1, max_length = 128)]
    pub token: String,
    /// At least 10 characters.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChange {
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub new_email: String,
    /// The current password, to prove it is the owner.
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirm {
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChange {
    /// One of the topics listed by `GET /me/email-preferences`.
    #[schema(schema_with = super::schemas::email_topic)]
    pub topic: String,
    pub enabled: bool,
}

/// Email a link that verifies the caller's address.
#[utoipa::path(post, path = "/me/email-verification", tag = "accounts", security(("token" = [])),
    responses((status = 202, description = "the email is queued"), (status = 422, body = crate::Problem)))]
async fn request_verification(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, AppError> {
    lifecycle::request_verification(&state.exchange, &caller.user).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Verify an email address with the emailed token.
#[utoipa::path(post, path = "/account/verify-email", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = UserRecord), (status = 422, body = crate::Problem)))]
async fn verify_email(State(state): State<AppState>, Json(body): Json<TokenBody>) -> Result<axum::Json<UserRecord>, AppError> {
    Ok(axum::Json(lifecycle::verify_email(&state.exchange, &body.token).await?))
}

/// Ask for a password reset link. The answer is 202 whether or not the email has an account.
#[utoipa::path(post, path = "/account/password-reset", tag = "accounts", request_body = ResetRequest,
    responses((status = 202, description = "a link is emailed if the address has an account"), (status = 422, body = crate::Problem)))]
async fn request_reset(State(state): State<AppState>, Json(body): Json<ResetRequest>) -> Result<StatusCode, AppError> {
    lifecycle::request_password_reset(&state.exchange, &body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the emailed token; every session and API token of the account ends.
#[utoipa::path(post, path = "/account/password", tag = "accounts", request_body = TokenPassword,
    responses((status = 200, body = UserRecord), (status = 422, body = crate::Problem)))]
async fn reset_password(State(state): State<AppState>, Json(body): Json<TokenPassword>) -> Result<axum::Json<UserRecord>, AppError> {
    Ok(axum::Json(lifecycle::reset_password(&state.exchange, &body.token, &body.password).await?))
}

/// Take over an account a business imported, by choosing a password.
#[utoipa::path(post, path = "/account/claim", tag = "accounts", request_body = TokenPassword,
    responses((status = 200, body = UserRecord), (status = 422, body = crate::Problem)))]
async fn claim_account(State(state): State<AppState>, Json(body): Json<TokenPassword>) -> Result<axum::Json<UserRecord>, AppError> {
    Ok(axum::Json(lifecycle::claim_account(&state.exchange, &body.token, &body.password).await?))
}

/// Start moving the account to a new email: a link goes to the new address.
#[utoipa::path(post, path = "/me/email-change", tag = "accounts", security(("token" = [])), request_body = EmailChange,
    responses((status = 202, description = "a confirmation link is emailed to the new address"), (status = 422, body = crate::Problem)))]
async fn request_email_change(State(state): State<AppState>, caller: Caller, Json(body): Json<EmailChange>) -> Result<StatusCode, AppError> {
    lifecycle::request_email_change(&state.exchange, &caller.user, &body.new_email, &body.password).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Confirm an email change with the token sent to the new address.
#[utoipa::path(post, path = "/account/email", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = UserRecord), (status = 422, body = crate::Problem)))]
async fn confirm_email_change(State(state): State<AppState>, Json(body): Json<TokenBody>) -> Result<axum::Json<UserRecord>, AppError> {
    Ok(axum::Json(lifecycle::confirm_email_change(&state.exchange, &body.token).await?))
}

/// Which emails the caller receives.
#[utoipa::path(get, path = "/me/email-preferences", tag = "accounts", security(("token" = [])),
    responses((status = 200, body = [Preference])))]
async fn get_preferences(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<Vec<Preference>>, AppError> {
    Ok(axum::Json(lifecycle::email_preferences(&state.exchange, &caller.user).await?))
}

/// Turn one topic of email on or off (essential topics stay on).
#[utoipa::path(put, path = "/me/email-preferences", tag = "accounts", security(("token" = [])), request_body = PreferenceChange,
    responses((status = 200, body = [Preference]), (status = 422, body = crate::Problem)))]
async fn set_preference(State(state): State<AppState>, caller: Caller, Json(body): Json<PreferenceChange>) -> Result<axum::Json<Vec<Preference>>, AppError> {
    Ok(axum::Json(lifecycle::set_email_preference(&state.exchange, &caller.user, &body.topic, body.enabled).await?))
}

/// Everything the exchange holds about the caller, as JSON.
#[utoipa::path(get, path = "/me/export", tag = "accounts", security(("token" = [])),
    responses((status = 200, body = Object)))]
async fn export_account(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<serde_json::Value>, AppError> {
    Ok(axum::Json(lifecycle::export(&state.exchange, &caller.user).await?))
}

/// Delete the caller's account and answer with its data export. Bookings,
/// timesheets and documents are kept as records; personal data is erased.
#[utoipa::path(post, path = "/me/deletion", tag = "accounts", security(("token" = [])), request_body = PasswordConfirm,
    responses((status = 200, body = Object, description = "the data export, taken just before deletion"),
        (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn delete_account(State(state): State<AppState>, caller: Caller, Json(body): Json<PasswordConfirm>) -> Result<axum::Json<serde_json::Value>, AppError> {
    Ok(axum::Json(lifecycle::delete_account(&state.exchange, &caller.user, &body.password).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// An `http://` URL (at most 2000 characters).
    #[schema(max_length = 2000, pattern = r"^http://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$")]
    pub url: String,
    /// Comma-separated event kinds: `*` (the default), `booking.*`, `invoice.issued`.
    #[schema(max_length = 1000, pattern = r"^\s*[a-z._*]+\s*(,\s*[a-z._*]+\s*)*$")]
    pub event_types: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeEndpoint {
    #[schema(max_length = 2000, pattern = r"^http://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$")]
    pub url: Option<String>,
    #[schema(max_length = 1000, pattern = r"^\s*[a-z._*]+\s*(,\s*[a-z._*]+\s*)*$")]
    pub event_types: Option<String>,
    /// Re-enable (clears the failure count) or disable.
    pub enabled: Option<bool>,
}

/// Add a webhook endpoint. The answer holds its secret, shown this once.
#[utoipa::path(post, path = "/businesses/{id}/webhooks", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path)), request_body = NewEndpoint,
    responses((status = 201, body = EndpointWithSecret), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, description = "the business already has the most endpoints allowed", body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_endpoint(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(body): Json<NewEndpoint>) -> Result<(StatusCode, axum::Json<EndpointWithSecret>), AppError> {
    let created = webhooks::create_endpoint(&state.exchange, &caller.principal(), BusinessId(id), &body.url, body.event_types.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// A business's webhook endpoints (without secrets).
#[utoipa::path(get, path = "/businesses/{id}/webhooks", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = [WebhookEndpoint]), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn list_endpoints(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Vec<WebhookEndpoint>>, AppError> {
    Ok(axum::Json(webhooks::list_endpoints(&state.exchange, &caller.principal(), BusinessId(id)).await?))
}

/// Change an endpoint's URL or event types, or enable or disable it.
#[utoipa::path(patch, path = "/webhooks/{id}", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path)), request_body = ChangeEndpoint,
    responses((status = 200, body = WebhookEndpoint), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn change_endpoint(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(body): Json<ChangeEndpoint>) -> Result<axum::Json<WebhookEndpoint>, AppError> {
    let change = EndpointChange { url: body.url, event_types: body.event_types, enabled: body.enabled };
    Ok(axum::Json(webhooks::change_endpoint(&state.exchange, &caller.principal(), id, &change).await?))
}

/// A new signing secret, shown this once; the previous one keeps signing for 24 hours.
#[utoipa::path(post, path = "/webhooks/{id}/rotate-secret", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = EndpointWithSecret), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn rotate_secret(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<EndpointWithSecret>, AppError> {
    Ok(axum::Json(webhooks::rotate_secret(&state.exchange, &caller.principal(), id).await?))
}

/// The delivery log of an endpoint, newest first.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path), Paging), responses((status = 200, body = [OutboxItem]), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn list_deliveries(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Query(paging): Query<Paging>) -> Result<axum::Json<Vec<OutboxItem>>, AppError> {
    Ok(axum::Json(webhooks::deliveries(&state.exchange, &caller.principal(), id, paging.page()?).await?))
}

/// Every attempt at one delivery, with the receiver's status or the error.
#[utoipa::path(get, path = "/webhook-deliveries/{id}/attempts", tag = "webhooks", security(("token" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = [Attempt]), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn list_attempts(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Vec<Attempt>>, AppError> {
    Ok(axum::Json(webhooks::attempts(&state.exchange, &caller.principal(), id).await?))
}
