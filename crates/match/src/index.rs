//! The index: workers by slot, per-skill posting lists and per-skill R-trees
//! of reach boxes carrying postings, and the upkeep that keeps every copy in
//! step with the entries. The search is in `search.rs`.

use std::collections::HashMap;

use jiff::Timestamp;
use rstar::{RTree, RTreeObject, AABB};
use serde::Serialize;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_core::rules::{check, first_failure, Mode, Proposal, Verdict};
use slivers_core::skills::SkillRequirement;
use slivers_core::worker::Reach;
use slivers_core::Interval;

use crate::entry::WorkerEntry;
use crate::posting::Posting;
use crate::score::{score, ScoreParts, Weights};

/// A worker's reach box in one skill's R-tree, with the worker's posting and
/// reach (so the walk's score bound has the exact distance part).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReachBox {
    pub posting: Posting,
    pub reach: Reach,
    lo: [f64; 2],
    hi: [f64; 2],
}

impl RTreeObject for ReachBox {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.lo, self.hi)
    }
}

/// A search: a shift, or an ad-hoc request shaped like one.
#[derive(Debug, Clone)]
pub struct Query {
    pub shift: Shift,
    pub mode: Mode,
    pub now: Timestamp,
    pub limit: usize,
    pub weights: Weights,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub worker_id: WorkerId,
    pub name: String,
    pub score: ScoreParts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiftMatch {
    pub shift_id: ShiftId,
    pub score: ScoreParts,
}

#[derive(Default)]
pub struct Index {
    pub(crate) entries: Vec<Option<WorkerEntry>>,
    by_id: HashMap<WorkerId, u32>,
    pub(crate) skill_ids: HashMap<String, u32>,
    /// Per skill: postings of workers claiming it, by slot.
    pub(crate) skill_lists: Vec<Vec<Posting>>,
    /// Per skill: reach boxes of travelling workers claiming it.
    pub(crate) skill_trees: Vec<RTree<ReachBox>>,
    /// Reach boxes of every travelling worker, for site searches with no skill.
    pub(crate) all_tree: RTree<ReachBox>,
    pub(crate) horizon: Option<Interval>,
    /// Open shifts, for the worker's view.
    shifts: HashMap<ShiftId, Shift>,
    /// The last event applied.
    pub last_seq: i64,
}

impl Index {
    /// Build from workers, their holding bookings and track records.
    pub fn build(
        workers: Vec<slivers_core::worker::Worker>,
        bookings: &HashMap<WorkerId, Vec<Interval>>,
        tracks: &HashMap<WorkerId, slivers_core::worker::TrackRecord>,
        horizon: Interval,
        threads: usize,
    ) -> Index {
        let mut idx = Index { horizon: Some(horizon), ..Default::default() };
        // Intern skill codes first so workers can be expanded in parallel.
        for w in &workers {
            for c in &w.skills {
                idx.skill_index(c.skill.as_str());
            }
        }
        let names = idx.skill_ids.clone();
        let chunk = workers.len().div_ceil(threads.max(1)).max(1);
        let mut entries: Vec<WorkerEntry> = Vec::with_capacity(workers.len());
        let mut workers = workers;
        let mut parts = Vec::new();
        while !workers.is_empty() {
            let rest = workers.split_off(workers.len().saturating_sub(chunk));
            parts.push(rest);
        }
        parts.reverse();
        std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|part| {
                    let names = &names;
                    s.spawn(move || {
                        let mut lookup = |code: &str| names.get(code).copied().unwrap_or(u32::MAX);
                        part.into_iter()
                            .map(|w| {
                                let booked = bookings.get(&w.id).cloned().unwrap_or_default();
                                let track = tracks.get(&w.id).copied();
                                WorkerEntry::new(w, horizon, booked, track, &mut lookup)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                entries.extend(h.join().unwrap_or_default());
            }
        });
        let mut boxes: Vec<Vec<ReachBox>> = vec![Vec::new(); idx.skill_ids.len()];
        let mut all = Vec::new();
        for (slot, e) in entries.iter().enumerate() {
            let slot = slot as u32;
            idx.by_id.insert(e.id(), slot);
            let posting = Posting::of(e, slot);
            for (s, _) in &e.levels {
                idx.skill_lists[*s as usize].push(posting);
                if let Some((lo, hi)) = e.reach_box() {
                    boxes[*s as usize].push(ReachBox { posting, reach: e.worker.reach, lo, hi });
                }
            }
            if let Some((lo, hi)) = e.reach_box() {
                all.push(ReachBox { posting, reach: e.worker.reach, lo, hi });
            }
        }
        for list in &mut idx.skill_lists {
            list.shrink_to_fit();
        }
        idx.skill_trees = boxes.into_iter().map(RTree::bulk_load).collect();
        idx.all_tree = RTree::bulk_load(all);
        idx.entries = entries.into_iter().map(Some).collect();
        idx
    }

    fn skill_index(&mut self, code: &str) -> u32 {
        if let Some(i) = self.skill_ids.get(code) {
            return *i;
        }
        let i = self.skill_lists.len() as u32;
        self.skill_ids.insert(code.to_string(), i);
        self.skill_lists.push(Vec::new());
        self.skill_trees.push(RTree::new());
        i
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// How many workers claim the skill `code`.
    pub fn claimants(&self, code: &str) -> usize {
        self.skill_ids.get(code).map_or(0, |i| self.skill_lists[*i as usize].len())
    }

    /// Open shifts held for the workers' view.
    pub fn shift_count(&self) -> usize {
        self.shifts.len()
    }

    pub fn horizon(&self) -> Option<Interval> {
        self.horizon
    }

    pub fn entry(&self, id: WorkerId) -> Option<&WorkerEntry> {
        self.by_id.get(&id).and_then(|s| self.entries[*s as usize].as_ref())
    }

    /// Insert or replace a worker (after a profile change or a booking event).
    pub fn upsert(&mut self, worker: slivers_core::worker::Worker, booked: Vec<Interval>, track: Option<slivers_core::worker::TrackRecord>) {
        let horizon = self.horizon.unwrap_or_else(|| default_horizon(Timestamp::now()));
        self.horizon = Some(horizon);
        // A profile change leaves the on-site history as it was.
        let onsite = self.entry(worker.id).map(|e| e.onsite.clone()).unwrap_or_default();
        self.remove(worker.id);
        let codes: Vec<String> = worker.skills.iter().map(|c| c.skill.as_str().to_string()).collect();
        for c in &codes {
            self.skill_index(c);
        }
        let names = &self.skill_ids;
        let mut lookup = |code: &str| names.get(code).copied().unwrap_or(u32::MAX);
        let mut e = WorkerEntry::new(worker, horizon, booked, track, &mut lookup);
        e.onsite = onsite;
        let slot = self.entries.len() as u32;
        let posting = Posting::of(&e, slot);
        for (s, _) in &e.levels {
            self.skill_lists[*s as usize].push(posting);
            if let Some((lo, hi)) = e.reach_box() {
                self.skill_trees[*s as usize].insert(ReachBox { posting, reach: e.worker.reach, lo, hi });
            }
        }
        if let Some((lo, hi)) = e.reach_box() {
            self.all_tree.insert(ReachBox { posting, reach: e.worker.reach, lo, hi });
        }
        self.by_id.insert(e.id(), slot);
        self.entries.push(Some(e));
    }

    /// Replace only a worker's bookings and track record.
    pub fn set_bookings(&mut self, id: WorkerId, mut booked: Vec<Interval>, track: Option<slivers_core::worker::TrackRecord>) {
        let Some(&slot) = self.by_id.get(&id) else { return };
        let Some(e) = self.entries[slot as usize].as_mut() else { return };
        booked.sort();
        e.booked = booked;
        if let Some(t) = track {
            e.track = t;
            // The track record is copied into the postings (reliability).
            self.repost(slot);
        }
    }

    /// Rewrite every copy of `slot`'s posting from its entry.
    fn repost(&mut self, slot: u32) {
        let Some(e) = self.entries[slot as usize].as_ref() else { return };
        let reach = e.reach_box();
        let posting = Posting::of(e, slot);
        for (s, _) in &e.levels {
            let list = &mut self.skill_lists[*s as usize];
            // Lists are in slot order: slots are handed out increasing and removal keeps order.
            if let Ok(i) = list.binary_search_by_key(&slot, |p| p.slot) {
                list[i] = posting;
            }
            if let Some((lo, hi)) = reach {
                let tree = &mut self.skill_trees[*s as usize];
                for b in tree.locate_in_envelope_mut(AABB::from_corners(lo, hi)) {
                    if b.posting.slot == slot {
                        b.posting = posting;
                    }
                }
            }
        }
        if let Some((lo, hi)) = reach {
            for b in self.all_tree.locate_in_envelope_mut(AABB::from_corners(lo, hi)) {
                if b.posting.slot == slot {
                    b.posting = posting;
                }
            }
        }
    }

    /// Replace a worker's on-site history with businesses that have the
    /// on-site-first rule (starts, any order).
    pub fn set_onsite(&mut self, id: WorkerId, mut onsite: Vec<(BusinessId, Timestamp)>) {
        if let Some(e) = self.by_id.get(&id).and_then(|s| self.entries[*s as usize].as_mut()) {
            onsite.sort_by_key(|(_, t)| *t);
            e.onsite = onsite;
        }
    }

    /// Replace every worker's on-site history at once (after a business
    /// changes its rule): workers not in `by_worker` have none.
    pub fn set_all_onsite(&mut self, mut by_worker: HashMap<WorkerId, Vec<(BusinessId, Timestamp)>>) {
        for e in self.entries.iter_mut().flatten() {
            let mut onsite = by_worker.remove(&e.worker.id).unwrap_or_default();
            onsite.sort_by_key(|(_, t)| *t);
            e.onsite = onsite;
        }
    }

    fn remove(&mut self, id: WorkerId) {
        let Some(slot) = self.by_id.remove(&id) else { return };
        let Some(e) = self.entries[slot as usize].take() else { return };
        let reach = e.reach_box().map(|(lo, hi)| AABB::from_corners(lo, hi));
        let take = |tree: &mut RTree<ReachBox>, env: &AABB<[f64; 2]>| {
            let found = tree.locate_in_envelope(*env).find(|b| b.posting.slot == slot).cloned();
            if let Some(b) = found {
                tree.remove(&b);
            }
        };
        for (s, _) in &e.levels {
            self.skill_lists[*s as usize].retain(|p| p.slot != slot);
            if let Some(env) = &reach {
                take(&mut self.skill_trees[*s as usize], env);
            }
        }
        if let Some(env) = &reach {
            take(&mut self.all_tree, env);
        }
    }

    pub fn upsert_shift(&mut self, shift: Shift) {
        if shift.status == ShiftStatus::Open {
            self.shifts.insert(shift.id, shift);
        } else {
            self.shifts.remove(&shift.id);
        }
    }

    pub(crate) fn proposal<'a>(&self, e: &'a WorkerEntry, shift: &'a Shift, now: Timestamp, mode: Mode) -> Proposal<'a> {
        let mut p = Proposal::new(&e.worker, &e.booked, shift, now, mode);
        p.onsite_with_business = e.onsite_before(shift);
        // Precomputed expansions are valid only for shifts inside the horizon.
        if self.horizon.is_some_and(|h| h.contains(&shift.window)) {
            p.available = Some(&e.available);
            p.blackouts = Some(&e.blackouts);
        }
        p
    }

    /// The full verdict for one worker on one shift: the same code that decides bookings.
    pub fn explain(&self, id: WorkerId, shift: &Shift, now: Timestamp, mode: Mode) -> Option<Verdict> {
        let e = self.entry(id)?;
        Some(check(&self.proposal(e, shift, now, mode)))
    }

    /// Open shifts `worker` could be offered, best first.
    pub fn shifts_for(&self, worker: WorkerId, now: Timestamp, limit: usize, weights: &Weights) -> Vec<ShiftMatch> {
        let Some(e) = self.entry(worker) else { return Vec::new() };
        let mut out: Vec<ShiftMatch> = Vec::new();
        for shift in self.shifts.values() {
            if shift.window.start <= now {
                continue;
            }
            if first_failure(&self.proposal(e, shift, now, Mode::Offer)).is_some() {
                continue;
            }
            let required: Vec<(u32, &SkillRequirement)> =
                shift.skills.iter().filter_map(|r| self.skill_ids.get(r.skill.as_str()).map(|i| (*i, r))).collect();
            out.push(ShiftMatch { shift_id: shift.id, score: score(e, shift, &required, weights) });
        }
        out.sort_by(|a, b| b.score.total.total_cmp(&a.score.total).then(a.shift_id.cmp(&b.shift_id)));
        out.truncate(limit);
        out
    }
}

/// The default horizon: a day back (bookings in progress) to five weeks ahead.
pub fn default_horizon(now: Timestamp) -> Interval {
    let start = now - jiff::SignedDuration::from_hours(24);
    let end = now + jiff::SignedDuration::from_hours(24 * 36);
    Interval { start, end }
}
