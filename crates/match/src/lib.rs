//! The matching index: every worker in memory with their availability and
//! blackouts expanded over a rolling horizon, their bookings, skills and
//! reach, so a business's "who can work this shift?" is answered in well
//! under a millisecond, ranked and explained.
//!
//! Every verdict comes from [`slivers_core::rules`]: the index only chooses
//! whom to ask, in which order, and hands the rule checker precomputed
//! expansions. It never decides a rule itself.

mod entry;
mod index;
mod posting;
mod score;
mod search;

pub use entry::WorkerEntry;
pub use index::{default_horizon, Candidate, Index, Query, ShiftMatch};
pub use score::{score, ScoreParts, Weights};
pub use search::SearchCounts;
