//! The whole rostering model as a mixed-integer program for `microlp` (a
//! simplex and branch-and-bound solver in pure Rust, so the build needs only
//! cargo), with any staff's days optionally fixed (the large-neighbourhood
//! search frees a few at a time) and optionally relaxed to an LP (the lower
//! bound).
//!
//! Fixed days are folded into constants before the model is built: a
//! sub-problem carries only the variables the search freed, which keeps each
//! sub-MIP small (the solver has no presolve to drop fixed columns for us).

use std::time::Duration;

use microlp::{ComparisonOp, OptimizationDirection, SolveOptions, SolveOutcome, Variable};

use crate::model::{Problem, Solution};

pub(crate) struct MipResult {
    pub solution: Option<Solution>,
    /// A proven lower bound on the objective (the dual bound), if the solver reports one.
    pub bound: Option<f64>,
    pub optimal: bool,
}

pub(crate) struct MipSpec<'a> {
    /// Per staff and day: `Some(day assignment)` fixes that day.
    pub fixed: &'a dyn Fn(usize, usize) -> Option<Option<usize>>,
    pub start: Option<&'a Solution>,
    pub limit: Limit,
    pub relax: bool,
}

/// What stops one solve: the clock, or a number of branch-and-bound nodes
/// (deterministic: the same model stops at the same point under any load).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit {
    Seconds(f64),
    Nodes(u64),
    /// Only the root relaxation is solved, to its end.
    Root,
}

/// One cell of the assignment: a free variable, or a value the spec fixed.
#[derive(Clone, Copy)]
enum Cell {
    Free(Variable),
    One,
}

/// A linear expression over free variables plus the constant that fixed
/// cells contribute.
#[derive(Default, Clone)]
struct Expr {
    terms: Vec<(Variable, f64)>,
    constant: f64,
}

impl Expr {
    fn add(&mut self, cell: Option<Cell>, coefficient: f64) {
        match cell {
            Some(Cell::Free(v)) => self.terms.push((v, coefficient)),
            Some(Cell::One) => self.constant += coefficient,
            None => {}
        }
    }

    fn var(&mut self, v: Variable, coefficient: f64) {
        self.terms.push((v, coefficient));
    }
}

/// The model under construction, with the warm-start value of each variable
/// recorded as it is created (the solver ignores an incomplete hint).
struct Model {
    lp: microlp::Problem,
    hint: Option<Vec<(Variable, f64)>>,
    relax: bool,
}

impl Model {
    fn binary(&mut self, cost: f64, start: bool) -> Variable {
        let v = if self.relax { self.lp.add_var(cost, (0.0, 1.0)) } else { self.lp.add_binary_var(cost) };
        self.note(v, if start { 1.0 } else { 0.0 });
        v
    }

    fn continuous(&mut self, cost: f64, start: f64) -> Variable {
        let v = self.lp.add_var(cost, (0.0, f64::INFINITY));
        self.note(v, start);
        v
    }

    fn note(&mut self, v: Variable, value: f64) {
        if let Some(h) = &mut self.hint {
            h.push((v, value));
        }
    }

    /// `lo <= expr <= hi`; a row with no free variable holds already (the
    /// fixed part comes from a feasible incumbent) and is left out.
    fn row(&mut self, expr: &Expr, lo: Option<f64>, hi: Option<f64>) {
        if expr.terms.is_empty() {
            return;
        }
        if let Some(lo) = lo {
            self.lp.add_constraint(expr.terms.as_slice(), ComparisonOp::Ge, lo - expr.constant);
        }
        if let Some(hi) = hi {
            self.lp.add_constraint(expr.terms.as_slice(), ComparisonOp::Le, hi - expr.constant);
        }
    }
}

pub(crate) fn solve(p: &Problem, spec: &MipSpec<'_>) -> MipResult {
    let (n_e, n_d, n_t) = (p.staff.len(), p.days, p.shifts.len());
    let start = spec.start.filter(|_| !spec.relax);
    let mut m = Model { lp: microlp::Problem::new(OptimizationDirection::Minimize), hint: start.map(|_| Vec::new()), relax: spec.relax };
    let started = |e: usize, d: usize, t: usize| start.is_some_and(|s| s.assign[e][d] == Some(t));
    // x[e][d][t] exists only where the shift is possible at all and not fixed off.
    let mut x: Vec<Vec<Vec<Option<Cell>>>> = vec![vec![vec![None; n_t]; n_d]; n_e];
    let mut free: Vec<(usize, usize, usize, Variable)> = Vec::new();
    let mut constant = 0.0f64;
    for (e, st) in p.staff.iter().enumerate() {
        let mut cost = vec![vec![0.0f64; n_t]; n_d];
        for r in &st.on_requests {
            constant += f64::from(r.weight);
            cost[r.day][r.shift] -= f64::from(r.weight);
        }
        for r in &st.off_requests {
            cost[r.day][r.shift] += f64::from(r.weight);
        }
        for d in 0..n_d {
            let fix = (spec.fixed)(e, d);
            for t in 0..n_t {
                if !st.can_work(d, t) {
                    continue;
                }
                x[e][d][t] = match fix {
                    Some(Some(f)) if f == t => {
                        constant += cost[d][t];
                        Some(Cell::One)
                    }
                    Some(_) => None,
                    None => {
                        let v = m.binary(cost[d][t], started(e, d, t));
                        free.push((e, d, t, v));
                        Some(Cell::Free(v))
                    }
                };
            }
        }
    }
    // Cover: sum x + under - over = requirement.
    for d in 0..n_d {
        for t in 0..n_t {
            let c = p.cover[d][t];
            let mut row = Expr::default();
            for xe in &x {
                row.add(xe[d][t], 1.0);
            }
            let r = f64::from(c.requirement);
            let n = start.map_or(0.0, |s| f64::from(s.covered(d, t)));
            let under = m.continuous(f64::from(c.weight_under), (r - n).max(0.0));
            let over = m.continuous(f64::from(c.weight_over), (n - r).max(0.0));
            row.var(under, 1.0);
            row.var(over, -1.0);
            m.row(&row, Some(r), Some(r));
        }
    }
    for (e, st) in p.staff.iter().enumerate() {
        let day = |d: usize| -> Expr {
            let mut row = Expr::default();
            x[e][d].iter().for_each(|c| row.add(*c, 1.0));
            row
        };
        let sum = |days: std::ops::Range<usize>, sign: f64| -> Expr {
            let mut row = Expr::default();
            for d in days {
                x[e][d].iter().for_each(|c| row.add(*c, sign));
            }
            row
        };
        for d in 0..n_d {
            m.row(&day(d), None, Some(1.0));
        }
        for t in 0..n_t {
            let mut row = Expr::default();
            (0..n_d).for_each(|d| row.add(x[e][d][t], 1.0));
            m.row(&row, None, Some(f64::from(st.max_shifts[t])));
        }
        let mut minutes = Expr::default();
        for d in 0..n_d {
            for t in 0..n_t {
                minutes.add(x[e][d][t], f64::from(p.shifts[t].minutes));
            }
        }
        m.row(&minutes, Some(f64::from(st.min_minutes)), Some(f64::from(st.max_minutes)));
        for d in 0..n_d.saturating_sub(1) {
            for t in 0..n_t {
                for u in &p.shifts[t].forbidden_next {
                    let mut row = Expr::default();
                    row.add(x[e][d][t], 1.0);
                    row.add(x[e][d + 1][*u], 1.0);
                    m.row(&row, None, Some(1.0));
                }
            }
        }
        let maxc = st.max_consecutive as usize;
        if maxc < n_d {
            for d in 0..n_d - maxc {
                m.row(&sum(d..d + maxc + 1, 1.0), None, Some(maxc as f64));
            }
        }
        // Forbid short blocks wholly inside the horizon: off, on^k, off and on, off^k, on.
        for k in 1..st.min_consecutive.max(st.min_days_off) as usize {
            for d in 1..n_d {
                if d + k > n_d - 1 {
                    break;
                }
                let (inner, before, after) = (sum(d..d + k, 1.0), day(d - 1), day(d + k));
                if k < st.min_consecutive as usize {
                    let mut row = inner.clone();
                    row.terms.extend(before.terms.iter().chain(&after.terms).map(|(v, c)| (*v, -c)));
                    row.constant -= before.constant + after.constant;
                    m.row(&row, None, Some(k as f64 - 1.0));
                }
                if k < st.min_days_off as usize {
                    let mut row = before.clone();
                    row.terms.extend(after.terms.iter().copied());
                    row.terms.extend(inner.terms.iter().map(|(v, c)| (*v, -c)));
                    row.constant += after.constant - inner.constant;
                    m.row(&row, None, Some(1.0));
                }
            }
        }
        for [(d1, t1), (d2, t2)] in &st.conflicts {
            let mut row = Expr::default();
            row.add(x[e][*d1][*t1], 1.0);
            row.add(x[e][*d2][*t2], 1.0);
            m.row(&row, None, Some(1.0));
        }
        // Weekends: y_w >= every weekend day's work; sum of y_w <= max.
        let mut weekends = Expr::default();
        for w in 0..p.weekends() {
            let days: Vec<usize> = [7 * w + 5, 7 * w + 6].into_iter().filter(|d| *d < n_d).collect();
            let rows: Vec<Expr> = days.iter().map(|d| day(*d)).collect();
            if rows.iter().all(|r| r.terms.is_empty() && r.constant == 0.0) {
                continue;
            }
            let worked = start.is_some_and(|s| days.iter().any(|d| s.assign[e][*d].is_some()));
            let y = m.lp.add_var(0.0, (0.0, 1.0));
            m.note(y, if worked { 1.0 } else { 0.0 });
            for r in rows {
                let mut row = Expr { terms: r.terms.iter().map(|(v, c)| (*v, -c)).collect(), constant: -r.constant };
                row.var(y, 1.0);
                m.row(&row, Some(0.0), None);
            }
            weekends.var(y, 1.0);
        }
        if weekends.terms.len() as u32 > st.max_weekends {
            m.row(&weekends, None, Some(f64::from(st.max_weekends)));
        }
    }
    let mut options = SolveOptions::default();
    match spec.limit {
        Limit::Seconds(s) => options.time_limit = Some(Duration::from_secs_f64(s.max(0.05))),
        Limit::Nodes(n) => options.node_limit = Some(n),
        Limit::Root => options.node_limit = Some(0),
    }
    options.warm_start = m.hint.take();
    let Ok(outcome) = m.lp.solve_with(options) else {
        // Infeasible (a fixed part that no completion fits) or a numerical failure: nothing learnt.
        return MipResult { solution: None, bound: None, optimal: false };
    };
    let (bound, optimal) = match &outcome {
        SolveOutcome::Solution(s) => {
            let optimal = s.status() == microlp::SolutionStatus::Optimal;
            let bound = if spec.relax { optimal.then(|| s.objective()) } else { s.stats().best_bound };
            (bound, optimal)
        }
        SolveOutcome::Interrupted(i) => (if spec.relax { None } else { i.stats().best_bound }, false),
    };
    let bound = bound.filter(|b| b.is_finite()).map(|b| b + constant);
    let solution = match (&outcome, spec.relax) {
        (SolveOutcome::Solution(s), false) => {
            let mut out = Solution::empty(p);
            for (e, row) in x.iter().enumerate() {
                for (d, cells) in row.iter().enumerate() {
                    if let Some(t) = cells.iter().position(|c| matches!(c, Some(Cell::One))) {
                        out.assign[e][d] = Some(t);
                    }
                }
            }
            for (e, d, t, v) in &free {
                if s.var_value_raw(*v) > 0.5 {
                    out.assign[*e][*d] = Some(*t);
                }
            }
            Some(out)
        }
        _ => None,
    };
    MipResult { solution, bound, optimal }
}
