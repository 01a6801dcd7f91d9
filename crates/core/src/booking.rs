//! The booking state machine. An illegal transition is an error value, never a panic.

use serde::{Deserialize, Serialize};

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BookingStatus {
    Offered,
    Declined,
    Expired,
    Withdrawn,
    Confirmed,
    CheckedIn,
    Completed,
    NoShow,
    CancelledByWorker,
    CancelledByBusiness,
}

/// What someone does to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BookingAction {
    Accept,
    Decline,
    Expire,
    Withdraw,
    CheckIn,
    Complete,
    NoShow,
    CancelByWorker,
    CancelByBusiness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a booking that is {from} cannot be {action}")]
pub struct IllegalTransition {
    pub from: BookingStatus,
    pub action: BookingAction,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 10] = [
        Self::Offered,
        Self::Declined,
        Self::Expired,
        Self::Withdrawn,
        Self::Confirmed,
        Self::CheckedIn,
        Self::Completed,
        Self::NoShow,
        Self::CancelledByWorker,
        Self::CancelledByBusiness,
    ];

    pub fn apply(self, action: BookingAction) -> Result<BookingStatus, IllegalTransition> {
        use BookingAction as A;
        use BookingStatus as S;
        let next = match (self, action) {
            (S::Offered, A::Accept) => S::Confirmed,
            (S::Offered, A::Decline) => S::Declined,
            (S::Offered, A::Expire) => S::Expired,
            (S::Offered, A::Withdraw) => S::Withdrawn,
            (S::Confirmed, A::CheckIn) => S::CheckedIn,
            (S::Confirmed, A::NoShow) => S::NoShow,
            (S::Confirmed, A::CancelByWorker) => S::CancelledByWorker,
            (S::Confirmed, A::CancelByBusiness) => S::CancelledByBusiness,
            (S::CheckedIn, A::Complete) => S::Completed,
            _ => return Err(IllegalTransition { from: self, action }),
        };
        Ok(next)
    }

    /// Does a booking in this state hold the worker's time (count against limits and headcount)?
    pub fn holds_time(self) -> bool {
        matches!(self, Self::Confirmed | Self::CheckedIn | Self::Completed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::Confirmed => "confirmed",
            Self::CheckedIn => "checked_in",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::CancelledByWorker => "cancelled_by_worker",
            Self::CancelledByBusiness => "cancelled_by_business",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl BookingAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Expire => "expire",
            Self::Withdraw => "withdraw",
            Self::CheckIn => "check_in",
            Self::Complete => "complete",
            Self::NoShow => "no_show",
            Self::CancelByWorker => "cancel_by_worker",
            Self::CancelByBusiness => "cancel_by_business",
        }
    }
}

impl std::fmt::Display for BookingAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BookingAction as A;
    use BookingStatus as S;

    #[test]
    fn happy_paths() {
        assert_eq!(S::Offered.apply(A::Accept), Ok(S::Confirmed));
        assert_eq!(S::Confirmed.apply(A::CheckIn).and_then(|s| s.apply(A::Complete)), Ok(S::Completed));
    }

    #[test]
    fn every_illegal_transition_is_an_error_not_a_panic() {
        let actions = [
            A::Accept, A::Decline, A::Expire, A::Withdraw, A::CheckIn, A::Complete, A::NoShow,
            A::CancelByWorker, A::CancelByBusiness,
        ];
        let mut legal = 0;
        for s in S::ALL {
            for a in actions {
                if s.apply(a).is_ok() {
                    legal += 1;
                }
            }
        }
        assert_eq!(legal, 9);
        assert!(S::Completed.apply(A::CancelByBusiness).is_err());
        assert!(S::Declined.apply(A::Accept).is_err());
    }

    #[test]
    fn status_names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }
}
