//! `/market`: the public market data page, no sign-in. The figures are the
//! API's (`exchange::market::data`); the charts are server-drawn SVG with a
//! text alternative, so the numbers reach screen readers too.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slivers_exchange::market;

use super::charts::{self, Bar};
use super::layout::{hours, render_status, Nav};
use super::PortalError;
use crate::AppState;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// One published cell as a table row.
pub struct Row {
    pub skill: String,
    pub region: String,
    pub pay: String,
    pub spread: String,
    pub fill: String,
    pub wait: String,
    pub crowd: String,
}

#[derive(Template)]
#[template(path = "market.html")]
struct Page {
    nav: Nav,
    k: usize,
    rows: Vec<Row>,
    suppressed: usize,
    pay_chart: String,
    day_chart: String,
    hour_chart: String,
}

/// Whole cents, for bar heights only (the table shows exact decimals).
fn cents(d: Decimal) -> i64 {
    (d * Decimal::from(100)).round().to_i64().unwrap_or(0)
}

pub async fn page(State(state): State<AppState>) -> Result<Response, PortalError> {
    let m = market::data(&state.exchange).await?;
    let rows = m
        .cells
        .iter()
        .map(|c| Row {
            skill: c.skill.clone(),
            region: c.region.clone(),
            pay: c.pay_median.to_string(),
            spread: format!("{} – {}", c.pay_p25.amount, c.pay_p75.amount),
            fill: format!("{}%", c.fill_rate_percent),
            wait: c.time_to_fill_minutes.map_or_else(|| "—".into(), hours),
            crowd: format!("{} businesses, {} workers, {} shifts", c.businesses, c.workers, c.shifts),
        })
        .collect();
    let pay_bars: Vec<Bar> = m
        .cells
        .iter()
        .map(|c| {
            let (lo, mid, hi) = (cents(c.pay_p25.amount), cents(c.pay_median.amount), cents(c.pay_p75.amount));
            Bar { label: format!("{} {}", c.skill, c.region.rsplit('/').next().unwrap_or(&c.region)), values: vec![lo, mid - lo, hi - mid] }
        })
        .collect();
    let pay_chart = charts::stacked_bars(
        "Pay per hour by cell: p25, then up to the median, then up to p75 (in cents of each cell's currency)",
        &["p25", "to median", "to p75"],
        &["#8c959f", "#0969da", "#54aeff"],
        &pay_bars,
        None,
        "cents",
    );
    // Demand summed over the published buckets only, so it adds nothing suppressed.
    let (mut by_day, mut by_hour) = ([0i64; 7], [0i64; 24]);
    for d in m.cells.iter().flat_map(|c| &c.demand) {
        by_day[usize::from(d.weekday) % 7] += i64::try_from(d.places).unwrap_or(0);
        by_hour[usize::from(d.hour) % 24] += i64::try_from(d.places).unwrap_or(0);
    }
    let day_bars: Vec<Bar> = DAYS.iter().zip(by_day).map(|(l, v)| Bar { label: (*l).into(), values: vec![v] }).collect();
    let hour_bars: Vec<Bar> = by_hour.iter().enumerate().map(|(h, v)| Bar { label: format!("{h:02}"), values: vec![*v] }).collect();
    let day_chart = charts::stacked_bars("Places demanded by local weekday of the shift's start", &["places"], &["#0969da"], &day_bars, None, "places");
    let hour_chart = charts::stacked_bars("Places demanded by local hour of the shift's start", &["places"], &["#1a7f37"], &hour_bars, None, "places");
    let page = Page { nav: Nav::anonymous(), k: m.k, rows, suppressed: m.cells_suppressed, pay_chart, day_chart, hour_chart };
    render_status(StatusCode::OK, &page)
}
