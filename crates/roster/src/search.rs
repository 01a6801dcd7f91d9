//! Local search by exact best responses: with everyone else fixed, the cost
//! of one person working (day, type) is known exactly (the cover penalty it
//! adds or removes, plus their own requests), so their best row is one
//! dynamic program ([`dp::best`]). Sweeping everyone until nobody improves
//! gives a local optimum; a kick re-plans a few people against noisy costs
//! and the sweep runs again, keeping the result only if it is no worse.
//!
//! The objective is kept incrementally here; every roster handed out is
//! judged again by the independent validator in `solve`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use crate::dp;
use crate::model::Problem;

pub(crate) static DP_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub(crate) type Rows = Vec<Vec<Option<usize>>>;

/// What the threads share: the best roster so far and the best bound.
pub(crate) struct Shared {
    pub best: Mutex<Option<(i64, Rows)>>,
    pub bound: Mutex<f64>,
    pub stop: AtomicBool,
}

impl Shared {
    pub fn new() -> Shared {
        Shared { best: Mutex::new(None), bound: Mutex::new(0.0), stop: AtomicBool::new(false) }
    }
    pub fn best_objective(&self) -> Option<i64> {
        self.best.lock().ok()?.as_ref().map(|b| b.0)
    }
    /// Offer a roster; kept if it beats the shared best.
    pub fn offer(&self, obj: i64, rows: &Rows) {
        if let Ok(mut b) = self.best.lock() {
            if b.as_ref().is_none_or(|x| obj < x.0) {
                *b = Some((obj, rows.clone()));
            }
        }
    }
    pub fn bound(&self) -> f64 {
        self.bound.lock().map(|b| *b).unwrap_or(0.0)
    }
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// How [`State::respond`] takes a best response.
pub(crate) enum Mode<'r> {
    /// Only if strictly better.
    Improve,
    /// Whatever it costs (a first row that keeps the rules).
    Force,
    /// Best response to costs perturbed by up to the amplitude, whatever it costs (a kick).
    Noise(&'r mut fastrand::Rng, f64),
    /// As `Noise`, and working type `t` on day `d` (if the rules allow).
    Insist(usize, usize, &'r mut fastrand::Rng, f64),
}

/// A roster with its cover counts and objective, kept in step.
#[derive(Clone)]
pub(crate) struct State<'a> {
    p: &'a Problem,
    pub rows: Rows,
    /// `n[day][type]`: staff working it.
    n: Vec<Vec<u32>>,
    pub obj: i64,
    /// Per person: request weight on (day, type), positive if working it is
    /// penalised (shift-off), negative if it is wanted (shift-on).
    req: &'a [Vec<Vec<i64>>],
    /// People whose prices changed since their last best response (with a
    /// day that changed, to centre a window on).
    dirty: Vec<Option<usize>>,
}

/// Per person, day and type: the request cost of working it (off requests
/// add, on requests subtract); the on-requests' total is a constant.
pub(crate) fn request_costs(p: &Problem) -> Vec<Vec<Vec<i64>>> {
    p.staff
        .iter()
        .map(|st| {
            let mut c = vec![vec![0i64; p.shifts.len()]; p.days];
            for r in &st.off_requests {
                c[r.day][r.shift] += i64::from(r.weight);
            }
            for r in &st.on_requests {
                c[r.day][r.shift] -= i64::from(r.weight);
            }
            c
        })
        .collect()
}

impl<'a> State<'a> {
    pub fn new(p: &'a Problem, req: &'a [Vec<Vec<i64>>], rows: Rows) -> State<'a> {
        let mut n = vec![vec![0u32; p.shifts.len()]; p.days];
        for row in &rows {
            for (d, a) in row.iter().enumerate() {
                if let Some(t) = a {
                    n[d][*t] += 1;
                }
            }
        }
        let dirty = vec![Some(0); p.staff.len()];
        let mut s = State { p, rows, n, obj: 0, req, dirty };
        s.obj = s.recompute();
        s
    }

    /// The objective from scratch (cover, then requests).
    pub fn recompute(&self) -> i64 {
        let p = self.p;
        let mut obj = 0i64;
        for d in 0..p.days {
            for t in 0..p.shifts.len() {
                let c = p.cover[d][t];
                let (n, r) = (i64::from(self.n[d][t]), i64::from(c.requirement));
                obj += if n < r { (r - n) * i64::from(c.weight_under) } else { (n - r) * i64::from(c.weight_over) };
            }
        }
        for (e, st) in p.staff.iter().enumerate() {
            obj += st.on_requests.iter().map(|r| i64::from(r.weight)).sum::<i64>();
            for (d, a) in self.rows[e].iter().enumerate() {
                if let Some(t) = a {
                    obj += self.req[e][d][*t];
                }
            }
        }
        obj
    }

    /// Exact cost of person `e` working (d, t) given everyone else, for days `lo..hi`.
    fn costs(&self, e: usize, lo: usize, hi: usize) -> Vec<Vec<f64>> {
        let p = self.p;
        let mut c = vec![Vec::new(); p.days];
        for d in lo..hi {
            c[d] = (0..p.shifts.len())
                .map(|t| {
                    let others = self.n[d][t] - u32::from(self.rows[e][d] == Some(t));
                    let cv = p.cover[d][t];
                    let cover = if others < cv.requirement { -i64::from(cv.weight_under) } else { i64::from(cv.weight_over) };
                    (cover + self.req[e][d][t]) as f64
                })
                .collect();
        }
        c
    }

    fn row_cost(c: &[Vec<f64>], row: &[Option<usize>], lo: usize, hi: usize) -> f64 {
        (lo..hi).filter_map(|d| row[d].map(|t| c[d][t])).sum()
    }

    fn set_row(&mut self, e: usize, row: Vec<Option<usize>>, delta: i64) {
        let p = self.p;
        for d in 0..p.days {
            let (old, new) = (self.rows[e][d], row[d]);
            if old == new {
                continue;
            }
            for (t, up) in [(old, false), (new, true)].into_iter().filter_map(|(t, up)| t.map(|t| (t, up))) {
                let before = self.n[d][t];
                self.n[d][t] = if up { before + 1 } else { before - 1 };
                // Others' price of this place changes only when its count
                // passes the requirement: for those not working it between
                // req - 1 and req, for those working it between req and req + 1.
                let req = p.cover[d][t].requirement;
                let lowest = before.min(self.n[d][t]);
                if lowest + 1 == req || lowest == req {
                    let workers = lowest == req;
                    for x in 0..p.staff.len() {
                        if x != e && p.staff[x].can_work(d, t) && (self.rows[x][d] == Some(t)) == workers {
                            self.dirty[x] = Some(d);
                        }
                    }
                }
            }
        }
        self.rows[e] = row;
        self.obj += delta;
    }

    /// Replace person `e`'s days `lo..hi` by their best response if it is
    /// strictly better, or as `mode` says. Returns whether the row changed.
    pub fn respond(&mut self, e: usize, lo: usize, hi: usize, mode: Mode<'_>) -> bool {
        DP_CALLS.fetch_add(1, Ordering::Relaxed);
        let c = self.costs(e, lo, hi);
        let old = Self::row_cost(&c, &self.rows[e], lo, hi);
        let forced = !matches!(mode, Mode::Improve);
        let insist = if let Mode::Insist(d, t, ..) = mode { Some((d, t)) } else { None };
        let plan = match mode {
            Mode::Noise(rng, amp) | Mode::Insist(_, _, rng, amp) => {
                let mut noisy = c.clone();
                if let Some((d, t)) = insist {
                    noisy[d][t] -= 1e5;
                }
                for row in noisy[lo..hi].iter_mut() {
                    for x in row.iter_mut() {
                        *x += amp * (rng.f64() - 0.5);
                    }
                }
                dp::best(self.p, e, &noisy, &self.rows[e], lo, hi, self.p.staff[e].min_minutes)
            }
            _ => dp::best(self.p, e, &c, &self.rows[e], lo, hi, self.p.staff[e].min_minutes),
        };
        let Some((_, row)) = plan else { return false };
        if row == self.rows[e] {
            return false;
        }
        let new = Self::row_cost(&c, &row, lo, hi);
        if !forced && new >= old - 1e-9 {
            return false;
        }
        self.set_row(e, row, (new - old).round() as i64);
        true
    }
}

impl State<'_> {
    /// Put `row` in place of person `e`'s row (which the caller knows to be
    /// feasible), keeping the objective in step.
    fn replace(&mut self, e: usize, row: Vec<Option<usize>>) {
        let c = self.costs(e, 0, self.p.days);
        let delta = Self::row_cost(&c, &row, 0, self.p.days) - Self::row_cost(&c, &self.rows[e], 0, self.p.days);
        self.set_row(e, row, delta.round() as i64);
    }

    /// Swap two people's days `lo..hi` if both rows still keep their rules
    /// (cover is unchanged; who works what changes, which opens new best
    /// responses to both). Returns whether it did.
    fn swap(&mut self, a: usize, b: usize, lo: usize, hi: usize) -> bool {
        let (mut ra, mut rb) = (self.rows[a].clone(), self.rows[b].clone());
        ra[lo..hi].clone_from_slice(&self.rows[b][lo..hi]);
        rb[lo..hi].clone_from_slice(&self.rows[a][lo..hi]);
        if ra == self.rows[a] || !fits(self.p, a, &ra, lo, hi) || !fits(self.p, b, &rb, lo, hi) {
            return false;
        }
        self.replace(a, ra);
        self.replace(b, rb);
        true
    }

    /// A random (day, type) with fewer staff than required, if any.
    fn short_place(&self, rng: &mut fastrand::Rng) -> Option<(usize, usize)> {
        let p = self.p;
        let short: Vec<(usize, usize)> = (0..p.days)
            .flat_map(|d| (0..p.shifts.len()).map(move |t| (d, t)))
            .filter(|&(d, t)| self.n[d][t] < p.cover[d][t].requirement && p.cover[d][t].weight_under > 0)
            .collect();
        (!short.is_empty()).then(|| short[rng.usize(0..short.len())])
    }
}

/// Whether `row` keeps person `e`'s rules, given that it differs from a
/// feasible row only on days `lo..hi`: the program, priced to reproduce
/// exactly those days, finds it or something else.
fn fits(p: &Problem, e: usize, row: &[Option<usize>], lo: usize, hi: usize) -> bool {
    let cost: Vec<Vec<f64>> = (0..p.days)
        .map(|d| (0..p.shifts.len()).map(|t| if d >= lo && d < hi && row[d] == Some(t) { -1.0 } else { 1.0 }).collect())
        .collect();
    let mut base = row.to_vec();
    for x in &mut base[lo..hi] {
        *x = None;
    }
    dp::best(p, e, &cost, &base, lo, hi, p.staff[e].min_minutes).is_some_and(|(_, r)| r == row)
}

/// A window of `win` days containing `day` (the whole horizon if it fits).
fn around(days: usize, win: usize, day: usize, rng: &mut fastrand::Rng) -> (usize, usize) {
    if win >= days {
        return (0, days);
    }
    let lo = rng.usize(day.saturating_sub(win - 1)..=day.min(days - win));
    (lo, lo + win)
}

/// Window length for best responses: the whole horizon where the program
/// is cheap enough, else four weeks (very long horizons with many types).
pub(crate) fn window_len(p: &Problem) -> usize {
    let st = p.staff.iter().max_by_key(|s| s.max_consecutive).map(|s| (s.max_consecutive as usize).max(1) * 2 * p.shifts.len() + 4).unwrap_or(4);
    let work = p.days as f64 * st as f64 * (p.shifts.len() + 1) as f64 * (p.days as f64 / 7.0 + 1.0).min(8.0) * (p.days as f64 / 2.0);
    if work < 4e7 { p.days } else { 28.min(p.days) }
}

/// Sweep everyone (in random order, each over random windows if the horizon
/// is long) until a whole sweep improves nothing, or `deadline`.
pub(crate) fn descend(s: &mut State, rng: &mut fastrand::Rng, win: usize, deadline: Instant, shared: &Shared) {
    let p = s.p;
    loop {
        let mut todo: Vec<(usize, usize)> = s.dirty.iter().enumerate().filter_map(|(e, d)| d.map(|d| (e, d))).collect();
        if todo.is_empty() {
            return;
        }
        rng.shuffle(&mut todo);
        for (e, d) in todo {
            if Instant::now() >= deadline || shared.stopped() {
                return;
            }
            if s.dirty[e].is_none() {
                continue;
            }
            s.dirty[e] = None;
            let w = if rng.u8(0..4) == 0 { win } else { win.min(SWEEP_DAYS) };
            let (lo, hi) = around(p.days, w, d, rng);
            s.respond(e, lo, hi, Mode::Improve);
        }
    }
}

/// A first roster: everyone off, then best responses in turn (each person's
/// row keeps their rules; cover makes the next person's costs). Over a long
/// horizon the row is built window by window from the start, each window
/// reaching its share of the minimum minutes (the last one all of it).
pub(crate) fn construct<'a>(p: &'a Problem, req: &'a [Vec<Vec<i64>>], rng: &mut fastrand::Rng, win: usize, deadline: Instant) -> Option<State<'a>> {
    let mut s = State::new(p, req, vec![vec![None; p.days]; p.staff.len()]);
    let mut order: Vec<usize> = (0..p.staff.len()).collect();
    rng.shuffle(&mut order);
    for e in order {
        if Instant::now() >= deadline {
            return None;
        }
        if win >= p.days {
            if !s.respond(e, 0, p.days, Mode::Force) && s.rows[e].iter().all(Option::is_none) {
                // Either the empty row is already best and feasible, or nothing is.
                dp::best(p, e, &s.costs(e, 0, p.days), &s.rows[e], 0, p.days, p.staff[e].min_minutes)?;
            }
            continue;
        }
        let mut lo = 0;
        while lo < p.days {
            let hi = (lo + win).min(p.days);
            // Run a little ahead of the pro-rata share, so that the last
            // windows are not left to catch up with fewer weekends to use.
            let st = &p.staff[e];
            let lead = (u64::from(st.min_minutes) * 2 / p.days as u64) as u32;
            let share = ((u64::from(st.min_minutes) * hi as u64 / p.days as u64) as u32 + lead).min(st.min_minutes);
            let c = s.costs(e, lo, hi);
            let Some((_, row)) = dp::best(p, e, &c, &s.rows[e], lo, hi, share) else {
                if std::env::var_os("ROSTER_DEBUG").is_some() {
                    eprintln!("construct: person {e} window {lo}..{hi} share {share}: no row; {:?}", p.staff[e]);
                }
                return None;
            };
            let delta = (State::row_cost(&c, &row, lo, hi) - State::row_cost(&c, &s.rows[e], lo, hi)).round() as i64;
            s.set_row(e, row, delta);
            lo = hi;
        }
    }
    Some(s)
}

/// Late-acceptance length: a kick's result is kept if no worse than the
/// roster this many kicks ago.
const LATE: usize = 20;
/// Kicks without a new best before continuing from the shared best.
const STALE: u32 = 150;
/// Most sweeps re-plan a person over this many days around what changed
/// (three times cheaper than the whole month, and as good per second);
/// one in four re-plans the whole horizon so minutes can move across it.
const SWEEP_DAYS: usize = 10;

/// One search thread until `deadline`: construct, descend, then kick and
/// descend again, sharing improvements through `shared`.
pub(crate) fn run(p: &Problem, seed: u64, deadline: Instant, shared: &Shared) {
    let req = request_costs(p);
    let mut rng = fastrand::Rng::with_seed(seed);
    let win = window_len(p);
    let Some(mut cur) = construct(p, &req, &mut rng, win, deadline) else { return };
    descend(&mut cur, &mut rng, win, deadline, shared);
    shared.offer(cur.obj, &cur.rows);
    let mut stale = 0u32;
    let mut kicks = 0u64;
    let mut best_obj = cur.obj;
    let mut history = vec![cur.obj; LATE];
    while Instant::now() < deadline && !shared.stopped() {
        kicks += 1;
        let mut trial = cur.clone();
        let amp = [20.0, 60.0, 150.0, 300.0][rng.usize(0..4)];
        let kind = rng.u8(0..3);
        if kind == 0 {
            // Ejection: someone takes a place that is short, whatever it
            // costs them; the sweep then repairs what that breaks.
            if let Some((d, t)) = trial.short_place(&mut rng) {
                let able: Vec<usize> = (0..p.staff.len()).filter(|e| p.staff[*e].can_work(d, t) && trial.rows[*e][d] != Some(t)).collect();
                if !able.is_empty() {
                    let e = able[rng.usize(0..able.len())];
                    let (lo, hi) = around(p.days, win, d, &mut rng);
                    trial.respond(e, lo, hi, Mode::Insist(d, t, &mut rng, amp * 0.2));
                }
            }
        } else if kind == 1 && p.staff.len() > 1 {
            // Two people trade a few days, then both respond anew.
            for _ in 0..10 {
                let (a, b) = (rng.usize(0..p.staff.len()), rng.usize(0..p.staff.len()));
                let len = rng.usize(1..=7.min(p.days));
                let lo = rng.usize(0..=p.days - len);
                if a != b && trial.swap(a, b, lo, lo + len) {
                    trial.dirty[a] = Some(lo);
                    trial.dirty[b] = Some(lo);
                    break;
                }
            }
        } else {
            let k = 1 + rng.usize(0..3.min(p.staff.len()));
            for _ in 0..k {
                let e = rng.usize(0..p.staff.len());
                let (lo, hi) = around(p.days, win, rng.usize(0..p.days), &mut rng);
                trial.respond(e, lo, hi, Mode::Noise(&mut rng, amp));
            }
        }
        descend(&mut trial, &mut rng, win, deadline, shared);
        // Late acceptance: no worse than the current roster, or than the
        // current roster was `LATE` kicks ago; the best is kept aside.
        let slot = (kicks as usize) % history.len();
        if trial.obj <= cur.obj || trial.obj <= history[slot] {
            if trial.obj < best_obj {
                best_obj = trial.obj;
                stale = 0;
                shared.offer(trial.obj, &trial.rows);
            }
            cur = trial;
        } else {
            stale += 1;
        }
        history[slot] = cur.obj;
        // Long without progress: continue from the shared best.
        if stale > STALE {
            stale = 0;
            if let Ok(b) = shared.best.lock() {
                if let Some((_, rows)) = b.as_ref() {
                    cur = State::new(p, &req, rows.clone());
                }
            }
        }
        if let Some(b) = shared.best_objective() {
            if (b as f64) <= (shared.bound() - 1e-6).ceil() {
                shared.stop.store(true, Ordering::Relaxed);
            }
        }
    }
    debug_assert_eq!(cur.obj, cur.recompute());
    if std::env::var_os("ROSTER_DEBUG").is_some() {
        eprintln!("seed {seed}: {kicks} kicks, {} dp calls", DP_CALLS.load(Ordering::Relaxed));
    }
}
