//! The MIP path, for models the per-person dynamic program cannot express
//! (pairwise `conflicts`, used when rostering the exchange's own shifts): a
//! lower bound from the LP relaxation, a first roster from branch and bound
//! on the whole model, then large-neighbourhood search: free a few staff or a
//! window of days, fix the rest at the incumbent, and let a sub-MIP
//! (warm-started from the incumbent) re-optimise them.

use std::time::Instant;

use crate::greedy;
use crate::mip::{self, Limit, MipResult, MipSpec};
use crate::model::{Problem, Solution};
use crate::solve::{finish, Effort, Options, Outcome, Progress, SolveError};
use crate::validate::validate;

/// What each step may spend: shares of the wall-clock budget, or, with an
/// [`Effort`], fixed work that no clock decides.
struct Budget {
    started: Instant,
    seconds: f64,
    effort: Option<Effort>,
}

impl Budget {
    fn left(&self) -> f64 {
        self.seconds - self.started.elapsed().as_secs_f64()
    }

    /// A solve that would get `seconds` of the clock.
    fn limit(&self, seconds: f64) -> Limit {
        self.effort.map_or(Limit::Seconds(seconds), |e| Limit::Nodes(e.nodes))
    }
}

/// Solve `p` within `opts.seconds` (or `opts.effort`), calling `progress` on every improvement.
pub(crate) fn solve(p: &Problem, opts: Options, mut progress: impl FnMut(&Progress)) -> Result<Outcome, SolveError> {
    let started = Instant::now();
    let budget = Budget { started, seconds: opts.seconds, effort: opts.effort };
    let left = || budget.left();
    let mut history = Vec::new();
    let mut note = |h: &mut Vec<Progress>, objective: Option<u64>, bound: f64, phase: &'static str| {
        let pr = Progress { seconds: started.elapsed().as_secs_f64(), objective, bound, phase };
        progress(&pr);
        h.push(pr);
    };
    let free = |_: usize, _: usize| None;

    // 1. The LP relaxation: a bound in well under a second on these sizes.
    let lp_limit = if opts.effort.is_some() { Limit::Root } else { Limit::Seconds((opts.seconds * 0.1).min(5.0)) };
    let lp = mip::solve(p, &MipSpec { fixed: &free, start: None, limit: lp_limit, relax: true });
    let mut bound = lp.bound.unwrap_or(0.0).max(0.0);
    note(&mut history, None, bound, "lp");

    // 2. The whole model for a share of the time: often optimal on small
    // instances. Branch and bound without presolve or cuts gets nowhere on
    // large ones in that time, so they go straight to construction.
    let cells = p.staff.len() * p.days * p.shifts.len();
    let share = if cells <= 1_500 { 0.4 } else { 0.0 };
    let full = if share > 0.0 || opts.effort.is_none() {
        mip::solve(p, &MipSpec { fixed: &free, start: None, limit: budget.limit(left() * share), relax: false })
    } else {
        MipResult { solution: None, bound: None, optimal: false }
    };
    if let Some(b) = full.bound {
        bound = bound.max(b);
    }
    // Cover is soft: where nobody has a minimum to work (the exchange's own
    // rosters), the empty roster is feasible and is the floor to improve on.
    let empty = {
        let s = Solution::empty(p);
        let r = validate(p, &s);
        r.feasible.then_some((s, r.objective.total))
    };
    let mut best: Option<(Solution, u64)> = full
        .solution
        .and_then(|s| {
            let r = validate(p, &s);
            r.feasible.then_some((s, r.objective.total))
        })
        .into_iter()
        .chain(empty)
        .min_by_key(|b| b.1);
    note(&mut history, best.as_ref().map(|b| b.1), bound, "mip");
    if full.optimal {
        if let Some((s, obj)) = best {
            return Ok(finish(p, s, obj, bound.max(obj as f64), true, history));
        }
    }

    // No roster from the whole model in its share of time: build one staff
    // member at a time. Cover is soft, so independent schedules that each keep
    // their own person's hard rules always make a feasible roster.
    if best.is_none() {
        if let Some(s) = construct(p, left() * 0.8, opts.seed, opts.effort) {
            let r = validate(p, &s);
            if r.feasible {
                best = Some((s, r.objective.total));
                note(&mut history, best.as_ref().map(|b| b.1), bound, "construct");
            }
        }
    }

    // 3. Large-neighbourhood search.
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut k = 2usize.min(p.staff.len());
    let mut stale = 0u32;
    let mut rounds = 0u32;
    let mut another = || {
        rounds += 1;
        match opts.effort {
            Some(e) => rounds <= e.rounds,
            None => left() > 0.2,
        }
    };
    while another() {
        let Some((inc, inc_obj)) = best.clone() else {
            // No roster yet: keep working on the whole model.
            let r = mip::solve(p, &MipSpec { fixed: &free, start: None, limit: budget.limit(left()), relax: false });
            best = r.solution.and_then(|s| {
                let rep = validate(p, &s);
                rep.feasible.then_some((s, rep.objective.total))
            });
            continue;
        };
        let use_window = rng.u32(0..3) == 0 && p.days > 7;
        let mut freed = vec![false; p.staff.len()];
        let (lo, hi) = if use_window {
            let w = 7 + rng.usize(0..=7.min(p.days - 7));
            let lo = rng.usize(0..=p.days - w);
            // A window for everyone is too large a sub-MIP past a few dozen
            // staff; a window for a larger group than the staff neighbourhood.
            for e in rand_subset(&mut rng, p.staff.len(), (3 * k).max(6)) {
                freed[e] = true;
            }
            (lo, lo + w)
        } else {
            for e in rand_subset(&mut rng, p.staff.len(), k) {
                freed[e] = true;
            }
            (0, p.days)
        };
        let fixed = |e: usize, d: usize| if freed[e] && d >= lo && d < hi { None } else { Some(inc.assign[e][d]) };
        let secs = left().min(if p.staff.len() > 30 { 4.0 } else { 2.0 });
        let r = mip::solve(p, &MipSpec { fixed: &fixed, start: Some(&inc), limit: budget.limit(secs), relax: false });
        let improved = r.solution.and_then(|s| {
            let rep = validate(p, &s);
            (rep.feasible && rep.objective.total < inc_obj).then_some((s, rep.objective.total))
        });
        match improved {
            Some(b) => {
                note(&mut history, Some(b.1), bound, "lns");
                best = Some(b);
                stale = 0;
            }
            None => {
                stale += 1;
                // Small neighbourhoods exhausted: look wider.
                if stale % 4 == 0 && k < p.staff.len() {
                    k += 1;
                }
            }
        }
        if best.as_ref().is_some_and(|b| b.1 <= integer_bound(bound)) {
            break;
        }
    }
    let (s, obj) = best.ok_or(SolveError::NoSolution(opts.seconds))?;
    let optimal = obj <= integer_bound(bound);
    Ok(finish(p, s, obj, bound, optimal, history))
}

/// Objectives are integers, so a bound of 1000.2 proves 1001; the tolerance
/// keeps solver noise (1000.0000000002) from proving more than it should.
pub(crate) fn integer_bound(bound: f64) -> u64 {
    (bound - 1e-6).ceil().max(0.0) as u64
}

/// A first roster, one person at a time: a quick randomized schedule that
/// keeps their rules, or else their best schedule on their own by branch and
/// bound; all within `seconds` (a person not reached in time makes no
/// roster), or with `effort`, a fixed number of tries and nodes per person.
fn construct(p: &Problem, seconds: f64, seed: u64, effort: Option<Effort>) -> Option<Solution> {
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut s = Solution::empty(p);
    let per = (seconds / p.staff.len().max(1) as f64).clamp(0.05, 3.0);
    for (e, st) in p.staff.iter().enumerate() {
        let left = seconds - started.elapsed().as_secs_f64();
        if left <= 0.0 && effort.is_none() {
            return None;
        }
        if let Some(row) = greedy::person(p, e, &mut rng, per.min(left), effort.map(|_| CONSTRUCT_TRIES)) {
            s.assign[e] = row;
            continue;
        }
        let one = Problem { days: p.days, shifts: p.shifts.clone(), staff: vec![st.clone()], cover: p.cover.clone() };
        let free = |_: usize, _: usize| None;
        let left = seconds - started.elapsed().as_secs_f64();
        let limit = effort.map_or(Limit::Seconds((per * 4.0).min(left)), |e| Limit::Nodes(e.nodes));
        let row = mip::solve(&one, &MipSpec { fixed: &free, start: None, limit, relax: false }).solution?;
        s.assign[e] = row.assign.into_iter().next()?;
    }
    Some(s)
}

/// Random schedules tried per person before branch and bound, under an effort budget.
const CONSTRUCT_TRIES: u32 = 200;

fn rand_subset(rng: &mut fastrand::Rng, n: usize, k: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut all);
    all.truncate(k);
    all
}
