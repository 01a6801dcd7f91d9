//! Behaviour suite, bookings beyond the core rules: booking several at once
//! (all or nothing, each checked against the ones before it), the offer
//! expiry sweep, and listing bookings by filter. (Verified minutes come from
//! approved timesheets: `after_work.rs`.) Runs on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use slivers_core::booking::{BookingAction, BookingStatus};

use common::*;
use slivers_store::*;

suite!(
    book_many_writes_every_booking_in_order,
    book_many_writes_nothing_when_any_booking_is_refused,
    expire_offers_lapses_only_due_unanswered_offers,
    bookings_filter_by_worker_shift_status_and_page,
);

async fn book_many_writes_every_booking_in_order(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 2).await;
    let b = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let seq = store.last_event_seq().await.unwrap();
    let requests = [book(a, w.worker, BookMode::Instant), book(b, w.worker, BookMode::Instant), book(a, w.other_worker, BookMode::Offer)];
    let made = store.book_many(&requests, &biz(&w)).await.unwrap();
    let got: Vec<_> = made.iter().map(|x| (x.shift_id, x.worker_id, x.status)).collect();
    assert_eq!(
        got,
        [(a, w.worker, BookingStatus::Confirmed), (b, w.worker, BookingStatus::Confirmed), (a, w.other_worker, BookingStatus::Offered)]
    );
    for x in &made {
        assert_eq!(store.get_booking(x.id, &Scope::Business(w.business)).await.unwrap().status, x.status);
    }
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.kind.as_str(), e.booking_id)).collect();
    assert_eq!(
        kinds,
        [("booking.confirmed", Some(made[0].id)), ("booking.confirmed", Some(made[1].id)), ("booking.offered", Some(made[2].id))]
    );
    // An empty batch is a no-op.
    let before = snapshot(&store).await;
    assert!(store.book_many(&[], &biz(&w)).await.unwrap().is_empty());
    assert_eq!(snapshot(&store).await, before);
}

async fn book_many_writes_nothing_when_any_booking_is_refused(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let overlapping = shift(&store, &w, "2026-12-02T12:00:00Z", "2026-12-02T15:00:00Z", 1).await;
    let c = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", 1).await;
    let full = shift(&store, &w, "2026-12-05T09:00:00Z", "2026-12-05T13:00:00Z", 1).await;
    store.book(&book(full, w.other_worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let before = snapshot(&store).await;

    // The second overlaps the first of the same batch: checked against it, refused, and the first is undone.
    let e = store
        .book_many(&[book(a, w.worker, BookMode::Instant), book(overlapping, w.worker, BookMode::Instant)], &biz(&w))
        .await
        .unwrap_err();
    assert!(rules_of(e).contains(&"overlap"));
    assert_eq!(snapshot(&store).await, before);

    // The last of three is refused for headcount: the first two are not written.
    let e = store
        .book_many(
            &[book(a, w.worker, BookMode::Instant), book(c, w.worker, BookMode::Instant), book(full, w.worker, BookMode::Instant)],
            &biz(&w),
        )
        .await
        .unwrap_err();
    assert_eq!(rules_of(e), ["headcount"]);
    assert_eq!(snapshot(&store).await, before);

    // The same worker twice on one shift.
    let e = store.book_many(&[book(c, w.worker, BookMode::Offer), book(c, w.worker, BookMode::Instant)], &biz(&w)).await.unwrap_err();
    assert_eq!(rules_of(e), ["already_booked"]);
    assert_eq!(snapshot(&store).await, before);

    // One request for another business's shift: not found, nothing written.
    let theirs = store
        .create_shift(&new_shift(w.other_business, None, "2026-12-06T09:00:00Z", "2026-12-06T10:00:00Z", 1), &other_biz(&w), now())
        .await
        .unwrap()
        .id;
    let before = snapshot(&store).await;
    assert!(is_not_found(store.book_many(&[book(c, w.worker, BookMode::Instant), book(theirs, w.worker, BookMode::Instant)], &biz(&w)).await));
    // A worker may not book at all.
    let r = store.book_many(&[book(c, w.worker, BookMode::Instant)], &as_worker(w.worker)).await;
    assert!(matches!(r, Err(StoreError::Forbidden(_))), "{r:?}");
    assert_eq!(snapshot(&store).await, before);
    assert!(store.list_bookings(&BookingFilter { worker: Some(w.worker), ..Default::default() }, &Scope::All, Page::all()).await.unwrap().is_empty());

    // The same two shifts for two different workers go through: it was the
    // batch's own first booking that refused the second above.
    let made = store
        .book_many(&[book(a, w.worker, BookMode::Instant), book(overlapping, w.other_worker, BookMode::Instant)], &biz(&w))
        .await
        .unwrap();
    assert_eq!(made.len(), 2);
    // The refused batches appended events before they rolled back: the log
    // still runs without a gap (a PostgreSQL sequence would have burnt
    // their numbers, as a process killed mid-transaction does).
    let events = store.events(&EventFilter::default(), &Scope::All, Page::all()).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "the event log has a gap");
}

async fn expire_offers_lapses_only_due_unanswered_offers(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let me = as_worker(w.worker);
    let s1 = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z", 1).await;
    let s2 = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z", 1).await;
    let s3 = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T10:00:00Z", 1).await;
    let s4 = shift(&store, &w, "2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z", 1).await;
    let early = store.book(&offer(s1, w.worker, "2026-12-01T06:00:00Z"), &biz(&w)).await.unwrap();
    let accepted = store.book(&offer(s2, w.worker, "2026-12-01T12:00:00Z"), &biz(&w)).await.unwrap();
    let declined = store.book(&offer(s3, w.worker, "2026-12-01T06:00:00Z"), &biz(&w)).await.unwrap();
    let instant = store.book(&book(s4, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    // An offer never outlives its shift's start.
    let capped = store.book(&offer(s4, w.other_worker, "2026-12-09T00:00:00Z"), &biz(&w)).await.unwrap();
    assert_eq!(capped.offer_expires_at, Some(at("2026-12-05T09:00:00Z")));
    store.transition(declined.id, BookingAction::Decline, &me, now()).await.unwrap();

    // Nothing is due yet: nothing written.
    let before = snapshot(&store).await;
    assert!(store.expire_offers(at("2026-12-01T05:59:59Z")).await.unwrap().is_empty());
    assert_eq!(snapshot(&store).await, before);

    let seq = store.last_event_seq().await.unwrap();
    let gone = store.expire_offers(at("2026-12-01T06:00:00Z")).await.unwrap();
    assert_eq!(gone.iter().map(|b| (b.id, b.status)).collect::<Vec<_>>(), [(early.id, BookingStatus::Expired)]);
    assert_eq!(store.get_booking(early.id, &Scope::All).await.unwrap().status, BookingStatus::Expired);
    assert_eq!(store.get_booking(declined.id, &Scope::All).await.unwrap().status, BookingStatus::Declined);
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.booking_id)).collect::<Vec<_>>(), [("booking.expired", Some(early.id))]);
    // A second sweep finds nothing more.
    assert!(store.expire_offers(at("2026-12-01T07:00:00Z")).await.unwrap().is_empty());
    // A lapsed offer cannot be accepted.
    assert_eq!(rules_of(store.transition(early.id, BookingAction::Accept, &me, at("2026-12-01T07:00:00Z")).await.unwrap_err()), ["state"]);

    // Accepted in time, it is confirmed and no sweep touches it.
    store.transition(accepted.id, BookingAction::Accept, &me, at("2026-12-01T08:00:00Z")).await.unwrap();
    let gone = store.expire_offers(at("2026-12-05T09:00:00Z")).await.unwrap();
    assert_eq!(gone.iter().map(|b| b.id).collect::<Vec<_>>(), [capped.id]);
    assert_eq!(store.get_booking(accepted.id, &Scope::All).await.unwrap().status, BookingStatus::Confirmed);
    assert_eq!(store.get_booking(instant.id, &Scope::All).await.unwrap().status, BookingStatus::Confirmed);
}

async fn bookings_filter_by_worker_shift_status_and_page(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 2).await;
    let b = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 2).await;
    let ada_a = store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let grace_a = store.book(&book(a, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let ada_b = store.book(&book(b, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let ids = |v: Vec<Booking>| v.into_iter().map(|x| x.id).collect::<Vec<_>>();
    let list = |f: BookingFilter, scope: Scope, page: Page| {
        let store = store.clone();
        async move { ids(store.list_bookings(&f, &scope, page).await.unwrap()) }
    };
    let none = BookingFilter::default;
    let offered = Some(BookingStatus::Offered);
    assert_eq!(list(none(), Scope::All, Page::all()).await, [ada_a.id, grace_a.id, ada_b.id]);
    assert_eq!(list(BookingFilter { status: offered, ..none() }, Scope::All, Page::all()).await, [grace_a.id, ada_b.id]);
    assert_eq!(list(BookingFilter { shift: Some(a), ..none() }, Scope::All, Page::all()).await, [ada_a.id, grace_a.id]);
    assert_eq!(list(BookingFilter { shift: Some(a), status: offered, ..none() }, Scope::All, Page::all()).await, [grace_a.id]);
    assert_eq!(list(BookingFilter { worker: Some(w.worker), status: offered, ..none() }, Scope::All, Page::all()).await, [ada_b.id]);
    assert_eq!(list(BookingFilter { status: offered, ..none() }, Scope::Worker(w.worker), Page::all()).await, [ada_b.id]);
    assert_eq!(list(BookingFilter { status: offered, ..none() }, Scope::Business(w.business), Page::all()).await, [grace_a.id, ada_b.id]);
    assert!(list(BookingFilter { status: offered, ..none() }, Scope::Business(w.other_business), Page::all()).await.is_empty());
    assert!(list(BookingFilter { status: Some(BookingStatus::Completed), ..none() }, Scope::All, Page::all()).await.is_empty());
    assert_eq!(list(none(), Scope::All, Page { limit: 1, offset: 1 }).await, [grace_a.id]);
    // A worker filter for someone else under a worker's own scope finds nothing.
    assert!(list(BookingFilter { worker: Some(w.other_worker), ..none() }, Scope::Worker(w.worker), Page::all()).await.is_empty());
}
