//! The account's life in the portal: forgotten password, the pages behind
//! emailed links (reset, claim, verify, email change, unsubscribe), and the
//! signed-in account page (verification, email change, preferences, export,
//! deletion). Every page maps a form to one use case of
//! `slivers_exchange::lifecycle` and its refusal to the page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use slivers_exchange::lifecycle::{self, Preference};
use slivers_exchange::ExchangeError;
use slivers_store::Role;

use super::account::{pre_csrf, with_cookie};
use super::form::{AnonPosted, Posted};
use super::layout::{field_errors, render_status, Nav};
use super::session::{self, Session};
use super::PortalError;
use crate::AppState;

pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
}

const NEW_PASSWORD: Input = Input { name: "password", label: "New password (at least 10 characters)", kind: "password", autocomplete: "new-password" };

/// One page of the emailed-link flows: a form, or the notice after it.
#[derive(Default)]
pub struct FormPage {
    pub title: &'static str,
    pub intro: String,
    pub action: String,
    pub button: &'static str,
    pub token: String,
    pub inputs: Vec<Input>,
    pub show_form: bool,
    pub notice: String,
    pub errors: Vec<(String, String)>,
    pub next: &'static str,
    pub next_label: &'static str,
}

#[derive(Template)]
#[template(path = "account_form.html")]
struct FormView {
    nav: Nav,
    csrf: String,
    page: FormPage,
}

/// Show `page` with a fresh pre-sign-in CSRF token.
fn show(headers: &HeaderMap, status: StatusCode, page: FormPage) -> Result<Response, PortalError> {
    let (csrf, set) = pre_csrf(headers)?;
    Ok(with_cookie(render_status(status, &FormView { nav: Nav::anonymous(), csrf, page })?, set))
}

/// A refusal the visitor can act on goes back into the page; anything else is an error page.
fn refused(e: ExchangeError) -> Result<Vec<(String, String)>, PortalError> {
    match e {
        ExchangeError::Invalid(i) => Ok(field_errors(i)),
        other => Err(other.into()),
    }
}

fn done(notice: impl Into<String>, next: &'static str, next_label: &'static str) -> FormPage {
    FormPage { title: "Done", notice: notice.into(), next, next_label, ..Default::default() }
}

fn forgot_page() -> FormPage {
    FormPage {
        title: "Forgot your password?",
        intro: "Enter the email address of your account. We email you a link to choose a new password; it works once, for an hour.".into(),
        action: "/forgot".into(),
        button: "Email me a reset link",
        inputs: vec![Input { name: "email", label: "Email", kind: "email", autocomplete: "username" }],
        show_form: true,
        ..Default::default()
    }
}

pub async fn forgot_page_get(headers: HeaderMap) -> Result<Response, PortalError> {
    show(&headers, StatusCode::OK, forgot_page())
}

pub async fn forgot(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    match lifecycle::request_password_reset(&state.exchange, &form.fields.text("email")).await {
        // The same words whether or not the address has an account.
        Ok(()) => show(&headers, StatusCode::OK, done("If an account uses that address, we have emailed it a link to choose a new password. The link works once, for an hour.", "/signin", "Back to sign in")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..forgot_page() }),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn password_page(title: &'static str, intro: &'static str, action: &'static str, token: String) -> FormPage {
    FormPage { title, intro: intro.into(), action: action.into(), button: "Save the new password", token, inputs: vec![NEW_PASSWORD], show_form: true, ..Default::default() }
}

const RESET_INTRO: &str = "Choose a new password. Every other sign-in of your account ends.";
const CLAIM_INTRO: &str = "A business you work for added you to Slivers. Choose a password to take over your account.";

pub async fn reset_page(headers: HeaderMap, Query(q): Query<TokenQuery>) -> Result<Response, PortalError> {
    show(&headers, StatusCode::OK, password_page("Choose a new password", RESET_INTRO, "/account/reset", q.token))
}

pub async fn claim_page(headers: HeaderMap, Query(q): Query<TokenQuery>) -> Result<Response, PortalError> {
    show(&headers, StatusCode::OK, password_page("Welcome to Slivers", CLAIM_INTRO, "/account/claim", q.token))
}

pub async fn reset(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    let token = form.fields.text("token");
    let password = form.fields.get("password").unwrap_or("").to_string();
    match lifecycle::reset_password(&state.exchange, &token, &password).await {
        Ok(_) => show(&headers, StatusCode::OK, done("Your password is changed, and every other sign-in has ended.", "/signin", "Sign in")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..password_page("Choose a new password", RESET_INTRO, "/account/reset", token) }),
    }
}

pub async fn claim(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    let token = form.fields.text("token");
    let password = form.fields.get("password").unwrap_or("").to_string();
    match lifecycle::claim_account(&state.exchange, &token, &password).await {
        Ok(_) => show(&headers, StatusCode::OK, done("Your account is yours now.", "/signin", "Sign in")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..password_page("Welcome to Slivers", CLAIM_INTRO, "/account/claim", token) }),
    }
}

/// A link that changes state only when its button is pressed: mail
/// scanners that follow links must not use it up.
fn confirm_page(title: &'static str, action: &'static str, button: &'static str, token: String) -> FormPage {
    FormPage { title, intro: "Press the button to confirm.".into(), action: action.into(), button, token, show_form: true, ..Default::default() }
}

pub async fn verify_page(headers: HeaderMap, Query(q): Query<TokenQuery>) -> Result<Response, PortalError> {
    show(&headers, StatusCode::OK, confirm_page("Confirm your email address", "/account/verify", "Confirm my address", q.token))
}

pub async fn change_email_page(headers: HeaderMap, Query(q): Query<TokenQuery>) -> Result<Response, PortalError> {
    show(&headers, StatusCode::OK, confirm_page("Confirm your new email address", "/account/change-email", "Move my account to this address", q.token))
}

pub async fn verify(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    let token = form.fields.text("token");
    match lifecycle::verify_email(&state.exchange, &token).await {
        Ok(u) => show(&headers, StatusCode::OK, done(format!("{} is verified.", u.email), "/", "Continue")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..done("", "/", "Continue") }),
    }
}

pub async fn change_email(State(state): State<AppState>, headers: HeaderMap, form: AnonPosted) -> Result<Response, PortalError> {
    let token = form.fields.text("token");
    match lifecycle::confirm_email_change(&state.exchange, &token).await {
        Ok(u) => show(&headers, StatusCode::OK, done(format!("Your account's email is now {}.", u.email), "/signin", "Sign in")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..done("", "/", "Continue") }),
    }
}

#[derive(Deserialize)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    key: String,
    #[serde(default)]
    topic: String,
}

pub async fn unsubscribe_page(headers: HeaderMap, Query(q): Query<UnsubscribeQuery>) -> Result<Response, PortalError> {
    let what = slivers_core::notifications::topic(&q.topic).map_or("these emails", |t| t.describe);
    let mut page = confirm_page("Stop these emails?", "", "Unsubscribe", String::new());
    page.intro = format!("{what}: press the button and we stop sending you these emails. You can turn them back on under Account.");
    // The key and topic travel in the URL, as in the one-click link (RFC 8058).
    page.action = format!("/email/unsubscribe?key={}&topic={}", urlencode(&q.key), urlencode(&q.topic));
    show(&headers, StatusCode::OK, page)
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// One-click unsubscribe: the unguessable key in the link is the credential,
/// so mail clients may POST it without a form (RFC 8058).
pub async fn unsubscribe(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<UnsubscribeQuery>) -> Result<Response, PortalError> {
    match lifecycle::unsubscribe(&state.exchange, &q.key, &q.topic).await {
        Ok(u) => show(&headers, StatusCode::OK, done(format!("{} no longer receives `{}` emails.", u.email, q.topic), "/", "Continue")),
        Err(e) => show(&headers, StatusCode::UNPROCESSABLE_ENTITY, FormPage { errors: refused(e)?, ..done("", "/", "Continue") }),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountView {
    nav: Nav,
    email: String,
    verified: bool,
    preferences: Vec<Preference>,
    can_delete: bool,
    is_business: bool,
    notice: String,
    errors: Vec<(String, String)>,
}

async fn account_view(state: &AppState, s: &Session, status: StatusCode, notice: String, errors: Vec<(String, String)>) -> Result<Response, PortalError> {
    let ex = &state.exchange;
    let user = &s.user;
    let view = AccountView {
        nav: Nav::new(s, "/account"),
        verified: lifecycle::is_verified(ex, user).await?,
        email: user.email.clone(),
        preferences: lifecycle::email_preferences(ex, user).await?,
        can_delete: user.role != Role::Operator,
        is_business: user.role == Role::Business,
        notice,
        errors,
    };
    render_status(status, &view)
}

pub async fn account_page(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    account_view(&state, &s, StatusCode::OK, String::new(), Vec::new()).await
}

/// Show the account page after a form: the notice, or the refusal.
async fn after(state: &AppState, s: &Session, outcome: Result<String, ExchangeError>) -> Result<Response, PortalError> {
    match outcome {
        Ok(notice) => account_view(state, s, StatusCode::OK, notice, Vec::new()).await,
        Err(e) => account_view(state, s, StatusCode::UNPROCESSABLE_ENTITY, String::new(), refused(e)?).await,
    }
}

pub async fn send_verification(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let outcome = lifecycle::request_verification(&state.exchange, &form.session.user).await.map(|()| "We have emailed you a verification link.".to_string());
    after(&state, &form.session, outcome).await
}

pub async fn request_email_change(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let new = form.fields.text("new_email");
    let password = form.fields.get("password").unwrap_or("").to_string();
    let outcome = lifecycle::request_email_change(&state.exchange, &form.session.user, &new, &password)
        .await
        .map(|()| format!("We have emailed a confirmation link to {new}. Your email changes when you open it."));
    after(&state, &form.session, outcome).await
}

pub async fn save_preferences(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let on: Vec<&str> = form.fields.all("on").collect();
    let mut outcome = Ok("Your email preferences are saved.".to_string());
    for t in slivers_core::notifications::TOPICS.iter().filter(|t| !t.essential) {
        if let Err(e) = lifecycle::set_email_preference(&state.exchange, &form.session.user, t.name, on.contains(&t.name)).await {
            outcome = Err(e);
            break;
        }
    }
    after(&state, &form.session, outcome).await
}

fn json_download(data: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(data).unwrap_or_default();
    ([(CONTENT_TYPE, "application/json"), (CONTENT_DISPOSITION, "attachment; filename=\"slivers-export.json\"")], body).into_response()
}

pub async fn export(State(state): State<AppState>, s: Session) -> Result<Response, PortalError> {
    Ok(json_download(&lifecycle::export(&state.exchange, &s.user).await?))
}

/// Delete the account: the export comes back as a download and the session ends.
pub async fn delete(State(state): State<AppState>, form: Posted) -> Result<Response, PortalError> {
    let password = form.fields.get("password").unwrap_or("").to_string();
    match lifecycle::delete_account(&state.exchange, &form.session.user, &password).await {
        Ok(data) => {
            let mut res = json_download(&data);
            let (_, clear) = session::clear();
            res.headers_mut().append(SET_COOKIE, clear);
            Ok(res)
        }
        Err(e) => account_view(&state, &form.session, StatusCode::UNPROCESSABLE_ENTITY, String::new(), refused(e)?).await,
    }
}
