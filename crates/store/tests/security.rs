//! Behaviour suite, security basics (issue 14.5, migration 0011): failed
//! sign-ins counted in the database per key and window; sessions carry their
//! last use for the idle limit; the audit filter keeps operators' events
//! only; the event log refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE),
//! allowing only account deletion's redaction. Runs on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use jiff::ToSpan;
use slivers_core::booking::BookingAction;
use slivers_store::testing::{scratch, TestDb};

use common::*;
use slivers_store::*;

suite!(
    sign_in_failures_are_counted_per_key_within_the_window_and_cleared,
    sessions_record_their_last_use,
    the_audit_filter_keeps_only_operators_actions,
);

async fn sign_in_failures_are_counted_per_key_within_the_window_and_cleared(store: Arc<dyn Store>) {
    let t0 = now();
    assert_eq!(store.sign_in_failures("k1", t0 - 15.minutes()).await.unwrap(), 0);
    for i in 0..3 {
        store.record_sign_in_failure("k1", t0 + i.minutes(), t0 - 15.minutes()).await.unwrap();
    }
    store.record_sign_in_failure("k2", t0, t0 - 15.minutes()).await.unwrap();
    assert_eq!(store.sign_in_failures("k1", t0 - 15.minutes()).await.unwrap(), 3);
    assert_eq!(store.sign_in_failures("k2", t0 - 15.minutes()).await.unwrap(), 1);
    // Only failures at or after `since` count.
    assert_eq!(store.sign_in_failures("k1", t0 + 1.minute()).await.unwrap(), 2);
    // Recording sweeps every key's failures older than `forget_before`.
    let later = t0 + 30.minutes();
    store.record_sign_in_failure("k3", later, later - 15.minutes()).await.unwrap();
    assert_eq!(store.sign_in_failures("k1", t0 - 1.hour()).await.unwrap(), 0, "swept");
    assert_eq!(store.sign_in_failures("k2", t0 - 1.hour()).await.unwrap(), 0, "swept");
    // A success clears only its own key.
    store.record_sign_in_failure("k1", later, later - 15.minutes()).await.unwrap();
    store.clear_sign_in_failures("k1").await.unwrap();
    assert_eq!(store.sign_in_failures("k1", t0).await.unwrap(), 0);
    assert_eq!(store.sign_in_failures("k3", t0).await.unwrap(), 1);
    let counts: std::collections::BTreeMap<_, _> = store.row_counts().await.unwrap().into_iter().collect();
    assert_eq!(counts["sign_in_failures"], 1, "row_counts lists the limiter's table");
}

async fn sessions_record_their_last_use(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    store.create_session("s", ada, "c", now(), now() + 10.hours()).await.unwrap();
    let s = store.session_by_token("s", now()).await.unwrap().expect("live");
    assert_eq!(s.last_seen_at, now(), "a new session was last used when it opened");
    store.touch_session("s", now() + 30.minutes()).await.unwrap();
    let s = store.session_by_token("s", now() + 31.minutes()).await.unwrap().expect("live");
    assert_eq!(s.last_seen_at, now() + 30.minutes());
    // Never backwards (two servers touching out of order).
    store.touch_session("s", now() + 10.minutes()).await.unwrap();
    assert_eq!(store.session_by_token("s", now()).await.unwrap().expect("live").last_seen_at, now() + 30.minutes());
    store.touch_session("no-such-session", now()).await.unwrap();
}

async fn the_audit_filter_keeps_only_operators_actions(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let op = user(&store, "op@example.com", Role::Operator, None, None).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    store.transition(b.id, BookingAction::Accept, &Actor { user: Some(ada), scope: Scope::Worker(w.worker) }, now()).await.unwrap();
    let operator = Actor { user: Some(op), scope: Scope::All };
    store.transition(b.id, BookingAction::CancelByBusiness, &operator, now() + 1.minute()).await.unwrap();
    let audit = store.events(&EventFilter { by_operators: true, newest_first: true, ..Default::default() }, &Scope::All, Page::all()).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(audit[0].kind.starts_with("booking."), "{audit:?}");
    assert_eq!((audit[0].actor_user_id, audit[0].booking_id), (Some(op), Some(b.id)));
}

/// The event log refuses every change but the redaction of a deleted
/// person's data, on each database, whoever connects (raw SQL, not the store).
async fn the_event_log_refuses_updates_and_deletes(db: TestDb) {
    let Some((store, url)) = scratch(db).await else {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        return eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
    };
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let log = || async { store.events(&EventFilter::default(), &Scope::All, Page::all()).await.unwrap() };
    let before = log().await;
    assert!(before.len() >= 4);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    for sql in [
        "UPDATE events SET kind = 'forged'",
        "UPDATE events SET actor_user_id = 42",
        "UPDATE events SET data_json = '{}'",
        "UPDATE events SET at = at + 1, data_json = '{\"erased\":true}'",
        "DELETE FROM events",
        "DELETE FROM events WHERE seq = 1",
    ] {
        let err = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if db == TestDb::Postgres {
        let err = sqlx::query("TRUNCATE events").execute(&pool).await.expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "TRUNCATE: {err}");
    }
    let json = |v: &Vec<Event>| serde_json::to_value(v).unwrap();
    assert_eq!(json(&log().await), json(&before), "nothing changed");

    // Account deletion still works: the worker's name leaves `worker.created`, the event stays.
    let created = before.iter().find(|e| e.kind == "worker.created" && e.worker_id == Some(w.worker)).expect("created").clone();
    assert!(created.data["name"].is_string());
    let scrubbed = store.get_worker(w.worker, &Scope::All).await.unwrap().erased();
    store.delete_account(ada, Some(&scrubbed), &as_worker(w.worker), now()).await.unwrap();
    let after = log().await;
    let redacted = after.iter().find(|e| e.seq == created.seq).expect("still there");
    assert_eq!(redacted.data, serde_json::json!({"erased": true}));
    assert_eq!((redacted.kind.as_str(), redacted.at, redacted.worker_id), (created.kind.as_str(), created.at, created.worker_id));
    assert_eq!(after.len(), before.len() + 2, "the profile update and account.deleted were appended; nothing removed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_event_log_refuses_updates_and_deletes() {
    the_event_log_refuses_updates_and_deletes(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_event_log_refuses_updates_and_deletes() {
    the_event_log_refuses_updates_and_deletes(TestDb::Postgres).await;
}
