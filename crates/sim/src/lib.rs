//! `slivers simulate`: a month of the exchange under a simulated clock.
//!
//! The market (workers, businesses, their demand) is generated from a seed;
//! the [`engine`] drives it through the real application layer
//! (`slivers_exchange`) and a real database, advancing a simulated clock; the
//! outcomes are read back from the database into a `slivers_outcomes::Record`,
//! exactly as the operator console reads the real market. Two reference
//! points are computed in the same run over the same shifts and profiles:
//! [`bound`], the LP relaxation of the month's assignment (an upper bound on
//! the fill rate), and [`greedy`], first come first served.

pub mod behaviour;
pub mod bound;
pub mod eligibility;
pub mod engine;
pub mod goals;
pub mod greedy;
pub mod plan;
pub mod report;
pub mod simulate;

use jiff::Timestamp;
use slivers_core::business::Shift;

/// A shift as the reference points see it: the row as posted, and when.
#[derive(Debug, Clone)]
pub struct PostedShift {
    pub shift: Shift,
    pub posted_at: Timestamp,
}
