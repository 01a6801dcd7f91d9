//! One error type for every handler, rendered as RFC 9457 `application/problem+json`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use slivers_core::rules::Verdict;
use slivers_core::{FieldError, Invalid};
use slivers_exchange::ExchangeError;
use slivers_store::{Conflict, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("authentication required")]
    Unauthenticated,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error("request body exceeds {0} bytes")]
    TooLarge(usize),
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("this method is not allowed on this resource")]
    MethodNotAllowed,
    #[error("too many attempts; retry later")]
    TooManyRequests,
    /// A dependency (the database, the optimizer) cannot answer now: retry later.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl From<ExchangeError> for AppError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::Invalid(i) => AppError::Invalid(i),
            ExchangeError::Unauthenticated => AppError::Unauthenticated,
            ExchangeError::Forbidden(why) => AppError::Forbidden(why),
            ExchangeError::NotFound(what) => AppError::NotFound(what),
            ExchangeError::Conflict(c) => AppError::Conflict(c),
            ExchangeError::TooManyAttempts => AppError::TooManyRequests,
            ExchangeError::Unavailable(why) => AppError::Unavailable(why),
            ExchangeError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Forbidden(why) => AppError::Forbidden(why),
            StoreError::Conflict(c) => AppError::Conflict(c),
            StoreError::Invalid(i) => AppError::Invalid(i),
            e @ StoreError::Db(_) if e.is_unavailable() => AppError::Unavailable(format!("the database is unavailable: {e}")),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
            StoreError::Corrupt(e) => AppError::Internal(e),
        }
    }
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every bad field and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The rules that refused a booking, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The full verdict, every rule with its numbers, when the rule checker refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            AppError::Malformed(_) => "malformed",
            AppError::Invalid(_) => "invalid-input",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not-found",
            AppError::Conflict(Conflict::Rules(_)) => "rule-violation",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "payload-too-large",
            AppError::UnsupportedMediaType => "unsupported-media-type",
            AppError::MethodNotAllowed => "method-not-allowed",
            AppError::TooManyRequests => "too-many-requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            // Never leak database internals to a client.
            AppError::Internal(_) => "the server could not complete the request".to_string(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("/problems/{}", self.slug()),
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            detail,
            errors: match self {
                AppError::Invalid(Invalid(errs)) => errs.clone(),
                _ => Vec::new(),
            },
            rules: match self {
                AppError::Conflict(c) => c.rules().into_iter().map(String::from).collect(),
                _ => Vec::new(),
            },
            verdict: match self {
                AppError::Conflict(Conflict::Rules(v)) => Some(v.clone()),
                _ => None,
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(e) => tracing::error!(error = %e, "internal error"),
            AppError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status(), body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/problem+json"));
        if matches!(self, AppError::Unauthenticated) {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}
