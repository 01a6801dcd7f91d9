//! Behaviour suite, after the work: timesheets from check-in to approval
//! (confirmed, disputed and resolved, or approved by silence), late
//! cancellations by each side, ratings both ways, invoices with gapless
//! numbers, credit notes with a corrected invoice, pay statements, billing
//! settings and calendar feeds. Every step is asserted on both customers'
//! timelines. Runs on SQLite and PostgreSQL.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use slivers_core::billing::{BillableKind, BillingPolicy, LineKind};
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::documents::{DocumentKind, Party};
use slivers_core::ids::{BookingId, BusinessId, WorkerId};
use slivers_core::skills::Evidence;
use slivers_core::timesheet::{Approval, Review, TimesheetStatus};

use common::*;
use slivers_store::*;

suite!(
    check_in_out_confirm_invoice_and_pay,
    dispute_resolution_credit_note_and_corrected_invoice,
    silence_approves_when_the_review_window_ends,
    late_cancellations_by_each_side,
    ratings_only_on_completed_bookings_once_per_side,
    billing_settings_are_validated_and_scoped,
    calendar_feeds_are_scoped_and_revocable,
);

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn dec_eq(a: Decimal, b: &str) {
    assert_eq!(a, d(b), "{a} != {b}");
}

pub fn party(name: &str) -> Party {
    Party {
        name: name.into(),
        street: "1 Briggate".into(),
        city: "Leeds".into(),
        postcode: "LS1 6HD".into(),
        country: "GB".into(),
        vat_id: Some("GB123456789".into()),
        endpoint_scheme: "0088".into(),
        endpoint_id: "5060000000016".into(),
    }
}

fn exchange() -> Party {
    Party { name: "Slivers Exchange Ltd".into(), vat_id: Some("GB999999973".into()), endpoint_id: "5060000000023".into(), ..party("x") }
}

fn op() -> Actor {
    Actor::system()
}

/// Events after `seq` visible to `scope`, as kinds.
async fn kinds_after(store: &Arc<dyn Store>, seq: i64, scope: Scope) -> Vec<String> {
    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &scope, Page::default()).await.unwrap();
    events.into_iter().map(|e| e.kind).collect()
}

fn verified(wk: &slivers_core::worker::Worker) -> u32 {
    wk.skills.iter().flat_map(|c| &c.evidence).map(|e| if let Evidence::VerifiedMinutes { minutes } = e { *minutes } else { 0 }).sum()
}

/// The first business with billing details and `policy`.
async fn billed(store: &Arc<dyn Store>, w: &World, policy: BillingPolicy) {
    store.set_billing(w.business, &BillingSettings { policy, party: Some(party("Leeds Coffee Ltd")) }, &biz(w), now()).await.unwrap();
}

/// A confirmed booking of the first worker on a Wednesday 09:00–13:00 shift.
async fn booked(store: &Arc<dyn Store>, w: &World) -> BookingId {
    let s = shift(store, w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    store.book(&book(s, w.worker, BookMode::Instant), &biz(w)).await.unwrap().id
}

async fn check_in_out(store: &Arc<dyn Store>, w: &World, b: BookingId, inn: &str, out: &str, breaks: i64) -> slivers_core::timesheet::Timesheet {
    let me = as_worker(w.worker);
    store.attend(b, BookingAction::CheckIn, Attendance { at: at(inn), break_minutes: 0 }, &me, at(inn)).await.unwrap();
    store.attend(b, BookingAction::Complete, Attendance { at: at(out), break_minutes: breaks }, &me, at(out)).await.unwrap()
}

async fn check_in_out_confirm_invoice_and_pay(store: Arc<dyn Store>) {
    let w = world(&store).await;
    billed(&store, &w, BillingPolicy::default()).await;
    let b = booked(&store, &w).await;
    let before = verified(&store.get_worker(w.worker, &Scope::All).await.unwrap());
    let seq = store.last_event_seq().await.unwrap();

    // A check-out in the future, or with breaks longer than the time, is refused and writes nothing.
    let me = as_worker(w.worker);
    store.attend(b, BookingAction::CheckIn, Attendance { at: at("2026-12-02T09:10:00Z"), break_minutes: 0 }, &me, at("2026-12-02T09:12:00Z")).await.unwrap();
    let snap = snapshot(&store).await;
    let e = store.attend(b, BookingAction::Complete, Attendance { at: at("2026-12-02T13:00:00Z"), break_minutes: 300 }, &me, at("2026-12-02T13:05:00Z")).await;
    assert_eq!(fields_of(e.unwrap_err()), ["break_minutes"]);
    let e = store.attend(b, BookingAction::Complete, Attendance { at: at("2026-12-02T14:00:00Z"), break_minutes: 0 }, &me, at("2026-12-02T13:05:00Z")).await;
    assert_eq!(fields_of(e.unwrap_err()), ["at"]);
    assert_eq!(snapshot(&store).await, snap);

    let t = store.attend(b, BookingAction::Complete, Attendance { at: at("2026-12-02T13:00:00Z"), break_minutes: 20 }, &me, at("2026-12-02T13:05:00Z")).await.unwrap();
    assert_eq!((t.status, t.late_minutes, t.worked_minutes()), (TimesheetStatus::Submitted, 10, Some(210)));
    assert_eq!(store.get_booking(b, &Scope::All).await.unwrap().status, BookingStatus::Completed);
    // Submitted is not approved: no minutes are verified yet.
    assert_eq!(verified(&store.get_worker(w.worker, &Scope::All).await.unwrap()), before);

    // The worker cannot approve their own timesheet; another business cannot see it.
    assert!(matches!(store.review_timesheet(t.id, &Review::Confirm, &me, at("2026-12-02T14:00:00Z")).await, Err(StoreError::Conflict(_))));
    assert!(is_not_found(store.review_timesheet(t.id, &Review::Confirm, &other_biz(&w), at("2026-12-02T14:00:00Z")).await));
    assert!(is_not_found(store.get_timesheet(t.id, &Scope::Business(w.other_business)).await));
    let t = store.review_timesheet(t.id, &Review::Confirm, &biz(&w), at("2026-12-02T14:00:00Z")).await.unwrap();
    assert_eq!((t.status, t.approval, t.approved_minutes), (TimesheetStatus::Approved, Some(Approval::Confirmed), Some(210)));
    // Exactly the approved minutes become evidence.
    assert_eq!(verified(&store.get_worker(w.worker, &Scope::All).await.unwrap()), before + 210);

    // Invoicing waits for the period's end (Sunday 6 December, London).
    assert!(store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-06T12:00:00Z")).await.unwrap().is_empty());
    let invoices = store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-07T09:00:00Z")).await.unwrap();
    assert_eq!(invoices.len(), 1);
    let inv = &invoices[0];
    assert_eq!((inv.kind, inv.number.as_str()), (DocumentKind::Invoice, "INV-000001"));
    // 210 min at 17.25 = 60.375 -> 60.38; fee 15% = 9.057 -> 9.06; VAT 20% of 69.44 = 13.888 -> 13.89.
    let amounts: Vec<_> = inv.amounts.lines.iter().map(|l| (l.kind, l.amount)).collect();
    assert_eq!(amounts, [(LineKind::Labour, d("60.38")), (LineKind::Fee, d("9.06"))]);
    dec_eq(inv.amounts.net, "69.44");
    dec_eq(inv.amounts.tax_total, "13.89");
    dec_eq(inv.amounts.total, "83.33");
    assert_eq!(store.get_document(inv.id, &Scope::Business(w.business)).await.unwrap(), *inv);
    // Nothing left to invoice; the next run issues nothing and uses no number.
    assert!(store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-08T09:00:00Z")).await.unwrap().is_empty());

    // Pay: 210 min at 13.50 = 47.25.
    let pay = store.issue_pay_statements(w.worker, &op(), at("2026-12-07T09:00:00Z")).await.unwrap();
    assert_eq!(pay.len(), 1);
    assert_eq!(pay[0].number, "PAY-000001");
    dec_eq(pay[0].total, "47.25");
    assert!(store.issue_pay_statements(w.worker, &op(), at("2026-12-08T09:00:00Z")).await.unwrap().is_empty());
    assert_eq!(store.get_pay_statement(pay[0].id, &Scope::Worker(w.worker)).await.unwrap(), pay[0]);
    // A business never sees a pay statement; a worker never sees an invoice.
    assert!(is_not_found(store.get_pay_statement(pay[0].id, &Scope::Business(w.business)).await));
    assert!(is_not_found(store.get_document(inv.id, &Scope::Worker(w.worker)).await));
    assert!(is_not_found(store.get_document(inv.id, &Scope::Business(w.other_business)).await));
    let listed = store.list_documents(&DocumentFilter::default(), &Scope::Business(w.business), Page::default()).await.unwrap();
    assert_eq!(listed.iter().map(|x| x.number.as_str()).collect::<Vec<_>>(), ["INV-000001"]);
    let listed = store
        .list_documents(&DocumentFilter { kind: Some(DocumentKindFilter::PayStatement), ..Default::default() }, &Scope::All, Page::default())
        .await
        .unwrap();
    assert_eq!(listed.iter().map(|x| x.number.as_str()).collect::<Vec<_>>(), ["PAY-000001"]);

    // Both timelines tell the story.
    let business_side = kinds_after(&store, seq, Scope::Business(w.business)).await;
    for k in ["booking.checked_in", "timesheet.checked_in", "booking.completed", "timesheet.submitted", "timesheet.approved", "worker.evidence", "invoice.issued"] {
        assert!(business_side.iter().any(|x| x == k), "{k} missing from the business timeline: {business_side:?}");
    }
    let worker_side = kinds_after(&store, seq, Scope::Worker(w.worker)).await;
    for k in ["timesheet.checked_in", "timesheet.submitted", "timesheet.approved", "pay_statement.issued"] {
        assert!(worker_side.iter().any(|x| x == k), "{k} missing from the worker timeline: {worker_side:?}");
    }
    assert!(!worker_side.iter().any(|x| x == "invoice.issued"), "invoices are the business's");
    let listed = store.list_timesheets(&TimesheetFilter { status: Some(TimesheetStatus::Approved), ..Default::default() }, &Scope::Worker(w.worker), Page::default()).await.unwrap();
    assert_eq!(listed.len(), 1);
}

async fn dispute_resolution_credit_note_and_corrected_invoice(store: Arc<dyn Store>) {
    let w = world(&store).await;
    billed(&store, &w, BillingPolicy::default()).await;
    let b = booked(&store, &w).await;
    let t = check_in_out(&store, &w, b, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 0).await;
    let seq = store.last_event_seq().await.unwrap();
    let t = store.review_timesheet(t.id, &Review::Dispute { reason: "left at noon".into() }, &biz(&w), at("2026-12-02T15:00:00Z")).await.unwrap();
    assert_eq!(t.status, TimesheetStatus::Disputed);
    store.review_timesheet(t.id, &Review::Respond { statement: "stayed to close".into() }, &as_worker(w.worker), at("2026-12-02T16:00:00Z")).await.unwrap();
    // Only an operator resolves; a disputed timesheet is not invoiced.
    let resolve = Review::Resolve { minutes: 225, note: "till records show 12:45".into() };
    assert!(matches!(store.review_timesheet(t.id, &resolve, &biz(&w), at("2026-12-03T09:00:00Z")).await, Err(StoreError::Conflict(_))));
    let t = store.review_timesheet(t.id, &resolve, &op(), at("2026-12-03T09:00:00Z")).await.unwrap();
    assert_eq!((t.approval, t.approved_minutes, t.notes.len()), (Some(Approval::Operator), Some(225), 3));

    let inv = store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    let pay = store.issue_pay_statements(w.worker, &op(), at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    dec_eq(pay.total, "50.63"); // 225 min at 13.50 = 50.625

    // A refused credit note (no reason, or a timesheet not on the invoice) writes nothing.
    let snap = snapshot(&store).await;
    let bad = Credit { reason: " ".into(), corrections: vec![] };
    assert_eq!(fields_of(store.credit_invoice(inv.id, &bad, &op(), at("2026-12-08T09:00:00Z")).await.unwrap_err()), ["reason"]);
    let bad = Credit { reason: "typo".into(), corrections: vec![MinutesCorrection { timesheet_id: t.id + 100, minutes: 1 }] };
    assert!(store.credit_invoice(inv.id, &bad, &op(), at("2026-12-08T09:00:00Z")).await.is_err());
    assert!(is_not_found(store.credit_invoice(inv.id, &Credit { reason: "x".into(), corrections: vec![] }, &other_biz(&w), at("2026-12-08T09:00:00Z")).await));
    assert_eq!(snapshot(&store).await, snap);

    // The exchange admits a mistake: 240 minutes were right after all.
    let credit = Credit { reason: "we applied the wrong closing time".into(), corrections: vec![MinutesCorrection { timesheet_id: t.id, minutes: 240 }] };
    let (note, corrected) = store.credit_invoice(inv.id, &credit, &op(), at("2026-12-08T09:00:00Z")).await.unwrap();
    let corrected = corrected.expect("a corrected invoice");
    assert_eq!((note.kind, note.number.as_str(), corrected.number.as_str()), (DocumentKind::CreditNote, "CRN-000001", "INV-000002"));
    assert_eq!(note.amounts, inv.amounts, "a credit note reverses the invoice in full");
    assert_eq!(note.corrects.as_ref().map(|r| r.number.as_str()), Some("INV-000001"));
    assert_eq!(corrected.amounts.lines[0].minutes, Some(240));
    // Invoices minus credit notes = what the timesheet bills now.
    let live = inv.amounts.total + corrected.amounts.total - note.amounts.total;
    assert_eq!(live, corrected.amounts.total);
    // Crediting twice is refused.
    assert!(matches!(store.credit_invoice(inv.id, &credit, &op(), at("2026-12-08T09:00:00Z")).await, Err(StoreError::Conflict(_))));

    // The worker is paid the difference: 240 min = 54.00, 50.63 already paid.
    let more = store.issue_pay_statements(w.worker, &op(), at("2026-12-08T09:00:00Z")).await.unwrap();
    assert_eq!(more.len(), 1);
    dec_eq(more[0].total, "3.37");
    dec_eq(pay.total + more[0].total, "54.00");

    let events = store.events(&EventFilter { after_seq: Some(seq), ..Default::default() }, &Scope::Business(w.business), Page::default()).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    for k in ["timesheet.disputed", "timesheet.statement", "timesheet.resolved", "invoice.issued", "credit_note.issued"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    let credit_event = events.iter().find(|e| e.kind == "credit_note.issued").unwrap();
    assert_eq!(credit_event.data["reason"], "we applied the wrong closing time");
}

async fn silence_approves_when_the_review_window_ends(store: Arc<dyn Store>) {
    let w = world(&store).await;
    billed(&store, &w, BillingPolicy { review_hours: 48, ..Default::default() }).await;
    let b = booked(&store, &w).await;
    let t = check_in_out(&store, &w, b, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 15).await;
    assert_eq!(t.review_until, Some(at("2026-12-04T13:00:00Z")));
    assert!(store.auto_approve_timesheets(at("2026-12-04T12:59:00Z")).await.unwrap().is_empty());
    let seq = store.last_event_seq().await.unwrap();
    let done = store.auto_approve_timesheets(at("2026-12-04T13:01:00Z")).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!((done[0].approval, done[0].approved_minutes), (Some(Approval::Automatic), Some(225)));
    assert!(kinds_after(&store, seq, Scope::Business(w.business)).await.contains(&"timesheet.auto_approved".to_string()));
    // After the window the business can no longer dispute.
    let e = store.review_timesheet(t.id, &Review::Dispute { reason: "late".into() }, &biz(&w), at("2026-12-05T09:00:00Z")).await;
    assert!(matches!(e, Err(StoreError::Conflict(_))));
}

async fn late_cancellations_by_each_side(store: Arc<dyn Store>) {
    let w = world(&store).await;
    // 24 h notice; 50 % of a late-cancelled shift is owed.
    billed(&store, &w, BillingPolicy::default()).await;
    let s1 = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let s2 = shift(&store, &w, "2026-12-03T09:00:00Z", "2026-12-03T13:00:00Z", 1).await;
    let s3 = shift(&store, &w, "2026-12-04T09:00:00Z", "2026-12-04T13:00:00Z", 1).await;
    let b1 = store.book(&book(s1, w.worker, BookMode::Instant), &biz(&w)).await.unwrap().id;
    let b2 = store.book(&book(s2, w.worker, BookMode::Instant), &biz(&w)).await.unwrap().id;
    let b3 = store.book(&book(s3, w.worker, BookMode::Instant), &biz(&w)).await.unwrap().id;
    let seq = store.last_event_seq().await.unwrap();
    // The business cancels 3 hours before: late.
    let c = store.transition(b1, BookingAction::CancelByBusiness, &biz(&w), at("2026-12-02T06:00:00Z")).await.unwrap();
    assert!(c.cancelled_late);
    // The worker cancels 2 hours before: late, but nothing is owed either way.
    let c = store.transition(b2, BookingAction::CancelByWorker, &as_worker(w.worker), at("2026-12-03T07:00:00Z")).await.unwrap();
    assert!(c.cancelled_late);
    // The worker cancels two days ahead: on time.
    let c = store.transition(b3, BookingAction::CancelByWorker, &as_worker(w.worker), at("2026-12-02T08:00:00Z")).await.unwrap();
    assert!(!c.cancelled_late);
    let sheets = store.list_timesheets(&TimesheetFilter::default(), &Scope::Business(w.business), Page::default()).await.unwrap();
    assert_eq!(sheets.len(), 1, "only the business's late cancellation is owed");
    assert_eq!((sheets[0].kind, sheets[0].approved_minutes, sheets[0].share_percent), (BillableKind::LateCancellation, Some(240), d("50")));
    assert!(kinds_after(&store, seq, Scope::Worker(w.worker)).await.contains(&"timesheet.late_cancellation".to_string()));
    let track = store.track_records().await.unwrap();
    let mine = track.iter().find(|t| t.worker_id == w.worker).unwrap();
    assert_eq!((mine.cancelled_by_worker, mine.late_cancellations, mine.no_shows), (2, 1, 0));
    // Billed: 50 % of 240 min at 17.25 = 34.50, no fee on it; paid: 50 % of 240 min at 13.50 = 27.00.
    let inv = store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    let lines: Vec<_> = inv.amounts.lines.iter().map(|l| (l.kind, l.amount)).collect();
    assert_eq!(lines, [(LineKind::LateCancellation, d("34.50"))]);
    let pay = store.issue_pay_statements(w.worker, &op(), at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    dec_eq(pay.total, "27.00");
}

async fn ratings_only_on_completed_bookings_once_per_side(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let b = booked(&store, &w).await;
    let me = as_worker(w.worker);
    let snap = snapshot(&store).await;
    // Not completed yet: refused, nothing written.
    assert_eq!(rules_of(store.rate_booking(b, 5, "", false, &biz(&w), at("2026-12-02T08:00:00Z")).await.unwrap_err()), ["rating"]);
    assert_eq!(fields_of(store.rate_booking(b, 6, "", false, &biz(&w), at("2026-12-02T08:00:00Z")).await.unwrap_err()), ["stars"]);
    assert_eq!(snapshot(&store).await, snap);
    check_in_out(&store, &w, b, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 0).await;

    let rated = |stars: u8| move |wk: &slivers_core::worker::Worker| {
        wk.skills.iter().flat_map(|c| &c.evidence).filter(|e| matches!(e, Evidence::Rating { stars: s, booking: Some(_) } if *s == stars)).count()
    };
    let r = store.rate_booking(b, 2, "slow start", false, &biz(&w), at("2026-12-02T14:00:00Z")).await.unwrap();
    assert_eq!((r.by, r.stars), (RatingSide::Business, 2));
    assert_eq!(rated(2)(&store.get_worker(w.worker, &Scope::All).await.unwrap()), 1, "the rating is skill evidence");
    store.rate_booking(b, 5, "great team", false, &me, at("2026-12-02T14:00:00Z")).await.unwrap();
    // Twice is refused and changes nothing.
    let snap = snapshot(&store).await;
    assert_eq!(rules_of(store.rate_booking(b, 5, "", false, &biz(&w), at("2026-12-02T15:00:00Z")).await.unwrap_err()), ["rating"]);
    assert_eq!(snapshot(&store).await, snap);
    // Editing within the window replaces the rating and its evidence.
    store.rate_booking(b, 4, "fine after all", true, &biz(&w), at("2026-12-03T15:00:00Z")).await.unwrap();
    let wk = store.get_worker(w.worker, &Scope::All).await.unwrap();
    assert_eq!((rated(2)(&wk), rated(4)(&wk)), (0, 1));
    assert_eq!(rules_of(store.rate_booking(b, 1, "", true, &biz(&w), at("2026-12-12T15:00:00Z")).await.unwrap_err()), ["rating"]);
    // Strangers and operators do not rate.
    assert!(is_not_found(store.rate_booking(b, 1, "", false, &other_biz(&w), at("2026-12-03T15:00:00Z")).await));
    assert!(matches!(store.rate_booking(b, 1, "", false, &op(), at("2026-12-03T15:00:00Z")).await, Err(StoreError::Forbidden(_))));
    let worker_summary = store.rating_summary(Owner::Worker(w.worker)).await.unwrap();
    assert_eq!((worker_summary.count, worker_summary.average), (1, Some(d("4"))));
    let business_summary = store.rating_summary(Owner::Business(w.business)).await.unwrap();
    assert_eq!((business_summary.count, business_summary.average), (1, Some(d("5"))));
    let seen = store.list_ratings(&RatingFilter::default(), &Scope::Business(w.other_business), Page::default()).await.unwrap();
    assert!(seen.is_empty());
    let seen = store.list_ratings(&RatingFilter { by: Some(RatingSide::Worker), ..Default::default() }, &Scope::Business(w.business), Page::default()).await.unwrap();
    assert_eq!(seen.len(), 1);
}

async fn billing_settings_are_validated_and_scoped(store: Arc<dyn Store>) {
    let w = world(&store).await;
    assert_eq!(store.get_billing(w.business, &Scope::Business(w.business)).await.unwrap(), BillingSettings::default());
    let snap = snapshot(&store).await;
    let bad = BillingSettings { policy: BillingPolicy { fee_percent: d("101"), ..Default::default() }, party: Some(Party { country: "gb".into(), ..party("x") }) };
    let mut fields = fields_of(store.set_billing(w.business, &bad, &biz(&w), now()).await.unwrap_err());
    fields.sort();
    assert_eq!(fields, ["party.country", "policy.fee_percent"]);
    assert!(is_not_found(store.set_billing(w.business, &BillingSettings::default(), &other_biz(&w), now()).await));
    assert!(is_not_found(store.get_billing(w.business, &Scope::Business(w.other_business)).await));
    assert!(is_not_found(store.get_billing(w.business, &Scope::Worker(w.worker)).await));
    assert_eq!(snapshot(&store).await, snap);
    // Without billing details there is no invoice to address.
    let b = booked(&store, &w).await;
    let t = check_in_out(&store, &w, b, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 0).await;
    store.review_timesheet(t.id, &Review::Confirm, &biz(&w), at("2026-12-02T14:00:00Z")).await.unwrap();
    assert_eq!(rules_of(store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-07T09:00:00Z")).await.unwrap_err()), ["billing"]);
    billed(&store, &w, BillingPolicy { fee_percent: d("0"), ..Default::default() }).await;
    assert_eq!(store.get_billing(w.business, &Scope::All).await.unwrap().policy.fee_percent, d("0"));
    let inv = store.issue_invoices(w.business, &exchange(), &op(), at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    assert!(inv.amounts.lines.iter().all(|l| l.kind != LineKind::Fee));
    let _ = BusinessId(0);
    let _ = WorkerId(0);
}

async fn calendar_feeds_are_scoped_and_revocable(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let mine = Owner::Worker(w.worker);
    let feed = store.create_calendar_feed(mine, "hash-1", now()).await.unwrap();
    store.create_calendar_feed(Owner::Business(w.business), "hash-2", now()).await.unwrap();
    assert_eq!(store.calendar_feed_by_token("hash-1").await.unwrap().map(|f| f.owner), Some(mine));
    assert_eq!(store.list_calendar_feeds(mine).await.unwrap().len(), 1);
    // Someone else cannot revoke it.
    assert!(!store.revoke_calendar_feed(Owner::Worker(w.other_worker), feed.id, now()).await.unwrap());
    assert!(!store.revoke_calendar_feed(Owner::Business(w.business), feed.id, now()).await.unwrap());
    assert!(store.revoke_calendar_feed(mine, feed.id, now()).await.unwrap());
    assert!(store.calendar_feed_by_token("hash-1").await.unwrap().is_none());
    assert!(store.list_calendar_feeds(mine).await.unwrap()[0].revoked_at.is_some());
    assert!(store.calendar_feed_by_token("unknown").await.unwrap().is_none());
}
