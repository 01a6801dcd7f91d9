//! The business's settings page (`/b/settings`): the on-site-first rule (a
//! worker's first N shifts with the business are on site before any remote
//! work), set through the same use case as `PUT /api/v1/businesses/{id}/remote-rule`;
//! the one rule checker enforces it on every booking.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use slivers_core::Invalid;
use slivers_exchange::{businesses, ExchangeError};

use super::business::mine;
use super::contact::refused;
use super::form::Posted;
use super::layout::{render_status, Nav, Refusal};
use super::session::Session;
use super::PortalError;
use crate::AppState;

#[derive(Template)]
#[template(path = "business/settings.html")]
struct Settings {
    nav: Nav,
    notice: String,
    refusal: Option<Refusal>,
    /// The rule as saved; the form shows `entered` (a refused value stays for correction).
    onsite_before_remote: u32,
    entered: String,
}

async fn page(state: &AppState, s: &Session, notice: String, refusal: Option<Refusal>, entered: Option<String>, code: StatusCode) -> Result<Response, PortalError> {
    let b = businesses::get(&state.exchange, &s.principal(), mine(s)?).await?;
    let entered = entered.unwrap_or_else(|| b.onsite_before_remote.to_string());
    render_status(code, &Settings { nav: Nav::new(s, "/b/settings"), notice, refusal, onsite_before_remote: b.onsite_before_remote, entered })
}

pub async fn show(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    page(&state, &s, String::new(), None, None, StatusCode::OK).await
}

/// Save the rule: a whole number from 0 (no rule) to 100, refused by name otherwise.
pub async fn save_remote_rule(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let s = form.session.clone();
    let b = mine(&s)?;
    let entered = form.fields.text("onsite_before_remote");
    let r = match entered.trim().parse::<u32>() {
        Ok(n) => businesses::set_remote_rule(&state.exchange, &s.principal(), b, n).await,
        Err(_) => Err(ExchangeError::Invalid(Invalid::one("onsite_before_remote", "must be a whole number from 0 to 100"))),
    };
    match r {
        Ok(saved) => {
            let notice = match saved.onsite_before_remote {
                0 => "Saved: workers may work remotely from their first shift.".to_string(),
                n => format!("Saved: a worker's first {n} shift(s) with you are on site before any remote work."),
            };
            page(&state, &s, notice, None, None, StatusCode::OK).await
        }
        Err(e) => {
            let (r, code) = refused(e)?;
            page(&state, &s, String::new(), Some(r), Some(entered), code).await
        }
    }
}
