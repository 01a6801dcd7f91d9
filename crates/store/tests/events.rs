//! Behaviour suite, the event log and the write probes: filtering events by
//! business, worker and sequence within a scope, paging, the actor recorded on
//! each event, and `row_counts`/`last_event_seq`, which other tests rely on to
//! prove that a refusal wrote nothing. Runs on SQLite and PostgreSQL.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::ToSpan;
use slivers_core::booking::BookingAction;

use common::*;
use slivers_store::*;

suite!(events_filter_by_business_worker_and_sequence_within_scope, row_counts_and_last_event_seq_follow_every_write,);

async fn events_filter_by_business_worker_and_sequence_within_scope(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let mine = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let theirs = store
        .create_shift(&new_shift(w.other_business, None, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1), &other_biz(&w), now())
        .await
        .unwrap()
        .id;
    let b1 = store.book(&book(mine, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let b2 = store.book(&book(theirs, w.other_worker, BookMode::Instant), &other_biz(&w)).await.unwrap();
    // Ada accepts as a signed-in user: the event names her.
    let ada_actor = Actor { user: Some(ada), scope: Scope::Worker(w.worker) };
    store.transition(b1.id, BookingAction::Accept, &ada_actor, now() + 1.minute()).await.unwrap();

    let all = store.events(&EventFilter::default(), &Scope::All, Page::all()).await.unwrap();
    assert!(all.windows(2).all(|p| p[0].seq < p[1].seq), "in sequence order");
    assert_eq!(all.last().map(|e| e.seq), Some(store.last_event_seq().await.unwrap()));
    let kinds = |v: &[Event]| v.iter().map(|e| e.kind.clone()).collect::<Vec<_>>();
    assert_eq!(
        kinds(&all),
        [
            "business.created", "business.created", "site.created", "worker.created", "worker.created", "shift.posted", "shift.posted",
            "booking.offered", "booking.confirmed", "booking.confirmed",
        ]
    );
    let accepted = &all[9];
    assert_eq!((accepted.actor_user_id, accepted.booking_id, accepted.worker_id, accepted.at), (Some(ada), Some(b1.id), Some(w.worker), now() + 1.minute()));
    assert_eq!(accepted.data["action"], "accept");
    assert_eq!(all[8].actor_user_id, None);
    assert_eq!(all[8].data["mode"], "instant");

    let get = |f: EventFilter, scope: Scope, page: Page| {
        let store = store.clone();
        async move { store.events(&f, &scope, page).await.unwrap() }
    };
    let none = EventFilter::default;
    let by_business = get(EventFilter { business: Some(w.business), ..none() }, Scope::All, Page::all()).await;
    assert_eq!(kinds(&by_business), ["business.created", "site.created", "shift.posted", "booking.offered", "booking.confirmed"]);
    assert!(by_business.iter().all(|e| e.business_id == Some(w.business)));
    let by_worker = get(EventFilter { worker: Some(w.other_worker), ..none() }, Scope::All, Page::all()).await;
    assert_eq!(by_worker.iter().map(|e| (e.kind.as_str(), e.booking_id)).collect::<Vec<_>>(), [("worker.created", None), ("booking.confirmed", Some(b2.id))]);
    // Both filters at once: Grace's booking was with the other business.
    assert!(get(EventFilter { business: Some(w.business), worker: Some(w.other_worker), ..none() }, Scope::All, Page::all()).await.is_empty());
    let after = get(EventFilter { after_seq: Some(all[6].seq), ..none() }, Scope::All, Page::all()).await;
    assert_eq!(after.iter().map(|e| e.seq).collect::<Vec<_>>(), all[7..].iter().map(|e| e.seq).collect::<Vec<_>>());
    assert!(get(EventFilter { after_seq: Some(all[9].seq), ..none() }, Scope::All, Page::all()).await.is_empty());
    let page = get(none(), Scope::All, Page { limit: 2, offset: 1 }).await;
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [all[1].seq, all[2].seq]);

    // Scopes: a business sees its own timeline whatever it asks for; a worker sees their own.
    let theirs_view = get(none(), Scope::Business(w.other_business), Page::all()).await;
    assert_eq!(kinds(&theirs_view), ["business.created", "shift.posted", "booking.confirmed"]);
    assert!(get(EventFilter { business: Some(w.business), ..none() }, Scope::Business(w.other_business), Page::all()).await.is_empty());
    let ada_view = get(none(), Scope::Worker(w.worker), Page::all()).await;
    assert_eq!(kinds(&ada_view), ["worker.created", "booking.offered", "booking.confirmed"]);
    assert!(ada_view.iter().all(|e| e.worker_id == Some(w.worker)));
    assert!(get(EventFilter { worker: Some(w.other_worker), ..none() }, Scope::Worker(w.worker), Page::all()).await.is_empty());
}

async fn counts(store: &Arc<dyn Store>) -> BTreeMap<String, i64> {
    store.row_counts().await.unwrap().into_iter().collect()
}

/// The tables whose counts changed between two snapshots, with the change.
fn delta(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) -> Vec<(String, i64)> {
    after.iter().filter(|(t, n)| before.get(*t) != Some(n)).map(|(t, n)| (t.clone(), n - before.get(t).copied().unwrap_or(0))).collect()
}

fn changed(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut v: Vec<_> = list.iter().map(|(t, n)| (t.to_string(), *n)).collect();
    v.sort();
    v
}

async fn row_counts_and_last_event_seq_follow_every_write(store: Arc<dyn Store>) {
    // A fresh database: every table is listed and empty, and there are no events.
    let c0 = counts(&store).await;
    let tables: Vec<&str> = c0.keys().map(String::as_str).collect();
    assert_eq!(
        tables,
        [
            "account_tokens", "api_tokens", "assessment_attempts", "assessment_questions", "assessments", "booking_messages", "bookings", "businesses", "calendar_feeds", "contact_settings",
            "document_series", "documents", "email_preferences", "events", "feature_links", "feature_requests", "inquiries",
            "inquiry_messages", "inquiry_pauses", "issued_credentials", "offer_waves", "outbox", "outbox_attempts", "ratings", "sessions", "shifts",
            "sign_in_failures", "sites",
            "skills", "timesheets", "users", "webhook_endpoints", "worker_skills", "workers"
        ]
    );
    assert!(c0.values().all(|n| *n == 0), "{c0:?}");
    assert_eq!(store.last_event_seq().await.unwrap(), 0);

    let w = world(&store).await;
    let c1 = counts(&store).await;
    let seq1 = store.last_event_seq().await.unwrap();
    assert_eq!(
        delta(&c0, &c1),
        changed(&[("businesses", 2), ("events", 5), ("sites", 1), ("skills", 2), ("worker_skills", 2), ("workers", 2)])
    );
    assert!(seq1 > 0);

    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    store.book(&book(s, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    store.start_wave(s, WaveSettings::default(), &biz(&w), now()).await.unwrap();
    let c2 = counts(&store).await;
    let seq2 = store.last_event_seq().await.unwrap();
    assert_eq!(delta(&c1, &c2), changed(&[("bookings", 1), ("events", 3), ("offer_waves", 1), ("shifts", 1)]));
    assert!(seq2 > seq1);

    // Accounts: users, tokens and sessions are rows without events.
    let u = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    store.create_token(u, "token-hash", "laptop", now()).await.unwrap();
    store.create_session("session-hash", u, "csrf", now(), now() + 1.hour()).await.unwrap();
    let c3 = counts(&store).await;
    assert_eq!(delta(&c2, &c3), changed(&[("api_tokens", 1), ("sessions", 1), ("users", 1)]));
    assert_eq!(store.last_event_seq().await.unwrap(), seq2);
    store.delete_session("session-hash").await.unwrap();
    assert_eq!(delta(&c3, &counts(&store).await), changed(&[("sessions", -1)]));

    // A change without a new row still moves the sequence.
    let before = counts(&store).await;
    store.set_wave_settings(w.business, WaveSettings { size: 2, ..Default::default() }, &biz(&w), now()).await.unwrap();
    assert_eq!(delta(&before, &counts(&store).await), changed(&[("events", 1)]));
    assert!(store.last_event_seq().await.unwrap() > seq2);
}
