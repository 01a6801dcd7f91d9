//! Sign-in for API clients: exchange a password for a token; list and revoke
//! one's own tokens; who am I.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use slivers_store::{TokenRecord, UserRecord};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use slivers_exchange::credentials;

use crate::auth::{Caller, ClientAddr};
use crate::extract::{Json, Path};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(me))
        .routes(routes!(list_skills))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
    /// A name to recognise the token by, e.g. "payroll export".
    #[serde(default)]
    #[schema(max_length = 100)]
    pub label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub id: i64,
    pub user: UserRecord,
}

/// Exchange email and password for an API token. Rate-limited like the
/// portal's sign-in: after 5 failures for one email from one address within
/// 15 minutes, every attempt (even with the right password) is 429 until the
/// oldest failure is 15 minutes old. The count is kept in the database, so it
/// holds across every server process on it.
#[utoipa::path(post, path = "/tokens", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = NewToken), (status = 401, body = crate::Problem), (status = 422, body = crate::Problem),
        (status = 429, description = "too many failed sign-ins for this email from this address", body = crate::Problem)))]
async fn create_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    ClientAddr(ip): ClientAddr,
    Json(req): Json<TokenRequest>,
) -> Result<(StatusCode, axum::Json<NewToken>), AppError> {
    let issued = credentials::issue_token(&state.exchange, &req.email, &req.password, req.label, ip).await?;
    Ok((StatusCode::CREATED, axum::Json(NewToken { token: issued.token, id: issued.record.id, user: issued.user })))
}

/// The caller's own tokens.
#[utoipa::path(get, path = "/tokens", tag = "accounts", security(("token" = [])),
    responses((status = 200, body = [TokenRecord])))]
async fn list_tokens(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<TokenRecord>>, AppError> {
    Ok(axum::Json(credentials::list_tokens(&state.exchange, caller.user.id).await?))
}

/// Revoke one of the caller's own tokens.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "accounts", security(("token" = [])),
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::Problem)))]
async fn revoke_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    credentials::revoke_token(&state.exchange, caller.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The authenticated user.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("token" = [])), responses((status = 200, body = UserRecord)))]
async fn me(caller: Caller) -> axum::Json<UserRecord> {
    axum::Json(caller.user)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Skill {
    pub code: String,
    pub name: String,
}

/// The skill taxonomy.
#[utoipa::path(get, path = "/skills", tag = "workers", security(("token" = [])), responses((status = 200, body = [Skill])))]
async fn list_skills(
    axum::extract::State(state): axum::extract::State<AppState>,
    _caller: Caller,
) -> Result<axum::Json<Vec<Skill>>, AppError> {
    let skills = slivers_exchange::businesses::skills(&state.exchange).await?;
    Ok(axum::Json(skills.into_iter().map(|(code, name)| Skill { code, name }).collect()))
}
