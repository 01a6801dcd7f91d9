//! Behaviour suite, the market: the skill taxonomy, workers, businesses and
//! their wave settings, sites, listing shifts by filter and editing a posted
//! shift. Runs on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use slivers_core::geo::GeoPoint;
use slivers_core::{Currency, Zone};

use common::*;
use slivers_store::*;

suite!(
    skills_upsert_renames_and_lists_in_code_order,
    workers_list_in_id_order_by_page,
    businesses_and_sites_are_scoped,
    wave_settings_roundtrip_and_refusals_write_nothing,
    shifts_filter_by_business_window_scope_and_page,
    edit_shift_changes_only_what_it_may,
);

fn skills(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect()
}

async fn skills_upsert_renames_and_lists_in_code_order(store: Arc<dyn Store>) {
    assert!(store.list_skills().await.unwrap().is_empty());
    world(&store).await;
    assert_eq!(store.list_skills().await.unwrap(), skills(&[("barista", "Barista"), ("cleaner", "Cleaner")]));
    store.upsert_skills(&skills(&[("barista", "Espresso barista"), ("admin", "Office admin")])).await.unwrap();
    assert_eq!(
        store.list_skills().await.unwrap(),
        skills(&[("admin", "Office admin"), ("barista", "Espresso barista"), ("cleaner", "Cleaner")])
    );
    // A bad code anywhere in the batch refuses the whole batch.
    let e = store.upsert_skills(&skills(&[("waiter", "Waiter"), ("Not A Code", "x")])).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    assert_eq!(store.list_skills().await.unwrap().len(), 3);
}

async fn workers_list_in_id_order_by_page(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let mut ids = vec![w.worker, w.other_worker];
    for name in ["Barbara", "Edsger", "Frances"] {
        ids.push(store.create_worker(&london_worker(name), &Actor::system(), now()).await.unwrap());
    }
    let all = store.list_workers(Page::all()).await.unwrap();
    assert_eq!(all.iter().map(|x| x.id).collect::<Vec<_>>(), ids);
    assert_eq!(all.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), ["Ada", "Grace", "Barbara", "Edsger", "Frances"]);
    // Each listed worker is the whole profile, skills included.
    let mut expected = london_worker("Edsger");
    expected.id = ids[3];
    assert_eq!(all[3], expected);
    assert_eq!(all[3], store.get_worker(ids[3], &Scope::All).await.unwrap());
    let page = store.list_workers(Page { limit: 2, offset: 1 }).await.unwrap();
    assert_eq!(page.iter().map(|x| x.id).collect::<Vec<_>>(), ids[1..3]);
    assert!(page.iter().all(|x| x.skills.len() == 1));
    assert!(store.list_workers(Page { limit: 10, offset: 5 }).await.unwrap().is_empty());
}

async fn businesses_and_sites_are_scoped(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let names = |list: Vec<Business>| list.into_iter().map(|b| (b.id, b.name)).collect::<Vec<_>>();
    let both = [(w.business, "Leeds Coffee".to_string()), (w.other_business, "York Tea".to_string())];
    assert_eq!(names(store.list_businesses(&Scope::All, Page::all()).await.unwrap()), both);
    assert_eq!(names(store.list_businesses(&Scope::All, Page { limit: 1, offset: 1 }).await.unwrap()), both[1..]);
    assert_eq!(names(store.list_businesses(&Scope::Business(w.other_business), Page::all()).await.unwrap()), both[1..]);
    assert!(store.list_businesses(&Scope::Worker(w.worker), Page::all()).await.unwrap().is_empty());

    let b = store.get_business(w.business, &Scope::Business(w.business)).await.unwrap();
    assert_eq!((b.name.as_str(), b.zone.name(), b.currency, b.waves), ("Leeds Coffee", "Europe/London", Currency::GBP, WaveSettings::default()));

    let sys = Actor::system();
    let first = store.get_site(w.site, &Scope::Business(w.business)).await.unwrap();
    assert_eq!((first.business_id, first.name.as_str(), first.location), (w.business, "Briggate", GeoPoint { lat: 53.797, lon: -1.543 }));
    let zone = Zone::parse("Europe/London").unwrap();
    let second = store
        .create_site(&NewSite { business_id: w.business, name: "Headrow".into(), zone: zone.clone(), location: GeoPoint { lat: 53.80, lon: -1.54 } }, &biz(&w), now())
        .await
        .unwrap();
    let theirs = store
        .create_site(&NewSite { business_id: w.other_business, name: "Stonegate".into(), zone: zone.clone(), location: GeoPoint { lat: 53.96, lon: -1.08 } }, &sys, now())
        .await
        .unwrap();
    assert_eq!(store.get_site(second.id, &Scope::All).await.unwrap(), second);
    assert_eq!(store.list_sites(w.business, &Scope::Business(w.business)).await.unwrap(), [first.clone(), second.clone()]);
    assert_eq!(store.list_sites(w.other_business, &Scope::All).await.unwrap(), [theirs.clone()]);
    // Another business sees none of the first business's sites.
    assert!(store.list_sites(w.business, &Scope::Business(w.other_business)).await.unwrap().is_empty());
    assert!(is_not_found(store.get_site(w.site, &Scope::Business(w.other_business)).await));
    assert!(is_not_found(store.get_site(theirs.id, &Scope::Business(w.business)).await));
    assert!(is_not_found(store.get_site(w.site, &Scope::Worker(w.worker)).await));
    // Nor may it add a site to the first business; the refusal writes nothing.
    let before = snapshot(&store).await;
    let sneaky = NewSite { business_id: w.business, name: "Sneaky".into(), zone, location: GeoPoint { lat: 53.8, lon: -1.5 } };
    assert!(is_not_found(store.create_site(&sneaky, &other_biz(&w), now()).await));
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.list_sites(w.business, &Scope::All).await.unwrap().len(), 2);
}

async fn wave_settings_roundtrip_and_refusals_write_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let seq = store.last_event_seq().await.unwrap();
    let settings = WaveSettings { size: 3, interval_minutes: 15, order: WaveOrder::Reliability };
    let b = store.set_wave_settings(w.business, settings, &biz(&w), now()).await.unwrap();
    assert_eq!((b.id, b.waves), (w.business, settings));
    assert_eq!(store.get_business(w.business, &Scope::All).await.unwrap().waves, settings);
    assert_eq!(store.get_business(w.other_business, &Scope::All).await.unwrap().waves, WaveSettings::default());
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.business_id)).collect::<Vec<_>>(), [("business.settings_changed", Some(w.business))]);

    let before = snapshot(&store).await;
    let bad = WaveSettings { size: 0, interval_minutes: 0, order: WaveOrder::Best };
    let e = store.set_wave_settings(w.business, bad, &biz(&w), now()).await.unwrap_err();
    assert_eq!(fields_of(e), ["size", "interval_minutes"]);
    let too_big = WaveSettings { size: 101, interval_minutes: 1441, order: WaveOrder::Best };
    assert_eq!(fields_of(store.set_wave_settings(w.business, too_big, &biz(&w), now()).await.unwrap_err()), ["size", "interval_minutes"]);
    // Another business, or a worker, cannot change them.
    let other = WaveSettings { size: 9, interval_minutes: 60, order: WaveOrder::Distance };
    assert!(is_not_found(store.set_wave_settings(w.business, other, &other_biz(&w), now()).await));
    assert!(is_not_found(store.set_wave_settings(w.business, other, &as_worker(w.worker), now()).await));
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.get_business(w.business, &Scope::All).await.unwrap().waves, settings);
}

async fn shifts_filter_by_business_window_scope_and_page(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let a = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    // The other business's shift is remote (no site).
    let c = store
        .create_shift(&new_shift(w.other_business, None, "2026-12-02T10:00:00Z", "2026-12-02T12:00:00Z", 1), &other_biz(&w), now())
        .await
        .unwrap();
    assert_eq!((c.site_id, c.location, c.zone.name()), (None, None, "Europe/London"));
    let list = |f: ShiftFilter, scope: Scope, page: Page| {
        let store = store.clone();
        async move { store.list_shifts(&f, &scope, page).await.unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>() }
    };
    let all = ShiftFilter::default;
    // Ordered by start.
    assert_eq!(list(all(), Scope::All, Page::all()).await, [a, c.id, b]);
    assert_eq!(list(ShiftFilter { business: Some(w.business), ..all() }, Scope::All, Page::all()).await, [a, b]);
    assert_eq!(list(ShiftFilter { business: Some(w.other_business), ..all() }, Scope::All, Page::all()).await, [c.id]);
    // `from`: shifts ending after it (a ends exactly at 13:00, so it is out).
    assert_eq!(list(ShiftFilter { from: Some(at("2026-12-02T13:00:00Z")), ..all() }, Scope::All, Page::all()).await, [b]);
    // `to`: shifts starting before it (c starts exactly at 10:00, so it is out).
    assert_eq!(list(ShiftFilter { to: Some(at("2026-12-02T10:00:00Z")), ..all() }, Scope::All, Page::all()).await, [a]);
    let window = ShiftFilter { from: Some(at("2026-12-02T11:00:00Z")), to: Some(at("2026-12-03T09:00:00Z")), ..all() };
    assert_eq!(list(window.clone(), Scope::All, Page::all()).await, [a, c.id]);
    assert_eq!(list(ShiftFilter { business: Some(w.business), ..window }, Scope::All, Page::all()).await, [a]);
    assert_eq!(list(all(), Scope::All, Page { limit: 1, offset: 1 }).await, [c.id]);
    // The scope wins over the filter: asking for another business's shifts yields nothing.
    assert_eq!(list(all(), Scope::Business(w.other_business), Page::all()).await, [c.id]);
    assert!(list(ShiftFilter { business: Some(w.business), ..all() }, Scope::Business(w.other_business), Page::all()).await.is_empty());
    // A worker lists only shifts they hold a booking or offer on.
    assert!(list(all(), Scope::Worker(w.worker), Page::all()).await.is_empty());
    store.book(&book(b, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    assert_eq!(list(all(), Scope::Worker(w.worker), Page::all()).await, [b]);
    assert!(list(all(), Scope::Worker(w.other_worker), Page::all()).await.is_empty());
    // Listed shifts are whole records.
    let listed = store.list_shifts(&all(), &Scope::All, Page::all()).await.unwrap();
    assert_eq!(listed[1], c);
    assert_eq!(listed[0], store.get_shift(a, &Scope::All).await.unwrap());
}

async fn edit_shift_changes_only_what_it_may(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 2).await;
    let original = store.get_shift(s, &Scope::All).await.unwrap();
    let seq = store.last_event_seq().await.unwrap();
    let edit = ShiftEdit { headcount: 3, pay_rate: gbp("14.00"), bill_rate: gbp("18.00"), notes: "Bring an apron".into() };
    let edited = store.edit_shift(s, &edit, &biz(&w), now()).await.unwrap();
    assert_eq!((edited.headcount, edited.pay_rate, edited.bill_rate, edited.notes.as_str()), (3, gbp("14.00"), gbp("18.00"), "Bring an apron"));
    // The window, site and skills are as posted.
    assert_eq!((edited.window, edited.site_id, &edited.skills), (original.window, original.site_id, &original.skills));
    assert_eq!(store.get_shift(s, &Scope::All).await.unwrap(), edited);
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::All, Page::default()).await.unwrap();
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.shift_id)).collect::<Vec<_>>(), [("shift.edited", Some(s))]);

    // Bookings are made at the edited rate.
    let b1 = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    assert_eq!(b1.pay, gbp("56.00"));
    store.book(&book(s, w.other_worker, BookMode::Instant), &biz(&w)).await.unwrap();

    let before = snapshot(&store).await;
    // Not below the two places held.
    let e = store.edit_shift(s, &ShiftEdit { headcount: 1, ..edit.clone() }, &biz(&w), now()).await.unwrap_err();
    assert_eq!(rules_of(e), ["headcount"]);
    // Rates are fixed once someone holds the shift.
    let e = store.edit_shift(s, &ShiftEdit { pay_rate: gbp("15.00"), ..edit.clone() }, &biz(&w), now()).await.unwrap_err();
    assert_eq!(fields_of(e), ["pay_rate"]);
    // Still validated as a whole: once the shift has started it cannot be edited.
    let e = store.edit_shift(s, &ShiftEdit { headcount: 2, ..edit.clone() }, &biz(&w), at("2026-12-02T09:00:00Z")).await.unwrap_err();
    assert_eq!(fields_of(e), ["start"]);
    // Another business cannot see it; a worker may not edit; an unknown shift is not found.
    assert!(is_not_found(store.edit_shift(s, &edit, &other_biz(&w), now()).await));
    assert!(matches!(store.edit_shift(s, &edit, &as_worker(w.worker), now()).await, Err(StoreError::Forbidden(_))));
    assert!(is_not_found(store.edit_shift(slivers_core::ids::ShiftId(999_999), &edit, &Actor::system(), now()).await));
    assert_eq!(snapshot(&store).await, before, "a refused edit wrote something");
    assert_eq!(store.get_shift(s, &Scope::All).await.unwrap(), edited);

    // Headcount down to the places held, and notes, may still change.
    let ok = store.edit_shift(s, &ShiftEdit { headcount: 2, notes: "Full".into(), ..edit.clone() }, &biz(&w), now()).await.unwrap();
    assert_eq!((ok.headcount, ok.notes.as_str(), ok.pay_rate), (2, "Full", gbp("14.00")));

    // An outstanding offer fixes the rates too, though it holds no place.
    let t = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", 1).await;
    store.book(&book(t, w.worker, BookMode::Offer), &biz(&w)).await.unwrap();
    let e = store.edit_shift(t, &ShiftEdit { headcount: 1, pay_rate: gbp("13.50"), bill_rate: gbp("20.00"), notes: String::new() }, &biz(&w), now()).await.unwrap_err();
    assert_eq!(fields_of(e), ["pay_rate"]);
}
