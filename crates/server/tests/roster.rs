//! Must-show (c) of the roster issue: on a demo market, a week's roster for a
//! business with 100 open shifts is proposed in under two seconds with its
//! gap, and applying it never breaks a worker's limit.

mod common;

use std::collections::HashMap;
use std::time::Instant;

use jiff::Timestamp;
use reqwest::Method;
use serde_json::json;
use slivers_core::ids::WorkerId;
use slivers_core::rules::{check, Mode, Proposal, Rule};
use slivers_store::{BookingFilter, Page, Scope};

use common::TestApp;

on_both_databases!(a_week_of_one_hundred_shifts_is_rostered_without_breaking_limits);

async fn a_week_of_one_hundred_shifts_is_rostered_without_breaking_limits(app: TestApp) {
    let now = Timestamp::now();
    let start = Timestamp::from_second(now.as_second() / 3600 * 3600 + 7200).unwrap();
    let spec = slivers_demo::MarketSpec { seed: 11, workers: 5000, businesses: 1, shifts: 100, start, weeks: 1 };
    let market = slivers_demo::generate(&spec);
    let loaded = slivers_demo::load(&*app.store, &market, now, &mut |_, _| {}).await.expect("load market");
    let business = loaded.businesses[0];
    assert_eq!(loaded.shifts.len(), 100);
    // Build the index from the store, as `slivers serve` does at start-up.
    let index = slivers_exchange::build_from_store(&*app.store, now).await.expect("index");
    *app.state.exchange.feed().index.write().unwrap() = index;
    let manager = app.user("roster-manager@test.example", slivers_store::Role::Business, None, Some(business)).await;
    // Labour policy at every site: at most three days in a row, two days off
    // a week, two weekends a month, no early after a night. Some demo workers
    // add their own (full-timers: six days in a row and a day off a week;
    // night owls: no early after a night; parents: two weekends a month).
    let policy = json!({"max_consecutive_days": 3, "min_days_off_per_week": 2, "max_weekends_per_month": 2,
        "forbidden_successions": [{"after": "night", "then": "early"}]});
    for site in app.store.list_sites(business, &Scope::All).await.unwrap() {
        let set = app.ok(Method::PUT, &format!("/sites/{}/labour", site.id.0), &manager, Some(policy.clone())).await;
        assert_eq!(set["labour"], policy);
    }

    let t = Instant::now();
    let proposal = app
        .ok(Method::POST, &format!("/businesses/{}/roster/propose", business.0), &manager, Some(json!({"from": start, "to": start.checked_add(jiff::ToSpan::hours(8 * 24)).unwrap(), "mode": "offer", "seconds": 1.5})))
        .await;
    let wall = t.elapsed();
    let assignments = proposal["assignments"].as_array().expect("assignments");
    let places: u64 = market.businesses[0].shifts.iter().map(|s| u64::from(s.headcount)).sum();
    let unfilled: u64 = proposal["unfilled"].as_array().unwrap().iter().map(|u| u["places"].as_u64().unwrap()).sum();
    eprintln!(
        "proposed {} assignments for {} shifts ({places} places, {unfilled} unfilled) from {} candidates in {:.2} s wall ({:.2} s server); objective {} bound {:.1} gap {:.2}%",
        assignments.len(),
        proposal["shifts"],
        proposal["candidates"],
        wall.as_secs_f64(),
        proposal["seconds"].as_f64().unwrap(),
        proposal["objective"],
        proposal["bound"].as_f64().unwrap(),
        100.0 * proposal["gap"].as_f64().unwrap()
    );
    assert_eq!(proposal["shifts"], 100);
    assert!(wall.as_secs_f64() < 2.0, "proposing took {wall:?}");
    assert!(proposal["gap"].as_f64().is_some() && proposal["bound"].as_f64().is_some());
    assert!(!assignments.is_empty(), "nothing was rostered: the test would be vacuous");
    assert_eq!(assignments.len() as u64 + unfilled, places, "every place is either filled or reported open");

    // Fairness (issue 12, must-show e): the same week with fairness weighed
    // spreads hours closer to what each candidate wants, at a reported cost.
    let body = json!({"from": start, "to": start.checked_add(jiff::ToSpan::hours(8 * 24)).unwrap(), "mode": "offer", "seconds": 1.5, "fairness_weight": 20});
    let fair = app.ok(Method::POST, &format!("/businesses/{}/roster/propose", business.0), &manager, Some(body)).await;
    let spread = |p: &serde_json::Value| p["fairness_spread"].as_f64().unwrap();
    let before = &fair["cost_only"];
    eprintln!(
        "fairness: cost-only proposal spread {:.4} objective {}; weighted (20) spread {:.4} objective {} (its own cost-only start: spread {:.4} objective {}, {} places moved) over {} candidates",
        spread(&proposal), proposal["objective"], spread(&fair), fair["objective"],
        before["fairness_spread"].as_f64().unwrap(), before["objective"], before["moved"], fair["fairness_population"]
    );
    assert_eq!(proposal["cost_only"], serde_json::Value::Null, "a cost-only proposal has no fairness pass");
    assert!(before["moved"].as_u64().unwrap() > 0, "the fairness pass moved nothing: the comparison would be vacuous");
    // The comparison is against the cost-only roster of the same run: two
    // separately time-boxed proposals get different CPU under a loaded test
    // run and are not comparable (CI once saw the first stop at 16 of 206).
    assert!(spread(&fair) < before["fairness_spread"].as_f64().unwrap(), "the weighted roster is not fairer than the cost-only one of the same run");
    let fair_unfilled: u64 = fair["unfilled"].as_array().unwrap().iter().map(|u| u["places"].as_u64().unwrap()).sum();
    assert_eq!(fair["assignments"].as_array().unwrap().len() as u64 + fair_unfilled, places);

    // The rostered workers also set labour rules of their own, lenient enough
    // to keep the proposal (six days in a row, no early after a night), so the
    // final re-check reads them on every booking, remote ones included.
    let mut rostered: Vec<i64> = assignments.iter().map(|a| a["worker_id"].as_i64().unwrap()).collect();
    rostered.sort_unstable();
    rostered.dedup();
    for id in &rostered {
        let mut w = app.store.get_worker(WorkerId(*id), &Scope::All).await.unwrap();
        if w.limits.labour.max_consecutive_days.is_none() {
            w.limits.labour.max_consecutive_days = Some(6);
        }
        let night_early = slivers_core::labour::Succession { after: slivers_core::labour::ShiftKind::Night, then: slivers_core::labour::ShiftKind::Early };
        if !w.limits.labour.forbidden_successions.contains(&night_early) {
            w.limits.labour.forbidden_successions.push(night_early);
        }
        app.store.update_worker(&w, &slivers_store::Actor::system(), now).await.unwrap();
    }

    // Apply as offers (one transaction, every rule re-checked), then every
    // worker accepts (each acceptance re-checks every hard limit again).
    let planned: Vec<_> = assignments.iter().map(|a| json!({"shift_id": a["shift_id"], "worker_id": a["worker_id"]})).collect();
    let applied = app.ok(Method::POST, &format!("/businesses/{}/roster/apply", business.0), &manager, Some(json!({"assignments": planned, "mode": "offer"}))).await;
    assert_eq!(applied.as_array().unwrap().len(), assignments.len());
    for b in applied.as_array().unwrap() {
        let id = slivers_core::ids::BookingId(b["id"].as_i64().unwrap());
        app.store
            .transition(id, slivers_core::booking::BookingAction::Accept, &slivers_store::Actor::system(), Timestamp::now())
            .await
            .unwrap_or_else(|e| panic!("accepting rostered offer {}: {e}", id.0));
    }

    // Independently of the optimizer: every confirmed booking of every worker
    // passes every hard limit against all their other bookings.
    let mut by_worker: HashMap<WorkerId, Vec<slivers_store::Booking>> = HashMap::new();
    for b in app.store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await.unwrap() {
        if b.status.holds_time() {
            by_worker.entry(b.worker_id).or_default().push(b);
        }
    }
    let mut checked = 0;
    let mut on_site = 0;
    for (w, bookings) in &by_worker {
        let worker = app.store.get_worker(*w, &Scope::All).await.unwrap();
        for b in bookings {
            let others: Vec<_> = bookings.iter().filter(|o| o.id != b.id).map(|o| o.window).collect();
            let shift = app.store.get_shift(b.shift_id, &Scope::All).await.unwrap();
            let v = check(&Proposal::new(&worker, &others, &shift, now, Mode::Accept));
            assert!(v.allowed, "booking {} of worker {w} breaks {:?}", b.id.0, v.failures().map(|c| &c.message).collect::<Vec<_>>());
            checked += 1;
            let labour = [Rule::ConsecutiveDays, Rule::DaysOff, Rule::Weekends, Rule::Succession];
            if shift.site_id.is_some() {
                on_site += 1;
                assert!(labour.iter().all(|r| v.get(*r).is_some()), "an on-site booking was re-checked without the site's labour policy");
            }
            assert!(v.get(Rule::ConsecutiveDays).is_some() && v.get(Rule::Succession).is_some(), "re-checked without the worker's own labour rules");
        }
    }
    assert_eq!(checked, assignments.len());
    let multi = by_worker.values().filter(|b| b.len() > 1).count();
    eprintln!("re-checked {checked} bookings under the labour rules ({on_site} on site, with the site's policy too); {multi} workers hold more than one");
    assert!(on_site > 0, "no on-site booking was re-checked: the site's labour policy would go untested");
    // A second apply of the same roster is refused whole, naming a rule, and writes nothing.
    let before = app.snapshot().await;
    let (status, body) = app.call(Method::POST, &format!("/businesses/{}/roster/apply", business.0), Some(&manager), Some(json!({"assignments": planned, "mode": "offer"}))).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(app.snapshot().await, before);
}
