//! Security headers on every response the server sends (API, portal pages,
//! static assets, redirects, errors, `/healthz`, `/metrics`): a
//! Content-Security-Policy that runs only this origin's script files (no
//! inline scripts or `on*=` handlers anywhere: the templates load
//! `/static/*.js`), no framing (`frame-ancestors 'none'` and
//! `X-Frame-Options: DENY`), `Referrer-Policy: same-origin` and
//! `X-Content-Type-Options: nosniff`. A handler may set a stricter policy of
//! its own (the API docs page: no script at all); it is kept.

use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every response that sets none of its own.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The API docs page: its one inline stylesheet, and no script of any kind.
pub const DOCS_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Middleware: add the security headers to the response unless already set.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (name, value) in [
        (CONTENT_SECURITY_POLICY, CSP),
        (X_FRAME_OPTIONS, "DENY"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "same-origin"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}
