//! Use cases for talking with customers, on a real store (SQLite, and
//! PostgreSQL when `SLIVERS_TEST_DATABASE_URL` is set) under a simulated
//! clock: who may take which step (a worker cannot answer as an operator),
//! the feedback board's "who asked for this?", booking messages, the CSV
//! report of targets met, and response times whose p50/p90 equal an
//! independent computation over a scripted month of inquiries.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jiff::civil::{time, Weekday};
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use slivers_core::availability::{Availability, WeeklyWindow};
use slivers_core::contact::Customer;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BusinessId, UserId, WorkerId};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode, SkillRequirement};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Currency, Interval, Money, Zone};
use slivers_exchange::{feedback, inquiries, messages, Exchange, ExchangeError, Principal};
use slivers_store::testing::{scratch, TestDb};
use slivers_store::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A clock the test moves by hand.
#[derive(Clone)]
struct SimClock(Arc<AtomicI64>);

impl SimClock {
    fn set(&self, t: Timestamp) {
        self.0.store(t.as_second(), Ordering::SeqCst);
    }
}

fn exchange(store: Arc<dyn Store>, start: Timestamp) -> (Exchange, SimClock) {
    let clock = SimClock(Arc::new(AtomicI64::new(start.as_second())));
    let c = clock.clone();
    let ex = Exchange::with_clock(store, Arc::new(move || Timestamp::from_second(c.0.load(Ordering::SeqCst)).unwrap()));
    (ex, clock)
}

/// Stores to run on: SQLite always, PostgreSQL when configured.
async fn stores() -> Vec<Arc<dyn Store>> {
    let mut out = vec![scratch(TestDb::Sqlite).await.unwrap().0];
    if let Some((pg, _)) = scratch(TestDb::Postgres).await {
        out.push(pg);
    }
    out
}

fn gbp(s: &str) -> Money {
    Money::new(Decimal::from_str(s).unwrap(), Currency::GBP)
}

fn worker(name: &str) -> Worker {
    let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];
    Worker {
        id: WorkerId(0),
        name: name.into(),
        zone: Zone::parse("Europe/London").unwrap(),
        reach: Reach::Travel { home: GeoPoint { lat: 53.80, lon: -1.55 }, radius_km: 20 },
        min_rate: gbp("12.00"),
        limits: Limits { max_minutes_per_day: 600, max_minutes_per_week: 1200, min_rest_minutes: 60, min_notice_minutes: 0, blackouts: vec![], labour: Default::default() },
        instant_book: true,
        availability: Availability {
            weekly: days.into_iter().map(|d| WeeklyWindow { weekday: d, start: time(6, 0, 0, 0), end: time(23, 0, 0, 0) }).collect(),
            dated: vec![],
            exceptions: vec![],
        },
        skills: vec![SkillClaim {
            skill: SkillCode::parse("barista").unwrap(),
            claimed: Level::new(4).unwrap(),
            evidence: vec![Evidence::assessment(Level::new(4).unwrap())],
        }],
        wanted_minutes_per_week: 1200,
    }
}

struct Cast {
    business: BusinessId,
    other_business: BusinessId,
    worker: WorkerId,
    biz: Principal,
    other: Principal,
    wk: Principal,
    op: Principal,
}

async fn principal(store: &Arc<dyn Store>, email: &str, role: Role, worker: Option<WorkerId>, business: Option<BusinessId>) -> Principal {
    let id: UserId = store
        .create_user(NewUser { email: email.into(), password_hash: "x".into(), role, worker_id: worker, business_id: business, now: at("2026-10-01T00:00:00Z") })
        .await
        .unwrap();
    Principal::user(&store.get_user(id).await.unwrap())
}

async fn cast(store: &Arc<dyn Store>) -> Cast {
    let sys = Actor::system();
    let t = at("2026-10-01T00:00:00Z");
    store.upsert_skills(&[("barista".into(), "Barista".into())]).await.unwrap();
    let zone = Zone::parse("Europe/London").unwrap();
    let nb = |name: &str| NewBusiness { name: name.into(), zone: zone.clone(), currency: Currency::GBP };
    let business = store.create_business(&nb("Leeds Coffee"), &sys, t).await.unwrap();
    let other_business = store.create_business(&nb("York Tea"), &sys, t).await.unwrap();
    let worker = store.create_worker(&worker("Ada"), &sys, t).await.unwrap();
    Cast {
        business,
        other_business,
        worker,
        biz: principal(store, "owner@leeds.example", Role::Business, None, Some(business)).await,
        other: principal(store, "owner@york.example", Role::Business, None, Some(other_business)).await,
        wk: principal(store, "ada@example.com", Role::Worker, Some(worker), None).await,
        op: principal(store, "ops@slivers.example", Role::Operator, None, None).await,
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, ExchangeError>) -> bool {
    matches!(r, Err(ExchangeError::Forbidden(_)))
}

fn not_found<T: std::fmt::Debug>(r: Result<T, ExchangeError>) -> bool {
    matches!(r, Err(ExchangeError::NotFound(_)))
}

fn step(action: InquiryAction, text: &str) -> InquiryStep {
    InquiryStep { action, text: text.into() }
}

fn ask(category: InquiryCategory, subject: &str) -> NewInquiry {
    NewInquiry { category, priority: Priority::Normal, subject: subject.into(), text: "Please help.".into(), about: None }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_take_which_step() {
    for store in stores().await {
        let c = cast(&store).await;
        let (ex, clock) = exchange(store.clone(), at("2026-11-02T10:00:00Z"));
        let q = inquiries::raise(&ex, &c.wk, &ask(InquiryCategory::Account, "Change my bank details")).await.unwrap();
        let seq = store.last_event_seq().await.unwrap();

        // A worker cannot answer, wait on the customer or resolve: refused before any
        // lookup, so the answer is the same for an id that does not exist.
        for action in [InquiryAction::Answer, InquiryAction::Wait, InquiryAction::Resolve] {
            assert!(forbidden(inquiries::step(&ex, &c.wk, q.id, &step(action, "Done.")).await), "{action}");
            assert!(forbidden(inquiries::step(&ex, &c.wk, q.id + 999, &step(action, "Done.")).await), "{action}");
            assert!(forbidden(inquiries::step(&ex, &c.biz, q.id, &step(action, "Done.")).await), "{action}");
        }
        // Operators answer; they neither raise nor reply as the customer. Only operators set targets.
        assert!(forbidden(inquiries::raise(&ex, &c.op, &ask(InquiryCategory::Billing, "On behalf")).await));
        assert!(forbidden(inquiries::step(&ex, &c.op, q.id, &step(InquiryAction::Reply, "as the worker")).await));
        assert!(forbidden(inquiries::set_settings(&ex, &c.biz, &ContactSettings::default()).await));
        // Another customer's inquiry does not exist for them.
        assert!(not_found(inquiries::get(&ex, &c.biz, q.id).await));
        assert!(not_found(inquiries::step(&ex, &c.other, q.id, &step(InquiryAction::Reply, "hello")).await));
        assert_eq!(store.last_event_seq().await.unwrap(), seq, "refusals write nothing");

        clock.set(at("2026-11-02T11:00:00Z"));
        let answered = inquiries::step(&ex, &c.op, q.id, &step(InquiryAction::Answer, "Updated.")).await.unwrap();
        assert_eq!((answered.status, answered.first_response_at), (InquiryStatus::Answered, Some(at("2026-11-02T11:00:00Z"))));
        let thread = inquiries::get(&ex, &c.wk, q.id).await.unwrap();
        assert_eq!(thread.messages.len(), 2);
        // The worker was told by email (topic `inquiries`).
        let mails = store.list_outbox(&OutboxFilter::default(), &Scope::Worker(c.worker), Page::all()).await.unwrap();
        assert_eq!(mails.iter().filter(|m| m.topic == "inquiries" && m.recipient == "ada@example.com").count(), 1);
        assert_eq!(inquiries::settings(&ex).await.unwrap(), ContactSettings::default());

        // The feedback board: customers file and vote; operators merge, change status, ask who asked.
        let r = feedback::file(&ex, &c.biz, &NewFeatureRequest { title: "Shift swaps".into(), text: "Let workers swap.".into() }).await.unwrap();
        let dup = feedback::file(&ex, &c.wk, &NewFeatureRequest { title: "Swap shifts".into(), text: "I want to swap.".into() }).await.unwrap();
        feedback::vote(&ex, &c.other, r.id, "Same here").await.unwrap();
        assert!(forbidden(feedback::file(&ex, &c.op, &NewFeatureRequest { title: "Ops idea".into(), text: "x".into() }).await));
        assert!(forbidden(feedback::vote(&ex, &c.op, r.id, "").await));
        assert!(forbidden(feedback::merge(&ex, &c.biz, dup.id, r.id).await));
        let shipped = FeatureChange { status: FeatureStatus::Shipped, reason: None };
        assert!(forbidden(feedback::set_status(&ex, &c.wk, r.id, &shipped).await));
        assert!(forbidden(feedback::who_asked(&ex, &c.biz, r.id).await));
        feedback::merge(&ex, &c.op, dup.id, r.id).await.unwrap();
        feedback::set_status(&ex, &c.op, r.id, &shipped).await.unwrap();
        let who = feedback::who_asked(&ex, &c.op, r.id).await.unwrap();
        let askers: Vec<(Customer, &str, Vec<&str>)> =
            who.customers.iter().map(|a| (a.customer, a.name.as_str(), a.words.iter().map(|w| w.text.as_str()).collect())).collect();
        assert_eq!(askers, [
            (Customer::Business(c.business), "Leeds Coffee", vec!["Let workers swap."]),
            (Customer::Business(c.other_business), "York Tea", vec!["Same here"]),
            (Customer::Worker(c.worker), "Ada", vec!["I want to swap."]),
        ]);
        assert_eq!(who.customers[2].words[0].origin_request_id, dup.id);
        let board = feedback::list(&ex, &c.wk, &FeatureFilter::default(), Page::all()).await.unwrap();
        assert_eq!((board.len(), board[0].links.len(), board[0].businesses, board[0].workers), (1, 1, 2, 1));
        assert_eq!(feedback::get(&ex, &c.other, r.id).await.unwrap().links.len(), 1);

        // Messages: the two parties of a booking; another business gets not found.
        let site = store
            .create_site(&NewSite { business_id: c.business, name: "Briggate".into(), zone: Zone::parse("Europe/London").unwrap(), location: GeoPoint { lat: 53.797, lon: -1.543 } }, &Actor::system(), at("2026-11-01T00:00:00Z"))
            .await
            .unwrap();
        let shift = store
            .create_shift(
                &NewShift {
                    business_id: c.business,
                    site_id: Some(site.id),
                    window: Interval::new(at("2026-11-10T09:00:00Z"), at("2026-11-10T13:00:00Z")).unwrap(),
                    skills: vec![SkillRequirement { skill: SkillCode::parse("barista").unwrap(), level: Level::new(3).unwrap() }],
                    headcount: 1,
                    pay_rate: gbp("13.50"),
                    bill_rate: gbp("17.25"),
                    notes: String::new(),
                },
                &Actor::system(),
                at("2026-11-01T00:00:00Z"),
            )
            .await
            .unwrap();
        let booking = store
            .book(&BookRequest { shift_id: shift.id, worker_id: c.worker, mode: BookMode::Instant, now: at("2026-11-02T00:00:00Z"), offer_expires_at: None }, &c.biz.actor)
            .await
            .unwrap();
        messages::send(&ex, &c.wk, booking.id, "Running five minutes late").await.unwrap();
        messages::send(&ex, &c.biz, booking.id, "No problem").await.unwrap();
        assert!(not_found(messages::send(&ex, &c.other, booking.id, "Hi").await));
        assert!(not_found(messages::list(&ex, &c.other, booking.id, Page::all()).await));
        assert_eq!(messages::list(&ex, &c.wk, booking.id, Page::all()).await.unwrap().len(), 2);
    }
}

/// One scripted inquiry: when it is opened, first answered (maybe by asking the
/// customer something, who then replies) and resolved, each with seconds.
struct Scripted {
    opened: Timestamp,
    first: Option<Timestamp>,
    asks: bool,
    resolved: Option<Timestamp>,
}

/// Thirty inquiries of one business over November 2026, from a fixed seed.
fn script() -> Vec<Scripted> {
    let mut rng = fastrand::Rng::with_seed(20_261_101);
    let start = at("2026-11-01T07:00:00Z");
    (0..30)
        .map(|day| {
            let opened = start + SignedDuration::from_secs(day * 86_400 + rng.i64(0..36_000));
            let first = (day % 7 != 3).then(|| opened + SignedDuration::from_secs(rng.i64(30..3 * 86_400)));
            let resolved = match first {
                Some(f) if day % 5 != 1 => Some(f + SignedDuration::from_secs(rng.i64(60..4 * 86_400))),
                _ => None,
            };
            Scripted { opened, first, asks: day % 3 == 0, resolved }
        })
        .collect()
}

/// Nearest rank by its definition, independently of the implementation: the
/// smallest observed value `v` with at least `p` percent of values `<= v`.
fn by_definition(values: &[i64], p: usize) -> Option<i64> {
    let mut candidates: Vec<i64> = values.to_vec();
    candidates.sort_unstable();
    candidates.into_iter().find(|v| values.iter().filter(|x| *x <= v).count() * 100 >= p * values.len())
}

fn whole_minutes(from: Timestamp, to: Timestamp) -> i64 {
    let secs = to.as_second() - from.as_second();
    (secs - secs.rem_euclid(60)) / 60
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_times_equal_an_independent_computation_over_a_scripted_month() {
    for store in stores().await {
        let c = cast(&store).await;
        let (ex, clock) = exchange(store.clone(), at("2026-11-01T00:00:00Z"));
        let plan = script();
        // Every action of the month in time order, as they would have happened.
        #[derive(Clone, Copy)]
        enum Act {
            Raise,
            First,
            Reply,
            Resolve,
        }
        let mut acts: Vec<(Timestamp, usize, Act)> = Vec::new();
        for (i, s) in plan.iter().enumerate() {
            acts.push((s.opened, i, Act::Raise));
            if let Some(f) = s.first {
                acts.push((f, i, Act::First));
                if s.asks {
                    acts.push((f + SignedDuration::from_secs(600), i, Act::Reply));
                }
            }
            if let Some(r) = s.resolved {
                // Resolutions come after any reply (replies are 10 minutes after asking).
                acts.push((r.max(s.first.unwrap() + SignedDuration::from_secs(601)), i, Act::Resolve));
            }
        }
        acts.sort_by_key(|(t, i, _)| (*t, *i));
        let mut ids: BTreeMap<usize, i64> = BTreeMap::new();
        let mut resolved_at: BTreeMap<usize, Timestamp> = BTreeMap::new();
        for (t, i, act) in &acts {
            clock.set(*t);
            match act {
                Act::Raise => {
                    let q = inquiries::raise(&ex, &c.biz, &ask(InquiryCategory::Billing, &format!("Inquiry {i}"))).await.unwrap();
                    ids.insert(*i, q.id);
                }
                Act::First => {
                    let a = if plan[*i].asks { InquiryAction::Wait } else { InquiryAction::Answer };
                    inquiries::step(&ex, &c.op, ids[i], &step(a, "Looking into it")).await.unwrap();
                }
                Act::Reply => {
                    inquiries::step(&ex, &c.biz, ids[i], &step(InquiryAction::Reply, "Here you are")).await.unwrap();
                }
                Act::Resolve => {
                    inquiries::step(&ex, &c.op, ids[i], &step(InquiryAction::Resolve, "")).await.unwrap();
                    resolved_at.insert(*i, *t);
                }
            }
        }
        // Another customer's inquiries must not leak into the business's figures.
        clock.set(at("2026-11-15T12:00:00Z"));
        inquiries::raise(&ex, &c.other, &ask(InquiryCategory::Booking, "Elsewhere")).await.unwrap();
        let end = at("2026-12-01T00:00:00Z");
        clock.set(end);

        // The raw records are the script.
        let raw = inquiries::list(&ex, &c.biz, &InquiryFilter::default(), Page::all()).await.unwrap();
        assert_eq!(raw.len(), 30);
        for (i, s) in plan.iter().enumerate() {
            let q = raw.iter().find(|q| q.id == ids[&i]).unwrap();
            assert_eq!((q.opened_at, q.first_response_at, q.resolved_at), (s.opened, s.first, resolved_at.get(&i).copied()), "inquiry {i}");
        }
        let first: Vec<i64> = raw.iter().filter_map(|q| Some(whole_minutes(q.opened_at, q.first_response_at?))).collect();
        let resolution: Vec<i64> = raw.iter().filter_map(|q| Some(whole_minutes(q.opened_at, q.resolved_at?))).collect();
        assert!(first.len() >= 20 && resolution.len() >= 15 && resolution.len() < first.len(), "a varied month");

        let as_business = inquiries::response_times(&ex, &c.biz, &InquiryFilter::default()).await.unwrap();
        let as_operator =
            inquiries::response_times(&ex, &c.op, &InquiryFilter { customer: Some(Customer::Business(c.business)), ..Default::default() }).await.unwrap();
        for rt in [&as_business, &as_operator] {
            let o = rt.overall;
            assert_eq!(o.inquiries, 30);
            assert_eq!((o.first_response.count, o.resolution.count), (first.len(), resolution.len()));
            assert_eq!((o.first_response.p50, o.first_response.p90), (by_definition(&first, 50), by_definition(&first, 90)));
            assert_eq!((o.resolution.p50, o.resolution.p90), (by_definition(&resolution, 50), by_definition(&resolution, 90)));
            assert_eq!(rt.per_customer.len(), 1);
            assert_eq!((rt.per_customer[0].customer, rt.per_customer[0].stats), (Customer::Business(c.business), o));
            // Waiting longest: the unanswered ones (every 7th from day 3), oldest first.
            let unanswered: Vec<usize> = (0..30).filter(|d| d % 7 == 3).collect();
            let w = &rt.waiting_longest;
            assert_eq!(w.len(), 1);
            assert_eq!((w[0].inquiry_id, w[0].unanswered), (ids[&unanswered[0]], unanswered.len()));
            assert_eq!(w[0].waiting_minutes, whole_minutes(plan[unanswered[0]].opened, end));
        }
        // Operators overall see both customers; the other business waits too, longest first.
        let all = inquiries::response_times(&ex, &c.op, &InquiryFilter::default()).await.unwrap();
        assert_eq!((all.overall.inquiries, all.per_customer.len(), all.waiting_longest.len()), (31, 2, 2));
        assert!(all.waiting_longest[0].opened_at <= all.waiting_longest[1].opened_at);

        // The report of targets met: one line per inquiry under a header.
        let csv = inquiries::targets_report_csv(&ex, &c.biz, &InquiryFilter::default()).await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 31);
        assert_eq!(
            lines[0],
            "inquiry_id,customer,category,priority,opened_at,first_response_at,first_response_due,first_response_met,\
             resolved_at,resolution_due,resolution_met"
        );
        let unanswered = ids[&3];
        let row = lines.iter().find(|l| l.starts_with(&format!("{unanswered},"))).unwrap();
        let cells: Vec<&str> = row.split(',').collect();
        // Never answered nor resolved, both breached by the end of the month; the due times are shown.
        assert_eq!((cells[2], cells[5], cells[7], cells[8], cells[10]), ("billing", "", "no", "", "no"), "{row}");
        assert!(!cells[6].is_empty() && !cells[9].is_empty(), "{row}");
        // The escalation sweep escalates the breaches the report shows, once each.
        let esc = inquiries::escalate_breaches(&ex, end).await.unwrap();
        assert!(esc.iter().any(|e| e.inquiry_id == unanswered && e.target == TargetKind::FirstResponse));
        assert!(inquiries::escalate_breaches(&ex, end).await.unwrap().is_empty());
    }
}
