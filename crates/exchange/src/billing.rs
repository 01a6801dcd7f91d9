//! Money after the work: a business's billing terms, the billing run
//! (invoices to businesses, pay statements to workers), credit notes with
//! corrected invoices, and every document as JSON, a Peppol BIS 3.0 UBL
//! e-invoice, a printable page or CSV.

use std::collections::BTreeSet;

use serde::Serialize;
use slivers_core::documents::{Document, Party, PayStatement};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::timesheet::TimesheetStatus;
use slivers_store::{BillingSettings, Conflict, Credit, DocumentFilter, DocumentSummary, Page, Scope, TimesheetFilter};

use crate::{Exchange, ExchangeError, Principal, Result};

/// The exchange as the seller on every invoice.
pub fn exchange_party() -> Party {
    Party {
        name: "Slivers Exchange Ltd".into(),
        street: "1 Market Street".into(),
        city: "Leeds".into(),
        postcode: "LS1 1AA".into(),
        country: "GB".into(),
        vat_id: Some("GB999999973".into()),
        endpoint_scheme: "0088".into(),
        endpoint_id: "5060000000023".into(),
    }
}

fn own_business(who: &Principal, id: BusinessId) -> Result<()> {
    match who.scope {
        Scope::All => Ok(()),
        Scope::Business(b) if b == id => Ok(()),
        _ => Err(ExchangeError::NotFound("business")),
    }
}

pub async fn settings(ex: &Exchange, who: &Principal, business: BusinessId) -> Result<BillingSettings> {
    own_business(who, business)?;
    Ok(ex.store.get_billing(business, &who.scope).await?)
}

pub async fn set_settings(ex: &Exchange, who: &Principal, business: BusinessId, s: &BillingSettings) -> Result<BillingSettings> {
    own_business(who, business)?;
    Ok(ex.store.set_billing(business, s, &who.actor, ex.now()).await?)
}

/// What one billing run issued, and which businesses it could not invoice.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingRun {
    pub invoices: Vec<Document>,
    pub pay_statements: Vec<PayStatement>,
    /// Businesses with approved work but no billing details yet.
    pub waiting_for_details: Vec<BusinessId>,
}

/// Invoice every business and pay every worker for ended periods. Operators
/// (and the background tick) only.
pub async fn run(ex: &Exchange, who: &Principal) -> Result<BillingRun> {
    who.require_operator("only operators run billing")?;
    let approved = ex
        .store
        .list_timesheets(&TimesheetFilter { status: Some(TimesheetStatus::Approved), ..Default::default() }, &Scope::All, Page::all())
        .await?;
    let businesses: BTreeSet<BusinessId> = approved.iter().filter(|t| t.invoice_id.is_none()).map(|t| t.business_id).collect();
    let workers: BTreeSet<WorkerId> = approved.iter().map(|t| t.worker_id).collect();
    let now = ex.now();
    let seller = exchange_party();
    let mut out = BillingRun::default();
    for b in businesses {
        match ex.store.issue_invoices(b, &seller, &who.actor, now).await {
            Ok(mut docs) => out.invoices.append(&mut docs),
            Err(slivers_store::StoreError::Conflict(Conflict::Refused { rule: "billing", .. })) => out.waiting_for_details.push(b),
            Err(e) => return Err(e.into()),
        }
    }
    for w in workers {
        out.pay_statements.append(&mut ex.store.issue_pay_statements(w, &who.actor, now).await?);
    }
    Ok(out)
}

/// Cancel an invoice in full with a credit note that says why, apply the
/// corrections, and issue the corrected invoice. Operators only: it is the
/// exchange admitting its mistake.
pub async fn credit(ex: &Exchange, who: &Principal, invoice: i64, credit: &Credit) -> Result<(Document, Option<Document>)> {
    who.require_operator("only the exchange issues credit notes; a business disputes a timesheet")?;
    Ok(ex.store.credit_invoice(invoice, credit, &who.actor, ex.now()).await?)
}

pub async fn document(ex: &Exchange, who: &Principal, id: i64) -> Result<Document> {
    Ok(ex.store.get_document(id, &who.scope).await?)
}

pub async fn pay_statement(ex: &Exchange, who: &Principal, id: i64) -> Result<PayStatement> {
    Ok(ex.store.get_pay_statement(id, &who.scope).await?)
}

pub async fn documents(ex: &Exchange, who: &Principal, filter: &DocumentFilter, page: Page) -> Result<Vec<DocumentSummary>> {
    Ok(ex.store.list_documents(filter, &who.scope, page).await?)
}

/// The invoice or credit note as a Peppol BIS Billing 3.0 UBL document.
pub async fn ubl(ex: &Exchange, who: &Principal, id: i64) -> Result<String> {
    Ok(slivers_documents::ubl::to_ubl(&document(ex, who, id).await?))
}

/// The invoice or credit note as a printable HTML page.
pub async fn printable(ex: &Exchange, who: &Principal, id: i64) -> Result<String> {
    Ok(slivers_documents::print::invoice_html(&document(ex, who, id).await?))
}

pub async fn printable_pay_statement(ex: &Exchange, who: &Principal, id: i64) -> Result<String> {
    let p = pay_statement(ex, who, id).await?;
    let name = ex.store.get_worker(p.worker_id, &Scope::All).await?.name;
    Ok(slivers_documents::print::pay_statement_html(&p, &name))
}

/// What the CSV exports hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Timesheets,
    Documents,
}

#[derive(Serialize)]
struct TimesheetRow {
    id: i64,
    booking_id: i64,
    worker_id: i64,
    business_id: i64,
    kind: String,
    status: String,
    scheduled_start: String,
    scheduled_end: String,
    check_in: String,
    check_out: String,
    break_minutes: i64,
    late_minutes: i64,
    approved_minutes: String,
    invoice_id: String,
}

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default()
}

/// A CSV export of what the principal may see.
pub async fn export_csv(ex: &Exchange, who: &Principal, what: Export) -> Result<String> {
    let csv = match what {
        Export::Timesheets => {
            let rows: Vec<TimesheetRow> = ex
                .store
                .list_timesheets(&TimesheetFilter::default(), &who.scope, Page::all())
                .await?
                .into_iter()
                .map(|t| TimesheetRow {
                    id: t.id,
                    booking_id: t.booking_id.0,
                    worker_id: t.worker_id.0,
                    business_id: t.business_id.0,
                    kind: text(&t.kind),
                    status: text(&t.status),
                    scheduled_start: t.scheduled.start.to_string(),
                    scheduled_end: t.scheduled.end.to_string(),
                    check_in: t.check_in.map(|x| x.to_string()).unwrap_or_default(),
                    check_out: t.check_out.map(|x| x.to_string()).unwrap_or_default(),
                    break_minutes: t.break_minutes,
                    late_minutes: t.late_minutes,
                    approved_minutes: t.approved_minutes.map(|m| m.to_string()).unwrap_or_default(),
                    invoice_id: t.invoice_id.map(|m| m.to_string()).unwrap_or_default(),
                })
                .collect();
            slivers_documents::csv::write(&rows)
        }
        Export::Documents => {
            let rows = ex.store.list_documents(&DocumentFilter::default(), &who.scope, Page::all()).await?;
            slivers_documents::csv::write(&rows)
        }
    };
    csv.map_err(|e| ExchangeError::Internal(e.to_string()))
}

/// The after-the-work sweep in the background: approve timesheets whose
/// review window ended, then invoice and pay for ended periods.
pub fn run_background(ex: Exchange, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = crate::timesheets::auto_approve(&ex).await {
                tracing::warn!(error = %e, "timesheet auto-approval failed");
            }
            match run(&ex, &Principal::system()).await {
                Ok(r) if !r.invoices.is_empty() || !r.pay_statements.is_empty() => {
                    tracing::info!(invoices = r.invoices.len(), pay_statements = r.pay_statements.len(), "billing run");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "billing run failed"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
