//! The audit log of operator actions (`GET /audit`): read-only, for operators.
//! No route updates or deletes events; the database refuses it too.

use axum::extract::State;
use slivers_exchange::audit;
use slivers_store::Event;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::assessments::PageQuery;
use super::checked_page;
use crate::auth::Caller;
use crate::extract::Query;
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Every action an operator's login took (grading, billing runs, credit
/// notes, dispute resolutions, inquiry answers, settings…), newest first,
/// each event naming the operator in `actor_user_id`. Operators only; the
/// log is append-only and no route changes it.
#[utoipa::path(get, path = "/audit", tag = "events", security(("token" = [])), params(PageQuery),
    responses((status = 200, body = [Event]), (status = 401, body = crate::Problem), (status = 403, body = crate::Problem),
        (status = 422, body = crate::Problem)))]
async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<PageQuery>) -> Result<axum::Json<Vec<Event>>, AppError> {
    let page = checked_page(q.limit, q.offset)?;
    Ok(axum::Json(audit::operator_actions(&state.exchange, &caller.principal(), page).await?))
}
