//! Situational assessments and portfolio review over HTTP: authoring, taking
//! (start or retake, hand in, ask questions), staff answers, grading by the
//! rubric, and a worker's portfolio items with the exchange's review. Every
//! decision is the use case's (`slivers_exchange::assessments`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::assessments::{Answer, AssessmentSpec, Grade};
use slivers_core::ids::WorkerId;
use slivers_core::skills::{Level, PortfolioKind, SkillCode};
use slivers_core::worker::Worker;
use slivers_exchange::assessments;
use slivers_store::{Assessment, AssessmentAttempt, AttemptFilter, AttemptStatus, AttemptThread, Question};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::checked_page;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_assessment))
        .routes(routes!(start))
        .routes(routes!(list_attempts))
        .routes(routes!(get_attempt))
        .routes(routes!(submit))
        .routes(routes!(ask))
        .routes(routes!(grade))
        .routes(routes!(answer))
        .routes(routes!(add_portfolio))
        .routes(routes!(review_portfolio))
}

/// Author an assessment: an operator's is exchange-wide, a business's is its
/// own (seen by it, its pool and operators). Scenarios are `text`, `choice`
/// (with `options`) or `practical` (handed in as a link or a file of at most
/// 256 KiB); the rubric's criteria and `questions_max` give the points, and
/// the score's share of them gives the level in fifths.
#[utoipa::path(post, path = "/assessments", tag = "assessments", security(("token" = [])), request_body = AssessmentSpec,
    responses((status = 201, body = Assessment), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create(State(state): State<AppState>, caller: Caller, Json(spec): Json<AssessmentSpec>) -> Result<(StatusCode, axum::Json<Assessment>), AppError> {
    Ok((StatusCode::CREATED, axum::Json(assessments::create(&state.exchange, &caller.principal(), &spec).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0, maximum = 100000)]
    pub offset: Option<i64>,
}

/// The assessments the caller may see.
#[utoipa::path(get, path = "/assessments", tag = "assessments", security(("token" = [])), params(PageQuery),
    responses((status = 200, body = [Assessment]), (status = 422, body = crate::Problem)))]
async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<PageQuery>) -> Result<axum::Json<Vec<Assessment>>, AppError> {
    let page = checked_page(q.limit, q.offset)?;
    Ok(axum::Json(assessments::list(&state.exchange, &caller.principal(), page).await?))
}

#[utoipa::path(get, path = "/assessments/{id}", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Assessment), (status = 404, body = crate::Problem)))]
async fn get_assessment(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Assessment>, AppError> {
    Ok(axum::Json(assessments::get(&state.exchange, &caller.principal(), id).await?))
}

/// Start an attempt (workers). After a fail this is the retake: refused
/// (409, rule `cool_down`) until the cool-down has passed, naming when it opens.
#[utoipa::path(post, path = "/assessments/{id}/attempts", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AssessmentAttempt), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem)))]
async fn start(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<(StatusCode, axum::Json<AssessmentAttempt>), AppError> {
    Ok((StatusCode::CREATED, axum::Json(assessments::start(&state.exchange, &caller.principal(), id).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttemptQuery {
    pub assessment_id: Option<i64>,
    pub worker_id: Option<i64>,
    pub status: Option<AttemptStatus>,
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0, maximum = 100000)]
    pub offset: Option<i64>,
}

/// Attempts the caller may see: a worker's own; a business's assessments'; operators all.
#[utoipa::path(get, path = "/assessment-attempts", tag = "assessments", security(("token" = [])), params(AttemptQuery),
    responses((status = 200, body = [AssessmentAttempt]), (status = 422, body = crate::Problem)))]
async fn list_attempts(State(state): State<AppState>, caller: Caller, Query(q): Query<AttemptQuery>) -> Result<axum::Json<Vec<AssessmentAttempt>>, AppError> {
    let page = checked_page(q.limit, q.offset)?;
    let f = AttemptFilter { assessment: q.assessment_id, worker: q.worker_id.map(WorkerId), status: q.status };
    Ok(axum::Json(assessments::attempts(&state.exchange, &caller.principal(), &f, page).await?))
}

/// An attempt with its answers and questions (the worker, the owning business, operators).
#[utoipa::path(get, path = "/assessment-attempts/{id}", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AttemptThread), (status = 404, body = crate::Problem)))]
async fn get_attempt(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<AttemptThread>, AppError> {
    Ok(axum::Json(assessments::attempt(&state.exchange, &caller.principal(), id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    pub answers: Vec<Answer>,
}

/// Hand in the answers (once). A hand-in after the time limit is marked `late`.
#[utoipa::path(post, path = "/assessment-attempts/{id}/submit", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = SubmitBody,
    responses((status = 200, body = AssessmentAttempt), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem),
        (status = 422, body = crate::Problem)))]
async fn submit(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<SubmitBody>) -> Result<axum::Json<AssessmentAttempt>, AppError> {
    Ok(axum::Json(assessments::submit(&state.exchange, &caller.principal(), id, &b.answers).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    /// 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub text: String,
}

/// Ask the staff on duty a question while the attempt is open (before its deadline).
#[utoipa::path(post, path = "/assessment-attempts/{id}/questions", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = TextBody,
    responses((status = 201, body = Question), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem),
        (status = 422, body = crate::Problem)))]
async fn ask(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<TextBody>) -> Result<(StatusCode, axum::Json<Question>), AppError> {
    Ok((StatusCode::CREATED, axum::Json(assessments::ask(&state.exchange, &caller.principal(), id, &b.text).await?)))
}

/// Answer a question (operators; a business for its own assessments), live or later, once.
#[utoipa::path(post, path = "/assessment-questions/{id}/answer", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = TextBody,
    responses((status = 200, body = Question), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn answer(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<TextBody>) -> Result<axum::Json<Question>, AppError> {
    Ok(axum::Json(assessments::answer(&state.exchange, &caller.principal(), id, &b.text).await?))
}

/// Grade a handed-in attempt by the rubric: `scores` per criterion, the
/// questions criterion's `questions_score`, and every question marked
/// relevant or not. The level and the assessment evidence follow.
#[utoipa::path(post, path = "/assessment-attempts/{id}/grade", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Grade,
    responses((status = 200, body = AssessmentAttempt), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn grade(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(g): Json<Grade>) -> Result<axum::Json<AssessmentAttempt>, AppError> {
    Ok(axum::Json(assessments::grade(&state.exchange, &caller.principal(), id, &g).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PortfolioBody {
    pub skill: SkillCode,
    /// What the item is (default: a work sample).
    #[serde(default)]
    pub category: PortfolioKind,
    /// 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// An http(s) link to the work.
    #[schema(max_length = 2000, pattern = r"^https?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$")]
    pub url: Option<String>,
}

/// The worker adds a portfolio item (unreviewed: it counts nothing until the exchange reviews it).
#[utoipa::path(post, path = "/workers/{id}/portfolio", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = PortfolioBody,
    responses((status = 200, body = Worker), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn add_portfolio(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<PortfolioBody>) -> Result<axum::Json<Worker>, AppError> {
    Ok(axum::Json(assessments::add_portfolio(&state.exchange, &caller.principal(), WorkerId(id), b.skill, b.category, &b.title, b.url).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub skill: SkillCode,
    /// Which evidence record of the claim (0-based).
    #[schema(maximum = 199)]
    pub index: usize,
    pub level: Level,
    /// What the reviewer checked, 1 to 2000 characters.
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub checked: String,
}

/// An operator reviews a portfolio item and records what they checked.
#[utoipa::path(post, path = "/workers/{id}/portfolio/review", tag = "assessments", security(("token" = [])), params(("id" = i64, Path)),
    request_body = ReviewBody,
    responses((status = 200, body = Worker), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn review_portfolio(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<ReviewBody>) -> Result<axum::Json<Worker>, AppError> {
    let w = assessments::review_portfolio(&state.exchange, &caller.principal(), WorkerId(id), &b.skill, b.index, b.level, &b.checked).await?;
    Ok(axum::Json(w))
}
