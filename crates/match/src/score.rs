//! The ranking score: a weighted sum of parts, each between 0 and 1, all
//! returned so a business can see why one candidate ranks above another.
//! Ranking is a preference, never a rule: floats are fine here.

use serde::Serialize;
use slivers_core::business::Shift;
use slivers_core::skills::SkillRequirement;
use slivers_core::worker::Reach;

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

impl Default for Weights {
    fn default() -> Self {
        Weights { skill_fit: 0.30, reputation: 0.15, reliability: 0.20, distance: 0.10, cost: 0.05, fairness: 0.20 }
    }
}

/// The ranking score of one worker for one shift; `required` pairs each
/// required skill with its index in the index's skill table.
pub fn score(e: &WorkerEntry, shift: &Shift, required: &[(u32, &SkillRequirement)], w: &Weights) -> ScoreParts {
    let skill_fit = if required.is_empty() {
        1.0
    } else {
        let sum: f32 = required
            .iter()
            .map(|(idx, req)| {
                let have = f32::from(e.level(*idx));
                (0.6 + 0.1 * (have - f32::from(req.level.get()))).clamp(0.0, 1.0)
            })
            .sum();
        sum / required.len() as f32
    };
    let reputation = e.rating.map_or(0.6, |r| (r / 5.0).clamp(0.0, 1.0));
    let t = &e.track;
    // A no-show costs most, a late cancellation less, one with the notice the
    // business asks for only a little: giving notice is not failing to turn up.
    let on_time = (t.cancelled_by_worker - t.late_cancellations).max(0);
    let misses = 2.0 * t.no_shows as f32 + t.late_cancellations as f32 + 0.25 * on_time as f32;
    let reliability = (t.completed as f32 + 1.0) / (t.completed as f32 + misses + 2.0);
    let distance = match (shift.location, e.worker.reach) {
        (None, _) => 1.0,
        (Some(site), Reach::Travel { home, radius_km }) if radius_km > 0 => {
            (1.0 - home.distance_m(&site) as f32 / (radius_km as f32 * 1000.0)).clamp(0.0, 1.0)
        }
        _ => 0.0,
    };
    // Floats are fine for a ranking part; a Decimal division per candidate was
    // the most expensive part of scoring.
    let pay = rust_decimal::prelude::ToPrimitive::to_f32(&shift.pay_rate.amount).unwrap_or(0.0);
    let cost = if pay <= 0.0 { 0.0 } else { (1.0 - e.min_rate_f32 / pay).clamp(0.0, 1.0) };
    let wanted = e.worker.wanted_minutes_per_week;
    let fairness = if wanted == 0 {
        0.5
    } else {
        (1.0 - e.minutes_near(shift.window.start) as f32 / wanted as f32).clamp(0.0, 1.0)
    };
    let total = w.skill_fit * skill_fit
        + w.reputation * reputation
        + w.reliability * reliability
        + w.distance * distance
        + w.cost * cost
        + w.fairness * fairness;
    ScoreParts { skill_fit, reputation, reliability, distance, cost, fairness, total }
}
