//! A quick first schedule for one person: randomized blocks of work and rest
//! of allowed lengths until their minutes fall inside their bounds, each try
//! judged by the independent validator. Branch and bound alone can take
//! longer than a whole time budget to find a first feasible schedule for
//! someone with minimum minutes and consecutive-day rules.

use std::time::Instant;

use crate::model::{Problem, Solution};
use crate::validate::validate;

/// One person's feasible row, or `None` if no try found one in `seconds`
/// (or, with `tries`, in that many tries: no clock is read).
pub(crate) fn person(p: &Problem, e: usize, rng: &mut fastrand::Rng, seconds: f64, tries: Option<u32>) -> Option<Vec<Option<usize>>> {
    let started = Instant::now();
    let mut tried = 0u32;
    let go_on = |tried: u32| match tries {
        Some(n) => tried < n,
        None => started.elapsed().as_secs_f64() < seconds,
    };
    let st = &p.staff[e];
    let one = Problem { days: p.days, shifts: p.shifts.clone(), staff: vec![st.clone()], cover: p.cover.clone() };
    let min_run = st.min_consecutive.max(1) as usize;
    let max_run = (st.max_consecutive as usize).max(min_run);
    let min_off = st.min_days_off.max(1) as usize;
    while go_on(tried) {
        tried += 1;
        let target = if st.max_minutes > st.min_minutes { rng.u32(st.min_minutes..=st.max_minutes) } else { st.max_minutes };
        let mut row: Vec<Option<usize>> = vec![None; p.days];
        let (mut minutes, mut per_type) = (0u32, vec![0u32; p.shifts.len()]);
        let mut weekends = vec![false; p.weekends()];
        // Start with a rest of random length, so blocks fall on different days each try.
        let mut d = rng.usize(0..=min_off.min(p.days));
        while d < p.days && minutes < target {
            let run = rng.usize(min_run..=max_run);
            let mut worked = 0;
            while worked < run && d < p.days {
                let prev = if d > 0 { row[d - 1] } else { None };
                let weekend = Problem::weekend(d);
                let weekend_ok = weekend.is_none_or(|w| weekends[w] || weekends.iter().filter(|x| **x).count() < st.max_weekends as usize);
                let mut types: Vec<usize> = (0..p.shifts.len())
                    .filter(|t| st.can_work(d, *t) && per_type[*t] < st.max_shifts[*t])
                    .filter(|t| minutes + p.shifts[*t].minutes <= st.max_minutes)
                    .filter(|t| prev.is_none_or(|u| !p.shifts[u].forbidden_next.contains(t)))
                    .collect();
                if types.is_empty() || !weekend_ok {
                    break;
                }
                rng.shuffle(&mut types);
                let t = types[0];
                row[d] = Some(t);
                per_type[t] += 1;
                minutes += p.shifts[t].minutes;
                if let Some(w) = weekend {
                    weekends[w] = true;
                }
                worked += 1;
                d += 1;
            }
            d += rng.usize(min_off..=min_off + 2);
        }
        if validate(&one, &Solution { assign: vec![row.clone()] }).feasible {
            return Some(row);
        }
    }
    None
}
