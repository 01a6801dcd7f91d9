//! How simulated people behave: whether a worker takes an offer (more likely
//! the better it pays against their floor and the further they are from the
//! hours they want), how soon they answer, who cancels and who does not come.
//! One model serves the simulated market and the greedy baseline, so the two
//! differ only in how the exchange chooses.
//!
//! Every draw comes from a generator seeded by (run seed, stream, item), so a
//! decision does not depend on the order other decisions were drawn in.
#![allow(clippy::float_arithmetic, reason = "probabilities and delays are drawn as floats; no money is involved")]

use fastrand::Rng;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use slivers_core::business::Shift;
use slivers_core::ids::WorkerId;
use slivers_core::worker::Worker;

/// Independent streams of draws.
pub mod stream {
    pub const ANSWER: u64 = 11;
    pub const CANCEL: u64 = 12;
    pub const NO_SHOW: u64 = 13;
    pub const TRAIT: u64 = 14;
    pub const RATING: u64 = 15;
    pub const GREEDY: u64 = 16;
}

/// A generator for `item` of `stream` under `seed`.
pub fn rng(seed: u64, stream: u64, item: u64) -> Rng {
    let x = splitmix(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    Rng::with_seed(splitmix(x ^ splitmix(item)))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The behaviour model's parameters.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Behaviour {
    pub seed: u64,
    /// Share of confirmed bookings the worker later cancels.
    pub cancel_rate: f64,
    /// Share of bookings whose worker does not come (scaled by a per-worker trait).
    pub no_show_rate: f64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour { seed: 1, cancel_rate: 0.04, no_show_rate: 0.02 }
    }
}

/// A worker's answer to one offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub accepts: bool,
    /// Minutes after the offer arrives.
    pub after_minutes: i64,
}

impl Behaviour {
    /// Whether `worker` takes `shift` and when they answer, given the share of
    /// their wanted weekly hours already booked in the shift's week
    /// (`booked_share`). The draw belongs to the (shift, worker) pair, so the
    /// simulated market and the baseline see the same person decide the same
    /// way when asked in the same state.
    pub fn answer(&self, worker: &Worker, shift: &Shift, booked_share: f64) -> Answer {
        let (yes_draw, after_minutes) = self.pair_draws(worker, shift);
        Answer { accepts: yes_draw < accept_probability(worker, shift, booked_share), after_minutes }
    }

    /// The (shift, worker) pair's two draws: the one a yes must beat, and
    /// the minutes the answer takes.
    fn pair_draws(&self, worker: &Worker, shift: &Shift) -> (f64, i64) {
        let mut r = rng(self.seed, stream::ANSWER, pair_item(shift.id, worker.id));
        let yes_draw = r.f64();
        // Each worker has a habit: some answer within minutes, some within hours.
        let mean = self.response_minutes(worker.id);
        (yes_draw, (-(1.0 - r.f64()).ln() * mean).round().clamp(1.0, 24.0 * 60.0) as i64)
    }

    /// Whether `worker` would take `shift` when asked with nothing booked yet,
    /// the most willing they can be (the chance falls as their week fills):
    /// a pair that fails this is never accepted, whoever asks and when.
    pub fn ever_willing(&self, worker: &Worker, shift: &Shift) -> bool {
        self.pair_draws(worker, shift).0 < accept_probability(worker, shift, 0.0)
    }

    /// Whether `worker` could be holding a place on `shift` within `minutes`
    /// of being asked: booked instantly (they take instant bookings), or
    /// willing and answering that fast (the answer time belongs to the pair,
    /// whoever asks and when).
    pub fn could_confirm_within(&self, worker: &Worker, shift: &Shift, minutes: i64) -> bool {
        worker.instant_book || {
            let (yes_draw, after) = self.pair_draws(worker, shift);
            yes_draw < accept_probability(worker, shift, 0.0) && after <= minutes
        }
    }

    /// The worker's mean answer time in minutes, a fixed trait.
    pub fn response_minutes(&self, worker: WorkerId) -> f64 {
        const MEANS: [f64; 5] = [3.0, 8.0, 20.0, 60.0, 180.0];
        MEANS[rng(self.seed, stream::TRAIT, worker.0 as u64).usize(..MEANS.len())]
    }

    /// Whether the booking `item` of `worker` is cancelled by them, and at
    /// what fraction of the time between confirmation and start.
    pub fn cancels(&self, item: u64) -> Option<f64> {
        let mut r = rng(self.seed, stream::CANCEL, item);
        (r.f64() < self.cancel_rate).then(|| r.f64())
    }

    /// Whether the worker of booking `item` does not come. Some workers are
    /// four times as likely as the rate, most half as likely.
    pub fn no_show(&self, worker: WorkerId, item: u64) -> bool {
        let flaky = rng(self.seed, stream::TRAIT ^ 0xF1A4, worker.0 as u64).u32(..10) == 0;
        let p = if flaky { self.no_show_rate * 4.0 } else { self.no_show_rate * 0.67 };
        rng(self.seed, stream::NO_SHOW, item).f64() < p
    }

    /// The stars a business gives a worker's completed booking `item`: most
    /// are 4 or 5; flaky workers draw lower.
    pub fn stars(&self, worker: WorkerId, item: u64) -> u8 {
        let flaky = rng(self.seed, stream::TRAIT ^ 0xF1A4, worker.0 as u64).u32(..10) == 0;
        let mut r = rng(self.seed, stream::RATING, item);
        let roll = r.u32(..100);
        match (flaky, roll) {
            (false, 0..=54) => 5,
            (false, 55..=89) => 4,
            (false, _) => 3,
            (true, 0..=29) => 4,
            (true, 30..=69) => 3,
            (true, _) => 2,
        }
    }
}

/// The item that names a (shift, worker) pair's draws.
pub fn pair_item(shift: slivers_core::ids::ShiftId, worker: WorkerId) -> u64 {
    ((shift.0 as u64) << 32) ^ (worker.0 as u64)
}

/// The chance a worker takes a shift: a base, more the better the pay
/// against their floor, less the nearer they are to the hours they want.
pub fn accept_probability(worker: &Worker, shift: &Shift, booked_share: f64) -> f64 {
    let premium = if worker.min_rate.currency == shift.pay_rate.currency && worker.min_rate.amount > rust_decimal::Decimal::ZERO {
        (shift.pay_rate.amount / worker.min_rate.amount).to_f64().unwrap_or(1.0) - 1.0
    } else {
        0.2
    };
    let pay = (premium * 2.5).clamp(0.0, 1.0);
    let hunger = 1.0 - booked_share.clamp(0.0, 1.0);
    (0.15 + 0.35 * pay + 0.4 * hunger).clamp(0.05, 0.95)
}
