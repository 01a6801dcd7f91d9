//! Property test: on hundreds of random markets held in a real (SQLite) store,
//! the matching index returns exactly the set, and the same rule-by-rule
//! verdicts, as a brute-force pass of the rule checker over the store — at
//! build time and again after random bookings, offers, accepts,
//! cancellations and profile changes have reached the index only through the
//! event log (`Feed::catch_up`).

#![allow(clippy::float_arithmetic, clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use fastrand::Rng;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use slivers_core::availability::{DatedWindow, WeeklyWindow};
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::business::Shift;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::rules::{check, Mode, Proposal, Rule, Verdict};
use slivers_core::skills::{Evidence, Level, SkillClaim};
use slivers_core::worker::{Reach, Worker};
use slivers_core::{Interval, Money};
use slivers_demo::{Market, MarketSpec};
use slivers_match::{build_from_store, Feed, Query, SharedIndex, Weights};
use slivers_store::testing::{scratch, TestDb};
use slivers_store::{Actor, BookMode, BookRequest, BookingFilter, Conflict, Page, Scope, ShiftFilter, Store, StoreError};

/// How many random markets are checked.
const MARKETS: usize = 40;
/// Markets in flight at once (each has its own SQLite file).
const CONCURRENCY: usize = 2;
/// Rounds of random changes per market, each followed by a full comparison.
const ROUNDS: usize = 2;
/// Detailed reports kept per market; every disagreement is still counted.
const DETAILS_PER_MARKET: usize = 3;
/// "Now" for each market, in turn: plain December, and windows that cross the
/// European spring-forward, the European and US fall-back, and the end of
/// Australian summer time.
const NOWS: [&str; 4] = ["2026-12-01T00:00:00Z", "2026-03-23T00:00:00Z", "2026-10-20T00:00:00Z", "2026-03-30T00:00:00Z"];

#[derive(Debug, Default)]
struct Totals {
    markets: usize,
    workers: usize,
    shifts: usize,
    /// Full comparisons (one at build time plus one per round, per market).
    passes: usize,
    /// (shift, worker, mode) triples compared, verdict and membership.
    compared: usize,
    allowed: usize,
    allowed_instant: usize,
    allowed_offer: usize,
    /// Worker views (`shifts_for`) compared.
    worker_views: usize,
    book_attempts: usize,
    instant_booked: usize,
    offers_made: usize,
    accepts: usize,
    accepts_refused: usize,
    declines: usize,
    withdrawals: usize,
    cancelled_by_worker: usize,
    cancelled_by_business: usize,
    refused_by_rules: usize,
    refused_other: usize,
    profile_updates: usize,
    feed_events: usize,
    /// Verdicts whose rule outcomes agree but whose messages or facts differ.
    detail_mismatches: usize,
    disagreements: usize,
    /// Per rule: how many brute-force verdicts it failed (and was the only failure).
    rule_failures: std::collections::BTreeMap<&'static str, (usize, usize)>,
    reports: Vec<String>,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.markets += o.markets;
        self.workers += o.workers;
        self.shifts += o.shifts;
        self.passes += o.passes;
        self.compared += o.compared;
        self.allowed += o.allowed;
        self.allowed_instant += o.allowed_instant;
        self.allowed_offer += o.allowed_offer;
        self.worker_views += o.worker_views;
        self.book_attempts += o.book_attempts;
        self.instant_booked += o.instant_booked;
        self.offers_made += o.offers_made;
        self.accepts += o.accepts;
        self.accepts_refused += o.accepts_refused;
        self.declines += o.declines;
        self.withdrawals += o.withdrawals;
        self.cancelled_by_worker += o.cancelled_by_worker;
        self.cancelled_by_business += o.cancelled_by_business;
        self.refused_by_rules += o.refused_by_rules;
        self.refused_other += o.refused_other;
        self.profile_updates += o.profile_updates;
        self.feed_events += o.feed_events;
        self.detail_mismatches += o.detail_mismatches;
        self.disagreements += o.disagreements;
        for (k, (a, b)) in o.rule_failures {
            let e = self.rule_failures.entry(k).or_default();
            e.0 += a;
            e.1 += b;
        }
        self.reports.extend(o.reports);
    }

    fn disagree(&mut self, report: impl FnOnce() -> String, shown: &mut usize) {
        self.disagreements += 1;
        if *shown < DETAILS_PER_MARKET {
            *shown += 1;
            self.reports.push(report());
        }
    }
}

/// Where a market stands, for reports and for choosing changes.
struct Ctx {
    market: usize,
    seed: u64,
    now: Timestamp,
    stage: String,
}

impl Ctx {
    fn tag(&self) -> String {
        format!("market {} (seed {}, now {}), {}", self.market, self.seed, self.now, self.stage)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_agrees_with_brute_force_rule_checks_on_random_markets() {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for lane in 0..CONCURRENCY {
        tasks.push(tokio::spawn(async move {
            let mut t = Totals::default();
            let mut i = lane;
            while i < MARKETS {
                t.add(run_market(i).await);
                i += CONCURRENCY;
            }
            t
        }));
    }
    let mut t = Totals::default();
    for task in tasks {
        match task.await {
            Ok(part) => t.add(part),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    let elapsed = started.elapsed();

    println!("agreement: {} markets ({} workers, {} shifts), {} full comparisons in {:.1?}", t.markets, t.workers, t.shifts, t.passes, elapsed);
    println!(
        "agreement: {} (shift, worker, mode) triples compared, {} allowed ({:.1}%: {} instant, {} offer); {} worker views compared",
        t.compared,
        t.allowed,
        100.0 * t.allowed as f64 / t.compared.max(1) as f64,
        t.allowed_instant,
        t.allowed_offer,
        t.worker_views
    );
    println!(
        "agreement: {} booking attempts: {} instant bookings and {} offers made, {} refused by the rules, {} refused otherwise (headcount, already booked)",
        t.book_attempts, t.instant_booked, t.offers_made, t.refused_by_rules, t.refused_other
    );
    println!(
        "agreement: {} accepts ({} refused), {} declines, {} withdrawals, {} cancelled by worker, {} cancelled by business, {} profile updates",
        t.accepts, t.accepts_refused, t.declines, t.withdrawals, t.cancelled_by_worker, t.cancelled_by_business, t.profile_updates
    );
    println!("agreement: rule failures (total, as the only failure): {:?}", t.rule_failures);
    println!("agreement: {} events applied to the index by the feed", t.feed_events);
    println!("agreement: {} disagreements, {} verdicts with equal outcomes but different messages or facts", t.disagreements, t.detail_mismatches);
    for r in &t.reports {
        println!("---\n{r}");
    }

    assert_eq!(t.markets, MARKETS, "every market ran");
    assert_eq!(t.passes, MARKETS * (ROUNDS + 1), "every market was compared at build time and after every round");
    assert_eq!(t.disagreements, 0, "the index disagreed with the brute-force rule checker; see the reports above");
    // Not vacuous: plenty of matches, and plenty of changes through the log.
    assert!(t.allowed * 10 > t.compared, "only {} of {} triples allowed: the markets are too sparse", t.allowed, t.compared);
    assert!(t.allowed_instant > 0 && t.allowed_offer > 0);
    let booked = t.instant_booked + t.accepts;
    assert!(booked > 500, "only {booked} bookings confirmed through the log");
    assert!(t.cancelled_by_worker + t.cancelled_by_business > 100, "too few cancellations");
    assert!(t.profile_updates > 100, "too few profile updates");
    assert!(t.refused_by_rules > 0, "no booking was ever refused by the rules: the changes are too tame");
}

async fn run_market(i: usize) -> Totals {
    let seed = 0x51_1E_0000 + i as u64;
    let mut rng = Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xA66E);
    let now: Timestamp = NOWS[i % NOWS.len()].parse().unwrap();
    let spec = MarketSpec {
        seed,
        workers: rng.usize(25..=60),
        businesses: rng.usize(2..=4),
        shifts: rng.usize(8..=20),
        start: now,
        weeks: 2,
    };
    let mut market = slivers_demo::generate(&spec);
    densify(&mut market, &mut rng);

    let mut t = Totals { markets: 1, workers: spec.workers, shifts: market.shift_count(), ..Default::default() };
    let mut shown = 0;
    let mut ctx = Ctx { market: i, seed, now, stage: "after build".into() };

    let (store, url) = scratch(TestDb::Sqlite).await.unwrap();
    slivers_demo::load(&*store, &market, now, &mut |_, _| {}).await.unwrap();
    let index = build_from_store(&*store, now).await.unwrap();
    let feed = Feed::new(Arc::new(RwLock::new(index)), store.clone());

    let mut allowed = compare(&*store, &feed.index, &ctx, &mut t, &mut shown).await;
    for round in 1..=ROUNDS {
        ctx.stage = format!("after round {round} of changes");
        apply_changes(&store, &mut rng, now, &allowed, &mut t).await;
        loop {
            let n = feed.catch_up().await.unwrap();
            if n == 0 {
                break;
            }
            t.feed_events += n;
        }
        allowed = compare(&*store, &feed.index, &ctx, &mut t, &mut shown).await;
    }

    drop(feed);
    drop(store);
    if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    t
}

/// Make the market dense: every worker lives near a site of one business,
/// asks for its currency a little below its pay, claims the skills its shifts
/// need (at random levels) and is often available around one of its shifts.
fn densify(market: &mut Market, rng: &mut Rng) {
    let businesses: Vec<_> = market.businesses.iter().filter(|b| !b.shifts.is_empty()).cloned().collect();
    assert!(!businesses.is_empty());
    for dw in &mut market.workers {
        let original = dw.worker.clone();
        let w = &mut dw.worker;
        let b = &businesses[rng.usize(..businesses.len())];
        let site = &b.sites[rng.usize(..b.sites.len())];

        let keep_remote = matches!(w.reach, Reach::RemoteOnly) && rng.bool();
        if !keep_remote {
            let home = GeoPoint {
                lat: site.location.lat + (rng.f64() - 0.5) * 0.08,
                lon: site.location.lon + (rng.f64() - 0.5) * 0.12,
            };
            let radius_km = if rng.u32(0..10) == 0 {
                // On the edge: the whole-km distance to one of the business's sites, or one more.
                let other = &b.sites[rng.usize(..b.sites.len())];
                let km = home.distance_m(&other.location) / 1000 + rng.i64(0..=1);
                u32::try_from(km).unwrap_or(1000).min(1000)
            } else {
                rng.u32(10..=40)
            };
            w.reach = Reach::Travel { home, radius_km };
        }
        if rng.u32(0..10) < 7 && w.availability.validate(&site.zone).is_ok() {
            w.zone = site.zone.clone();
        }

        let pay = b.shifts[rng.usize(..b.shifts.len())].pay_rate.amount;
        let percent = match rng.u32(0..10) {
            0 => rng.u32(101..=120),
            1 => 100,
            _ => rng.u32(60..=99),
        };
        w.min_rate = Money::new((pay * Decimal::from(percent) / Decimal::from(100)).round_dp(2), b.currency);
        w.instant_book = rng.u32(0..10) < 7;

        for _ in 0..rng.usize(1..=3) {
            let s = &b.shifts[rng.usize(..b.shifts.len())];
            for req in &s.skills {
                let claim = claim_at(req.skill.clone(), rng.u8(1..=5));
                match w.skills.iter_mut().find(|c| c.skill == req.skill) {
                    Some(c) => *c = claim,
                    None => w.skills.push(claim),
                }
            }
        }

        if rng.bool() {
            let s = &b.shifts[rng.usize(..b.shifts.len())];
            let before = SignedDuration::from_mins(15 * rng.i64(0..=6));
            let after = SignedDuration::from_mins(15 * rng.i64(0..=6));
            let window = DatedWindow { start: w.zone.civil(s.window.start - before), end: w.zone.civil(s.window.end + after) };
            if window.resolve(&w.zone).is_ok() {
                w.availability.dated.push(window);
            }
        }

        if let Err(e) = w.validate() {
            panic!("densify made an invalid worker ({e}) from {original:?}:\n{w:?}");
        }
    }
}

fn claim_at(skill: slivers_core::skills::SkillCode, level: u8) -> SkillClaim {
    let level = Level::new(level).unwrap();
    SkillClaim { skill, claimed: level, evidence: vec![Evidence::Assessment { level }] }
}

/// Random bookings, offers, accepts, declines, withdrawals, cancellations and
/// profile changes, all through the store so they land in the event log.
async fn apply_changes(store: &Arc<dyn Store>, rng: &mut Rng, now: Timestamp, allowed: &[(ShiftId, WorkerId, Mode)], t: &mut Totals) {
    let sys = Actor::system();
    let shifts = store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let workers = store.list_workers(Page::all()).await.unwrap();

    for _ in 0..rng.usize(15..=30) {
        let (shift_id, worker_id, mode) = if !allowed.is_empty() && rng.u32(0..10) < 7 {
            allowed[rng.usize(..allowed.len())]
        } else {
            let mode = if rng.bool() { Mode::Instant } else { Mode::Offer };
            (shifts[rng.usize(..shifts.len())].id, workers[rng.usize(..workers.len())].id, mode)
        };
        let mode = if mode == Mode::Instant { BookMode::Instant } else { BookMode::Offer };
        let req = BookRequest { shift_id, worker_id, mode, now, offer_expires_at: None };
        t.book_attempts += 1;
        match store.book(&req, &sys).await {
            Ok(_) if mode == BookMode::Instant => t.instant_booked += 1,
            Ok(_) => t.offers_made += 1,
            Err(StoreError::Conflict(Conflict::Rules(_))) => t.refused_by_rules += 1,
            Err(StoreError::Conflict(_)) => t.refused_other += 1,
            Err(e) => panic!("booking {req:?} failed: {e}"),
        }
    }

    let bookings = store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await.unwrap();
    for b in bookings.iter().filter(|b| b.status == BookingStatus::Offered) {
        let action = match rng.u32(0..20) {
            0..=10 => BookingAction::Accept,
            11..=12 => BookingAction::Decline,
            13..=14 => BookingAction::Withdraw,
            _ => continue,
        };
        match (store.transition(b.id, action, &sys, now).await, action) {
            (Ok(_), BookingAction::Accept) => t.accepts += 1,
            (Ok(_), BookingAction::Decline) => t.declines += 1,
            (Ok(_), _) => t.withdrawals += 1,
            (Err(StoreError::Conflict(_)), BookingAction::Accept) => t.accepts_refused += 1,
            (Err(e), _) => panic!("{action} on booking {} failed: {e}", b.id),
        }
    }

    let bookings = store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await.unwrap();
    for b in bookings.iter().filter(|b| b.status == BookingStatus::Confirmed) {
        let action = match rng.u32(0..8) {
            0 => BookingAction::CancelByWorker,
            1 => BookingAction::CancelByBusiness,
            _ => continue,
        };
        store.transition(b.id, action, &sys, now).await.unwrap();
        match action {
            BookingAction::CancelByWorker => t.cancelled_by_worker += 1,
            _ => t.cancelled_by_business += 1,
        }
    }

    for _ in 0..rng.usize(1..=3) {
        let mut w = workers[rng.usize(..workers.len())].clone();
        let s = &shifts[rng.usize(..shifts.len())];
        mutate(&mut w, s, rng);
        if w.validate().is_err() {
            continue;
        }
        store.update_worker(&w, &sys, now).await.unwrap();
        t.profile_updates += 1;
    }
}

/// One random profile change, usually aimed at shift `s` so it matters.
fn mutate(w: &mut Worker, s: &Shift, rng: &mut Rng) {
    let start = w.zone.civil(s.window.start);
    let end = w.zone.civil(s.window.end);
    match rng.u32(0..9) {
        0 => {
            let l = &mut w.limits;
            l.max_minutes_per_day = 30 * rng.u32(4..=24);
            l.max_minutes_per_week = (60 * rng.u32(4..=48)).max(l.max_minutes_per_day);
            l.min_rest_minutes = 60 * rng.u32(0..=12);
            l.min_notice_minutes = [0, 30, 60, 240, 1440, 3 * 1440, 7 * 1440][rng.usize(..7)];
        }
        1 => {
            // A weekly window exactly covering the shift's local times.
            w.availability.weekly.push(WeeklyWindow { weekday: start.weekday(), start: start.time(), end: end.time() });
        }
        2 => {
            if !w.availability.weekly.is_empty() && rng.bool() {
                let k = rng.usize(..w.availability.weekly.len());
                w.availability.weekly.remove(k);
            } else if !w.availability.dated.is_empty() && rng.bool() {
                let k = rng.usize(..w.availability.dated.len());
                w.availability.dated.remove(k);
            } else {
                // An exception over part of the shift.
                let cut = s.window.start + SignedDuration::from_mins(15 * rng.i64(0..=4));
                let hole = DatedWindow { start: w.zone.civil(cut), end: w.zone.civil(cut + SignedDuration::from_mins(30)) };
                if hole.resolve(&w.zone).is_ok() {
                    w.availability.exceptions.push(hole);
                }
            }
        }
        3 => {
            // A blackout touching the shift, or ending exactly where it starts.
            let (from, to) = if rng.bool() {
                (start.time(), w.zone.civil(s.window.start + SignedDuration::from_mins(60)).time())
            } else {
                (w.zone.civil(s.window.start - SignedDuration::from_mins(60)).time(), start.time())
            };
            let weekday = if rng.bool() { start.weekday() } else { w.zone.civil(s.window.start - SignedDuration::from_mins(60)).weekday() };
            w.limits.blackouts.push(WeeklyWindow { weekday, start: from, end: to });
        }
        4 => w.instant_book = !w.instant_book,
        5 => {
            // The shift's pay exactly, or a cent either side.
            let cent = Decimal::new(rng.i64(-1..=1), 2);
            w.min_rate = Money::new((s.pay_rate.amount + cent).max(Decimal::ZERO), s.pay_rate.currency);
        }
        6 => {
            w.reach = match (rng.u32(0..6), s.location) {
                (0, _) => Reach::RemoteOnly,
                (1 | 2, Some(site)) => Reach::Travel { home: site, radius_km: rng.u32(0..=5) },
                (_, _) => match w.reach {
                    Reach::Travel { home, .. } => Reach::Travel { home, radius_km: rng.u32(0..=60) },
                    Reach::RemoteOnly => Reach::RemoteOnly,
                },
            };
        }
        7 => {
            if !w.skills.is_empty() && rng.bool() {
                let k = rng.usize(..w.skills.len());
                w.skills.remove(k);
            } else {
                for req in &s.skills {
                    let claim = claim_at(req.skill.clone(), rng.u8(1..=5));
                    match w.skills.iter_mut().find(|c| c.skill == req.skill) {
                        Some(c) => *c = claim,
                        None => w.skills.push(claim),
                    }
                }
            }
        }
        _ => {
            w.availability.dated.push(DatedWindow { start, end });
        }
    }
}

/// The brute-force pass: every shift × worker × mode from the store through
/// the rule checker, against the index's search, explain and worker view.
/// Returns the allowed triples.
async fn compare(store: &dyn Store, index: &SharedIndex, ctx: &Ctx, t: &mut Totals, shown: &mut usize) -> Vec<(ShiftId, WorkerId, Mode)> {
    let now = ctx.now;
    let shifts = store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let workers = store.list_workers(Page::all()).await.unwrap();
    let mut booked: HashMap<WorkerId, Vec<Interval>> = HashMap::new();
    for w in &workers {
        let bookings = store.list_bookings(&BookingFilter { worker: Some(w.id), ..Default::default() }, &Scope::All, Page::all()).await.unwrap();
        booked.insert(w.id, bookings.iter().filter(|b| b.status.holds_time()).map(|b| b.window).collect());
    }

    t.passes += 1;
    let index = index.read().unwrap();
    if index.len() != workers.len() {
        t.disagree(|| format!("{}: index holds {} workers, the store {}", ctx.tag(), index.len(), workers.len()), shown);
    }
    let mut allowed = Vec::new();
    // Per worker: the shifts an offer may be made for, by brute force.
    let mut offerable: HashMap<WorkerId, BTreeSet<ShiftId>> = HashMap::new();
    for shift in &shifts {
        for mode in [Mode::Instant, Mode::Offer] {
            let q = Query { shift: shift.clone(), mode, now, limit: usize::MAX, weights: Weights::default() };
            let found = index.search(&q);
            let mut got: Vec<WorkerId> = found.iter().map(|c| c.worker_id).collect();
            got.sort();
            let n = got.len();
            got.dedup();
            if got.len() != n {
                t.disagree(|| format!("{}: shift {} {mode:?}: search returned a worker twice", ctx.tag(), shift.id), shown);
            }

            let mut want = Vec::new();
            for w in &workers {
                let mine = &booked[&w.id];
                let truth = check(&Proposal::new(w, mine, shift, now, mode));
                t.compared += 1;
                let failed: Vec<_> = truth.failures().map(|c| c.rule.as_str()).collect();
                for r in &failed {
                    let e = t.rule_failures.entry(r).or_default();
                    e.0 += 1;
                    if failed.len() == 1 {
                        e.1 += 1;
                    }
                }
                if truth.allowed {
                    want.push(w.id);
                    allowed.push((shift.id, w.id, mode));
                    t.allowed += 1;
                    if mode == Mode::Instant {
                        t.allowed_instant += 1;
                    } else {
                        t.allowed_offer += 1;
                        if shift.window.start > now {
                            offerable.entry(w.id).or_default().insert(shift.id);
                        }
                    }
                }
                match index.explain(w.id, shift, now, mode) {
                    None => t.disagree(|| format!("{}: explain knows no worker {}", ctx.tag(), w.id), shown),
                    Some(said) => {
                        if outcomes(&said) != outcomes(&truth) || said.allowed != truth.allowed {
                            t.disagree(|| report(ctx, "explain", w, mine, shift, mode, &truth, Some(&said)), shown);
                        } else if said.checks != truth.checks {
                            t.detail_mismatches += 1;
                        }
                    }
                }
            }
            want.sort();
            if got != want {
                let extra: Vec<_> = got.iter().filter(|id| !want.contains(id)).copied().collect();
                let missing: Vec<_> = want.iter().filter(|id| !got.contains(id)).copied().collect();
                t.disagree(
                    || {
                        let mut r = format!(
                            "{}: search for shift {} {mode:?} returned {} workers, brute force allows {}; extra {extra:?}, missing {missing:?}",
                            ctx.tag(),
                            shift.id,
                            got.len(),
                            want.len()
                        );
                        if let Some(w) = workers.iter().find(|w| Some(&w.id) == extra.first().or(missing.first())) {
                            let mine = &booked[&w.id];
                            let truth = check(&Proposal::new(w, mine, shift, now, mode));
                            let said = index.explain(w.id, shift, now, mode);
                            r.push('\n');
                            r.push_str(&report(ctx, "search", w, mine, shift, mode, &truth, said.as_ref()));
                        }
                        r
                    },
                    shown,
                );
            }
        }
    }

    for w in &workers {
        t.worker_views += 1;
        let got: BTreeSet<ShiftId> = index.shifts_for(w.id, now, usize::MAX, &Weights::default()).iter().map(|m| m.shift_id).collect();
        let want = offerable.remove(&w.id).unwrap_or_default();
        if got != want {
            t.disagree(|| format!("{}: shifts_for worker {}: index {got:?}, brute force {want:?}", ctx.tag(), w.id), shown);
        }
    }
    allowed
}

fn outcomes(v: &Verdict) -> Vec<(Rule, bool)> {
    v.checks.iter().map(|c| (c.rule, c.pass)).collect()
}

#[allow(clippy::too_many_arguments)]
fn report(ctx: &Ctx, what: &str, w: &Worker, booked: &[Interval], shift: &Shift, mode: Mode, truth: &Verdict, said: Option<&Verdict>) -> String {
    let fails = |v: &Verdict| v.failures().map(|c| format!("{} ({})", c.rule.as_str(), c.message)).collect::<Vec<_>>();
    format!(
        "{}: {what} disagrees for worker {} on shift {} {mode:?}\n  brute force: allowed={} failures={:?}\n  index:       {}\n  worker: {w:?}\n  booked: {booked:?}\n  shift: {shift:?}",
        ctx.tag(),
        w.id,
        shift.id,
        truth.allowed,
        fails(truth),
        match said {
            Some(v) => format!("allowed={} failures={:?}", v.allowed, fails(v)),
            None => "no verdict (worker unknown to the index)".into(),
        },
    )
}
