//! After the work in the portal: the worker clocks in and out (phone first)
//! and sees timesheets and pay; the business approves, corrects or disputes
//! and downloads invoices (printable or Peppol UBL); an operator resolves
//! disputes and runs billing. Every action is a use case of the application
//! layer with the signed-in user as the principal.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use slivers_core::booking::BookingStatus;
use slivers_core::ids::BookingId;
use slivers_core::timesheet::{Review, Timesheet, TimesheetStatus};
use slivers_core::Zone;
use slivers_exchange::timesheets::{self, Clock};
use slivers_exchange::{billing, bookings, ratings, workers};
use slivers_store::{BookingFilter, DocumentFilter, DocumentKindFilter, DocumentSummary, Owner, Page, RatingFilter, RatingSide, TimesheetFilter};

use super::clocks::Clocks;
use super::form::Posted;
use super::layout::{hours, render_status, window, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// A timesheet as a row.
pub struct SheetRow {
    pub id: i64,
    pub booking: i64,
    pub when: String,
    pub status: &'static str,
    pub worked: String,
    pub approved: String,
    pub late: String,
    pub notes: Vec<String>,
}

pub(super) fn status(s: TimesheetStatus) -> &'static str {
    match s {
        TimesheetStatus::Open => "checked in",
        TimesheetStatus::Submitted => "waiting for approval",
        TimesheetStatus::Disputed => "disputed",
        TimesheetStatus::Approved => "approved",
    }
}

/// `when` is the scheduled window as the reader sees it (both clocks where
/// the two sides' zones differ, `Clocks`).
fn sheet_row(t: &Timesheet, when: String) -> SheetRow {
    SheetRow {
        id: t.id,
        booking: t.booking_id.0,
        when,
        status: status(t.status),
        worked: t.worked_minutes().map(hours).unwrap_or_else(|| "-".into()),
        approved: t.approved_minutes.map(hours).unwrap_or_else(|| "-".into()),
        late: if t.late_minutes > 0 { format!("{} min late", t.late_minutes) } else { String::new() },
        notes: t.notes.iter().map(|n| format!("{:?}: {}", n.by, n.text)).collect(),
    }
}

/// A booking the worker can clock in or out of now.
pub struct ClockRow {
    pub id: i64,
    pub when: String,
    /// `check_in` or `check_out`.
    pub clock: &'static str,
}

pub struct DocRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub period: String,
    pub total: String,
    pub note: String,
}

fn doc_row(d: &DocumentSummary) -> DocRow {
    DocRow {
        id: d.id,
        number: d.number.clone(),
        kind: d.kind.replace('_', " "),
        period: format!("{} to {}", d.period_start, d.period_end),
        total: format!("{} {}", d.total, d.currency),
        note: match (d.corrects_id, d.credited_by_id) {
            (Some(_), _) => "corrects an earlier invoice".into(),
            (_, Some(_)) => "cancelled by a credit note".into(),
            _ => String::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "worker/timesheets.html")]
struct WorkerPage {
    nav: Nav,
    zone: String,
    notice: String,
    refusal: Option<Refusal>,
    clock: Vec<ClockRow>,
    sheets: Vec<SheetRow>,
    pay: Vec<DocRow>,
    to_rate: Vec<RateRow>,
    received: String,
    rate_base: &'static str,
}

/// A completed booking the signed-in side has not rated yet.
pub struct RateRow {
    pub booking: i64,
    pub when: String,
}

/// "4.5 from 2 ratings", or that there are none.
fn summary_text(s: &slivers_store::RatingSummary) -> String {
    match s.average {
        Some(avg) => format!("{avg} of 5 from {} rating{}", s.count, if s.count == 1 { "" } else { "s" }),
        None => "no ratings yet".into(),
    }
}

/// The bookings among `candidates` that the principal has not rated.
async fn unrated(state: &AppState, who: &slivers_exchange::Principal, side: RatingSide, candidates: Vec<(i64, String)>) -> Result<Vec<RateRow>, PortalError> {
    let given = ratings::list(&state.exchange, who, &RatingFilter { by: Some(side), ..Default::default() }, Page::all()).await?;
    let done: std::collections::BTreeSet<i64> = given.iter().map(|r| r.booking_id.0).collect();
    Ok(candidates.into_iter().filter(|(b, _)| !done.contains(b)).map(|(booking, when)| RateRow { booking, when }).collect())
}

async fn worker_page(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<WorkerPage, PortalError> {
    let id = super::worker::me(s)?;
    let who = s.principal();
    let zone = workers::profile(&state.exchange, &who, id).await?.zone;
    let now = state.now();
    let mine = bookings::list(&state.exchange, &who, &BookingFilter { worker: Some(id), ..Default::default() }, Page::all()).await?;
    let soon = jiff::SignedDuration::from_hours(2);
    let mut clocks = Clocks::new(state, s.principal());
    let mut clock = Vec::new();
    let mut completed = Vec::new();
    for b in &mine {
        let which = match b.status {
            BookingStatus::Confirmed if b.window.start.checked_sub(soon).is_ok_and(|t| t <= now) && b.window.end > now => "check_in",
            BookingStatus::CheckedIn => "check_out",
            BookingStatus::Completed => {
                completed.push((b.id.0, clocks.for_worker(b.window, &zone, b.shift_id).await));
                continue;
            }
            _ => continue,
        };
        clock.push(ClockRow { id: b.id.0, when: clocks.for_worker(b.window, &zone, b.shift_id).await, clock: which });
    }
    clock.sort_by_key(|c| c.id);
    let sheets = timesheets::list(&state.exchange, &who, &TimesheetFilter::default(), Page::new(Some(50), None)).await?;
    let pay = billing::documents(&state.exchange, &who, &DocumentFilter { kind: Some(DocumentKindFilter::PayStatement), ..Default::default() }, Page::new(Some(50), None)).await?;
    let mut rows = Vec::with_capacity(sheets.len());
    for t in &sheets {
        rows.push(sheet_row(t, clocks.for_worker(t.scheduled, &zone, t.shift_id).await));
    }
    let to_rate = unrated(state, &who, RatingSide::Worker, completed).await?;
    let received = summary_text(&ratings::summary(&state.exchange, Owner::Worker(id)).await?);
    Ok(WorkerPage {
        rate_base: "/w",
        to_rate,
        received,
        nav: Nav::new(s, "/w/timesheets"),
        zone: zone.name().to_string(),
        notice,
        refusal,
        clock,
        sheets: rows,
        pay: pay.iter().map(doc_row).collect(),
    })
}

pub async fn worker_timesheets(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &worker_page(&state, &s, String::new(), None).await?)
}

/// Check in or out of one of the worker's own bookings, now, with breaks on check-out.
pub async fn clock(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    super::worker::me(&s)?;
    let which = match form.fields.get("clock") {
        Some("check_in") => Clock::CheckIn,
        Some("check_out") => Clock::CheckOut,
        _ => return Err(PortalError::NotFound("action")),
    };
    let breaks = match form.fields.get("break_minutes").map(str::trim).filter(|x| !x.is_empty()) {
        None => 0,
        Some(x) => match x.parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                let r = Refusal { summary: "Nothing was saved.".into(), rules: vec![("break_minutes".into(), "must be a whole number of minutes".into())] };
                return render_status(StatusCode::UNPROCESSABLE_ENTITY, &worker_page(&state, &s, String::new(), Some(r)).await?);
            }
        },
    };
    let (notice, refusal, code) = match timesheets::attend(&state.exchange, &s.principal(), BookingId(id), which, None, breaks).await {
        Ok(t) => {
            let msg = match which {
                Clock::CheckIn => "Checked in. Have a good shift.".to_string(),
                Clock::CheckOut => format!("Checked out: {} worked, sent for approval.", t.worked_minutes().map(hours).unwrap_or_default()),
            };
            (msg, None, StatusCode::OK)
        }
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    render_status(code, &worker_page(&state, &s, notice, refusal).await?)
}

#[derive(Template)]
#[template(path = "business/timesheets.html")]
struct BusinessPage {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    waiting: Vec<SheetRow>,
    done: Vec<SheetRow>,
    documents: Vec<DocRow>,
    to_rate: Vec<RateRow>,
    received: String,
    rate_base: &'static str,
}

async fn business_page(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<BusinessPage, PortalError> {
    let id = super::business::mine(s)?;
    let who = s.principal();
    let zone = slivers_exchange::businesses::get(&state.exchange, &who, id).await?.zone;
    let sheets = timesheets::list(&state.exchange, &who, &TimesheetFilter::default(), Page::new(Some(100), None)).await?;
    let docs = billing::documents(&state.exchange, &who, &DocumentFilter::default(), Page::new(Some(50), None)).await?;
    let mut clocks = Clocks::new(state, s.principal());
    let (mut waiting, mut done, mut worked) = (Vec::new(), Vec::new(), Vec::new());
    for t in &sheets {
        let when = clocks.for_business(t.scheduled, &zone, t.worker_id).await;
        if t.kind == slivers_core::billing::BillableKind::Work && t.status == TimesheetStatus::Approved {
            worked.push((t.booking_id.0, when.clone()));
        }
        let list = if t.status == TimesheetStatus::Submitted { &mut waiting } else { &mut done };
        list.push(sheet_row(t, when));
    }
    let to_rate = unrated(state, &who, RatingSide::Business, worked).await?;
    let received = summary_text(&ratings::summary(&state.exchange, Owner::Business(id)).await?);
    Ok(BusinessPage {
        rate_base: "/b",
        to_rate,
        received,
        nav: Nav::new(s, "/b/timesheets"),
        notice,
        refusal,
        waiting,
        done,
        documents: docs.iter().map(doc_row).collect(),
    })
}

pub async fn business_timesheets(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &business_page(&state, &s, String::new(), None).await?)
}

fn minutes_field(form: &Posted) -> i64 {
    // An unreadable number becomes -1, which the use case refuses by name.
    form.fields.get("minutes").and_then(|m| m.trim().parse().ok()).unwrap_or(-1)
}

/// Confirm, correct (minutes and reason) or dispute (reason) a timesheet.
pub async fn review(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    super::business::mine(&form.session)?;
    let reason = form.fields.text("reason");
    let r = match form.fields.get("action") {
        Some("confirm") => Review::Confirm,
        Some("correct") => Review::Correct { minutes: minutes_field(&form), reason },
        Some("dispute") => Review::Dispute { reason },
        _ => return Err(PortalError::NotFound("action")),
    };
    let s = form.session;
    let (notice, refusal, code) = match timesheets::review(&state.exchange, &s.principal(), id, &r).await {
        Ok(t) => (format!("Timesheet {}: {}.", t.id, status(t.status)), None, StatusCode::OK),
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    render_status(code, &business_page(&state, &s, notice, refusal).await?)
}

fn attachment(content_type: &'static str, body: String, filename: Option<String>) -> Response {
    let mut res = (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(v) = filename.and_then(|f| format!("attachment; filename=\"{f}\"").parse().ok()) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// An invoice or credit note of the signed-in business (or any, for an operator): printable or UBL.
pub async fn document(State(state): State<AppState>, s: Session, Path((id, format)): Path<(i64, String)>) -> Result<Response, PortalError> {
    let who = s.principal();
    if who.worker().is_some() {
        return Err(PortalError::NotFound("document"));
    }
    match format.as_str() {
        "print" => Ok(attachment("text/html; charset=utf-8", billing::printable(&state.exchange, &who, id).await?, None)),
        "ubl" => Ok(attachment("application/xml", billing::ubl(&state.exchange, &who, id).await?, Some(format!("document-{id}.xml")))),
        _ => Err(PortalError::NotFound("document")),
    }
}

/// The worker's own pay statement, printable.
pub async fn pay_statement(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    super::worker::me(&s)?;
    Ok(attachment("text/html; charset=utf-8", billing::printable_pay_statement(&state.exchange, &s.principal(), id).await?, None))
}

#[derive(Template)]
#[template(path = "operator/billing.html")]
struct OperatorPage {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    disputes: Vec<SheetRow>,
    documents: Vec<DocRow>,
}

async fn operator_page(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>) -> Result<OperatorPage, PortalError> {
    super::operator::operator(s)?;
    let who = s.principal();
    let utc = Zone::utc();
    let disputes = timesheets::list(&state.exchange, &who, &TimesheetFilter { status: Some(TimesheetStatus::Disputed), ..Default::default() }, Page::new(Some(100), None)).await?;
    let docs = billing::documents(&state.exchange, &who, &DocumentFilter::default(), Page::new(Some(50), None)).await?;
    Ok(OperatorPage {
        nav: Nav::new(s, "/op/billing"),
        notice,
        refusal,
        disputes: disputes.iter().map(|t| sheet_row(t, window(t.scheduled, &utc))).collect(),
        documents: docs.iter().map(doc_row).collect(),
    })
}

pub async fn operator_billing(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &operator_page(&state, &s, String::new(), None).await?)
}

/// Resolve a dispute with the minutes decided and a note both sides read.
pub async fn resolve(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    super::operator::operator(&form.session)?;
    let r = Review::Resolve { minutes: minutes_field(&form), note: form.fields.text("note") };
    let s = form.session;
    let (notice, refusal, code) = match timesheets::review(&state.exchange, &s.principal(), id, &r).await {
        Ok(t) => (format!("Dispute on timesheet {} resolved: {} approved.", t.id, t.approved_minutes.map(hours).unwrap_or_default()), None, StatusCode::OK),
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    render_status(code, &operator_page(&state, &s, notice, refusal).await?)
}

/// Run billing now: invoices and pay statements for ended periods.
pub async fn run_billing(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    super::operator::operator(&form.session)?;
    let s = form.session;
    let run = billing::run(&state.exchange, &s.principal()).await?;
    let notice = format!(
        "Billing run: {} invoices, {} pay statements; {} businesses still need billing details.",
        run.invoices.len(),
        run.pay_statements.len(),
        run.waiting_for_details.len()
    );
    render_status(StatusCode::OK, &operator_page(&state, &s, notice, None).await?)
}

/// Rate the other side of a completed booking: 1 to 5 stars and a comment.
pub async fn rate(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session;
    let stars: u8 = form.fields.get("stars").and_then(|x| x.parse().ok()).unwrap_or(0);
    let comment = form.fields.text("comment");
    let outcome = ratings::rate(&state.exchange, &s.principal(), BookingId(id), stars, &comment, false).await;
    let (notice, refusal, code) = match outcome {
        Ok(r) => (format!("Thank you: {} of 5 recorded.", r.stars), None, StatusCode::OK),
        Err(e) => (String::new(), Some(Refusal::from_exchange(e)?), StatusCode::CONFLICT),
    };
    match s.scope() {
        slivers_store::Scope::Worker(_) => render_status(code, &worker_page(&state, &s, notice, refusal).await?),
        slivers_store::Scope::Business(_) => render_status(code, &business_page(&state, &s, notice, refusal).await?),
        slivers_store::Scope::All => Err(PortalError::NotFound("page")),
    }
}
