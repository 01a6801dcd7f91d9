//! Must-show (e): offer waves with simulated time. Waves widen on schedule; a
//! second acceptance after the first is refused with a clear reason; an
//! acceptance that would break the worker's limits is refused even though the
//! offer was made. On SQLite and PostgreSQL.

mod common;

use std::sync::atomic::Ordering;

use jiff::{Timestamp, ToSpan};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_exchange::waves::tick;
use slivers_store::testing::TestDb;

use common::TestApp;

flow_on_both_databases!(sqlite_waves, postgres_waves, waves);

async fn wave_state(app: &TestApp, token: &str, shift: i64) -> Value {
    app.ok(Method::GET, &format!("/shifts/{shift}/waves"), token, None).await
}

async fn offers(app: &TestApp, token: &str, shift: i64) -> Vec<(i64, i64)> {
    let list = app.ok(Method::GET, &format!("/shifts/{shift}/bookings"), token, None).await;
    list.as_array().unwrap().iter().filter(|b| b["status"] == "offered").map(|b| (b["id"].as_i64().unwrap(), b["worker_id"].as_i64().unwrap())).collect()
}

async fn waves(db: TestDb) {
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let advance = |minutes: i64| secs.fetch_add(minutes * 60, Ordering::SeqCst);
    let now = || Timestamp::from_second(secs.load(Ordering::SeqCst)).unwrap();
    let (business, site, manager) = app.business("Urgent Cafe").await;
    let limits = json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 60, "min_notice_minutes": 0});
    let mut workers = Vec::new();
    for i in 0..10 {
        workers.push(app.worker(&format!("Wave Worker {i}"), limits.clone()).await);
    }
    let token_of = |w: i64| workers.iter().find(|(id, _)| *id == w).map(|(_, t)| t.clone()).unwrap();
    app.ok(Method::PUT, &format!("/businesses/{business}/wave-settings"), &manager, Some(json!({"size": 3, "interval_minutes": 10, "order": "best"}))).await;

    // An urgent shift three hours from now, on a whole minute.
    let start = Timestamp::from_second(now().as_second() / 60 * 60).unwrap().checked_add(3.hours()).unwrap();
    let shift = app.shift(&manager, Some(site), start, 240, 1).await;
    let (s, w) = app.call(Method::POST, &format!("/shifts/{shift}/waves"), Some(&manager), Some(json!({}))).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!((w["waves_sent"].as_i64(), w["offers_sent"].as_i64()), (Some(1), Some(3)), "{w}");
    let first_wave = offers(&app, &manager, shift).await;
    assert_eq!(first_wave.len(), 3);

    // Nothing more until T has passed; then exactly one more wave each T.
    advance(9);
    tick(&app.state.exchange).await.unwrap();
    assert_eq!(wave_state(&app, &manager, shift).await["waves_sent"], 1);
    for (minutes, waves, offered) in [(1, 2, 6), (10, 3, 9), (10, 4, 10)] {
        advance(minutes);
        tick(&app.state.exchange).await.unwrap();
        let st = wave_state(&app, &manager, shift).await;
        assert_eq!((st["waves_sent"].as_i64(), st["offers_sent"].as_i64()), (Some(waves), Some(offered)), "{st}");
    }
    // Ten workers, ten offers, nobody asked twice.
    let all = offers(&app, &manager, shift).await;
    let distinct: std::collections::BTreeSet<i64> = all.iter().map(|(_, w)| *w).collect();
    assert_eq!((all.len(), distinct.len()), (10, 10));

    // The first valid acceptance wins; the second is refused, naming the rule.
    let (b1, w1) = first_wave[0];
    let (b2, w2) = first_wave[1];
    let (s, v) = app.call(Method::POST, &format!("/bookings/{b1}/accept"), Some(&token_of(w1)), None).await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{v}");
    let (s, v) = app.call(Method::POST, &format!("/bookings/{b2}/accept"), Some(&token_of(w2)), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["rules"], json!(["headcount"]));
    assert!(v["detail"].as_str().unwrap().contains("1 of 1 places filled"), "{v}");

    // The next tick ends the campaign as filled and withdraws the other offers.
    advance(1);
    tick(&app.state.exchange).await.unwrap();
    assert_eq!(wave_state(&app, &manager, shift).await["status"], "filled");
    assert!(offers(&app, &manager, shift).await.is_empty());

    // An offer that was valid when made is refused at acceptance if the
    // worker's limits would now break: here, another business booked them.
    let (_, other_site, other_manager) = app.business("Other Cafe").await;
    let later = start.checked_add(24.hours()).unwrap();
    let shift2 = app.shift(&manager, Some(site), later, 240, 1).await;
    app.ok(Method::POST, &format!("/shifts/{shift2}/waves"), &manager, Some(json!({"size": 10}))).await;
    let (b3, w3) = offers(&app, &manager, shift2).await[0];
    let clash = app.shift(&other_manager, Some(other_site), later.checked_add(1.hours()).unwrap(), 120, 1).await;
    app.ok(Method::POST, &format!("/shifts/{clash}/bookings"), &other_manager, Some(json!({"worker_id": w3, "mode": "instant"}))).await;
    let (s, v) = app.call(Method::POST, &format!("/bookings/{b3}/accept"), Some(&token_of(w3)), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["rules"].as_array().unwrap().contains(&json!("overlap")), "{v}");
    assert_eq!(v["verdict"]["allowed"], false);

    // Stopping withdraws what is outstanding; an offer past its expiry lapses.
    let stopped = app.ok(Method::DELETE, &format!("/shifts/{shift2}/waves"), &manager, None).await;
    assert_eq!(stopped["status"], "stopped");
    assert!(offers(&app, &manager, shift2).await.is_empty());

    // Every wave, offer, acceptance and ending is on the business's timeline.
    let events = app.ok(Method::GET, &format!("/businesses/{business}/events?limit=1000"), &manager, None).await;
    let count = |kind: &str, shift: i64| events.as_array().unwrap().iter().filter(|e| e["kind"] == kind && e["shift_id"] == shift).count();
    assert_eq!(count("wave.started", shift), 1);
    assert_eq!(count("wave.sent", shift), 4);
    assert_eq!(count("booking.offered", shift), 10);
    assert_eq!(count("booking.confirmed", shift), 1);
    assert_eq!(count("booking.withdrawn", shift), 9);
    assert_eq!(count("wave.filled", shift), 1);
    assert_eq!(count("wave.stopped", shift2), 1);
}
