//! Must-show (c): 64 concurrent clients over real HTTP book one worker into
//! overlapping shifts and into shifts that together exceed the weekly cap.
//! Exactly an allowed set is confirmed; every other attempt is a 409 naming
//! the rule. Twenty rounds, on SQLite and on PostgreSQL.

mod common;

use std::sync::Arc;

use jiff::{Timestamp, ToSpan};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Barrier;

use common::TestApp;

const CLIENTS: usize = 64;
const ROUNDS: usize = 20;
const WEEKLY_CAP: i64 = 600;
const SHIFT_MINUTES: i64 = 60;

on_both_databases!(sixty_four_clients_never_break_overlap_or_weekly_cap);

async fn sixty_four_clients_never_break_overlap_or_weekly_cap(app: TestApp) {
    let (_, site, manager) = app.business("Race Cafe").await;
    // 32 slots two hours apart inside one local ISO week; each slot has two
    // shifts 15 minutes apart that overlap each other. Headcount is high so
    // each round's fresh worker can be booked onto the same shifts.
    let monday = common::monday_after_next();
    let first = monday.checked_add(8.hours()).expect("08:00").timestamp();
    let mut shifts: Vec<(i64, Timestamp)> = Vec::new();
    for slot in 0..(CLIENTS / 2) as i64 {
        let a = first.checked_add((slot * 120).minutes()).expect("slot");
        let b = a.checked_add(15.minutes()).expect("offset");
        shifts.push((app.shift(&manager, Some(site), a, SHIFT_MINUTES, ROUNDS as u32).await, a));
        shifts.push((app.shift(&manager, Some(site), b, SHIFT_MINUTES, ROUNDS as u32).await, b));
    }
    let limits = json!({"max_minutes_per_day": 1440, "max_minutes_per_week": WEEKLY_CAP, "min_rest_minutes": 30, "min_notice_minutes": 0});

    for round in 0..ROUNDS {
        let (worker, worker_token) = app.worker(&format!("Racer {round}"), limits.clone()).await;
        let barrier = Arc::new(Barrier::new(CLIENTS));
        let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().expect("client");
        let tasks: Vec<_> = shifts
            .iter()
            .map(|(shift, _)| {
                let (barrier, client, manager) = (barrier.clone(), client.clone(), manager.clone());
                let url = format!("{}/api/v1/shifts/{shift}/bookings", app.base);
                tokio::spawn(async move {
                    barrier.wait().await;
                    let res = client
                        .post(url)
                        .bearer_auth(manager)
                        .json(&json!({"worker_id": worker, "mode": "instant"}))
                        .send()
                        .await
                        .expect("send");
                    let status = res.status();
                    (status, res.json::<Value>().await.expect("json"))
                })
            })
            .collect();
        let mut confirmed = 0;
        for t in tasks {
            let (status, body) = t.await.expect("task");
            match status {
                StatusCode::CREATED => confirmed += 1,
                StatusCode::CONFLICT => {
                    let rules: Vec<&str> = body["rules"].as_array().expect("rules").iter().filter_map(Value::as_str).collect();
                    assert!(rules.contains(&"overlap") || rules.contains(&"weekly_cap"), "round {round}: refused for {rules:?}: {body}");
                }
                other => panic!("round {round}: unexpected {other}: {body}"),
            }
        }
        // Ten one-hour bookings fill the 600-minute cap, and each slot holds
        // at most one of its two overlapping shifts, so exactly ten succeed.
        assert_eq!(confirmed, (WEEKLY_CAP / SHIFT_MINUTES) as usize, "round {round}");
        check_allowed_set(&app, worker, &worker_token).await;
    }
}

/// The confirmed set, read back through the worker's own view, obeys the rules.
async fn check_allowed_set(app: &TestApp, worker: i64, token: &str) {
    let bookings = app.ok(Method::GET, &format!("/workers/{worker}/bookings"), token, None).await;
    let mut windows: Vec<(Timestamp, Timestamp)> = bookings
        .as_array()
        .expect("list")
        .iter()
        .filter(|b| b["status"] == "confirmed")
        .map(|b| (b["window"]["start"].as_str().unwrap().parse().unwrap(), b["window"]["end"].as_str().unwrap().parse().unwrap()))
        .collect();
    windows.sort();
    let total: i64 = windows.iter().map(|(s, e)| (e.as_second() - s.as_second()) / 60).sum();
    assert_eq!(total, WEEKLY_CAP);
    for pair in windows.windows(2) {
        let gap = (pair[1].0.as_second() - pair[0].1.as_second()) / 60;
        assert!(gap >= 30, "bookings {pair:?} are {gap} minutes apart");
    }
}
