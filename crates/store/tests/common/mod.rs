//! Shared fixtures for the store's behaviour suite: the `suite!` macro that
//! runs each test on SQLite and on PostgreSQL, a small market (two businesses,
//! a site, two workers) and helpers for requests and "nothing was written"
//! snapshots.
// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;

use jiff::civil::{time, Weekday};
use jiff::Timestamp;
use rust_decimal::Decimal;
use slivers_core::availability::{Availability, WeeklyWindow};
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, UserId, WorkerId};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode, SkillRequirement};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Currency, Interval, Money, Zone};

use slivers_store::*;

/// Run each named `async fn(Arc<dyn Store>)` on a fresh SQLite database, and on
/// a fresh PostgreSQL schema when `SLIVERS_TEST_DATABASE_URL` is set (in CI it
/// must be). Each wrapper first checks the store really speaks the database it
/// was asked for, so the PostgreSQL half cannot quietly run on SQLite.
#[macro_export]
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, _) = slivers_store::testing::scratch(slivers_store::testing::TestDb::Sqlite).await.unwrap();
                    assert_eq!(store.backend(), slivers_store::Backend::Sqlite);
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match slivers_store::testing::scratch(slivers_store::testing::TestDb::Postgres).await {
                        Some((store, _)) => {
                            assert_eq!(store.backend(), slivers_store::Backend::Postgres);
                            super::$name(store).await
                        }
                        None if std::env::var_os("CI").is_some() => panic!("SLIVERS_TEST_DATABASE_URL must be set in CI"),
                        None => eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set"),
                    }
                }
            )*
        }
    };
}

/// The suite's clock: every fixture date lies after it.
pub fn now() -> Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

pub fn gbp(s: &str) -> Money {
    Money::new(Decimal::from_str(s).unwrap(), Currency::GBP)
}

pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub struct World {
    pub business: BusinessId,
    pub other_business: BusinessId,
    pub site: SiteId,
    pub worker: WorkerId,
    pub other_worker: WorkerId,
}

/// A Leeds worker available 06:00–23:00 every day, a level-4 barista.
pub fn london_worker(name: &str) -> Worker {
    let weekly = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday]
        .into_iter()
        .map(|d| WeeklyWindow { weekday: d, start: time(6, 0, 0, 0), end: time(23, 0, 0, 0) })
        .collect();
    Worker {
        id: WorkerId(0),
        name: name.into(),
        zone: Zone::parse("Europe/London").unwrap(),
        reach: Reach::Travel { home: GeoPoint { lat: 53.80, lon: -1.55 }, radius_km: 20 },
        min_rate: gbp("12.00"),
        limits: Limits {
            max_minutes_per_day: 600,
            max_minutes_per_week: 1200,
            min_rest_minutes: 60,
            min_notice_minutes: 0,
            blackouts: vec![],
            labour: Default::default(),
        },
        instant_book: true,
        availability: Availability { weekly, dated: vec![], exceptions: vec![] },
        skills: vec![SkillClaim {
            skill: SkillCode::parse("barista").unwrap(),
            claimed: Level::new(4).unwrap(),
            evidence: vec![Evidence::assessment(Level::new(4).unwrap())],
        }],
        wanted_minutes_per_week: 1200,
    }
}

/// Two skills, two London businesses (the first with a site in Leeds) and two workers.
pub async fn world(store: &Arc<dyn Store>) -> World {
    let sys = Actor::system();
    store.upsert_skills(&[("barista".into(), "Barista".into()), ("cleaner".into(), "Cleaner".into())]).await.unwrap();
    let zone = Zone::parse("Europe/London").unwrap();
    let business = store
        .create_business(&NewBusiness { name: "Leeds Coffee".into(), zone: zone.clone(), currency: Currency::GBP }, &sys, now())
        .await
        .unwrap();
    let other_business = store
        .create_business(&NewBusiness { name: "York Tea".into(), zone: zone.clone(), currency: Currency::GBP }, &sys, now())
        .await
        .unwrap();
    let site = store
        .create_site(
            &NewSite { business_id: business, name: "Briggate".into(), zone, location: GeoPoint { lat: 53.797, lon: -1.543 } },
            &sys,
            now(),
        )
        .await
        .unwrap()
        .id;
    let worker = store.create_worker(&london_worker("Ada"), &sys, now()).await.unwrap();
    let other_worker = store.create_worker(&london_worker("Grace"), &sys, now()).await.unwrap();
    World { business, other_business, site, worker, other_worker }
}

/// A barista shift (level 3, £13.50 pay, £17.25 bill) for `business`, at `site` or remote.
pub fn new_shift(business: BusinessId, site: Option<SiteId>, start: &str, end: &str, headcount: u32) -> NewShift {
    NewShift {
        business_id: business,
        site_id: site,
        window: Interval::new(at(start), at(end)).unwrap(),
        skills: vec![SkillRequirement { skill: SkillCode::parse("barista").unwrap(), level: Level::new(3).unwrap() }],
        headcount,
        pay_rate: gbp("13.50"),
        bill_rate: gbp("17.25"),
        notes: String::new(),
    }
}

/// A shift at the first business's Leeds site.
pub async fn shift(store: &Arc<dyn Store>, w: &World, start: &str, end: &str, headcount: u32) -> ShiftId {
    store.create_shift(&new_shift(w.business, Some(w.site), start, end, headcount), &Actor::system(), now()).await.unwrap().id
}

pub fn book(shift: ShiftId, worker: WorkerId, mode: BookMode) -> BookRequest {
    BookRequest { shift_id: shift, worker_id: worker, mode, now: now(), offer_expires_at: None }
}

/// An offer that lapses at `expires`.
pub fn offer(shift: ShiftId, worker: WorkerId, expires: &str) -> BookRequest {
    BookRequest { offer_expires_at: Some(at(expires)), ..book(shift, worker, BookMode::Offer) }
}

/// The first business acting.
pub fn biz(w: &World) -> Actor {
    Actor { user: None, scope: Scope::Business(w.business) }
}

/// The second business acting.
pub fn other_biz(w: &World) -> Actor {
    Actor { user: None, scope: Scope::Business(w.other_business) }
}

pub fn as_worker(id: WorkerId) -> Actor {
    Actor { user: None, scope: Scope::Worker(id) }
}

pub fn rules_of(e: StoreError) -> Vec<&'static str> {
    match e {
        StoreError::Conflict(c) => c.rules(),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// The field names of a validation refusal.
pub fn fields_of(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(i) => i.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

pub fn is_not_found<T: std::fmt::Debug>(r: Result<T>) -> bool {
    matches!(r, Err(StoreError::NotFound(_)))
}

/// Row counts and the last event: equal before and after means nothing was written.
pub async fn snapshot(store: &Arc<dyn Store>) -> (Vec<(String, i64)>, i64) {
    (store.row_counts().await.unwrap(), store.last_event_seq().await.unwrap())
}

pub async fn user(store: &Arc<dyn Store>, email: &str, role: Role, worker: Option<WorkerId>, business: Option<BusinessId>) -> UserId {
    store
        .create_user(NewUser { email: email.into(), password_hash: "not-a-real-hash".into(), role, worker_id: worker, business_id: business, now: now() })
        .await
        .unwrap()
}
