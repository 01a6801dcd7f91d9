//! Sign-in for API clients: exchange a password for a token; list and revoke
//! one's own tokens; who am I.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use slivers_core::validation::Collector;
use slivers_store::{TokenRecord, UserRecord};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{self, Caller};
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
    pub email: String,
    pub password: String,
    /// A name to recognise the token by, e.g. "payroll export".
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub id: i64,
    pub user: UserRecord,
}

/// Exchange email and password for an API token.
#[utoipa::path(post, path = "/tokens", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = NewToken), (status = 401, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    Json(req): Json<TokenRequest>,
) -> Result<(StatusCode, axum::Json<NewToken>), AppError> {
    let label = req.label.unwrap_or_else(|| "api".into());
    let mut c = Collector::new();
    c.check(!req.email.is_empty() && req.email.len() <= 254, "email", "must be 1 to 254 characters");
    c.check(!req.password.is_empty() && req.password.len() <= 256, "password", "must be 1 to 256 bytes");
    c.check(label.len() <= 100, "label", "at most 100 bytes");
    c.finish()?;
    let user = state.store.user_by_email(&req.email).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    let ok = match &user {
        Some(u) => auth::verify_password(&req.password, &u.password_hash),
        None => {
            auth::verify_password(&req.password, &DUMMY_HASH);
            false
        }
    };
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => return Err(AppError::Unauthenticated),
    };
    let token = auth::new_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let rec = state.store.create_token(user.id, &auth::token_hash(&token), &label, state.now()).await?;
    Ok((StatusCode::CREATED, axum::Json(NewToken { token, id: rec.id, user })))
}

/// A real argon2id hash of a throwaway password, used to equalise timing.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| auth::hash_password("not a real password").unwrap_or_default());

/// The caller's own tokens.
#[utoipa::path(get, path = "/tokens", tag = "accounts", security(("token" = [])),
    responses((status = 200, body = [TokenRecord])))]
async fn list_tokens(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Vec<TokenRecord>>, AppError> {
    Ok(axum::Json(state.store.list_tokens(caller.user.id).await?))
}

/// Revoke one of the caller's own tokens.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "accounts", security(("token" = [])),
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::Problem)))]
async fn revoke_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    if state.store.revoke_token(caller.user.id, id, state.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("token"))
    }
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
    let skills = state.store.list_skills().await?;
    Ok(axum::Json(skills.into_iter().map(|(code, name)| Skill { code, name }).collect()))
}
