//! A worker's private life stays private, and evidence is written only by the
//! exchange. The privacy walk reads the OpenAPI document and calls every GET
//! route as every role (the worker, another worker, a business that booked
//! them, one that did not, an operator); private values of the worker may
//! appear only to the worker and operators. A new route is walked without
//! being listed here, and fails the test if it leaks.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use common::{leaks, monday_after_next, TestApp};

on_both_databases!(private_fields_reach_only_the_worker_and_operators, exchange_evidence_is_refused_and_levels_rise_only_through_exchange_records, a_worker_sees_no_bill_rate_in_the_shifts_that_fit);

async fn private_fields_reach_only_the_worker_and_operators(app: TestApp) {
    let (w1, t1) = app.private_worker().await;
    let (_w2, t2) = app.worker("Other Olu", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let (a, site_a, ta) = app.business("Booked Bakery").await;
    let (_b, _site_b, tb) = app.business("Bystander Books").await;
    let monday = monday_after_next();
    let noon = monday.timestamp().checked_add(jiff::SignedDuration::from_hours(12)).expect("noon");
    let shift = app.shift(&ta, Some(site_a), noon, 120, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &ta, Some(json!({"worker_id": w1, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking id");
    // Sunday 03:00 to 05:00: inside the blackout and outside availability.
    let sunday = monday.timestamp().checked_add(jiff::SignedDuration::from_hours(6 * 24 + 3)).expect("sunday");
    let night = app.shift(&ta, Some(site_a), sunday, 120, 1).await;

    // The worker talks with the exchange and with the business: an inquiry, a
    // feature request, a message on the booking (the walk reads them all).
    let inquiry = app.ok(Method::POST, "/inquiries", &t1, Some(json!({"category": "booking", "subject": "Parking", "text": "Where do I park?", "about": {"kind": "booking", "id": booking}}))).await;
    let inquiry = inquiry["id"].as_i64().expect("inquiry id");
    let request = app.ok(Method::POST, "/feature-requests", &t1, Some(json!({"title": "Dark mode", "text": "Easier at night"}))).await;
    let request = request["id"].as_i64().expect("request id");
    app.ok(Method::POST, &format!("/bookings/{booking}/messages"), &t1, Some(json!({"text": "On my way"}))).await;
    // An exchange-wide assessment the worker is taking, with a question asked.
    let assessment = app
        .ok(Method::POST, "/assessments", &app.operator, Some(json!({
            "skill": "barista", "title": "Rush hour", "pass_level": 3, "time_limit_minutes": 30, "cool_down_days": 14,
            "scenarios": [{"kind": "text", "prompt": "The queue is out of the door."}], "rubric": [{"name": "Calm", "max": 10}], "questions_max": 5
        })))
        .await["id"]
        .as_i64()
        .expect("assessment id");
    let attempt = app.ok(Method::POST, &format!("/assessments/{assessment}/attempts"), &t1, None).await["id"].as_i64().expect("attempt id");
    app.ok(Method::POST, &format!("/assessment-attempts/{attempt}/questions"), &t1, Some(json!({"text": "Is there a second till?"}))).await;

    // Positive control: the markers are real, and the worker sees them.
    let own = app.ok(Method::GET, &format!("/workers/{w1}"), &t1, None).await.to_string();
    assert!(leaks(&own).len() >= 10, "the worker's own profile carries the private values: {own}");

    let spec = app.ok(Method::GET, "/openapi.json", &app.operator, None).await;
    let roles = [("worker self", t1.as_str(), true), ("other worker", t2.as_str(), false), ("booked business", ta.as_str(), false), ("other business", tb.as_str(), false), ("operator", app.operator.as_str(), true)];
    let mut walked = 0;
    let mut public_walked = 0;
    for (template, item) in spec["paths"].as_object().expect("paths") {
        if item.get("get").is_none() || template == "/openapi.json" {
            continue;
        }
        let id = if template.starts_with("/workers/{id}") {
            w1
        } else if template.starts_with("/businesses/{id}") {
            a
        } else if template == "/shifts/{id}/explain" || template.starts_with("/shifts/{id}") {
            shift
        } else if template.starts_with("/bookings/{id}") {
            booking
        } else if template.starts_with("/sites/{id}") {
            site_a
        } else if template.starts_with("/inquiries/{id}") {
            inquiry
        } else if template.starts_with("/feature-requests/{id}") {
            request
        } else if template.starts_with("/assessments/{id}") {
            assessment
        } else if template.starts_with("/assessment-attempts/{id}") {
            attempt
        } else if template.starts_with("/timesheets/{id}") || template.starts_with("/documents/{id}") || template.starts_with("/pay-statements/{id}")
            || template.starts_with("/webhooks/{id}") || template.starts_with("/webhook-deliveries/{id}") {
            // None exist in this walk: every role must get a clean 404, never a 500.
            1
        } else {
            assert!(!template.contains("{id}"), "{template}: the privacy walk has no id for this route; add one");
            0
        };
        let mut path = template.replace("{id}", &id.to_string()).replace("{kind}", "timesheets").replace("{token}", "no-such-feed");
        assert!(!path.contains('{'), "{template}: the privacy walk cannot fill this route; add a value");
        if template == "/shifts/{id}/explain" {
            path.push_str(&format!("?worker_id={w1}"));
        }
        for (role, token, may_see) in roles {
            // `/me/…` is always the caller's own: the other worker sees their own private values there.
            // `/shifts/{id}/why-not` is likewise the calling worker's own verdict: the other
            // worker sees their own numbers there, but none of W1's values (checked below).
            let own_view = template.starts_with("/me/") || template == "/shifts/{id}/why-not";
            let may_see = may_see || (role == "other worker" && own_view);
            let (status, body) = app.call(Method::GET, &path, Some(token), None).await;
            assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{role} GET {path}: 500");
            if !may_see && status.is_success() {
                let found = leaks(&body.to_string());
                assert!(found.is_empty(), "{role} GET {path} leaks {found:?}: {body}");
            }
            // The shifts that fit a worker, as the worker sees them, likewise.
            let worker_view = template == "/shifts/{id}/why-not" || (template == "/workers/{id}/shifts" && role == "worker self");
            if worker_view && status.is_success() {
                // A worker's why-not never shows the business's bill rate (17.25) or settings,
                // and another worker's never shows W1's values.
                let text = body.to_string();
                for private in ["17.25", "bill_rate", "headcount", "wave", "billing"] {
                    assert!(!text.contains(private), "{role} GET {path} shows the business's {private}: {text}");
                }
                let w1_values = &common::PRIVATE[..7];
                if role == "other worker" {
                    assert!(!w1_values.iter().any(|m| text.contains(m)), "{role} GET {path} shows W1's values: {text}");
                }
            }
            walked += 1;
        }
        // Without a token: a route marked public (`security: [{}]`) answers and
        // leaks nothing; every other route refuses.
        let public = item["get"]["security"].as_array().is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(serde_json::Map::is_empty)));
        let (status, body) = app.call(Method::GET, &path, None, None).await;
        if item["get"].get("security").is_none() {
            // A capability address (the calendar feed): its secret is the credential.
            assert!(status != StatusCode::INTERNAL_SERVER_ERROR && status != StatusCode::OK, "GET {path} without its secret: {status}");
        } else if public {
            assert_eq!(status, StatusCode::OK, "public GET {path}: {body}");
            let found = leaks(&body.to_string());
            assert!(found.is_empty() && !body.to_string().contains("17.25"), "public GET {path} leaks {found:?}: {body}");
            public_walked += 1;
        } else {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "GET {path} without a token: {body}");
        }
    }
    assert!(public_walked >= 2, "the public market routes were not walked");
    assert!(walked >= 5 * 20, "walked only {walked} route-role pairs");

    // The public profile: what a business judges with, and nothing private.
    let public = app.ok(Method::GET, &format!("/workers/{w1}/public?shift_id={shift}"), &ta, None).await;
    assert_eq!(public["skills"][0]["effective_level"], 3);
    assert_eq!(public["skills"][0]["evidence"]["assessments"], 1);
    assert_eq!(public["distance_band"], "under 5 km", "{public}");
    assert_eq!(public["zone"], "Europe/London");

    // Refusals and explanations: which rule and by how much, never the reason behind it.
    let (status, refusal) = app.call(Method::POST, &format!("/shifts/{night}/bookings"), Some(&ta), Some(json!({"worker_id": w1, "mode": "instant"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refusal}");
    let rules: Vec<&str> = refusal["rules"].as_array().expect("rules").iter().filter_map(Value::as_str).collect();
    assert!(rules.contains(&"blackout") && rules.contains(&"availability"), "{refusal}");
    assert!(leaks(&refusal.to_string()).is_empty(), "the refusal leaks {:?}: {refusal}", leaks(&refusal.to_string()));
    let explained = app.ok(Method::GET, &format!("/shifts/{night}/explain?worker_id={w1}&mode=instant"), &ta, None).await;
    assert!(leaks(&explained.to_string()).is_empty(), "explain leaks: {explained}");
    let avail = explained["checks"].as_array().expect("checks").iter().find(|c| c["rule"] == "availability").expect("availability check");
    assert_eq!(avail["message"], "falls outside declared availability by 120 minutes", "by how much, not when");
    // The worker asking about the same shift sees every number.
    let mine = app.ok(Method::GET, &format!("/shifts/{night}/explain?worker_id={w1}&mode=instant"), &t1, None).await;
    assert!(mine.to_string().contains("blackout_minutes"), "{mine}");
    let search = app
        .ok(Method::POST, "/match/search", &ta, Some(json!({"start": noon, "end": noon.checked_add(jiff::SignedDuration::from_hours(1)).expect("end"),
            "site_id": site_a, "skills": [{"skill": "barista", "level": 2}], "pay_rate": {"amount": "20.00", "currency": "GBP"}})))
        .await;
    assert!(leaks(&search.to_string()).is_empty(), "search leaks: {search}");
}

async fn exchange_evidence_is_refused_and_levels_rise_only_through_exchange_records(app: TestApp) {
    let (w1, t1) = app.private_worker().await;
    let level = |v: &Value| v["skills"][0]["effective_level"].as_i64().expect("level");
    let public = app.ok(Method::GET, &format!("/workers/{w1}/public"), &t1, None).await;
    assert_eq!(level(&public), 3);
    let before = app.snapshot().await;
    let kinds = [json!({"kind": "assessment", "level": 5}), json!({"kind": "verified_minutes", "minutes": 999999}), json!({"kind": "rating", "stars": 5})];
    for kind in &kinds {
        // Through the skills route...
        let claims = json!([{"skill": "barista", "claimed": 5, "evidence": [{"kind": "self_declared"}, kind]}]);
        let (status, body) = app.call(Method::PUT, &format!("/workers/{w1}/skills"), Some(&t1), Some(claims)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}: {body}");
        assert_eq!(body["errors"][0]["field"], "skills[0].evidence[1].kind", "{body}");
        // ...and through the whole profile, sent back as read plus one record.
        let mut profile = app.ok(Method::GET, &format!("/workers/{w1}"), &t1, None).await;
        profile.as_object_mut().expect("object").remove("id");
        profile["skills"][0]["evidence"].as_array_mut().expect("evidence").push(kind.clone());
        let (status, body) = app.call(Method::PUT, &format!("/workers/{w1}"), Some(&t1), Some(profile)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}: {body}");
        assert_eq!(app.snapshot().await, before, "{kind}: nothing written");
    }
    // Workers cannot grade themselves either.
    let (status, _) = app.call(Method::POST, &format!("/workers/{w1}/assessments"), Some(&t1), Some(json!({"skill": "barista", "level": 5}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before, "nothing written");
    assert_eq!(level(&app.ok(Method::GET, &format!("/workers/{w1}/public"), &t1, None).await), 3, "the level did not move");
    // Sending the profile back as read is accepted and keeps the exchange's record.
    let mut profile = app.ok(Method::GET, &format!("/workers/{w1}"), &t1, None).await;
    profile.as_object_mut().expect("object").remove("id");
    app.ok(Method::PUT, &format!("/workers/{w1}"), &t1, Some(profile)).await;
    // Dropping the record from a rewrite does not remove it.
    app.ok(Method::PUT, &format!("/workers/{w1}/skills"), &t1, Some(json!([{"skill": "barista", "claimed": 5, "evidence": []}]))).await;
    assert_eq!(level(&app.ok(Method::GET, &format!("/workers/{w1}/public"), &t1, None).await), 3, "the exchange's record stays");
    // The exchange's own path raises it.
    app.ok(Method::POST, &format!("/workers/{w1}/assessments"), &app.operator, Some(json!({"skill": "barista", "level": 4}))).await;
    assert_eq!(level(&app.ok(Method::GET, &format!("/workers/{w1}/public"), &t1, None).await), 4);
}

flow_on_both_databases!(sqlite_completed_work_becomes_verified_minutes, postgres_completed_work_becomes_verified_minutes, completed_work_becomes_verified_minutes);

/// The exchange's own record of work done: once the shift has run (on a
/// simulated clock), the worker checks out and the business approves the
/// timesheet; exactly the approved minutes are added to the skills the
/// shift required, and nothing before. A rating moves the reputation.
async fn completed_work_becomes_verified_minutes(db: slivers_store::testing::TestDb) {
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let (w1, t1) = app.private_worker().await;
    let (_, site, tb) = app.business("Completing Cafe").await;
    let noon = monday_after_next().timestamp().checked_add(jiff::SignedDuration::from_hours(12)).expect("noon");
    let shift = app.shift(&tb, Some(site), noon, 150, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w1, "mode": "instant"}))).await;
    let id = booking["id"].as_i64().expect("booking id");
    let minutes = |v: &Value| v["skills"][0]["evidence"]["verified_minutes"].as_i64().expect("minutes");
    let public = format!("/workers/{w1}/public");
    assert_eq!(minutes(&app.ok(Method::GET, &public, &t1, None).await), 0, "nothing before the work");
    secs.store(noon.as_second(), std::sync::atomic::Ordering::SeqCst);
    app.ok(Method::POST, &format!("/bookings/{id}/check-in"), &t1, None).await;
    assert_eq!(minutes(&app.ok(Method::GET, &public, &t1, None).await), 0, "nothing at check-in");
    secs.store(noon.as_second() + 150 * 60, std::sync::atomic::Ordering::SeqCst);
    let sheet = app.ok(Method::POST, &format!("/bookings/{id}/attendance"), &t1, Some(json!({"clock": "check_out", "break_minutes": 10}))).await;
    assert_eq!(sheet["status"], "submitted");
    assert_eq!(minutes(&app.ok(Method::GET, &public, &t1, None).await), 0, "nothing until the business approves");
    let sheet = app.ok(Method::POST, &format!("/timesheets/{}/review", sheet["id"]), &tb, Some(json!({"action": "confirm"}))).await;
    assert_eq!(sheet["approved_minutes"], 140);
    assert_eq!(minutes(&app.ok(Method::GET, &public, &t1, None).await), 140, "exactly the approved minutes");
    // A rating on the completed booking moves the worker's reputation; a second one is refused.
    let before = app.ok(Method::GET, &format!("{public}?shift_id={shift}"), &tb, None).await["reputation"].clone();
    let (status, _) = app.call(Method::POST, &format!("/bookings/{id}/rating"), Some(&tb), Some(json!({"stars": 2}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let after = app.ok(Method::GET, &format!("{public}?shift_id={shift}"), &tb, None).await["reputation"].clone();
    assert_ne!(before, after, "the rating moved the reputation");
    let (status, _) = app.call(Method::POST, &format!("/bookings/{id}/rating"), Some(&tb), Some(json!({"stars": 5}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.ok(Method::GET, &format!("{public}?shift_id={shift}"), &tb, None).await["reputation"], after, "a refused rating changes nothing");
}

/// The shifts that fit a worker, as the API answers the worker: what the work
/// pays them, never what the business pays the exchange (17.25 an hour here).
async fn a_worker_sees_no_bill_rate_in_the_shifts_that_fit(app: TestApp) {
    let (w, tw) = app.worker("Fit Finder", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let (_b, site, tb) = app.business("Rate Keeper").await;
    let noon = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(12);
    app.shift(&tb, Some(site), noon, 120, 1).await;
    app.state.exchange.refresh().await;
    let fits = app.ok(Method::GET, &format!("/workers/{w}/shifts"), &tw, None).await;
    assert!(!fits.as_array().expect("list").is_empty(), "the shift fits: the check below is not vacuous");
    let text = fits.to_string();
    for private in ["17.25", "bill_rate", "headcount", "notes"] {
        assert!(!text.contains(private), "the worker sees the business's {private}: {text}");
    }
    assert!(text.contains("13.50"), "the worker sees their pay: {text}");
}
