//! Portfolio evidence in the portal, over `slivers_exchange::assessments`:
//! a worker adds items (a work sample, a volunteer project, a project of
//! their own, with a link) and sees each one's review state
//! (`/w/portfolio`); operators work through the items waiting for review and
//! record the level the work shows and what they checked (`/op/portfolio`,
//! each form posting to `/op/workers/{id}/portfolio/review`). Only the
//! exchange reviews: every other visitor gets a 404 for the operator's pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slivers_core::ids::WorkerId;
use slivers_core::skills::{Level, PortfolioKind, SkillCode};
use slivers_core::validation::Collector;
use slivers_core::Invalid;
use slivers_exchange::assessments::{self, PortfolioItem};
use slivers_exchange::{businesses, workers, ExchangeError};

use super::contact::refused;
use super::form::Posted;
use super::layout::{render_status, Nav, Refusal};
use super::operator::operator;
use super::session::Session;
use super::{worker, PortalError};
use crate::AppState;

/// One item as a row: what it is, where it sits, and its review.
pub struct ItemRow {
    pub worker: i64,
    pub worker_name: String,
    pub skill: String,
    pub index: usize,
    /// "a volunteer project".
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    /// "waiting for review", or "reviewed on 2026-11-12: level 3".
    pub state: String,
    pub reviewed: bool,
    pub checked: String,
}

fn item_row(i: PortfolioItem) -> ItemRow {
    let (state, checked) = match &i.review {
        None => ("waiting for review".to_string(), String::new()),
        Some(r) => (format!("reviewed on {}: level {}", r.reviewed_on, r.level.get()), r.checked.clone().unwrap_or_default()),
    };
    ItemRow {
        worker: i.worker.0,
        worker_name: i.worker_name,
        skill: i.skill.as_str().to_string(),
        index: i.index,
        kind: i.category.label(),
        title: i.title,
        url: i.url.unwrap_or_default(),
        reviewed: i.review.is_some(),
        state,
        checked,
    }
}

/// The skill field of a form, refused by name.
fn skill_field(text: String) -> Result<SkillCode, Invalid> {
    SkillCode::parse(text.trim()).map_err(|_| Invalid::one("skill", "choose a skill from the list"))
}

/// A refused form shown again, or the page with a notice.
fn outcome<T>(r: Result<T, ExchangeError>, done: impl FnOnce(T) -> String) -> Result<(String, Option<Refusal>, StatusCode), PortalError> {
    match r {
        Ok(v) => Ok((done(v), None, StatusCode::OK)),
        Err(e) => {
            let (r, code) = refused(e)?;
            Ok((String::new(), Some(r), code))
        }
    }
}

#[derive(Template)]
#[template(path = "assessments/w_portfolio.html")]
struct WorkerPortfolio {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    items: Vec<ItemRow>,
    taxonomy: Vec<(String, String)>,
}

async fn worker_page(state: &AppState, s: &Session, (notice, refusal, code): (String, Option<Refusal>, StatusCode)) -> Result<Response, PortalError> {
    let id = worker::me(s)?;
    let w = workers::profile(&state.exchange, &s.principal(), id).await?;
    let items = assessments::portfolio(&w).into_iter().map(item_row).collect();
    let taxonomy = businesses::skills(&state.exchange).await?;
    render_status(code, &WorkerPortfolio { nav: Nav::new(s, ""), notice, refusal, items, taxonomy })
}

pub async fn w_page(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    worker_page(&state, &s, (String::new(), None, StatusCode::OK)).await
}

/// Add an item; a bad skill, title or link is refused by name and nothing is written.
pub async fn w_add(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    let id = worker::me(&s)?;
    let f = &form.fields;
    let title = f.text("title");
    let kind = PortfolioKind::parse(f.text("category").trim()).ok_or_else(|| Invalid::one("category", "choose a work sample, a volunteer project or a project of your own"));
    let r = match (skill_field(f.text("skill")), kind) {
        (Ok(skill), Ok(kind)) => assessments::add_portfolio(&state.exchange, &s.principal(), id, skill, kind, &title, Some(f.text("url").trim().to_string())).await,
        (Err(e), _) | (_, Err(e)) => Err(ExchangeError::Invalid(e)),
    };
    let shown = outcome(r, |_| format!("Added “{}”: it counts once the exchange has reviewed it.", title.trim()))?;
    worker_page(&state, &s, shown).await
}

#[derive(Template)]
#[template(path = "assessments/op_portfolio.html")]
struct ReviewQueue {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    items: Vec<ItemRow>,
}

async fn queue_page(state: &AppState, s: &Session, (notice, refusal, code): (String, Option<Refusal>, StatusCode)) -> Result<Response, PortalError> {
    operator(s)?;
    let items = assessments::pending_portfolio(&state.exchange, &s.principal()).await?.into_iter().map(item_row).collect();
    render_status(code, &ReviewQueue { nav: Nav::new(s, ""), notice, refusal, items })
}

pub async fn op_page(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    queue_page(&state, &s, (String::new(), None, StatusCode::OK)).await
}

/// Review one item: the level the work shows and what was checked.
pub async fn op_review(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    operator(&s)?;
    let f = &form.fields;
    let mut c = Collector::new();
    let skill = c.take("", skill_field(f.text("skill")));
    let level = c.take("", f.text("level").trim().parse::<u8>().ok().and_then(|n| Level::new(n).ok()).ok_or_else(|| Invalid::one("level", "choose a level from 1 to 5")));
    let index = f.text("index").trim().parse::<usize>().unwrap_or(usize::MAX);
    let r = match (c.finish(), skill, level) {
        (Ok(()), Some(skill), Some(level)) => assessments::review_portfolio(&state.exchange, &s.principal(), WorkerId(id), &skill, index, level, &f.text("checked")).await,
        (Err(e), _, _) => Err(ExchangeError::Invalid(e)),
        _ => Err(ExchangeError::NotFound("portfolio item")),
    };
    let shown = outcome(r, |w| format!("Reviewed {}’s portfolio item at level {}: it now counts as evidence.", w.name, f.text("level").trim()))?;
    queue_page(&state, &s, shown).await
}
