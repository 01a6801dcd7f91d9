//! Inquiries: a customer raises one and talks with operators in its thread;
//! the exchange's service hours and response targets (the contact settings);
//! the report of targets met (CSV) and response times (nearest-rank p50/p90).
//! Every decision is the use case's (`slivers_exchange::inquiries`): these
//! handlers map requests to it and its errors to problem documents.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;
use slivers_core::contact::{Customer, InquiryAction, InquiryCategory, InquiryStatus, Priority};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::Invalid;
use slivers_exchange::inquiries::{self, ResponseTimes};
use slivers_store::{About, ContactSettings, Inquiry, InquiryFilter, InquiryStep, InquiryThread, NewInquiry};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{checked_page, typed};
use crate::auth::Caller;
use crate::extract::{Json, Path, Query};
use crate::{AppError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, set_settings))
        .routes(routes!(raise, list))
        // Static segments: matched before `/inquiries/{id}` (matchit prefers them).
        .routes(routes!(report_csv))
        .routes(routes!(response_times))
        .routes(routes!(get_inquiry))
        .routes(routes!(step))
}

/// The service hours and response targets in force: the promises the
/// exchange makes, so anyone signed in may read them.
#[utoipa::path(get, path = "/contact-settings", tag = "inquiries", security(("token" = [])),
    responses((status = 200, body = ContactSettings)))]
async fn get_settings(State(state): State<AppState>, _caller: Caller) -> Result<axum::Json<ContactSettings>, AppError> {
    Ok(axum::Json(inquiries::settings(&state.exchange).await?))
}

/// Replace the service hours and the target table (operators). Every
/// category × priority needs exactly one row; inquiries already raised keep
/// the targets they were promised.
#[utoipa::path(put, path = "/contact-settings", tag = "inquiries", security(("token" = [])), request_body = ContactSettings,
    responses((status = 200, body = ContactSettings), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn set_settings(State(state): State<AppState>, caller: Caller, Json(s): Json<ContactSettings>) -> Result<axum::Json<ContactSettings>, AppError> {
    Ok(axum::Json(inquiries::set_settings(&state.exchange, &caller.principal(), &s).await?))
}

/// A customer's new inquiry. The bounds mirror `slivers_core::contact`
/// (`SUBJECT_CHARS`, `BODY_CHARS`), which the store enforces; a test holds
/// the document to them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseInquiry {
    pub category: InquiryCategory,
    /// `normal` when absent.
    pub priority: Option<Priority>,
    /// 3 to 200 characters.
    #[schema(min_length = 3, max_length = 200, pattern = r"\S[\s\S]+\S")]
    pub subject: String,
    /// The first message of the thread, 1 to 5000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub text: String,
    /// One of the caller's own documents, bookings or timesheets, e.g. `{"kind": "booking", "id": 12}`.
    pub about: Option<About>,
}

/// Raise an inquiry (a business or a worker; operators answer instead).
/// Its targets are fixed now, from the table in force.
#[utoipa::path(post, path = "/inquiries", tag = "inquiries", security(("token" = [])), request_body = RaiseInquiry,
    responses((status = 201, body = Inquiry), (status = 403, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn raise(State(state): State<AppState>, caller: Caller, Json(b): Json<RaiseInquiry>) -> Result<(StatusCode, axum::Json<Inquiry>), AppError> {
    let n = NewInquiry { category: b.category, priority: b.priority.unwrap_or(Priority::Normal), subject: b.subject, text: b.text, about: b.about };
    Ok((StatusCode::CREATED, axum::Json(inquiries::raise(&state.exchange, &caller.principal(), &n).await?)))
}

/// Which inquiries the report and response times cover: always within the
/// caller's own (operators: all). No paging: they cover every one selected.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InquirySelection {
    /// One business's inquiries (at most one of `business_id` and `worker_id`).
    pub business_id: Option<i64>,
    /// One worker's inquiries.
    pub worker_id: Option<i64>,
    pub status: Option<InquiryStatus>,
    pub category: Option<InquiryCategory>,
    /// Opened at or after this instant (RFC 3339).
    pub opened_from: Option<Timestamp>,
    /// Opened before this instant.
    pub opened_to: Option<Timestamp>,
}

impl InquirySelection {
    fn filter(&self) -> Result<InquiryFilter, AppError> {
        let customer = match (self.business_id, self.worker_id) {
            (Some(b), None) => Some(Customer::Business(BusinessId(b))),
            (None, Some(w)) => Some(Customer::Worker(WorkerId(w))),
            (None, None) => None,
            (Some(_), Some(_)) => return Err(Invalid::one("worker_id", "give at most one of business_id and worker_id").into()),
        };
        if let (Some(from), Some(to)) = (self.opened_from, self.opened_to)
            && to <= from
        {
            return Err(Invalid::one("opened_to", "must be after opened_from").into());
        }
        Ok(InquiryFilter { customer, status: self.status, category: self.category, opened_from: self.opened_from, opened_to: self.opened_to })
    }
}

/// The list's selection and page. The selection's fields are repeated
/// rather than flattened: serde cannot refuse unknown fields through a flatten.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InquiryQuery {
    /// One business's inquiries (at most one of `business_id` and `worker_id`).
    pub business_id: Option<i64>,
    /// One worker's inquiries.
    pub worker_id: Option<i64>,
    pub status: Option<InquiryStatus>,
    pub category: Option<InquiryCategory>,
    /// Opened at or after this instant (RFC 3339).
    pub opened_from: Option<Timestamp>,
    /// Opened before this instant.
    pub opened_to: Option<Timestamp>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Skip this many (0 to 100000).
    #[param(minimum = 0, maximum = 100000)]
    pub offset: Option<i64>,
}

impl InquiryQuery {
    fn selection(&self) -> InquirySelection {
        InquirySelection {
            business_id: self.business_id,
            worker_id: self.worker_id,
            status: self.status,
            category: self.category,
            opened_from: self.opened_from,
            opened_to: self.opened_to,
        }
    }
}

/// The caller's inquiries (operators: everyone's), oldest first, with each
/// target's due time and state as of now.
#[utoipa::path(get, path = "/inquiries", tag = "inquiries", security(("token" = [])), params(InquiryQuery),
    responses((status = 200, body = [Inquiry]), (status = 422, body = crate::Problem)))]
async fn list(State(state): State<AppState>, caller: Caller, Query(q): Query<InquiryQuery>) -> Result<axum::Json<Vec<Inquiry>>, AppError> {
    let (filter, page) = (q.selection().filter()?, checked_page(q.limit, q.offset)?);
    Ok(axum::Json(inquiries::list(&state.exchange, &caller.principal(), &filter, page).await?))
}

/// An inquiry and its whole thread, oldest message first.
#[utoipa::path(get, path = "/inquiries/{id}", tag = "inquiries", security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = InquiryThread), (status = 404, body = crate::Problem)))]
async fn get_inquiry(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> Result<axum::Json<InquiryThread>, AppError> {
    Ok(axum::Json(inquiries::get(&state.exchange, &caller.principal(), id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    pub action: InquiryAction,
    /// What is said with the step (1 to 5000 characters); may be empty only when resolving.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub text: String,
}

/// One step on the thread: the customer `reply`s or `reopen`s; an operator
/// `answer`s, `wait`s on the customer (the clock pauses), `resolve`s or
/// `reopen`s. A step the state does not allow is a 409 naming the rule
/// `inquiry_state`.
#[utoipa::path(post, path = "/inquiries/{id}/steps", tag = "inquiries", security(("token" = [])), params(("id" = i64, Path)),
    request_body = StepBody,
    responses((status = 200, body = Inquiry), (status = 403, body = crate::Problem), (status = 404, body = crate::Problem),
        (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
async fn step(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>, Json(b): Json<StepBody>) -> Result<axum::Json<Inquiry>, AppError> {
    let s = InquiryStep { action: b.action, text: b.text };
    Ok(axum::Json(inquiries::step(&state.exchange, &caller.principal(), id, &s).await?))
}

/// Targets met, as CSV: one row per inquiry the caller may see (filters as
/// for the list, without paging) with its times, each target's due time and
/// `yes` / `no` / empty (still running) for whether it was met.
#[utoipa::path(get, path = "/inquiries/report.csv", tag = "inquiries", security(("token" = [])), params(InquirySelection),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::Problem)))]
async fn report_csv(State(state): State<AppState>, caller: Caller, Query(q): Query<InquirySelection>) -> Result<Response, AppError> {
    let csv = inquiries::targets_report_csv(&state.exchange, &caller.principal(), &q.filter()?).await?;
    Ok(typed("text/csv; charset=utf-8", csv, Some("inquiry-targets.csv".to_string())))
}

/// Response times over the inquiries the caller may see (a customer: their
/// own; operators: all): nearest-rank p50 and p90 in wall-clock minutes from
/// opening to first response and to resolution, overall and per customer,
/// and the customers waiting longest for a first answer.
#[utoipa::path(get, path = "/inquiries/response-times", tag = "inquiries", security(("token" = [])), params(InquirySelection),
    responses((status = 200, body = ResponseTimes), (status = 422, body = crate::Problem)))]
async fn response_times(State(state): State<AppState>, caller: Caller, Query(q): Query<InquirySelection>) -> Result<axum::Json<ResponseTimes>, AppError> {
    Ok(axum::Json(inquiries::response_times(&state.exchange, &caller.principal(), &q.filter()?).await?))
}
