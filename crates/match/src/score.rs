//! The ranking score: a weighted sum of parts, each between 0 and 1, all
//! returned so a business can see why one candidate ranks above another.
//! Ranking is a preference, never a rule: floats are fine here.

use serde::Serialize;
use slivers_core::business::Shift;
use slivers_core::geo::GeoPoint;
use slivers_core::skills::SkillRequirement;
use slivers_core::worker::{Reach, TrackRecord};

use crate::entry::WorkerEntry;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreParts {
    /// Effective level against the required level, per required skill.
    pub skill_fit: f32,
    /// Mean rating from businesses.
    pub reputation: f32,
    /// Completed bookings against no-shows and late cancellations.
    pub reliability: f32,
    /// Closer sites score higher; remote work scores 1.
    pub distance: f32,
    /// Headroom between the worker's minimum rate and the shift's pay.
    pub cost: f32,
    /// Workers short of the hours they want this week score higher.
    pub fairness: f32,
    pub total: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    pub skill_fit: f32,
    pub reputation: f32,
    pub reliability: f32,
    pub distance: f32,
    pub cost: f32,
    pub fairness: f32,
}

impl Weights {
    /// Whether every weight is finite and not negative: what the search's
    /// score bound needs (a negative weight would turn a part's upper bound
    /// into a lower one). Other weights are ranked by scoring every candidate.
    pub fn can_bound(&self) -> bool {
        [self.skill_fit, self.reputation, self.reliability, self.distance, self.cost, self.fairness]
            .iter()
            .all(|w| w.is_finite() && w.is_sign_positive())
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights { skill_fit: 0.30, reputation: 0.15, reliability: 0.20, distance: 0.10, cost: 0.05, fairness: 0.20 }
    }
}

/// The ranking score of one worker for one shift; `required` pairs each
/// required skill with its index in the index's skill table.
pub fn score(e: &WorkerEntry, shift: &Shift, required: &[(u32, &SkillRequirement)], w: &Weights) -> ScoreParts {
    let skill_fit = skill_fit(required, |idx| f32::from(e.level(idx)));
    let reputation = reputation(e.rating);
    let reliability = reliability(&e.track);
    let distance = distance(shift.location, e.worker.reach);
    let cost = cost(e.min_rate_f32, pay_f32(shift));
    let wanted = e.worker.wanted_minutes_per_week;
    let fairness = if wanted == 0 {
        FAIRNESS_NO_WANT
    } else {
        (1.0 - e.minutes_near(shift.window.start) as f32 / wanted as f32).clamp(0.0, 1.0)
    };
    with_total(ScoreParts { skill_fit, reputation, reliability, distance, cost, fairness, total: 0.0 }, w)
}

/// Closer sites score higher; remote work scores 1.
pub(crate) fn distance(site: Option<GeoPoint>, reach: Reach) -> f32 {
    match (site, reach) {
        (None, _) => 1.0,
        (Some(site), Reach::Travel { home, radius_km }) if radius_km > 0 => {
            (1.0 - home.distance_m(&site) as f32 / (radius_km as f32 * 1000.0)).clamp(0.0, 1.0)
        }
        _ => 0.0,
    }
}

/// The fairness part of a worker who states no wanted hours.
pub(crate) const FAIRNESS_NO_WANT: f32 = 0.5;

/// The parts' weighted sum. The search's score bound goes through this same
/// function with each part at or above the exact one: float addition and
/// multiplication by a non-negative weight are monotone, so the bound's total
/// is never below the exact total.
pub(crate) fn with_total(mut p: ScoreParts, w: &Weights) -> ScoreParts {
    p.total = w.skill_fit * p.skill_fit
        + w.reputation * p.reputation
        + w.reliability * p.reliability
        + w.distance * p.distance
        + w.cost * p.cost
        + w.fairness * p.fairness;
    p
}

/// Effective level against the required level, averaged over the required
/// skills; `level` gives the worker's level in a skill by its index.
pub(crate) fn skill_fit(required: &[(u32, &SkillRequirement)], level: impl Fn(u32) -> f32) -> f32 {
    if required.is_empty() {
        return 1.0;
    }
    let sum: f32 = required.iter().map(|(idx, req)| fit(level(*idx), req.level.get())).sum();
    sum / required.len() as f32
}

/// One skill's fit; `have` is a level, or 5 for "any level" in a bound.
pub(crate) fn fit(have: f32, need: u8) -> f32 {
    (0.6 + 0.1 * (have - f32::from(need))).clamp(0.0, 1.0)
}

pub(crate) fn reputation(rating: Option<f32>) -> f32 {
    rating.map_or(0.6, |r| (r / 5.0).clamp(0.0, 1.0))
}

/// A no-show costs most, a late cancellation less, one with the notice the
/// business asks for only a little: giving notice is not failing to turn up.
pub(crate) fn reliability(t: &TrackRecord) -> f32 {
    let on_time = (t.cancelled_by_worker - t.late_cancellations).max(0);
    let misses = 2.0 * t.no_shows as f32 + t.late_cancellations as f32 + 0.25 * on_time as f32;
    (t.completed as f32 + 1.0) / (t.completed as f32 + misses + 2.0)
}

/// The shift's pay as a float: ranking only; the rate rule uses the decimal.
pub(crate) fn pay_f32(shift: &Shift) -> f32 {
    rust_decimal::prelude::ToPrimitive::to_f32(&shift.pay_rate.amount).unwrap_or(0.0)
}

/// Headroom between the minimum rate and the pay. Floats are fine for a
/// ranking part; a Decimal division per candidate was the most expensive
/// part of scoring.
pub(crate) fn cost(min_rate_f32: f32, pay: f32) -> f32 {
    if pay <= 0.0 {
        0.0
    } else {
        (1.0 - min_rate_f32 / pay).clamp(0.0, 1.0)
    }
}
