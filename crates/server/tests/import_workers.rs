//! A business brings its staff on board from CSV, on SQLite and PostgreSQL:
//! a dry run writes nothing, a file with bad rows names every one and writes
//! nothing, and a good file creates each worker with a login that cannot
//! sign in until the worker claims it through the invitation actually
//! received by a real SMTP server (aiosmtpd).

mod common;

#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;
#[path = "../../documents/tests/support/smtp_sink.rs"]
mod smtp_sink;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_exchange::notify::{Notifier, NotifierSettings, SmtpSettings};
use smtp_sink::SmtpSink;

on_both_databases!(imported_workers_claim_their_accounts_through_the_invitation);

async fn import(app: &common::TestApp, token: &str, csv: &str, dry_run: bool) -> (StatusCode, Value) {
    let res = app
        .client
        .post(format!("{}/api/v1/imports/workers?dry_run={dry_run}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.expect("json"))
}

async fn imported_workers_claim_their_accounts_through_the_invitation(app: common::TestApp) {
    let sink = SmtpSink::start();
    let settings = NotifierSettings {
        smtp: Some(SmtpSettings { host: "127.0.0.1".into(), port: sink.port(), from: "Slivers <noreply@slivers.test>".into() }),
        public_url: "http://portal.test".into(),
    };
    let notifier = Notifier::new(app.state.exchange.clone(), settings).expect("notifier");
    let (_b, _site, tb) = app.business("Staff Kitchen").await;
    let (_, taken) = app.worker("Already Here", json!({"max_minutes_per_day": 600, "max_minutes_per_week": 2400, "min_rest_minutes": 0, "min_notice_minutes": 0})).await;
    let taken_email = app.ok(Method::GET, "/me", &taken, None).await["email"].as_str().expect("email").to_string();

    // Every bad row is named, and nothing is written.
    let before = app.snapshot().await;
    let bad = format!(
        "name,email,zone,skills\nAna Good,ana@staff.example,Europe/London,barista:3\n,nobody,Mars/Base,barista:9\nDup,ana@staff.example,Europe/London,\nOld,{taken_email},Europe/London,juggling:2\n"
    );
    let (status, problem) = import(&app, &tb, &bad, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    for want in ["rows[2].email", "rows[2].zone", "rows[2].skills", "rows[3].email", "rows[4].email", "rows[4].skills"] {
        assert!(fields.contains(&want), "{want} not named in {fields:?}");
    }
    assert_eq!(app.snapshot().await, before, "a file with bad rows writes nothing");

    // A dry run reports and writes nothing; the real run creates both.
    let good = "name,email,zone,skills\nAna Good,ana@staff.example,Europe/London,barista:3\nBen Able,BEN@staff.example,Europe/Dublin,barista:2;bookkeeping:1\n";
    let (status, report) = import(&app, &tb, good, true).await;
    assert_eq!((status, report["rows"].as_i64(), report["created"].clone()), (StatusCode::OK, Some(2), json!([])));
    assert_eq!(app.snapshot().await, before, "a dry run writes nothing");
    let (status, report) = import(&app, &tb, good, false).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let ids: Vec<i64> = report["created"].as_array().expect("created").iter().map(|v| v.as_i64().expect("id")).collect();
    assert_eq!(ids.len(), 2);

    // No password yet: nobody can sign in as them.
    let (status, _) = app.call(Method::POST, "/tokens", None, Some(json!({"email": "ana@staff.example", "password": ""}))).await;
    assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::UNPROCESSABLE_ENTITY, "{status}");

    // The invitations arrive, one each, naming the business; Ana claims hers.
    notifier.deliver_due().await.expect("deliver");
    let mails = sink.wait_for(2, Duration::from_secs(20));
    let ana = mails.iter().find(|m| m.to == vec!["ana@staff.example".to_string()]).expect("Ana's invitation");
    assert!(mails.iter().any(|m| m.to == vec!["ben@staff.example".to_string()]), "Ben's invitation, lower-cased");
    assert_eq!(ana.subject, "You are invited to Slivers");
    assert!(ana.body.contains("Invited by Staff Kitchen"), "{}", ana.body);
    let at = ana.body.find("/account/claim?token=").expect("claim link");
    let token = ana.body[at + 21..].split_whitespace().next().expect("token");
    let (status, user) = app.call(Method::POST, "/account/claim", None, Some(json!({"token": token, "password": "my own password 1"}))).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    let (status, signed) = app.call(Method::POST, "/tokens", None, Some(json!({"email": "ana@staff.example", "password": "my own password 1"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{signed}");
    let profile = app.ok(Method::GET, &format!("/workers/{}", ids[0]), signed["token"].as_str().expect("token"), None).await;
    assert_eq!(profile["name"], "Ana Good");
    assert_eq!(profile["reach"]["mode"], "remote_only", "the business sets no home for the worker");
    assert_eq!(profile["skills"][0]["evidence"], json!([{"kind": "self_declared"}]), "a business's word is a declaration, not evidence");
    let (status, _) = app.call(Method::POST, "/account/claim", None, Some(json!({"token": token, "password": "my own password 2"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an invitation works once");
    drop(sink);
}
