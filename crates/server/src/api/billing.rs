//! Billing: a business's terms and details, the billing run, invoices and
//! credit notes (JSON, Peppol UBL, printable), pay statements, CSV exports
//! and calendar feeds.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use slivers_core::documents::{Document, DocumentKind, PayStatement};
use slivers_core::ids::BusinessId;
use slivers_exchange::billing::{self, BillingRun, Export};
use slivers_exchange::calendar;
use slivers_store::{BillingSettings, CalendarFeed, Credit, DocumentFilter, DocumentKindFilter, DocumentSummary};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{typed, Paging};
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, set_settings))
        .routes(routes!(run))
        .routes(routes!(list_documents))
        .routes(routes!(get_document))
        .routes(routes!(get_ubl))
        .routes(routes!(get_printable))
        .routes(routes!(credit))
        .routes(routes!(get_pay_statement))
        .routes(routes!(get_pay_statement_printable))
        .routes(routes!(export))
        .routes(routes!(list_feeds, create_feed))
        .routes(routes!(revoke_feed))
        .routes(routes!(feed))
        .routes(routes!(import_shifts))
        .routes(routes!(import_sites))
        .routes(routes!(import_workers))
}

#[utoipa::path(get, path = "/businesses/{id}/billing", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = BillingSettings), (status = 404, body = crate::Problem)))]
async fn get_settings(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<BillingSettings>, AppError> {
    Ok(axum::Json(billing::settings(&state.exchange, &caller.principal(), BusinessId(id)).await?))
}

/// Billing terms (period, review window, cancellation notice and pay share,
/// fee, tax, premiums) and the legal details invoices are addressed to.
#[utoipa::path(put, path = "/businesses/{id}/billing", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    request_body = BillingSettings,
    responses((status = 200, body = BillingSettings), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_settings(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(s): Json<BillingSettings>) -> Result<axum::Json<BillingSettings>, AppError> {
    Ok(axum::Json(billing::set_settings(&state.exchange, &caller.principal(), BusinessId(id), &s).await?))
}

/// Invoice every business and pay every worker for ended periods (operators).
#[utoipa::path(post, path = "/billing/run", tag = "billing", security(("token" = [])),
    responses((status = 200, body = BillingRun), (status = 403, body = crate::Problem)))]
async fn run(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<BillingRun>, AppError> {
    Ok(axum::Json(billing::run(&state.exchange, &caller.principal()).await?))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindParam {
    Invoice,
    CreditNote,
    PayStatement,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    // Inline: a type used only in parameters is not collected into the
    // document's schemas, so a `$ref` to it would dangle.
    #[param(inline)]
    pub kind: Option<KindParam>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Invoices and credit notes (a business's), pay statements (a worker's), or all (operators).
#[utoipa::path(get, path = "/documents", tag = "billing", security(("token" = [])), params(DocumentQuery),
    responses((status = 200, body = [DocumentSummary]), (status = 422, body = crate::Problem)))]
async fn list_documents(State(state): State<AppState>, caller: Caller, Query(q): Query<DocumentQuery>) -> Result<axum::Json<Vec<DocumentSummary>>, AppError> {
    let kind = q.kind.map(|k| match k {
        KindParam::Invoice => DocumentKindFilter::Billing(DocumentKind::Invoice),
        KindParam::CreditNote => DocumentKindFilter::Billing(DocumentKind::CreditNote),
        KindParam::PayStatement => DocumentKindFilter::PayStatement,
    });
    let page = Paging { limit: q.limit, offset: q.offset }.page()?;
    Ok(axum::Json(billing::documents(&state.exchange, &caller.principal(), &DocumentFilter { kind, ..Default::default() }, page).await?))
}

/// An invoice or credit note, with every line, tax and total.
#[utoipa::path(get, path = "/documents/{id}", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Document), (status = 404, body = crate::Problem)))]
async fn get_document(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<Document>, AppError> {
    Ok(axum::Json(billing::document(&state.exchange, &caller.principal(), id).await?))
}

/// The invoice or credit note as a UBL 2.1 e-invoice (Peppol BIS Billing 3.0).
#[utoipa::path(get, path = "/documents/{id}/ubl", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/xml", body = String), (status = 404, body = crate::Problem)))]
async fn get_ubl(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<Response, AppError> {
    let xml = billing::ubl(&state.exchange, &caller.principal(), id).await?;
    Ok(typed("application/xml", xml, Some(format!("document-{id}.xml"))))
}

/// The invoice or credit note as a printable page.
#[utoipa::path(get, path = "/documents/{id}/print", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::Problem)))]
async fn get_printable(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(typed("text/html; charset=utf-8", billing::printable(&state.exchange, &caller.principal(), id).await?, None))
}

/// The corrected invoice, if anything is left to bill, after the credit note.
#[derive(Debug, Serialize, ToSchema)]
pub struct Credited {
    pub credit_note: Document,
    pub corrected_invoice: Option<Document>,
}

/// Cancel an invoice with a credit note stating the reason, correct its
/// timesheets' minutes, and issue the corrected invoice (operators).
#[utoipa::path(post, path = "/documents/{id}/credit", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    request_body = Credit,
    responses((status = 201, body = Credited), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn credit(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(c): Json<Credit>) -> Result<(StatusCode, axum::Json<Credited>), AppError> {
    let (credit_note, corrected_invoice) = billing::credit(&state.exchange, &caller.principal(), id, &c).await?;
    Ok((StatusCode::CREATED, axum::Json(Credited { credit_note, corrected_invoice })))
}

#[utoipa::path(get, path = "/pay-statements/{id}", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PayStatement), (status = 404, body = crate::Problem)))]
async fn get_pay_statement(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<PayStatement>, AppError> {
    Ok(axum::Json(billing::pay_statement(&state.exchange, &caller.principal(), id).await?))
}

#[utoipa::path(get, path = "/pay-statements/{id}/print", tag = "billing", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::Problem)))]
async fn get_pay_statement_printable(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(typed("text/html; charset=utf-8", billing::printable_pay_statement(&state.exchange, &caller.principal(), id).await?, None))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Timesheets,
    Documents,
}

/// A CSV export (timesheets, or invoices, credit notes and pay statements) of what the caller may see.
#[utoipa::path(get, path = "/exports/{kind}", tag = "billing", security(("token" = [])), params(("kind" = inline(ExportKind), Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = crate::Problem)))]
async fn export(State(state): State<AppState>, caller: Caller, Path(kind): Path<ExportKind>) -> Result<Response, AppError> {
    let what = match kind {
        ExportKind::Timesheets => Export::Timesheets,
        ExportKind::Documents => Export::Documents,
    };
    let csv = billing::export_csv(&state.exchange, &caller.principal(), what).await?;
    let name = match kind {
        ExportKind::Timesheets => "timesheets.csv",
        ExportKind::Documents => "documents.csv",
    };
    Ok(typed("text/csv; charset=utf-8", csv, Some(name.to_string())))
}

/// The caller's calendar feeds (workers and businesses).
#[utoipa::path(get, path = "/calendar-feeds", tag = "calendar", security(("token" = [])),
    responses((status = 200, body = [CalendarFeed]), (status = 403, body = crate::Problem)))]
async fn list_feeds(State(state): State<AppState>, caller: Caller) -> Result<axum::Json<Vec<CalendarFeed>>, AppError> {
    Ok(axum::Json(calendar::list(&state.exchange, &caller.principal()).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewFeed {
    pub feed: CalendarFeed,
    /// The secret address, shown once: `/api/v1/calendar/{token}`.
    pub url: String,
}

/// A new secret calendar address for the caller's bookings (worker) or shifts (business).
#[utoipa::path(post, path = "/calendar-feeds", tag = "calendar", security(("token" = [])),
    responses((status = 201, body = NewFeed), (status = 403, body = crate::Problem)))]
async fn create_feed(State(state): State<AppState>, caller: Caller) -> Result<(StatusCode, axum::Json<NewFeed>), AppError> {
    let (feed, token) = calendar::create(&state.exchange, &caller.principal()).await?;
    Ok((StatusCode::CREATED, axum::Json(NewFeed { feed, url: format!("/api/v1/calendar/{token}") })))
}

/// Revoke a feed: its address answers 404 from now on.
#[utoipa::path(delete, path = "/calendar-feeds/{id}", tag = "calendar", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem)))]
async fn revoke_feed(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    calendar::revoke(&state.exchange, &caller.principal(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The iCalendar feed behind a secret token (no other credentials: calendar apps cannot send them).
#[utoipa::path(get, path = "/calendar/{token}", tag = "calendar", params(("token" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = crate::Problem)))]
async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    Ok(typed("text/calendar; charset=utf-8", calendar::render(&state.exchange, &token).await?, None))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Check every row and report, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Required for operators; a business member imports for their own business.
    pub business_id: Option<i64>,
}

/// Import shifts from CSV (header `site_id,start,end,skill,level,headcount,pay_rate,bill_rate,currency,notes`).
/// Every bad row is named with its reason (`rows[N].field` or `line L`) and a file with any bad row writes nothing.
#[utoipa::path(post, path = "/imports/shifts", tag = "billing", security(("token" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = slivers_exchange::imports::ImportReport), (status = 201, body = slivers_exchange::imports::ImportReport),
        (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 413, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn import_shifts(State(state): State<AppState>, caller: Caller, Query(q): Query<ImportQuery>, body: String) -> Result<(StatusCode, axum::Json<slivers_exchange::imports::ImportReport>), AppError> {
    let report = slivers_exchange::imports::shifts(&state.exchange, &caller.principal(), q.business_id.map(BusinessId), &body, q.dry_run).await?;
    Ok((if q.dry_run { StatusCode::OK } else { StatusCode::CREATED }, axum::Json(report)))
}

/// Import sites from CSV (header `name,zone,lat,lon`), all or nothing, naming every bad row.
#[utoipa::path(post, path = "/imports/sites", tag = "billing", security(("token" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = slivers_exchange::imports::ImportReport), (status = 201, body = slivers_exchange::imports::ImportReport),
        (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 413, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn import_sites(State(state): State<AppState>, caller: Caller, Query(q): Query<ImportQuery>, body: String) -> Result<(StatusCode, axum::Json<slivers_exchange::imports::ImportReport>), AppError> {
    let report = slivers_exchange::imports::sites(&state.exchange, &caller.principal(), q.business_id.map(BusinessId), &body, q.dry_run).await?;
    Ok((if q.dry_run { StatusCode::OK } else { StatusCode::CREATED }, axum::Json(report)))
}

/// Import workers from CSV (header `name,email,zone,skills`, skills as `code:level;code:level`).
/// Each becomes a profile and a login without a password, and is emailed an
/// invitation to claim it; all or nothing, naming every bad row.
#[utoipa::path(post, path = "/imports/workers", tag = "billing", security(("token" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = slivers_exchange::imports::ImportReport), (status = 201, body = slivers_exchange::imports::ImportReport),
        (status = 403, body = crate::Problem), (status = 404, body = crate::Problem), (status = 413, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn import_workers(State(state): State<AppState>, caller: Caller, Query(q): Query<ImportQuery>, body: String) -> Result<(StatusCode, axum::Json<slivers_exchange::imports::ImportReport>), AppError> {
    let report = slivers_exchange::imports::workers(&state.exchange, &caller.principal(), q.business_id.map(BusinessId), &body, q.dry_run).await?;
    Ok((if q.dry_run { StatusCode::OK } else { StatusCode::CREATED }, axum::Json(report)))
}
