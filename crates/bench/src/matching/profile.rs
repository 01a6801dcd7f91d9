//! Where the index's time goes: a step-by-step replica of `Index::search`
//! (same candidate structures built with the same `rstar` calls, same
//! pre-filters, a copy of `score.rs`, the same sort and the same
//! `first_failure` calls), timing each phase separately and counting what
//! each phase handles. The replica's answers are compared with the index's
//! so the attribution is known to describe the same work.

#![allow(clippy::float_arithmetic)]

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use rstar::{RTree, RTreeObject, AABB};
use slivers_core::ids::WorkerId;
use slivers_core::rules::{first_failure, Mode, Proposal, Rule};
use slivers_core::skills::SkillRequirement;
use slivers_core::worker::Reach;
use slivers_core::Interval;
use slivers_match::{Index, Query, ScoreParts, WorkerEntry};

#[derive(Debug, Clone, PartialEq)]
struct ReachBox {
    slot: u32,
    lo: [f64; 2],
    hi: [f64; 2],
}

impl RTreeObject for ReachBox {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.lo, self.hi)
    }
}

pub struct Replica<'a> {
    entries: Vec<&'a WorkerEntry>,
    skill_ids: HashMap<String, u32>,
    lists: Vec<Vec<u32>>,
    trees: Vec<RTree<ReachBox>>,
    horizon: Option<Interval>,
}

/// One step of the search, for [`Replica::micro`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Read one field of each candidate's entry: the cache miss alone.
    Touch,
    /// Required skills at level (`WorkerEntry::level`, a scan of `levels`).
    Levels,
    /// Currency and minimum rate (a `Decimal` comparison).
    Rate,
    /// `available_for` (binary search in the expanded availability), instant queries only.
    Availability,
    /// Score part: skill fit.
    SkillFit,
    /// Score part: haversine distance.
    Distance,
    /// Score part: cost (`Decimal` division and conversion to f32).
    Cost,
    /// Score part: fairness (`minutes_near` over bookings).
    Fairness,
    /// Score parts that do not depend on the shift (reputation, reliability).
    Static,
}

impl Step {
    pub const ALL: [Step; 9] =
        [Step::Touch, Step::Levels, Step::Rate, Step::Availability, Step::SkillFit, Step::Distance, Step::Cost, Step::Fairness, Step::Static];
    fn on_scored(self) -> bool {
        matches!(self, Step::SkillFit | Step::Distance | Step::Cost | Step::Fairness | Step::Static)
    }
    pub fn name(self) -> &'static str {
        match self {
            Step::Touch => "touch entry",
            Step::Levels => "levels",
            Step::Rate => "currency+rate",
            Step::Availability => "available_for",
            Step::SkillFit => "skill_fit",
            Step::Distance => "distance",
            Step::Cost => "cost (Decimal)",
            Step::Fairness => "fairness",
            Step::Static => "reputation+reliability",
        }
    }
    pub fn per(self) -> &'static str {
        if self.on_scored() { "scored" } else { "candidate" }
    }
}

/// What one replica search did.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub candidates: usize,
    pub scored: usize,
    pub checked: usize,
    pub results: usize,
    /// Adjacent equal scores after the sort: each tie makes the index's comparator
    /// look up both workers' ids (`Index::id_of`), two more scattered reads.
    pub ties: usize,
    pub enumerate: Duration,
    pub prefilter: Duration,
    pub score: Duration,
    pub sort: Duration,
    pub rules: Duration,
    pub ids: Vec<WorkerId>,
    /// Rules that rejected a scored candidate during the final walk.
    pub rejected: BTreeMap<&'static str, usize>,
}

impl Trace {
    pub fn total(&self) -> Duration {
        self.enumerate + self.prefilter + self.score + self.sort + self.rules
    }
}

impl<'a> Replica<'a> {
    /// Build over the index's own entries; slots are `id - 1`, as in the index
    /// (which numbers slots in input order; the bench gives ids 1..=N in order).
    pub fn new(index: &'a Index, n: usize) -> Replica<'a> {
        let entries: Vec<&WorkerEntry> = (1..=n as i64).filter_map(|i| index.entry(WorkerId(i))).collect();
        // The index interns skills in first-seen order; `levels[k]` belongs to `worker.skills[k]`.
        let mut skill_ids: HashMap<String, u32> = HashMap::new();
        for e in &entries {
            for (c, (s, _)) in e.worker.skills.iter().zip(&e.levels) {
                skill_ids.entry(c.skill.as_str().to_string()).or_insert(*s);
            }
        }
        let k = skill_ids.values().max().map_or(0, |m| *m as usize + 1);
        let mut lists = vec![Vec::new(); k];
        let mut boxes: Vec<Vec<ReachBox>> = vec![Vec::new(); k];
        for (slot, e) in entries.iter().enumerate() {
            let slot = slot as u32;
            for (s, _) in &e.levels {
                lists[*s as usize].push(slot);
                if let Some((lo, hi)) = e.reach_box() {
                    boxes[*s as usize].push(ReachBox { slot, lo, hi });
                }
            }
        }
        let trees = boxes.into_iter().map(RTree::bulk_load).collect();
        Replica { entries, skill_ids, lists, trees, horizon: index.horizon() }
    }

    /// Workers claiming each skill code (the index's per-skill list lengths).
    pub fn claimants(&self, code: &str) -> usize {
        self.skill_ids.get(code).map_or(0, |i| self.lists[*i as usize].len())
    }

    fn required<'q>(&self, q: &'q Query) -> Option<Vec<(u32, &'q SkillRequirement)>> {
        q.shift.skills.iter().map(|r| self.skill_ids.get(r.skill.as_str()).map(|i| (*i, r))).collect()
    }

    fn candidates(&self, q: &Query, required: &[(u32, &SkillRequirement)]) -> Vec<u32> {
        let rarest = required.iter().min_by_key(|(i, _)| self.lists[*i as usize].len()).map(|(i, _)| *i);
        match (q.shift.location, rarest) {
            (Some(site), Some(s)) => self.trees[s as usize]
                .locate_in_envelope_intersecting(AABB::from_point([site.lon, site.lat]))
                .map(|b| b.slot)
                .collect(),
            (None, Some(s)) => self.lists[s as usize].clone(),
            _ => (0..self.entries.len() as u32).collect(),
        }
    }

    /// One step of the search timed on its own, over every query, so each step
    /// pays its own cache misses (queries in between evict the entries): an
    /// upper bound per step, for attribution. Returns (items, total time) per query.
    pub fn micro(&self, queries: &[&Query], step: Step) -> Vec<(usize, Duration)> {
        queries
            .iter()
            .map(|q| {
                let Some(required) = self.required(q) else { return (0, Duration::ZERO) };
                let shift = &q.shift;
                let in_horizon = self.horizon.is_some_and(|h| h.contains(&shift.window));
                let cands = self.candidates(q, &required);
                let scored: Vec<u32> = if step.on_scored() {
                    cands
                        .iter()
                        .copied()
                        .filter(|slot| {
                            let e = self.entries[*slot as usize];
                            !required.iter().any(|(i, r)| e.level(*i) < r.level.get())
                                && e.worker.min_rate.currency == shift.pay_rate.currency
                                && e.worker.min_rate.amount <= shift.pay_rate.amount
                                && !(q.mode == Mode::Instant && in_horizon && !e.available_for(&shift.window))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let items = if step.on_scored() { &scored } else { &cands };
                if step == Step::Availability && q.mode != Mode::Instant {
                    return (0, Duration::ZERO);
                }
                let t0 = Instant::now();
                let mut acc = 0u64;
                for slot in items {
                    let e = self.entries[*slot as usize];
                    acc = acc.wrapping_add(match step {
                        Step::Touch => u64::from(e.worker.instant_book),
                        Step::Levels => u64::from(required.iter().any(|(i, r)| e.level(*i) < r.level.get())),
                        Step::Rate => u64::from(
                            e.worker.min_rate.currency != shift.pay_rate.currency || e.worker.min_rate.amount > shift.pay_rate.amount,
                        ),
                        Step::Availability => u64::from(e.available_for(&shift.window)),
                        Step::SkillFit => required
                            .iter()
                            .map(|(idx, req)| (0.6f32 + 0.1 * (f32::from(e.level(*idx)) - f32::from(req.level.get()))).clamp(0.0, 1.0))
                            .sum::<f32>()
                            .to_bits()
                            .into(),
                        Step::Distance => match (shift.location, e.worker.reach) {
                            (Some(site), Reach::Travel { home, .. }) => home.distance_m(&site) as u64,
                            _ => 0,
                        },
                        Step::Cost => {
                            let ratio = e.worker.min_rate.amount / shift.pay_rate.amount;
                            f32::try_from(ratio).unwrap_or(1.0).to_bits().into()
                        }
                        Step::Fairness => e.minutes_near(shift.window.start) as u64,
                        Step::Static => {
                            let t = &e.track;
                            let rel = (t.completed as f32 + 1.0)
                                / (t.completed as f32 + 2.0 * t.no_shows as f32 + t.cancelled_by_worker as f32 + 2.0);
                            u64::from((rel + e.rating.unwrap_or(3.0)).to_bits())
                        }
                    });
                }
                let d = t0.elapsed();
                std::hint::black_box(acc);
                (items.len(), d)
            })
            .collect()
    }

    pub fn search(&self, q: &Query) -> Trace {
        let mut t = Trace::default();
        let shift = &q.shift;
        let mut required: Vec<(u32, &SkillRequirement)> = Vec::new();
        for r in &shift.skills {
            match self.skill_ids.get(r.skill.as_str()) {
                Some(i) => required.push((*i, r)),
                None => return t,
            }
        }
        let rarest = required.iter().min_by_key(|(i, _)| self.lists[*i as usize].len()).map(|(i, _)| *i);
        let in_horizon = self.horizon.is_some_and(|h| h.contains(&shift.window));

        let t0 = Instant::now();
        let cands: Vec<u32> = match (shift.location, rarest) {
            (Some(site), Some(s)) => self.trees[s as usize]
                .locate_in_envelope_intersecting(AABB::from_point([site.lon, site.lat]))
                .map(|b| b.slot)
                .collect(),
            (None, Some(s)) => self.lists[s as usize].clone(),
            _ => (0..self.entries.len() as u32).collect(),
        };
        t.enumerate = t0.elapsed();
        t.candidates = cands.len();

        let t0 = Instant::now();
        let pass: Vec<u32> = cands
            .into_iter()
            .filter(|slot| {
                let e = self.entries[*slot as usize];
                if required.iter().any(|(i, r)| e.level(*i) < r.level.get()) {
                    return false;
                }
                if e.worker.min_rate.currency != shift.pay_rate.currency || e.worker.min_rate.amount > shift.pay_rate.amount {
                    return false;
                }
                !(q.mode == Mode::Instant && in_horizon && !e.available_for(&shift.window))
            })
            .collect();
        t.prefilter = t0.elapsed();
        t.scored = pass.len();

        let t0 = Instant::now();
        let mut scored: Vec<(f32, u32, ScoreParts)> = pass
            .iter()
            .map(|slot| {
                let parts = slivers_match::score(self.entries[*slot as usize], shift, &required, &q.weights);
                (parts.total, *slot, parts)
            })
            .collect();
        t.score = t0.elapsed();

        let t0 = Instant::now();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| self.entries[a.1 as usize].id().cmp(&self.entries[b.1 as usize].id())));
        t.sort = t0.elapsed();
        t.ties = scored.windows(2).filter(|w| w[0].0 == w[1].0).count();

        let t0 = Instant::now();
        let mut failures: Vec<Rule> = Vec::new();
        for (_, slot, _) in &scored {
            if t.ids.len() >= q.limit {
                break;
            }
            let e = self.entries[*slot as usize];
            t.checked += 1;
            let mut p = Proposal::new(&e.worker, &e.booked, shift, q.now, q.mode);
            if in_horizon {
                p.available = Some(&e.available);
                p.blackouts = Some(&e.blackouts);
            }
            match first_failure(&p) {
                None => t.ids.push(e.id()),
                Some(rule) => failures.push(rule),
            }
        }
        t.rules = t0.elapsed();
        t.results = t.ids.len();
        for r in failures {
            *t.rejected.entry(r.as_str()).or_default() += 1;
        }
        t
    }
}

