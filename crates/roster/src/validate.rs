//! The independent validator: recomputes feasibility and every objective part
//! from a solution alone, sharing no code with the solver.

use serde::Serialize;

use crate::model::{Problem, Solution};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Shift-on requests not honoured.
    pub on_requests: u64,
    /// Shift-off requests not honoured.
    pub off_requests: u64,
    /// Cover below the requirement.
    pub under_cover: u64,
    /// Cover above the requirement.
    pub over_cover: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub feasible: bool,
    /// Every broken hard rule, one line each.
    pub violations: Vec<String>,
    pub objective: Breakdown,
}

pub fn validate(p: &Problem, s: &Solution) -> Report {
    let mut v = Vec::new();
    if s.assign.len() != p.staff.len() || s.assign.iter().any(|row| row.len() != p.days) {
        return Report { feasible: false, violations: vec!["solution has the wrong shape".into()], objective: Breakdown::default() };
    }
    for (e, (st, row)) in p.staff.iter().zip(&s.assign).enumerate() {
        let who = &st.name;
        let mut per_type = vec![0u32; p.shifts.len()];
        let mut minutes = 0u64;
        for (d, a) in row.iter().enumerate() {
            let Some(t) = *a else { continue };
            if t >= p.shifts.len() {
                v.push(format!("{who} day {d}: unknown shift {t}"));
                continue;
            }
            per_type[t] += 1;
            minutes += u64::from(p.shifts[t].minutes);
            if st.day_off[d] {
                v.push(format!("{who} works on day {d}, a fixed day off"));
            }
            if st.unavailable.get(d).and_then(|x| x.get(t)).copied().unwrap_or(false) {
                v.push(format!("{who} works {} on day {d}, which they cannot", p.shifts[t].name));
            }
            if let Some(Some(next)) = row.get(d + 1) {
                if p.shifts[t].forbidden_next.contains(next) {
                    v.push(format!("{who}: {} on day {d} may not be followed by {} on day {}", p.shifts[t].name, p.shifts[*next].name, d + 1));
                }
            }
        }
        for (t, n) in per_type.iter().enumerate() {
            if *n > st.max_shifts[t] {
                v.push(format!("{who} works {n} {} shifts, more than {}", p.shifts[t].name, st.max_shifts[t]));
            }
        }
        if minutes > u64::from(st.max_minutes) {
            v.push(format!("{who} works {minutes} minutes, more than {}", st.max_minutes));
        }
        if minutes < u64::from(st.min_minutes) {
            v.push(format!("{who} works {minutes} minutes, fewer than {}", st.min_minutes));
        }
        // Runs of working days and days off.
        let work: Vec<bool> = row.iter().map(Option::is_some).collect();
        let mut d = 0;
        while d < p.days {
            let on = work[d];
            let start = d;
            while d < p.days && work[d] == on {
                d += 1;
            }
            let len = (d - start) as u32;
            let inside = start > 0 && d < p.days;
            if on && len > st.max_consecutive {
                v.push(format!("{who} works {len} days in a row from day {start}, more than {}", st.max_consecutive));
            }
            if on && inside && len < st.min_consecutive {
                v.push(format!("{who} works only {len} days in a row from day {start}, fewer than {}", st.min_consecutive));
            }
            if !on && inside && len < st.min_days_off {
                v.push(format!("{who} has only {len} days off in a row from day {start}, fewer than {}", st.min_days_off));
            }
        }
        let weekends = (0..p.weekends()).filter(|w| [7 * w + 5, 7 * w + 6].iter().any(|d| *d < p.days && work[*d])).count() as u32;
        if weekends > st.max_weekends {
            v.push(format!("{who} works {weekends} weekends, more than {}", st.max_weekends));
        }
        for [(d1, t1), (d2, t2)] in &st.conflicts {
            if row.get(*d1) == Some(&Some(*t1)) && row.get(*d2) == Some(&Some(*t2)) {
                v.push(format!("{who} works both shift {t1} on day {d1} and shift {t2} on day {d2}, which conflict"));
            }
        }
        let _ = e;
    }
    let mut b = Breakdown::default();
    for (st, row) in p.staff.iter().zip(&s.assign) {
        for r in &st.on_requests {
            if row[r.day] != Some(r.shift) {
                b.on_requests += u64::from(r.weight);
            }
        }
        for r in &st.off_requests {
            if row[r.day] == Some(r.shift) {
                b.off_requests += u64::from(r.weight);
            }
        }
    }
    for d in 0..p.days {
        for t in 0..p.shifts.len() {
            let c = p.cover[d][t];
            let n = s.assign.iter().filter(|row| row[d] == Some(t)).count() as u64;
            let req = u64::from(c.requirement);
            if n < req {
                b.under_cover += (req - n) * u64::from(c.weight_under);
            } else {
                b.over_cover += (n - req) * u64::from(c.weight_over);
            }
        }
    }
    b.total = b.on_requests + b.off_requests + b.under_cover + b.over_cover;
    Report { feasible: v.is_empty(), violations: v, objective: b }
}
