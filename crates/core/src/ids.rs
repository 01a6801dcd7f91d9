//! Typed identifiers, so a shift id can never be passed where a worker id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A person selling their time.
    WorkerId,
    /// A customer organisation that buys time.
    BusinessId,
    /// A place where a business's site shifts happen.
    SiteId,
    /// A piece of work with a window and a headcount.
    ShiftId,
    /// One worker's claim on one shift.
    BookingId,
    /// A login: worker, business member or operator.
    UserId,
);
