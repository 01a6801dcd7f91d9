//! A business's webhooks: endpoints, their signing secrets (shown once, on
//! creation and rotation), and the delivery log of everything sent to them.

use slivers_core::ids::BusinessId;
use slivers_core::validation::Collector;
use slivers_store::{Attempt, Channel, EndpointChange, OutboxFilter, OutboxItem, Page, WebhookEndpoint};

use crate::notify::webhook::new_secret;
use crate::{Exchange, ExchangeError, Principal, Result};

const MAX_ENDPOINTS: usize = 10;

/// An endpoint with its secret, the one time the secret is shown.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_` and base64: verify deliveries with it (Standard Webhooks).
    pub secret: String,
}

fn check_url(c: &mut Collector, url: &str) {
    let ok = slivers_core::validation::web_url_ok(url, false);
    let why = if url.starts_with("https://") {
        "must be an http:// URL: this build delivers without TLS (put a TLS-terminating proxy in front of the receiver)"
    } else {
        "must be an http:// URL of at most 2000 characters"
    };
    c.check(ok, "url", why);
}

fn check_types(c: &mut Collector, types: &str) {
    let ok = !types.trim().is_empty()
        && types.chars().count() <= 1000
        && types.split(',').map(str::trim).all(|t| {
            t == "*" || (!t.is_empty() && t.chars().all(|ch| ch.is_ascii_lowercase() || ch == '.' || ch == '_' || ch == '*'))
        });
    c.check(ok, "event_types", "must be a comma-separated list of event kinds such as booking.confirmed, booking.* or *");
}

fn secret() -> Result<String> {
    new_secret().map_err(|e| ExchangeError::Internal(format!("no randomness available: {e}")))
}

/// Only the business itself (or an operator) manages its webhooks.
fn require_business(p: &Principal, business: BusinessId) -> Result<()> {
    p.require_not_worker("workers have no webhooks")?;
    if p.business().is_some_and(|b| b != business) {
        return Err(ExchangeError::NotFound("business"));
    }
    Ok(())
}

pub async fn create_endpoint(ex: &Exchange, p: &Principal, business: BusinessId, url: &str, event_types: Option<&str>) -> Result<EndpointWithSecret> {
    require_business(p, business)?;
    let types = event_types.unwrap_or("*");
    let mut c = Collector::new();
    check_url(&mut c, url);
    check_types(&mut c, types);
    c.finish()?;
    ex.store.get_business(business, &p.scope).await?;
    if ex.store.list_webhook_endpoints(business, &p.scope).await?.len() >= MAX_ENDPOINTS {
        return Err(ExchangeError::Conflict(slivers_store::Conflict::Refused {
            rule: "endpoint_limit",
            reason: format!("a business has at most {MAX_ENDPOINTS} endpoints; remove one first"),
        }));
    }
    let secret = secret()?;
    let endpoint = ex.store.create_webhook_endpoint(business, url, types, &secret, ex.now()).await?;
    Ok(EndpointWithSecret { endpoint, secret })
}

pub async fn list_endpoints(ex: &Exchange, p: &Principal, business: BusinessId) -> Result<Vec<WebhookEndpoint>> {
    require_business(p, business)?;
    ex.store.get_business(business, &p.scope).await?;
    Ok(ex.store.list_webhook_endpoints(business, &p.scope).await?)
}

pub async fn change_endpoint(ex: &Exchange, p: &Principal, id: i64, change: &EndpointChange) -> Result<WebhookEndpoint> {
    p.require_not_worker("workers have no webhooks")?;
    let mut c = Collector::new();
    if let Some(url) = &change.url {
        check_url(&mut c, url);
    }
    if let Some(types) = &change.event_types {
        check_types(&mut c, types);
    }
    c.finish()?;
    Ok(ex.store.change_webhook_endpoint(id, change, &p.scope).await?)
}

/// A new secret, shown once; the old one keeps signing for a day.
pub async fn rotate_secret(ex: &Exchange, p: &Principal, id: i64) -> Result<EndpointWithSecret> {
    p.require_not_worker("workers have no webhooks")?;
    let secret = secret()?;
    let endpoint = ex.store.rotate_webhook_secret(id, &secret, ex.now(), &p.scope).await?;
    Ok(EndpointWithSecret { endpoint, secret })
}

/// The webhook deliveries of one endpoint, newest first.
pub async fn deliveries(ex: &Exchange, p: &Principal, endpoint: i64, page: Page) -> Result<Vec<OutboxItem>> {
    p.require_not_worker("workers have no webhooks")?;
    ex.store.get_webhook_endpoint(endpoint, &p.scope).await?;
    let filter = OutboxFilter { channel: Some(Channel::Webhook), endpoint: Some(endpoint), ..Default::default() };
    Ok(ex.store.list_outbox(&filter, &p.scope, page).await?)
}

/// Every try at one delivery.
pub async fn attempts(ex: &Exchange, p: &Principal, delivery: i64) -> Result<Vec<Attempt>> {
    p.require_not_worker("workers have no webhooks")?;
    let filter = OutboxFilter { id: Some(delivery), channel: Some(Channel::Webhook), ..Default::default() };
    if ex.store.list_outbox(&filter, &p.scope, Page { limit: 1, offset: 0 }).await?.is_empty() {
        return Err(ExchangeError::NotFound("delivery"));
    }
    Ok(ex.store.list_delivery_attempts(delivery, &p.scope).await?)
}
