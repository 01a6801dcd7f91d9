//! Notifications from the transactional outbox, judged by real third-party
//! receivers on loopback, on SQLite and PostgreSQL, under a simulated clock:
//! - email to a real SMTP server (aiosmtpd): the right people get the right
//!   messages; with the server down nothing is lost; a delivery loop killed
//!   between send and record repeats with the same Message-ID and skips nothing;
//! - webhooks verified by the `standardwebhooks` package: every delivery
//!   verifies, a failing receiver sees retries on the published schedule, a
//!   410 disables the endpoint, and a rotated secret signs alongside the old.

mod common;

#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;
#[path = "../../documents/tests/support/smtp_sink.rs"]
mod smtp_sink;
#[path = "../../documents/tests/support/webhook_receiver.rs"]
mod webhook_receiver;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use slivers_exchange::notify::{Notifier, NotifierSettings, Report, SmtpSettings};
use slivers_store::testing::TestDb;
use slivers_store::{Channel, DeliveryStatus, OutboxFilter, Page, Scope};
use smtp_sink::SmtpSink;
use webhook_receiver::{Plan, WebhookReceiver};

const WAIT: Duration = Duration::from_secs(20);

flow_on_both_databases!(sqlite_email_reaches_the_right_people_and_survives_outages, postgres_email_reaches_the_right_people_and_survives_outages, email_flow);
flow_on_both_databases!(sqlite_webhooks_verify_retry_on_schedule_and_disable_on_410, postgres_webhooks_verify_retry_on_schedule_and_disable_on_410, webhook_flow);

fn advance(secs: &AtomicI64, by: i64) {
    secs.fetch_add(by, Ordering::SeqCst);
}

async fn email_rows(app: &common::TestApp) -> Vec<slivers_store::OutboxItem> {
    let filter = OutboxFilter { channel: Some(Channel::Email), ..Default::default() };
    app.store.list_outbox(&filter, &Scope::All, Page { limit: 1000, offset: 0 }).await.expect("outbox")
}

async fn email_flow(db: TestDb) {
    let sink = SmtpSink::start();
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let settings = NotifierSettings {
        smtp: Some(SmtpSettings { host: "127.0.0.1".into(), port: sink.port(), from: "Slivers <noreply@slivers.test>".into() }),
        public_url: app.base.clone(),
    };
    let notifier = Notifier::new(app.state.exchange.clone(), settings).expect("notifier");
    let (w, _tw) = app.private_worker().await;
    let (_bystander, _) = app.worker("Olive Other", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 3000, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let (_b, site, tb) = app.business("Mail Cafe").await;
    let worker_email = app.store.list_workers(Page { limit: 10, offset: 0 }).await.expect("workers");
    assert!(worker_email.iter().any(|x| x.id.0 == w));
    let worker_address = format!("priya-private-{w}@workers.example");
    let manager_address = format!("manager@{_b}.mail-cafe.example");

    // A confirmed booking: one email to the worker and one to the business, nobody else.
    let noon = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(12);
    let shift = app.shift(&tb, Some(site), noon, 120, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking id");
    let report = notifier.deliver_due().await.expect("deliver");
    assert_eq!(report, Report { delivered: 2, retried: 0, failed: 0 });
    let got = sink.wait_for(2, WAIT);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    let mut want = vec![worker_address.clone(), manager_address.clone()];
    want.sort();
    assert_eq!(to, want, "exactly the worker and the business's manager");
    for m in &got {
        assert!(m.subject.starts_with("Booking confirmed: Mail Cafe at Mail Cafe Leeds, Mon"), "{}", m.subject);
        assert!(m.body.contains(&format!("(booking {booking})")), "{}", m.body);
        assert!(m.header("List-Unsubscribe").is_none(), "booking emails are essential");
    }

    // An offer goes to the worker only, with an unsubscribe link (offers are optional).
    let shift2 = app.shift(&tb, Some(site), noon + jiff::SignedDuration::from_hours(24), 120, 1).await;
    let offer = app.ok(Method::POST, &format!("/shifts/{shift2}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "offer"}))).await;
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report { delivered: 1, retried: 0, failed: 0 });
    let got = sink.wait_for(3, WAIT);
    let offer_mail = &got[2];
    assert_eq!(offer_mail.to, vec![worker_address.clone()]);
    assert!(offer_mail.subject.starts_with("A shift is offered to you"), "{}", offer_mail.subject);
    let unsubscribe = offer_mail.header("List-Unsubscribe").expect("List-Unsubscribe on an optional email").trim_matches(['<', '>']).to_string();
    assert!(unsubscribe.starts_with(&app.base) && unsubscribe.contains("topic=offers"), "{unsubscribe}");

    // The SMTP server goes down: the cancellation's two emails wait and are retried with back-off.
    sink.stop();
    app.ok(Method::POST, &format!("/bookings/{booking}/cancel"), &tb, None).await;
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report { delivered: 0, retried: 2, failed: 0 });
    advance(&secs, 5);
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report::default(), "not due again before 10 s");
    advance(&secs, 5);
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report { delivered: 0, retried: 2, failed: 0 });
    sink.restart();
    advance(&secs, 20);
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report { delivered: 2, retried: 0, failed: 0 });
    let got = sink.wait_for(5, WAIT);
    assert!(got[3..].iter().all(|m| m.subject.starts_with("Booking cancelled")), "{:?}", got.iter().map(|m| &m.subject).collect::<Vec<_>>());

    // The loop is killed between sending and recording: the repeat carries the same Message-ID.
    app.ok(Method::POST, &format!("/bookings/{}/accept", offer["id"].as_i64().expect("offer id")), &_tw, None).await;
    let now = app.state.exchange.now();
    let claimed = app.store.claim_due_notifications(now, Channel::Email, 50).await.expect("claim");
    assert_eq!(claimed.len(), 2);
    for item in &claimed {
        assert!(matches!(notifier.send(item, now).await, slivers_store::Outcome::Delivered { .. }));
        // ... and the process dies here: nothing is recorded.
    }
    sink.wait_for(7, WAIT);
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report::default(), "claimed rows wait out their lease");
    advance(&secs, 61);
    assert_eq!(notifier.deliver_due().await.expect("deliver"), Report { delivered: 2, retried: 0, failed: 0 });
    let got = sink.wait_for(9, WAIT);

    // Nothing skipped, nothing sent twice except the two repeats, which share their Message-IDs.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got {
        *seen.entry(m.message_id.clone().expect("Message-ID")).or_default() += 1;
    }
    let rows = email_rows(&app).await;
    assert_eq!(rows.len(), 7);
    for row in &rows {
        assert_eq!(row.status, DeliveryStatus::Delivered, "{row:?}");
        let want = if claimed.iter().any(|c| c.id == row.id) { 2 } else { 1 };
        assert_eq!(seen.get(&row.message_id), Some(&want), "{} in {seen:?}", row.message_id);
    }
    assert_eq!(seen.len(), 7, "no message the outbox does not know");
    drop(sink);
}

/// Create an endpoint, then start its receiver with the secret it was given
/// and point the endpoint at it.
async fn endpoint(app: &common::TestApp, business: i64, token: &str, types: &str, plan: Plan) -> (i64, String, WebhookReceiver) {
    let created = app
        .ok(Method::POST, &format!("/businesses/{business}/webhooks"), token, Some(json!({"url": "http://127.0.0.1:9/unused", "event_types": types})))
        .await;
    let secret = created["secret"].as_str().expect("secret shown once").to_string();
    assert!(secret.starts_with("whsec_"));
    let id = created["id"].as_i64().expect("endpoint id");
    let receiver = WebhookReceiver::start(&secret, plan);
    app.ok(Method::PATCH, &format!("/webhooks/{id}"), token, Some(json!({"url": receiver.url()}))).await;
    (id, secret, receiver)
}

async fn webhook_flow(db: TestDb) {
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let notifier = Notifier::new(app.state.exchange.clone(), NotifierSettings { smtp: None, public_url: app.base.clone() }).expect("notifier");
    let (w, _tw) = app.private_worker().await;
    let (b, site, tb) = app.business("Hook House").await;
    let (ok_id, _ok_secret, ok) = endpoint(&app, b, &tb, "booking.*", Plan::Ok).await;
    let (flaky_id, _, flaky) = endpoint(&app, b, &tb, "booking.cancelled_by_business", Plan::FailFirst(3)).await;
    let (gone_id, _, gone) = endpoint(&app, b, &tb, "*", Plan::Always(410)).await;

    // A booking: the `booking.*` endpoint gets it (not the shift posting), verified independently.
    let noon = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(12);
    let shift = app.shift(&tb, Some(site), noon, 120, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking id");
    let report = notifier.deliver_due().await.expect("deliver");
    let got = ok.wait_for(1, WAIT);
    assert_eq!(got.len(), 1, "only booking events: {got:?}");
    let d = &got[0];
    assert!(d.verified, "standardwebhooks rejected our signature: {:?}", d.error);
    assert_eq!(d.body["type"], "booking.confirmed");
    assert_eq!(d.body["data"]["booking_id"], booking);
    assert!(d.id.as_deref().is_some_and(|id| id.starts_with("msg_")));

    // The 410 endpoint answered Gone to its first delivery (the shift posting) and is now off.
    assert!(gone.wait_for(1, WAIT).iter().all(|d| d.verified && d.status == 410));
    // Its second (the booking, claimed in the same pass) was given up unsent.
    assert_eq!(report.failed, 2, "{report:?}");
    let listed = app.ok(Method::GET, &format!("/businesses/{b}/webhooks"), &tb, None).await;
    let gone_row = listed.as_array().expect("list").iter().find(|e| e["id"] == gone_id).expect("listed").clone();
    assert_eq!(gone_row["enabled"], false);
    assert!(gone_row["disabled_reason"].as_str().is_some_and(|r| r.contains("410")), "{gone_row}");
    assert!(!listed.to_string().contains("whsec_"), "secrets are never listed");

    // A cancellation: the flaky endpoint fails three times and succeeds on the fourth, on schedule.
    let t0 = app.state.exchange.now();
    app.ok(Method::POST, &format!("/bookings/{booking}/cancel"), &tb, None).await;
    notifier.deliver_due().await.expect("deliver");
    let schedule = [5, 5 * 60, 30 * 60];
    for wait in schedule {
        advance(&secs, wait - 1);
        assert_eq!(notifier.deliver_due().await.expect("deliver"), Report::default(), "nothing before the wait of {wait} s is over");
        advance(&secs, 1);
        notifier.deliver_due().await.expect("deliver");
    }
    let tries = flaky.wait_for(4, WAIT);
    assert_eq!(tries.iter().map(|d| d.status).collect::<Vec<_>>(), vec![500, 500, 500, 200]);
    assert!(tries.iter().all(|d| d.verified && d.id == tries[0].id), "one webhook-id across retries: {tries:?}");
    let log = app.ok(Method::GET, &format!("/webhooks/{flaky_id}/deliveries"), &tb, None).await;
    let delivery = log.as_array().expect("log")[0].clone();
    assert_eq!(delivery["status"], "delivered");
    let attempts = app.ok(Method::GET, &format!("/webhook-deliveries/{}/attempts", delivery["id"]), &tb, None).await;
    let at: Vec<i64> = attempts.as_array().expect("attempts").iter().map(|a| a["at"].as_str().expect("at").parse::<jiff::Timestamp>().expect("ts").as_second()).collect();
    let t = t0.as_second();
    assert_eq!(at, vec![t, t + 5, t + 5 + 300, t + 5 + 300 + 1800]);
    let codes: Vec<i64> = attempts.as_array().expect("attempts").iter().map(|a| a["code"].as_i64().unwrap_or(0)).collect();
    assert_eq!(codes, vec![500, 500, 500, 200]);
    // The ok endpoint got the cancellation once; the disabled one got nothing more.
    assert_eq!(ok.wait_for(2, WAIT).len(), 2);
    assert_eq!(gone.deliveries().len(), 1);
    let gone_log = app.ok(Method::GET, &format!("/webhooks/{gone_id}/deliveries"), &tb, None).await;
    let types: Vec<&str> = gone_log.as_array().expect("log").iter().map(|d| d["topic"].as_str().unwrap_or("")).collect();
    assert_eq!(types, vec!["booking.confirmed", "shift.posted"], "nothing written for a disabled endpoint after it was disabled");

    // A rotated secret: deliveries carry two signatures; a receiver holding only the new one verifies.
    let rotated = app.ok(Method::POST, &format!("/webhooks/{ok_id}/rotate-secret"), &tb, None).await;
    let new_secret = rotated["secret"].as_str().expect("new secret");
    let fresh = WebhookReceiver::start(new_secret, Plan::Ok);
    app.ok(Method::PATCH, &format!("/webhooks/{ok_id}"), &tb, Some(json!({"url": fresh.url()}))).await;
    let shift2 = app.shift(&tb, Some(site), noon + jiff::SignedDuration::from_hours(48), 60, 1).await;
    app.ok(Method::POST, &format!("/shifts/{shift2}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    notifier.deliver_due().await.expect("deliver");
    let d = fresh.wait_for(1, WAIT)[0].clone();
    assert!(d.verified, "{:?}", d.error);
    assert_eq!(d.signature.as_deref().map(|s| s.split(' ').count()), Some(2), "old and new secret both sign for a day");

    // Another business sees none of this.
    let (_other, _, t_other) = app.business("Other Co").await;
    for path in [format!("/webhooks/{ok_id}/deliveries"), format!("/webhook-deliveries/{}/attempts", delivery["id"]), format!("/businesses/{b}/webhooks")] {
        let (status, _) = app.call(Method::GET, &path, Some(&t_other), None).await;
        assert_eq!(status, reqwest::StatusCode::NOT_FOUND, "{path}");
    }
}
