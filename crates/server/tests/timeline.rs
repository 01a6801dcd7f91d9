//! One timeline per customer over real HTTP, on SQLite and PostgreSQL: a
//! business's and a worker's contacts (bookings, cancellations, offers,
//! emails and webhooks written to the outbox) in order, newest first, with
//! who acted, filtered by category; a bad category is refused by name.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

on_both_databases!(each_customer_sees_every_contact_in_order);

fn kinds(v: &Value) -> Vec<String> {
    v.as_array().expect("items").iter().map(|i| format!("{}:{}", i["category"].as_str().unwrap_or(""), i["kind"].as_str().unwrap_or(""))).collect()
}

async fn each_customer_sees_every_contact_in_order(app: common::TestApp) {
    let (w, tw) = app.private_worker().await;
    let (b, site, tb) = app.business("Line Cafe").await;
    app.ok(Method::POST, &format!("/businesses/{b}/webhooks"), &tb, Some(json!({"url": "http://127.0.0.1:9/hook", "event_types": "booking.*"}))).await;
    let noon = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(12);
    let shift = app.shift(&tb, Some(site), noon, 120, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("id");
    app.ok(Method::POST, &format!("/bookings/{booking}/cancel"), &tw, None).await;

    let all = app.ok(Method::GET, &format!("/businesses/{b}/timeline"), &tb, None).await;
    let got = kinds(&all);
    // Newest first; each event with the email and webhook it caused.
    let at: Vec<&str> = all.as_array().expect("items").iter().map(|i| i["at"].as_str().unwrap_or("")).collect();
    assert!(at.windows(2).all(|p| p[0] >= p[1]), "newest first: {at:?}");
    for want in ["booking:booking.cancelled_by_worker", "booking:booking.confirmed", "shift:shift.posted", "email:email.sent", "webhook:webhook.sent"] {
        assert!(got.iter().any(|k| k == want), "{want} missing from {got:?}");
    }
    let cancelled = all.as_array().expect("items").iter().find(|i| i["kind"] == "booking.cancelled_by_worker").expect("cancel");
    assert_eq!(cancelled["who"], "counterpart", "the worker cancelled: {cancelled}");
    let confirmed = all.as_array().expect("items").iter().find(|i| i["kind"] == "booking.confirmed").expect("confirm");
    assert_eq!(confirmed["who"], "customer", "the business booked: {confirmed}");
    assert_eq!(confirmed["booking_id"], booking);

    // Filtered by category: only emails, one per event that emails the business.
    let emails = app.ok(Method::GET, &format!("/businesses/{b}/timeline?category=email"), &tb, None).await;
    assert_eq!(kinds(&emails), vec!["email:email.sent".to_string(); 2], "{emails}");
    let two = app.ok(Method::GET, &format!("/businesses/{b}/timeline?category=booking,webhook"), &tb, None).await;
    assert!(kinds(&two).iter().all(|k| k.starts_with("booking:") || k.starts_with("webhook:")), "{two}");
    assert_eq!(kinds(&two).len(), 4, "two bookings events, two webhook deliveries: {two}");

    // The worker's own timeline: the same booking, seen from the other side.
    let mine = app.ok(Method::GET, &format!("/workers/{w}/timeline?category=booking,email"), &tw, None).await;
    let items = mine.as_array().expect("items");
    assert_eq!(items.iter().find(|i| i["kind"] == "booking.confirmed").expect("confirmed")["who"], "counterpart");
    assert_eq!(items.iter().find(|i| i["kind"] == "booking.cancelled_by_worker").expect("cancelled")["who"], "customer");
    assert_eq!(items.iter().filter(|i| i["kind"] == "email.sent").count(), 2);
    assert!(!mine.to_string().contains("webhook"), "a business's webhooks are not on the worker's timeline");

    // A bad category is named; paging bounds are declared and honoured.
    let (status, problem) = app.call(Method::GET, &format!("/businesses/{b}/timeline?category=gossip"), Some(&tb), None).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("category")), "{problem}");
    let one = app.ok(Method::GET, &format!("/businesses/{b}/timeline?limit=1&offset=1"), &tb, None).await;
    assert_eq!(one.as_array().expect("items")[0], all[1]);
}
