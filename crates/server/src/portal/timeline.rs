//! The customer timeline in the portal: a business's and a worker's own,
//! and any customer's for operators. One page over the timeline use case.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::Zone;
use slivers_exchange::timeline::{self, Who, CATEGORIES};
use slivers_exchange::{businesses, workers};
use slivers_store::{Owner, Page};

use super::layout::{render_status, when, Nav};
use super::operator::operator;
use super::session::Session;
use super::PortalError;
use crate::AppState;

#[derive(Deserialize)]
pub struct Filter {
    #[serde(default)]
    category: String,
}

pub struct Row {
    pub at: String,
    pub category: &'static str,
    pub who: &'static str,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct View {
    nav: Nav,
    title: String,
    zone: String,
    categories: Vec<&'static str>,
    selected: String,
    rows: Vec<Row>,
}

async fn show(state: &AppState, s: &Session, current: &str, title: String, zone: Zone, customer: Owner, filter: Filter) -> Result<Response, PortalError> {
    let categories = match timeline::parse_categories(Some(&filter.category)) {
        Ok(c) => c,
        Err(_) => return Err(PortalError::BadForm(format!("unknown category `{}`", filter.category))),
    };
    let items = timeline::timeline(&state.exchange, &s.principal(), customer, &categories, Page::new(Some(500), None)).await?;
    let rows = items
        .into_iter()
        .map(|i| Row {
            at: when(i.at, &zone),
            category: i.category.as_str(),
            who: match i.who {
                Who::Customer => if s.scope() == slivers_store::Scope::All { "the customer" } else { "you" },
                Who::Counterpart => match customer { Owner::Business(_) => "the worker", Owner::Worker(_) => "the business" },
                Who::Operator => "an operator",
                Who::Exchange => "Slivers",
            },
            summary: i.summary,
        })
        .collect();
    let view = View {
        nav: Nav::new(s, current),
        title,
        zone: zone.name().to_string(),
        categories: CATEGORIES.iter().map(|c| c.as_str()).collect(),
        selected: filter.category,
        rows,
    };
    render_status(StatusCode::OK, &view)
}

pub async fn business_own(State(state): State<AppState>, s: Session, Query(f): Query<Filter>) -> Result<Response, PortalError> {
    let b = s.principal().business().ok_or(PortalError::NotFound("page"))?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    show(&state, &s, "/b/timeline", "Your timeline".into(), business.zone, Owner::Business(b), f).await
}

pub async fn worker_own(State(state): State<AppState>, s: Session, Query(f): Query<Filter>) -> Result<Response, PortalError> {
    let w = s.principal().worker().ok_or(PortalError::NotFound("page"))?;
    let worker = workers::profile(&state.exchange, &s.principal(), w).await?;
    show(&state, &s, "/w/timeline", "Your timeline".into(), worker.zone, Owner::Worker(w), f).await
}

pub async fn business_for_operator(State(state): State<AppState>, s: Session, Path(id): Path<i64>, Query(f): Query<Filter>) -> Result<Response, PortalError> {
    operator(&s)?;
    let b = businesses::get(&state.exchange, &s.principal(), BusinessId(id)).await?;
    show(&state, &s, "", format!("Timeline: {} (business {id})", b.name), b.zone, Owner::Business(b.id), f).await
}

pub async fn worker_for_operator(State(state): State<AppState>, s: Session, Path(id): Path<i64>, Query(f): Query<Filter>) -> Result<Response, PortalError> {
    operator(&s)?;
    let w = workers::profile(&state.exchange, &s.principal(), WorkerId(id)).await?;
    show(&state, &s, "", format!("Timeline: {} (worker {id})", w.name), w.zone, Owner::Worker(w.id), f).await
}
