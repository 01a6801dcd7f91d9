//! The operator's view: the market at a glance (fill rate, time to fill,
//! no-shows, open offers, latest bookings), workers and businesses, and any
//! customer's event timeline.
//!
//! The overview reads every shift, booking and event, so it is computed once
//! per change to the event log and shared: pages stay fast under load and are
//! never staler than the last write this server has seen.

use std::collections::HashMap;
use std::sync::Mutex;

use askama::Template;
use slivers_exchange::{bookings, businesses, workers};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use slivers_core::booking::BookingStatus;
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_core::Zone;
use slivers_store::{BookingFilter, EventFilter, Page, Scope, ShiftFilter};

use super::business::worker_name;
use super::charts::{self, Bar};
use super::layout::{hours, render_status, when, Nav};
use super::session::Session;
use super::PortalError;
use crate::AppState;

pub(super) fn operator(s: &Session) -> Result<(), PortalError> {
    match s.scope() {
        Scope::All => Ok(()),
        _ => Err(PortalError::NotFound("page")),
    }
}

pub struct Recent {
    pub at: String,
    pub kind: String,
    pub worker: String,
    pub business: String,
    pub shift: i64,
}

#[derive(Clone)]
struct Overview {
    seq: i64,
    fill_rate: String,
    places: String,
    time_to_fill: String,
    no_shows: String,
    open_offers: i64,
    chart: String,
    recent: Vec<(String, String, Option<WorkerId>, Option<BusinessId>, i64)>,
    names: HashMap<BusinessId, String>,
}

static CACHE: std::sync::LazyLock<Mutex<Option<Overview>>> = std::sync::LazyLock::new(|| Mutex::new(None));

#[derive(Template)]
#[template(path = "operator/home.html")]
struct Home {
    nav: Nav,
    fill_rate: String,
    places: String,
    time_to_fill: String,
    no_shows: String,
    open_offers: i64,
    chart: String,
    recent: Vec<Recent>,
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

async fn compute(state: &AppState, s: &Session, seq: i64) -> Result<Overview, PortalError> {
    let now = state.now();
    let who = s.principal();
    let from = now - SignedDuration::from_hours(24 * 7);
    let to = now + SignedDuration::from_hours(24 * 28);
    let ex = &state.exchange;
    let shifts = businesses::shifts(ex, &who, &ShiftFilter { business: None, from: Some(from), to: Some(to) }, Page::all()).await?;
    let bookings = bookings::list(ex, &who, &BookingFilter::default(), Page::all()).await?;
    let events = businesses::events(ex, &who, &EventFilter::default(), Page::all()).await?;
    let names: HashMap<BusinessId, String> = businesses::list(ex, &who, Page::all()).await?.into_iter().map(|b| (b.id, b.name)).collect();

    let mut held: HashMap<ShiftId, u32> = HashMap::new();
    for b in bookings.iter().filter(|b| b.status.holds_time()) {
        *held.entry(b.shift_id).or_default() += 1;
    }
    let open_shifts: Vec<_> = shifts.iter().filter(|s| s.status == slivers_core::business::ShiftStatus::Open).collect();
    let need: u64 = open_shifts.iter().map(|s| u64::from(s.headcount)).sum();
    let got: u64 = open_shifts.iter().map(|s| u64::from(held.get(&s.id).copied().unwrap_or(0).min(s.headcount))).sum();
    let fill_rate = if need == 0 { "no shifts".into() } else { format!("{}.{}%", got * 100 / need, (got * 1000 / need) % 10) };

    // Time to fill: from a shift's posting to the confirmation that reached its headcount.
    let headcount: HashMap<ShiftId, u32> = shifts.iter().map(|s| (s.id, s.headcount)).collect();
    let mut posted: HashMap<ShiftId, Timestamp> = HashMap::new();
    let mut confirmed: HashMap<ShiftId, Vec<Timestamp>> = HashMap::new();
    for e in &events {
        match (e.kind.as_str(), e.shift_id) {
            ("shift.posted", Some(id)) => {
                posted.insert(id, e.at);
            }
            ("booking.confirmed", Some(id)) => confirmed.entry(id).or_default().push(e.at),
            _ => {}
        }
    }
    let fills: Vec<i64> = confirmed
        .iter()
        .filter_map(|(id, ts)| {
            let n = *headcount.get(id)? as usize;
            let at = ts.get(n.checked_sub(1)?)?;
            Some((at.as_second() - posted.get(id)?.as_second()) / 60)
        })
        .collect();
    let filled_shifts = fills.len();
    let time_to_fill = match median(fills) {
        Some(m) => {
            let t = if m < 1 { "under a minute".to_string() } else { hours(m) };
            format!("{t} median over {filled_shifts} filled shift{}", if filled_shifts == 1 { "" } else { "s" })
        }
        None => "no shift filled yet".into(),
    };

    let completed = bookings.iter().filter(|b| b.status == BookingStatus::Completed).count();
    let no_show = bookings.iter().filter(|b| b.status == BookingStatus::NoShow).count();
    let no_shows = if completed + no_show == 0 { "0 (no finished bookings yet)".into() } else { format!("{no_show} ({}% of finished bookings)", no_show * 100 / (completed + no_show)) };
    let open_offers = bookings.iter().filter(|b| b.status == BookingStatus::Offered && b.offer_expires_at.is_none_or(|t| t > now)).count() as i64;

    // Filled and open places per UTC day for the next fortnight.
    let utc = Zone::utc();
    let today = utc.date(now);
    let mut bars = Vec::new();
    let mut d = today;
    for _ in 0..14 {
        let (mut f, mut o) = (0i64, 0i64);
        for s in open_shifts.iter().filter(|s| utc.date(s.window.start) == d) {
            let h = held.get(&s.id).copied().unwrap_or(0).min(s.headcount);
            f += i64::from(h);
            o += i64::from(s.headcount - h);
        }
        bars.push(Bar { label: d.strftime("%-d").to_string(), values: vec![f, o] });
        d = d.tomorrow().unwrap_or(d);
    }
    let chart = charts::stacked_bars("Places filled and open per day, next fortnight (UTC)", &["filled", "open"], &["#1a7f37", "#d4a72c"], &bars, None, "places");
    let recent = events
        .iter()
        .rev()
        .filter(|e| e.kind.starts_with("booking."))
        .take(12)
        .map(|e| (when(e.at, &utc), e.kind.clone(), e.worker_id, e.business_id, e.shift_id.map_or(0, |s| s.0)))
        .collect();
    Ok(Overview {
        seq,
        fill_rate,
        places: format!("{got} of {need} places filled on shifts from a week ago to four weeks ahead"),
        time_to_fill,
        no_shows,
        open_offers,
        chart,
        recent,
        names,
    })
}

pub async fn home(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    operator(&s)?;
    let seq = businesses::last_event_seq(&state.exchange).await?;
    let cached = CACHE.lock().unwrap_or_else(|p| p.into_inner()).clone().filter(|o| o.seq == seq);
    let o = match cached {
        Some(o) => o,
        None => {
            let o = compute(&state, &s, seq).await?;
            *CACHE.lock().unwrap_or_else(|p| p.into_inner()) = Some(o.clone());
            o
        }
    };
    let recent = o
        .recent
        .iter()
        .map(|(at, kind, w, b, shift)| Recent {
            at: at.clone(),
            kind: kind.trim_start_matches("booking.").replace('_', " "),
            worker: w.map(|w| worker_name(&state, w)).unwrap_or_default(),
            business: b.and_then(|b| o.names.get(&b).cloned()).unwrap_or_default(),
            shift: *shift,
        })
        .collect();
    let page = Home { nav: Nav::new(&s, "/op"), fill_rate: o.fill_rate, places: o.places, time_to_fill: o.time_to_fill, no_shows: o.no_shows, open_offers: o.open_offers, chart: o.chart, recent };
    render_status(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    page: Option<i64>,
}

pub struct WorkerRow {
    pub id: i64,
    pub name: String,
    pub zone: String,
    pub caps: String,
    pub skills: String,
    pub instant: bool,
}

#[derive(Template)]
#[template(path = "operator/workers.html")]
struct Workers {
    nav: Nav,
    rows: Vec<WorkerRow>,
    page: i64,
    more: bool,
}

/// Workers per page: each is decoded with its availability and skills.
const PER_PAGE: i64 = 25;

pub async fn workers(State(state): State<AppState>, s: Session, Query(p): Query<PageParams>) -> Result<Response, PortalError> {
    operator(&s)?;
    let page = p.page.unwrap_or(1).max(1);
    let list = workers::list(&state.exchange, &s.principal(), Page::new(Some(PER_PAGE + 1), Some((page - 1) * PER_PAGE))).await?;
    let more = list.len() as i64 > PER_PAGE;
    let rows = list
        .into_iter()
        .take(PER_PAGE as usize)
        .map(|w| WorkerRow {
            id: w.id.0,
            caps: format!("{} a day, {} a week", hours(i64::from(w.limits.max_minutes_per_day)), hours(i64::from(w.limits.max_minutes_per_week))),
            skills: w.skills.iter().map(|c| format!("{} {}", c.skill.as_str(), c.effective_level().get())).collect::<Vec<_>>().join(", "),
            zone: w.zone.name().to_string(),
            instant: w.instant_book,
            name: w.name,
        })
        .collect();
    render_status(StatusCode::OK, &Workers { nav: Nav::new(&s, "/op/workers"), rows, page, more })
}

#[derive(Template)]
#[template(path = "operator/businesses.html")]
struct Businesses {
    nav: Nav,
    rows: Vec<(i64, String, String, String)>,
}

pub async fn businesses(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    operator(&s)?;
    let rows = businesses::list(&state.exchange, &s.principal(), Page::all()).await?.into_iter().map(|b| (b.id.0, b.name, b.zone.name().to_string(), b.currency.to_string())).collect();
    render_status(StatusCode::OK, &Businesses { nav: Nav::new(&s, "/op/businesses"), rows })
}

