//! The worker's limits (caps, blackouts, notice, rest, rate, reach, instant
//! booking) and skills with their evidence. People think in hours; the domain
//! keeps minutes, converted exactly with decimals.

use askama::Template;
use slivers_exchange::{businesses, workers};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Time;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slivers_core::availability::WeeklyWindow;
use slivers_core::geo::GeoPoint;
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode};
use slivers_core::worker::{Reach, Worker};
use slivers_core::zone::parse_weekday;

use super::account::{City, CITIES};
use super::form::{Fields, Posted};
use super::labour::LabourForm;
use super::layout::{field_errors, render_status, Nav};
use super::session::Session;
use super::worker::me;
use super::PortalError;
use crate::AppState;

#[derive(Template)]
#[template(path = "worker/limits.html")]
struct LimitsPage {
    nav: Nav,
    zone: String,
    daily_hours: String,
    weekly_hours: String,
    notice_hours: String,
    rest_hours: String,
    wanted_hours: String,
    min_rate: String,
    currency: String,
    remote: bool,
    radius_km: u32,
    cities: &'static [City],
    instant_book: bool,
    blackouts: Vec<(usize, String)>,
    labour: LabourForm,
    notice: String,
    errors: Vec<(String, String)>,
}

fn h(minutes: u32) -> String {
    (Decimal::from(minutes) / Decimal::from(60)).normalize().to_string()
}

fn limits_page(s: &Session, w: &Worker, notice: String, errors: Vec<(String, String)>) -> LimitsPage {
    let l = &w.limits;
    let (remote, radius_km) = match w.reach {
        Reach::RemoteOnly => (true, 25),
        Reach::Travel { radius_km, .. } => (false, radius_km),
    };
    LimitsPage {
        nav: Nav::new(s, "/w/limits"),
        zone: w.zone.name().to_string(),
        daily_hours: h(l.max_minutes_per_day),
        weekly_hours: h(l.max_minutes_per_week),
        notice_hours: h(l.min_notice_minutes),
        rest_hours: h(l.min_rest_minutes),
        wanted_hours: h(w.wanted_minutes_per_week),
        min_rate: w.min_rate.amount.to_string(),
        currency: w.min_rate.currency.to_string(),
        remote,
        radius_km,
        cities: CITIES,
        instant_book: w.instant_book,
        blackouts: l
            .blackouts
            .iter()
            .enumerate()
            .map(|(i, b)| (i, format!("{} {}–{}", capital(b.weekday), b.start.strftime("%H:%M"), b.end.strftime("%H:%M"))))
            .collect(),
        labour: super::labour::form(&l.labour, "/w/limits/labour".into(), "mine", "(yours)".into()),
        notice,
        errors,
    }
}

fn capital(w: jiff::civil::Weekday) -> String {
    format!("{w:?}")
}

pub async fn limits(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    render_status(StatusCode::OK, &limits_page(&s, &w, String::new(), Vec::new()))
}

/// Hours typed by a person (e.g. "7.5") as whole minutes.
fn minutes(f: &Fields, name: &str, label: &str, errors: &mut Vec<(String, String)>) -> u32 {
    let v = f.text(name);
    match v.parse::<Decimal>().ok().map(|d| (d * Decimal::from(60)).round()).and_then(|m| m.to_u32()) {
        Some(m) => m,
        None => {
            errors.push((label.to_string(), format!("`{v}` is not a number of hours")));
            0
        }
    }
}

/// Save a profile the worker edited, through the use case: evidence the
/// exchange wrote is kept, and only the exchange may add more.
pub(super) async fn save_profile(state: &AppState, s: &Session, w: Worker) -> Result<Result<Worker, slivers_core::Invalid>, PortalError> {
    let id = w.id;
    match slivers_exchange::workers::amend(&state.exchange, &s.principal(), id, move |x| *x = w).await {
        Ok(w) => Ok(Ok(w)),
        Err(slivers_exchange::ExchangeError::Invalid(i)) => Ok(Err(i)),
        Err(e) => Err(e.into()),
    }
}

async fn save(state: &AppState, s: &Session, w: Worker, shown_on_error: &Worker, notice: String, render: fn(&Session, &Worker, String, Vec<(String, String)>) -> Result<Response, PortalError>) -> Result<Response, PortalError> {
    match save_profile(state, s, w).await? {
        Ok(w) => render(s, &w, notice, Vec::new()),
        Err(i) => {
            let mut res = render(s, shown_on_error, String::new(), field_errors(i))?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

fn render_limits(s: &Session, w: &Worker, notice: String, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &limits_page(s, w, notice, errors))
}

pub async fn save_limits(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let f = &form.fields;
    let before = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let mut w = before.clone();
    let mut errors = Vec::new();
    w.limits.max_minutes_per_day = minutes(f, "daily_hours", "daily cap", &mut errors);
    w.limits.max_minutes_per_week = minutes(f, "weekly_hours", "weekly cap", &mut errors);
    w.limits.min_notice_minutes = minutes(f, "notice_hours", "notice", &mut errors);
    w.limits.min_rest_minutes = minutes(f, "rest_hours", "rest", &mut errors);
    w.wanted_minutes_per_week = minutes(f, "wanted_hours", "hours wanted", &mut errors);
    match f.text("min_rate").parse::<Decimal>() {
        Ok(a) => w.min_rate.amount = a,
        Err(_) => errors.push(("minimum rate".into(), "enter an amount like 12.50".into())),
    }
    w.instant_book = f.has("instant_book");
    let home = match (&before.reach, super::account::city(&f.text("city"))) {
        (_, Some(c)) => Some(GeoPoint { lat: c.lat, lon: c.lon }),
        (Reach::Travel { home, .. }, None) => Some(*home),
        (Reach::RemoteOnly, None) => None,
    };
    w.reach = if f.get("reach") == Some("remote") {
        Reach::RemoteOnly
    } else {
        match (home, f.text("radius_km").parse::<u32>()) {
            (Some(home), Ok(radius_km)) => Reach::Travel { home, radius_km },
            (None, _) => {
                errors.push(("home".into(), "choose the city you travel from".into()));
                before.reach
            }
            (_, Err(_)) => {
                errors.push(("travel radius".into(), "enter whole kilometres".into()));
                before.reach
            }
        }
    };
    if !errors.is_empty() {
        let mut res = render_limits(&s, &before, String::new(), errors)?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let notice = format!("Saved. Weekly cap {} h, daily cap {} h.", h(w.limits.max_minutes_per_week), h(w.limits.max_minutes_per_day));
    save(&state, &s, w, &before, notice, render_limits).await
}

/// The worker's own labour rules; the use case validates the numbers.
pub async fn save_labour(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let before = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let rules = match super::labour::parse(&form.fields) {
        Ok(r) => r,
        Err(errors) => {
            let mut res = render_limits(&s, &before, String::new(), errors)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    let mut w = before.clone();
    w.limits.labour = rules;
    let notice = format!("Labour rules saved: {}.", super::labour::summary(&w.limits.labour));
    save(&state, &s, w, &before, notice, render_limits).await
}

pub async fn add_blackout(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let f = &form.fields;
    let before = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let mut w = before.clone();
    let day = parse_weekday(&f.text("weekday"));
    let (start, end) = (f.text("start").parse::<Time>(), f.text("end").parse::<Time>());
    let (Some(weekday), Ok(start), Ok(end)) = (day, start, end) else {
        let mut res = render_limits(&s, &before, String::new(), vec![("blackout".into(), "choose a day and enter times like 18:00".into())])?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    };
    w.limits.blackouts.push(WeeklyWindow { weekday, start, end });
    save(&state, &s, w, &before, "Blackout added: no booking will touch it.".into(), render_limits).await
}

pub async fn remove_blackout(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let before = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let mut w = before.clone();
    let i: usize = form.fields.text("index").parse().map_err(|_| PortalError::BadForm("index".into()))?;
    if i >= w.limits.blackouts.len() {
        return Err(PortalError::NotFound("blackout"));
    }
    w.limits.blackouts.remove(i);
    save(&state, &s, w, &before, "Blackout removed.".into(), render_limits).await
}

pub struct ClaimRow {
    pub code: String,
    pub name: String,
    pub claimed: u8,
    pub effective: u8,
    pub evidence: Vec<String>,
}

#[derive(Template)]
#[template(path = "worker/skills.html")]
struct SkillsPage {
    nav: Nav,
    claims: Vec<ClaimRow>,
    taxonomy: Vec<(String, String)>,
    notice: String,
    errors: Vec<(String, String)>,
}

fn evidence_text(e: &Evidence) -> String {
    match e {
        Evidence::Assessment { level, .. } => format!("assessment passed at level {}", level.get()),
        Evidence::VerifiedMinutes { minutes } => format!("{} verified hours", minutes / 60),
        Evidence::Rating { stars, .. } => format!("rated {stars} of 5 by a business"),
        Evidence::Portfolio { category, title, review: Some(r), .. } => format!("portfolio, {}: {title} (reviewed at level {})", category.label(), r.level.get()),
        Evidence::Portfolio { category, title, review: None, .. } => format!("portfolio, {}: {title} (not yet reviewed)", category.label()),
        Evidence::Certificate { name } => format!("certificate: {name}"),
        Evidence::SelfDeclared => "self-declared".into(),
    }
}

async fn skills_page(state: &AppState, s: &Session, w: &Worker, notice: String, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    let taxonomy = businesses::skills(&state.exchange).await?;
    let name = |code: &str| taxonomy.iter().find(|(c, _)| c == code).map_or_else(|| code.to_string(), |(_, n)| n.clone());
    let claims = w
        .skills
        .iter()
        .map(|c| ClaimRow {
            code: c.skill.as_str().to_string(),
            name: name(c.skill.as_str()),
            claimed: c.claimed.get(),
            effective: c.effective_level().get(),
            evidence: c.evidence.iter().map(evidence_text).collect(),
        })
        .collect();
    render_status(StatusCode::OK, &SkillsPage { nav: Nav::new(s, "/w/skills"), claims, taxonomy, notice, errors })
}

pub async fn skills(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    let w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    skills_page(&state, &s, &w, String::new(), Vec::new()).await
}

/// Add a skill claim, or change its level; a certificate named here is added as evidence.
pub async fn add_skill(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let f = &form.fields;
    let before = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let mut w = before.clone();
    let code = SkillCode::parse(&f.text("skill"));
    let level = f.text("claimed").parse::<u8>().ok().and_then(|n| Level::new(n).ok());
    let (Ok(code), Some(level)) = (code, level) else {
        return skills_page(&state, &s, &before, String::new(), vec![("skill".into(), "choose a skill and a level from 1 to 5".into())]).await;
    };
    // The portal has no way to add exchange-only evidence; a crafted post that
    // tries is refused by name, like the API, and changes nothing.
    if let Some(kind) = f.get("evidence").filter(|k| *k != "certificate" && *k != "self_declared") {
        let reason = format!("`{kind}` is written only by the exchange from its own records; declare the skill or attach a certificate");
        let mut res = skills_page(&state, &s, &before, String::new(), vec![("evidence".into(), reason)]).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let certificate = f.text("certificate");
    let at = match w.skills.iter().position(|c| c.skill == code) {
        Some(i) => i,
        None => {
            w.skills.push(SkillClaim { skill: code.clone(), claimed: level, evidence: vec![Evidence::SelfDeclared] });
            w.skills.len() - 1
        }
    };
    let claim = &mut w.skills[at];
    claim.claimed = level;
    if !certificate.is_empty() {
        claim.evidence.push(Evidence::Certificate { name: certificate });
    }
    let effective = claim.effective_level().get();
    let notice = format!("Saved {}: claimed {}, evidence supports level {effective}.", code.as_str(), level.get());
    match save_profile(&state, &s, w).await? {
        Ok(w) => skills_page(&state, &s, &w, notice, Vec::new()).await,
        Err(i) => skills_page(&state, &s, &before, String::new(), field_errors(i)).await,
    }
}

pub async fn remove_skill(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let mut w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
    let code = form.fields.text("skill");
    w.skills.retain(|c| c.skill.as_str() != code);
    let w = save_profile(&state, &s, w).await?.map_err(|i| PortalError::BadForm(i.to_string()))?;
    skills_page(&state, &s, &w, format!("Removed {code}."), Vec::new()).await
}

/// Export a signed reputation record of the ticked skills, as a download
/// (`exchange::reputation::export`, the same record the API gives).
pub async fn export_reputation(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let skills: Vec<String> = form.fields.all("skills").map(str::to_string).collect();
    if skills.is_empty() {
        let w = workers::profile(&state.exchange, &s.principal(), me(&s)?).await?;
        let mut res = skills_page(&state, &s, &w, String::new(), vec![("skills".into(), "tick at least one skill to export".into())]).await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let request = slivers_exchange::reputation::ExportRequest { skills };
    let vc = slivers_exchange::reputation::export(&state.exchange, &s.principal(), me(&s)?, &request).await?;
    let body = serde_json::to_string_pretty(&vc).map_err(|e| PortalError::Internal(e.to_string()))?;
    Ok((
        StatusCode::OK,
        [
            (axum::http::header::CONTENT_TYPE, "application/vc+json; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"slivers-reputation.json\""),
        ],
        body,
    )
        .into_response())
}
