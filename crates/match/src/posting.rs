//! Postings: what the search's walk needs of a worker, copied next to the
//! worker's slot in every skill list and R-tree box.
//!
//! A remote search for a popular skill walks tens of thousands of workers.
//! Reading each one's entry costs several cache misses (the entry, its levels,
//! its availability), and that was most of the search's time. A posting holds
//! the exact pre-filters (currency, minimum rate, instant opt-in, level in the
//! list's skill) and the parts of an upper bound on the score, so the walk
//! reads memory in order and only the candidates that may rank touch their
//! entry. Postings are copies: the index rewrites them whenever an entry's
//! copied fields change ([`Posting::of`] is the only constructor).

use jiff::Timestamp;
use rust_decimal::Decimal;
use slivers_core::money::Currency;
use slivers_core::Interval;

use crate::entry::WorkerEntry;
use crate::score::{cost, fit, reliability, reputation, skill_fit, with_total, ScoreParts, Weights, FAIRNESS_NO_WANT};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Posting {
    pub slot: u32,
    /// Effective level in the list's skill; 0 where the list is not per skill.
    pub level: u8,
    pub instant: bool,
    pub currency: Currency,
    pub min_rate: Decimal,
    pub min_rate_f32: f32,
    /// Score parts that do not depend on the shift.
    pub reputation: f32,
    pub reliability: f32,
    /// The most the fairness part can be for this worker.
    pub fairness_cap: f32,
}

impl Posting {
    pub fn of(e: &WorkerEntry, slot: u32, level: u8) -> Posting {
        Posting {
            slot,
            level,
            instant: e.worker.instant_book,
            currency: e.worker.min_rate.currency,
            min_rate: e.worker.min_rate.amount,
            min_rate_f32: e.min_rate_f32,
            reputation: reputation(e.rating),
            reliability: reliability(&e.track),
            fairness_cap: if e.worker.wanted_minutes_per_week == 0 { FAIRNESS_NO_WANT } else { 1.0 },
        }
    }
}

/// One search's view of a posting: the exact pre-filters and the score bound.
pub(crate) struct Walk<'q> {
    pub currency: Currency,
    pub pay: Decimal,
    pub pay_f32: f32,
    pub instant: bool,
    /// The walked skill's index and required level, if the walk is per skill.
    pub skill: Option<(u32, u8)>,
    pub required: &'q [(u32, &'q slivers_core::skills::SkillRequirement)],
    /// The distance part's most: 1 for every site (not computed on the walk), exactly 1 for remote work.
    pub distance_cap: f32,
    pub weights: &'q Weights,
}

impl Walk<'_> {
    /// The checks the exhaustive search makes on entry fields, on the copy.
    pub fn admits(&self, p: &Posting) -> bool {
        p.currency == self.currency
            && p.min_rate <= self.pay
            && (!self.instant || p.instant)
            && self.skill.is_none_or(|(_, need)| p.level >= need)
    }

    /// An upper bound on [`crate::score`] for this posting's worker: every
    /// part at or above the exact one (other skills' fit at its most, the
    /// distance and fairness at their caps), summed by the same function.
    pub fn bound(&self, p: &Posting) -> f32 {
        let walked = self.skill.map(|(i, _)| i);
        let level = |i: u32| if Some(i) == walked { f32::from(p.level) } else { f32::INFINITY };
        let parts = ScoreParts {
            skill_fit: skill_fit(self.required, level),
            reputation: p.reputation,
            reliability: p.reliability,
            distance: self.distance_cap,
            cost: cost(p.min_rate_f32, self.pay_f32),
            fairness: p.fairness_cap,
            total: 0.0,
        };
        // `fit` at an infinite level is its clamp's top, 1.
        debug_assert_eq!(fit(f32::INFINITY, 1), 1.0);
        with_total(parts, self.weights).total
    }
}

/// Availability by the hour over the index's horizon, one bit per hour, a
/// fixed number of words per slot: bit `h` is set when some availability
/// interval overlaps hour `h`. A window inside one availability interval
/// has every hour it overlaps set, so a clear bit proves "not available" and
/// the walk may skip the worker without reading the entry.
#[derive(Debug, Default)]
pub(crate) struct HourMap {
    start: i64,
    hours: i64,
    words: usize,
    bits: Vec<u64>,
}

impl HourMap {
    pub fn new(horizon: Interval) -> HourMap {
        let start = horizon.start.as_second() - i64::from(horizon.start.subsec_nanosecond() < 0);
        let hours = (horizon.end.as_second() - start + 3599).div_euclid(3600).max(0);
        let words = usize::try_from(hours).unwrap_or(0).div_ceil(64);
        HourMap { start, hours, words, bits: Vec::new() }
    }

    /// Whether no horizon has been set yet (an index built empty).
    pub fn is_empty(&self) -> bool {
        self.words == 0 && self.bits.is_empty()
    }

    /// The bits for one worker's availability, to append with [`HourMap::push`].
    pub fn row(&self, available: &[Interval]) -> Vec<u64> {
        let mut row = vec![0u64; self.words];
        for iv in available {
            let (from, to) = self.span(iv.start, iv.end);
            for h in from..to {
                row[h / 64] |= 1 << (h % 64);
            }
        }
        row
    }

    /// Append the row of the next slot; slots are dense from 0.
    pub fn push(&mut self, row: &[u64]) {
        debug_assert_eq!(row.len(), self.words);
        self.bits.extend_from_slice(row);
    }

    /// Whether every hour `window` overlaps is set for `slot`: false proves
    /// the window is inside no availability interval. `window` must lie in
    /// the horizon.
    pub fn may_contain(&self, slot: u32, window: &Interval) -> bool {
        let Some(row) = self.bits.get(slot as usize * self.words..(slot as usize + 1) * self.words) else { return true };
        let (from, to) = self.span(window.start, window.end);
        (from..to).all(|h| row[h / 64] & (1 << (h % 64)) != 0)
    }

    /// The hours `[from, to)` that `[start, end)` overlaps, clipped to the horizon.
    /// Seconds are floored at the start and ceiled at the end, so a span
    /// never misses an hour its instant range touches.
    fn span(&self, start: Timestamp, end: Timestamp) -> (usize, usize) {
        let floor = start.as_second() - i64::from(start.subsec_nanosecond() < 0);
        let ceil = end.as_second() + i64::from(end.subsec_nanosecond() > 0);
        let from = (floor - self.start).div_euclid(3600).clamp(0, self.hours);
        let to = (ceil - self.start + 3599).div_euclid(3600).clamp(0, self.hours);
        (from as usize, to.max(from) as usize)
    }
}
