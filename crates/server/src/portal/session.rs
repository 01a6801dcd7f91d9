//! Portal sessions: a random token in an HttpOnly, SameSite=Lax cookie whose
//! SHA-256 hash is the key of a `sessions` row; the row carries the user and
//! the per-session CSRF token that every form must echo.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use slivers_store::{Role, Scope, UserRecord};

use super::PortalError;
use slivers_exchange::credentials;
use crate::AppState;

pub const SESSION_COOKIE: &str = "slivers_session";
/// Before sign-in there is no session row, so sign-in and sign-up forms use a
/// double-submit token: a random cookie that the form must echo.
pub const PRE_CSRF_COOKIE: &str = "slivers_csrf";
/// Sessions last a working week; signing in again starts a new one.
pub const SESSION_HOURS: i64 = 24 * 7;

/// `Secure` is on unless `SLIVERS_COOKIE_SECURE=0`: production runs behind
/// HTTPS. Browsers accept Secure cookies from http://localhost and
/// http://127.0.0.1 (both are "potentially trustworthy" origins), so the
/// browser tests keep it on; the switch exists for plain-HTTP hosts on a LAN.
pub fn cookie_secure() -> bool {
    static SECURE: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| !matches!(std::env::var("SLIVERS_COOKIE_SECURE").as_deref(), Ok("0" | "false" | "no")));
    *SECURE
}

/// A `Set-Cookie` value with the flags every portal cookie carries.
pub fn cookie(name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if cookie_secure() { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of cookie `name` in the request, if present.
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compare secrets in time independent of where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A signed-in visitor.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: UserRecord,
    pub csrf: String,
    pub token_hash: String,
}

impl Session {
    pub fn scope(&self) -> Scope {
        self.user.scope()
    }
    /// Who acts, for the use cases.
    pub fn principal(&self) -> slivers_exchange::Principal {
        slivers_exchange::Principal::user(&self.user)
    }
    /// The role's home page.
    pub fn home(&self) -> &'static str {
        home_of(self.user.role)
    }
}

pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Worker => "/w",
        Role::Business => "/b",
        Role::Operator => "/op",
    }
}

/// Look up the session named by the request's cookie.
pub async fn load(headers: &HeaderMap, state: &AppState) -> Result<Option<Session>, PortalError> {
    let Some(token) = read_cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    Ok(credentials::session(&state.exchange, token).await?.map(|(s, hash)| Session { user: s.user, csrf: s.csrf, token_hash: hash }))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PortalError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PortalError> {
        load(&parts.headers, state).await?.ok_or(PortalError::SignInFirst)
    }
}

/// Open a session for `user`; returns the `Set-Cookie` header for it.
pub async fn start(state: &AppState, user: &UserRecord) -> Result<HeaderValue, PortalError> {
    let opened = credentials::open_session(&state.exchange, user.id, SESSION_HOURS).await?;
    Ok(cookie(SESSION_COOKIE, &opened.token, SESSION_HOURS * 3600))
}

/// Headers that end the session in the browser.
pub fn clear() -> (axum::http::HeaderName, HeaderValue) {
    (SET_COOKIE, cookie(SESSION_COOKIE, "", 0))
}
