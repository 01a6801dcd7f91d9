//! Over HTTP, on both databases: the public market data (page, JSON, CSV)
//! against an independent computation from the store's raw records on a
//! seeded random market, with a region one business short of k suppressed
//! and then published when the k-th arrives; and the worker's "why not"
//! against the business's explain for the same pair, with no bill rate.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use slivers_core::booking::BookingStatus;
use slivers_exchange::market::{configure, MarketSettings};
use slivers_store::{BookingFilter, EventFilter, Page, Scope, ShiftFilter};

use common::{monday_after_next, TestApp};

on_both_databases!(market_figures_match_the_raw_records_and_stay_k_anonymous, why_not_agrees_with_explain_and_hides_the_business);

const K: usize = 3;

fn open_limits() -> Value {
    json!({"max_minutes_per_day": 1440, "max_minutes_per_week": 10080, "min_rest_minutes": 0, "min_notice_minutes": 0})
}

/// Nearest rank, written again here so the test does not trust the library's.
fn rank<T: Copy>(sorted: &[T], p: usize) -> T {
    sorted[((p * sorted.len()).div_ceil(100)).max(1) - 1]
}

/// The published cells as the test computes them from the store's rows.
async fn expected(app: &TestApp) -> BTreeMap<(String, String), Value> {
    let shifts = app.store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let bookings = app.store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let events = app.store.events(&EventFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let posted: HashMap<i64, Timestamp> = events.iter().filter(|e| e.kind == "shift.posted").filter_map(|e| Some((e.shift_id?.0, e.at))).collect();
    let confirmed: HashMap<i64, Timestamp> = events.iter().filter(|e| e.kind == "booking.confirmed").filter_map(|e| Some((e.booking_id?.0, e.at))).collect();
    #[derive(Default)]
    struct Acc { b: BTreeSet<i64>, w: BTreeSet<i64>, rates: Vec<Decimal>, places: i64, filled: i64, waits: Vec<i64> }
    let mut cells: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for s in shifts.iter().filter(|s| s.status == slivers_core::business::ShiftStatus::Open) {
        let region = if s.site_id.is_none() { "remote".to_string() } else { s.zone.name().to_string() };
        let skills: Vec<String> = if s.skills.is_empty() { vec!["general".into()] } else { s.skills.iter().map(|r| r.skill.as_str().to_string()).collect() };
        let fills: Vec<_> = bookings.iter().filter(|b| b.shift_id == s.id && matches!(b.status, BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed | BookingStatus::NoShow)).collect();
        for sk in skills {
            let a = cells.entry((sk, region.clone())).or_default();
            a.b.insert(s.business_id.0);
            a.rates.push(s.pay_rate.amount);
            a.places += i64::from(s.headcount);
            a.filled += fills.len() as i64;
            for f in &fills {
                a.w.insert(f.worker_id.0);
                a.waits.push((confirmed[&f.id.0].as_second() - posted[&s.id.0].as_second()) / 60);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (key, mut a) in cells {
        if a.b.len() < K || a.w.len() < K {
            continue;
        }
        a.rates.sort();
        a.waits.sort();
        let fill = (Decimal::from(a.filled * 100) / Decimal::from(a.places)).round_dp(1);
        out.insert(key, json!({"businesses": a.b.len(), "workers": a.w.len(), "shifts": a.rates.len(), "places": a.places,
            "pay_p25": rank(&a.rates, 25).to_string(), "pay_median": rank(&a.rates, 50).to_string(), "pay_p75": rank(&a.rates, 75).to_string(),
            "fill": fill.to_string(), "wait": rank(&a.waits, 50)}));
    }
    out
}

/// The API's cells in the same shape, with the page and the CSV checked against them.
async fn published(app: &TestApp) -> (BTreeMap<(String, String), Value>, Value) {
    let (status, m) = app.call(Method::GET, "/market", None, None).await;
    assert_eq!(status, StatusCode::OK, "public, no token: {m}");
    let mut out = BTreeMap::new();
    for c in m["cells"].as_array().unwrap() {
        assert!(c["businesses"].as_u64().unwrap() >= K as u64 && c["workers"].as_u64().unwrap() >= K as u64, "{c}");
        out.insert((c["skill"].as_str().unwrap().to_string(), c["region"].as_str().unwrap().to_string()),
            json!({"businesses": c["businesses"], "workers": c["workers"], "shifts": c["shifts"], "places": c["places"],
                "pay_p25": c["pay_p25"]["amount"], "pay_median": c["pay_median"]["amount"], "pay_p75": c["pay_p75"]["amount"],
                "fill": c["fill_rate_percent"], "wait": c["time_to_fill_minutes"]}));
    }
    let csv = app.client.get(format!("{}/api/v1/market.csv", app.base)).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), out.len() + 1, "{csv}");
    let page = app.client.get(format!("{}/market", app.base)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for c in m["cells"].as_array().unwrap() {
        assert!(html.contains(c["pay_median"]["amount"].as_str().unwrap()) && html.contains(c["region"].as_str().unwrap()), "the page shows every cell");
    }
    (out, m)
}

async fn market_figures_match_the_raw_records_and_stay_k_anonymous(app: TestApp) {
    configure(&app.state.exchange, MarketSettings { k: K, refresh_after: Duration::ZERO }).unwrap();
    let mut rng = fastrand::Rng::with_seed(0x3A_12E7);
    let base = monday_after_next().timestamp();
    let mut workers = Vec::new();
    for i in 0..6 {
        workers.push(app.worker(&format!("Market Worker {i}"), open_limits()).await.0);
    }
    let mut businesses = Vec::new();
    for i in 0..5 {
        businesses.push(app.business(&format!("Market Business {i}")).await);
    }
    let (empty, _) = published(&app).await;
    assert!(empty.is_empty(), "nothing before any work: {empty:?}");
    let mut booked = 0;
    for round in 0..2 {
        for (_, site, token) in &businesses {
            for _ in 0..4 {
                let start = base + SignedDuration::from_hours(rng.i64(0..13 * 24));
                let skills = if rng.bool() { json!([{"skill": "barista", "level": rng.u8(1..=2)}]) } else { json!([]) };
                let pay = Decimal::new(rng.i64(48..80) * 25, 2);
                let site = if rng.u8(0..3) == 0 { None } else { Some(*site) };
                let headcount = rng.u32(1..=2);
                let s = app.ok(Method::POST, "/shifts", token, Some(json!({"site_id": site, "start": start, "end": start + SignedDuration::from_mins(rng.i64(1..4) * 60),
                    "headcount": headcount, "skills": skills, "pay_rate": {"amount": pay.to_string(), "currency": "GBP"}, "bill_rate": {"amount": (pay + Decimal::new(437, 2)).to_string(), "currency": "GBP"}}))).await;
                for _ in 0..rng.u32(0..=headcount) {
                    let w = workers[rng.usize(..workers.len())];
                    let (status, _) = app.call(Method::POST, &format!("/shifts/{}/bookings", s["id"]), Some(token), Some(json!({"worker_id": w, "mode": "instant"}))).await;
                    booked += usize::from(status == StatusCode::CREATED);
                }
            }
        }
        let want = expected(&app).await;
        let (got, _) = published(&app).await;
        assert_eq!(got, want, "round {round}: the published figures are the raw records' ({booked} bookings)");
        assert!(!got.is_empty(), "round {round}: something is published");
    }
    // A region one business short of k: suppressed, not rounded.
    let paris = |b: i64| json!({"name": format!("Paris desk {b}"), "zone": "Europe/Paris", "location": {"lat": 53.7997, "lon": -1.5492}});
    let post_in_paris = async |i: usize| {
        let (b, _, token) = &businesses[i];
        let site = app.ok(Method::POST, &format!("/businesses/{b}/sites"), &app.operator, Some(paris(*b))).await["id"].as_i64().unwrap();
        let start = base + SignedDuration::from_hours(24 * 20 + i as i64);
        let s = app.ok(Method::POST, "/shifts", token, Some(json!({"site_id": site, "start": start, "end": start + SignedDuration::from_mins(60), "headcount": 2, "skills": [],
            "pay_rate": {"amount": "15.00", "currency": "GBP"}, "bill_rate": {"amount": "19.00", "currency": "GBP"}}))).await;
        for w in [workers[i], workers[(i + 3) % workers.len()]] {
            app.ok(Method::POST, &format!("/shifts/{}/bookings", s["id"]), token, Some(json!({"worker_id": w, "mode": "instant"}))).await;
        }
    };
    for i in 0..K - 1 {
        post_in_paris(i).await;
    }
    let (got, m) = published(&app).await;
    assert!(!got.keys().any(|(_, r)| r == "Europe/Paris"), "k − 1 businesses: suppressed: {m}");
    assert_eq!(got, expected(&app).await);
    post_in_paris(K - 1).await;
    let (got, _) = published(&app).await;
    assert!(got.contains_key(&("general".to_string(), "Europe/Paris".to_string())), "the k-th business publishes it");
    assert_eq!(got, expected(&app).await);
    println!("market over HTTP: {} cells published, {booked} random bookings", got.len());
}

async fn why_not_agrees_with_explain_and_hides_the_business(app: TestApp) {
    let (w, tw) = app.worker("Why Wanda", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let (_, site, tb) = app.business("Why Bakery").await;
    let base = monday_after_next().timestamp() + SignedDuration::from_hours(8);
    // 2,280 minutes booked this week, so a 3-hour shift breaks the 2,400 cap.
    for d in 0..4 {
        let s = app.shift(&tb, Some(site), base + SignedDuration::from_hours(24 * d), 570, 1).await;
        app.ok(Method::POST, &format!("/shifts/{s}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    }
    let s = app.shift(&tb, Some(site), base + SignedDuration::from_hours(24 * 4), 180, 1).await;
    let why = app.ok(Method::GET, &format!("/shifts/{s}/why-not"), &tw, None).await;
    let exp = app.ok(Method::GET, &format!("/shifts/{s}/explain?worker_id={w}"), &tb, None).await;
    let outcomes = |v: &Value| v["checks"].as_array().unwrap().iter().map(|c| (c["rule"].clone(), c["pass"].clone())).collect::<Vec<_>>();
    assert_eq!(outcomes(&why), outcomes(&exp), "same rules, same outcomes");
    assert_eq!(why["allowed"], false);
    let weekly = why["checks"].as_array().unwrap().iter().find(|c| c["rule"] == "weekly_cap").unwrap();
    assert!(weekly["message"].as_str().unwrap().contains("2,460 of your 2,400 weekly minutes"), "{weekly}");
    let text = why.to_string();
    for private in ["17.25", "bill_rate", "headcount", "\"notes\""] {
        assert!(!text.contains(private), "why-not shows the business's {private}: {text}");
    }
    // Who may ask: the business is refused, an operator names the worker, another worker's id is not found.
    assert_eq!(app.call(Method::GET, &format!("/shifts/{s}/why-not"), Some(&tb), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::GET, &format!("/shifts/{s}/why-not"), Some(&app.operator), None).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let op = app.ok(Method::GET, &format!("/shifts/{s}/why-not?worker_id={w}"), &app.operator, None).await;
    assert_eq!(outcomes(&op), outcomes(&why));
    assert_eq!(app.call(Method::GET, &format!("/shifts/{s}/why-not?worker_id={}", w + 1000), Some(&tw), None).await.0, StatusCode::NOT_FOUND);
}
