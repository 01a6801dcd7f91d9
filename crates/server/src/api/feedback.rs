//! The feedback board: customers file feature requests and vote in their own
//! words; operators merge duplicates, change a request's status (which tells
//! every linked person once) and ask who asked. The board is shared — every
//! customer sees titles, statuses and counts — but a customer's words are
//! theirs: a request carries only the caller's own links (operators: all).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::contact::FeatureStatus;
use slivers_exchange::feedback::{self, WhoAsked};
use slivers_store::{FeatureChange, FeatureFilter, FeatureRequest, NewFeatureRequest};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::checked_page;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file, list))
        .routes(routes!(get_request))
        .routes(routes!(vote))
        .routes(routes!(merge))
        .routes(routes!(set_status))
        .routes(routes!(who_asked))
}

/// Bounds mirror `slivers_core::contact` (`TITLE_CHARS`, `BODY_CHARS`,
/// `VOTE_CHARS`, `REASON_CHARS`), which the store enforces.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRequest {
    /// The public title every customer sees, 3 to 200 characters.
    #[schema(min_length = 3, max_length = 200, pattern = r"\S[\s\S]+\S")]
    pub title: String,
    /// The caller's own words, 1 to 5000 characters; only they and operators read them.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub text: String,
}

/// File a feature request (businesses and workers).
#[utoipa::path(post, path = "/feature-requests", tag = "feedback", security(("token" = [])), request_body = FileRequest,
    responses((status = 201, body = FeatureRequest), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn file(State(state): State<AppState>, caller: Caller, Json(b): Json<FileRequest>) -> Result<(StatusCode, axum::Json<FeatureRequest>), AppError> {
    let n = NewFeatureRequest { title: b.title, text: b.text };
    Ok((StatusCode::CREATED, axum::Json(feedback::file(&state.exchange, &caller.principal(), &n).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    pub status: Option<FeatureStatus>,
    /// Also list requests merged into others (default false).
    #[serde(default)]
    pub include_merged: bool,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Skip this many (0 to 100000).
    #[param(minimum = 0, maximum = 100000)]
    pub offset: Option<i64>,
}

/// The board, oldest request first: counts for everyone, the caller's own
/// links, and (operators only) every link and the linked businesses' billed revenue.
#[utoipa::path(get, path = "/feature-requests", tag = "feedback", security(("token" = [])), params(BoardQuery),
    responses((status = 200, body = [FeatureRequest]), (status = 422, body = crate::Problem)))]
async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<BoardQuery>) -> Result<axum::Json<Vec<FeatureRequest>>, AppError> {
    let page = checked_page(q.limit, q.offset)?;
    let filter = FeatureFilter { status: q.status, include_merged: q.include_merged };
    Ok(axum::Json(feedback::list(&state.exchange, &caller.principal(), &filter, page).await?))
}

/// One request as the caller may see it.
#[utoipa::path(get, path = "/feature-requests/{id}", tag = "feedback", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = FeatureRequest), (status = 404, body = crate::Problem)))]
async fn get_request(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<FeatureRequest>, AppError> {
    Ok(axum::Json(feedback::get(&state.exchange, &caller.principal(), id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// Why the caller wants it, in their own words (0 to 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub text: String,
}

/// Vote for a request, once per customer (409 `already_linked` after that;
/// 409 `merged` on a request merged into another: vote on the survivor).
#[utoipa::path(post, path = "/feature-requests/{id}/votes", tag = "feedback", security(("token" = [])), params(("id" = i64, Path)),
    request_body = VoteBody,
    responses((status = 201, body = FeatureRequest), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn vote(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<VoteBody>) -> Result<(StatusCode, axum::Json<FeatureRequest>), AppError> {
    Ok((StatusCode::CREATED, axum::Json(feedback::vote(&state.exchange, &caller.principal(), id, &b.text).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The request that survives; every link of this one moves to it.
    #[schema(minimum = 1)]
    pub survivor_id: i64,
}

/// Merge this request (a duplicate) into `survivor_id` (operators). Neither
/// may already be merged away; the answer is the survivor.
#[utoipa::path(post, path = "/feature-requests/{id}/merge", tag = "feedback", security(("token" = [])), params(("id" = i64, Path)),
    request_body = MergeBody,
    responses((status = 200, body = FeatureRequest), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn merge(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<MergeBody>) -> Result<axum::Json<FeatureRequest>, AppError> {
    Ok(axum::Json(feedback::merge(&state.exchange, &caller.principal(), id, b.survivor_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    pub status: FeatureStatus,
    /// Required when declining (1 to 2000 characters), refused otherwise.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Plan, start, ship or decline a request (operators). Every linked
/// customer sees it on their timeline and every linked person gets one email.
#[utoipa::path(post, path = "/feature-requests/{id}/status", tag = "feedback", security(("token" = [])), params(("id" = i64, Path)),
    request_body = StatusBody,
    responses((status = 200, body = FeatureRequest), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_status(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<StatusBody>) -> Result<axum::Json<FeatureRequest>, AppError> {
    let change = FeatureChange { status: b.status, reason: b.reason };
    Ok(axum::Json(feedback::set_status(&state.exchange, &caller.principal(), id, &change).await?))
}

/// Who asked for this request, each customer once with everything they said
/// (also on duplicates merged into it). Operators only: it names customers.
#[utoipa::path(get, path = "/feature-requests/{id}/who-asked", tag = "feedback", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WhoAsked), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn who_asked(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<WhoAsked>, AppError> {
    Ok(axum::Json(feedback::who_asked(&state.exchange, &caller.principal(), id).await?))
}
