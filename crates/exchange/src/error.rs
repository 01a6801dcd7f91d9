//! The one error type of every use case. The HTTP shell maps each variant to
//! a status and a problem document; the CLI prints it.

use slivers_core::Invalid;
use slivers_store::{Conflict, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Bad input, naming each field and the reason.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Missing credentials, or credentials that do not match.
    #[error("authentication required")]
    Unauthenticated,
    /// The principal may not do this at all (not a question of which record).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// No such record, or none the principal may see: the two look alike.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A rule, the state machine or a concurrent change refused the write.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// Too many failed sign-ins for this email from this address: wait.
    #[error("too many failed sign-ins; wait a few minutes and try again")]
    TooManyAttempts,
    /// A dependency could not answer now (the optimizer found nothing in its time).
    #[error("{0}")]
    Unavailable(String),
    /// Something that should not happen; the detail is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ExchangeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ExchangeError::NotFound(what),
            StoreError::Forbidden(why) => ExchangeError::Forbidden(why),
            StoreError::Conflict(c) => ExchangeError::Conflict(c),
            StoreError::Invalid(i) => ExchangeError::Invalid(i),
            // The database out of reach or out of connections is temporary
            // (503, retry); any other database error is a fault of ours (500).
            e @ StoreError::Db(_) if e.is_unavailable() => ExchangeError::Unavailable(format!("the database is unavailable: {e}")),
            StoreError::Db(e) => ExchangeError::Internal(e.to_string()),
            StoreError::Corrupt(e) => ExchangeError::Internal(e),
        }
    }
}
