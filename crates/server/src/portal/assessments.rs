//! Situational assessments in the portal, over `slivers_exchange::assessments`:
//! staff author (`/op/assessments`), see every attempt with its open
//! questions, answer questions live or later and grade by the rubric
//! (`/op/assessment-attempts/{id}`). A business is staff for its own
//! assessments, authored for its pool, on the same pages and forms under
//! `/b` (the `Staff` parameter); its scope shows it only its own assessments'
//! attempts. A worker lists what they may take and
//! their attempts (`/w/assessments`), starts or retakes one, and takes it
//! with the question channel beside the scenarios (`/w/assessment-attempts/{id}`,
//! whose questions refresh every few seconds so a live answer appears).
//! Every attempt is read in the visitor's scope first, so another's is a 404.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use slivers_core::assessments::{Answer, AssessmentSpec, Criterion, Grade, QuestionMark, Scenario, ScenarioKind, Upload};
use slivers_core::skills::{Level, SkillCode};
use slivers_core::validation::Collector;
use slivers_core::{Invalid, Zone};
use slivers_exchange::{assessments, ExchangeError};
use slivers_store::{AttemptFilter, AttemptThread, Page};

use super::contact::refused;
use super::form::{Fields, Posted};
use super::layout::{render_status, when, Nav, Refusal};
use super::session::Session;
use super::operator::operator;
use super::{business, worker, PortalError};
use crate::AppState;

fn utc() -> Zone {
    Zone::utc()
}

pub struct AssessmentRow {
    pub id: i64,
    pub title: String,
    pub skill: String,
    pub pass_level: u8,
    pub minutes: u32,
}

pub struct AttemptRow {
    pub id: i64,
    pub title: String,
    pub attempt: u8,
    pub status: &'static str,
    pub result: String,
    pub open_questions: usize,
}

/// Which staff a page serves, as a const parameter of its handlers
/// (`staff_page::<BUSINESS>`): the routes differ only in prefix and who may come.
pub const OPERATOR: bool = false;
pub const BUSINESS: bool = true;

/// `op` or `b`: the pages' prefix, after checking the visitor is that staff.
fn staff<const B: bool>(s: &Session) -> Result<&'static str, PortalError> {
    if B {
        business::mine(s).map(|_| "b")
    } else {
        operator(s).map(|()| "op")
    }
}

#[derive(Template)]
#[template(path = "assessments/staff_list.html")]
struct StaffList {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    /// `op` or `b`.
    side: &'static str,
    assessments: Vec<AssessmentRow>,
    attempts: Vec<AttemptRow>,
}

fn row(a: &slivers_store::Assessment) -> AssessmentRow {
    AssessmentRow { id: a.id, title: a.spec.title.clone(), skill: a.spec.skill.as_str().to_string(), pass_level: a.spec.pass_level.get(), minutes: a.spec.time_limit_minutes }
}

fn result_of(t: &slivers_store::AssessmentAttempt) -> String {
    match (t.level, t.passed) {
        (Some(l), Some(true)) => format!("passed at level {}", l.get()),
        (Some(l), Some(false)) => format!("failed at level {}", l.get()),
        _ => String::new(),
    }
}

async fn attempt_rows(state: &AppState, s: &Session) -> Result<Vec<AttemptRow>, PortalError> {
    let who = s.principal();
    let list = assessments::attempts(&state.exchange, &who, &AttemptFilter::default(), Page::all()).await?;
    let mut rows = Vec::new();
    for t in list.iter().rev() {
        let a = assessments::get(&state.exchange, &who, t.assessment_id).await?;
        let thread = assessments::attempt(&state.exchange, &who, t.id).await?;
        rows.push(AttemptRow {
            id: t.id,
            title: a.spec.title,
            attempt: t.attempt,
            status: t.status.as_str(),
            result: result_of(t),
            open_questions: thread.questions.iter().filter(|q| q.answer.is_none()).count(),
        });
    }
    Ok(rows)
}

/// A business lists only its own (it also sees exchange-wide ones, which it does not grade).
async fn staff_list<const B: bool>(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<StaffList, PortalError> {
    let side = staff::<B>(s)?;
    let list = assessments::list(&state.exchange, &s.principal(), Page::all()).await?;
    let assessments = list.iter().filter(|a| !B || a.business_id.is_some()).map(row).collect();
    let nav = Nav::new(s, if B { "/b/assessments" } else { "/op/assessments" });
    Ok(StaffList { nav, notice, refusal, side, assessments, attempts: attempt_rows(state, s).await? })
}

pub async fn staff_page<const B: bool>(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &staff_list::<B>(&state, &s, String::new(), None).await?)
}

fn number(c: &mut Collector, f: &Fields, name: &str) -> u32 {
    match f.text(name).trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            c.push(name, "must be a whole number");
            0
        }
    }
}

/// The authoring form: one scenario per line (`choice: prompt | option | option`,
/// `practical: prompt`, or plain text), one rubric criterion per line (`name: points`).
fn spec_from(f: &Fields) -> Result<AssessmentSpec, Invalid> {
    let mut c = Collector::new();
    let skill = c.take("skill", SkillCode::parse(f.text("skill").trim()));
    let pass = number(&mut c, f, "pass_level");
    let pass_level = c.take("pass_level", Level::new(u8::try_from(pass).unwrap_or(0)));
    let scenarios = f
        .text("scenarios")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if let Some(rest) = l.strip_prefix("choice:") {
                let mut parts = rest.split('|').map(|p| p.trim().to_string());
                let prompt = parts.next().unwrap_or_default();
                Scenario { prompt, kind: ScenarioKind::Choice { options: parts.collect() } }
            } else if let Some(rest) = l.strip_prefix("practical:") {
                Scenario { prompt: rest.trim().to_string(), kind: ScenarioKind::Practical }
            } else {
                Scenario { prompt: l.to_string(), kind: ScenarioKind::Text }
            }
        })
        .collect();
    let mut rubric = Vec::new();
    for (i, l) in f.text("rubric").lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        match l.rsplit_once(':').and_then(|(n, m)| m.trim().parse::<u32>().ok().map(|m| (n, m))) {
            Some((name, max)) => rubric.push(Criterion { name: name.trim().to_string(), max }),
            None => c.push(format!("rubric[{i}]"), "write each criterion as `name: points`"),
        }
    }
    let time_limit_minutes = number(&mut c, f, "time_limit_minutes");
    let cool_down_days = number(&mut c, f, "cool_down_days");
    let questions_max = number(&mut c, f, "questions_max");
    c.finish()?;
    Ok(AssessmentSpec {
        skill: skill.ok_or_else(|| Invalid::one("skill", "is required"))?,
        title: f.text("title"),
        pass_level: pass_level.unwrap_or(Level::MIN),
        time_limit_minutes,
        cool_down_days,
        scenarios,
        rubric,
        questions_max,
    })
}

pub async fn staff_create<const B: bool>(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    staff::<B>(&s)?;
    let result = match spec_from(&form.fields) {
        Ok(spec) => assessments::create(&state.exchange, &s.principal(), &spec).await,
        Err(e) => Err(ExchangeError::Invalid(e)),
    };
    match result {
        Ok(a) => render_status(StatusCode::OK, &staff_list::<B>(&state, &s, format!("Assessment {} “{}” created.", a.id, a.spec.title), None).await?),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &staff_list::<B>(&state, &s, String::new(), Some(r)).await?)
        }
    }
}

pub struct QuestionView {
    pub id: i64,
    pub text: String,
    pub asked: String,
    pub answer: String,
    pub answered: String,
    pub live: bool,
    pub relevant: Option<bool>,
}

pub struct ScenarioView {
    pub index: usize,
    pub prompt: String,
    pub kind: &'static str,
    pub options: Vec<(usize, String)>,
    pub answer: String,
}

fn views(thread: &AttemptThread, spec: &AssessmentSpec) -> (Vec<ScenarioView>, Vec<QuestionView>) {
    let zone = utc();
    let scenarios = spec
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, sc)| {
            let a = thread.attempt.answers.iter().find(|a| a.scenario as usize == i);
            let (kind, options) = match &sc.kind {
                ScenarioKind::Text => ("text", Vec::new()),
                ScenarioKind::Choice { options } => ("choice", options.iter().cloned().enumerate().collect()),
                ScenarioKind::Practical => ("practical", Vec::new()),
            };
            let answer = match a {
                None => String::new(),
                Some(a) => {
                    let mut out = a.text.clone();
                    if let (Some(n), ScenarioKind::Choice { options }) = (a.choice, &sc.kind) {
                        out = options.get(n as usize).cloned().unwrap_or_default();
                    }
                    if let Some(u) = &a.upload {
                        out = format!("{} {}", u.name, u.url.clone().unwrap_or_else(|| format!("({} bytes stored)", u.content.as_ref().map_or(0, String::len))));
                    }
                    out
                }
            };
            ScenarioView { index: i, prompt: sc.prompt.clone(), kind, options, answer }
        })
        .collect();
    let questions = thread
        .questions
        .iter()
        .map(|q| QuestionView {
            id: q.id,
            text: q.text.clone(),
            asked: when(q.asked_at, &zone),
            answer: q.answer.clone().unwrap_or_default(),
            answered: q.answered_at.map(|t| when(t, &zone)).unwrap_or_default(),
            live: q.answered_live,
            relevant: q.relevant,
        })
        .collect();
    (scenarios, questions)
}

#[derive(Template)]
#[template(path = "assessments/attempt.html")]
struct AttemptPage {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    /// `w` for the worker taking it, `op` or `b` for staff (also the prefix of its forms).
    side: &'static str,
    id: i64,
    title: String,
    skill: String,
    attempt: u8,
    status: &'static str,
    deadline: String,
    result: String,
    asked: u32,
    relevant: u32,
    retake_opens: String,
    scenarios: Vec<ScenarioView>,
    questions: Vec<QuestionView>,
    rubric: Vec<(usize, String, u32)>,
    questions_max: u32,
}

async fn attempt_page(state: &AppState, s: &Session, side: &'static str, id: i64, notice: String, refusal: Option<Refusal>) -> Result<AttemptPage, PortalError> {
    let who = s.principal();
    // Scoped read first: another's attempt is "not found" before any form is judged.
    let thread = assessments::attempt(&state.exchange, &who, id).await?;
    let a = assessments::get(&state.exchange, &who, thread.attempt.assessment_id).await?;
    let (scenarios, questions) = views(&thread, &a.spec);
    let t = &thread.attempt;
    Ok(AttemptPage {
        nav: Nav::new(s, ""),
        notice,
        refusal,
        side,
        id,
        title: a.spec.title.clone(),
        skill: a.spec.skill.as_str().to_string(),
        attempt: t.attempt,
        status: t.status.as_str(),
        deadline: when(t.deadline_at, &utc()),
        result: result_of(t),
        asked: t.questions_asked,
        relevant: t.questions_relevant,
        retake_opens: t.retake_opens_at.map(|o| when(o, &utc())).unwrap_or_default(),
        scenarios,
        questions,
        rubric: a.spec.rubric.iter().enumerate().map(|(i, r)| (i, r.name.clone(), r.max)).collect(),
        questions_max: a.spec.questions_max,
    })
}

async fn answer_or_refuse<T>(state: &AppState, s: &Session, side: &'static str, id: i64, done: &str, r: Result<T, ExchangeError>) -> Result<Response, PortalError> {
    match r {
        Ok(_) => render_status(StatusCode::OK, &attempt_page(state, s, side, id, done.to_string(), None).await?),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &attempt_page(state, s, side, id, String::new(), Some(r)).await?)
        }
    }
}

pub async fn staff_attempt<const B: bool>(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    let side = staff::<B>(&s)?;
    render_status(StatusCode::OK, &attempt_page(&state, &s, side, id, String::new(), None).await?)
}

pub async fn staff_answer<const B: bool>(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    let side = staff::<B>(&s)?;
    let thread = assessments::attempt(&state.exchange, &s.principal(), id).await?;
    // Only a question of this attempt: the id in the form cannot reach another.
    let qid = form.fields.text("question").trim().parse::<i64>().unwrap_or(-1);
    if !thread.questions.iter().any(|q| q.id == qid) {
        return Err(PortalError::NotFound("question"));
    }
    let r = assessments::answer(&state.exchange, &s.principal(), qid, &form.fields.text("text")).await;
    answer_or_refuse(&state, &s, side, id, "Answer sent.", r).await
}

pub async fn staff_grade<const B: bool>(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    let side = staff::<B>(&s)?;
    let thread = assessments::attempt(&state.exchange, &s.principal(), id).await?;
    let a = assessments::get(&state.exchange, &s.principal(), thread.attempt.assessment_id).await?;
    let mut c = Collector::new();
    let scores = (0..a.spec.rubric.len()).map(|i| number(&mut c, &form.fields, &format!("s{i}"))).collect();
    let questions_score = number(&mut c, &form.fields, "questions_score");
    let marks = thread.questions.iter().map(|q| QuestionMark { question: q.id, relevant: form.fields.has(&format!("rel{}", q.id)) }).collect();
    let r = match c.finish() {
        Ok(()) => assessments::grade(&state.exchange, &s.principal(), id, &Grade { scores, questions_score, marks }).await,
        Err(e) => Err(ExchangeError::Invalid(e)),
    };
    answer_or_refuse(&state, &s, side, id, "Graded.", r).await
}

#[derive(Template)]
#[template(path = "assessments/w_list.html")]
struct WorkerList {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    assessments: Vec<AssessmentRow>,
    attempts: Vec<AttemptRow>,
}

async fn w_list(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<WorkerList, PortalError> {
    worker::me(s)?;
    let list = assessments::list(&state.exchange, &s.principal(), Page::all()).await?;
    Ok(WorkerList { nav: Nav::new(s, "/w/assessments"), notice, refusal, assessments: list.iter().map(row).collect(), attempts: attempt_rows(state, s).await? })
}

pub async fn w_page(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &w_list(&state, &s, String::new(), None).await?)
}

/// Start (or retake): on success, straight to the attempt; a refusal (the
/// cool-down, with the day it opens) is shown on the list.
pub async fn w_start(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    worker::me(&s)?;
    match assessments::start(&state.exchange, &s.principal(), id).await {
        Ok(t) => Ok(Redirect::to(&format!("/w/assessment-attempts/{}", t.id)).into_response()),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &w_list(&state, &s, String::new(), Some(r)).await?)
        }
    }
}

pub async fn w_attempt(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    worker::me(&s)?;
    render_status(StatusCode::OK, &attempt_page(&state, &s, "w", id, String::new(), None).await?)
}

pub async fn w_ask(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    worker::me(&s)?;
    assessments::attempt(&state.exchange, &s.principal(), id).await?;
    let r = assessments::ask(&state.exchange, &s.principal(), id, &form.fields.text("text")).await;
    answer_or_refuse(&state, &s, "w", id, "Question sent to the staff on duty.", r).await
}

pub async fn w_submit(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    worker::me(&s)?;
    let thread = assessments::attempt(&state.exchange, &s.principal(), id).await?;
    let a = assessments::get(&state.exchange, &s.principal(), thread.attempt.assessment_id).await?;
    let f = &form.fields;
    let answers: Vec<Answer> = a
        .spec
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, sc)| {
            let n = u32::try_from(i).unwrap_or(u32::MAX);
            match sc.kind {
                ScenarioKind::Text => Answer { scenario: n, text: f.text(&format!("a{i}")), choice: None, upload: None },
                ScenarioKind::Choice { .. } => Answer { scenario: n, text: String::new(), choice: f.text(&format!("c{i}")).parse().ok(), upload: None },
                ScenarioKind::Practical => {
                    let url = f.text(&format!("u{i}"));
                    let upload = (!url.trim().is_empty()).then(|| Upload { name: "link".into(), url: Some(url.trim().to_string()), content: None });
                    Answer { scenario: n, text: f.text(&format!("a{i}")), choice: None, upload }
                }
            }
        })
        .collect();
    let r = assessments::submit(&state.exchange, &s.principal(), id, &answers).await;
    answer_or_refuse(&state, &s, "w", id, "Handed in. A reviewer will grade it.", r).await
}
