//! Fairness of hours in a roster: each candidate's **share** is the minutes
//! they would hold in the range (bookings already held plus the roster's)
//! over the minutes they say they want (`wanted_minutes_per_week`, scaled to
//! the range). The spread is the standard deviation of the shares over every
//! candidate who wants work; lower is fairer.
//!
//! [`rebalance`] trades match quality for fairness at a weight the business
//! sets: it moves a place from one worker to another candidate of the same
//! shift when `Δcost + weight × 100 × Δ(Σ (share − mean)²) < 0`, where cost
//! is the roster objective's preference part (100 × the score not used), and
//! only when the rule checker accepts both workers' whole lists afterwards.
//! Money does not move: a shift's pay and bill rates are the same whoever
//! works it, so the price of fairness is paid in match score, and reported.

use std::collections::BTreeMap;
use std::time::Instant;

use jiff::Timestamp;
use slivers_core::business::Shift;
use slivers_core::ids::WorkerId;
use slivers_core::rules::{first_failure, Mode, Proposal};
use slivers_core::Interval;
use slivers_match::{Index, WorkerEntry};

/// The most a business may weigh fairness against match quality.
pub const MAX_WEIGHT: f64 = 100.0;

/// Each candidate who wants work: (already held minutes in the range, wanted minutes in the range).
pub struct Shares {
    people: BTreeMap<WorkerId, (f64, f64)>,
}

impl Shares {
    pub fn new(index: &Index, workers: &[WorkerId], range: Interval) -> Shares {
        let weeks = range.minutes() as f64 / (7.0 * 24.0 * 60.0);
        let mut people = BTreeMap::new();
        for w in workers {
            let Some(e) = index.entry(*w) else { continue };
            let wanted = f64::from(e.worker.wanted_minutes_per_week) * weeks;
            if wanted <= 0.0 {
                continue;
            }
            let held: i64 = e.booked.iter().filter_map(|b| b.intersection(&range)).map(|b| b.minutes()).sum();
            people.insert(*w, (held as f64, wanted));
        }
        Shares { people }
    }

    fn share(&self, w: WorkerId, rostered: f64) -> Option<f64> {
        self.people.get(&w).map(|(held, wanted)| (held + rostered) / wanted)
    }

    /// The standard deviation of the shares with `rostered` minutes per worker.
    pub fn spread(&self, rostered: &BTreeMap<WorkerId, i64>) -> f64 {
        let shares: Vec<f64> =
            self.people.keys().filter_map(|w| self.share(*w, rostered.get(w).copied().unwrap_or(0) as f64)).collect();
        if shares.is_empty() {
            return 0.0;
        }
        let n = shares.len() as f64;
        let mean = shares.iter().sum::<f64>() / n;
        (shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt()
    }

    pub fn population(&self) -> usize {
        self.people.len()
    }

    /// Σ (share − mean)² as Σ s² − (Σ s)² / n, with the two sums given.
    fn dispersion(&self, sum: f64, sum_sq: f64) -> f64 {
        let n = self.people.len().max(1) as f64;
        sum_sq - sum * sum / n
    }
}

/// The rule checker on a worker's whole list, in time order against their
/// held bookings, as applying the roster will ask it.
fn fits(e: &WorkerEntry, shifts: &[Shift], list: &[usize], now: Timestamp, mode: Mode) -> bool {
    let mut order = list.to_vec();
    order.sort_by_key(|d| shifts[*d].window.start);
    let mut booked = e.booked.clone();
    let mut given: Vec<&Shift> = Vec::new();
    for d in order {
        let mut p = Proposal::new(&e.worker, &booked, &shifts[d], now, mode);
        p.onsite_with_business = super::onsite_count(e, &shifts[d], &given);
        if first_failure(&p).is_some() {
            return false;
        }
        given.push(&shifts[d]);
        booked.push(shifts[d].window);
        booked.sort();
    }
    true
}

/// What [`rebalance`] needs to know about the roster.
pub struct Roster<'a> {
    pub shifts: &'a [Shift],
    /// Candidates of each shift with their match score (0 to 1).
    pub cands: &'a [Vec<(WorkerId, f32)>],
    /// Workers on each shift.
    pub on: Vec<Vec<WorkerId>>,
    pub now: Timestamp,
    pub mode: Mode,
}

impl Roster<'_> {
    pub fn minutes(&self) -> BTreeMap<WorkerId, i64> {
        let mut m = BTreeMap::new();
        for (d, ws) in self.on.iter().enumerate() {
            for w in ws {
                *m.entry(*w).or_default() += self.shifts[d].window.minutes();
            }
        }
        m
    }

    fn list_of(&self, w: WorkerId) -> Vec<usize> {
        (0..self.on.len()).filter(|d| self.on[*d].contains(&w)).collect()
    }

    /// The model's weight of `w`'s request to work shift `d`, which the
    /// objective charges when the request is not granted.
    fn request_weight(&self, d: usize, w: WorkerId) -> i64 {
        self.cands[d].iter().find(|(c, _)| *c == w).map_or(100, |(_, s)| i64::from((s * 100.0).round() as u32))
    }
}

/// Move places between candidates of the same shift while the weighted sum
/// of cost and dispersion falls; returns the number of moves made.
pub fn rebalance(index: &Index, shares: &Shares, roster: &mut Roster<'_>, weight: f64, deadline: Instant) -> usize {
    if weight <= 0.0 || shares.population() < 2 {
        return 0;
    }
    let mut minutes = roster.minutes();
    let share_of = |m: &BTreeMap<WorkerId, i64>, w: WorkerId| shares.share(w, m.get(&w).copied().unwrap_or(0) as f64);
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for w in shares.people.keys() {
        let s = share_of(&minutes, *w).unwrap_or(0.0);
        sum += s;
        sum_sq += s * s;
    }
    let mut moves = 0;
    for _pass in 0..20 {
        let mut improved = false;
        for d in 0..roster.shifts.len() {
            let m = roster.shifts[d].window.minutes();
            for slot in 0..roster.on[d].len() {
                if Instant::now() > deadline {
                    return moves;
                }
                let a = roster.on[d][slot];
                let mut best: Option<(f64, WorkerId, f64, f64)> = None;
                for &(b, _) in &roster.cands[d] {
                    if roster.on[d].contains(&b) {
                        continue;
                    }
                    // Shares before and after moving `m` minutes from a to b.
                    let (mut s2, mut q2) = (sum, sum_sq);
                    for (w, delta) in [(a, -m), (b, m)] {
                        if let Some(before) = share_of(&minutes, w) {
                            let after = shares.share(w, (minutes.get(&w).copied().unwrap_or(0) + delta) as f64).unwrap_or(before);
                            s2 += after - before;
                            q2 += after * after - before * before;
                        }
                    }
                    let d_cost = (roster.request_weight(d, b) - roster.request_weight(d, a)) as f64 * -1.0;
                    let d_fair = shares.dispersion(s2, q2) - shares.dispersion(sum, sum_sq);
                    let total = d_cost + weight * 100.0 * d_fair;
                    if total < -1e-9 && best.is_none_or(|x| total < x.0) {
                        best = Some((total, b, s2, q2));
                    }
                }
                let Some((_, b, s2, q2)) = best else { continue };
                let (Some(ea), Some(eb)) = (index.entry(a), index.entry(b)) else { continue };
                let mut list_b = roster.list_of(b);
                list_b.push(d);
                let list_a: Vec<usize> = roster.list_of(a).into_iter().filter(|x| *x != d).collect();
                if !fits(eb, roster.shifts, &list_b, roster.now, roster.mode) || !fits(ea, roster.shifts, &list_a, roster.now, roster.mode) {
                    continue;
                }
                roster.on[d][slot] = b;
                *minutes.entry(a).or_default() -= m;
                *minutes.entry(b).or_default() += m;
                (sum, sum_sq) = (s2, q2);
                moves += 1;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    moves
}
