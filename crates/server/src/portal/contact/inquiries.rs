//! Inquiries in the portal. A business or worker has a Help page (their
//! inquiries with both targets, and a form to raise one about one of their
//! own invoices, bookings or timesheets) and a thread where they reply or
//! reopen; operators have the queue with the response-time panel and the
//! thread where they answer, wait on the customer or resolve.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use slivers_core::contact::{Customer, InquiryAction, InquiryCategory, InquiryStatus, Priority};
use slivers_core::validation::Collector;
use slivers_core::{Invalid, Zone};
use slivers_exchange::inquiries::{self, ResponseStats};
use slivers_exchange::{billing, bookings, timesheets, ExchangeError};
use slivers_store::{About, BookingFilter, DocumentFilter, DocumentKindFilter, Inquiry, InquiryAuthor, InquiryFilter, InquiryStep, NewInquiry, Page, TimesheetFilter};

use super::{customer_name, customer_timeline, lines, refused, target, Target};
use crate::portal::form::{Fields, Posted};
use crate::portal::layout::{hours, render_status, when, window, Nav, Refusal};
use crate::portal::session::Session;
use crate::portal::{business, operator, worker, PortalError};
use crate::AppState;

/// Which customer's pages: the same handlers serve `/b` and `/w`, and a
/// visitor of the other role (or an operator) finds no page there.
#[derive(Clone, Copy)]
enum Side {
    Business,
    Worker,
}

impl Side {
    fn base(self) -> &'static str {
        match self {
            Side::Business => "/b",
            Side::Worker => "/w",
        }
    }
    fn check(self, s: &Session) -> Result<(), PortalError> {
        match self {
            Side::Business => business::mine(s).map(|_| ()),
            Side::Worker => worker::me(s).map(|_| ()),
        }
    }
}

fn status_text(s: InquiryStatus, operator: bool) -> &'static str {
    match (s, operator) {
        (InquiryStatus::Open, false) => "waiting for Slivers",
        (InquiryStatus::Open, true) => "open",
        (InquiryStatus::Answered, _) => "answered",
        (InquiryStatus::WaitingOnCustomer, false) => "waiting for you",
        (InquiryStatus::WaitingOnCustomer, true) => "waiting on the customer",
        (InquiryStatus::Resolved, _) => "resolved",
    }
}

/// Why a target's clock stands still, in the reader's words.
fn held(operator: bool) -> &'static str {
    if operator { "on hold (waiting on the customer or resolved)" } else { "on hold while we wait for you" }
}

/// One inquiry as a row of a list.
pub struct Row {
    pub href: String,
    pub id: i64,
    pub subject: String,
    pub category: &'static str,
    pub priority: &'static str,
    pub status: &'static str,
    pub opened: String,
    pub first: Target,
    pub resolution: Target,
    pub escalations: i64,
    pub customer: String,
    pub customer_href: String,
}

fn row(q: &Inquiry, base: &str, zone: &Zone, operator: bool, customer: String) -> Row {
    Row {
        href: format!("{base}/inquiries/{}", q.id),
        id: q.id,
        subject: q.subject.clone(),
        category: q.category.as_str(),
        priority: q.priority.as_str(),
        status: status_text(q.status, operator),
        opened: when(q.opened_at, zone),
        first: target(&q.first_response, zone, held(operator)),
        resolution: target(&q.resolution, zone, held(operator)),
        escalations: q.escalations,
        customer_href: customer_timeline(q.customer),
        customer,
    }
}

/// An option of a select, remembering what was chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Group {
    pub label: &'static str,
    pub options: Vec<Choice>,
}

fn choices(all: &[&'static str], chosen: &str) -> Vec<Choice> {
    all.iter().map(|v| Choice { value: v.to_string(), label: v.to_string(), selected: *v == chosen }).collect()
}

/// What the raise form held, kept when it is refused.
#[derive(Default)]
struct Draft {
    category: String,
    priority: String,
    about: String,
    subject: String,
    text: String,
}

impl Draft {
    fn of(f: &Fields) -> Draft {
        Draft { category: f.text("category"), priority: f.text("priority"), about: f.text("about"), subject: f.text("subject"), text: f.text("text") }
    }
}

#[derive(Template)]
#[template(path = "contact/help.html")]
struct Help {
    nav: Nav,
    base: &'static str,
    zone: String,
    notice: String,
    refusal: Option<Refusal>,
    rows: Vec<Row>,
    categories: Vec<Choice>,
    priorities: Vec<Choice>,
    about: Vec<Group>,
    subject: String,
    text: String,
}

/// The records an inquiry may be about: the customer's own, newest first.
async fn about_options(state: &AppState, s: &Session, side: Side, zone: &Zone, chosen: &str) -> Result<Vec<Group>, PortalError> {
    let who = s.principal();
    let pick = |value: String, label: String| Choice { selected: value == chosen, value, label };
    let (docs_label, doc_filter, booking_filter) = match side {
        Side::Business => ("Invoices and credit notes", DocumentFilter::default(), BookingFilter::default()),
        Side::Worker => (
            "Pay statements",
            DocumentFilter { kind: Some(DocumentKindFilter::PayStatement), ..Default::default() },
            BookingFilter { worker: Some(worker::me(s)?), ..Default::default() },
        ),
    };
    let docs = billing::documents(&state.exchange, &who, &doc_filter, Page::new(Some(30), None)).await?;
    let mut booked = bookings::list(&state.exchange, &who, &booking_filter, Page::all()).await?;
    booked.sort_by_key(|b| std::cmp::Reverse((b.window.start, b.id)));
    let sheets = timesheets::list(&state.exchange, &who, &TimesheetFilter::default(), Page::new(Some(30), None)).await?;
    Ok(vec![
        Group {
            label: docs_label,
            options: docs
                .iter()
                .map(|d| pick(format!("document:{}", d.id), format!("{} {} ({} to {})", d.kind.replace('_', " "), d.number, d.period_start, d.period_end)))
                .collect(),
        },
        Group {
            label: "Bookings",
            options: booked.iter().take(30).map(|b| pick(format!("booking:{}", b.id), format!("Booking {}: {} ({})", b.id, window(b.window, zone), b.status.as_str()))).collect(),
        },
        Group {
            label: "Timesheets",
            options: sheets
                .iter()
                .map(|t| pick(format!("timesheet:{}", t.id), format!("Timesheet {}: {} ({})", t.id, window(t.scheduled, zone), crate::portal::after_work::status(t.status))))
                .collect(),
        },
    ])
}

async fn help_page(state: &AppState, s: &Session, side: Side, notice: String, refusal: Option<Refusal>, d: Draft) -> Result<Help, PortalError> {
    side.check(s)?;
    let zone = super::reader_zone(state, s).await?;
    let mut mine = inquiries::list(&state.exchange, &s.principal(), &InquiryFilter::default(), Page::all()).await?;
    // Newest first: a customer looks for what they raised last.
    mine.sort_by_key(|q| std::cmp::Reverse((q.opened_at, q.id)));
    let cats: Vec<&'static str> = InquiryCategory::ALL.iter().map(|c| c.as_str()).collect();
    let pris: Vec<&'static str> = Priority::ALL.iter().map(|p| p.as_str()).collect();
    let category = if d.category.is_empty() { "billing" } else { d.category.as_str() };
    let priority = if d.priority.is_empty() { "normal" } else { d.priority.as_str() };
    Ok(Help {
        nav: Nav::new(s, super::help_href(s)),
        base: side.base(),
        zone: zone.name().to_string(),
        notice,
        refusal,
        rows: mine.iter().map(|q| row(q, side.base(), &zone, false, String::new())).collect(),
        categories: choices(&cats, category),
        priorities: choices(&pris, priority),
        about: about_options(state, s, side, &zone, &d.about).await?,
        subject: d.subject,
        text: d.text,
    })
}

async fn help(state: AppState, s: Session, side: Side) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &help_page(&state, &s, side, String::new(), None, Draft::default()).await?)
}

pub async fn business_help(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    help(state, s, Side::Business).await
}

pub async fn worker_help(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    help(state, s, Side::Worker).await
}

/// `kind:id` from the about select; empty is "nothing in particular".
fn parse_about(v: &str) -> Result<Option<About>, Invalid> {
    if v.is_empty() {
        return Ok(None);
    }
    v.split_once(':')
        .and_then(|(kind, id)| About::from_parts(kind, id.parse().ok()?))
        .map(Some)
        .ok_or_else(|| Invalid::one("about", "choose one of your invoices, bookings or timesheets, or nothing in particular"))
}

fn parse_new(d: &Draft) -> Result<NewInquiry, Invalid> {
    let mut c = Collector::new();
    let category = c.take("", InquiryCategory::parse_field(&d.category));
    let priority = c.take("", Priority::parse_field(&d.priority));
    let about = c.take("", parse_about(&d.about));
    c.finish()?;
    match (category, priority, about) {
        (Some(category), Some(priority), Some(about)) => Ok(NewInquiry { category, priority, subject: d.subject.clone(), text: d.text.clone(), about }),
        _ => Err(Invalid::one("form", "could not be read")),
    }
}

/// Raise an inquiry; its thread opens next (so a reload does not raise it twice).
async fn raise(state: AppState, form: Posted, side: Side) -> Result<Response, PortalError> {
    let s = form.session;
    side.check(&s)?;
    let d = Draft::of(&form.fields);
    let raised = match parse_new(&d) {
        Ok(n) => inquiries::raise(&state.exchange, &s.principal(), &n).await,
        Err(i) => Err(ExchangeError::Invalid(i)),
    };
    match raised {
        Ok(q) => Ok(Redirect::to(&format!("{}/inquiries/{}", side.base(), q.id)).into_response()),
        Err(e) => {
            let (r, code) = refused(e)?;
            render_status(code, &help_page(&state, &s, side, String::new(), Some(r), d).await?)
        }
    }
}

pub async fn business_raise(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    raise(state, form, Side::Business).await
}

pub async fn worker_raise(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    raise(state, form, Side::Worker).await
}

pub struct Message {
    pub who: String,
    pub did: &'static str,
    pub at: String,
    pub lines: Vec<String>,
}

/// A step the reader may take now, as a submit button of the thread's form.
pub struct Button {
    pub action: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "contact/thread.html")]
struct Thread {
    nav: Nav,
    operator: bool,
    back: &'static str,
    action: String,
    zone: String,
    notice: String,
    refusal: Option<Refusal>,
    id: i64,
    subject: String,
    status: &'static str,
    category: &'static str,
    priority: &'static str,
    escalations: i64,
    opened: String,
    first: Target,
    resolution: Target,
    about: String,
    about_href: String,
    customer: String,
    customer_href: String,
    messages: Vec<Message>,
    buttons: Vec<Button>,
    text_label: &'static str,
    text: String,
}

fn did(action: &str) -> &'static str {
    match action {
        "raise" => "raised the inquiry",
        "reply" => "replied",
        "answer" => "answered",
        "wait" => "asked for more and waits for the customer",
        "resolve" => "resolved it",
        "reopen" => "reopened it",
        _ => "wrote",
    }
}

/// Where a customer finds the record the inquiry is about (operators read
/// the id and open it from the customer's timeline).
fn about_link(a: About, base: Option<&str>) -> (String, String) {
    let text = format!("{} {}", a.kind(), a.id());
    let href = match (a, base) {
        (About::Booking(b), Some(base)) => format!("{base}/bookings/{b}"),
        (About::Document(d), Some("/b")) => format!("/b/documents/{d}/print"),
        (About::Document(d), Some(_)) => format!("/w/pay/{d}"),
        (About::Timesheet(_), Some(base)) => format!("{base}/timesheets"),
        (_, None) => String::new(),
    };
    (text, href)
}

/// The thread as `side` (a customer) or an operator (`None`) reads it.
async fn thread_page(state: &AppState, s: &Session, side: Option<Side>, id: i64, notice: String, refusal: Option<Refusal>, text: String) -> Result<Thread, PortalError> {
    match side {
        Some(side) => side.check(s)?,
        None => operator::operator(s)?,
    }
    let operator = side.is_none();
    let zone = super::reader_zone(state, s).await?;
    // Scoped by the store: another customer's inquiry is not found.
    let t = inquiries::get(&state.exchange, &s.principal(), id).await?;
    let q = &t.inquiry;
    let customer = if operator { customer_name(state, q.customer).await } else { String::new() };
    let messages = t
        .messages
        .iter()
        .map(|m| Message {
            who: match (m.author, operator) {
                (InquiryAuthor::Customer, false) => "You".into(),
                (InquiryAuthor::Customer, true) => customer.clone(),
                (InquiryAuthor::Operator, _) => "Slivers support".into(),
            },
            did: did(&m.action),
            at: when(m.at, &zone),
            lines: lines(&m.text),
        })
        .collect();
    // The buttons are the steps the state machine allows this reader now.
    let offered: &[(InquiryAction, &str, &str)] = if operator {
        &[(InquiryAction::Answer, "Answer", ""), (InquiryAction::Wait, "Ask and wait on the customer", "secondary"), (InquiryAction::Resolve, "Resolve", "secondary"), (InquiryAction::Reopen, "Reopen", "secondary")]
    } else {
        &[(InquiryAction::Reply, "Send reply", ""), (InquiryAction::Reopen, "Reopen", "")]
    };
    let buttons: Vec<Button> = offered.iter().filter(|(a, _, _)| q.status.apply(*a).is_ok()).map(|(a, label, class)| Button { action: a.as_str(), label, class }).collect();
    let text_label = match (operator, q.status) {
        (false, InquiryStatus::Resolved) => "Why reopen it?",
        (false, _) => "Your reply",
        (true, InquiryStatus::Resolved) => "Why reopen it? (the customer reads this)",
        (true, _) => "Message to the customer (may be empty when resolving)",
    };
    let base = side.map(Side::base);
    let (about, about_href) = q.about.map(|a| about_link(a, base)).unwrap_or_default();
    Ok(Thread {
        nav: Nav::new(s, super::help_href(s)),
        operator,
        back: super::help_href(s),
        action: format!("{}/inquiries/{id}/step", base.unwrap_or("/op")),
        zone: zone.name().to_string(),
        notice,
        refusal,
        id,
        subject: q.subject.clone(),
        status: status_text(q.status, operator),
        category: q.category.as_str(),
        priority: q.priority.as_str(),
        escalations: q.escalations,
        opened: when(q.opened_at, &zone),
        first: target(&q.first_response, &zone, held(operator)),
        resolution: target(&q.resolution, &zone, held(operator)),
        about,
        about_href,
        customer_href: customer_timeline(q.customer),
        customer,
        messages,
        buttons,
        text_label,
        text,
    })
}

async fn thread(state: AppState, s: Session, side: Option<Side>, id: i64) -> Result<Response, PortalError> {
    render_status(StatusCode::OK, &thread_page(&state, &s, side, id, String::new(), None, String::new()).await?)
}

pub async fn business_thread(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    thread(state, s, Some(Side::Business), id).await
}

pub async fn worker_thread(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    thread(state, s, Some(Side::Worker), id).await
}

pub async fn operator_thread(State(state): State<AppState>, s: Session, Path(id): Path<i64>) -> Result<Response, PortalError> {
    thread(state, s, None, id).await
}

fn done(a: InquiryAction) -> &'static str {
    match a {
        InquiryAction::Reply => "Reply sent.",
        InquiryAction::Answer => "Answer sent to the customer.",
        InquiryAction::Wait => "Sent; the inquiry waits on the customer and its clock stands still.",
        InquiryAction::Resolve => "Resolved.",
        InquiryAction::Reopen => "Reopened.",
    }
}

/// One step on the thread: the button pressed names the action.
async fn step(state: AppState, form: Posted, side: Option<Side>, id: i64) -> Result<Response, PortalError> {
    let s = form.session;
    // Read the thread first: another customer's inquiry is a 404 before the text is judged.
    thread_page(&state, &s, side, id, String::new(), None, String::new()).await?;
    let text = form.fields.get("text").unwrap_or("").to_string();
    let stepped = match InquiryAction::parse_field(form.fields.get("action").unwrap_or("")) {
        Ok(action) => inquiries::step(&state.exchange, &s.principal(), id, &InquiryStep { action, text: text.clone() }).await.map(|_| action),
        Err(i) => Err(ExchangeError::Invalid(i)),
    };
    let (notice, refusal, code, keep) = match stepped {
        Ok(a) => (done(a).to_string(), None, StatusCode::OK, String::new()),
        Err(e) => {
            let (r, code) = refused(e)?;
            (String::new(), Some(r), code, text)
        }
    };
    render_status(code, &thread_page(&state, &s, side, id, notice, refusal, keep).await?)
}

pub async fn business_step(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    step(state, form, Some(Side::Business), id).await
}

pub async fn worker_step(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    step(state, form, Some(Side::Worker), id).await
}

pub async fn operator_step(State(state): State<AppState>, Path(id): Path<i64>, form: Posted) -> Result<Response, PortalError> {
    step(state, form, None, id).await
}

/// A span in words: whole minutes are measured, so 0 is "under a minute".
fn span(m: i64) -> String {
    if m <= 0 { "under a minute".into() } else { hours(m) }
}

/// A percentile in words; "none yet" before anything was measured.
fn minutes(m: Option<i64>) -> String {
    m.map(span).unwrap_or_else(|| "none yet".into())
}

pub struct Stats {
    pub name: String,
    pub href: String,
    pub inquiries: usize,
    pub first_p50: String,
    pub first_p90: String,
    pub resolution_p50: String,
    pub resolution_p90: String,
}

fn stats(name: String, href: String, s: &ResponseStats) -> Stats {
    Stats {
        name,
        href,
        inquiries: s.inquiries,
        first_p50: minutes(s.first_response.p50),
        first_p90: minutes(s.first_response.p90),
        resolution_p50: minutes(s.resolution.p50),
        resolution_p90: minutes(s.resolution.p90),
    }
}

pub struct WaitingRow {
    pub name: String,
    pub href: String,
    pub inquiry: i64,
    pub since: String,
    pub waiting: String,
    pub unanswered: usize,
}

#[derive(Template)]
#[template(path = "contact/desk.html")]
struct Desk {
    nav: Nav,
    zone: String,
    rows: Vec<Row>,
    resolved: Vec<Row>,
    overall: Stats,
    per_customer: Vec<Stats>,
    waiting: Vec<WaitingRow>,
}

/// How many resolved inquiries the queue still shows, latest first.
const RESOLVED_SHOWN: usize = 20;

/// The operators' queue: inquiries not resolved first (the oldest first,
/// as they have waited longest), the customer named, then the latest
/// resolved; and the response-time panel.
pub async fn desk(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    operator::operator(&s)?;
    let who = s.principal();
    let zone = inquiries::settings(&state.exchange).await?.hours.zone;
    let all = inquiries::list(&state.exchange, &who, &InquiryFilter::default(), Page::all()).await?;
    let times = inquiries::response_times(&state.exchange, &who, &InquiryFilter::default()).await?;
    let mut names: HashMap<Customer, String> = HashMap::new();
    for c in all.iter().map(|q| q.customer).chain(times.per_customer.iter().map(|c| c.customer)) {
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(c) {
            e.insert(customer_name(&state, c).await);
        }
    }
    let name = |c: Customer| names.get(&c).cloned().unwrap_or_default();
    let (mut resolved, mut open): (Vec<&Inquiry>, Vec<&Inquiry>) = all.iter().partition(|q| q.status == InquiryStatus::Resolved);
    open.sort_by_key(|q| (q.status != InquiryStatus::Open, q.opened_at, q.id));
    resolved.sort_by_key(|q| std::cmp::Reverse((q.resolved_at, q.id)));
    let rows = open.iter().map(|q| row(q, "/op", &zone, true, name(q.customer))).collect();
    let resolved = resolved.iter().take(RESOLVED_SHOWN).map(|q| row(q, "/op", &zone, true, name(q.customer))).collect();
    let page = Desk {
        nav: Nav::new(&s, "/op/help"),
        zone: zone.name().to_string(),
        rows,
        resolved,
        overall: stats("All customers".into(), String::new(), &times.overall),
        per_customer: times.per_customer.iter().map(|c| stats(name(c.customer), customer_timeline(c.customer), &c.stats)).collect(),
        waiting: times
            .waiting_longest
            .iter()
            .map(|w| WaitingRow {
                name: name(w.customer),
                href: customer_timeline(w.customer),
                inquiry: w.inquiry_id,
                since: when(w.opened_at, &zone),
                waiting: span(w.waiting_minutes),
                unanswered: w.unanswered,
            })
            .collect(),
    };
    render_status(StatusCode::OK, &page)
}

/// The targets-met report as a CSV download (every inquiry, operators only).
pub async fn targets_csv(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    operator::operator(&s)?;
    let body = inquiries::targets_report_csv(&state.exchange, &s.principal(), &InquiryFilter::default()).await?;
    Ok(super::csv_download(body, "inquiry-targets.csv"))
}
