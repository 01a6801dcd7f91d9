//! The worker's "why not" page: every rule for the signed-in worker on one
//! open shift, framed for them by the same checker a business's explain uses.
//! Reached from "Work for me" and by pasting a shift's link or id.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use slivers_core::ids::ShiftId;
use slivers_core::rules::Mode;
use slivers_core::Zone;
use slivers_exchange::{matching, workers};

use super::layout::{hours, render_status, window, Nav};
use super::session::Session;
use super::worker::me;
use super::PortalError;
use crate::AppState;

/// One rule as a row.
pub struct RuleRow {
    pub rule: &'static str,
    pub pass: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "worker/why.html")]
struct Why {
    nav: Nav,
    shift_id: i64,
    when: String,
    length: String,
    place: String,
    pay: String,
    skills: String,
    distance: String,
    instant: bool,
    allowed: bool,
    failing: Vec<RuleRow>,
    passing: Vec<RuleRow>,
}

#[derive(Template)]
#[template(path = "worker/why_find.html")]
struct Find {
    nav: Nav,
    pasted: String,
    error: String,
}

#[derive(Deserialize)]
pub struct WhyParams {
    /// `instant` asks whether the business could book the worker straight
    /// away; the default asks whether it could send an offer.
    pub mode: Option<String>,
}

pub async fn page(State(state): State<AppState>, s: Session, Path(id): Path<i64>, Query(p): Query<WhyParams>) -> Result<Response, PortalError> {
    let worker = me(&s)?;
    let instant = p.mode.as_deref() == Some("instant");
    let mode = if instant { Mode::Instant } else { Mode::Offer };
    let who = s.principal();
    let why = matching::why_not(&state.exchange, &who, ShiftId(id), None, mode).await?;
    let zone: Zone = workers::profile(&state.exchange, &who, worker).await?.zone;
    let sh = &why.shift;
    let iv = slivers_core::Interval { start: sh.start, end: sh.end };
    let (mut failing, mut passing) = (Vec::new(), Vec::new());
    for c in why.checks {
        let row = RuleRow { rule: c.rule.as_str(), pass: c.pass, message: c.message };
        if row.pass { passing.push(row) } else { failing.push(row) }
    }
    let page = Why {
        nav: Nav::new(&s, "/w/work"),
        shift_id: id,
        when: format!("{} (your time, {})", window(iv, &zone), zone.name()),
        length: hours(iv.minutes()),
        place: format!("{} · {}", sh.business, sh.site.clone().unwrap_or_else(|| "Remote".into())),
        pay: format!("{} per hour", sh.pay_rate),
        skills: if sh.skills.is_empty() {
            "none".into()
        } else {
            sh.skills.iter().map(|r| format!("{} level {}", r.skill.as_str(), r.level.get())).collect::<Vec<_>>().join(", ")
        },
        distance: sh.distance_km.map_or_else(|| if sh.remote { "remote work".into() } else { "on site".into() }, |d| format!("{d} km from your home")),
        instant,
        allowed: why.allowed,
        failing,
        passing,
    };
    render_status(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct FindParams {
    pub shift: Option<String>,
}

/// The shift id in a pasted link ("…/shifts/123…", "/b/shifts/123") or a bare id.
pub fn shift_id_in(pasted: &str) -> Option<i64> {
    let t = pasted.trim();
    if let Ok(n) = t.trim_start_matches('#').parse::<i64>() {
        return (n > 0).then_some(n);
    }
    let after = t.rsplit_once("shifts/")?.1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// `/w/why?shift=<link or id>`: straight to that shift's page, or the form again.
pub async fn find(s: Session, Query(p): Query<FindParams>) -> Result<Response, PortalError> {
    me(&s)?;
    let pasted = p.shift.unwrap_or_default();
    if let Some(id) = shift_id_in(&pasted) {
        return Ok(Redirect::to(&format!("/w/shifts/{id}/why")).into_response());
    }
    let error = if pasted.is_empty() { String::new() } else { "That is not a shift link or id.".into() };
    let status = if pasted.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &Find { nav: Nav::new(&s, "/w/work"), pasted, error })
}

#[cfg(test)]
mod tests {
    use super::shift_id_in;

    #[test]
    fn finds_the_shift_in_what_is_pasted() {
        assert_eq!(shift_id_in("42"), Some(42));
        assert_eq!(shift_id_in(" #42 "), Some(42));
        assert_eq!(shift_id_in("https://slivers.example/b/shifts/17?x=1"), Some(17));
        assert_eq!(shift_id_in("/api/v1/shifts/9/why-not"), Some(9));
        assert_eq!(shift_id_in("/w/shifts/5/why"), Some(5));
        assert_eq!(shift_id_in("hello"), None);
        assert_eq!(shift_id_in("-3"), None);
    }
}
