//! The business: home (upcoming shifts and how full they are), sites, posting
//! shifts, a shift's candidates with score parts, "why not" for any named
//! worker, instant booking and offers, and cancelling with the notice shown.

use std::collections::HashMap;

use askama::Template;
use slivers_exchange::{ExchangeError, bookings, businesses, matching};
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::{Date, Time};
use jiff::SignedDuration;
use rust_decimal::Decimal;
use serde::Deserialize;
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::business::Shift;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::Mode;
use slivers_core::skills::{Level, SkillCode, SkillRequirement};
use slivers_core::{Interval, Money, Zone};
use slivers_store::{BookMode, Booking, BookingFilter, NewShift, NewSite, Page, Scope, ShiftFilter};

use super::account::{City, CITIES};
use super::charts::{self, Bar};
use super::clocks::Clocks;
use super::form::Posted;
use super::layout::{field_errors, hours, render_status, when, window, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// The signed-in member's business; other roles have no business pages.
pub fn mine(s: &Session) -> Result<BusinessId, PortalError> {
    match s.scope() {
        Scope::Business(b) => Ok(b),
        _ => Err(PortalError::NotFound("page")),
    }
}

/// A worker's display name from the matching index (no database trip).
pub fn worker_name(state: &AppState, id: WorkerId) -> String {
    slivers_exchange::workers::name(&state.exchange, id).unwrap_or_else(|| format!("Worker {id}"))
}

/// Places held (confirmed and later) per shift, from one list of bookings.
pub fn filled_by_shift(bookings: &[Booking]) -> HashMap<ShiftId, u32> {
    let mut m = HashMap::new();
    for b in bookings.iter().filter(|b| b.status.holds_time()) {
        *m.entry(b.shift_id).or_insert(0) += 1;
    }
    m
}

pub struct ShiftRow {
    pub id: i64,
    pub when: String,
    pub site: String,
    pub skills: String,
    pub filled: u32,
    pub headcount: u32,
    pub state: &'static str,
}

pub fn skills_text(s: &Shift) -> String {
    if s.skills.is_empty() {
        "any".into()
    } else {
        s.skills.iter().map(|r| format!("{} ≥ {}", r.skill.as_str(), r.level.get())).collect::<Vec<_>>().join(", ")
    }
}

pub fn fill_state(filled: u32, headcount: u32) -> &'static str {
    if filled >= headcount {
        "full"
    } else if filled > 0 {
        "part"
    } else {
        "open"
    }
}

#[derive(Template)]
#[template(path = "business/home.html")]
struct Home {
    nav: Nav,
    name: String,
    shifts: Vec<ShiftRow>,
    chart: String,
    open_places: u32,
}

pub async fn home(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let b = mine(&s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    let now = state.now();
    let horizon = now + SignedDuration::from_hours(24 * 14);
    let filter = ShiftFilter { business: Some(b), from: Some(now), to: Some(horizon) };
    let shifts = businesses::shifts(&state.exchange, &s.principal(), &filter, Page::new(Some(200), None)).await?;
    let bookings = bookings::list(&state.exchange, &s.principal(), &BookingFilter::default(), Page::all()).await?;
    let filled = filled_by_shift(&bookings);
    let sites: HashMap<SiteId, String> = businesses::sites(&state.exchange, &s.principal(), b).await?.into_iter().map(|x| (x.id, x.name)).collect();
    let mut rows = Vec::new();
    let mut per_day: Vec<(Date, i64, i64)> = Vec::new();
    let mut d = business.zone.date(now);
    for _ in 0..14 {
        per_day.push((d, 0, 0));
        d = d.tomorrow().unwrap_or(d);
    }
    let mut open_places = 0;
    for sh in shifts.iter().filter(|x| x.status == slivers_core::business::ShiftStatus::Open) {
        let f = filled.get(&sh.id).copied().unwrap_or(0);
        open_places += sh.headcount.saturating_sub(f);
        if let Some(day) = per_day.iter_mut().find(|(d, _, _)| *d == sh.zone.date(sh.window.start)) {
            day.1 += i64::from(f.min(sh.headcount));
            day.2 += i64::from(sh.headcount.saturating_sub(f));
        }
        rows.push(ShiftRow {
            id: sh.id.0,
            when: window(sh.window, &sh.zone),
            site: sh.site_id.and_then(|id| sites.get(&id).cloned()).unwrap_or_else(|| "Remote".into()),
            skills: skills_text(sh),
            filled: f,
            headcount: sh.headcount,
            state: fill_state(f, sh.headcount),
        });
    }
    let bars: Vec<Bar> = per_day.iter().map(|(d, f, o)| Bar { label: d.strftime("%a %-d").to_string(), values: vec![*f, *o] }).collect();
    let chart = charts::stacked_bars("Places filled and open, next fourteen days", &["filled", "open"], &["#1a7f37", "#d4a72c"], &bars, None, "places");
    render_status(StatusCode::OK, &Home { nav: Nav::new(&s, "/b"), name: business.name, shifts: rows, chart, open_places })
}

#[derive(Template)]
#[template(path = "business/sites.html")]
struct Sites {
    nav: Nav,
    sites: Vec<(i64, String, String)>,
    /// Each site's labour policy form, with the site's name.
    policies: Vec<(String, super::labour::LabourForm)>,
    cities: &'static [City],
    notice: String,
    errors: Vec<(String, String)>,
}

async fn sites_page(state: &AppState, s: &Session, notice: String, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    let b = mine(s)?;
    let all = businesses::sites(&state.exchange, &s.principal(), b).await?;
    let policies = all
        .iter()
        .map(|x| (x.name.clone(), super::labour::form(&x.labour, format!("/b/sites/{}/labour", x.id.0), &format!("site{}", x.id.0), format!("for {}", x.name))))
        .collect();
    let sites = all.into_iter().map(|x| (x.id.0, x.name, x.zone.name().to_string())).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &Sites { nav: Nav::new(s, "/b/sites"), sites, policies, cities: CITIES, notice, errors })
}

pub async fn sites(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    sites_page(&state, &s, String::new(), Vec::new()).await
}

pub async fn add_site(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let b = mine(&s)?;
    let name = form.fields.text("name");
    let Some(city) = super::account::city(&form.fields.text("city")) else {
        return sites_page(&state, &s, String::new(), vec![("city".into(), "choose a city".into())]).await;
    };
    let zone = Zone::parse(city.zone).map_err(|e| PortalError::Internal(e.to_string()))?;
    let site = NewSite { business_id: b, name: name.clone(), zone, location: GeoPoint { lat: city.lat, lon: city.lon } };
    match businesses::create_site(&state.exchange, &s.principal(), &site).await {
        Ok(_) => sites_page(&state, &s, format!("Added site {name}."), Vec::new()).await,
        Err(ExchangeError::Invalid(i)) => sites_page(&state, &s, String::new(), field_errors(i)).await,
        Err(e) => Err(e.into()),
    }
}

/// A site's labour policy, through the same use case as the API.
pub async fn save_site_labour(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let rules = match super::labour::parse(&form.fields) {
        Ok(r) => r,
        Err(errors) => return sites_page(&state, &s, String::new(), errors).await,
    };
    match businesses::set_site_labour(&state.exchange, &s.principal(), slivers_core::ids::SiteId(id), &rules).await {
        Ok(site) => sites_page(&state, &s, format!("Labour policy for {} saved: {}.", site.name, super::labour::summary(&site.labour)), Vec::new()).await,
        Err(ExchangeError::Invalid(i)) => sites_page(&state, &s, String::new(), field_errors(i)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "business/shift_new.html")]
struct NewShiftPage {
    nav: Nav,
    sites: Vec<(i64, String)>,
    taxonomy: Vec<(String, String)>,
    currency: String,
    date: String,
    errors: Vec<(String, String)>,
}

async fn new_shift_page(state: &AppState, s: &Session, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    let b = mine(s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    let sites = businesses::sites(&state.exchange, &s.principal(), b).await?.into_iter().map(|x| (x.id.0, x.name)).collect();
    let date = business.zone.date(state.now()).tomorrow().map(|d| d.to_string()).unwrap_or_default();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = NewShiftPage { nav: Nav::new(s, "/b/shifts/new"), sites, taxonomy: businesses::skills(&state.exchange).await?, currency: business.currency.to_string(), date, errors };
    render_status(status, &page)
}

pub async fn new_shift(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    new_shift_page(&state, &s, Vec::new()).await
}

/// Post a shift from the form: local date and times at the site (or the
/// business's zone when remote); an end at or before the start ends next day.
pub async fn create_shift(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let f = &form.fields;
    let b = mine(&s)?;
    let business = businesses::get(&state.exchange, &s.principal(), b).await?;
    let mut errors = Vec::new();
    let site_id = match f.text("site").as_str() {
        "remote" | "" => None,
        v => v.parse::<i64>().ok().map(SiteId),
    };
    let zone = match site_id {
        Some(id) => businesses::get_site(&state.exchange, &s.principal(), id).await.map(|x| x.zone).map_err(|_| ("site".to_string(), "choose one of your sites".to_string())),
        None => Ok(business.zone.clone()),
    };
    let date = f.text("date").parse::<Date>().map_err(|_| ("date".to_string(), "enter a date like 2026-12-05".to_string()));
    let start = f.text("start").parse::<Time>().map_err(|_| ("start".to_string(), "enter a time like 09:00".to_string()));
    let end = f.text("end").parse::<Time>().map_err(|_| ("end".to_string(), "enter a time like 17:00".to_string()));
    let money = |name: &str| f.text(name).parse::<Decimal>().map(|a| Money::new(a, business.currency)).map_err(|_| (name.replace('_', " "), "enter an amount like 13.50".to_string()));
    let (pay, bill) = (money("pay_rate"), money("bill_rate"));
    let headcount = f.text("headcount").parse::<u32>().map_err(|_| ("headcount".to_string(), "enter a whole number of people".to_string()));
    let skill = match f.text("skill").as_str() {
        "" => Ok(Vec::new()),
        code => match (SkillCode::parse(code), f.text("level").parse::<u8>().ok().and_then(|n| Level::new(n).ok())) {
            (Ok(skill), Some(level)) => Ok(vec![SkillRequirement { skill, level }]),
            _ => Err(("skill".to_string(), "choose a skill and a level from 1 to 5".to_string())),
        },
    };
    let (zone, date, start, end, pay, bill, headcount, skills) = match (zone, date, start, end, pay, bill, headcount, skill) {
        (Ok(z), Ok(d), Ok(s1), Ok(e1), Ok(p), Ok(bl), Ok(h), Ok(k)) => (z, d, s1, e1, p, bl, h, k),
        (z, d, s1, e1, p, bl, h, k) => {
            errors.extend([z.err(), d.err(), s1.err(), e1.err(), p.err(), bl.err(), h.err(), k.err()].into_iter().flatten());
            return new_shift_page(&state, &s, errors).await;
        }
    };
    let start_at = zone.resolve(date.to_datetime(start));
    let end_date = if end <= start { date.tomorrow().unwrap_or(date) } else { date };
    let end_at = zone.resolve(end_date.to_datetime(end));
    let window = match Interval::new(start_at, end_at) {
        Ok(w) => w,
        Err(i) => return new_shift_page(&state, &s, field_errors(i)).await,
    };
    let ns = NewShift { business_id: b, site_id, window, skills, headcount, pay_rate: pay, bill_rate: bill, notes: f.text("notes") };
    match businesses::post_shift(&state.exchange, &s.principal(), &ns).await {
        Ok(shift) => Ok((StatusCode::SEE_OTHER, [(LOCATION, format!("/b/shifts/{}", shift.id))]).into_response()),
        Err(ExchangeError::Invalid(i)) => new_shift_page(&state, &s, field_errors(i)).await,
        Err(e) => Err(e.into()),
    }
}

pub struct CandidateRow {
    pub id: i64,
    pub name: String,
    /// 1 is the best.
    pub rank: usize,
    pub parts: Vec<(&'static str, String)>,
}

pub struct BookingRow {
    pub id: i64,
    pub worker: String,
    /// The shift on the site's clock and, where it differs, the worker's.
    pub when: String,
    pub status: &'static str,
    pub mode: &'static str,
    pub live: bool,
}

#[derive(Template)]
#[template(path = "business/shift.html")]
struct ShiftPage {
    nav: Nav,
    id: i64,
    when: String,
    zone: String,
    site: String,
    skills: String,
    pay: String,
    headcount: u32,
    filled: u32,
    notes: String,
    bookings: Vec<BookingRow>,
    mode: &'static str,
    q: String,
    candidates: Vec<CandidateRow>,
    why: Option<(i64, String, Vec<(String, bool, String)>)>,
    notice: String,
    refusal: Option<Refusal>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShiftParams {
    mode: Option<String>,
    q: Option<String>,
    why: Option<String>,
}

/// The shift page; `q` filters candidates by name, `why` explains one worker.
async fn shift_page(state: &AppState, s: &Session, id: i64, p: &ShiftParams, notice: String, refusal: Option<Refusal>) -> Result<ShiftPage, PortalError> {
    mine(s)?;
    // Scoped read: another business's shift is "not found".
    let shift = businesses::get_shift(&state.exchange, &s.principal(), ShiftId(id)).await?;
    let bookings = bookings::list(&state.exchange, &s.principal(), &BookingFilter { shift: Some(shift.id), ..Default::default() }, Page::all()).await?;
    let filled = bookings.iter().filter(|b| b.status.holds_time()).count() as u32;
    let site = match shift.site_id {
        Some(sid) => businesses::get_site(&state.exchange, &s.principal(), sid).await.map_or_else(|_| "a site".into(), |x| x.name),
        None => "Remote".into(),
    };
    let mode = if p.mode.as_deref() == Some("offer") { Mode::Offer } else { Mode::Instant };
    let q = p.q.clone().unwrap_or_default().trim().to_lowercase();
    // Candidates and "why not" come from the use cases, so a business sees what
    // the API shows it: rank and public score parts, verdicts without the
    // worker's private numbers.
    let who = s.principal();
    let limit = if q.is_empty() { 25 } else { 500 };
    let candidates: Vec<CandidateRow> = matching::candidates(&state.exchange, &who, shift.id, mode, Some(limit))
        .await?
        .into_iter()
        .filter(|c| q.is_empty() || c.name.to_lowercase().contains(&q))
        .take(25)
        .map(|c| {
            let mut parts = vec![("skill", pct(c.skill_fit)), ("reputation", pct(c.reputation)), ("reliability", pct(c.reliability))];
            if let Some(band) = c.distance_band {
                parts.push(("distance", band));
            }
            CandidateRow { id: c.worker_id.0, name: c.name, rank: c.rank, parts }
        })
        .collect();
    let why = match p.why.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => None,
        Some(w) => {
            let wid = w.parse::<i64>().unwrap_or(-1);
            match matching::explain(&state.exchange, &who, shift.id, WorkerId(wid), mode).await {
                Ok(v) => Some((wid, worker_name(state, WorkerId(wid)), v.checks.into_iter().map(|c| (c.rule.as_str().to_string(), c.pass, c.message)).collect())),
                Err(slivers_exchange::ExchangeError::NotFound(_)) => Some((wid, String::new(), vec![("worker".into(), false, format!("there is no worker {w}"))])),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let mut clocks = Clocks::new(state, s.principal());
    let mut rows: Vec<BookingRow> = Vec::with_capacity(bookings.len());
    for b in &bookings {
        let live = b.status.holds_time() || b.status == BookingStatus::Offered;
        let when = clocks.for_business(b.window, &shift.zone, b.worker_id).await;
        rows.push(BookingRow { id: b.id.0, worker: worker_name(state, b.worker_id), when, status: b.status.as_str(), mode: b.mode.as_str(), live });
    }
    rows.sort_by_key(|r| !r.live);
    Ok(ShiftPage {
        nav: Nav::new(s, ""),
        id,
        when: window(shift.window, &shift.zone),
        zone: shift.zone.name().to_string(),
        site,
        skills: skills_text(&shift),
        pay: format!("{} per hour (billed {})", shift.pay_rate, shift.bill_rate),
        headcount: shift.headcount,
        filled,
        notes: shift.notes.clone(),
        bookings: rows,
        mode: if mode == Mode::Offer { "offer" } else { "instant" },
        q: p.q.clone().unwrap_or_default(),
        candidates,
        why,
        notice,
        refusal,
    })
}

fn pct(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

pub async fn shift(State(state): State<AppState>, s: Session, Path(id): Path<i64>, Query(p): Query<ShiftParams>) -> Result<Response, PortalError> {
    let page = shift_page(&state, &s, id, &p, String::new(), None).await?;
    render_status(StatusCode::OK, &page)
}

/// Book a worker onto the shift, instantly or by offer. The store re-runs the
/// rule checker in its transaction; a refusal is shown with each rule's name.
pub async fn book(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    mine(&s)?;
    let shift = businesses::get_shift(&state.exchange, &s.principal(), ShiftId(id)).await?;
    let mode = if form.fields.get("mode") == Some("offer") { BookMode::Offer } else { BookMode::Instant };
    let wid = form.fields.text("worker_id").parse::<i64>().unwrap_or(-1);
    let p = ShiftParams { mode: Some(mode.as_str().into()), ..Default::default() };
    // Offers lapse after a day, or when the shift starts if sooner.
    let now = state.now();
    let expires = (mode == BookMode::Offer).then(|| (now + SignedDuration::from_hours(24)).min(shift.window.start));
    let (notice, refusal, status) = match bookings::book(&state.exchange, &s.principal(), shift.id, WorkerId(wid), mode, expires).await {
        Ok(b) => {
            let name = worker_name(&state, b.worker_id);
            let msg = match b.status {
                BookingStatus::Confirmed => format!("Booked {name}: confirmed for {}.", window(b.window, &shift.zone)),
                _ => format!("Offer sent to {name}; it lapses {}.", b.offer_expires_at.map(|t| when(t, &shift.zone)).unwrap_or_default()),
            };
            (msg, None, StatusCode::OK)
        }
        Err(ExchangeError::NotFound("worker")) => {
            let r = Refusal { summary: "No such worker.".into(), rules: vec![("worker".into(), format!("there is no worker {wid}"))] };
            (String::new(), Some(r), StatusCode::NOT_FOUND)
        }
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    let page = shift_page(&state, &s, id, &p, notice, refusal).await?;
    render_status(status, &page)
}

#[derive(Template)]
#[template(path = "business/booking.html")]
pub(super) struct BookingPage {
    nav: Nav,
    id: i64,
    shift_id: i64,
    worker: String,
    when: String,
    status: &'static str,
    mode: &'static str,
    pay: String,
    can_cancel: bool,
    can_withdraw: bool,
    notice_if_now: String,
    notice: String,
    refusal: Option<Refusal>,
    /// The messages with the worker (`contact::messages`).
    pub(super) conversation: super::contact::Conversation,
}

pub(super) async fn booking_page(state: &AppState, s: &Session, id: i64, notice: String, refusal: Option<Refusal>) -> Result<BookingPage, PortalError> {
    mine(s)?;
    let b = bookings::get(&state.exchange, &s.principal(), BookingId(id)).await?;
    let shift = businesses::get_shift(&state.exchange, &s.principal(), b.shift_id).await?;
    let now = state.now();
    let ahead = (b.window.start.as_second() - now.as_second()).max(0) / 60;
    Ok(BookingPage {
        nav: Nav::new(s, ""),
        id,
        shift_id: b.shift_id.0,
        worker: worker_name(state, b.worker_id),
        when: Clocks::new(state, s.principal()).for_business(b.window, &shift.zone, b.worker_id).await,
        status: b.status.as_str(),
        mode: b.mode.as_str(),
        pay: b.pay.to_string(),
        can_cancel: b.status.apply(BookingAction::CancelByBusiness).is_ok(),
        can_withdraw: b.status.apply(BookingAction::Withdraw).is_ok(),
        notice_if_now: hours(ahead),
        notice,
        refusal,
        conversation: super::contact::conversation(state, s, &b, &shift.zone, worker_name(state, b.worker_id)).await?,
    })
}

pub async fn booking(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    let page = booking_page(&state, &s, id, String::new(), None).await?;
    render_status(StatusCode::OK, &page)
}

/// Cancel a confirmed booking (or withdraw an offer); the notice given is recorded and shown.
pub async fn cancel(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    mine(&s)?;
    let b = bookings::get(&state.exchange, &s.principal(), BookingId(id)).await?;
    let action = if b.status == BookingStatus::Offered { BookingAction::Withdraw } else { BookingAction::CancelByBusiness };
    let (notice, refusal, status) = match bookings::act(&state.exchange, &s.principal(), b.id, action).await {
        Ok(done) => {
            let msg = match done.cancel_notice_minutes {
                Some(m) => format!("Cancelled with {} notice to the worker.", hours(m)),
                None => "Offer withdrawn.".to_string(),
            };
            (msg, None, StatusCode::OK)
        }
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    let page = booking_page(&state, &s, id, notice, refusal).await?;
    render_status(status, &page)
}
