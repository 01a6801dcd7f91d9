//! The whole rostering model as a mixed-integer program for HiGHS, with any
//! staff's days optionally fixed (the large-neighbourhood search frees a few
//! at a time) and optionally relaxed to an LP (the lower bound).

use highs::{HighsModelStatus, RowProblem, Sense};

use crate::model::{Problem, Solution};

pub(crate) struct MipResult {
    pub solution: Option<Solution>,
    /// A proven lower bound on the objective (the dual bound), if HiGHS reports one.
    pub bound: Option<f64>,
    pub optimal: bool,
}

pub(crate) struct MipSpec<'a> {
    /// Per staff and day: `Some(day assignment)` fixes that day.
    pub fixed: &'a dyn Fn(usize, usize) -> Option<Option<usize>>,
    pub start: Option<&'a Solution>,
    pub seconds: f64,
    pub seed: u64,
    pub relax: bool,
}

pub(crate) fn solve(p: &Problem, spec: &MipSpec<'_>) -> MipResult {
    let mut pb = RowProblem::default();
    let (n_e, n_d, n_t) = (p.staff.len(), p.days, p.shifts.len());
    // x[e][d][t] exists only where the shift is possible at all.
    let mut x: Vec<Vec<Vec<Option<highs::Col>>>> = vec![vec![vec![None; n_t]; n_d]; n_e];
    let mut index: Vec<(usize, usize, usize)> = Vec::new();
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
                let (lo, hi) = match fix {
                    Some(Some(f)) if f == t => (1.0, 1.0),
                    Some(_) => (0.0, 0.0),
                    None => (0.0, 1.0),
                };
                let col = if spec.relax { pb.add_column(cost[d][t], lo..=hi) } else { pb.add_integer_column(cost[d][t], lo..=hi) };
                x[e][d][t] = Some(col);
                index.push((e, d, t));
            }
        }
    }
    // Cover: sum x + under - over = requirement.
    for d in 0..n_d {
        for t in 0..n_t {
            let c = p.cover[d][t];
            let under = pb.add_column(f64::from(c.weight_under), 0.0..);
            let over = pb.add_column(f64::from(c.weight_over), 0.0..);
            let mut row: Vec<(highs::Col, f64)> = (0..n_e).filter_map(|e| x[e][d][t].map(|c| (c, 1.0))).collect();
            row.push((under, 1.0));
            row.push((over, -1.0));
            let r = f64::from(c.requirement);
            pb.add_row(r..=r, &row);
        }
    }
    for (e, st) in p.staff.iter().enumerate() {
        let day = |d: usize| -> Vec<(highs::Col, f64)> { x[e][d].iter().flatten().map(|c| (*c, 1.0)).collect() };
        for d in 0..n_d {
            let w = day(d);
            if w.len() > 1 {
                pb.add_row(..=1.0, &w);
            }
        }
        for t in 0..n_t {
            let row: Vec<_> = (0..n_d).filter_map(|d| x[e][d][t].map(|c| (c, 1.0))).collect();
            if !row.is_empty() && (row.len() as u32) > st.max_shifts[t] {
                pb.add_row(..=f64::from(st.max_shifts[t]), &row);
            }
        }
        let minutes: Vec<_> = (0..n_d).flat_map(|d| (0..n_t).filter_map(move |t| Some((d, t)))).filter_map(|(d, t)| x[e][d][t].map(|c| (c, f64::from(p.shifts[t].minutes)))).collect();
        pb.add_row(f64::from(st.min_minutes)..=f64::from(st.max_minutes), &minutes);
        for d in 0..n_d.saturating_sub(1) {
            for t in 0..n_t {
                let Some(a) = x[e][d][t] else { continue };
                for u in &p.shifts[t].forbidden_next {
                    if let Some(b) = x[e][d + 1][*u] {
                        pb.add_row(..=1.0, &[(a, 1.0), (b, 1.0)]);
                    }
                }
            }
        }
        let maxc = st.max_consecutive as usize;
        if maxc < n_d {
            for d in 0..n_d - maxc {
                let row: Vec<_> = (d..=d + maxc).flat_map(&day).collect();
                pb.add_row(..=maxc as f64, &row);
            }
        }
        // Forbid short blocks wholly inside the horizon: off, on^k, off and on, off^k, on.
        for k in 1..st.min_consecutive.max(st.min_days_off) as usize {
            for d in 1..n_d {
                if d + k > n_d - 1 {
                    break;
                }
                let inner: Vec<_> = (d..d + k).flat_map(&day).collect();
                let (before, after) = (day(d - 1), day(d + k));
                if k < st.min_consecutive as usize {
                    let mut row = inner.clone();
                    row.extend(before.iter().map(|(c, _)| (*c, -1.0)));
                    row.extend(after.iter().map(|(c, _)| (*c, -1.0)));
                    pb.add_row(..=(k as f64 - 1.0), &row);
                }
                if k < st.min_days_off as usize {
                    let mut row: Vec<_> = inner.iter().map(|(c, _)| (*c, -1.0)).collect();
                    row.extend(before.iter().copied());
                    row.extend(after.iter().copied());
                    pb.add_row(..=1.0, &row);
                }
            }
        }
        for [(d1, t1), (d2, t2)] in &st.conflicts {
            if let (Some(a), Some(b)) = (x[e][*d1][*t1], x[e][*d2][*t2]) {
                pb.add_row(..=1.0, &[(a, 1.0), (b, 1.0)]);
            }
        }
        let mut weekend_vars = Vec::new();
        for w in 0..p.weekends() {
            let days: Vec<usize> = [7 * w + 5, 7 * w + 6].into_iter().filter(|d| *d < n_d).collect();
            if days.iter().all(|d| day(*d).is_empty()) {
                continue;
            }
            let y = pb.add_column(0.0, 0.0..=1.0);
            for d in days {
                let mut row: Vec<_> = day(d).iter().map(|(c, _)| (*c, -1.0)).collect();
                row.push((y, 1.0));
                pb.add_row(0.0.., &row);
            }
            weekend_vars.push((y, 1.0));
        }
        if !weekend_vars.is_empty() && (weekend_vars.len() as u32) > st.max_weekends {
            pb.add_row(..=f64::from(st.max_weekends), &weekend_vars);
        }
    }
    let mut model = pb.optimise(Sense::Minimise);
    model.make_quiet();
    model.set_option("time_limit", spec.seconds.max(0.05));
    model.set_option("threads", 1);
    model.set_option("random_seed", (spec.seed % 2_147_483_647) as i32);
    model.set_option("mip_rel_gap", 0.0);
    if let (Some(start), false) = (spec.start, spec.relax) {
        let cols = warm_start(&index, start, p);
        // A start that does not fit the column count is simply not used.
        let _ = model.try_set_solution(Some(&cols), None, None, None);
    }
    let solved = model.solve();
    let status = solved.status();
    let optimal = status == HighsModelStatus::Optimal;
    let bound = if spec.relax {
        optimal.then(|| solved.objective_value() + constant)
    } else {
        solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).map(|b| b + constant)
    };
    let has_solution = matches!(solved.primal_solution_status(), highs::HighsSolutionStatus::Feasible);
    let solution = (!spec.relax && has_solution).then(|| {
        let cols = solved.get_solution();
        let mut s = Solution::empty(p);
        for (i, (e, d, t)) in index.iter().enumerate() {
            if cols.columns()[i] > 0.5 {
                s.assign[*e][*d] = Some(*t);
            }
        }
        s
    });
    MipResult { solution, bound, optimal }
}

/// Column values for `start`, in the order the columns were created: the x
/// variables first (as indexed), then whatever HiGHS derives for the rest.
fn warm_start(index: &[(usize, usize, usize)], start: &Solution, p: &Problem) -> Vec<f64> {
    let mut cols: Vec<f64> = index.iter().map(|(e, d, t)| if start.assign[*e][*d] == Some(*t) { 1.0 } else { 0.0 }).collect();
    // Cover slack columns: under and over per (day, type).
    for d in 0..p.days {
        for t in 0..p.shifts.len() {
            let n = f64::from(start.covered(d, t));
            let r = f64::from(p.cover[d][t].requirement);
            cols.push((r - n).max(0.0));
            cols.push((n - r).max(0.0));
        }
    }
    // Weekend indicators, per staff in creation order.
    for (e, _) in p.staff.iter().enumerate() {
        for w in 0..p.weekends() {
            let days: Vec<usize> = [7 * w + 5, 7 * w + 6].into_iter().filter(|d| *d < p.days).collect();
            if days.iter().all(|d| !index.iter().any(|(ie, id, _)| *ie == e && id == d)) {
                continue;
            }
            cols.push(if days.iter().any(|d| start.assign[e][*d].is_some()) { 1.0 } else { 0.0 });
        }
    }
    cols
}
