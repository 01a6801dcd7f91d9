//! Postings: what the search's walk needs of a worker, copied next to the
//! worker's slot in every skill list and R-tree box.
//!
//! A remote search for a popular skill walks tens of thousands of workers.
//! Reading each one's entry costs several cache misses (the entry, its levels,
//! its availability), and that was most of the search's time. A posting holds
//! the exact pre-filters (currency, minimum rate, instant opt-in, level in the
//! list's skill, availability folded onto the hours of a week) and the parts
//! of an upper bound on the score, so the walk
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
    /// Score parts that do not depend on the shift.
    pub reputation: f32,
    pub reliability: f32,
    pub min_rate_f32: f32,
    /// The minimum rate in [`units`], or `i64::MIN` when it has none (the
    /// walk then admits on rate and the entry decides).
    pub min_rate_units: i64,
    /// Availability by hour of the week, see [`WeekHours`].
    pub week: WeekHours,
    /// Effective levels by skill.
    pub levels: Levels,
    pub instant: bool,
    /// States no wanted hours: the fairness part is fixed at its middle.
    pub wants_nothing: bool,
    pub currency: Currency,
}

impl Posting {
    pub fn of(e: &WorkerEntry, slot: u32) -> Posting {
        Posting {
            slot,
            reputation: reputation(e.rating),
            reliability: reliability(&e.track),
            min_rate_f32: e.min_rate_f32,
            min_rate_units: units(e.worker.min_rate.amount).unwrap_or(i64::MIN),
            week: WeekHours::of(&e.available),
            levels: Levels::of(&e.levels),
            instant: e.worker.instant_book,
            wants_nothing: e.worker.wanted_minutes_per_week == 0,
            currency: e.worker.min_rate.currency,
        }
    }

    /// The most the fairness part can be for this worker.
    fn fairness_cap(&self) -> f32 {
        if self.wants_nothing {
            FAIRNESS_NO_WANT
        } else {
            1.0
        }
    }
}

/// The worker's effective levels by skill index, inline for the first
/// [`Levels::CAP`] claims (most workers have fewer), so the walk checks every
/// required skill and computes the skill fit without the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Levels {
    skills: [u16; Levels::CAP],
    levels: [u8; Levels::CAP],
    /// Claims past the cap, or a skill index that does not fit: a skill not
    /// listed is then unknown rather than unclaimed.
    overflow: bool,
}

impl Levels {
    const CAP: usize = 6;
    const NONE: u16 = u16::MAX;

    pub fn of(claims: &[(u32, u8)]) -> Levels {
        let mut out = Levels { skills: [Self::NONE; Self::CAP], levels: [0; Self::CAP], overflow: claims.len() > Self::CAP };
        for (k, (skill, level)) in claims.iter().take(Self::CAP).enumerate() {
            match u16::try_from(*skill) {
                Ok(s) if s != Self::NONE => (out.skills[k], out.levels[k]) = (s, *level),
                _ => out.overflow = true,
            }
        }
        out
    }

    /// The level in `skill` as `WorkerEntry::level` gives it (the first
    /// claim, 0 when unclaimed), or `None` when only the entry knows.
    pub fn get(&self, skill: u32) -> Option<u8> {
        let found = u16::try_from(skill).ok().and_then(|s| self.skills.iter().position(|x| *x == s && s != Self::NONE));
        match found {
            Some(k) => Some(self.levels[k]),
            None if self.overflow => None,
            None => Some(0),
        }
    }
}

/// A rate as an integer number of 10⁻¹² units, when it is one: comparing two
/// `Decimal`s of different scales rescales one of them, and the walk compares
/// every posting. Exact and order-preserving where it answers; every valid
/// rate (at most 100,000, at most 12 decimals) has one.
pub(crate) fn units(d: Decimal) -> Option<i64> {
    let factor = 10i128.checked_pow(12u32.checked_sub(d.scale())?)?;
    i64::try_from(d.mantissa().checked_mul(factor)?).ok()
}

/// Availability folded onto the hours of a week (168 bits over absolute UTC
/// hours modulo 168): bit `h` is set when some availability interval over
/// the horizon overlaps an hour congruent to `h`. A window inside one
/// availability interval has all its hours' bits set, so a clear bit proves
/// "not available" without reading the entry. Weekly patterns fold onto
/// themselves, so for most workers this is as sharp as an hour map of the
/// whole horizon, at 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct WeekHours([u64; 3]);

const WEEK: i64 = 168;

impl WeekHours {
    pub fn of(available: &[Interval]) -> WeekHours {
        let mut bits = [0u64; 3];
        for iv in available {
            let (from, to) = hours(iv.start, iv.end);
            if to - from >= WEEK {
                return WeekHours([u64::MAX; 3]);
            }
            for h in from..to {
                let b = h.rem_euclid(WEEK) as usize;
                bits[b / 64] |= 1 << (b % 64);
            }
        }
        WeekHours(bits)
    }

    /// Whether every hour `window` overlaps is set: false proves the window
    /// is inside no availability interval.
    pub fn may_contain(&self, window: &Interval) -> bool {
        let (from, to) = hours(window.start, window.end);
        (from..to.min(from + WEEK)).all(|h| {
            let b = h.rem_euclid(WEEK) as usize;
            self.0[b / 64] & (1 << (b % 64)) != 0
        })
    }
}

/// The absolute UTC hours `[from, to)` that `[start, end)` overlaps. Seconds
/// are floored at the start and ceiled at the end, so a span never misses an
/// hour its instant range touches.
fn hours(start: Timestamp, end: Timestamp) -> (i64, i64) {
    let floor = start.as_second() - i64::from(start.subsec_nanosecond() < 0);
    let ceil = end.as_second() + i64::from(end.subsec_nanosecond() > 0);
    let from = floor.div_euclid(3600);
    let to = (ceil + 3599).div_euclid(3600);
    (from, to.max(from))
}

/// One search's view of a posting: the pre-filters and the score bound.
pub(crate) struct Walk<'q> {
    pub currency: Currency,
    /// The pay in [`units`]; `i64::MAX` when it has none (the entry decides).
    pub pay_units: i64,
    pub pay_f32: f32,
    pub instant: bool,
    /// Instant booking inside the horizon: the availability rule applies.
    pub needs_window: Option<Interval>,
    pub required: &'q [(u32, &'q slivers_core::skills::SkillRequirement)],
    pub weights: &'q Weights,
}

impl Walk<'_> {
    /// The checks the exhaustive search makes on entry fields, on the copy.
    pub fn admits(&self, p: &Posting) -> bool {
        p.currency == self.currency
            && p.min_rate_units <= self.pay_units
            && (!self.instant || p.instant)
            && self.required.iter().all(|(i, r)| p.levels.get(*i).is_none_or(|l| l >= r.level.get()))
            && self.needs_window.is_none_or(|w| p.week.may_contain(&w))
    }

    /// An upper bound on [`crate::score`] for this posting's worker, given
    /// the exact distance part: every part at or above the exact one (a skill
    /// only the entry knows at its most, fairness at its cap), summed by the
    /// same function.
    pub fn bound(&self, p: &Posting, distance: f32) -> f32 {
        let level = |i: u32| p.levels.get(i).map_or(f32::INFINITY, f32::from);
        let parts = ScoreParts {
            skill_fit: skill_fit(self.required, level),
            reputation: p.reputation,
            reliability: p.reliability,
            distance,
            cost: cost(p.min_rate_f32, self.pay_f32),
            fairness: p.fairness_cap(),
            total: 0.0,
        };
        // `fit` at an infinite level is its clamp's top, 1.
        debug_assert_eq!(fit(f32::INFINITY, 1), 1.0);
        with_total(parts, self.weights).total
    }
}
