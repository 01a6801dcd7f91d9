//! The account's life over real HTTP with email through a real SMTP server
//! (aiosmtpd) on loopback, on SQLite and PostgreSQL: a forgotten password
//! reset through the link actually received (single use, short-lived, only
//! the latest link works, every old sign-in ends), an unknown address that
//! gets the same answer and no email, email verification, a change of email
//! confirmed at the new address, and deletion with its data export.

mod common;

#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;
#[path = "../../documents/tests/support/smtp_sink.rs"]
mod smtp_sink;

use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;
use slivers_exchange::notify::{Notifier, NotifierSettings, SmtpSettings};
use slivers_store::testing::TestDb;
use slivers_store::{Channel, OutboxFilter, Page, Scope};
use smtp_sink::{Received, SmtpSink};

const WAIT: Duration = Duration::from_secs(20);

flow_on_both_databases!(sqlite_reset_verify_change_and_delete_through_real_email, postgres_reset_verify_change_and_delete_through_real_email, flow);

/// The token in the one link of an account email.
fn token_in(mail: &Received, path: &str) -> String {
    let at = mail.body.find(&format!("{path}?token=")).unwrap_or_else(|| panic!("no {path} link in: {}", mail.body));
    mail.body[at + path.len() + 7..].split_whitespace().next().expect("token").to_string()
}

async fn flow(db: TestDb) {
    let sink = SmtpSink::start();
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let settings = NotifierSettings {
        smtp: Some(SmtpSettings { host: "127.0.0.1".into(), port: sink.port(), from: "Slivers <noreply@slivers.test>".into() }),
        public_url: "http://portal.test".into(),
    };
    let notifier = Notifier::new(app.state.exchange.clone(), settings).expect("notifier");
    let deliver = || async { notifier.deliver_due().await.expect("deliver") };
    let (w, old_token) = app.worker("Rosa Reset", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let email = format!("rosa-reset-{w}@workers.example");

    // An unknown address gets the same answer and no email.
    let before = app.snapshot().await;
    let (status, _) = app.call(Method::POST, "/account/password-reset", None, Some(json!({"email": "nobody@nowhere.example"}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(app.snapshot().await, before, "nothing written for an unknown address");

    // Two requests: only the latest link works.
    for _ in 0..2 {
        let (status, _) = app.call(Method::POST, "/account/password-reset", None, Some(json!({"email": email.to_uppercase()}))).await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    deliver().await;
    let mails = sink.wait_for(2, WAIT);
    assert!(mails.iter().all(|m| m.to == vec![email.clone()] && m.subject == "Reset your Slivers password"), "{mails:?}");
    let (stale, fresh) = (token_in(&mails[0], "/account/reset"), token_in(&mails[1], "/account/reset"));
    let body = |t: &str| Some(json!({"token": t, "password": "a brand new password"}));
    let (status, problem) = app.call(Method::POST, "/account/password", None, body(&stale)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("token")), "{problem}");
    // The link's secret does not stay in the outbox once sent.
    let rows = app.store.list_outbox(&OutboxFilter { channel: Some(Channel::Email), ..Default::default() }, &Scope::All, Page { limit: 100, offset: 0 }).await.expect("outbox");
    assert!(rows.iter().all(|r| !r.data.to_string().contains(&fresh)), "token kept after sending: {rows:?}");
    let (status, user) = app.call(Method::POST, "/account/password", None, body(&fresh)).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    // Single use; the old API token ended; the new password signs in.
    let (status, _) = app.call(Method::POST, "/account/password", None, body(&fresh)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.call(Method::GET, "/me", Some(&old_token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a reset ends every old sign-in");
    let (status, signed_in) = app.call(Method::POST, "/tokens", None, Some(json!({"email": email, "password": "a brand new password"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{signed_in}");
    let token = signed_in["token"].as_str().expect("token").to_string();

    // A reset link dies after an hour.
    app.call(Method::POST, "/account/password-reset", None, Some(json!({"email": email}))).await;
    deliver().await;
    let late = token_in(&sink.wait_for(3, WAIT)[2], "/account/reset");
    secs.fetch_add(3601, Ordering::SeqCst);
    let (status, _) = app.call(Method::POST, "/account/password", None, body(&late)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "expired");

    // The reset proved the address; an email change is confirmed at the new address.
    let export = app.ok(Method::GET, "/me/export", &token, None).await;
    assert!(export["account"]["email_verified_at"].is_string(), "{export}");
    let (status, _) = app.call(Method::POST, "/me/email-verification", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "already verified");
    let (status, _) = app.call(Method::POST, "/me/email-change", Some(&token), Some(json!({"new_email": "rosa@new.example", "password": "a brand new password"}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    deliver().await;
    let change = sink.wait_for(4, WAIT)[3].clone();
    assert_eq!(change.to, vec!["rosa@new.example".to_string()], "the link goes to the new address");
    let (status, moved) = app.call(Method::POST, "/account/email", None, Some(json!({"token": token_in(&change, "/account/change-email")}))).await;
    assert_eq!((status, moved["email"].as_str()), (StatusCode::OK, Some("rosa@new.example")), "{moved}");
    assert_eq!(app.ok(Method::GET, "/me", &token, None).await["email"], "rosa@new.example");

    // Leaving: the export comes back, personal data goes, the records stay.
    let (b, site, tb) = app.business("Records Ltd").await;
    let noon = common::monday_after_next().timestamp() + jiff::SignedDuration::from_hours(12);
    let shift = app.shift(&tb, Some(site), noon, 60, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let data = app.ok(Method::POST, "/me/deletion", &token, Some(json!({"password": "a brand new password"}))).await;
    assert_eq!(data["worker"]["name"], "Rosa Reset");
    assert_eq!(data["bookings"][0]["id"], booking["id"]);
    let (status, _) = app.call(Method::GET, "/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.call(Method::POST, "/tokens", None, Some(json!({"email": "rosa@new.example", "password": "a brand new password"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let op = app.operator.clone();
    let profile = app.ok(Method::GET, &format!("/workers/{w}"), &op, None).await;
    assert_eq!(profile["name"], format!("Former worker {w}"));
    assert_eq!(profile["skills"], json!([]));
    assert!(!profile.to_string().contains("53.8"), "home erased: {profile}");
    let kept = app.ok(Method::GET, &format!("/bookings/{}", booking["id"]), &op, None).await;
    assert_eq!(kept["worker_id"], w, "the booking stays as a record of business {b}");
    assert!(app.store.user_by_email("rosa@new.example").await.expect("lookup").is_none());
    drop(sink);
}
