//! One person's best schedule by dynamic programming over days: given a cost
//! for working each (day, shift type), find the cheapest row that keeps every
//! one of their hard rules, optionally re-deciding only a window of days with
//! the rest of the row held fixed.
//!
//! The state after a day is (what was worked last and the length of the
//! current block of work or rest, weekends worked so far, minutes so far in
//! units of the shift lengths' greatest common divisor). Blocks that touch
//! the first or last day of the horizon are exempt from the minimum lengths
//! (as in the validator), so a block that started on day 0 carries a flag.
//! Per-type maxima are not in the state (it would multiply it by every cap):
//! they are kept by pricing an over-used type up and solving again
//! ([`best`]), or relaxed with a multiplier when only a bound is wanted.
//!
//! Everything outside the window enters as a constant: the prefix fixes the
//! starting state, and the suffix is checked in O(1) per final state (its
//! first block joins the window's last one; its later blocks are unchanged
//! from a row that was feasible).

use crate::model::{Problem, Staff};

const INF: f64 = f64::INFINITY;

/// Which rules the program keeps exactly. Dropping one gives a relaxation:
/// its optimum is a lower bound, which is all the Lagrangian bound needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Track {
    pub minutes: bool,
    pub weekends: bool,
}

/// A run state: working type `t` for `k` days (block started on day 0 or
/// not), or off for `k` days (capped at the minimum rest), or off since day 0.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Run {
    Work { t: usize, k: usize, init: bool },
    Off { k: usize },
    OffInit,
}

struct Layout {
    types: usize,
    maxc: usize,
    mo: usize,
}

impl Layout {
    fn states(&self) -> usize {
        2 * self.types * self.maxc + self.mo + 1
    }
    fn encode(&self, r: Run) -> usize {
        match r {
            Run::Work { t, k, init } => (t * self.maxc + (k - 1)) * 2 + usize::from(init),
            Run::Off { k } => 2 * self.types * self.maxc + (k - 1),
            Run::OffInit => 2 * self.types * self.maxc + self.mo,
        }
    }
    fn decode(&self, s: usize) -> Run {
        let base = 2 * self.types * self.maxc;
        if s < base {
            Run::Work { t: s / 2 / self.maxc, k: (s / 2) % self.maxc + 1, init: s % 2 == 1 }
        } else if s - base < self.mo {
            Run::Off { k: s - base + 1 }
        } else {
            Run::OffInit
        }
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The minutes unit for a problem: the gcd of all shift lengths (1 if all are 0).
pub(crate) fn unit(p: &Problem) -> u32 {
    p.shifts.iter().fold(0, |g, s| gcd(g, s.minutes)).max(1)
}

/// Whether the program is small enough to run many times on `p` with
/// windows of `win` days: the cells of one day, for the largest person, stay
/// under a few million (models where every shift is its own type, or
/// lengths share only a tiny divisor, can be far larger; they use the MIP).
pub(crate) fn affordable(p: &Problem, win: usize) -> bool {
    let g = unit(p) as usize;
    let longest = p.shifts.iter().map(|s| s.minutes as usize / g).max().unwrap_or(0);
    p.staff.iter().all(|st| {
        let states = 2 * p.shifts.len() * (st.max_consecutive as usize).clamp(1, win.max(1)) + st.min_days_off as usize + 2;
        let units = (st.max_minutes as usize / g).min(win * longest) + 1;
        let weekends = (st.max_weekends as usize).min(win / 7 + 2) + 1;
        states.saturating_mul(units).saturating_mul(weekends) <= 4_000_000
    })
}

/// The best row for person `e` when only days `lo..hi` may change: `cost[d][t]`
/// is the cost of working `t` on day `d` (rest costs 0), `penalty[t]` is added
/// per `t` worked in the window, `row` is the current row (read outside the
/// window only). Returns the window's cost and the new full row, or `None`
/// if no row keeps the rules. Per-type maxima are *not* checked here, and
/// the row's minutes must reach `min_minutes` (the person's own minimum, or
/// a share of it while a row is built window by window).
pub(crate) fn window(
    p: &Problem,
    e: usize,
    cost: &[Vec<f64>],
    penalty: &[f64],
    row: &[Option<usize>],
    lo: usize,
    hi: usize,
    track: Track,
    min_minutes: u32,
) -> Option<(f64, Vec<Option<usize>>)> {
    let st: &Staff = &p.staff[e];
    let days = p.days;
    let types = p.shifts.len();
    let g = unit(p);
    let len: Vec<usize> = p.shifts.iter().map(|s| (s.minutes / g) as usize).collect();
    let maxc = (st.max_consecutive as usize).min(days).max(1);
    let minc = st.min_consecutive as usize;
    let mo = (st.min_days_off as usize).max(1);
    let lay = Layout { types, maxc, mo };
    let nweekends = p.weekends();
    let maxw = st.max_weekends as usize;
    let track_w = track.weekends && maxw < nweekends;
    let worked = |d: usize| row[d].is_some();

    // Prefix: the starting state, minutes and weekends before the window.
    let start: Option<Run> = if lo == 0 {
        None
    } else if let Some(t) = row[lo - 1] {
        let mut b = lo - 1;
        while b > 0 && worked(b - 1) {
            b -= 1;
        }
        let k = lo - b;
        if k > maxc {
            return None;
        }
        Some(Run::Work { t, k, init: b == 0 })
    } else {
        let mut b = lo - 1;
        while b > 0 && !worked(b - 1) {
            b -= 1;
        }
        Some(if b == 0 { Run::OffInit } else { Run::Off { k: (lo - b).min(mo) } })
    };
    let units_of = |r: &[Option<usize>]| r.iter().flatten().map(|t| len[*t]).sum::<usize>();
    let m_pre = units_of(&row[..lo]);
    let m_suf = units_of(&row[hi..]);
    let weekend_worked = |w: usize, from: usize, to: usize| [7 * w + 5, 7 * w + 6].iter().any(|d| *d >= from && *d < to && *d < days && worked(*d));
    let w_pre = (0..nweekends).filter(|w| weekend_worked(*w, 0, lo)).count();
    let w_suf = (0..nweekends).filter(|w| weekend_worked(*w, hi, days)).count();
    // A Sunday at `hi` worked in the suffix shares its weekend with a Saturday
    // at `hi - 1` in the window: counted once.
    let straddle = hi < days && hi % 7 == 6 && worked(hi);
    let max_units = (st.max_minutes / g) as usize;
    let min_units = min_minutes.div_ceil(g) as usize;
    if track.minutes && m_pre + m_suf > max_units {
        return None;
    }
    let window_cap: usize = (lo..hi).map(|d| (0..types).filter(|t| st.can_work(d, *t)).map(|t| len[t]).max().unwrap_or(0)).sum();
    let mdim = if track.minutes { (max_units - m_pre - m_suf).min(window_cap) + 1 } else { 1 };
    let wdim = if track_w {
        if w_pre > maxw {
            return None;
        }
        // Only weekends that touch the window can be added.
        let touching = (0..nweekends).filter(|w| (7 * w + 5..7 * w + 7).any(|d| d >= lo && d < hi)).count();
        (maxw - w_pre).min(touching) + 1
    } else {
        1
    };
    let sdim = lay.states();
    let size = sdim * wdim * mdim;
    let idx = |s: usize, w: usize, m: usize| (s * wdim + w) * mdim + m;

    // Suffix: the first block after the window and what follows it.
    let suffix = if hi < days {
        let first = row[hi];
        let mut l = 0;
        while hi + l < days && worked(hi + l) == first.is_some() {
            l += 1;
        }
        Some((first, l, hi + l == days))
    } else {
        None
    };
    let suffix_ok = |r: Run| -> bool {
        let Some((first, l, to_end)) = suffix else { return true };
        match (r, first) {
            (Run::Work { t, k, init }, Some(u)) => k + l <= maxc && !p.shifts[t].forbidden_next.contains(&u) && (init || to_end || k + l >= minc),
            (Run::Work { k, init, .. }, None) => (init || k >= minc) && (to_end || l >= mo),
            (Run::Off { k }, Some(_)) => k >= mo && l <= maxc && (to_end || l >= minc),
            (Run::Off { k }, None) => to_end || k + l >= mo,
            (Run::OffInit, Some(_)) => l <= maxc && (to_end || l >= minc),
            (Run::OffInit, None) => true,
        }
    };

    // Only reachable cells are visited: `active` lists them for the day.
    let mut cur = vec![INF; size];
    let mut next = vec![INF; size];
    // Per day, (cell, predecessor) for the cells reached, sorted by cell;
    // `from` is scratch reset after each day.
    let mut pred: Vec<Vec<(u32, u32)>> = Vec::with_capacity(hi - lo);
    let mut from = vec![u32::MAX; size];
    // The state before the first window day; for lo == 0 a virtual rest
    // whose following block still counts as starting on day 0.
    let virtual_start = start.is_none();
    let s0 = start.unwrap_or(Run::OffInit);
    let i0 = idx(lay.encode(s0), 0, 0);
    cur[i0] = 0.0;
    let mut active = vec![i0 as u32];
    let mut next_active: Vec<u32> = Vec::new();
    let allowed: Vec<Vec<usize>> = (lo..hi).map(|d| (0..types).filter(|t| st.can_work(d, *t)).collect()).collect();
    for d in lo..hi {
        let first_day = virtual_start && d == lo;
        let weekend_day = track_w && Problem::weekend(d).is_some();
        for &iu in &active {
            let i = iu as usize;
            let c = cur[i];
            let (s, w, m) = (i / (wdim * mdim), (i / mdim) % wdim, i % mdim);
            let r = lay.decode(s);
            let mut relax = |ns: Run, nw: usize, nm: usize, add: f64| {
                let j = idx(lay.encode(ns), nw, nm);
                if next[j] == INF {
                    next_active.push(j as u32);
                }
                if c + add < next[j] {
                    next[j] = c + add;
                    from[j] = iu;
                }
            };
            // Rest.
            let rest = match r {
                Run::Work { k, init, .. } => (init || k >= minc).then_some(Run::Off { k: 1 }),
                Run::Off { k } => Some(Run::Off { k: (k + 1).min(mo) }),
                Run::OffInit => Some(Run::OffInit),
            };
            if let Some(ns) = rest {
                relax(ns, w, m, 0.0);
            }
            // Work.
            let was_working = matches!(r, Run::Work { .. });
            let nw = if weekend_day && !(d % 7 == 6 && was_working) { w + 1 } else { w };
            if nw >= wdim {
                continue;
            }
            for &t in &allowed[d - lo] {
                let nm = if track.minutes { m + len[t] } else { 0 };
                if nm >= mdim {
                    continue;
                }
                let ns = match r {
                    _ if first_day => Run::Work { t, k: 1, init: true },
                    Run::Work { t: u, k, init } => {
                        if k + 1 > maxc || p.shifts[u].forbidden_next.contains(&t) {
                            continue;
                        }
                        Run::Work { t, k: k + 1, init }
                    }
                    Run::Off { k } => {
                        if k < mo {
                            continue;
                        }
                        Run::Work { t, k: 1, init: false }
                    }
                    Run::OffInit => Run::Work { t, k: 1, init: false },
                };
                relax(ns, nw, nm, cost[d][t] + penalty[t]);
            }
        }
        for &i in &active {
            cur[i as usize] = INF;
        }
        next_active.sort_unstable();
        pred.push(next_active.iter().map(|&j| (j, std::mem::replace(&mut from[j as usize], u32::MAX))).collect());
        std::mem::swap(&mut cur, &mut next);
        std::mem::swap(&mut active, &mut next_active);
        next_active.clear();
    }
    // Best final state that fits the suffix and the totals.
    let mut best = (INF, usize::MAX);
    for s in 0..sdim {
        let r = lay.decode(s);
        if !suffix_ok(r) {
            continue;
        }
        for w in 0..wdim {
            if track_w {
                let sat_worked = matches!(r, Run::Work { .. }) && hi > lo;
                let total = w_pre + w + w_suf - usize::from(straddle && sat_worked);
                if total > maxw {
                    continue;
                }
            }
            for m in 0..mdim {
                if track.minutes && m_pre + m + m_suf < min_units {
                    continue;
                }
                let c = cur[idx(s, w, m)];
                if c < best.0 {
                    best = (c, idx(s, w, m));
                }
            }
        }
    }
    if best.0 == INF {
        return None;
    }
    let mut out = row.to_vec();
    let mut i = best.1;
    for d in (lo..hi).rev() {
        let s = i / (wdim * mdim);
        out[d] = match lay.decode(s) {
            Run::Work { t, .. } => Some(t),
            _ => None,
        };
        let day = &pred[d - lo];
        i = day[day.binary_search_by_key(&(i as u32), |x| x.0).ok()?].1 as usize;
    }
    Some((best.0, out))
}

/// The best feasible row in the window, keeping the per-type maxima too: an
/// over-used type is priced up and the program solved again. Returns `None`
/// if no feasible row was found (the caller keeps the current one).
pub(crate) fn best(p: &Problem, e: usize, cost: &[Vec<f64>], row: &[Option<usize>], lo: usize, hi: usize, min_minutes: u32) -> Option<(f64, Vec<Option<usize>>)> {
    let st = &p.staff[e];
    let types = p.shifts.len();
    let mut outside = vec![0u32; types];
    for d in (0..lo).chain(hi..p.days) {
        if let Some(t) = row[d] {
            outside[t] += 1;
        }
    }
    let mut penalty = vec![0.0; types];
    let track = Track { minutes: true, weekends: true };
    let scale = 1.0 + (lo..hi).flat_map(|d| cost[d].iter()).fold(0.0f64, |a, c| a.max(c.abs()));
    for round in 0..8 {
        let (_, out) = window(p, e, cost, &penalty, row, lo, hi, track, min_minutes)?;
        let mut count = outside.clone();
        for t in out[lo..hi].iter().flatten() {
            count[*t] += 1;
        }
        let over: Vec<usize> = (0..types).filter(|t| count[*t] > st.max_shifts[*t]).collect();
        if over.is_empty() {
            let c = (lo..hi).filter_map(|d| out[d].map(|t| cost[d][t])).sum();
            return Some((c, out));
        }
        for t in over {
            penalty[t] += scale * 0.25 * (round + 1) as f64;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cover, ShiftType, Solution};
    use crate::validate::validate;

    /// A small random person with tight rules, over `days` days and two types.
    fn problem(rng: &mut fastrand::Rng, days: usize) -> Problem {
        let shifts = vec![
            ShiftType { name: "E".into(), minutes: 480, forbidden_next: vec![] },
            ShiftType { name: "L".into(), minutes: 600, forbidden_next: vec![0] },
        ];
        let staff = Staff {
            name: "A".into(),
            max_shifts: vec![days as u32, if rng.bool() { days as u32 } else { rng.u32(0..=4) }],
            max_minutes: rng.u32(2400..=5000),
            min_minutes: rng.u32(0..=2400),
            max_consecutive: rng.u32(2..=5),
            min_consecutive: rng.u32(1..=3),
            min_days_off: rng.u32(1..=3),
            max_weekends: rng.u32(0..=2),
            day_off: (0..days).map(|_| rng.u32(0..8) == 0).collect(),
            unavailable: Vec::new(),
            conflicts: Vec::new(),
            on_requests: Vec::new(),
            off_requests: Vec::new(),
        };
        let zero = Cover { requirement: 0, weight_under: 0, weight_over: 0 };
        Problem { days, shifts, staff: vec![staff], cover: vec![vec![zero; 2]; days] }
    }

    /// Every row over `days` days with values none/E/L.
    fn all_rows(days: usize) -> impl Iterator<Item = Vec<Option<usize>>> {
        (0..3usize.pow(days as u32)).map(move |mut code| {
            (0..days)
                .map(|_| {
                    let v = code % 3;
                    code /= 3;
                    (v > 0).then(|| v - 1)
                })
                .collect()
        })
    }

    #[test]
    fn windows_match_brute_force() {
        let mut rng = fastrand::Rng::with_seed(5);
        let days = 9;
        for _ in 0..200 {
            let p = problem(&mut rng, days);
            let cost: Vec<Vec<f64>> = (0..days).map(|_| (0..2).map(|_| rng.i32(-20..10) as f64).collect()).collect();
            let feasible: Vec<Vec<Option<usize>>> = all_rows(days).filter(|r| validate(&p, &Solution { assign: vec![r.clone()] }).feasible).collect();
            let Some(base) = feasible.get(rng.usize(0..feasible.len().max(1))).cloned() else {
                assert!(best(&p, 0, &cost, &vec![None; days], 0, days, p.staff[0].min_minutes).is_none());
                continue;
            };
            let lo = rng.usize(0..days);
            let hi = rng.usize(lo + 1..=days);
            let price = |r: &Vec<Option<usize>>| (lo..hi).filter_map(|d| r[d].map(|t| cost[d][t])).sum::<f64>();
            let brute = feasible
                .iter()
                .filter(|r| (0..lo).chain(hi..days).all(|d| r[d] == base[d]))
                .map(price)
                .fold(f64::INFINITY, f64::min);
            // Relaxing per-type maxima: compare against the raw program too.
            let got = best(&p, 0, &cost, &base, lo, hi, p.staff[0].min_minutes).expect("the base row is feasible");
            assert!(validate(&p, &Solution { assign: vec![got.1.clone()] }).feasible, "{:?}", got.1);
            assert!((0..lo).chain(hi..days).all(|d| got.1[d] == base[d]));
            assert!((got.0 - price(&got.1)).abs() < 1e-9);
            let raw = window(&p, 0, &cost, &[0.0, 0.0], &base, lo, hi, Track { minutes: true, weekends: true }, p.staff[0].min_minutes).unwrap();
            assert!(raw.0 <= brute + 1e-9, "the program misses a row: {} > {brute}", raw.0);
            if p.staff[0].max_shifts[1] as usize >= days {
                assert!((got.0 - brute).abs() < 1e-9, "window {lo}..{hi}: dp {} brute {brute}", got.0);
            }
        }
    }
}
