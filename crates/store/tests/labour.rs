//! Behaviour suite, labour rules: a site's policy (stored on the site and
//! carried by every shift read there) and a worker's own rules (with their
//! limits), both re-checked by the booking write against the bookings in the
//! database, a calendar month either side. Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use slivers_core::labour::{LabourRules, ShiftKind, Succession};

use common::*;
use slivers_store::*;

suite!(site_labour_roundtrip_and_refusals_write_nothing, bookings_keep_the_workers_and_the_sites_labour_rules);

async fn site_labour_roundtrip_and_refusals_write_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let earlier = shift(&store, &w, "2026-12-10T09:00:00Z", "2026-12-10T13:00:00Z", 1).await;
    let remote = store.create_shift(&new_shift(w.business, None, "2026-12-10T09:00:00Z", "2026-12-10T13:00:00Z", 1), &biz(&w), now()).await.unwrap().id;
    let policy = LabourRules {
        max_consecutive_days: Some(5),
        min_days_off_per_week: Some(2),
        max_weekends_per_month: Some(2),
        forbidden_successions: vec![Succession { after: ShiftKind::Night, then: ShiftKind::Early }],
    };
    let seq = store.last_event_seq().await.unwrap();
    let site = store.set_site_labour(w.site, &policy, &biz(&w), now()).await.unwrap();
    assert_eq!(site.labour, policy);
    assert_eq!(store.get_site(w.site, &Scope::All).await.unwrap().labour, policy);
    // Shifts at the site carry it, those posted before included; remote work does not.
    assert_eq!(store.get_shift(earlier, &Scope::All).await.unwrap().site_labour, policy);
    assert!(store.get_shift(remote, &Scope::All).await.unwrap().site_labour.is_empty());
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.business_id)).collect::<Vec<_>>(), [("business.settings_changed", Some(w.business))]);

    let before = snapshot(&store).await;
    let bad = LabourRules { max_consecutive_days: Some(0), min_days_off_per_week: Some(7), ..Default::default() };
    assert_eq!(fields_of(store.set_site_labour(w.site, &bad, &biz(&w), now()).await.unwrap_err()), ["max_consecutive_days", "min_days_off_per_week"]);
    assert!(is_not_found(store.set_site_labour(w.site, &LabourRules::default(), &other_biz(&w), now()).await));
    assert!(is_not_found(store.set_site_labour(w.site, &LabourRules::default(), &as_worker(w.worker), now()).await));
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.get_site(w.site, &Scope::All).await.unwrap().labour, policy);
}

fn failed(e: StoreError) -> Vec<(&'static str, String)> {
    match e {
        StoreError::Conflict(Conflict::Rules(v)) => {
            v.failures().map(|c| (c.rule.as_str(), c.facts.iter().find(|f| f.name == "set_by").map(|f| f.value.clone()).unwrap_or_default())).collect()
        }
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

async fn bookings_keep_the_workers_and_the_sites_labour_rules(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let mut ada = store.get_worker(w.worker, &Scope::All).await.unwrap();
    ada.limits.labour = LabourRules { max_weekends_per_month: Some(1), ..Default::default() };
    store.update_worker(&ada, &as_worker(w.worker), now()).await.unwrap();
    assert_eq!(store.get_worker(w.worker, &Scope::All).await.unwrap().limits.labour, ada.limits.labour);
    let instant = |s| book(s, w.worker, BookMode::Instant);

    // Saturday 5 December, then Saturday 26 December: three weeks apart, one weekend a month.
    let first = shift(&store, &w, "2026-12-05T09:00:00Z", "2026-12-05T13:00:00Z", 1).await;
    store.book(&instant(first), &biz(&w)).await.unwrap();
    let later = shift(&store, &w, "2026-12-26T09:00:00Z", "2026-12-26T13:00:00Z", 1).await;
    let before = snapshot(&store).await;
    assert_eq!(failed(store.book(&instant(later), &biz(&w)).await.unwrap_err()), [("weekends", "worker".to_string())]);
    assert_eq!(snapshot(&store).await, before, "a refused booking writes nothing");
    // January is another month.
    let january = shift(&store, &w, "2027-01-02T09:00:00Z", "2027-01-02T13:00:00Z", 1).await;
    store.book(&instant(january), &biz(&w)).await.unwrap();

    // The site allows two days in a row; Ada sets no such limit herself.
    store.set_site_labour(w.site, &LabourRules { max_consecutive_days: Some(2), ..Default::default() }, &biz(&w), now()).await.unwrap();
    let mon = shift(&store, &w, "2026-12-07T09:00:00Z", "2026-12-07T13:00:00Z", 1).await;
    let tue = shift(&store, &w, "2026-12-08T09:00:00Z", "2026-12-08T13:00:00Z", 1).await;
    let wed = shift(&store, &w, "2026-12-09T09:00:00Z", "2026-12-09T13:00:00Z", 1).await;
    store.book(&instant(mon), &biz(&w)).await.unwrap();
    store.book(&instant(wed), &biz(&w)).await.unwrap();
    // Tuesday would join Monday and Wednesday: three in a row.
    assert_eq!(failed(store.book(&instant(tue), &biz(&w)).await.unwrap_err()), [("consecutive_days", "site".to_string())]);
    // A remote shift carries no site policy: the same day is fine by the rules.
    let remote = store.create_shift(&new_shift(w.business, None, "2026-12-08T09:00:00Z", "2026-12-08T13:00:00Z", 1), &biz(&w), now()).await.unwrap().id;
    store.book(&instant(remote), &biz(&w)).await.unwrap();

    // Every path asks the same checker: accepting an offer re-checks too.
    let mut grace = store.get_worker(w.other_worker, &Scope::All).await.unwrap();
    grace.limits.labour = LabourRules { forbidden_successions: vec![Succession { after: ShiftKind::Night, then: ShiftKind::Early }], ..Default::default() };
    store.update_worker(&grace, &Actor::system(), now()).await.unwrap();
    store.set_site_labour(w.site, &LabourRules::default(), &biz(&w), now()).await.unwrap();
    let night = shift(&store, &w, "2026-12-14T22:00:00Z", "2026-12-15T02:00:00Z", 1).await;
    let early = shift(&store, &w, "2026-12-15T06:00:00Z", "2026-12-15T08:00:00Z", 1).await;
    let offered = store.book(&book(early, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    store.book(&book(night, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let e = store.transition(offered.id, slivers_core::booking::BookingAction::Accept, &as_worker(w.other_worker), now()).await;
    assert!(e.is_ok(), "the night is only offered, so it holds no time yet: {e:?}");
    let night_offer = store
        .list_bookings(&BookingFilter { worker: Some(w.other_worker), shift: Some(night), ..Default::default() }, &Scope::All, Page::all())
        .await
        .unwrap();
    let refused = store.transition(night_offer[0].id, slivers_core::booking::BookingAction::Accept, &as_worker(w.other_worker), now()).await.unwrap_err();
    assert_eq!(failed(refused), [("succession", "worker".to_string())]);
}
