//! Behaviour suite, a business's rule that a worker's first shifts with it
//! are on site before remote work: the policy on the business (and so on
//! every shift read), the booking write that re-checks it with the count from
//! the database, and the on-site history the matching index loads. Runs on
//! SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use slivers_core::booking::BookingAction;

use common::*;
use slivers_store::*;

suite!(remote_rule_roundtrip_and_refusals_write_nothing, remote_booking_waits_for_the_first_onsite_shifts);

async fn remote_rule_roundtrip_and_refusals_write_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    // A shift posted before the policy reads the policy as it is now.
    let earlier = store.create_shift(&new_shift(w.business, None, "2026-12-10T09:00:00Z", "2026-12-10T13:00:00Z", 1), &biz(&w), now()).await.unwrap();
    assert_eq!((earlier.onsite_before_remote, store.get_business(w.business, &Scope::All).await.unwrap().onsite_before_remote), (0, 0));
    let seq = store.last_event_seq().await.unwrap();
    let b = store.set_remote_rule(w.business, 3, &biz(&w), now()).await.unwrap();
    assert_eq!((b.id, b.onsite_before_remote), (w.business, 3));
    assert_eq!(store.get_shift(earlier.id, &Scope::All).await.unwrap().onsite_before_remote, 3);
    let listed = store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await.unwrap();
    assert!(listed.iter().all(|s| s.onsite_before_remote == 3), "{listed:?}");
    assert_eq!(store.get_business(w.other_business, &Scope::All).await.unwrap().onsite_before_remote, 0);
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.business_id)).collect::<Vec<_>>(), [("business.settings_changed", Some(w.business))]);

    let before = snapshot(&store).await;
    assert_eq!(fields_of(store.set_remote_rule(w.business, 101, &biz(&w), now()).await.unwrap_err()), ["onsite_before_remote"]);
    assert!(is_not_found(store.set_remote_rule(w.business, 1, &other_biz(&w), now()).await));
    assert!(is_not_found(store.set_remote_rule(w.business, 1, &as_worker(w.worker), now()).await));
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.get_business(w.business, &Scope::All).await.unwrap().onsite_before_remote, 3);
}

/// The verdict behind a rule refusal.
fn verdict_of(e: StoreError) -> slivers_core::rules::Verdict {
    match e {
        StoreError::Conflict(Conflict::Rules(v)) => v,
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

fn refusal_message(e: StoreError) -> String {
    let v = verdict_of(e);
    assert_eq!(v.failures().map(|c| c.rule.as_str()).collect::<Vec<_>>(), ["onsite_before_remote"], "{v:?}");
    v.failures().next().map(|c| c.message.clone()).unwrap_or_default()
}

async fn remote_booking_waits_for_the_first_onsite_shifts(store: Arc<dyn Store>) {
    let w = world(&store).await;
    store.set_remote_rule(w.business, 2, &biz(&w), now()).await.unwrap();
    let remote = store.create_shift(&new_shift(w.business, None, "2026-12-10T09:00:00Z", "2026-12-10T13:00:00Z", 1), &biz(&w), now()).await.unwrap().id;
    let (request, business) = (book(remote, w.worker, BookMode::Instant), biz(&w));
    let try_remote = || store.book(&request, &business);
    assert_eq!(refusal_message(try_remote().await.unwrap_err()), "needs 2 on-site shifts with this business before remote work; has 0");

    // One confirmed on-site shift before it: still one short, and nothing written.
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let booked_a = store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let before = snapshot(&store).await;
    assert_eq!(refusal_message(try_remote().await.unwrap_err()), "needs 2 on-site shifts with this business before remote work; has 1");
    assert_eq!(snapshot(&store).await, before);

    // An on-site shift after the remote one, or an offer not yet accepted, does not count.
    let later = shift(&store, &w, "2026-12-12T09:00:00Z", "2026-12-12T13:00:00Z", 1).await;
    store.book(&book(later, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let c = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let offered = store.book(&book(c, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    assert_eq!(refusal_message(try_remote().await.unwrap_err()), "needs 2 on-site shifts with this business before remote work; has 1");
    // Nor does another business's, or another worker's.
    assert!(store.book(&book(remote, w.other_worker, BookMode::Instant), &biz(&w)).await.is_err());

    // The worker accepts: two earlier on-site shifts, and the remote booking goes through.
    store.transition(offered.id, BookingAction::Accept, &as_worker(w.worker), now()).await.unwrap();
    let history = store.onsite_history(None).await.unwrap();
    let starts: Vec<_> = history.iter().map(|h| (h.worker_id, h.business_id, h.start.to_string())).collect();
    let mine = |d: &str| (w.worker, w.business, d.to_string());
    assert_eq!(starts, [mine("2026-12-02T09:00:00Z"), mine("2026-12-03T09:00:00Z"), mine("2026-12-12T09:00:00Z")]);
    assert_eq!(store.onsite_history(Some(w.worker)).await.unwrap(), history);
    assert!(store.onsite_history(Some(w.other_worker)).await.unwrap().is_empty());
    let made = try_remote().await.unwrap();
    assert_eq!(made.status, slivers_core::booking::BookingStatus::Confirmed);

    // A cancelled on-site shift stops counting for the next remote booking.
    store.transition(booked_a.id, BookingAction::CancelByBusiness, &biz(&w), now()).await.unwrap();
    let remote2 = store.create_shift(&new_shift(w.business, None, "2026-12-11T09:00:00Z", "2026-12-11T13:00:00Z", 1), &biz(&w), now()).await.unwrap().id;
    let e = store.book(&book(remote2, w.worker, BookMode::Offer), &biz(&w)).await.unwrap_err();
    assert_eq!(refusal_message(e), "needs 2 on-site shifts with this business before remote work; has 1");

    // With the rule off, remote work is open, and the index has nothing to load.
    store.set_remote_rule(w.business, 0, &biz(&w), now()).await.unwrap();
    store.book(&book(remote2, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    assert!(store.onsite_history(None).await.unwrap().is_empty());
}
