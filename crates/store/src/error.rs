//! The store's typed errors: [`StoreError`] for every failure, and
//! [`Conflict`] for a well-formed write the rules or the data refuse, with the
//! machine-readable rule names clients see.

use slivers_core::booking::IllegalTransition;
use slivers_core::rules::Verdict;
use slivers_core::Invalid;

/// Why a write was refused although the input was well-formed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Conflict {
    #[error("the booking would break the worker's rules: {}", rules_list(.0))]
    Rules(Verdict),
    #[error("the shift already has {confirmed} of {headcount} places filled")]
    Headcount { headcount: u32, confirmed: u32 },
    #[error("the worker already has a live booking or offer on this shift")]
    AlreadyBooked,
    #[error(transparent)]
    Transition(#[from] IllegalTransition),
    #[error("the offer expired at {0}")]
    OfferExpired(jiff::Timestamp),
    #[error("{field} `{value}` is already taken")]
    Taken { field: &'static str, value: String },
    #[error("{action} is possible only from {from}")]
    TooEarly { action: &'static str, from: jiff::Timestamp },
    #[error("an offer wave is already running on this shift")]
    WaveActive,
    #[error("the offer wave is {0}, not active")]
    WaveEnded(&'static str),
    #[error("the database refused an overlapping booking (exclusion constraint)")]
    Overlap,
    /// A well-formed request the record's state refuses: `rule` names which.
    #[error("{reason}")]
    Refused { rule: &'static str, reason: String },
}

fn rules_list(v: &Verdict) -> String {
    v.failures().map(|c| format!("{} ({})", c.rule.as_str(), c.message)).collect::<Vec<_>>().join("; ")
}

impl Conflict {
    /// The machine-readable names of the rules that refused the write.
    pub fn rules(&self) -> Vec<&'static str> {
        match self {
            Conflict::Rules(v) => v.failures().map(|c| c.rule.as_str()).collect(),
            Conflict::Headcount { .. } => vec!["headcount"],
            Conflict::AlreadyBooked => vec!["already_booked"],
            Conflict::Transition(_) => vec!["state"],
            Conflict::OfferExpired(_) => vec!["offer_expired"],
            Conflict::Taken { .. } => vec!["unique"],
            Conflict::TooEarly { .. } => vec!["too_early"],
            Conflict::WaveActive => vec!["wave_active"],
            Conflict::WaveEnded(_) => vec!["wave_ended"],
            Conflict::Overlap => vec!["overlap"],
            Conflict::Refused { rule, .. } => vec![rule],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The database is out of reach or out of connections: a condition that
    /// passes (answer 503 and let the caller retry), not a fault in a query.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)))
    }
}
