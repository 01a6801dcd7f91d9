//! What can stop a portal request, rendered as an HTML page (never JSON):
//! a person is reading.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use slivers_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("please sign in")]
    SignInFirst,
    #[error("this form has expired or did not come from this site; go back, reload the page and try again")]
    Csrf,
    #[error("the form could not be read: {0}")]
    BadForm(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("too many sign-in attempts; wait a few minutes and try again")]
    TooManyAttempts,
    #[error("something went wrong on our side")]
    Internal(String),
}

impl From<StoreError> for PortalError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => PortalError::NotFound(what),
            StoreError::Forbidden(why) => PortalError::Forbidden(why),
            // Handlers show refusals in the page; one that gets here is still the visitor's to fix.
            StoreError::Invalid(i) => PortalError::BadForm(i.to_string()),
            StoreError::Conflict(c) => PortalError::BadForm(c.to_string()),
            other => PortalError::Internal(other.to_string()),
        }
    }
}

impl From<slivers_exchange::ExchangeError> for PortalError {
    fn from(e: slivers_exchange::ExchangeError) -> Self {
        use slivers_exchange::ExchangeError as E;
        match e {
            E::NotFound(what) => PortalError::NotFound(what),
            E::Forbidden(why) => PortalError::Forbidden(why),
            E::Unauthenticated => PortalError::SignInFirst,
            E::TooManyAttempts => PortalError::TooManyAttempts,
            E::Internal(e) => PortalError::Internal(e),
            // Handlers show refusals in the page; one that gets here is still the visitor's to fix.
            other => PortalError::BadForm(other.to_string()),
        }
    }
}

impl From<crate::AppError> for PortalError {
    fn from(e: crate::AppError) -> Self {
        use crate::AppError as A;
        match e {
            A::NotFound(what) => PortalError::NotFound(what),
            A::Forbidden(why) => PortalError::Forbidden(why),
            A::Internal(e) => PortalError::Internal(e),
            other => PortalError::BadForm(other.to_string()),
        }
    }
}

impl From<askama::Error> for PortalError {
    fn from(e: askama::Error) -> Self {
        PortalError::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: super::layout::Nav,
    title: &'a str,
    message: String,
}

impl PortalError {
    fn status(&self) -> StatusCode {
        match self {
            PortalError::SignInFirst => StatusCode::SEE_OTHER,
            PortalError::Csrf | PortalError::Forbidden(_) => StatusCode::FORBIDDEN,
            PortalError::BadForm(_) => StatusCode::BAD_REQUEST,
            PortalError::NotFound(_) => StatusCode::NOT_FOUND,
            PortalError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            PortalError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        if let PortalError::SignInFirst = self {
            return Redirect::to("/signin").into_response();
        }
        if let PortalError::Internal(e) = &self {
            tracing::error!(error = %e, "portal error");
        }
        let status = self.status();
        let page = ErrorPage { nav: super::layout::Nav::anonymous(), title: status.canonical_reason().unwrap_or("Error"), message: self.to_string() };
        let body = page.render().unwrap_or_else(|_| self.to_string());
        let mut res = (status, body).into_response();
        super::layout::page_headers(res.headers_mut());
        res.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
        res
    }
}
