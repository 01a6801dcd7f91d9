//! The pure domain of the Slivers exchange: no IO, no async.
//!
//! Everything that decides whether a booking is allowed lives here, so the
//! store, the API, matching and the roster optimizer all ask one function:
//! [`rules::check`].

pub mod assessments;
pub mod availability;
pub mod billing;
pub mod booking;
pub mod disclosure;
pub mod documents;
pub mod business;
pub mod contact;
pub mod geo;
pub mod ids;
pub mod interval;
pub mod labour;
pub mod market;
pub mod money;
pub mod notifications;
pub mod overlap;
pub mod rules;
pub mod service_clock;
pub mod skills;
pub mod timesheet;
pub mod validation;
pub mod worker;
pub mod zone;

pub use interval::Interval;
pub use money::{Currency, Money};
pub use validation::{FieldError, Invalid};
pub use zone::Zone;

