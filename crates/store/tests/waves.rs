//! Behaviour suite, offer-wave campaigns: starting one per shift, reading it
//! back within scope, the compare-and-set claim that keeps two servers from
//! sending the same wave, recording waves, and ending a campaign together with
//! its outstanding offers. Runs on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use jiff::ToSpan;
use slivers_core::booking::{BookingAction, BookingStatus};

use common::*;
use slivers_store::*;

suite!(
    a_campaign_starts_once_per_shift_and_is_seen_only_in_scope,
    waves_to_advance_are_the_due_started_or_filled_soonest_first,
    claim_wave_succeeds_once_per_due_time,
    record_and_end_wave_track_the_campaign_and_close_its_offers,
);

const THREE: WaveSettings = WaveSettings { size: 3, interval_minutes: 10, order: WaveOrder::Fairness };

async fn a_campaign_starts_once_per_shift_and_is_seen_only_in_scope(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    assert_eq!(store.get_wave(s, &Scope::All).await.unwrap(), None);
    let seq = store.last_event_seq().await.unwrap();
    let wave = store.start_wave(s, THREE, &biz(&w), now()).await.unwrap();
    let expected = Wave {
        id: wave.id,
        shift_id: s,
        business_id: w.business,
        status: WaveStatus::Active,
        settings: THREE,
        started_at: now(),
        next_wave_at: now(),
        waves_sent: 0,
        offers_sent: 0,
        ended_at: None,
    };
    assert_eq!(wave, expected);
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.shift_id)).collect::<Vec<_>>(), [("wave.started", Some(s))]);
    assert_eq!(store.get_wave(s, &Scope::Business(w.business)).await.unwrap(), Some(expected.clone()));
    assert_eq!(store.get_wave(s, &Scope::Business(w.other_business)).await.unwrap(), None);
    assert_eq!(store.get_wave(s, &Scope::Worker(w.worker)).await.unwrap(), None);

    // Every refusal below writes nothing.
    let before = snapshot(&store).await;
    assert_eq!(rules_of(store.start_wave(s, THREE, &biz(&w), now()).await.unwrap_err()), ["wave_active"]);
    assert!(is_not_found(store.start_wave(s, THREE, &other_biz(&w), now()).await));
    assert!(matches!(store.start_wave(s, THREE, &as_worker(w.worker), now()).await, Err(StoreError::Forbidden(_))));
    assert_eq!(snapshot(&store).await, before);
    let later = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let before = snapshot(&store).await;
    let bad = WaveSettings { size: 0, ..THREE };
    assert_eq!(fields_of(store.start_wave(later, bad, &biz(&w), now()).await.unwrap_err()), ["size"]);
    // A shift that has started takes no more offers: the request is well
    // formed, the shift's state refuses it (a conflict, named).
    let e = store.start_wave(later, THREE, &biz(&w), at("2026-12-03T09:00:00Z")).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(Conflict::Refused { rule: "shift_open", .. })), "{e:?}");
    assert!(is_not_found(store.start_wave(slivers_core::ids::ShiftId(999_999), THREE, &Actor::system(), now()).await));
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.get_wave(later, &Scope::All).await.unwrap(), None);
    assert_eq!(store.waves_to_advance(now()).await.unwrap(), [expected]);
}

async fn waves_to_advance_are_the_due_started_or_filled_soonest_first(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let later = now() + 1.hour();
    assert!(store.waves_to_advance(later).await.unwrap().is_empty());
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let c = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", 1).await;
    let wa = store.start_wave(a, THREE, &biz(&w), now()).await.unwrap();
    let wb = store.start_wave(b, THREE, &biz(&w), now() + 5.minutes()).await.unwrap();
    let wc = store.start_wave(c, THREE, &Actor::system(), now() + 7.minutes()).await.unwrap();
    let order = |v: Vec<Wave>| v.into_iter().map(|x| x.id).collect::<Vec<_>>();
    assert_eq!(order(store.waves_to_advance(later).await.unwrap()), [wa.id, wb.id, wc.id]);
    // Only what is due by the time asked about.
    assert_eq!(order(store.waves_to_advance(now() + 5.minutes()).await.unwrap()), [wa.id, wb.id]);
    // Claiming a moves its next wave behind the others.
    assert!(store.claim_wave(wa.id, now(), now() + 20.minutes()).await.unwrap());
    assert_eq!(order(store.waves_to_advance(later).await.unwrap()), [wb.id, wc.id, wa.id]);
    assert_eq!(order(store.waves_to_advance(now() + 10.minutes()).await.unwrap()), [wb.id, wc.id]);
    // A campaign whose every place is held has something to do before its next wave: end.
    store.book(&book(a, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    assert_eq!(order(store.waves_to_advance(now() + 10.minutes()).await.unwrap()), [wb.id, wc.id, wa.id]);
    assert_eq!(order(store.waves_to_advance(now() + 1.minute()).await.unwrap()), [wa.id]);
    // So does one whose shift has started, due or not.
    assert!(store.claim_wave(wc.id, now() + 7.minutes(), at("2026-12-05T00:00:00Z")).await.unwrap());
    assert_eq!(order(store.waves_to_advance(at("2026-12-04T09:00:00Z")).await.unwrap()), [wb.id, wa.id, wc.id]);
    assert_eq!(order(store.waves_to_advance(at("2026-12-04T08:59:59Z")).await.unwrap()), [wb.id, wa.id]);
    // An ended campaign never has anything to do.
    store.end_wave(wb.id, WaveStatus::Stopped, &biz(&w), now() + 6.minutes()).await.unwrap();
    assert_eq!(order(store.waves_to_advance(now() + 10.minutes()).await.unwrap()), [wa.id]);
}

async fn claim_wave_succeeds_once_per_due_time(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let wave = store.start_wave(s, THREE, &biz(&w), now()).await.unwrap();
    let next = now() + 10.minutes();
    assert!(store.claim_wave(wave.id, now(), next).await.unwrap());
    // The same claim again, or one for a time that is not the one due, loses.
    assert!(!store.claim_wave(wave.id, now(), next).await.unwrap());
    assert!(!store.claim_wave(wave.id, now() + 1.minute(), next + 10.minutes()).await.unwrap());
    assert!(!store.claim_wave(wave.id + 1000, next, next + 10.minutes()).await.unwrap());
    assert_eq!(store.get_wave(s, &Scope::All).await.unwrap().map(|x| x.next_wave_at), Some(next));

    // Many servers race for the wave due at `next`: exactly one wins.
    let then = next + 10.minutes();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.claim_wave(wave.id, next, then).await.unwrap() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1);
    assert_eq!(store.get_wave(s, &Scope::All).await.unwrap().map(|x| x.next_wave_at), Some(then));

    // An ended campaign cannot be claimed, even at its due time.
    store.end_wave(wave.id, WaveStatus::Stopped, &biz(&w), now()).await.unwrap();
    assert!(!store.claim_wave(wave.id, then, then + 10.minutes()).await.unwrap());
}

async fn record_and_end_wave_track_the_campaign_and_close_its_offers(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = as_worker(w.worker);
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let wave = store.start_wave(s, THREE, &biz(&w), now()).await.unwrap();
    let o1 = store.book(&book(s, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let o2 = store.book(&book(s, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let seq = store.last_event_seq().await.unwrap();
    let sent_at = now() + 1.minute();
    let r = store.record_wave(wave.id, &[o1.id, o2.id], sent_at + 10.minutes(), sent_at).await.unwrap();
    assert_eq!((r.waves_sent, r.offers_sent, r.next_wave_at, r.status), (1, 2, sent_at + 10.minutes(), WaveStatus::Active));
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.shift_id)).collect::<Vec<_>>(), [("wave.sent", Some(s))]);
    assert_eq!(events[0].data["offers"], serde_json::json!([o1.id, o2.id]));
    // A wave that found nobody still counts as sent.
    let r = store.record_wave(wave.id, &[], sent_at + 20.minutes(), sent_at + 10.minutes()).await.unwrap();
    assert_eq!((r.waves_sent, r.offers_sent), (2, 2));
    assert_eq!(store.get_wave(s, &Scope::All).await.unwrap(), Some(r.clone()));

    // Ending refusals write nothing.
    let before = snapshot(&store).await;
    assert_eq!(fields_of(store.end_wave(wave.id, WaveStatus::Active, &biz(&w), now()).await.unwrap_err()), ["status"]);
    assert!(is_not_found(store.end_wave(wave.id, WaveStatus::Stopped, &other_biz(&w), now()).await));
    assert!(is_not_found(store.end_wave(wave.id, WaveStatus::Stopped, &ada, now()).await));
    assert!(is_not_found(store.end_wave(wave.id + 1000, WaveStatus::Stopped, &biz(&w), now()).await));
    assert_eq!(snapshot(&store).await, before);

    // Ada accepts; the campaign ends filled and Grace's outstanding offer is withdrawn with it.
    store.transition(o1.id, BookingAction::Accept, &ada, sent_at + 2.minutes()).await.unwrap();
    let seq = store.last_event_seq().await.unwrap();
    let ended_at = sent_at + 3.minutes();
    let ended = store.end_wave(wave.id, WaveStatus::Filled, &biz(&w), ended_at).await.unwrap();
    assert_eq!((ended.status, ended.ended_at, ended.waves_sent), (WaveStatus::Filled, Some(ended_at), 2));
    assert_eq!(store.get_booking(o1.id, &Scope::All).await.unwrap().status, BookingStatus::Confirmed);
    assert_eq!(store.get_booking(o2.id, &Scope::All).await.unwrap().status, BookingStatus::Withdrawn);
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.kind.as_str(), e.booking_id)).collect();
    assert_eq!(kinds, [("booking.withdrawn", Some(o2.id)), ("wave.filled", None)]);
    assert!(store.waves_to_advance(sent_at + 1.hour()).await.unwrap().is_empty());
    assert_eq!(store.get_wave(s, &Scope::All).await.unwrap(), Some(ended.clone()));

    // An ended campaign is neither recorded nor ended again, and that writes nothing.
    let before = snapshot(&store).await;
    assert_eq!(rules_of(store.record_wave(wave.id, &[], ended_at, ended_at).await.unwrap_err()), ["wave_ended"]);
    assert_eq!(rules_of(store.end_wave(wave.id, WaveStatus::Stopped, &biz(&w), ended_at).await.unwrap_err()), ["wave_ended"]);
    assert_eq!(snapshot(&store).await, before);

    // A new campaign may start on another shift; ending it as expired expires its offers.
    let t = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let again = store.start_wave(t, THREE, &biz(&w), now()).await.unwrap();
    assert_ne!(again.id, wave.id);
    let o3 = store.book(&book(t, w.other_worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let expired = store.end_wave(again.id, WaveStatus::Expired, &Actor::system(), ended_at).await.unwrap();
    assert_eq!(expired.status, WaveStatus::Expired);
    assert_eq!(store.get_booking(o3.id, &Scope::All).await.unwrap().status, BookingStatus::Expired);
    // After a campaign ends, another may start on the same shift; the latest is the one read back.
    let third = store.start_wave(t, THREE, &biz(&w), ended_at).await.unwrap();
    assert_eq!(store.get_wave(t, &Scope::All).await.unwrap().map(|x| x.id), Some(third.id));
}
