//! Rostering the exchange's own shifts: a business's open shifts in a date
//! range become a `slivers_roster::Problem` in which every shift is its own
//! slot, candidates come from the matching index, and every pairwise
//! interaction between two shifts for one worker (overlap, rest, caps) is
//! decided by the rule checker and handed to the optimizer as a conflict.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::Serialize;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_core::rules::{first_failure, Mode, Proposal};
use slivers_core::Interval;
use slivers_match::Query;
use slivers_roster::{Cover, Problem, Request, ShiftType, Staff};
use slivers_store::{BookingFilter, Page, Scope, ShiftFilter};
use slivers_core::Invalid;
use slivers_store::{BookMode, BookRequest, Booking};

use crate::{Exchange, ExchangeError, Principal, Result};

pub mod fairness;

/// Candidates considered per shift.
const CANDIDATES_PER_SHIFT: usize = 25;
/// Penalty per unfilled place, far above any preference weight.
const UNFILLED: u32 = 1000;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unfilled {
    pub shift_id: ShiftId,
    pub places: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerMinutes {
    pub worker_id: WorkerId,
    pub name: String,
    pub minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterProposal {
    pub assignments: Vec<Assignment>,
    pub unfilled: Vec<Unfilled>,
    pub minutes_per_worker: Vec<WorkerMinutes>,
    /// Of the roster as proposed (after the rule-checker replay), recomputed by
    /// the independent validator: 1000 per unfilled place plus the preference
    /// penalties (100 × score not used).
    pub objective: u64,
    /// A lower bound from the same model.
    pub bound: f64,
    /// `(objective - bound) / objective`, of the roster as proposed.
    pub gap: f64,
    /// The optimizer's own objective before the replay.
    pub solver_objective: u64,
    /// Assignments the replay dropped because the rule checker refused them
    /// (interactions of three or more shifts the model does not see).
    pub dropped: usize,
    pub shifts: usize,
    pub candidates: usize,
    pub seconds: f64,
    /// How much the business weighed fairness against match quality (0 to 100; 0: cost only).
    pub fairness_weight: f64,
    /// The standard deviation, over every candidate who wants work, of
    /// (minutes held in the range with this roster ÷ minutes wanted in it).
    /// Lower is fairer.
    pub fairness_spread: f64,
    /// How many candidates the spread is over.
    pub fairness_population: usize,
    /// With a fairness weight: the cost-only roster the optimizer found first,
    /// so the price of fairness is on the page.
    pub cost_only: Option<CostOnly>,
}

/// The roster before fairness moved any place.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostOnly {
    pub objective: u64,
    pub fairness_spread: f64,
    /// Places the fairness pass moved to another candidate.
    pub moved: usize,
}

/// Check a proposal's range (at most 31 days; `to` defaults to a week after
/// `from`), time budget (0.1 to 30 s, default 1.5) and fairness weight (0 to
/// 100, default 0), naming the bad field.
pub fn checked_request(from: Timestamp, to: Option<Timestamp>, seconds: Option<f64>, fairness_weight: Option<f64>) -> Result<(Interval, f64, f64)> {
    let range = Interval::new(from, to.unwrap_or_else(|| week_from(from).end))
        .map_err(|Invalid(e)| Invalid(e.into_iter().map(|f| slivers_core::FieldError::new("to", f.reason)).collect()))?;
    if range.minutes() > 31 * 24 * 60 {
        return Err(Invalid::one("to", "a roster covers at most 31 days").into());
    }
    let seconds = seconds.unwrap_or(1.5);
    if !(0.1..=30.0).contains(&seconds) {
        return Err(Invalid::one("seconds", "must be 0.1 to 30").into());
    }
    let weight = fairness_weight.unwrap_or(0.0);
    if !(0.0..=fairness::MAX_WEIGHT).contains(&weight) {
        return Err(Invalid::one("fairness_weight", "must be 0 to 100").into());
    }
    Ok((range, seconds, weight))
}

/// Propose a roster for `business`'s open shifts starting in `[from, to)`.
pub async fn propose(ex: &Exchange, who: &Principal, business: BusinessId, range: Interval, mode: Mode, seconds: f64, fairness_weight: f64) -> Result<RosterProposal> {
    let started = std::time::Instant::now();
    let business = ex.store.get_business(business, &who.scope).await?.id;
    let scope = &who.scope;
    let now = ex.now();
    let filter = ShiftFilter { business: Some(business), from: Some(range.start), to: Some(range.end) };
    let shifts: Vec<Shift> = ex
        .store
        .list_shifts(&filter, scope, Page::all())
        .await?
        .into_iter()
        .filter(|s| s.status == ShiftStatus::Open && s.window.start > now && s.window.start >= range.start)
        .collect();
    // Places still open on each shift.
    let mut need = Vec::with_capacity(shifts.len());
    for s in &shifts {
        let b = ex.store.list_bookings(&BookingFilter { shift: Some(s.id), ..Default::default() }, &Scope::All, Page::all()).await?;
        let filled = b.iter().filter(|b| b.status.holds_time()).count() as u32;
        need.push(s.headcount.saturating_sub(filled));
    }
    let (workers, staff, names, cands) = ex.with_index(|index| candidates_and_staff(index, &shifts, &need, now, mode, ex.weights()))??;
    let n = shifts.len();
    let types = shifts.iter().map(|s| ShiftType { name: s.id.to_string(), minutes: s.window.minutes() as u32, forbidden_next: Vec::new() }).collect();
    let zero = Cover { requirement: 0, weight_under: 0, weight_over: 0 };
    let mut cover = vec![vec![zero; n]; n];
    for i in 0..n {
        cover[i][i] = Cover { requirement: need[i], weight_under: UNFILLED, weight_over: UNFILLED };
    }
    let problem = Problem { days: n, shifts: types, staff, cover };
    let candidates = workers.len();
    // The budget is the solver's; with fairness weighed a fifth of it goes
    // to the fairness pass instead.
    let solver_seconds = if fairness_weight > 0.0 { seconds * 0.8 } else { seconds };
    let effort = ex.roster_effort;
    let outcome = tokio::task::spawn_blocking(move || {
        slivers_roster::solve(&problem, slivers_roster::Options { seconds: solver_seconds, seed: 1, effort }, |_| {}).map(|o| (o, problem))
    })
    .await
    // A solver that panicked or found nothing valid is the optimizer failing,
    // not the request: 503 with the cause logged, and the caller may retry.
    .map_err(|e| ExchangeError::Unavailable(format!("the roster optimizer stopped: {e}")))?
    .map_err(|e| ExchangeError::Unavailable(format!("the roster optimizer found no roster: {e}")))?;
    let (out, problem) = outcome;
    if !out.report.feasible {
        return Err(ExchangeError::Unavailable(format!("the optimizer's roster failed validation: {:?}", out.report.violations.first())));
    }
    // The model sees pairs of shifts; the rule checker sees everything. Replay
    // each worker's shifts in time order against the checker and keep only
    // what it allows, so the proposal is exactly what applying it will accept.
    let mut on: Vec<Vec<WorkerId>> = vec![Vec::new(); n];
    let mut dropped = 0usize;
    // The fairness pass runs to the end of the budget, and gets at least a
    // fifth of it even when the solver overran (a loaded machine).
    let deadline = (started + std::time::Duration::from_secs_f64(seconds)).max(std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds * 0.2));
    let (spread_before, replayed, fairness) = ex.with_index(|index| {
        for (e, row) in out.solution.assign.iter().enumerate() {
            let Some(entry) = index.entry(workers[e]) else { continue };
            let mut booked = entry.booked.clone();
            let mut given: Vec<&Shift> = Vec::new();
            let mut mine: Vec<usize> = (0..n).filter(|d| row[*d].is_some()).collect();
            mine.sort_by_key(|d| shifts[*d].window.start);
            for d in mine {
                let mut p = Proposal::new(&entry.worker, &booked, &shifts[d], now, mode);
                p.onsite_with_business = onsite_count(entry, &shifts[d], &given);
                if first_failure(&p).is_some() {
                    dropped += 1;
                    continue;
                }
                given.push(&shifts[d]);
                booked.push(shifts[d].window);
                booked.sort();
                on[d].push(workers[e]);
            }
        }
        let shares = fairness::Shares::new(index, &workers, range);
        let mut roster = fairness::Roster { shifts: &shifts, cands: &cands, on: std::mem::take(&mut on), now, mode };
        let before = shares.spread(&roster.minutes());
        let replayed = roster.on.clone();
        let moved = fairness::rebalance(index, &shares, &mut roster, fairness_weight, deadline);
        let after = shares.spread(&roster.minutes());
        on = roster.on;
        (before, replayed, (moved, after, shares.population()))
    })?;
    let (moved, fairness_spread, fairness_population) = fairness;
    let index_of: HashMap<WorkerId, usize> = workers.iter().enumerate().map(|(e, w)| (*w, e)).collect();
    let proposal = |on: &[Vec<WorkerId>]| {
        let mut applied = slivers_roster::Solution::empty(&problem);
        for (d, ws) in on.iter().enumerate() {
            for w in ws {
                applied.assign[index_of[w]][d] = Some(d);
            }
        }
        slivers_roster::validate(&problem, &applied).objective.total
    };
    let mut assignments = Vec::new();
    let mut minutes: BTreeMap<WorkerId, i64> = BTreeMap::new();
    for (d, ws) in on.iter().enumerate() {
        for w in ws {
            assignments.push(Assignment { shift_id: shifts[d].id, worker_id: *w });
            *minutes.entry(*w).or_default() += shifts[d].window.minutes();
        }
    }
    let unfilled = (0..n)
        .filter_map(|i| {
            let want = problem.cover[i][i].requirement;
            let got = on[i].len() as u32;
            (want > got).then(|| Unfilled { shift_id: shifts[i].id, places: want - got })
        })
        .collect();
    let minutes_per_worker = minutes
        .into_iter()
        .map(|(w, m)| WorkerMinutes { worker_id: w, name: names.get(&w).cloned().unwrap_or_default(), minutes: m })
        .collect();
    // Honest numbers: the objective of what is proposed, by the validator, against the same bound.
    let objective = proposal(&on);
    let gap = if objective == 0 { 0.0 } else { ((objective as f64 - out.bound) / objective as f64).max(0.0) };
    let cost_only = (fairness_weight > 0.0).then(|| CostOnly { objective: proposal(&replayed), fairness_spread: spread_before, moved });
    Ok(RosterProposal {
        assignments,
        unfilled,
        minutes_per_worker,
        objective,
        bound: out.bound,
        gap,
        solver_objective: out.objective,
        dropped,
        shifts: n,
        candidates,
        seconds: started.elapsed().as_secs_f64(),
        fairness_weight,
        fairness_spread,
        fairness_population,
        cost_only,
    })
}

/// `Proposal::onsite_with_business` for `shift`: the worker's on-site history
/// in the index plus the on-site shifts `given` to them before it here, as
/// `Store::book_many` will count them when it books the roster in order.
fn onsite_count(e: &slivers_match::WorkerEntry, shift: &Shift, given: &[&Shift]) -> u32 {
    let here = given.iter().filter(|g| !g.is_remote() && g.business_id == shift.business_id && g.window.start < shift.window.start).count();
    e.onsite_before(shift).saturating_add(u32::try_from(here).unwrap_or(u32::MAX))
}

/// The candidates of every shift as staff of the model: each may work only the
/// shifts they are a candidate for, with the pairwise conflicts the rule
/// checker finds and their weekly room as the minutes cap.
#[allow(clippy::type_complexity)]
fn candidates_and_staff(
    index: &slivers_match::Index,
    shifts: &[Shift],
    need: &[u32],
    now: Timestamp,
    mode: Mode,
    weights: slivers_match::Weights,
) -> Result<(Vec<WorkerId>, Vec<Staff>, HashMap<WorkerId, String>, Vec<Vec<(WorkerId, f32)>>)> {
    // Candidates per shift, and the staff list they form.
    let mut staff_of: BTreeMap<WorkerId, usize> = BTreeMap::new();
    let mut cands: Vec<Vec<(WorkerId, f32)>> = Vec::with_capacity(shifts.len());
    for (i, s) in shifts.iter().enumerate() {
        if need[i] == 0 {
            cands.push(Vec::new());
            continue;
        }
        let q = Query { shift: s.clone(), mode, now, limit: CANDIDATES_PER_SHIFT, weights };
        let c: Vec<(WorkerId, f32)> = index.search(&q).into_iter().map(|c| (c.worker_id, c.score.total)).collect();
        for (w, _) in &c {
            let n = staff_of.len();
            staff_of.entry(*w).or_insert(n);
        }
        cands.push(c);
    }
    let n = shifts.len();
    let workers: Vec<WorkerId> = {
        let mut v = vec![WorkerId(0); staff_of.len()];
        for (w, i) in &staff_of {
            v[*i] = *w;
        }
        v
    };
    let mut staff: Vec<Staff> = Vec::with_capacity(workers.len());
    for w in &workers {
        let e = index.entry(*w).ok_or(ExchangeError::Internal("candidate vanished from the index".into()))?;
        let mine: Vec<usize> = (0..n).filter(|i| cands[*i].iter().any(|(c, _)| c == w)).collect();
        let mut unavailable = vec![vec![true; n]; n];
        let mut on_requests = Vec::new();
        for &i in &mine {
            unavailable[i][i] = false;
            let score = cands[i].iter().find(|(c, _)| c == w).map_or(0.0, |(_, s)| *s);
            on_requests.push(Request { day: i, shift: i, weight: (score * 100.0).round() as u32 });
        }
        // Two shifts conflict for this worker if the rules refuse the second once the first is booked.
        let mut conflicts = Vec::new();
        for (x, &a) in mine.iter().enumerate() {
            for &b in &mine[x + 1..] {
                let mut booked = e.booked.clone();
                booked.push(shifts[a].window);
                booked.sort();
                let mut p = Proposal::new(&e.worker, &booked, &shifts[b], now, mode);
                p.onsite_with_business = onsite_count(e, &shifts[b], &[&shifts[a]]);
                if first_failure(&p).is_some() {
                    conflicts.push([(a, a), (b, b)]);
                }
            }
        }
        let weekly_room = weekly_room(e, &shifts, &mine);
        staff.push(Staff {
            name: e.worker.name.clone(),
            max_shifts: vec![1; n],
            max_minutes: weekly_room,
            min_minutes: 0,
            max_consecutive: n as u32,
            min_consecutive: 0,
            min_days_off: 0,
            max_weekends: n as u32,
            day_off: vec![false; n],
            unavailable,
            conflicts,
            on_requests,
            off_requests: Vec::new(),
        });
    }
    let names: HashMap<WorkerId, String> = workers.iter().filter_map(|w| index.entry(*w).map(|e| (*w, e.worker.name.clone()))).collect();
    Ok((workers, staff, names, cands))
}

/// Minutes the worker may still take in the tightest local week the shifts touch.
fn weekly_room(e: &slivers_match::WorkerEntry, shifts: &[Shift], mine: &[usize]) -> u32 {
    let zone = &e.worker.zone;
    let cap = i64::from(e.worker.limits.max_minutes_per_week);
    let mut room = cap;
    let mut seen = std::collections::BTreeSet::new();
    for &i in mine {
        let monday = slivers_core::Zone::iso_week_start(zone.date(shifts[i].window.start));
        if !seen.insert(monday) {
            continue;
        }
        let week = slivers_core::availability::local_week(zone, monday);
        let used: i64 = e.booked.iter().filter_map(|b| b.intersection(&week)).map(|b| b.minutes()).sum();
        room = room.min(cap - used);
    }
    room.max(0) as u32
}

/// The week starting at `start`: the default range of a roster proposal.
pub fn week_from(start: Timestamp) -> Interval {
    Interval { start, end: start + jiff::SignedDuration::from_hours(24 * 7) }
}

/// One place of a roster to apply.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
}

/// Apply a roster as bookings or offers in one transaction that re-checks
/// every rule: all are written, or none, and a refusal names the rule.
pub async fn apply(ex: &Exchange, who: &Principal, business: BusinessId, planned: &[Planned], mode: BookMode) -> Result<Vec<Booking>> {
    if who.worker().is_some() {
        return Err(ExchangeError::NotFound("business"));
    }
    let business = ex.store.get_business(business, &who.scope).await?.id;
    if planned.is_empty() || planned.len() > 2000 {
        return Err(Invalid::one("assignments", "must list 1 to 2000 assignments").into());
    }
    let now = ex.now();
    let mut requests = Vec::with_capacity(planned.len());
    for (i, a) in planned.iter().enumerate() {
        // Every shift must be this business's. The business (the URL) exists;
        // a shift the body names that is another's reads exactly like one
        // that does not exist: bad input naming the field, never a hint.
        let shift = match ex.store.get_shift(a.shift_id, &Scope::Business(business)).await {
            Err(slivers_store::StoreError::NotFound(_)) => {
                return Err(Invalid::one(format!("assignments[{i}].shift_id"), "no shift of this business has this id").into());
            }
            other => other?,
        };
        requests.push(BookRequest { shift_id: shift.id, worker_id: a.worker_id, mode, now, offer_expires_at: Some(shift.window.start) });
    }
    // A stable order keeps lock order predictable across concurrent applies.
    requests.sort_by_key(|q| (q.shift_id, q.worker_id));
    let bookings = ex.store.book_many(&requests, &who.actor).await?;
    ex.refresh().await;
    Ok(bookings)
}
