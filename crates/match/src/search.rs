//! The search: who passes every rule for a shift, best first.
//!
//! [`Index::search`] walks postings (pre-filters on copied fields, exact or
//! at least necessary), bounds each survivor's score from the posting alone,
//! and scores exactly only in bound order: a candidate is handed to the rule
//! checker once its exact score beats every bound still unscored. So the
//! tens of thousands of postings a popular skill walks cost a few
//! comparisons each, and only the few dozen candidates that may rank touch
//! their entry.
//!
//! [`Index::search_exhaustive`] scores every survivor and sorts; it is the
//! reference the bounded search is tested against, and the path for weights
//! the bound cannot handle. Both give the same list: the survivors in order
//! of score (descending, ties by worker id), keeping the first `limit` that
//! pass [`first_failure`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rstar::AABB;
use slivers_core::ids::WorkerId;
use slivers_core::rules::{first_failure, Mode};
use slivers_core::skills::SkillRequirement;
use slivers_core::worker::Reach;

use crate::entry::WorkerEntry;
use crate::index::{Candidate, Index, Query};
use crate::posting::{units, Posting, Walk};
use crate::score::{distance, pay_f32, score, ScoreParts};

/// What one search handled: how much of the walk the bound kept away from
/// the entries. For benchmarks ([`Index::search_counted`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SearchCounts {
    /// Postings the walk read.
    pub walked: usize,
    /// Postings that passed the pre-filters and got a bound.
    pub bounded: usize,
    /// Candidates whose entry was read and scored exactly.
    pub scored: usize,
    /// Candidates handed to the rule checker.
    pub checked: usize,
}

/// Where the search reports what it handled; `()` reports nowhere, so the
/// plain search pays nothing for the counts.
trait Tally {
    fn walked(&mut self) {}
    fn bounded(&mut self) {}
    fn scored(&mut self) {}
    fn checked(&mut self) {}
}

impl Tally for () {}

impl Tally for SearchCounts {
    fn walked(&mut self) {
        self.walked += 1;
    }
    fn bounded(&mut self) {
        self.bounded += 1;
    }
    fn scored(&mut self) {
        self.scored += 1;
    }
    fn checked(&mut self) {
        self.checked += 1;
    }
}

/// A survivor of the walk by its score bound.
struct Bounded(f32, u32);

impl PartialEq for Bounded {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Bounded {}
impl PartialOrd for Bounded {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Bounded {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

/// An exactly scored candidate, greatest first in the result order: higher
/// score, then lower worker id.
struct Scored {
    total: f32,
    id: WorkerId,
    slot: u32,
    parts: ScoreParts,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.total.total_cmp(&other.total).then(other.id.cmp(&self.id))
    }
}

impl Index {
    /// The required skills as (index, requirement), or `None` when nobody
    /// claims one of them (so nobody qualifies).
    fn required<'q>(&self, q: &'q Query) -> Option<Vec<(u32, &'q SkillRequirement)>> {
        q.shift.skills.iter().map(|r| self.skill_ids.get(r.skill.as_str()).map(|i| (*i, r))).collect()
    }

    /// Walk the rarest required skill's workers; the rest are filtered per worker.
    fn rarest(&self, required: &[(u32, &SkillRequirement)]) -> Option<u32> {
        required.iter().min_by_key(|(i, _)| self.skill_lists[*i as usize].len()).map(|(i, _)| *i)
    }

    /// Every posting the walk must see for `q`: the reach boxes around a
    /// site (with the worker's reach), or the skill's list for remote work.
    fn for_each_posting(&self, q: &Query, walked: Option<u32>, mut f: impl FnMut(&Posting, Option<Reach>)) {
        match (q.shift.location, walked) {
            (Some(site), Some(s)) => {
                for b in self.skill_trees[s as usize].locate_in_envelope_intersecting(AABB::from_point([site.lon, site.lat])) {
                    f(&b.posting, Some(b.reach));
                }
            }
            (Some(site), None) => {
                for b in self.all_tree.locate_in_envelope_intersecting(AABB::from_point([site.lon, site.lat])) {
                    f(&b.posting, Some(b.reach));
                }
            }
            (None, Some(s)) => self.skill_lists[s as usize].iter().for_each(|p| f(p, None)),
            // A remote shift with no skill: every worker, postings made on the way.
            (None, None) => {
                for (slot, e) in self.entries.iter().enumerate() {
                    if let Some(e) = e {
                        f(&Posting::of(e, slot as u32), None);
                    }
                }
            }
        }
    }

    /// The exact pre-filters on the entry's own fields, each mirroring a rule
    /// the checker will confirm: currency and minimum rate, instant opt-in,
    /// every required level, and availability for instant booking. The walk
    /// makes the same checks on the postings, some only as necessary
    /// conditions (levels beyond a worker's first six claims are unknown to it,
    /// availability is by hour of the week).
    fn entry_admits(&self, e: &WorkerEntry, q: &Query, required: &[(u32, &SkillRequirement)], in_horizon: bool) -> bool {
        let (w, pay) = (&e.worker, &q.shift.pay_rate);
        if w.min_rate.currency != pay.currency || w.min_rate.amount > pay.amount || (q.mode == Mode::Instant && !w.instant_book) {
            return false;
        }
        if required.iter().any(|(i, r)| e.level(*i) < r.level.get()) {
            return false;
        }
        !(q.mode == Mode::Instant && in_horizon && !e.available_for(&q.shift.window))
    }

    fn in_horizon(&self, q: &Query) -> bool {
        self.horizon.is_some_and(|h| h.contains(&q.shift.window))
    }

    /// Workers who pass every rule for `q`, best first, at most `q.limit`.
    pub fn search(&self, q: &Query) -> Vec<Candidate> {
        self.bounded_search(q, &mut ())
    }

    /// [`Index::search`], also counting what it handled.
    pub fn search_counted(&self, q: &Query) -> (Vec<Candidate>, SearchCounts) {
        let mut counts = SearchCounts::default();
        let found = self.bounded_search(q, &mut counts);
        (found, counts)
    }

    fn bounded_search(&self, q: &Query, tally: &mut impl Tally) -> Vec<Candidate> {
        if !q.weights.can_bound() {
            return self.search_exhaustive(q);
        }
        let Some(required) = self.required(q) else { return Vec::new() };
        if q.limit == 0 {
            return Vec::new();
        }
        let shift = &q.shift;
        let walked = self.rarest(&required);
        let in_horizon = self.in_horizon(q);
        let instant = q.mode == Mode::Instant;
        let walk = Walk {
            currency: shift.pay_rate.currency,
            pay_units: units(shift.pay_rate.amount).unwrap_or(i64::MAX),
            pay_f32: pay_f32(shift),
            instant,
            needs_window: (instant && in_horizon).then_some(shift.window),
            required: &required,
            weights: &q.weights,
        };
        let mut bounded = Vec::new();
        self.for_each_posting(q, walked, |p, reach| {
            tally.walked();
            if walk.admits(p) {
                tally.bounded();
                // Site work comes with the reach: the distance part exactly; remote work scores 1.
                let distance = reach.map_or(1.0, |r| distance(shift.location, r));
                bounded.push(Bounded(walk.bound(p, distance), p.slot));
            }
        });
        let mut bounded = BinaryHeap::from(bounded);
        let mut ready: BinaryHeap<Scored> = BinaryHeap::new();
        let mut out = Vec::with_capacity(q.limit.min(bounded.len()));
        loop {
            // Hand over every scored candidate that no unscored one can
            // outrank: its score beats the best bound left (a tie waits, as
            // an unscored worker with a lower id would come first).
            while let Some(top) = ready.peek() {
                if bounded.peek().is_some_and(|b| top.total.total_cmp(&b.0) != Ordering::Greater) {
                    break;
                }
                let Some(top) = ready.pop() else { break };
                let Some(e) = self.entries[top.slot as usize].as_ref() else { continue };
                tally.checked();
                if first_failure(&self.proposal(e, shift, q.now, q.mode)).is_none() {
                    out.push(Candidate { worker_id: top.id, name: e.worker.name.clone(), score: top.parts });
                    if out.len() >= q.limit {
                        return out;
                    }
                }
            }
            let Some(Bounded(bound, slot)) = bounded.pop() else { return out };
            let Some(e) = self.entries[slot as usize].as_ref() else { continue };
            if !self.entry_admits(e, q, &required, in_horizon) {
                continue;
            }
            tally.scored();
            let parts = score(e, shift, &required, &q.weights);
            debug_assert!(parts.total.total_cmp(&bound) != Ordering::Greater, "score {} above its bound {bound}", parts.total);
            ready.push(Scored { total: parts.total, id: e.id(), slot, parts });
        }
    }

    /// [`Index::search`] by scoring every candidate the walk admits and
    /// sorting: the reference for the bounded search, and the path for
    /// weights it cannot bound (negative or not finite).
    pub fn search_exhaustive(&self, q: &Query) -> Vec<Candidate> {
        let Some(required) = self.required(q) else { return Vec::new() };
        let shift = &q.shift;
        let walked = self.rarest(&required);
        let in_horizon = self.in_horizon(q);
        // The entry's own fields, not the posting's copies: this is the
        // reference a stale posting would disagree with.
        let mut scored: Vec<Scored> = Vec::new();
        self.for_each_posting(q, walked, |p, _| {
            let Some(e) = self.entries[p.slot as usize].as_ref() else { return };
            if self.entry_admits(e, q, &required, in_horizon) {
                let parts = score(e, shift, &required, &q.weights);
                scored.push(Scored { total: parts.total, id: e.id(), slot: p.slot, parts });
            }
        });
        scored.sort_unstable_by(|a, b| b.cmp(a));
        let mut out = Vec::with_capacity(q.limit.min(scored.len()));
        for s in scored {
            if out.len() >= q.limit {
                break;
            }
            let Some(e) = self.entries[s.slot as usize].as_ref() else { continue };
            if first_failure(&self.proposal(e, shift, q.now, q.mode)).is_none() {
                out.push(Candidate { worker_id: s.id, name: e.worker.name.clone(), score: s.parts });
            }
        }
        out
    }
}
