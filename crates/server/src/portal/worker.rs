//! The worker's home: this week's booked minutes against the caps (a chart),
//! offers to accept or decline, upcoming bookings (on the business's clock
//! too where it differs), and work that fits with the reasons it fits.

use std::collections::HashMap;

use askama::Template;
use slivers_exchange::matching::{self, ShiftFit};
use slivers_exchange::{bookings, businesses, workers};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::Timestamp;
use slivers_core::availability::local_day;
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::ids::{BookingId, BusinessId, WorkerId};
use slivers_core::rules::Mode;
use slivers_core::worker::Worker;
use slivers_core::Zone;
use slivers_store::{Booking, BookingFilter, Page, Scope};

use super::charts::{self, Bar};
use super::clocks::Clocks;
use super::form::Posted;
use super::layout::{hours, is_htmx, render_status, when, window, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// The signed-in worker's id, or "not found" for anyone else: other roles have no worker pages.
pub fn me(s: &Session) -> Result<WorkerId, PortalError> {
    match s.scope() {
        Scope::Worker(w) if w.0 > 0 => Ok(w),
        _ => Err(PortalError::NotFound("page")),
    }
}

/// One booking or offer as a row.
pub struct BookingRow {
    pub id: i64,
    pub when: String,
    pub business: String,
    pub length: String,
    pub pay: String,
    pub status: &'static str,
    pub expires: String,
}

/// One open shift that fits, with the score parts and the rules it passes.
pub struct FitRow {
    pub shift_id: i64,
    pub when: String,
    pub place: String,
    pub pay: String,
    pub score: String,
    pub parts: Vec<(&'static str, String)>,
    pub why: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "worker/home.html")]
struct Home {
    nav: Nav,
    name: String,
    zone: String,
    notice: String,
    refusal: Option<Refusal>,
    week_chart: String,
    week_meter: String,
    offers: Vec<BookingRow>,
    upcoming: Vec<BookingRow>,
    fits: Vec<FitRow>,
    fits_total: usize,
}

#[derive(Template)]
#[template(path = "worker/work.html")]
struct Work {
    nav: Nav,
    zone: String,
    /// The paste-a-link form on the page starts empty.
    pasted: String,
    fits: Vec<FitRow>,
}

/// Business and site names for display. Neither can be renamed through the
/// API, so they are cached for the life of the process: a worker's pages list
/// several shifts and would otherwise ask the database for the same names
/// again and again. (If renaming is ever added, clear this on rename.)
static NAMES: std::sync::LazyLock<std::sync::RwLock<HashMap<(u8, i64), String>>> = std::sync::LazyLock::new(Default::default);

struct Names<'a> {
    state: &'a AppState,
}

impl Names<'_> {
    fn cached(key: (u8, i64)) -> Option<String> {
        NAMES.read().ok().and_then(|m| m.get(&key).cloned())
    }

    fn remember(key: (u8, i64), name: &str) {
        if let Ok(mut m) = NAMES.write() {
            m.insert(key, name.to_string());
        }
    }

    async fn business(&mut self, id: BusinessId) -> String {
        if let Some(n) = Self::cached((b'b', id.0)) {
            return n;
        }
        // Workers may see who they work for; the name is not tenant data.
        match businesses::business_name(&self.state.exchange, id).await {
            Ok(name) => {
                Self::remember((b'b', id.0), &name);
                name
            }
            Err(_) => format!("Business {id}"),
        }
    }

    async fn site(&mut self, id: Option<slivers_core::ids::SiteId>) -> String {
        let Some(id) = id else { return "Remote".into() };
        if let Some(n) = Self::cached((b's', id.0)) {
            return n;
        }
        match businesses::site_name(&self.state.exchange, id).await {
            Ok(name) => {
                Self::remember((b's', id.0), &name);
                name
            }
            Err(_) => "a site".into(),
        }
    }
}

async fn row(b: &Booking, zone: &Zone, names: &mut Names<'_>, clocks: &mut Clocks<'_>) -> BookingRow {
    BookingRow {
        id: b.id.0,
        when: clocks.for_worker(b.window, zone, b.shift_id).await,
        business: names.business(b.business_id).await,
        length: hours(b.window.minutes()),
        pay: b.pay.to_string(),
        status: b.status.as_str(),
        expires: b.offer_expires_at.map(|t| when(t, zone)).unwrap_or_default(),
    }
}

/// The open shifts that fit `worker`, best first, each with its "why".
pub async fn fits(state: &AppState, s: &Session, worker: &Worker, limit: usize) -> Result<(Vec<FitRow>, usize), PortalError> {
    let who = s.principal();
    let all = matching::shifts_for(&state.exchange, &who, worker.id, Some(200)).await?;
    let total = all.len();
    let mut names = Names { state };
    let mut out = Vec::with_capacity(limit.min(total));
    for ShiftFit { fit: m, shift } in all.into_iter().take(limit) {
        let verdict = matching::explain(&state.exchange, &who, shift.id, worker.id, Mode::Offer).await.ok();
        let site = names.site(shift.site_id).await;
        let s = m.score;
        out.push(FitRow {
            shift_id: shift.id.0,
            when: super::layout::window_both(shift.window, &worker.zone, &shift.zone, "at the business"),
            place: format!("{} · {}", names.business(shift.business_id).await, site),
            pay: format!("{} per hour", shift.pay_rate),
            score: format!("{:.0}", s.total * 100.0),
            parts: vec![
                ("skill fit", pct(s.skill_fit)),
                ("reputation", pct(s.reputation)),
                ("reliability", pct(s.reliability)),
                ("distance", pct(s.distance)),
                ("pay headroom", pct(s.cost)),
                ("fairness", pct(s.fairness)),
            ],
            why: verdict.map(|v| v.checks.into_iter().filter(|c| c.pass).map(|c| (c.rule.as_str().to_string(), c.message)).collect()).unwrap_or_default(),
        });
    }
    Ok((out, total))
}

fn pct(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Minutes booked on each local day of this ISO week and the next (Monday
/// first), and each week's total.
fn week_minutes(worker: &Worker, bookings: &[Booking], now: Timestamp) -> (Vec<(String, i64)>, [i64; 2]) {
    let monday = Zone::iso_week_start(worker.zone.date(now));
    let mut days = Vec::with_capacity(14);
    let mut d = monday;
    for _ in 0..14 {
        let day = local_day(&worker.zone, d);
        let m: i64 = bookings.iter().filter(|b| b.status.holds_time()).filter_map(|b| b.window.intersection(&day)).map(|iv| iv.minutes()).sum();
        days.push((d.strftime("%a %-d").to_string(), m));
        d = d.tomorrow().unwrap_or(d);
    }
    let this: i64 = days[..7].iter().map(|(_, m)| m).sum();
    let next: i64 = days[7..].iter().map(|(_, m)| m).sum();
    (days, [this, next])
}

async fn home_page(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<Home, PortalError> {
    let id = me(s)?;
    let worker = workers::profile(&state.exchange, &s.principal(), id).await?;
    let now = state.now();
    let bookings = bookings::list(&state.exchange, &s.principal(), &BookingFilter { worker: Some(id), ..Default::default() }, Page::all()).await?;
    let mut names = Names { state };
    let mut clocks = Clocks::new(state, s.principal());
    let mut offers = Vec::new();
    let mut upcoming = Vec::new();
    let mut sorted: Vec<&Booking> = bookings.iter().collect();
    sorted.sort_by_key(|b| b.window.start);
    for b in sorted {
        if b.status == BookingStatus::Offered && b.offer_expires_at.is_none_or(|t| t > now) {
            offers.push(row(b, &worker.zone, &mut names, &mut clocks).await);
        } else if b.status.holds_time() && b.window.end > now {
            upcoming.push(row(b, &worker.zone, &mut names, &mut clocks).await);
        }
    }
    let (days, totals) = week_minutes(&worker, &bookings, now);
    let cap = i64::from(worker.limits.max_minutes_per_week);
    let bars: Vec<Bar> = days.iter().map(|(l, m)| Bar { label: l.clone(), values: vec![*m] }).collect();
    let week_chart = charts::stacked_bars(
        "Minutes booked each day, this week and next",
        &["booked"],
        &["#0969da"],
        &bars,
        Some((i64::from(worker.limits.max_minutes_per_day), "daily cap")),
        "min",
    );
    let meter = |which: &str, total: i64| {
        charts::meter(
            &format!("Minutes booked {which} against the weekly cap"),
            total,
            cap,
            &format!("{which}: {total} of {cap} minutes booked ({} of {})", hours(total), hours(cap)),
        )
    };
    let week_meter = format!("{}{}", meter("this week", totals[0]), meter("next week", totals[1]));
    let (fits, fits_total) = fits(state, s, &worker, 5).await?;
    Ok(Home {
        nav: Nav::new(s, "/w"),
        name: worker.name.clone(),
        zone: worker.zone.name().to_string(),
        notice,
        refusal,
        week_chart,
        week_meter,
        offers,
        upcoming,
        fits,
        fits_total,
    })
}

pub async fn home(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let page = home_page(&state, &s, String::new(), None).await?;
    render_status(StatusCode::OK, &page)
}

pub async fn work(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let id = me(&s)?;
    let worker = workers::profile(&state.exchange, &s.principal(), id).await?;
    let (fits, _) = fits(&state, &s, &worker, 30).await?;
    render_status(StatusCode::OK, &Work { nav: Nav::new(&s, "/w/work"), zone: worker.zone.name().to_string(), pasted: String::new(), fits })
}

/// Accept, decline or cancel one of the worker's own bookings. Accepting
/// re-checks every hard limit in the store; a refusal is shown by rule.
pub async fn act(State(state): State<AppState>, headers: HeaderMap, Path((id, action)): Path<(i64, String)>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    me(&s)?;
    let a = match action.as_str() {
        "accept" => BookingAction::Accept,
        "decline" => BookingAction::Decline,
        "cancel" => BookingAction::CancelByWorker,
        _ => return Err(PortalError::NotFound("action")),
    };
    // The store scopes the booking to this worker: anyone else's is "not found".
    bookings::get(&state.exchange, &s.principal(), BookingId(id)).await?;
    let zone = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?.zone;
    let (notice, refusal, status) = match slivers_exchange::bookings::act(&state.exchange, &s.principal(), BookingId(id), a).await {
        Ok(b) => {
            let msg = match a {
                BookingAction::Accept => format!("Accepted: you are booked {}.", window(b.window, &zone)),
                BookingAction::Decline => "Declined.".to_string(),
                _ => format!("Cancelled with {} notice.", hours(b.cancel_notice_minutes.unwrap_or(0))),
            };
            (msg, None, StatusCode::OK)
        }
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    let page = home_page(&state, &s, notice, refusal).await?;
    // htmx swaps only successful responses; the refusal is in the page either way.
    render_status(if is_htmx(&headers) { StatusCode::OK } else { status }, &page)
}
