//! Businesses, their sites, and their customer timeline.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use slivers_core::business::Site;
use slivers_core::geo::GeoPoint;
use slivers_core::labour::LabourRules;
use slivers_core::ids::{BusinessId, SiteId, WorkerId};
use slivers_core::{Currency, Zone};
use slivers_exchange::businesses;
use slivers_store::{Business, Event, EventFilter, NewBusiness, NewSite};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Paging;
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_business, list_businesses))
        .routes(routes!(get_business))
        .routes(routes!(create_site, list_sites))
        .routes(routes!(get_site))
        .routes(routes!(set_site_labour))
        .routes(routes!(business_events))
        .routes(routes!(list_events))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// Default zone for remote shifts.
    pub zone: Zone,
    pub currency: Currency,
}

/// Create a business (operators).
#[utoipa::path(post, path = "/businesses", tag = "businesses", security(("token" = [])), request_body = BusinessInput,
    responses((status = 201, body = Business), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_business(
    State(state): State<AppState>,
    caller: Caller,
    Json(b): Json<BusinessInput>,
) -> Result<(StatusCode, axum::Json<Business>), AppError> {
    let nb = NewBusiness { name: b.name, zone: b.zone, currency: b.currency };
    Ok((StatusCode::CREATED, axum::Json(businesses::create(&state.exchange, &caller.principal(), &nb).await?)))
}

/// Businesses the caller may see: their own, or all for operators.
#[utoipa::path(get, path = "/businesses", tag = "businesses", security(("token" = [])), params(Paging),
    responses((status = 200, body = [Business])))]
async fn list_businesses(State(state): State<AppState>, caller: Caller, Query(p): Query<Paging>) -> Result<axum::Json<Vec<Business>>, AppError> {
    Ok(axum::Json(businesses::list(&state.exchange, &caller.principal(), p.page()?).await?))
}

#[utoipa::path(get, path = "/businesses/{id}", tag = "businesses", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Business), (status = 404, body = crate::Problem)))]
async fn get_business(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Business>, AppError> {
    Ok(axum::Json(businesses::get(&state.exchange, &caller.principal(), BusinessId(id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    pub zone: Zone,
    pub location: GeoPoint,
}

/// Add a site to a business.
#[utoipa::path(post, path = "/businesses/{id}/sites", tag = "businesses", security(("token" = [])), params(("id" = i64, Path)),
    request_body = SiteInput, responses((status = 201, body = Site), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn create_site(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(s): Json<SiteInput>,
) -> Result<(StatusCode, axum::Json<Site>), AppError> {
    let ns = NewSite { business_id: BusinessId(id), name: s.name, zone: s.zone, location: s.location };
    Ok((StatusCode::CREATED, axum::Json(businesses::create_site(&state.exchange, &caller.principal(), &ns).await?)))
}

#[utoipa::path(get, path = "/businesses/{id}/sites", tag = "businesses", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = [Site]), (status = 404, body = crate::Problem)))]
async fn list_sites(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Vec<Site>>, AppError> {
    Ok(axum::Json(businesses::sites(&state.exchange, &caller.principal(), BusinessId(id)).await?))
}

#[utoipa::path(get, path = "/sites/{id}", tag = "businesses", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Site), (status = 404, body = crate::Problem)))]
async fn get_site(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Site>, AppError> {
    Ok(axum::Json(businesses::get_site(&state.exchange, &caller.principal(), SiteId(id)).await?))
}

/// Set a site's labour policy: consecutive days, days off, weekends and
/// forbidden successions. The one rule checker applies it, with each worker's
/// own rules (the stricter binds), to every booking at the site.
#[utoipa::path(put, path = "/sites/{id}/labour", tag = "businesses", security(("token" = [])), params(("id" = i64, Path)),
    request_body = LabourRules,
    responses((status = 200, body = Site), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_site_labour(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(r): Json<LabourRules>) -> Result<axum::Json<Site>, AppError> {
    Ok(axum::Json(businesses::set_site_labour(&state.exchange, &caller.principal(), SiteId(id), &r).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events after this sequence number (for tailing).
    pub after: Option<i64>,
    /// Operators: one business's events.
    pub business_id: Option<i64>,
    /// Operators: one worker's events.
    pub worker_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One customer's timeline: every booking, cancellation and change, in order.
#[utoipa::path(get, path = "/businesses/{id}/events", tag = "events", security(("token" = [])),
    params(("id" = i64, Path), Paging), responses((status = 200, body = [Event]), (status = 404, body = crate::Problem)))]
async fn business_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> Result<axum::Json<Vec<Event>>, AppError> {
    Ok(axum::Json(businesses::timeline(&state.exchange, &caller.principal(), BusinessId(id), p.page()?).await?))
}

/// The event log as the caller may see it: a business its own timeline, a
/// worker their own events, an operator everything.
#[utoipa::path(get, path = "/events", tag = "events", security(("token" = [])), params(EventQuery),
    responses((status = 200, body = [Event])))]
async fn list_events(State(state): State<AppState>, caller: Caller, Query(q): Query<EventQuery>) -> Result<axum::Json<Vec<Event>>, AppError> {
    let f = EventFilter { business: q.business_id.map(BusinessId), worker: q.worker_id.map(WorkerId), after_seq: q.after, ..Default::default() };
    let page = Paging { limit: q.limit, offset: q.offset }.page()?;
    Ok(axum::Json(businesses::events(&state.exchange, &caller.principal(), &f, page).await?))
}
