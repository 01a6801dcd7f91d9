//! The store's behaviour suite: every test runs on SQLite, and on PostgreSQL
//! when `SLIVERS_TEST_DATABASE_URL` is set (in CI it must be). This file holds
//! the core invariants (rules, headcount, events, tenancy, concurrency); the
//! other files in `tests/` cover the rest of the `Store` trait, and
//! `tests/coverage.rs` fails if a trait method has no test calling it.

mod common;

use std::sync::Arc;

use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::geo::GeoPoint;
use slivers_core::worker::Reach;

use common::*;
use slivers_store::*;

suite!(
    ping_answers_while_the_database_is_up,
    migrations_are_idempotent_and_roundtrip,
    every_change_appends_one_event_in_order,
    instant_booking_enforces_rules_and_writes_nothing_on_refusal,
    headcount_is_never_exceeded,
    offers_recheck_limits_on_accept_and_expire,
    transitions_follow_the_state_machine_and_record_notice,
    scopes_hide_other_tenants,
    tokens_are_hashed_lookups_and_revocable,
    concurrent_overlapping_bookings_confirm_exactly_one,
    index_feeds_report_holding_bookings_and_track_records,
    remote_and_travelling_workers_interleave,
);

async fn migrations_are_idempotent_and_roundtrip(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let got = store.get_worker(w.worker, &Scope::All).await.unwrap();
    let mut expected = london_worker("Ada");
    expected.id = w.worker;
    assert_eq!(got, expected);
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 2).await;
    let sh = store.get_shift(s, &Scope::All).await.unwrap();
    assert_eq!(sh.pay_rate, gbp("13.50"));
    assert_eq!(sh.window.minutes(), 240);
    assert!(sh.location.is_some());
}

async fn every_change_appends_one_event_in_order(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let before = store.last_event_seq().await.unwrap();
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    store.transition(b.id, BookingAction::CancelByBusiness, &biz(&w), now()).await.unwrap();
    let events = store.events(&EventFilter { after_seq: Some(before), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["shift.posted", "booking.confirmed", "booking.cancelled_by_business"]);
    assert!(events.windows(2).all(|p| p[0].seq < p[1].seq));
    assert_eq!(events[2].booking_id, Some(b.id));
    // The business's timeline shows them; the other business's does not.
    let mine = store.events(&EventFilter::default(), &Scope::Business(w.business), Page::default()).await.unwrap();
    assert!(mine.iter().any(|e| e.kind == "booking.confirmed"));
    let theirs = store.events(&EventFilter::default(), &Scope::Business(w.other_business), Page::default()).await.unwrap();
    assert!(theirs.iter().all(|e| e.business_id == Some(w.other_business)));
}

async fn instant_booking_enforces_rules_and_writes_nothing_on_refusal(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let overlapping = shift(&store, &w, "2026-12-02T12:00:00Z", "2026-12-02T15:00:00Z", 1).await;
    let too_close = shift(&store, &w, "2026-12-02T13:30:00Z", "2026-12-02T15:00:00Z", 1).await;
    let night = shift(&store, &w, "2026-12-03T01:00:00Z", "2026-12-03T03:00:00Z", 1).await;
    store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();

    let counts = store.row_counts().await.unwrap();
    let seq = store.last_event_seq().await.unwrap();
    let e = store.book(&book(overlapping, w.worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert!(rules_of(e).contains(&"overlap"));
    let e = store.book(&book(too_close, w.worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert_eq!(rules_of(e), ["rest"]);
    let e = store.book(&book(night, w.worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert_eq!(rules_of(e), ["availability"]);
    let e = store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert_eq!(rules_of(e), ["already_booked"]);
    assert_eq!(store.row_counts().await.unwrap(), counts, "a refused booking wrote rows");
    assert_eq!(store.last_event_seq().await.unwrap(), seq, "a refused booking wrote events");

    // Weekly cap: 1200 minutes. Book 4 h shifts on separate days until the cap refuses.
    let mut refused = None;
    for day in 3..=6 {
        let s = shift(&store, &w, &format!("2026-12-0{day}T09:00:00Z"), &format!("2026-12-0{day}T13:00:00Z"), 1).await;
        if let Err(e) = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await {
            refused = Some((day, rules_of(e)));
            break;
        }
    }
    // 240 (Wed) + 4 x 240 = 1200 fits exactly; Sunday 6th would be the sixth.
    assert_eq!(refused, None);
    let s = shift(&store, &w, "2026-12-06T15:00:00Z", "2026-12-06T16:00:00Z", 1).await;
    let e = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert!(rules_of(e).contains(&"weekly_cap"));
}

async fn headcount_is_never_exceeded(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let e = store.book(&book(s, w.other_worker, BookMode::Instant), &biz(&w)).await.unwrap_err();
    assert_eq!(rules_of(e), ["headcount"]);
    // An offer may be sent, but accepting it finds the shift full.
    let offer = store.book(&book(s, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let worker2 = Actor { user: None, scope: Scope::Worker(w.other_worker) };
    let e = store.transition(offer.id, BookingAction::Accept, &worker2, now()).await.unwrap_err();
    assert_eq!(rules_of(e), ["headcount"]);
}

async fn offers_recheck_limits_on_accept_and_expire(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let me = Actor { user: None, scope: Scope::Worker(w.worker) };
    // Outside availability (01:00-03:00) is fine for an offer...
    let night = shift(&store, &w, "2026-12-03T01:00:00Z", "2026-12-03T03:00:00Z", 1).await;
    let offer = store.book(&book(night, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    assert_eq!(offer.status, BookingStatus::Offered);
    // ...but if the worker books something clashing meanwhile, accepting re-checks and refuses.
    let clash = shift(&store, &w, "2026-12-02T22:00:00Z", "2026-12-03T00:30:00Z", 1).await;
    let mut r = book(clash, w.worker, BookMode::Offer);
    r.offer_expires_at = Some(at("2026-12-02T12:00:00Z"));
    let first = store.book(&r, &biz(&w)).await.unwrap();
    store.transition(first.id, BookingAction::Accept, &me, now()).await.unwrap();
    let e = store.transition(offer.id, BookingAction::Accept, &me, now()).await.unwrap_err();
    assert_eq!(rules_of(e), ["rest"]);
    // An expired offer cannot be accepted.
    let later = shift(&store, &w, "2026-12-09T09:00:00Z", "2026-12-09T10:00:00Z", 1).await;
    let mut r = book(later, w.worker, BookMode::Offer);
    r.offer_expires_at = Some(at("2026-12-01T06:00:00Z"));
    let o = store.book(&r, &biz(&w)).await.unwrap();
    let e = store.transition(o.id, BookingAction::Accept, &me, at("2026-12-01T07:00:00Z")).await.unwrap_err();
    assert_eq!(rules_of(e), ["offer_expired"]);
}

async fn transitions_follow_the_state_machine_and_record_notice(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let me = Actor { user: None, scope: Scope::Worker(w.worker) };
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    assert_eq!(b.pay, gbp("54.00"));
    // A worker checks out only after checking in; a business may not accept for them.
    assert_eq!(rules_of(store.transition(b.id, BookingAction::Complete, &me, now()).await.unwrap_err()), ["state"]);
    let e = store.transition(b.id, BookingAction::Accept, &me, now()).await.unwrap_err();
    assert_eq!(rules_of(e), ["state"]);
    let e = store.transition(b.id, BookingAction::CheckIn, &me, now()).await.unwrap_err();
    assert_eq!(rules_of(e), ["too_early"]);
    let c = store.transition(b.id, BookingAction::CancelByWorker, &me, at("2026-12-02T06:00:00Z")).await.unwrap();
    assert_eq!(c.status, BookingStatus::CancelledByWorker);
    assert_eq!(c.cancel_notice_minutes, Some(180));
    // Cancelled time is free again.
    store.book(&book(s, w.other_worker, BookMode::Instant), &biz(&w)).await.unwrap();
}

async fn scopes_hide_other_tenants(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let other = Scope::Business(w.other_business);
    assert!(matches!(store.get_shift(s, &other).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_booking(b.id, &other).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_site(w.site, &other).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_business(w.business, &other).await, Err(StoreError::NotFound(_))));
    let other_actor = Actor { user: None, scope: other };
    assert!(matches!(store.book(&book(s, w.other_worker, BookMode::Instant), &other_actor).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.transition(b.id, BookingAction::CancelByBusiness, &other_actor, now()).await, Err(StoreError::NotFound(_))));
    assert!(store.list_shifts(&ShiftFilter::default(), &other, Page::default()).await.unwrap().is_empty());
    // A worker sees their own booking and shift, not another worker's.
    let grace = Scope::Worker(w.other_worker);
    assert!(matches!(store.get_booking(b.id, &grace).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_worker(w.worker, &grace).await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.get_shift(s, &grace).await, Err(StoreError::NotFound(_))));
    assert!(store.list_bookings(&BookingFilter::default(), &grace, Page::default()).await.unwrap().is_empty());
    assert_eq!(store.list_bookings(&BookingFilter::default(), &Scope::Worker(w.worker), Page::default()).await.unwrap().len(), 1);
    assert!(store.get_shift(s, &Scope::Worker(w.worker)).await.is_ok());
}

async fn tokens_are_hashed_lookups_and_revocable(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let user = store
        .create_user(NewUser {
            email: "Ada@Example.com".into(),
            password_hash: "x".into(),
            role: Role::Worker,
            worker_id: Some(w.worker),
            business_id: None,
            now: now(),
        })
        .await
        .unwrap();
    let dup = store
        .create_user(NewUser { email: "ada@example.com".into(), password_hash: "x".into(), role: Role::Worker, worker_id: None, business_id: None, now: now() })
        .await
        .unwrap_err();
    assert_eq!(rules_of(dup), ["unique"]);
    let t = store.create_token(user, "hash1", "laptop", now()).await.unwrap();
    let (u, tid) = store.user_by_token("hash1").await.unwrap().unwrap();
    assert_eq!((u.id, tid), (user, t.id));
    assert_eq!(u.scope(), Scope::Worker(w.worker));
    assert!(store.revoke_token(user, t.id, now()).await.unwrap());
    assert!(!store.revoke_token(user, t.id, now()).await.unwrap());
    assert!(store.user_by_token("hash1").await.unwrap().is_none());
}

async fn concurrent_overlapping_bookings_confirm_exactly_one(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let mut shifts = Vec::new();
    for i in 0..16 {
        shifts.push(shift(&store, &w, &format!("2026-12-02T09:{:02}:00Z", i), "2026-12-02T13:00:00Z", 1).await);
    }
    let tasks: Vec<_> = shifts
        .iter()
        .map(|s| {
            let store = store.clone();
            let r = book(*s, w.worker, BookMode::Instant);
            let actor = biz(&w);
            tokio::spawn(async move { store.book(&r, &actor).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert!(rules_of(e).contains(&"overlap")),
        }
    }
    assert_eq!(ok, 1);
    let confirmed = store
        .list_bookings(&BookingFilter { worker: Some(w.worker), status: Some(BookingStatus::Confirmed), ..Default::default() }, &Scope::All, Page::default())
        .await
        .unwrap();
    assert_eq!(confirmed.len(), 1);
}


async fn index_feeds_report_holding_bookings_and_track_records(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let c = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", 1).await;
    let ba = store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let bb = store.book(&book(b, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    store.book(&book(c, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let me = Actor { user: None, scope: Scope::Worker(w.worker) };
    store.transition(bb.id, BookingAction::CancelByWorker, &me, now()).await.unwrap();
    store.transition(ba.id, BookingAction::CheckIn, &me, at("2026-12-02T08:30:00Z")).await.unwrap();
    store.transition(ba.id, BookingAction::Complete, &biz(&w), at("2026-12-02T13:00:00Z")).await.unwrap();
    let holding = store.holding_bookings(at("2026-12-01T00:00:00Z"), at("2026-12-10T00:00:00Z")).await.unwrap();
    assert_eq!(holding.iter().map(|b| b.id).collect::<Vec<_>>(), vec![ba.id]);
    assert!(store.holding_bookings(at("2026-12-02T13:00:00Z"), at("2026-12-10T00:00:00Z")).await.unwrap().is_empty());
    let records = store.track_records().await.unwrap();
    assert_eq!(records, vec![TrackRecord { worker_id: w.worker, completed: 1, no_shows: 0, cancelled_by_worker: 1, late_cancellations: 0 }]);
}

/// Regression: sqlx's Any driver declares a NULL f64 as a 4-byte float, so a
/// statement first prepared for a remote-only worker (no home) then rejected a
/// travelling worker's coordinates on PostgreSQL ("incorrect binary data format").
async fn remote_and_travelling_workers_interleave(store: Arc<dyn Store>) {
    world(&store).await;
    for i in 0..20 {
        let mut w = london_worker(&format!("Worker {i}"));
        if i % 2 == 0 {
            w.reach = Reach::RemoteOnly;
        }
        let id = store.create_worker(&w, &Actor::system(), now()).await.unwrap();
        w.id = id;
        assert_eq!(store.get_worker(id, &Scope::All).await.unwrap().reach, w.reach);
        // And the other way round on update.
        w.reach = if i % 2 == 0 { Reach::Travel { home: GeoPoint { lat: 51.5, lon: -0.12 }, radius_km: 10 } } else { Reach::RemoteOnly };
        store.update_worker(&w, &Actor::system(), now()).await.unwrap();
        assert_eq!(store.get_worker(id, &Scope::All).await.unwrap().reach, w.reach);
    }
}

/// The health check's probe: a live database answers (the 503 side is in
/// `server/tests/ops.rs`, where the database is taken away).
async fn ping_answers_while_the_database_is_up(store: Arc<dyn Store>) {
    store.ping().await.expect("a live database answers");
}
