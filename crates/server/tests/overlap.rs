//! The overlap finder over HTTP: a team in India, Ireland, Singapore and the
//! US finds its common hours in a December week, on each person's clock,
//! worked out by hand below.

mod common;

use reqwest::Method;
use serde_json::{json, Value};

on_both_databases!(a_team_across_four_zones_finds_its_common_hours);

fn weekdays(start: &str, end: &str) -> Value {
    let days: Vec<Value> = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        .iter()
        .map(|d| json!({"weekday": d, "start": start, "end": end}))
        .collect();
    json!({"weekly": days})
}

async fn a_team_across_four_zones_finds_its_common_hours(app: common::TestApp) {
    let (_b, _site, tb) = app.business("Call Planners").await;
    // In UTC on a weekday of 7–11 Dec 2026 (no DST anywhere that week):
    // Kolkata 13:00–22:00 (+05:30) = 07:30–16:30; Dublin 08:00–18:00 (+00:00) = 08:00–18:00;
    // Singapore 15:00–23:30 (+08:00) = 07:00–15:30; New York 07:00–12:00 (−05:00) = 12:00–17:00.
    // Everyone: 12:00–15:30 UTC, 210 minutes a day, five days.
    let people = json!([
        {"label": "Asha", "zone": "Asia/Kolkata", "availability": weekdays("13:00", "22:00")},
        {"label": "Niamh", "zone": "Europe/Dublin", "availability": weekdays("08:00", "18:00")},
        {"label": "Wei", "zone": "Asia/Singapore", "availability": weekdays("15:00", "23:30")},
        {"label": "Dana", "zone": "America/New_York", "availability": weekdays("07:00", "12:00")},
    ]);
    let got = app.ok(Method::POST, "/overlap", &tb, Some(json!({"start": "2026-12-07T00:00:00Z", "people": people}))).await;
    assert_eq!(got["minutes"], 5 * 210, "{got}");
    let common = got["common"].as_array().expect("common");
    assert_eq!(common.len(), 5);
    assert_eq!(common[0]["start"], "2026-12-07T12:00:00Z", "{got}");
    assert_eq!(common[0]["end"], "2026-12-07T15:30:00Z");
    let first = |i: usize| got["people"][i]["windows"][0].clone();
    assert_eq!((first(0)["start"].as_str(), first(0)["end"].as_str(), first(0)["start_offset"].as_str()), (Some("2026-12-07T17:30"), Some("2026-12-07T21:00"), Some("+05:30")));
    assert_eq!((first(1)["start"].as_str(), first(1)["start_offset"].as_str()), (Some("2026-12-07T12:00"), Some("+00:00")));
    assert_eq!((first(2)["start"].as_str(), first(2)["end"].as_str()), (Some("2026-12-07T20:00"), Some("2026-12-07T23:30")));
    assert_eq!((first(3)["start"].as_str(), first(3)["start_offset"].as_str()), (Some("2026-12-07T07:00"), Some("-05:00")));
    assert!(got["people"].as_array().expect("people").iter().all(|p| p["windows"].as_array().map(Vec::len) == Some(5)));
}
