//! Form posts. Every POST goes through one of these extractors, which refuse
//! the request unless its `csrf` field matches the session's token (or, before
//! sign-in, the double-submit cookie). Fields stay as ordered pairs because
//! some forms repeat a name (the availability grid's painted slots).

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Request};
use axum::http::HeaderMap;

use super::session::{self, read_cookie, same_secret, Session, PRE_CSRF_COOKIE};
use super::PortalError;
use crate::AppState;

/// Forms are small; anything larger is refused before parsing.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Decoded `application/x-www-form-urlencoded` fields in order.
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// A field, trimmed, or "" when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").trim().to_string()
    }
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

async fn read_fields(req: Request, state: &AppState) -> Result<(HeaderMap, Option<SocketAddr>, Fields), PortalError> {
    let (parts, body) = req.into_parts();
    let is_form = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(PortalError::BadForm("expected a form post".into()));
    }
    let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let req = Request::from_parts(parts, body);
    let headers = req.headers().clone();
    let bytes = Bytes::from_request(req, state).await.map_err(|_| PortalError::BadForm("the form could not be read".into()))?;
    if bytes.len() > MAX_FORM_BYTES {
        return Err(PortalError::BadForm("the form is too large".into()));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| PortalError::BadForm(e.to_string()))?;
    Ok((headers, ip, Fields(pairs)))
}

/// A form posted by a signed-in user, CSRF-checked.
pub struct Posted {
    pub session: Session,
    pub fields: Fields,
}

impl FromRequest<AppState> for Posted {
    type Rejection = PortalError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PortalError> {
        let (headers, _, fields) = read_fields(req, state).await?;
        let session = session::load(&headers, state).await?.ok_or(PortalError::SignInFirst)?;
        match fields.get("csrf") {
            Some(t) if same_secret(t, &session.csrf) => Ok(Posted { session, fields }),
            _ => Err(PortalError::Csrf),
        }
    }
}

/// A form posted before sign-in (sign-in, sign-up), checked against the
/// double-submit cookie.
pub struct AnonPosted {
    pub fields: Fields,
    /// The peer address when the server records it (rate limiting).
    pub ip: Option<SocketAddr>,
}

impl FromRequest<AppState> for AnonPosted {
    type Rejection = PortalError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PortalError> {
        let (headers, ip, fields) = read_fields(req, state).await?;
        let cookie = read_cookie(&headers, PRE_CSRF_COOKIE).unwrap_or("");
        match fields.get("csrf") {
            Some(t) if !cookie.is_empty() && same_secret(t, cookie) => Ok(AnonPosted { fields, ip }),
            _ => Err(PortalError::Csrf),
        }
    }
}
