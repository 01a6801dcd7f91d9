//! The week roster: a coverage grid (sites by days, each shift with its
//! filled and open places), a proposal for the open places from the roster
//! optimizer (`crate::roster`, the same code as the API), and applying it in
//! one transaction through the store, which re-checks every rule.

use std::collections::HashMap;

use askama::Template;
use slivers_exchange::{bookings, businesses};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use slivers_core::availability::local_week;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::Mode;
use slivers_core::{Interval, Zone};
use slivers_store::{BookMode, BookingFilter, Page, ShiftFilter};

use super::business::{fill_state, filled_by_shift, mine, worker_name};
use super::charts::{self, Bar};
use super::form::Posted;
use super::layout::{render_status, window, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// Optimizer time for a proposal made while the manager waits.
const PROPOSE_SECONDS: f64 = 1.0;

pub struct Chip {
    pub id: i64,
    pub time: String,
    pub filled: u32,
    pub headcount: u32,
    pub state: &'static str,
}

pub struct GridRow {
    pub site: String,
    pub cells: Vec<Vec<Chip>>,
}

#[derive(Template)]
#[template(path = "business/roster.html")]
struct Roster {
    nav: Nav,
    week: String,
    prev: String,
    next: String,
    site_name: String,
    days: Vec<String>,
    rows: Vec<GridRow>,
    chart: String,
    open: u32,
}

#[derive(Debug, Default, Deserialize)]
pub struct WeekParams {
    week: Option<String>,
}

/// The Monday of the week asked for (any date in it), or of this week.
fn monday(p: Option<&str>, zone: &Zone, now: jiff::Timestamp) -> Date {
    let d = p.and_then(|w| w.parse::<Date>().ok()).unwrap_or_else(|| zone.date(now));
    Zone::iso_week_start(d)
}

/// The business's open shifts in the week, optionally at one site.
async fn week_shifts(state: &AppState, s: &Session, b: BusinessId, week: Interval, site: Option<SiteId>) -> Result<Vec<Shift>, PortalError> {
    let filter = ShiftFilter { business: Some(b), from: Some(week.start), to: Some(week.end) };
    let mut shifts = businesses::shifts(&state.exchange, &s.principal(), &filter, Page::all()).await?;
    shifts.retain(|x| x.status == ShiftStatus::Open && (site.is_none() || x.site_id == site));
    Ok(shifts)
}

async fn roster(state: &AppState, s: &Session, site: Option<SiteId>, p: &WeekParams) -> Result<Response, PortalError> {
    let b = mine(s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    // Scoped read: another business's site is "not found".
    let site_name = match site {
        Some(id) => businesses::get_site(&state.exchange, &s.principal(), id).await?.name,
        None => "all sites".into(),
    };
    let zone = business.zone.clone();
    let mon = monday(p.week.as_deref(), &zone, state.now());
    let week = local_week(&zone, mon);
    let shifts = week_shifts(state, s, b, week, site).await?;
    let bookings = bookings::list(&state.exchange, &s.principal(), &BookingFilter::default(), Page::all()).await?;
    let filled = filled_by_shift(&bookings);
    let mut sites: Vec<(Option<SiteId>, String)> = businesses::sites(&state.exchange, &s.principal(), b).await?.into_iter().filter(|x| site.is_none() || Some(x.id) == site).map(|x| (Some(x.id), x.name)).collect();
    if site.is_none() && shifts.iter().any(|x| x.site_id.is_none()) {
        sites.push((None, "Remote".into()));
    }
    let dates: Vec<Date> = (0..7).map(|i| mon.checked_add(jiff::Span::new().days(i)).unwrap_or(mon)).collect();
    let mut per_day = vec![(0i64, 0i64); 7];
    let mut open = 0;
    let rows = sites
        .iter()
        .map(|(sid, name)| {
            let mut cells: Vec<Vec<Chip>> = (0..7).map(|_| Vec::new()).collect();
            for sh in shifts.iter().filter(|x| x.site_id == *sid) {
                let local = sh.window.start.to_zoned(sh.zone.tz().clone());
                let Some(i) = dates.iter().position(|d| *d == local.date()) else { continue };
                let f = filled.get(&sh.id).copied().unwrap_or(0);
                open += sh.headcount.saturating_sub(f);
                per_day[i].0 += i64::from(f.min(sh.headcount));
                per_day[i].1 += i64::from(sh.headcount.saturating_sub(f));
                let end = sh.window.end.to_zoned(sh.zone.tz().clone());
                cells[i].push(Chip { id: sh.id.0, time: format!("{}–{}", local.strftime("%H:%M"), end.strftime("%H:%M")), filled: f, headcount: sh.headcount, state: fill_state(f, sh.headcount) });
            }
            GridRow { site: name.clone(), cells }
        })
        .collect();
    let bars: Vec<Bar> = dates.iter().zip(&per_day).map(|(d, (f, o))| Bar { label: d.strftime("%a %-d").to_string(), values: vec![*f, *o] }).collect();
    let chart = charts::stacked_bars("Places filled and open each day of the week", &["filled", "open"], &["#1a7f37", "#d4a72c"], &bars, None, "places");
    let page = Roster {
        nav: Nav::new(s, "/b/roster"),
        week: mon.to_string(),
        prev: mon.checked_sub(jiff::Span::new().days(7)).unwrap_or(mon).to_string(),
        next: mon.checked_add(jiff::Span::new().days(7)).unwrap_or(mon).to_string(),
        site_name,
        days: dates.iter().map(|d| d.strftime("%a %-d %b").to_string()).collect(),
        rows,
        chart,
        open,
    };
    render_status(StatusCode::OK, &page)
}

pub async fn week(State(state): State<AppState>, s: Session, Query(p): Query<WeekParams>) -> Result<Response, PortalError> {
    roster(&state, &s, None, &p).await
}

pub async fn site_week(State(state): State<AppState>, s: Session, Path(id): Path<i64>, Query(p): Query<WeekParams>) -> Result<Response, PortalError> {
    roster(&state, &s, Some(SiteId(id)), &p).await
}

pub struct Line {
    pub shift_id: i64,
    pub worker_id: i64,
    pub when: String,
    pub worker: String,
}

#[derive(Template)]
#[template(path = "business/proposal.html")]
struct ProposalPage {
    nav: Nav,
    week: String,
    mode: &'static str,
    lines: Vec<Line>,
    unfilled: Vec<(i64, String, u32)>,
    summary: String,
    applied: Option<String>,
    refusal: Option<Refusal>,
}

fn mode_of(f: &super::form::Fields) -> (Mode, &'static str) {
    if f.get("mode") == Some("instant") { (Mode::Instant, "instant") } else { (Mode::Offer, "offer") }
}

/// Ask the roster optimizer for the week's open places (the same code as the
/// API's `POST /businesses/{id}/roster/propose`).
pub async fn propose(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let b = mine(&s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    let (mode, mode_name) = mode_of(&form.fields);
    let mon = monday(form.fields.get("week"), &business.zone, state.now());
    // An empty field is no fairness weight; the use case's own check names a bad one.
    let weight_text = form.fields.text("fairness_weight");
    let weight = match weight_text.trim() {
        "" => None,
        t => Some(t.parse::<f64>().map_err(|_| PortalError::BadForm("fairness_weight".into()))?),
    };
    let range = local_week(&business.zone, mon);
    let (range, seconds, weight) = slivers_exchange::roster::checked_request(range.start, Some(range.end), Some(PROPOSE_SECONDS), weight)?;
    let p = slivers_exchange::roster::propose(&state.exchange, &s.principal(), b, range, mode, seconds, weight).await?;
    let mut shifts: HashMap<ShiftId, Shift> = HashMap::new();
    for id in p.assignments.iter().map(|a| a.shift_id).chain(p.unfilled.iter().map(|u| u.shift_id)) {
        if let std::collections::hash_map::Entry::Vacant(v) = shifts.entry(id) {
            v.insert(businesses::get_shift(&state.exchange, &s.principal(), id).await?);
        }
    }
    let when_of = |id: ShiftId| shifts.get(&id).map(|x| window(x.window, &x.zone)).unwrap_or_default();
    let mut lines: Vec<Line> = p
        .assignments
        .iter()
        .map(|a| Line { shift_id: a.shift_id.0, worker_id: a.worker_id.0, when: when_of(a.shift_id), worker: worker_name(&state, a.worker_id) })
        .collect();
    lines.sort_by_key(|l| (shifts.get(&ShiftId(l.shift_id)).map(|x| x.window.start), l.worker_id));
    let unfilled = p.unfilled.iter().map(|u| (u.shift_id.0, when_of(u.shift_id), u.places)).collect();
    let summary = format!(
        "{} places proposed over {} shifts from {} candidates; objective {} against a lower bound of {:.0} (gap {:.1}%), in {:.2} s.",
        p.assignments.len(),
        p.shifts,
        p.candidates,
        p.objective,
        p.bound,
        p.gap * 100.0,
        p.seconds
    );
    let summary = match &p.cost_only {
        None => summary,
        Some(c) => format!(
            "{summary} Fairness weighed at {}: spread of hours against what each candidate wants {:.3}, against {:.3} for the best-match roster (objective {}), {} places moved.",
            p.fairness_weight, p.fairness_spread, c.fairness_spread, c.objective, c.moved
        ),
    };
    let page = ProposalPage { nav: Nav::new(&s, "/b/roster"), week: mon.to_string(), mode: mode_name, lines, unfilled, summary, applied: None, refusal: None };
    render_status(StatusCode::OK, &page)
}

/// Apply the proposal in one transaction that re-checks every rule: all
/// bookings (or offers) are written, or none, and a refusal names the rule.
pub async fn apply(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let b = mine(&s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    let (_, mode_name) = mode_of(&form.fields);
    let mode = if mode_name == "instant" { BookMode::Instant } else { BookMode::Offer };
    let now = state.now();
    let mut planned = Vec::new();
    let mut lines = Vec::new();
    for v in form.fields.all("line") {
        let parsed = v.split_once(':').and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
        let Some((sid, wid)) = parsed else { return Err(PortalError::BadForm(format!("`{v}` is not a roster line"))) };
        // Scoped read: another business's shift is "not found".
        let shift = businesses::get_shift(&state.exchange, &s.principal(), ShiftId(sid)).await?;
        lines.push(Line { shift_id: sid, worker_id: wid, when: window(shift.window, &shift.zone), worker: worker_name(&state, WorkerId(wid)) });
        planned.push(slivers_exchange::roster::Planned { shift_id: shift.id, worker_id: WorkerId(wid) });
    }
    if planned.is_empty() {
        return Err(PortalError::BadForm("the roster has no lines".into()));
    }
    let (applied, refusal, status) = match slivers_exchange::roster::apply(&state.exchange, &s.principal(), b, &planned, mode).await {
        Ok(done) => {
            (Some(format!("Applied: {} {}.", done.len(), if mode == BookMode::Instant { "bookings confirmed" } else { "offers sent" })), None, StatusCode::OK)
        }
        Err(e) => (None, Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    let mon = monday(form.fields.get("week"), &business.zone, now);
    let page = ProposalPage { nav: Nav::new(&s, "/b/roster"), week: mon.to_string(), mode: mode_name, lines, unfilled: Vec::new(), summary: String::new(), applied, refusal };
    render_status(status, &page)
}
