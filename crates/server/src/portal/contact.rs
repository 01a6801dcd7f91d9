//! Talking with customers in the portal: inquiries (a customer's Help page
//! and thread, the operators' queue, thread and response times), the
//! feedback board for every role, and the message thread on a booking.
//! Each handler maps one form to one use case of `slivers_exchange::{inquiries,
//! feedback, messages}` and a refusal back into the page; what follows here
//! is only what the three parts share.

mod board;
mod inquiries;
mod messages;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use slivers_core::contact::Customer;
use slivers_core::service_clock::TargetStatus;
use slivers_core::Zone;
use slivers_exchange::{businesses, inquiries as inquiry_cases, workers, ExchangeError};
use slivers_store::{Role, Scope, TargetView};

pub use board::{board, file, merge, request, set_status, vote};
pub use inquiries::{
    business_help, business_raise, business_step, business_thread, desk, operator_step, operator_thread, targets_csv, worker_help, worker_raise,
    worker_step, worker_thread,
};
pub use messages::{business_send, conversation, worker_booking, worker_send, Conversation};

use super::layout::Refusal;
use super::session::Session;
use super::PortalError;
use crate::AppState;

/// Where the signed-in person's Help link points: the Nav marks it current
/// on every page of this module, so the top bar stays one link per role.
pub fn help_href(s: &Session) -> &'static str {
    match s.user.role {
        Role::Worker => "/w/help",
        Role::Business => "/b/help",
        Role::Operator => "/op/help",
    }
}

/// The zone the reader's times are shown in: a customer's own, or for
/// operators the zone of the exchange's service hours (the targets' clock).
pub async fn reader_zone(state: &AppState, s: &Session) -> Result<Zone, PortalError> {
    let who = s.principal();
    Ok(match s.scope() {
        Scope::Business(b) => businesses::get(&state.exchange, &who, b).await?.zone,
        Scope::Worker(w) => workers::profile(&state.exchange, &who, w).await?.zone,
        Scope::All => inquiry_cases::settings(&state.exchange).await?.hours.zone,
    })
}

/// A customer's name for operators' pages (businesses and workers are
/// never shown one another's). A name that cannot be read becomes the id.
pub async fn customer_name(state: &AppState, c: Customer) -> String {
    match c {
        Customer::Business(b) => businesses::business_name(&state.exchange, b).await.unwrap_or_else(|_| format!("Business {b}")),
        Customer::Worker(w) => workers::name(&state.exchange, w).unwrap_or_else(|| format!("Worker {w}")),
    }
}

/// Where an operator reads a customer's history.
pub fn customer_timeline(c: Customer) -> String {
    match c {
        Customer::Business(b) => format!("/op/businesses/{b}/timeline"),
        Customer::Worker(w) => format!("/op/workers/{w}/timeline"),
    }
}

pub fn customer_kind(c: Customer) -> &'static str {
    match c {
        Customer::Business(_) => "business",
        Customer::Worker(_) => "worker",
    }
}

/// One response target as shown: words first (the chip's colour only
/// repeats them), and the chip class from the stylesheet's fill colours.
pub struct Target {
    pub text: String,
    pub class: &'static str,
}

/// `held` says why a paused clock stands still, in the reader's words.
pub fn target(v: &TargetView, zone: &Zone, held: &str) -> Target {
    let at = |t| super::layout::when(t, zone);
    match v.status {
        TargetStatus::Met { at: t, within: true } => Target { text: format!("met {}", at(t)), class: "full" },
        TargetStatus::Met { at: t, within: false } => Target { text: format!("met late, {}", at(t)), class: "part" },
        TargetStatus::Due { at: t, .. } => Target { text: format!("due {}", at(t)), class: "part" },
        TargetStatus::Breached { due_at, .. } => Target { text: format!("overdue since {}", at(due_at)), class: "open" },
        TargetStatus::Paused => Target { text: held.to_string(), class: "full" },
        TargetStatus::Unreachable => Target { text: "no due time".into(), class: "part" },
    }
}

/// A use case's refusal as the page shows it, with the status to answer:
/// bad input names its fields (422); a state that refuses the step names
/// the rule (409). Anything else (not found, forbidden) is an error page.
pub fn refused(e: ExchangeError) -> Result<(Refusal, StatusCode), PortalError> {
    match e {
        ExchangeError::Invalid(i) => {
            Ok((Refusal { summary: "Nothing was saved. Please fix:".into(), rules: super::layout::field_errors(i) }, StatusCode::UNPROCESSABLE_ENTITY))
        }
        ExchangeError::Conflict(c) => {
            let why = c.to_string();
            Ok((Refusal { summary: "This was refused.".into(), rules: c.rules().into_iter().map(|r| (r.to_string(), why.clone())).collect() }, StatusCode::CONFLICT))
        }
        other => Err(other.into()),
    }
}

/// Text as paragraphs' lines: a message keeps the line breaks it was written with.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// A CSV file to save, never cached (it holds customers' data).
pub fn csv_download(body: String, filename: &'static str) -> Response {
    let mut res = (StatusCode::OK, [(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
