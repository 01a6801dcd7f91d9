//! A business's webhooks in the portal: endpoints, the secret shown once on
//! creation and rotation, enabling and disabling, and the delivery log.
//! Each form maps to one use case of `slivers_exchange::webhooks`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use slivers_core::ids::BusinessId;
use slivers_exchange::webhooks;
use slivers_exchange::ExchangeError;
use slivers_store::{EndpointChange, Page};

use super::form::Posted;
use super::layout::{field_errors, render_status, when, Nav};
use super::session::Session;
use super::PortalError;
use crate::AppState;

pub struct DeliveryRow {
    pub at: String,
    pub event: String,
    pub id: String,
    pub state: &'static str,
    pub attempts: i64,
    pub error: String,
}

pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub event_types: String,
    pub enabled: bool,
    pub reason: String,
    pub failures: i64,
    pub deliveries: Vec<DeliveryRow>,
}

#[derive(Template)]
#[template(path = "business/webhooks.html")]
struct View {
    nav: Nav,
    endpoints: Vec<EndpointRow>,
    notice: String,
    secret: String,
    errors: Vec<(String, String)>,
}

fn business(s: &Session) -> Result<BusinessId, PortalError> {
    s.principal().business().ok_or(PortalError::NotFound("page"))
}

async fn view(state: &AppState, s: &Session, status: StatusCode, notice: String, secret: String, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    let b = business(s)?;
    let ex = &state.exchange;
    let zone = slivers_exchange::businesses::get(ex, &s.principal(), b).await?.zone;
    let mut endpoints = Vec::new();
    for e in webhooks::list_endpoints(ex, &s.principal(), b).await? {
        let deliveries = webhooks::deliveries(ex, &s.principal(), e.id, Page::new(Some(20), None)).await?;
        endpoints.push(EndpointRow {
            id: e.id,
            url: e.url,
            event_types: e.event_types,
            enabled: e.enabled,
            reason: e.disabled_reason.unwrap_or_default(),
            failures: e.consecutive_failures,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryRow {
                    at: when(d.created_at, &zone),
                    event: d.topic,
                    id: d.message_id,
                    state: d.status.as_str(),
                    attempts: d.attempts,
                    error: d.last_error.unwrap_or_default(),
                })
                .collect(),
        });
    }
    render_status(status, &View { nav: Nav::new(s, ""), endpoints, notice, secret, errors })
}

pub async fn page(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    view(&state, &s, StatusCode::OK, String::new(), String::new(), Vec::new()).await
}

/// Show the page after a form: the notice (and a secret), or the refusal.
async fn after(state: &AppState, s: &Session, outcome: Result<(String, String), ExchangeError>) -> Result<Response, PortalError> {
    match outcome {
        Ok((notice, secret)) => view(state, s, StatusCode::OK, notice, secret, Vec::new()).await,
        Err(ExchangeError::Invalid(i)) => view(state, s, StatusCode::UNPROCESSABLE_ENTITY, String::new(), String::new(), field_errors(i)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn add(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let b = business(&form.session)?;
    let (url, types) = (form.fields.text("url"), form.fields.text("event_types"));
    let outcome = webhooks::create_endpoint(&state.exchange, &form.session.principal(), b, &url, Some(&types))
        .await
        .map(|e| (format!("Endpoint {} added.", e.endpoint.id), e.secret));
    after(&state, &form.session, outcome).await
}

pub async fn act(State(state): State<AppState>, Path((id, action)): Path<(i64, String)>, form: Posted) -> Result<Response, PortalError> {
    let p = form.session.principal();
    let outcome = match action.as_str() {
        "rotate" => webhooks::rotate_secret(&state.exchange, &p, id).await.map(|e| {
            (format!("Endpoint {} has a new secret; the old one keeps signing for 24 hours.", e.endpoint.id), e.secret)
        }),
        "enable" | "disable" => {
            let change = EndpointChange { url: None, event_types: None, enabled: Some(action == "enable") };
            webhooks::change_endpoint(&state.exchange, &p, id, &change).await.map(|e| (format!("Endpoint {} {action}d.", e.id), String::new()))
        }
        _ => return Err(PortalError::NotFound("page")),
    };
    after(&state, &form.session, outcome).await
}
