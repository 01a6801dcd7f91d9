//! The roster optimizer. A general model ([`Problem`]) of slots (a day and a
//! shift type, with a demand and penalties for each place unfilled or extra)
//! and staff with hard limits and soft preferences; an independent
//! [`validate`] that recomputes feasibility and every objective part from a
//! solution alone; and an anytime [`solve`]r on two threads: exact per-person
//! best responses by dynamic programming with kicks, and a Lagrangian lower
//! bound from the same program (models with pairwise conflicts use the older
//! MIP path, `microlp`, pure Rust). [`generate`] writes instances in the
//! benchmark format at any size.
//!
//! The Curtois–Qu benchmark format maps onto the model directly ([`nrp`]); the
//! exchange's own shifts map onto it through the rule checker (the server's
//! roster module).

mod dp;
pub mod generate;
mod greedy;
mod lagrange;
mod lns;
mod mip;
mod model;
pub mod nrp;
mod search;
mod solve;
mod validate;

pub use model::{Cover, Problem, ShiftType, Solution, Staff, Request};
pub use solve::{solve, Effort, Options, Outcome, Progress, SolveError};
pub use validate::{validate, Breakdown, Report};
