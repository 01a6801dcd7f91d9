//! Inquiries: customers raise them, operators answer in a thread; response
//! targets per category and priority run on the exchange's business hours
//! and pause while it waits on the customer. Also the escalation sweep, the
//! CSV report of targets met, and response times measured from the raw
//! records (opened, first answered, resolved).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use slivers_core::contact::{minutes_between, Customer, InquiryAction, InquiryStatus, Percentiles, TargetView};
use slivers_core::service_clock::TargetStatus;
use slivers_store::{ContactSettings, Escalation, Inquiry, InquiryFilter, InquiryStep, InquiryThread, NewInquiry, Page};

use crate::{Exchange, ExchangeError, Principal, Result};

/// The service hours and target table in force. Anyone may read them: they
/// are the promises the exchange makes to its customers.
pub async fn settings(ex: &Exchange) -> Result<ContactSettings> {
    Ok(ex.store.contact_settings().await?)
}

/// Change the service hours, holidays, zone or target table. Operators only.
pub async fn set_settings(ex: &Exchange, who: &Principal, settings: &ContactSettings) -> Result<ContactSettings> {
    who.require_operator("only operators change service hours and response targets")?;
    Ok(ex.store.set_contact_settings(settings, &who.actor, ex.now()).await?)
}

/// A business or worker raises an inquiry, optionally about one of their
/// documents, bookings or timesheets.
pub async fn raise(ex: &Exchange, who: &Principal, inquiry: &NewInquiry) -> Result<Inquiry> {
    if who.is_operator() {
        return Err(ExchangeError::Forbidden("operators answer inquiries; customers raise them"));
    }
    Ok(ex.store.raise_inquiry(inquiry, &who.actor, ex.now()).await?)
}

/// One step of the thread: the customer replies or reopens; an operator
/// answers, waits on the customer, resolves or reopens. A customer taking an
/// operator's step is refused before any lookup, so it reveals nothing.
pub async fn step(ex: &Exchange, who: &Principal, id: i64, step: &InquiryStep) -> Result<Inquiry> {
    if step.action.by_operator() {
        who.require_operator("only operators answer, wait on the customer or resolve an inquiry")?;
    }
    if step.action == InquiryAction::Reply && who.is_operator() {
        return Err(ExchangeError::Forbidden("operators answer; the customer replies"));
    }
    Ok(ex.store.step_inquiry(id, step, &who.actor, ex.now()).await?)
}

pub async fn get(ex: &Exchange, who: &Principal, id: i64) -> Result<InquiryThread> {
    Ok(ex.store.get_inquiry(id, &who.scope, ex.now()).await?)
}

pub async fn list(ex: &Exchange, who: &Principal, filter: &InquiryFilter, page: Page) -> Result<Vec<Inquiry>> {
    Ok(ex.store.list_inquiries(filter, &who.scope, ex.now(), page).await?)
}

/// The sweep: every target breached at `now` raises its inquiry's priority
/// one step and records `inquiry.escalated`, once per breach.
pub async fn escalate_breaches(ex: &Exchange, now: Timestamp) -> Result<Vec<Escalation>> {
    Ok(ex.store.escalate_inquiry_breaches(now).await?)
}

/// Run the escalation sweep every `every` in the background (`slivers serve`).
pub fn run_background(ex: Exchange, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match escalate_breaches(&ex, ex.now()).await {
                Ok(done) if !done.is_empty() => tracing::info!(escalated = done.len(), "inquiry targets breached"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "inquiry escalation sweep failed"),
            }
            tokio::time::sleep(every).await;
        }
    })
}

#[derive(Serialize)]
struct TargetRow {
    inquiry_id: i64,
    customer: String,
    category: String,
    priority: String,
    opened_at: String,
    first_response_at: String,
    first_response_due: String,
    first_response_met: &'static str,
    resolved_at: String,
    resolution_due: String,
    resolution_met: &'static str,
}

fn at(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_string()).unwrap_or_default()
}

/// `yes` when met within the target, `no` when met late or breached, empty
/// while it is still running (or held while waiting on the customer).
fn met(v: &TargetView) -> &'static str {
    match v.status {
        TargetStatus::Met { within: true, .. } => "yes",
        TargetStatus::Met { within: false, .. } | TargetStatus::Breached { .. } => "no",
        TargetStatus::Due { .. } | TargetStatus::Paused | TargetStatus::Unreachable => "",
    }
}

fn customer_label(c: Customer) -> String {
    match c {
        Customer::Business(b) => format!("business {b}"),
        Customer::Worker(w) => format!("worker {w}"),
    }
}

/// The report of targets met, as CSV: per inquiry its category, priority,
/// when it was opened, first answered and resolved, each target's due time,
/// and whether it was met. Within the principal's scope (operators: all).
pub async fn targets_report_csv(ex: &Exchange, who: &Principal, filter: &InquiryFilter) -> Result<String> {
    let rows: Vec<TargetRow> = list(ex, who, filter, Page::all())
        .await?
        .into_iter()
        .map(|q| TargetRow {
            inquiry_id: q.id,
            customer: customer_label(q.customer),
            category: q.category.to_string(),
            priority: q.priority.to_string(),
            opened_at: q.opened_at.to_string(),
            first_response_at: at(q.first_response_at),
            first_response_due: at(q.first_response.due_at),
            first_response_met: met(&q.first_response),
            resolved_at: at(q.resolved_at),
            resolution_due: at(q.resolution.due_at),
            resolution_met: met(&q.resolution),
        })
        .collect();
    slivers_documents::csv::write(&rows).map_err(|e| ExchangeError::Internal(e.to_string()))
}

/// p50 and p90 of the two measured spans, in whole minutes (rounded down)
/// of wall-clock time: opened → first operator response, and opened →
/// (latest) resolution. Percentiles are nearest-rank
/// ([`slivers_core::contact::nearest_rank`]): the value at 1-based rank
/// ⌈p/100 × n⌉ of the sorted spans, always an observed value. Inquiries
/// not yet answered (resolved) are left out of that span's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseStats {
    pub inquiries: usize,
    pub first_response: Percentiles,
    pub resolution: Percentiles,
}

impl ResponseStats {
    fn of<'a>(inquiries: impl IntoIterator<Item = &'a Inquiry>) -> Self {
        let (mut first, mut resolved, mut n) = (Vec::new(), Vec::new(), 0);
        for q in inquiries {
            n += 1;
            first.extend(q.first_response_at.map(|t| minutes_between(q.opened_at, t)));
            resolved.extend(q.resolved_at.map(|t| minutes_between(q.opened_at, t)));
        }
        ResponseStats { inquiries: n, first_response: Percentiles::of(first), resolution: Percentiles::of(resolved) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerResponseTimes {
    pub customer: Customer,
    pub stats: ResponseStats,
}

/// A customer whose inquiry nobody has answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waiting {
    pub customer: Customer,
    /// Their longest-waiting unanswered inquiry.
    pub inquiry_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opened_at: Timestamp,
    /// Wall-clock minutes since it was opened, rounded down.
    pub waiting_minutes: i64,
    /// How many of their open inquiries have no answer.
    pub unanswered: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseTimes {
    pub overall: ResponseStats,
    /// One entry per customer with an inquiry in the selection, by customer.
    pub per_customer: Vec<CustomerResponseTimes>,
    /// Customers with an open, unanswered inquiry, longest wait first (at most [`WAITING_LIST`]).
    pub waiting_longest: Vec<Waiting>,
}

/// How many waiting customers [`response_times`] lists.
pub const WAITING_LIST: usize = 20;

/// Response times over the inquiries `filter` selects within the
/// principal's scope (a business sees only its own), measured from the raw
/// times each inquiry stores. See [`ResponseStats`] for the method.
pub async fn response_times(ex: &Exchange, who: &Principal, filter: &InquiryFilter) -> Result<ResponseTimes> {
    let now = ex.now();
    let all = list(ex, who, filter, Page::all()).await?;
    let mut by_customer: BTreeMap<Customer, Vec<&Inquiry>> = BTreeMap::new();
    for q in &all {
        by_customer.entry(q.customer).or_default().push(q);
    }
    let per_customer = by_customer
        .iter()
        .map(|(c, qs)| CustomerResponseTimes { customer: *c, stats: ResponseStats::of(qs.iter().copied()) })
        .collect();
    let mut waiting: Vec<Waiting> = by_customer
        .iter()
        .filter_map(|(c, qs)| {
            let unanswered: Vec<&&Inquiry> = qs.iter().filter(|q| q.status != InquiryStatus::Resolved && q.first_response_at.is_none()).collect();
            let oldest = unanswered.iter().min_by_key(|q| (q.opened_at, q.id))?;
            Some(Waiting {
                customer: *c,
                inquiry_id: oldest.id,
                opened_at: oldest.opened_at,
                waiting_minutes: minutes_between(oldest.opened_at, now),
                unanswered: unanswered.len(),
            })
        })
        .collect();
    waiting.sort_by_key(|w| (w.opened_at, w.inquiry_id));
    waiting.truncate(WAITING_LIST);
    Ok(ResponseTimes { overall: ResponseStats::of(&all), per_customer, waiting_longest: waiting })
}
