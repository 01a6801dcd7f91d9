//! `/op/outcomes`: what the real market delivered over the last days — the
//! same numbers, table and four charts `slivers simulate` reports for a
//! simulated month, from the same `slivers_outcomes::measure` over a record
//! read by `slivers_exchange::outcomes::record`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::SignedDuration;
use serde::Deserialize;
use slivers_core::Interval;

use super::layout::{render_status, Nav};
use super::operator::operator;
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// The longest look back the page offers.
const MAX_DAYS: i64 = 90;

#[derive(Deserialize)]
pub struct Params {
    days: Option<String>,
}

#[derive(Template)]
#[template(path = "operator/outcomes.html")]
struct Page {
    nav: Nav,
    days: i64,
    summary: String,
    rows: Vec<(String, String)>,
    charts: Vec<(String, String)>,
}

pub async fn page(State(state): State<AppState>, s: Session, Query(p): Query<Params>) -> Result<Response, PortalError> {
    operator(&s)?;
    let days = match p.days.as_deref().map(str::parse::<i64>) {
        None => 30,
        Some(Ok(d)) if (1..=MAX_DAYS).contains(&d) => d,
        Some(_) => return Err(PortalError::BadForm(format!("days: a whole number of days from 1 to {MAX_DAYS}"))),
    };
    let now = state.now();
    let period = Interval { start: now - SignedDuration::from_hours(24 * days), end: now };
    let record = slivers_exchange::outcomes::record(&state.exchange, &s.principal(), period).await?;
    let m = slivers_outcomes::measure(&record);
    let page = Page {
        nav: Nav::new(&s, "/op/outcomes"),
        days,
        summary: slivers_outcomes::summary_line(&m),
        rows: slivers_outcomes::headline_rows(&m),
        charts: slivers_outcomes::report::charts(&m),
    };
    render_status(StatusCode::OK, &page)
}
