//! Who could ever take which shift: the worker–shift pairs both reference
//! points start from.
//!
//! A worker is eligible for a posted shift when the one rule checker
//! (`slivers_core::rules::first_failure`, the same evaluation as `check`)
//! allows it in `Mode::Accept` with no other bookings held, at the moment the
//! shift is posted (the earliest anyone could book it, so the notice rule is
//! at its loosest). Other bookings only ever add refusals (overlap, rest,
//! caps, labour patterns), and notice only shrinks as time passes, so no
//! booking made later in the month can use a pair that is not listed here.
//!
//! One deliberate loosening: the on-site-first rule
//! (`Shift::onsite_before_remote`) reads how many on-site shifts the worker
//! already holds with the business, a count that grows during the month. The
//! pairs are asked with that count taken as met, so a remote shift under such
//! a policy is not ruled out for good; whoever books (the greedy baseline, the
//! real exchange) counts for real.
//!
//! Asking the checker for every worker on every shift would be tens of
//! millions of calls, so cheap pre-filters that mirror the rules exactly
//! (shift open, rate, skill levels through a map from skill code to the
//! workers claiming it, reach with the rule's own distance, notice) choose
//! whom to ask; the checker decides every pair that is listed. Blackouts are
//! expanded once per worker over the whole horizon and handed to the checker,
//! as the matching index does.

use std::collections::HashMap;

use jiff::Timestamp;
use slivers_core::availability::expand_weekly;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::interval::minutes_between;
use slivers_core::rules::{first_failure, Mode, Proposal};
use slivers_core::skills::SkillCode;
use slivers_core::worker::{Reach, Worker};
use slivers_core::Interval;

use crate::PostedShift;

/// Eligible workers per shift.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairs {
    /// For each shift index, the indices of its eligible workers, ascending.
    pub by_shift: Vec<Vec<u32>>,
}

impl Pairs {
    /// How many (worker, shift) pairs there are.
    pub fn len(&self) -> usize {
        self.by_shift.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_shift.iter().all(Vec::is_empty)
    }

    /// The same pairs per worker: for each of `workers` worker indices, the
    /// shift indices they are eligible for, ascending.
    pub fn by_worker(&self, workers: usize) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); workers];
        for (s, ws) in self.by_shift.iter().enumerate() {
            for &w in ws {
                if let Some(list) = out.get_mut(w as usize) {
                    list.push(s as u32);
                }
            }
        }
        out
    }
}

/// What the pre-filters read about the workers, computed once.
struct Prepared<'a> {
    workers: &'a [Worker],
    /// Skill code → (worker index, effective level), ascending by worker.
    by_skill: HashMap<&'a SkillCode, Vec<(u32, u8)>>,
    /// Per worker, the effective level of each of their claims (aligned with `Worker::skills`).
    levels: Vec<Vec<u8>>,
    /// Per worker, their blackouts over the whole horizon.
    blackouts: Vec<Vec<Interval>>,
}

impl<'a> Prepared<'a> {
    fn new(workers: &'a [Worker], horizon: Option<Interval>) -> Self {
        let mut by_skill: HashMap<&SkillCode, Vec<(u32, u8)>> = HashMap::new();
        let mut levels = Vec::with_capacity(workers.len());
        let mut blackouts = Vec::with_capacity(workers.len());
        for (i, w) in workers.iter().enumerate() {
            // Weighing evidence is the costly part of the skills rule; do it
            // once per claim instead of once per shift asked.
            let mine: Vec<u8> = w.skills.iter().map(|c| c.effective_level().get()).collect();
            for (claim, level) in w.skills.iter().zip(&mine) {
                by_skill.entry(&claim.skill).or_default().push((i as u32, *level));
            }
            levels.push(mine);
            blackouts.push(match horizon {
                Some(h) => expand_weekly(&w.limits.blackouts, &w.zone, h),
                None => Vec::new(),
            });
        }
        Prepared { workers, by_skill, levels, blackouts }
    }

    fn level(&self, w: usize, skill: &SkillCode) -> u8 {
        let (worker, levels) = (&self.workers[w], &self.levels[w]);
        worker.skills.iter().zip(levels).find(|(c, _)| &c.skill == skill).map_or(0, |(_, l)| *l)
    }

    /// The eligible workers of one posted shift, ascending.
    fn eligible(&self, posted: &PostedShift) -> Vec<u32> {
        let shift = &posted.shift;
        if shift.status != ShiftStatus::Open {
            return Vec::new();
        }
        // Candidates that hold every required skill at its level: walk the
        // rarest requirement's list and look the others up.
        let candidates: Vec<u32> = match shift.skills.iter().min_by_key(|r| self.by_skill.get(&r.skill).map_or(0, Vec::len)) {
            None => (0..self.workers.len() as u32).collect(),
            Some(rarest) => match self.by_skill.get(&rarest.skill) {
                None => return Vec::new(),
                Some(list) => {
                    let mut ws: Vec<u32> = list.iter().filter(|(_, l)| *l >= rarest.level.get()).map(|(w, _)| *w).collect();
                    // A worker listing a skill twice (validation refuses it) is asked once,
                    // and by the claim the rule reads (the first).
                    ws.dedup();
                    ws.retain(|&w| shift.skills.iter().all(|r| self.level(w as usize, &r.skill) >= r.level.get()));
                    ws
                }
            },
        };
        candidates.into_iter().filter(|&w| self.allows(w as usize, posted)).collect()
    }

    /// Exact cheap rules first, then the checker itself.
    fn allows(&self, w: usize, posted: &PostedShift) -> bool {
        let (worker, shift) = (&self.workers[w], &posted.shift);
        rate_ok(worker, shift)
            && reach_ok(worker, shift)
            && notice_ok(worker, shift, posted.posted_at)
            && first_failure(&Proposal {
                blackouts: Some(&self.blackouts[w]),
                // Taken as met: the count grows during the month (module doc).
                onsite_with_business: shift.onsite_before_remote,
                ..Proposal::new(worker, &[], shift, posted.posted_at, Mode::Accept)
            })
            .is_none()
    }
}

/// The rate rule, as `rules::evaluate` states it.
fn rate_ok(w: &Worker, s: &Shift) -> bool {
    s.pay_rate.currency == w.min_rate.currency && s.pay_rate.amount >= w.min_rate.amount
}

/// The reach rule, with the rule's own distance (`GeoPoint::distance_m`).
fn reach_ok(w: &Worker, s: &Shift) -> bool {
    match (s.location, &w.reach) {
        (None, _) => true,
        (Some(_), Reach::RemoteOnly) => false,
        (Some(site), Reach::Travel { home, radius_km }) => home.distance_m(&site) <= i64::from(*radius_km) * 1000,
    }
}

/// The notice rule, as `rules::evaluate` states it.
fn notice_ok(w: &Worker, s: &Shift, now: Timestamp) -> bool {
    minutes_between(now, s.window.start) >= i64::from(w.limits.min_notice_minutes) && s.window.start > now
}

/// The span every shift lies in, or `None` without shifts.
fn horizon(shifts: &[PostedShift]) -> Option<Interval> {
    let start = shifts.iter().map(|p| p.shift.window.start).min()?;
    let end = shifts.iter().map(|p| p.shift.window.end).max()?;
    Some(Interval { start, end })
}

/// Every worker–shift pair the rule checker allows on its own (module doc).
/// Two threads share the shifts; the result does not depend on how.
pub fn pairs(workers: &[Worker], shifts: &[PostedShift]) -> Pairs {
    let prepared = Prepared::new(workers, horizon(shifts));
    const THREADS: usize = 2;
    let mut by_shift = vec![Vec::new(); shifts.len()];
    // Interleaved, so expensive stretches (a city's busy day) are shared.
    let parts: Vec<Vec<(usize, Vec<u32>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let prepared = &prepared;
                scope.spawn(move || {
                    shifts.iter().enumerate().skip(t).step_by(THREADS).map(|(i, p)| (i, prepared.eligible(p))).collect::<Vec<_>>()
                })
            })
            .collect();
        // A panic in a worker thread is a bug in the checker; pass it on.
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    for (i, ws) in parts.into_iter().flatten() {
        by_shift[i] = ws;
    }
    Pairs { by_shift }
}

/// The union of the pairs under two snapshots of the same workers (same
/// order, same ids), e.g. their profiles at the start and at the end of a
/// simulated month: evidence grows, so a level reached mid-month opens pairs
/// the start did not have, and the bound must count them.
pub fn pairs_either(a: &[Worker], b: &[Worker], shifts: &[PostedShift]) -> Pairs {
    debug_assert!(a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id), "two snapshots of the same workers");
    let (pa, pb) = (pairs(a, shifts), pairs(b, shifts));
    let by_shift = pa.by_shift.into_iter().zip(pb.by_shift).map(|(x, y)| merge(&x, &y)).collect();
    Pairs { by_shift }
}

/// Merge two ascending lists into one ascending list without repeats.
fn merge(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn merge_keeps_order_and_drops_repeats() {
        assert_eq!(merge(&[1, 3, 5], &[2, 3, 6]), vec![1, 2, 3, 5, 6]);
        assert_eq!(merge(&[], &[4]), vec![4]);
        assert_eq!(merge(&[4], &[]), vec![4]);
    }
}
