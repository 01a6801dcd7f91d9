//! The authenticated caller of an API request: a bearer token looked up
//! through the application layer's credentials use cases; and the client's
//! address, for the sign-in limiter.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use slivers_exchange::{credentials, Principal};
use slivers_store::{Scope, UserRecord};

use crate::{AppError, AppState};

/// The authenticated user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRecord,
    pub token_id: i64,
}

impl Caller {
    pub fn scope(&self) -> Scope {
        self.user.scope()
    }
    /// Who acts, for the use cases.
    pub fn principal(&self) -> Principal {
        Principal::user(&self.user)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).ok_or(AppError::Unauthenticated)?;
        match credentials::user_for_token(&state.exchange, token).await? {
            Some((user, token_id)) => Ok(Caller { user, token_id }),
            None => Err(AppError::Unauthenticated),
        }
    }
}

/// The peer address of the connection, when the server was started with
/// connect info (`slivers serve` is); `None` in in-process tests.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(peer.map(|c| c.0.ip())))
    }
}
