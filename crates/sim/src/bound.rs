//! An upper bound on the places a month's shifts could have filled: the LP
//! relaxation of assigning eligible workers to shifts.
//!
//! One variable x\[w,s\] in \[0, 1\] per eligible pair ([`crate::eligibility`]);
//! maximise Σx subject to
//!
//! * **headcount**: per shift, Σ_w x ≤ headcount;
//! * **overlap and rest**: per worker, two shifts conflict exactly when
//!   `rules::check` refuses one while the other is held, which is when their
//!   windows, each with its end moved later by the worker's
//!   `min_rest_minutes`, overlap. Those extended windows form an interval
//!   graph, so every conflict lies in a maximal clique found at some window's
//!   start, and each maximal clique sums to at most 1 (clique rows are much
//!   tighter than one row per conflicting pair);
//! * **daily cap**: per worker and LOCAL date (the worker's zone; 23- and
//!   25-hour days), Σ minutes of the shift inside that day × x ≤
//!   `max_minutes_per_day`, the minutes counted exactly as `rules::caps`
//!   counts them (`local_dates`, `local_day`, whole minutes of the
//!   intersection);
//! * **weekly cap**: likewise per local ISO week (`local_week`) ≤
//!   `max_minutes_per_week`.
//!
//! Left out, which only loosens the bound: the labour patterns (consecutive
//! days, days off a week, weekends a month, forbidden successions), and
//! everything time-dependent the pairs already decided optimistically (notice
//! at posting time, the on-site-first count taken as met). Every rule that
//! concerns one pair alone (rate, skills, reach, blackouts, notice, shift
//! open) is in the pairs themselves. Any set of bookings the rule checker
//! accepts one by one satisfies every row, so the LP optimum is at least the
//! best achievable fill.
//!
//! Solving: a row that cannot bind (a shift with no more candidates than
//! places, a day whose candidate minutes fit the cap) is left out, which
//! changes nothing. The remaining rows split the pairs into independent
//! components (union-find over the variables each row joins); a pair in no
//! row is worth 1 alone, a component with one row is a fractional knapsack
//! solved exactly by hand, a single worker's component of clique rows only is
//! an interval graph whose LP is integral (interval scheduling by earliest
//! extended end), and every other component goes to `microlp`, two threads
//! sharing them largest first. The reported `filled` is the sum of those
//! optima, not rounded.
#![allow(clippy::float_arithmetic, reason = "the LP is solved in floating point; money is not involved")]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use microlp::{ComparisonOp, OptimizationDirection, SolveOutcome};
use slivers_core::availability::{local_dates, local_day, local_week};
use slivers_core::worker::Worker;
use slivers_core::Zone;

use crate::eligibility::Pairs;
use crate::PostedShift;

/// The bound and how it was reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bound {
    /// Places posted: the sum of every shift's headcount.
    pub places: u64,
    /// The LP optimum (summed over components): no assignment fills more.
    pub filled: f64,
    /// Independent parts the LP split into (a pair in no binding row is one).
    pub components: usize,
    /// Variables in the largest of them.
    pub largest_component_vars: usize,
    /// Wall time to build and solve, in seconds.
    pub seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum BoundError {
    #[error("the pairs name {pairs} shifts but {shifts} shifts were given")]
    ShiftCount { pairs: usize, shifts: usize },
    #[error("shift {shift} lists worker index {worker}, but there are {workers} workers")]
    WorkerIndex { shift: usize, worker: u32, workers: usize },
    #[error("shift {shift} lists worker index {worker} twice or out of order")]
    Unsorted { shift: usize, worker: u32 },
    #[error("the LP of a component with {vars} variables failed: {source}")]
    Solver { vars: usize, source: microlp::Error },
    #[error("the LP of a component with {vars} variables stopped before an optimum")]
    Interrupted { vars: usize },
}

/// `Σ coef·x ≤ rhs` over the listed variables (global indices).
#[derive(Debug, Clone)]
struct Row {
    terms: Vec<(u32, f64)>,
    rhs: f64,
    /// Clique rows of one worker (all coefficients 1, rhs 1).
    clique_of: Option<u32>,
}

/// The LP relaxation's optimum over `pairs` (module doc).
pub fn fill_bound(workers: &[Worker], shifts: &[PostedShift], pairs: &Pairs) -> Result<Bound, BoundError> {
    let started = Instant::now();
    validate(workers, shifts, pairs)?;
    let places = shifts.iter().map(|p| u64::from(p.shift.headcount)).sum();

    // Variables, shift by shift; each worker's (shift, variable) list.
    let mut var_pair: Vec<(u32, u32)> = Vec::with_capacity(pairs.len());
    let mut per_worker: Vec<Vec<(u32, u32)>> = vec![Vec::new(); workers.len()];
    let mut rows = Vec::new();
    for (s, ws) in pairs.by_shift.iter().enumerate() {
        let first = var_pair.len() as u32;
        for &w in ws {
            per_worker[w as usize].push((s as u32, var_pair.len() as u32));
            var_pair.push((w, s as u32));
        }
        let head = shifts[s].shift.headcount;
        if ws.len() > head as usize {
            rows.push(Row { terms: (first..var_pair.len() as u32).map(|k| (k, 1.0)).collect(), rhs: f64::from(head), clique_of: None });
        }
    }
    rows.extend(worker_rows(workers, shifts, &per_worker));

    if std::env::var("BOUND_DEBUG").is_ok() {
        let cl = rows.iter().filter(|r| r.clique_of.is_some()).count();
        let hc = rows.iter().filter(|r| r.clique_of.is_none() && r.terms.iter().all(|t| t.1 == 1.0)).count();
        eprintln!("DEBUG rows {} cliques {cl} headcount~{hc} caps~{} built in {:.2}s", rows.len(), rows.len() - cl - hc, started.elapsed().as_secs_f64());
    }
    let (components, var_component) = components(var_pair.len(), &rows);
    let largest_component_vars = components.iter().map(|c| c.vars).max().unwrap_or(0);
    let mut by_component: Vec<Vec<usize>> = vec![Vec::new(); components.len()];
    for (r, row) in rows.iter().enumerate() {
        if let Some(&(k, _)) = row.terms.first() {
            by_component[var_component[k as usize] as usize].push(r);
        }
    }
    let values = solve_all(&rows, &by_component, &components, &var_component)?;
    Ok(Bound {
        places,
        filled: values.iter().sum(),
        components: components.len(),
        largest_component_vars,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn validate(workers: &[Worker], shifts: &[PostedShift], pairs: &Pairs) -> Result<(), BoundError> {
    if pairs.by_shift.len() != shifts.len() {
        return Err(BoundError::ShiftCount { pairs: pairs.by_shift.len(), shifts: shifts.len() });
    }
    for (shift, ws) in pairs.by_shift.iter().enumerate() {
        let mut last = None;
        for &worker in ws {
            if worker as usize >= workers.len() {
                return Err(BoundError::WorkerIndex { shift, worker, workers: workers.len() });
            }
            if last.is_some_and(|l| l >= worker) {
                return Err(BoundError::Unsorted { shift, worker });
            }
            last = Some(worker);
        }
    }
    Ok(())
}

/// Every worker's clique and cap rows, two threads sharing the workers.
fn worker_rows(workers: &[Worker], shifts: &[PostedShift], per_worker: &[Vec<(u32, u32)>]) -> Vec<Row> {
    const THREADS: usize = 2;
    let parts: Vec<Vec<Row>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for w in (t..workers.len()).step_by(THREADS) {
                        rows_of_worker(w as u32, &workers[w], shifts, &per_worker[w], &mut out);
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    // Fixed order whatever the timing (thread 0's workers, then thread 1's),
    // and each worker's clique rows stay in sweep order, which
    // `interval_scheduling` reads.
    parts.into_iter().flatten().collect()
}

fn rows_of_worker(w: u32, worker: &Worker, shifts: &[PostedShift], mine: &[(u32, u32)], out: &mut Vec<Row>) {
    if mine.len() < 2 {
        // One shift alone always fits: the checker allowed it with nothing else held.
        return;
    }
    cliques(w, worker, shifts, mine, out);
    caps(worker, shifts, mine, out);
}

/// Maximal cliques of the worker's extended windows (`[start, end + rest)`).
fn cliques(w: u32, worker: &Worker, shifts: &[PostedShift], mine: &[(u32, u32)], out: &mut Vec<Row>) {
    let rest = SignedDuration::from_mins(i64::from(worker.limits.min_rest_minutes));
    let mut windows: Vec<(Timestamp, Timestamp, u32)> = mine
        .iter()
        .map(|&(s, k)| {
            let win = shifts[s as usize].shift.window;
            (win.start, win.end.checked_add(rest).unwrap_or(Timestamp::MAX), k)
        })
        .collect();
    windows.sort();
    // Sweep start points: the set covering a start point is a maximal clique
    // exactly when one of its members ends before the next start point (or
    // there is none); otherwise the next point's set contains it.
    let mut active: Vec<(Timestamp, u32)> = Vec::new();
    let mut i = 0;
    while i < windows.len() {
        let p = windows[i].0;
        active.retain(|&(end, _)| end > p);
        while i < windows.len() && windows[i].0 == p {
            active.push((windows[i].1, windows[i].2));
            i += 1;
        }
        let next = windows.get(i).map(|x| x.0);
        let maximal = next.is_none_or(|n| active.iter().any(|&(end, _)| end <= n));
        if maximal && active.len() >= 2 {
            let mut terms: Vec<(u32, f64)> = active.iter().map(|&(_, k)| (k, 1.0)).collect();
            terms.sort_by_key(|t| t.0);
            out.push(Row { terms, rhs: 1.0, clique_of: Some(w) });
        }
    }
}

/// Daily and weekly cap rows, minutes counted as `rules::caps` counts them.
fn caps(worker: &Worker, shifts: &[PostedShift], mine: &[(u32, u32)], out: &mut Vec<Row>) {
    let zone: &Zone = &worker.zone;
    let mut days: BTreeMap<Date, Vec<(u32, i64)>> = BTreeMap::new();
    let mut weeks: BTreeMap<Date, Vec<(u32, i64)>> = BTreeMap::new();
    let mut day_cache: BTreeMap<Date, slivers_core::Interval> = BTreeMap::new();
    let mut week_cache: BTreeMap<Date, slivers_core::Interval> = BTreeMap::new();
    for &(s, k) in mine {
        let win = shifts[s as usize].shift.window;
        let dates = local_dates(zone, win);
        for d in &dates {
            let day = *day_cache.entry(*d).or_insert_with(|| local_day(zone, *d));
            let m = win.intersection(&day).map_or(0, |iv| iv.minutes());
            if m > 0 {
                days.entry(*d).or_default().push((k, m));
            }
        }
        let mut mondays: Vec<Date> = dates.iter().map(|d| Zone::iso_week_start(*d)).collect();
        mondays.dedup();
        for monday in mondays {
            let week = *week_cache.entry(monday).or_insert_with(|| local_week(zone, monday));
            let m = win.intersection(&week).map_or(0, |iv| iv.minutes());
            if m > 0 {
                weeks.entry(monday).or_default().push((k, m));
            }
        }
    }
    for (groups, cap) in [(days, worker.limits.max_minutes_per_day), (weeks, worker.limits.max_minutes_per_week)] {
        let cap = i64::from(cap);
        for (_, mut terms) in groups {
            // A cap the candidate minutes cannot reach cannot bind.
            if terms.len() < 2 || terms.iter().map(|t| t.1).sum::<i64>() <= cap {
                continue;
            }
            terms.sort_by_key(|t| t.0);
            // Scaled to a right-hand side of 1: coefficients of order 1 suit the simplex.
            let scale = cap.max(1) as f64;
            out.push(Row { terms: terms.into_iter().map(|(k, m)| (k, m as f64 / scale)).collect(), rhs: cap as f64 / scale, clique_of: None });
        }
    }
}

/// A connected part of the LP: how many variables and rows it has.
#[derive(Debug, Clone, Copy, Default)]
struct Component {
    vars: usize,
}

/// Components of the variables joined by rows; returns them and each
/// variable's component, numbered by first variable.
fn components(n: usize, rows: &[Row]) -> (Vec<Component>, Vec<u32>) {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    for row in rows {
        let Some(&(first, _)) = row.terms.first() else { continue };
        for &(k, _) in &row.terms[1..] {
            let (a, b) = (find(&mut parent, first), find(&mut parent, k));
            // The smaller root wins, so the numbering below does not depend on row order.
            parent[a.max(b) as usize] = a.min(b);
        }
    }
    let mut number: Vec<u32> = vec![u32::MAX; n];
    let mut var_component = vec![0u32; n];
    let mut comps: Vec<Component> = Vec::new();
    for k in 0..n {
        let r = find(&mut parent, k as u32) as usize;
        if number[r] == u32::MAX {
            number[r] = comps.len() as u32;
            comps.push(Component::default());
        }
        var_component[k] = number[r];
        comps[number[r] as usize].vars += 1;
    }
    (comps, var_component)
}

/// Each component's optimum, in component order.
fn solve_all(
    rows: &[Row],
    by_component: &[Vec<usize>],
    components: &[Component],
    var_component: &[u32],
) -> Result<Vec<f64>, BoundError> {
    let mut vars_of: Vec<Vec<u32>> = components.iter().map(|c| Vec::with_capacity(c.vars)).collect();
    for (k, &c) in var_component.iter().enumerate() {
        vars_of[c as usize].push(k as u32);
    }
    // Largest first, so the two threads end together.
    let mut order: Vec<usize> = (0..components.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(components[c].vars));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<f64, BoundError>>>> = Mutex::new((0..components.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&c) = order.get(i) else { break };
                let t = Instant::now();
                let value = solve_component(rows, &by_component[c], &vars_of[c]);
                if std::env::var("BOUND_DEBUG").is_ok() && vars_of[c].len() > 1000 {
                    eprintln!("DEBUG component {c}: {} vars {} rows {:.2}s", vars_of[c].len(), by_component[c].len(), t.elapsed().as_secs_f64());
                }
                if let Ok(mut r) = results.lock() {
                    r[c] = Some(value);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results.into_iter().map(|r| r.unwrap_or(Err(BoundError::Interrupted { vars: 0 }))).collect()
}

/// One component's optimum.
fn solve_component(rows: &[Row], row_ids: &[usize], vars: &[u32]) -> Result<f64, BoundError> {
    match row_ids {
        [] => Ok(vars.len() as f64),
        [r] => Ok(knapsack(&rows[*r])),
        _ => {
            let worker = rows[row_ids[0]].clique_of;
            if worker.is_some() && row_ids.iter().all(|&r| rows[r].clique_of == worker) {
                Ok(interval_scheduling(rows, row_ids) as f64)
            } else {
                simplex(rows, row_ids, vars)
            }
        }
    }
}

/// max Σx over one row Σ a·x ≤ b, x in [0, 1]: take the smallest
/// coefficients first, the last one fractionally.
fn knapsack(row: &Row) -> f64 {
    let mut coefs: Vec<f64> = row.terms.iter().map(|t| t.1).collect();
    coefs.sort_by(f64::total_cmp);
    let (mut room, mut value) = (row.rhs, 0.0);
    for a in coefs {
        if a <= room {
            room -= a;
            value += 1.0;
        } else {
            value += room / a;
            break;
        }
    }
    value
}

/// The clique rows of one worker only: the LP of an interval graph's clique
/// matrix is integral (consecutive ones), so its optimum is the most
/// pairwise-compatible shifts. The cliques are recovered as sets; greedy by
/// the order of first clique in which a variable is left (earliest end) is
/// exact on interval graphs.
fn interval_scheduling(rows: &[Row], row_ids: &[usize]) -> usize {
    // Clique rows are emitted in sweep order, so each variable's cliques are
    // consecutive: the variable ends at its last clique and starts at its first.
    let mut span: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (i, &r) in row_ids.iter().enumerate() {
        for &(k, _) in &rows[r].terms {
            span.entry(k).and_modify(|e| e.1 = i).or_insert((i, i));
        }
    }
    let mut by_end: Vec<(usize, usize)> = span.values().map(|&(a, b)| (b, a)).collect();
    by_end.sort();
    let mut taken = 0;
    let mut free_from = 0usize;
    for (last, first) in by_end {
        if first >= free_from {
            taken += 1;
            free_from = last + 1;
        }
    }
    taken
}

/// The component's LP by microlp.
fn simplex(rows: &[Row], row_ids: &[usize], vars: &[u32]) -> Result<f64, BoundError> {
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    // Global variable → this LP's variable (vars is ascending).
    let local: Vec<microlp::Variable> = vars.iter().map(|_| lp.add_var(1.0, (0.0, 1.0))).collect();
    let position = |k: u32| vars.binary_search(&k).ok().map(|i| local[i]);
    for &r in row_ids {
        let row = &rows[r];
        let terms: Vec<(microlp::Variable, f64)> = row.terms.iter().filter_map(|&(k, a)| position(k).map(|v| (v, a))).collect();
        lp.add_constraint(terms.as_slice(), ComparisonOp::Le, row.rhs);
    }
    match lp.solve() {
        Ok(SolveOutcome::Solution(s)) => Ok(s.objective()),
        Ok(SolveOutcome::Interrupted(_)) => Err(BoundError::Interrupted { vars: vars.len() }),
        Err(source) => Err(BoundError::Solver { vars: vars.len(), source }),
    }
}
