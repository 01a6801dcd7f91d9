//! Property test: the index's bounded search (postings, score bounds, exact
//! scores only in bound order) returns exactly the list of the exhaustive
//! search (every candidate scored from its entry and sorted): the same
//! workers in the same order with bit-identical scores, at every limit, for
//! ranking weights that tie everyone, that lean on one part, or are random,
//! in both modes, before and after the index's copies are rewritten by
//! booking, track-record and profile changes.
//!
//! The markets are dense (`agreement/dense.rs`), workers carry bookings and
//! track records so the fairness and reliability parts vary, and the
//! exhaustive side reads every pre-filter from the entry, not the postings:
//! a posting left stale by an update shows up as a difference.

#![allow(clippy::float_arithmetic, clippy::unwrap_used)]

#[path = "agreement/dense.rs"]
mod dense;

use std::collections::HashMap;

use fastrand::Rng;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use slivers_core::business::Shift;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::Mode;
use slivers_core::skills::Level;
use slivers_core::worker::{TrackRecord, Worker};
use slivers_core::{Interval, Money};
use slivers_demo::MarketSpec;
use slivers_match::{default_horizon, Candidate, Index, Query, Weights};

const MARKETS: u64 = 6;
const LIMITS: [usize; 5] = [1, 3, 10, 50, usize::MAX];

fn weight_sets(rng: &mut Rng) -> Vec<Weights> {
    let zero = Weights { skill_fit: 0.0, reputation: 0.0, reliability: 0.0, distance: 0.0, cost: 0.0, fairness: 0.0 };
    vec![
        Weights::default(),
        // Everyone ties: the order is the worker id.
        zero,
        Weights { fairness: 1.0, ..zero },
        Weights { distance: 1.0, skill_fit: 0.1, ..zero },
        Weights { skill_fit: 1.0, ..zero },
        Weights {
            skill_fit: rng.f32(),
            reputation: rng.f32(),
            reliability: rng.f32(),
            distance: rng.f32(),
            cost: rng.f32(),
            fairness: rng.f32(),
        },
        // Negative: the search falls back to scoring everyone.
        Weights { cost: -0.5, ..Weights::default() },
    ]
}

fn random_track(rng: &mut Rng, id: WorkerId) -> TrackRecord {
    let cancelled = rng.i64(0..=4);
    TrackRecord { worker_id: id, completed: rng.i64(0..=30), no_shows: rng.i64(0..=2), cancelled_by_worker: cancelled, late_cancellations: rng.i64(0..=cancelled) }
}

/// A few bookings inside the worker's horizon: some on the market's shift
/// windows, some anywhere.
fn random_bookings(rng: &mut Rng, shifts: &[Shift], now: Timestamp) -> Vec<Interval> {
    (0..rng.usize(0..=3))
        .map(|_| {
            if rng.bool() && !shifts.is_empty() {
                shifts[rng.usize(..shifts.len())].window
            } else {
                let start = now + SignedDuration::from_mins(15 * rng.i64(0..4 * 24 * 20));
                Interval::new(start, start + SignedDuration::from_mins(30 * rng.i64(2..=16))).unwrap()
            }
        })
        .collect()
}

fn key(found: &[Candidate]) -> Vec<(WorkerId, u32)> {
    found.iter().map(|c| (c.worker_id, c.score.total.to_bits())).collect()
}

/// Compares both searches on every shift, mode, weight set and limit;
/// returns how many candidates the bounded search listed.
fn compare(index: &Index, shifts: &[Shift], weights: &[Weights], now: Timestamp, stage: &str) -> usize {
    let mut listed = 0;
    for shift in shifts {
        for mode in [Mode::Instant, Mode::Offer] {
            for w in weights {
                for limit in LIMITS {
                    let q = Query { shift: shift.clone(), mode, now, limit, weights: *w };
                    let bounded = index.search(&q);
                    let exhaustive = index.search_exhaustive(&q);
                    assert_eq!(key(&bounded), key(&exhaustive), "{stage}: shift {} {mode:?} limit {limit} weights {w:?}", shift.id.0);
                    listed += bounded.len();
                }
            }
        }
    }
    listed
}

#[test]
fn bounded_search_equals_exhaustive_search() {
    let mut listed = [0usize; 2];
    let mut limited = 0usize;
    let mut many_claims = 0usize;
    for m in 0..MARKETS {
        let mut rng = Rng::with_seed(0xB0_0D_0000 + m);
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let spec = MarketSpec { seed: m, workers: rng.usize(300..=500), businesses: rng.usize(3..=6), shifts: rng.usize(25..=40), start: now, weeks: 3 };
        let mut market = slivers_demo::generate(&spec);
        dense::densify(&mut market, &mut rng);

        let mut shifts = Vec::new();
        for (bi, b) in market.businesses.iter().enumerate() {
            for s in &b.shifts {
                let id = ShiftId(shifts.len() as i64 + 1);
                shifts.push(s.to_shift(b, id, BusinessId(bi as i64 + 1), s.site.map(|i| SiteId(i as i64 + 1))));
            }
        }
        let mut workers: Vec<Worker> = market.workers.iter().map(|w| w.worker.clone()).collect();
        for (i, w) in workers.iter_mut().enumerate() {
            w.id = WorkerId(i as i64 + 1);
        }
        let bookings: HashMap<WorkerId, Vec<Interval>> = workers.iter().map(|w| (w.id, random_bookings(&mut rng, &shifts, now))).collect();
        let mut tracks: HashMap<WorkerId, TrackRecord> = HashMap::new();
        for w in &workers {
            if rng.u32(0..4) > 0 {
                tracks.insert(w.id, random_track(&mut rng, w.id));
            }
        }
        let mut index = Index::build(workers.clone(), &bookings, &tracks, default_horizon(now), 2);
        let weights = weight_sets(&mut rng);
        listed[0] += compare(&index, &shifts, &weights, now, &format!("market {m} after build"));

        // Rewrite the index's copies: bookings and track records, profiles
        // (rate, instant opt-in, a level, wanted hours, skills), and many claims.
        for w in &mut workers {
            match rng.u32(0..5) {
                0 => index.set_bookings(w.id, random_bookings(&mut rng, &shifts, now), Some(random_track(&mut rng, w.id))),
                1 => {
                    w.min_rate = Money::new(w.min_rate.amount * Decimal::from(rng.u32(80..=125)) / Decimal::from(100), w.min_rate.currency);
                    w.instant_book = !w.instant_book;
                    w.wanted_minutes_per_week = if rng.bool() { 0 } else { 60 * rng.u32(4..=40) };
                    if let Some(c) = w.skills.first_mut() {
                        c.claimed = Level::new(rng.u8(1..=5)).unwrap();
                        c.evidence = vec![slivers_core::skills::Evidence::assessment(c.claimed)];
                    }
                    if rng.u32(0..5) == 0 {
                        w.skills.pop();
                    }
                    index.upsert(w.clone(), random_bookings(&mut rng, &shifts, now), Some(random_track(&mut rng, w.id)));
                }
                // Many claims, the shifts' skills pushed past the postings'
                // inline levels: only the entry knows those.
                2 => {
                    for _ in 0..rng.usize(4..=8) {
                        let code = market.skills[rng.usize(..market.skills.len())].code.clone();
                        if !w.skills.iter().any(|c| c.skill == code) {
                            w.skills.insert(0, dense::claim_at(code, rng.u8(1..=5)));
                        }
                    }
                    many_claims += usize::from(w.skills.len() > 6);
                    index.upsert(w.clone(), random_bookings(&mut rng, &shifts, now), Some(random_track(&mut rng, w.id)));
                }
                _ => {}
            }
        }
        listed[1] += compare(&index, &shifts, &weights, now, &format!("market {m} after changes"));
        limited += shifts.len();
    }
    // Not vacuous: the markets list many candidates before and after the changes.
    assert!(listed[0] > 20_000 && listed[1] > 20_000, "too few candidates listed: {listed:?} over {limited} shifts");
    assert!(many_claims > 200, "only {many_claims} workers with more claims than a posting holds");
}
