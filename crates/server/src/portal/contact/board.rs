//! The feedback board in the portal, one page set for every role over
//! `slivers_exchange::feedback`: the list of feature requests with their
//! status and how many businesses and workers asked (operators also see
//! what those businesses are billed); customers file requests and vote in
//! their own words; operators merge a duplicate, change the status, and
//! read "who asked for this?".

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use slivers_core::contact::FeatureStatus;
use slivers_core::{Invalid, Zone};
use slivers_exchange::{feedback, ExchangeError};
use slivers_store::{FeatureChange, FeatureFilter, FeatureRequest, LinkKind, NewFeatureRequest, Page, Revenue, Scope};

use super::{customer_kind, customer_timeline, help_href, lines, reader_zone, refused};
use crate::portal::form::Posted;
use crate::portal::layout::{render_status, when, Nav, Refusal};
use crate::portal::session::Session;
use crate::portal::{operator, PortalError};
use crate::AppState;

fn status_text(r: &FeatureRequest) -> String {
    let s = r.status.as_str().replace('_', " ");
    match (&r.decline_reason, r.merged_into) {
        (_, Some(into)) => format!("merged into request {into}"),
        (Some(why), None) => format!("{s}: {why}"),
        (None, None) => s,
    }
}

/// Billed revenue per currency, for operators ("none billed" when nothing is).
fn revenue(r: &Option<Vec<Revenue>>) -> String {
    match r.as_deref() {
        None | Some([]) => "none billed".into(),
        Some(all) => all.iter().map(|x| format!("{} {}", x.amount, x.currency)).collect::<Vec<_>>().join(", "),
    }
}

fn said(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Raised => "asked for it",
        LinkKind::Voted => "voted",
    }
}

pub struct RequestRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub businesses: i64,
    pub workers: i64,
    pub revenue: String,
    /// The reader's own part ("you asked for it"), customers only.
    pub yours: String,
}

fn request_row(r: &FeatureRequest) -> RequestRow {
    RequestRow {
        id: r.id,
        title: r.title.clone(),
        status: status_text(r),
        businesses: r.businesses,
        workers: r.workers,
        revenue: revenue(&r.billed_revenue),
        // A customer's links are only their own (the store filters them).
        yours: r.links.first().map(|l| format!("you {}", said(l.kind))).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "contact/board.html")]
struct Board {
    nav: Nav,
    operator: bool,
    notice: String,
    refusal: Option<Refusal>,
    rows: Vec<RequestRow>,
    title: String,
    text: String,
}

async fn board_page(state: &AppState, s: &Session, refusal: Option<Refusal>, title: String, text: String) -> Result<Board, PortalError> {
    let all = feedback::list(&state.exchange, &s.principal(), &FeatureFilter::default(), Page::all()).await?;
    Ok(Board {
        nav: Nav::new(s, help_href(s)),
        operator: s.scope() == Scope::All,
        notice: String::new(),
        refusal,
        rows: all.iter().map(request_row).collect(),
        title,
        text,
    })
}

pub async fn board(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &board_page(&state, &s, None, String::new(), String::new()).await?)
}

/// A customer files a request; its page opens next (a reload does not file it twice).
pub async fn file(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let n = NewFeatureRequest { title: form.fields.text("title"), text: form.fields.text("text") };
    match feedback::file(&state.exchange, &s.principal(), &n).await {
        Ok(r) => Ok(Redirect::to(&format!("/feedback/{}", r.id)).into_response()),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &board_page(&state, &s, Some(r), n.title, n.text).await?)
        }
    }
}

/// One thing someone said about a request.
pub struct Said {
    pub what: &'static str,
    pub at: String,
    pub lines: Vec<String>,
    /// Where it was said, when that was a duplicate merged into this one.
    pub origin: String,
}

pub struct Asker {
    pub name: String,
    pub kind: &'static str,
    pub href: String,
    pub words: Vec<Said>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "contact/request.html")]
struct RequestPage {
    nav: Nav,
    operator: bool,
    zone: String,
    notice: String,
    refusal: Option<Refusal>,
    id: i64,
    title: String,
    status: String,
    merged_into: Option<i64>,
    businesses: i64,
    workers: i64,
    revenue: String,
    /// A customer's own words on it.
    own: Vec<Said>,
    can_vote: bool,
    askers: Vec<Asker>,
    merge_into: Vec<Choice>,
    statuses: Vec<Choice>,
    text: String,
    reason: String,
}

fn said_row(id: i64, kind: LinkKind, origin: i64, text: &str, at: Timestamp, zone: &Zone) -> Said {
    Said {
        what: said(kind),
        at: when(at, zone),
        lines: lines(text),
        origin: if origin == id { String::new() } else { format!("on request {origin}, merged into this one") },
    }
}

/// What the page keeps of a refused form.
#[derive(Default)]
struct Kept {
    text: String,
    reason: String,
}

async fn request_page(state: &AppState, s: &Session, id: i64, notice: String, refusal: Option<Refusal>, kept: Kept) -> Result<RequestPage, PortalError> {
    let who = s.principal();
    let zone = reader_zone(state, s).await?;
    let operator = s.scope() == Scope::All;
    let (r, askers) = if operator {
        let w = feedback::who_asked(&state.exchange, &who, id).await?;
        let askers = w
            .customers
            .iter()
            .map(|a| Asker {
                name: a.name.clone(),
                kind: customer_kind(a.customer),
                href: customer_timeline(a.customer),
                words: a.words.iter().map(|x| said_row(id, x.kind, x.origin_request_id, &x.text, x.at, &zone)).collect(),
            })
            .collect();
        (w.request, askers)
    } else {
        (feedback::get(&state.exchange, &who, id).await?, Vec::new())
    };
    let mut merge_into = Vec::new();
    if operator && r.merged_into.is_none() {
        let open = feedback::list(&state.exchange, &who, &FeatureFilter::default(), Page::all()).await?;
        merge_into = open.iter().filter(|o| o.id != id).map(|o| Choice { value: o.id.to_string(), label: format!("{}: {}", o.id, o.title) }).collect();
    }
    let statuses = FeatureStatus::ALL
        .iter()
        .filter(|st| **st != FeatureStatus::Open && **st != r.status)
        .map(|st| Choice { value: st.as_str().to_string(), label: st.as_str().replace('_', " ") })
        .collect();
    Ok(RequestPage {
        nav: Nav::new(s, help_href(s)),
        operator,
        zone: zone.name().to_string(),
        notice,
        refusal,
        id,
        title: r.title.clone(),
        status: status_text(&r),
        merged_into: r.merged_into,
        businesses: r.businesses,
        workers: r.workers,
        revenue: revenue(&r.billed_revenue),
        own: if operator { Vec::new() } else { r.links.iter().map(|l| said_row(id, l.kind, l.origin_request_id, &l.text, l.at, &zone)).collect() },
        can_vote: !operator && r.merged_into.is_none() && r.links.is_empty(),
        askers,
        merge_into,
        statuses,
        text: kept.text,
        reason: kept.reason,
    })
}

pub async fn request(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &request_page(&state, &s, id, String::new(), None, Kept::default()).await?)
}

/// Show `page_id` after a write: the notice on success, else the refusal with what was typed.
async fn after(state: &AppState, s: &Session, page_id: i64, done: Result<String, ExchangeError>, kept: Kept) -> Result<Response, PortalError> {
    match done {
        Ok(notice) => render_status(StatusCode::OK, &request_page(state, s, page_id, notice, None, Kept::default()).await?),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &request_page(state, s, page_id, String::new(), Some(r), kept).await?)
        }
    }
}

/// A customer votes, in their own words (which may be empty).
pub async fn vote(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let text = form.fields.text("text");
    let done = feedback::vote(&state.exchange, &s.principal(), id, &text).await.map(|_| "Thank you: your vote is counted.".to_string());
    after(&state, &s, id, done, Kept { text, ..Kept::default() }).await
}

/// An operator merges this request (a duplicate) into the one chosen; the survivor's page follows.
pub async fn merge(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    operator::operator(&s)?;
    let into = form.fields.text("into").parse::<i64>().map_err(|_| ExchangeError::Invalid(Invalid::one("into", "choose the request to merge into")));
    let merged = match into {
        Ok(into) => feedback::merge(&state.exchange, &s.principal(), id, into).await,
        Err(e) => Err(e),
    };
    match merged {
        Ok(survivor) => after(&state, &s, survivor.id, Ok(format!("Request {id} is merged into this one; everyone who asked is kept, with their words.")), Kept::default()).await,
        Err(e) => after(&state, &s, id, Err(e), Kept::default()).await,
    }
}

/// An operator plans, starts, ships or declines (with a reason) a request.
pub async fn set_status(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    operator::operator(&s)?;
    let reason = form.fields.text("reason");
    let changed = match FeatureStatus::parse_field(&form.fields.text("status")) {
        Ok(status) => {
            let change = FeatureChange { status, reason: Some(reason.clone()).filter(|r| !r.is_empty()) };
            feedback::set_status(&state.exchange, &s.principal(), id, &change).await.map(|r| {
                format!("Marked {}; everyone linked sees it on their timeline and gets one email.", r.status.as_str().replace('_', " "))
            })
        }
        Err(i) => Err(ExchangeError::Invalid(i)),
    };
    after(&state, &s, id, changed, Kept { reason, ..Kept::default() }).await
}
