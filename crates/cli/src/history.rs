//! A little past for the demo, written the way the exchange writes it (each
//! step through the store at the time it happened): one worker's week of
//! work for the first business, approved, disputed and invoiced, plus a shift
//! starting within the hour to clock in to. So a visitor sees timesheets,
//! an invoice to download, a pay statement and a dispute to resolve.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use slivers_core::availability::{Availability, WeeklyWindow};
use slivers_core::booking::BookingAction;
use slivers_core::documents::Party;
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillRequirement};
use slivers_core::timesheet::Review;
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Interval, Money};
use slivers_store::{Actor, Attendance, BillingSettings, BookMode, BookRequest, NewShift, Scope, Store};

/// The demo login of the worker with a history.
pub const HISTORY_WORKER_EMAIL: &str = "timesheets@demo.slivers.test";

fn minute(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second() - t.as_second().rem_euclid(60)).unwrap_or(t)
}

/// Write the history for `business` at `now`; returns the new worker.
pub async fn write(store: &dyn Store, business: BusinessId, now: Timestamp) -> Result<WorkerId> {
    let sys = Actor::system();
    let b = store.get_business(business, &Scope::All).await?;
    let skill = store.list_skills().await?.into_iter().next().map(|(code, _)| code).unwrap_or_else(|| "barista".into());
    let skill = slivers_core::skills::SkillCode::parse(&skill)?;
    use jiff::civil::Weekday as D;
    // 00:00 to 00:00 is the whole day.
    let weekly = [D::Monday, D::Tuesday, D::Wednesday, D::Thursday, D::Friday, D::Saturday, D::Sunday]
        .into_iter()
        .map(|weekday| WeeklyWindow { weekday, start: jiff::civil::time(0, 0, 0, 0), end: jiff::civil::time(0, 0, 0, 0) })
        .collect();
    let worker = Worker {
        id: WorkerId(0),
        name: "Tess Timesheet".into(),
        zone: b.zone.clone(),
        reach: Reach::RemoteOnly,
        min_rate: Money::new(rust_decimal::Decimal::from(10), b.currency),
        limits: Limits { max_minutes_per_day: 720, max_minutes_per_week: 3000, min_rest_minutes: 30, min_notice_minutes: 0, blackouts: vec![], labour: Default::default() },
        instant_book: true,
        availability: Availability { weekly, dated: vec![], exceptions: vec![] },
        skills: vec![SkillClaim { skill: skill.clone(), claimed: Level::new(2)?, evidence: vec![Evidence::SelfDeclared] }],
        wanted_minutes_per_week: 1200,
    };
    let w = store.create_worker(&worker, &sys, now).await?;
    let party = Party {
        name: format!("{} Ltd", b.name),
        street: "1 Demo Street".into(),
        city: "Leeds".into(),
        postcode: "LS1 1AA".into(),
        country: "GB".into(),
        vat_id: Some("GB123456789".into()),
        endpoint_scheme: "0088".into(),
        endpoint_id: "5060000000016".into(),
    };
    store.set_billing(business, &BillingSettings { policy: Default::default(), party: Some(party) }, &sys, now).await?;
    let rate = |a: i64| Money::new(rust_decimal::Decimal::from(a), b.currency);
    let shift = |start: Timestamp, minutes: i64| NewShift {
        business_id: business,
        site_id: None,
        window: Interval { start, end: start + SignedDuration::from_mins(minutes) },
        skills: vec![SkillRequirement { skill: skill.clone(), level: Level::MIN }],
        headcount: 1,
        pay_rate: rate(14),
        bill_rate: rate(19),
        notes: "Remote bookkeeping catch-up".into(),
    };
    let me = Actor { user: None, scope: Scope::Worker(w) };
    let boss = Actor { user: None, scope: Scope::Business(business) };
    // Two shifts eight and nine days ago: one approved, one disputed.
    let mut sheets = Vec::new();
    for days in [9, 8] {
        let start = minute(now - SignedDuration::from_hours(24 * days));
        let posted_at = start - SignedDuration::from_hours(48);
        let s = store.create_shift(&shift(start, 240), &sys, posted_at).await?;
        let req = BookRequest { shift_id: s.id, worker_id: w, mode: BookMode::Instant, now: posted_at, offer_expires_at: None };
        let bk = store.book(&req, &boss).await?;
        store.attend(bk.id, BookingAction::CheckIn, Attendance { at: start, break_minutes: 0 }, &me, start).await?;
        let out = start + SignedDuration::from_mins(240);
        sheets.push(store.attend(bk.id, BookingAction::Complete, Attendance { at: out, break_minutes: 15 }, &me, out).await?);
    }
    let later = sheets[0].check_out.unwrap_or(now) + SignedDuration::from_hours(2);
    store.review_timesheet(sheets[0].id, &Review::Confirm, &boss, later).await?;
    let later = sheets[1].check_out.unwrap_or(now) + SignedDuration::from_hours(2);
    store.review_timesheet(sheets[1].id, &Review::Dispute { reason: "the report was handed in at 15:30".into() }, &boss, later).await?;
    store
        .review_timesheet(sheets[1].id, &Review::Respond { statement: "I sent it at 16:00; the log shows it".into() }, &me, later + SignedDuration::from_hours(1))
        .await?;
    // The approved week is invoiced and paid as the billing run would.
    store.issue_invoices(business, &slivers_exchange::billing::exchange_party(), &sys, now).await?;
    store.issue_pay_statements(w, &sys, now).await?;
    // A shift starting within the hour, booked: check-in is open now.
    let soon = minute(now + SignedDuration::from_mins(60));
    let s = store.create_shift(&shift(soon, 120), &sys, now).await?;
    store.book(&BookRequest { shift_id: s.id, worker_id: w, mode: BookMode::Instant, now, offer_expires_at: None }, &boss).await?;
    Ok(w)
}
