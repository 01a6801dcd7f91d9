//! After the work over real HTTP on a simulated clock, on SQLite and
//! PostgreSQL: check in and out, approval, a late cancellation, the billing
//! run, a credit note with a corrected invoice — every invoice and credit
//! note fetched as UBL and judged by the official EN 16931 and Peppol BIS 3.0
//! rules (`../shared/peppol/validate.py` on saxonche) — and the worker's
//! calendar feed read by the third-party `icalendar` parser, including the
//! cancellation and a revoked or unknown token.

mod common;

#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_store::testing::TestDb;

flow_on_both_databases!(sqlite_work_is_billed_paid_credited_and_in_the_calendar, postgres_work_is_billed_paid_credited_and_in_the_calendar, flow);

fn peppol_validator() -> PathBuf {
    let dir = std::env::var_os("SLIVERS_PEPPOL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peppol"));
    let script = dir.join("validate.py");
    assert!(script.is_file(), "Peppol validator not found at {}; set SLIVERS_PEPPOL_DIR", script.display());
    script
}

/// Reads an iCalendar text with the `icalendar` package: [{uid, status, sequence, start}].
const READ_ICS: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = [{"uid": str(e.get("uid")), "status": str(e.get("status")), "sequence": int(e.get("sequence")),
        "start": e.decoded("dtstart").isoformat()} for e in cal.walk("VEVENT")]
print(json.dumps(out))
"#;

fn read_ics(dir: &std::path::Path, name: &str, ics: &str) -> Value {
    let file = dir.join(name);
    std::fs::write(&file, ics).expect("write ics");
    let out = pytools::python().args(["-c", READ_ICS]).arg(&file).output().expect("python3");
    assert!(out.status.success(), "icalendar could not read our feed:\n{}\n{ics}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

async fn text(app: &common::TestApp, path: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut req = app.client.get(format!("{}/api/v1{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ct, res.text().await.expect("body"))
}

async fn flow(db: TestDb) {
    let (secs, clock) = common::manual_clock();
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("after-work-{db:?}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (w, tw) = app.private_worker().await;
    let (b, site, tb) = app.business("Billing Bistro").await;
    let op = app.operator.clone();
    let settings = json!({"policy": {"period": "weekly", "review_hours": 24, "cancellation_notice_minutes": 1440,
        "late_cancellation_pay_percent": "50", "fee_percent": "15", "tax_category": "standard", "tax_percent": "20",
        "premiums": {"night_percent": "25", "weekend_percent": "0", "short_notice_percent": "10", "short_notice_hours": 2}},
        "party": {"name": "Billing Bistro Ltd", "street": "2 Park Row", "city": "Leeds", "postcode": "LS1 5HD", "country": "GB",
        "vat_id": "GB123456789", "endpoint_scheme": "0088", "endpoint_id": "5060000000016"}});
    app.ok(Method::PUT, &format!("/businesses/{b}/billing"), &tb, Some(settings)).await;

    let monday = common::monday_after_next();
    let noon = monday.timestamp().checked_add(jiff::SignedDuration::from_hours(12)).expect("noon");
    let shift = app.shift(&tb, Some(site), noon, 150, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("id");
    let tuesday = noon.checked_add(jiff::SignedDuration::from_hours(24)).expect("tuesday");
    let shift2 = app.shift(&tb, Some(site), tuesday, 120, 1).await;
    let booking2 = app.ok(Method::POST, &format!("/shifts/{shift2}/bookings"), &tb, Some(json!({"worker_id": w, "mode": "instant"}))).await;
    let booking2 = booking2["id"].as_i64().expect("id");

    // The worker's calendar: both bookings, confirmed.
    let feed = app.ok(Method::POST, "/calendar-feeds", &tw, None).await;
    let url = feed["url"].as_str().expect("url").trim_start_matches("/api/v1").to_string();
    let (status, ct, ics) = text(&app, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"), "{ct}");
    let events = read_ics(&dir, "before.ics", &ics);
    let uid2 = format!("booking-{booking2}@slivers.example");
    let first = events.as_array().expect("events").iter().find(|e| e["uid"] == uid2.as_str()).expect("booking in feed").clone();
    assert_eq!(first["status"], "CONFIRMED");

    // Check in at noon, out 150 minutes later with a 10-minute break; the business confirms.
    secs.store(noon.as_second(), Ordering::SeqCst);
    app.ok(Method::POST, &format!("/bookings/{booking}/attendance"), &tw, Some(json!({"clock": "check_in"}))).await;
    secs.store(noon.as_second() + 150 * 60, Ordering::SeqCst);
    let sheet = app.ok(Method::POST, &format!("/bookings/{booking}/attendance"), &tw, Some(json!({"clock": "check_out", "break_minutes": 10}))).await;
    let sheet_id = sheet["id"].as_i64().expect("timesheet id");
    // The business cancels Tuesday's booking with 23 hours' notice: late, so half of it is owed.
    app.ok(Method::POST, &format!("/bookings/{booking2}/cancel"), &tb, None).await;
    app.ok(Method::POST, &format!("/timesheets/{sheet_id}/review"), &tb, Some(json!({"action": "confirm"}))).await;

    // The cancellation reaches the calendar as cancelled, with a higher SEQUENCE.
    let (_, _, ics) = text(&app, &url, None).await;
    let events = read_ics(&dir, "after.ics", &ics);
    let cancelled = events.as_array().expect("events").iter().find(|e| e["uid"] == uid2.as_str()).expect("still in feed").clone();
    assert_eq!(cancelled["status"], "CANCELLED");
    assert!(cancelled["sequence"].as_i64() > first["sequence"].as_i64(), "{first} -> {cancelled}");

    // The week ends; the billing run invoices the business and pays the worker.
    secs.store(noon.as_second() + 9 * 24 * 3600, Ordering::SeqCst);
    let (status, _) = app.call(Method::POST, "/billing/run", Some(&tb), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only operators run billing");
    let run = app.ok(Method::POST, "/billing/run", &op, None).await;
    let invoice = &run["invoices"][0];
    let kinds: Vec<&str> = invoice["amounts"]["lines"].as_array().expect("lines").iter().map(|l| l["kind"].as_str().unwrap_or("")).collect();
    assert!(kinds.contains(&"labour") && kinds.contains(&"late_cancellation") && kinds.contains(&"fee"), "{kinds:?}");
    let pay = &run["pay_statements"][0];
    assert!(pay["total"].as_str().is_some_and(|t| t != "0"), "{pay}");
    let invoice_id = invoice["id"].as_i64().expect("invoice id");

    // The exchange corrects the approved minutes: a credit note with the reason, and the corrected invoice.
    let credit = json!({"reason": "the break was not taken", "corrections": [{"timesheet_id": sheet_id, "minutes": 150}]});
    let credited = app.ok(Method::POST, &format!("/documents/{invoice_id}/credit"), &op, Some(credit)).await;
    let note_id = credited["credit_note"]["id"].as_i64().expect("credit note");
    let corrected_id = credited["corrected_invoice"]["id"].as_i64().expect("corrected invoice");
    let timeline = app.ok(Method::GET, &format!("/businesses/{b}/events?limit=1000"), &tb, None).await;
    let credit_event = timeline.as_array().expect("events").iter().find(|e| e["kind"] == "credit_note.issued").expect("on the timeline");
    assert_eq!(credit_event["data"]["reason"], "the break was not taken");

    // Every document as a Peppol e-invoice, judged by the official rules.
    let mut files = Vec::new();
    for id in [invoice_id, note_id, corrected_id] {
        let (status, ct, xml) = text(&app, &format!("/documents/{id}/ubl"), Some(&tb)).await;
        assert_eq!(status, StatusCode::OK, "{xml}");
        assert!(ct.starts_with("application/xml"), "{ct}");
        let file = dir.join(format!("document-{id}.xml"));
        std::fs::write(&file, xml).expect("write");
        files.push(file);
    }
    let out = pytools::python().arg(peppol_validator()).args(&files).output().expect("validator");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("{report}");
    assert!(out.status.success(), "the Peppol rules refused our documents:\n{report}");
    let (status, ct, html) = text(&app, &format!("/documents/{note_id}/print"), Some(&tb)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html") && html.contains("the break was not taken"), "{ct}");
    let (status, ct, csv) = text(&app, "/exports/documents", Some(&tb)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv") && csv.lines().count() == 4, "header and three documents:\n{csv}");

    // A revoked or unknown token is a 404.
    let feed_id = feed["feed"]["id"].as_i64().expect("feed id");
    let (status, _) = app.call(Method::DELETE, &format!("/calendar-feeds/{feed_id}"), Some(&tw), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(text(&app, &url, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(text(&app, "/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", None).await.0, StatusCode::NOT_FOUND);
}

flow_on_both_databases!(sqlite_shift_import_checks_every_row_before_writing, postgres_shift_import_checks_every_row_before_writing, import);

async fn post_csv(app: &common::TestApp, query: &str, token: &str, csv: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .post(format!("{}/api/v1/imports/shifts{query}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("post");
    let status = res.status();
    (status, serde_json::from_str(&res.text().await.expect("body")).unwrap_or(Value::Null))
}

/// A business brings its schedule: a dry run reports and writes nothing; a
/// file with bad rows names every one (and another business's site is one)
/// and writes nothing; a good file creates every shift.
async fn import(db: TestDb) {
    let app = common::spawn(db).await.expect("app");
    let (_, site, tb) = app.business("Importing Inn").await;
    let (_, other_site, _) = app.business("Other Oven").await;
    let day = common::monday_after_next().date();
    let at = |h: i8| day.at(h, 0, 0, 0).in_tz("Europe/London").expect("zone").timestamp();
    let header = "site_id,start,end,skill,level,headcount,pay_rate,bill_rate,currency,notes\n";
    let good = format!(
        "{header}{site},{},{},barista,2,2,13.50,17.25,GBP,Morning rush\n,{},{},bookkeeping,3,1,20,26,GBP,\"Remote, books\"\n",
        at(7),
        at(11),
        at(13),
        at(17)
    );
    let before = app.snapshot().await;
    let (status, report) = post_csv(&app, "?dry_run=true", &tb, &good).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["rows"].as_i64(), report["created"].as_array().map(Vec::len)), (Some(2), Some(0)));
    assert_eq!(app.snapshot().await, before, "a dry run writes nothing");

    let bad = format!(
        "{header}{site},{},{},barista,2,2,13.50,17.25,GBP,fine\n{other_site},{},{},barista,2,1,13.50,17.25,GBP,not ours\n{site},{},{},juggling,9,1,13.50,10,GBP,\n{site},soon,{},barista,2,1,13.50,17.25,GBP,\n",
        at(7), at(11), at(7), at(11), at(7), at(11), at(11)
    );
    let (status, problem) = post_csv(&app, "", &tb, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert!(fields.contains(&"line 5"), "the unreadable start is named by line: {fields:?}");
    assert_eq!(app.snapshot().await, before, "a file with bad rows writes nothing");
    // Without unreadable rows, every bad row is named with its field.
    let bad = bad.lines().take(4).collect::<Vec<_>>().join("\n");
    let (status, problem) = post_csv(&app, "", &tb, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    for f in ["rows[2].site_id", "rows[3].skill", "rows[3].level"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(!fields.iter().any(|f| f.starts_with("rows[1]")), "the good row is not blamed: {fields:?}");
    assert_eq!(app.snapshot().await, before, "a file with bad rows writes nothing");

    let (status, report) = post_csv(&app, "", &tb, &good).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(report["created"].as_array().map(Vec::len), Some(2));
    let shifts = app.ok(Method::GET, "/shifts?limit=100", &tb, None).await;
    assert_eq!(shifts.as_array().map(Vec::len), Some(2));

    // Sites the same way: a bad zone and a latitude off the globe are named, nothing is written.
    let res = |csv: &'static str, query: &'static str| {
        let app = &app;
        let tb = tb.clone();
        async move {
            let r = app.client.post(format!("{}/api/v1/imports/sites{query}", app.base)).bearer_auth(&tb).header("content-type", "text/csv").body(csv).send().await.expect("post");
            let status = r.status();
            (status, serde_json::from_str::<Value>(&r.text().await.expect("body")).unwrap_or(Value::Null))
        }
    };
    let before = app.snapshot().await;
    let (status, problem) = res("name,zone,lat,lon\nHeadingley,Europe/London,53.82,-1.58\nNowhere,Mars/Olympus,0,0\nPole,Europe/London,91,0\n", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert!(fields.contains(&"rows[2].zone") && fields.iter().any(|f| f.starts_with("rows[3].location")), "{fields:?}");
    assert_eq!(app.snapshot().await, before);
    let (status, report) = res("name,zone,lat,lon\nHeadingley,Europe/London,53.82,-1.58\n", "").await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    assert_eq!(report["created"].as_array().map(Vec::len), Some(1));
}
