//! Situational assessments and portfolio review, the use cases: operators
//! author exchange-wide assessments and businesses their own; a worker takes
//! one and asks questions as they go; staff answer live or later; a reviewer
//! grades by the rubric and the store writes the assessment evidence in the
//! grading transaction. A retake follows a fail after the cool-down. The
//! worker's record of attempts (first against retake) is shown to businesses
//! through [`history`].
//!
//! Portfolio items are the worker's own declaration (an unreviewed
//! `Evidence::Portfolio`); only an operator adds the review, with what they
//! checked, so `nothing_new_from_exchange` keeps guarding the rest.

use jiff::tz::TimeZone;
use slivers_core::assessments::{Answer, AssessmentSpec, Grade};
use slivers_core::ids::WorkerId;
use slivers_core::skills::{Evidence, Level, PortfolioKind, PortfolioReview, SkillClaim, SkillCode};
use slivers_core::validation::Collector;
use slivers_core::Invalid;
use slivers_core::worker::Worker;
use slivers_store::{Assessment, AssessmentAttempt, AttemptFilter, AttemptStatus, AttemptThread, Page, Question, Scope};

use crate::{Exchange, ExchangeError, Principal, Result};

/// Operators author exchange-wide assessments; a business, its own.
pub async fn create(ex: &Exchange, who: &Principal, spec: &AssessmentSpec) -> Result<Assessment> {
    who.require_not_worker("operators and businesses author assessments")?;
    Ok(ex.store.create_assessment(spec, &who.actor, ex.now()).await?)
}

pub async fn get(ex: &Exchange, who: &Principal, id: i64) -> Result<Assessment> {
    Ok(ex.store.get_assessment(id, &who.scope).await?)
}

pub async fn list(ex: &Exchange, who: &Principal, page: Page) -> Result<Vec<Assessment>> {
    Ok(ex.store.list_assessments(&who.scope, page).await?)
}

/// A worker starts an attempt, or a retake after a failed one's cool-down.
pub async fn start(ex: &Exchange, who: &Principal, id: i64) -> Result<AssessmentAttempt> {
    if who.worker().is_none() {
        return Err(ExchangeError::Forbidden("only a worker takes an assessment"));
    }
    Ok(ex.store.start_attempt(id, &who.actor, ex.now()).await?)
}

pub async fn submit(ex: &Exchange, who: &Principal, id: i64, answers: &[Answer]) -> Result<AssessmentAttempt> {
    if who.worker().is_none() {
        return Err(ExchangeError::Forbidden("only the worker taking the assessment hands it in"));
    }
    Ok(ex.store.submit_attempt(id, answers, &who.actor, ex.now()).await?)
}

pub async fn ask(ex: &Exchange, who: &Principal, attempt: i64, text: &str) -> Result<Question> {
    if who.worker().is_none() {
        return Err(ExchangeError::Forbidden("only the worker taking the assessment asks"));
    }
    Ok(ex.store.ask_question(attempt, text, &who.actor, ex.now()).await?)
}

/// Staff on duty answer: operators, or the business for its own assessments.
pub async fn answer(ex: &Exchange, who: &Principal, question: i64, text: &str) -> Result<Question> {
    who.require_not_worker("staff answer questions")?;
    Ok(ex.store.answer_question(question, text, &who.actor, ex.now()).await?)
}

/// Grade by the rubric; the matching index picks up the new level at once.
pub async fn grade(ex: &Exchange, who: &Principal, attempt: i64, grade: &Grade) -> Result<AssessmentAttempt> {
    who.require_not_worker("reviewers grade attempts")?;
    let t = ex.store.grade_attempt(attempt, grade, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(t)
}

pub async fn attempt(ex: &Exchange, who: &Principal, id: i64) -> Result<AttemptThread> {
    Ok(ex.store.get_attempt(id, &who.scope).await?)
}

pub async fn attempts(ex: &Exchange, who: &Principal, filter: &AttemptFilter, page: Page) -> Result<Vec<AssessmentAttempt>> {
    Ok(ex.store.list_attempts(filter, &who.scope, page).await?)
}

/// The worker's graded attempts at `skill` as a business may read them,
/// oldest first: "failed (level 2) on 1 Nov 2026", "passed level 4 on 20 Nov
/// 2026 (retake, attempt 2)". Dates and levels only; no reviewer, no answers,
/// and no title of a business's own assessment.
pub async fn history(ex: &Exchange, worker: WorkerId) -> Result<Vec<(SkillCode, String)>> {
    let filter = AttemptFilter { worker: Some(worker), status: Some(AttemptStatus::Graded), assessment: None };
    let graded = ex.store.list_attempts(&filter, &Scope::All, Page::all()).await?;
    let mut out = Vec::new();
    for t in graded {
        let a = ex.store.get_assessment(t.assessment_id, &Scope::All).await?;
        let day = t.graded_at.map(|g| g.to_zoned(TimeZone::UTC).date().strftime("%-d %b %Y").to_string()).unwrap_or_default();
        let level = t.level.map_or(0, Level::get);
        let what = if t.passed == Some(true) { format!("passed level {level} on {day}") } else { format!("failed (level {level}) on {day}") };
        let which = if t.attempt > 1 { format!("retake, attempt {}", t.attempt) } else { "first attempt".to_string() };
        let title = if a.business_id.is_none() { format!("{}: ", a.spec.title) } else { "a business's own assessment: ".to_string() };
        out.push((a.spec.skill, format!("{title}{what} ({which})")));
    }
    Ok(out)
}

/// The worker adds a portfolio item (work sample, volunteer project, their
/// own project) to a skill, claiming the skill at `claim` if new.
pub async fn add_portfolio(ex: &Exchange, who: &Principal, id: WorkerId, skill: SkillCode, category: PortfolioKind, title: &str, url: Option<String>) -> Result<Worker> {
    who.require_self(id, "only the worker adds their own portfolio items")?;
    let mut w = ex.store.get_worker(id, &who.scope).await?;
    let item = Evidence::Portfolio { category, title: title.trim().to_string(), url: url.filter(|u| !u.trim().is_empty()), review: None };
    match w.skills.iter_mut().find(|c| c.skill == skill) {
        Some(c) => c.evidence.push(item),
        None => w.skills.push(SkillClaim { skill, claimed: Level::new(2)?, evidence: vec![item] }),
    }
    let mut c = Collector::new();
    for (i, claim) in w.skills.iter().enumerate() {
        c.take(&format!("skills[{i}]"), claim.validate());
    }
    c.finish()?;
    ex.store.update_worker(&w, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(w)
}

/// An operator reviews the `index`th evidence record of the worker's claim
/// on `skill` (an unreviewed portfolio item), recording what they checked.
pub async fn review_portfolio(ex: &Exchange, who: &Principal, id: WorkerId, skill: &SkillCode, index: usize, level: Level, checked: &str) -> Result<Worker> {
    who.require_operator("only the exchange reviews portfolio items")?;
    let mut c = Collector::new();
    c.check(!checked.trim().is_empty() && checked.chars().count() <= 2000, "checked", "say what you checked (1 to 2000 characters)");
    c.finish()?;
    let mut w = ex.store.get_worker(id, &Scope::All).await?;
    // The worker (the URL's resource) exists; what the body names may not:
    // that is bad input naming its field, not a missing resource.
    let claim = w.skills.iter_mut().find(|c| &c.skill == skill).ok_or_else(|| Invalid::one("skill", "the worker has no claim on this skill"))?;
    let Some(Evidence::Portfolio { review, .. }) = claim.evidence.get_mut(index) else {
        return Err(Invalid::one("index", "no portfolio item at this index of the claim").into());
    };
    if review.is_some() {
        return Err(slivers_store::Conflict::Refused { rule: "reviewed", reason: "this portfolio item is already reviewed".into() }.into());
    }
    let reviewer = who.actor.user.ok_or(ExchangeError::Forbidden("a review names its reviewer: sign in as an operator"))?;
    *review = Some(PortfolioReview {
        level,
        reviewed_on: ex.now().to_zoned(TimeZone::UTC).date(),
        reviewer,
        checked: Some(checked.trim().to_string()),
    });
    ex.store.update_worker(&w, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(w)
}

/// A portfolio item as its worker and operators see it: where it sits in the
/// claim (`skill` and `index`, what a review names) and the review, if any.
#[derive(Debug, Clone)]
pub struct PortfolioItem {
    pub worker: WorkerId,
    pub worker_name: String,
    pub skill: SkillCode,
    pub index: usize,
    pub category: PortfolioKind,
    pub title: String,
    pub url: Option<String>,
    pub review: Option<PortfolioReview>,
}

/// The worker's portfolio items, claim by claim, in the order added (a
/// worker reads their own profile through [`crate::workers::profile`]).
pub fn portfolio(w: &Worker) -> Vec<PortfolioItem> {
    let mut out = Vec::new();
    for claim in &w.skills {
        for (index, e) in claim.evidence.iter().enumerate() {
            if let Evidence::Portfolio { category, title, url, review } = e {
                out.push(PortfolioItem {
                    worker: w.id,
                    worker_name: w.name.clone(),
                    skill: claim.skill.clone(),
                    index,
                    category: *category,
                    title: title.clone(),
                    url: url.clone(),
                    review: review.clone(),
                });
            }
        }
    }
    out
}

/// Every portfolio item waiting for the exchange's review (operators), by
/// worker id. It reads every profile a page at a time: the review queue is
/// an operator's page, not a hot path.
pub async fn pending_portfolio(ex: &Exchange, who: &Principal) -> Result<Vec<PortfolioItem>> {
    who.require_operator("only the exchange reviews portfolio items")?;
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = ex.store.list_workers(Page::new(Some(Page::MAX_LIMIT), Some(offset))).await?;
        out.extend(page.iter().flat_map(portfolio).filter(|i| i.review.is_none()));
        if (page.len() as i64) < Page::MAX_LIMIT {
            return Ok(out);
        }
        offset += Page::MAX_LIMIT;
    }
}
