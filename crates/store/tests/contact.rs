//! Behaviour suite, talking with customers: inquiries and their response
//! targets under a simulated clock (a weekend, an Irish bank holiday and the
//! clocks going back in Europe/Dublin), waiting on the customer, breaches and
//! escalation once per breach; the feedback board (merging keeps every link
//! and counts each customer once; a status change emails each linked person
//! once through the outbox); messages between a booking's two parties; and
//! tenancy across all three. Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use rust_decimal::Decimal;
use slivers_core::booking::BookingAction;
use slivers_core::contact::PauseKind;
use slivers_core::documents::Party;
use slivers_core::ids::{BookingId, UserId};
use slivers_core::service_clock::{HoursMode, Pause, ServiceHours, TargetStatus};
use slivers_core::timesheet::Review;
use slivers_core::Zone;

use common::*;
use slivers_store::*;

suite!(
    targets_run_in_dublin_business_hours_across_a_weekend_a_holiday_and_the_clocks_going_back,
    calendar_hours_count_real_time_across_the_spring_change,
    settings_are_validated_and_changed_only_by_operators,
    inquiry_steps_follow_the_state_machine_and_bad_input_writes_nothing,
    merging_keeps_every_link_and_counts_each_customer_once,
    a_status_change_emails_each_linked_person_once,
    booking_messages_are_between_the_two_parties_once_matched,
    one_customer_cannot_see_or_touch_anothers_inquiries_votes_or_messages,
);

/// People: two logins of the first business, one of the second, one per worker, an operator.
struct People {
    a1: Actor,
    a2: Actor,
    b1: Actor,
    w1: Actor,
    w2: Actor,
    op: Actor,
    a2_user: UserId,
}

async fn people(store: &Arc<dyn Store>, w: &World) -> People {
    let a1 = user(store, "a1@leeds.example", Role::Business, None, Some(w.business)).await;
    let a2 = user(store, "a2@leeds.example", Role::Business, None, Some(w.business)).await;
    let b1 = user(store, "b1@york.example", Role::Business, None, Some(w.other_business)).await;
    let w1 = user(store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let w2 = user(store, "grace@example.com", Role::Worker, Some(w.other_worker), None).await;
    let op = user(store, "ops@slivers.example", Role::Operator, None, None).await;
    let biz = |u, b| Actor { user: Some(u), scope: Scope::Business(b) };
    let wk = |u, x| Actor { user: Some(u), scope: Scope::Worker(x) };
    People {
        a1: biz(a1, w.business),
        a2: biz(a2, w.business),
        b1: biz(b1, w.other_business),
        w1: wk(w1, w.worker),
        w2: wk(w2, w.other_worker),
        op: Actor { user: Some(op), scope: Scope::All },
        a2_user: a2,
    }
}

fn dublin_office_with_bank_holiday() -> ContactSettings {
    let mut hours = ServiceHours::office(Zone::parse("Europe/Dublin").unwrap());
    if let HoursMode::Business { holidays, .. } = &mut hours.mode {
        // The October bank holiday: the last Monday of October.
        holidays.insert(jiff::civil::date(2026, 10, 26));
    }
    ContactSettings { hours, ..ContactSettings::default() }
}

fn new_inquiry(category: InquiryCategory, priority: Priority, about: Option<About>) -> NewInquiry {
    NewInquiry { category, priority, subject: "Question about my account".into(), text: "Could you look into this?".into(), about }
}

fn say(action: InquiryAction, text: &str) -> InquiryStep {
    InquiryStep { action, text: text.into() }
}

async fn inquiry_emails(store: &Arc<dyn Store>) -> Vec<OutboxItem> {
    let all = store.list_outbox(&OutboxFilter { channel: Some(Channel::Email), ..Default::default() }, &Scope::All, Page::all()).await.unwrap();
    all.into_iter().filter(|o| o.topic == "inquiries").collect()
}

async fn events_of(store: &Arc<dyn Store>, scope: Scope, kind: &str) -> Vec<Event> {
    let all = store.events(&EventFilter::default(), &scope, Page::all()).await.unwrap();
    all.into_iter().filter(|e| e.kind == kind).collect()
}

async fn targets_run_in_dublin_business_hours_across_a_weekend_a_holiday_and_the_clocks_going_back(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    store.set_email_preference(p.a2_user, "inquiries", false).await.unwrap();
    store.set_contact_settings(&dublin_office_with_bank_holiday(), &p.op, at("2026-10-01T00:00:00Z")).await.unwrap();

    // Friday 23 October 16:00 IST (15:00Z): one office hour left that day.
    let fri = at("2026-10-23T15:00:00Z");
    let a = store.raise_inquiry(&new_inquiry(InquiryCategory::Billing, Priority::High, None), &p.a1, fri).await.unwrap();
    let b = store.raise_inquiry(&new_inquiry(InquiryCategory::Booking, Priority::High, None), &p.a1, fri).await.unwrap();
    assert_eq!((a.first_response.budget_minutes, a.resolution.budget_minutes), (240, 960));
    // 1 h on Friday; Saturday, Sunday (clocks back to GMT) and the bank holiday Monday are
    // closed; 3 h from Tuesday 09:00 GMT = 09:00Z -> 12:00Z (it would be 11:00Z in IST).
    let first_due = at("2026-10-27T12:00:00Z");
    // 16 h: Friday 1 h, Tuesday 8 h, Wednesday 7 h -> Wednesday 16:00Z.
    assert_eq!((a.first_response.due_at, a.resolution.due_at), (Some(first_due), Some(at("2026-10-28T16:00:00Z"))));
    let later = store.get_inquiry(a.id, &Scope::Business(w.business), at("2026-10-24T12:00:00Z")).await.unwrap();
    assert_eq!(later.inquiry.first_response.status, TargetStatus::Due { at: first_due, remaining_minutes: 180 });
    assert_eq!(later.messages.len(), 1);

    // At the due instant nothing is breached yet.
    assert!(store.escalate_inquiry_breaches(first_due).await.unwrap().is_empty());

    // Tuesday 10:00Z an operator asks for the invoice number: a first response, and the clock waits.
    let a = store.step_inquiry(a.id, &say(InquiryAction::Wait, "Which invoice number?"), &p.op, at("2026-10-27T10:00:00Z")).await.unwrap();
    assert_eq!(a.status, InquiryStatus::WaitingOnCustomer);
    assert_eq!(a.first_response.status, TargetStatus::Met { at: at("2026-10-27T10:00:00Z"), within: true });
    assert_eq!(a.first_response.due_at, Some(first_due));
    assert_eq!((a.resolution.status, a.resolution.due_at), (TargetStatus::Paused, None));
    assert_eq!(a.pauses, [Pause { from: at("2026-10-27T10:00:00Z"), to: None }]);

    // 12:01Z: the unanswered one breached its first response; escalated once.
    let esc = store.escalate_inquiry_breaches(at("2026-10-27T12:01:00Z")).await.unwrap();
    assert_eq!(esc, [Escalation { inquiry_id: b.id, customer: Customer::Business(w.business), target: TargetKind::FirstResponse,
        from: Priority::High, to: Priority::Urgent, due_at: first_due }]);
    assert!(store.escalate_inquiry_breaches(at("2026-10-27T12:05:00Z")).await.unwrap().is_empty(), "once per breach");
    // The long pause does not breach the waiting inquiry.
    assert!(store.escalate_inquiry_breaches(at("2026-10-28T16:30:00Z")).await.unwrap().iter().all(|e| e.inquiry_id == b.id));

    // Wednesday 09:30Z the customer answers: the clock resumes. 2 h were used (Friday, Tuesday
    // 09:00-10:00), 14 h left: Wednesday 09:30-17:00 is 7.5 h, Thursday 6.5 h -> 15:30Z.
    let a = store.step_inquiry(a.id, &say(InquiryAction::Reply, "INV-000123"), &p.a1, at("2026-10-28T09:30:00Z")).await.unwrap();
    assert_eq!(a.status, InquiryStatus::Open);
    let resolution_due = at("2026-10-29T15:30:00Z");
    assert_eq!(a.resolution.due_at, Some(resolution_due));
    assert_eq!(a.pauses, [Pause { from: at("2026-10-27T10:00:00Z"), to: Some(at("2026-10-28T09:30:00Z")) }]);

    // Thursday 16:00Z: 30 business minutes over; escalated once, high -> urgent.
    let q = &store.list_inquiries(&InquiryFilter::default(), &Scope::All, at("2026-10-29T16:00:00Z"), Page::all()).await.unwrap()[0];
    assert_eq!(q.resolution.status, TargetStatus::Breached { due_at: resolution_due, overdue_minutes: 30 });
    let esc = store.escalate_inquiry_breaches(at("2026-10-29T16:00:00Z")).await.unwrap();
    assert_eq!(esc.len(), 1);
    assert_eq!((esc[0].inquiry_id, esc[0].target, esc[0].to), (a.id, TargetKind::Resolution, Priority::Urgent));
    assert!(store.escalate_inquiry_breaches(at("2026-10-29T17:00:00Z")).await.unwrap().is_empty());
    let all = store.list_inquiries(&InquiryFilter::default(), &Scope::All, at("2026-10-29T17:00:00Z"), Page::all()).await.unwrap();
    let by_id = |id| all.iter().find(|q| q.id == id).unwrap();
    // The unanswered one breached both targets: two escalations, urgent stays urgent.
    assert_eq!((by_id(a.id).escalations, by_id(a.id).priority), (1, Priority::Urgent));
    assert_eq!((by_id(b.id).escalations, by_id(b.id).priority), (2, Priority::Urgent));
    let escalated = events_of(&store, Scope::Business(w.business), "inquiry.escalated").await;
    assert_eq!(escalated.len(), 3);
    assert!(escalated.iter().all(|e| e.business_id == Some(w.business) && e.worker_id.is_none() && e.actor_user_id.is_none()));

    // Answered, then resolved late; the due time is still shown.
    store.step_inquiry(a.id, &say(InquiryAction::Answer, "Refund issued."), &p.op, at("2026-10-29T16:10:00Z")).await.unwrap();
    let a = store.step_inquiry(a.id, &say(InquiryAction::Resolve, ""), &p.op, at("2026-10-29T16:20:00Z")).await.unwrap();
    assert_eq!(a.resolution.status, TargetStatus::Met { at: at("2026-10-29T16:20:00Z"), within: false });
    assert_eq!((a.resolution.due_at, a.resolved_at), (Some(resolution_due), Some(at("2026-10-29T16:20:00Z"))));
    // Reopening clears the resolution and closes the resolved pause; no second escalation.
    let a = store.step_inquiry(a.id, &say(InquiryAction::Reopen, "The refund never arrived."), &p.a1, at("2026-10-30T09:00:00Z")).await.unwrap();
    assert_eq!((a.status, a.resolved_at, a.pauses.len()), (InquiryStatus::Open, None, 2));
    assert_eq!(a.pauses[1], Pause { from: at("2026-10-29T16:20:00Z"), to: Some(at("2026-10-30T09:00:00Z")) });
    assert!(store.escalate_inquiry_breaches(at("2026-10-30T12:00:00Z")).await.unwrap().is_empty());

    // The customer was told of each operator step (wait, answer, resolve) once, at the login
    // that did not turn inquiry emails off; the customer's own reply and reopening send nothing.
    let mails = inquiry_emails(&store).await;
    assert_eq!(mails.len(), 3, "{mails:#?}");
    assert!(mails.iter().all(|m| m.recipient == "a1@leeds.example" && m.business_id == Some(w.business)));
    let mut kinds: Vec<String> = mails.iter().map(|m| m.data["event"].as_str().unwrap().to_string()).collect();
    kinds.sort();
    assert_eq!(kinds, ["inquiry.answered", "inquiry.resolved", "inquiry.waiting"]);
    // The thread holds every message in order, with its author.
    let thread = store.get_inquiry(a.id, &Scope::All, at("2026-10-30T12:00:00Z")).await.unwrap();
    let lines: Vec<(InquiryAuthor, &str)> = thread.messages.iter().map(|m| (m.author, m.action.as_str())).collect();
    assert_eq!(lines, [
        (InquiryAuthor::Customer, "raise"), (InquiryAuthor::Operator, "wait"), (InquiryAuthor::Customer, "reply"),
        (InquiryAuthor::Operator, "answer"), (InquiryAuthor::Customer, "reopen"),
    ]);
}

async fn calendar_hours_count_real_time_across_the_spring_change(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let calendar = ContactSettings { hours: ServiceHours::calendar(Zone::parse("Europe/Dublin").unwrap()), ..ContactSettings::default() };
    store.set_contact_settings(&calendar, &p.op, at("2027-03-01T00:00:00Z")).await.unwrap();
    assert_eq!(store.contact_settings().await.unwrap(), calendar);
    // Sunday 28 March 2027 00:30 GMT; at 01:00Z the clocks jump to 02:00 IST. Urgent: 1 h / 8 h
    // of real time, so 01:30Z (02:30 IST) and 08:30Z (09:30 IST), whatever the wall clock says.
    let q = store.raise_inquiry(&new_inquiry(InquiryCategory::Account, Priority::Urgent, None), &p.w1, at("2027-03-28T00:30:00Z")).await.unwrap();
    assert_eq!(q.customer, Customer::Worker(w.worker));
    assert_eq!((q.first_response.due_at, q.resolution.due_at), (Some(at("2027-03-28T01:30:00Z")), Some(at("2027-03-28T08:30:00Z"))));
    let esc = store.escalate_inquiry_breaches(at("2027-03-28T01:31:00Z")).await.unwrap();
    assert_eq!((esc.len(), esc[0].customer, esc[0].to), (1, Customer::Worker(w.worker), Priority::Urgent));
    // The escalation is on the worker's timeline only.
    assert_eq!(events_of(&store, Scope::Worker(w.worker), "inquiry.escalated").await.len(), 1);
    assert!(events_of(&store, Scope::Business(w.business), "inquiry.escalated").await.is_empty());
}

async fn settings_are_validated_and_changed_only_by_operators(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    assert_eq!(store.contact_settings().await.unwrap(), ContactSettings::default());
    let snap = snapshot(&store).await;
    let mine = dublin_office_with_bank_holiday();
    assert!(matches!(store.set_contact_settings(&mine, &p.a1, now()).await, Err(StoreError::Forbidden(_))));
    let mut bad = mine.clone();
    bad.targets.pop();
    bad.targets[0].resolution_minutes = 0;
    assert_eq!(fields_of(store.set_contact_settings(&bad, &p.op, now()).await.unwrap_err()), ["targets[0].resolution_minutes", "targets"]);
    assert_eq!(snapshot(&store).await, snap);
    store.set_contact_settings(&mine, &p.op, now()).await.unwrap();
    assert_eq!(store.contact_settings().await.unwrap(), mine);
    assert_eq!(events_of(&store, Scope::All, "inquiry.settings_changed").await.len(), 1);
    // A target is fixed when the inquiry is raised: a later table does not move it.
    let q = store.raise_inquiry(&new_inquiry(InquiryCategory::Billing, Priority::Low, None), &p.a1, now()).await.unwrap();
    let mut faster = mine.clone();
    faster.targets.iter_mut().for_each(|t| t.first_response_minutes = 1);
    store.set_contact_settings(&faster, &p.op, now()).await.unwrap();
    let again = store.get_inquiry(q.id, &Scope::All, now()).await.unwrap().inquiry;
    assert_eq!(again.first_response.budget_minutes, 2 * 8 * 60);
}

async fn inquiry_steps_follow_the_state_machine_and_bad_input_writes_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let mine = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let snap = snapshot(&store).await;

    // Bad text names its field; a record of someone else's (or none) is bad input too.
    let mut bad = new_inquiry(InquiryCategory::Booking, Priority::Normal, None);
    bad.subject = "  ".into();
    bad.text = "x".repeat(5001);
    assert_eq!(fields_of(store.raise_inquiry(&bad, &p.a1, now()).await.unwrap_err()), ["subject", "text"]);
    let theirs = new_inquiry(InquiryCategory::Booking, Priority::Normal, Some(About::Booking(mine.id)));
    assert_eq!(fields_of(store.raise_inquiry(&theirs, &p.b1, now()).await.unwrap_err()), ["about.id"]);
    let none = new_inquiry(InquiryCategory::Billing, Priority::Normal, Some(About::Document(999)));
    assert_eq!(fields_of(store.raise_inquiry(&none, &p.a1, now()).await.unwrap_err()), ["about.id"]);
    let sheet = new_inquiry(InquiryCategory::Booking, Priority::Normal, Some(About::Timesheet(999)));
    assert_eq!(fields_of(store.raise_inquiry(&sheet, &p.w1, now()).await.unwrap_err()), ["about.id"]);
    // Operators answer inquiries; they do not raise them.
    assert!(matches!(store.raise_inquiry(&theirs, &p.op, now()).await, Err(StoreError::Forbidden(_))));
    assert_eq!(snapshot(&store).await, snap);

    // Both parties may ask about the booking they share.
    let q = store.raise_inquiry(&theirs, &p.a1, now()).await.unwrap();
    assert_eq!((q.about, q.status, q.raised_by), (Some(About::Booking(mine.id)), InquiryStatus::Open, p.a1.user));
    let wq = store.raise_inquiry(&new_inquiry(InquiryCategory::Booking, Priority::Low, Some(About::Booking(mine.id))), &p.w1, now()).await.unwrap();
    assert_eq!(wq.customer, Customer::Worker(w.worker));

    let snap = snapshot(&store).await;
    let t = now();
    // A customer cannot take an operator's step, nor an operator reply as the customer.
    for action in [InquiryAction::Answer, InquiryAction::Wait, InquiryAction::Resolve] {
        assert!(matches!(store.step_inquiry(q.id, &say(action, "done"), &p.a1, t).await, Err(StoreError::Forbidden(_))), "{action}");
    }
    assert!(matches!(store.step_inquiry(q.id, &say(InquiryAction::Reply, "hi"), &p.op, t).await, Err(StoreError::Forbidden(_))));
    // Reopening an open inquiry is refused by the state machine; empty text is refused.
    assert_eq!(rules_of(store.step_inquiry(q.id, &say(InquiryAction::Reopen, "again"), &p.a1, t).await.unwrap_err()), ["inquiry_state"]);
    assert_eq!(fields_of(store.step_inquiry(q.id, &say(InquiryAction::Answer, " "), &p.op, t).await.unwrap_err()), ["text"]);
    assert!(is_not_found(store.step_inquiry(q.id + 100, &say(InquiryAction::Answer, "x"), &p.op, t).await));
    assert_eq!(snapshot(&store).await, snap);

    let q2 = store.step_inquiry(q.id, &say(InquiryAction::Wait, "Which day?"), &p.op, t).await.unwrap();
    assert_eq!(rules_of(store.step_inquiry(q.id, &say(InquiryAction::Wait, "Again?"), &p.op, t).await.unwrap_err()), ["inquiry_state"]);
    assert_eq!(q2.pauses.len(), 1);
    let q3 = store.step_inquiry(q.id, &say(InquiryAction::Resolve, "Sorted by phone."), &p.op, t + jiff::SignedDuration::from_mins(5)).await.unwrap();
    assert_eq!((q3.status, q3.pauses.len()), (InquiryStatus::Resolved, 2));
    assert_eq!(q3.pauses[0].to, Some(t + jiff::SignedDuration::from_mins(5)), "resolving ends the wait");
    assert_eq!(rules_of(store.step_inquiry(q.id, &say(InquiryAction::Reply, "thanks"), &p.a1, t).await.unwrap_err()), ["inquiry_state"]);
    // Every step is on the customer's timeline with the actor; never on the other party's.
    let kinds: Vec<(String, Option<UserId>)> = store
        .events(&EventFilter::default(), &Scope::Business(w.business), Page::all())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("inquiry."))
        .map(|e| (e.kind, e.actor_user_id))
        .collect();
    assert_eq!(kinds, [("inquiry.raised".into(), p.a1.user), ("inquiry.waiting".into(), p.op.user), ("inquiry.resolved".into(), p.op.user)]);
    let worker_side = events_of(&store, Scope::Worker(w.worker), "inquiry.raised").await;
    assert_eq!(worker_side.len(), 1);
    assert_eq!(worker_side[0].data["inquiry_id"], wq.id);
    // Filters: by status and category.
    let resolved = store
        .list_inquiries(&InquiryFilter { status: Some(InquiryStatus::Resolved), ..Default::default() }, &Scope::All, t, Page::all())
        .await
        .unwrap();
    assert_eq!(resolved.iter().map(|q| q.id).collect::<Vec<_>>(), [q.id]);
    let low = store.list_inquiries(&InquiryFilter { customer: Some(Customer::Worker(w.worker)), ..Default::default() }, &Scope::All, t, Page::all()).await.unwrap();
    assert_eq!(low.iter().map(|q| q.id).collect::<Vec<_>>(), [wq.id]);
    assert_eq!(PauseKind::parse("waiting"), Some(PauseKind::Waiting));
}

fn party(name: &str) -> Party {
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

/// Four hours worked for the first business, invoiced, credited and invoiced again at three
/// hours: its billed revenue is invoice − credit note + corrected invoice.
async fn bill_first_business(store: &Arc<dyn Store>, w: &World) -> Decimal {
    let op = Actor::system();
    let seller = Party { name: "Slivers Exchange Ltd".into(), vat_id: Some("GB999999973".into()), endpoint_id: "5060000000023".into(), ..party("x") };
    store.set_billing(w.business, &BillingSettings { party: Some(party("Leeds Coffee Ltd")), ..Default::default() }, &biz(w), now()).await.unwrap();
    let s = shift(store, w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Instant), &biz(w)).await.unwrap().id;
    let me = as_worker(w.worker);
    store.attend(b, BookingAction::CheckIn, Attendance { at: at("2026-12-02T09:00:00Z"), break_minutes: 0 }, &me, at("2026-12-02T09:00:00Z")).await.unwrap();
    let t = store.attend(b, BookingAction::Complete, Attendance { at: at("2026-12-02T13:00:00Z"), break_minutes: 0 }, &me, at("2026-12-02T13:00:00Z")).await.unwrap();
    store.review_timesheet(t.id, &Review::Confirm, &biz(w), at("2026-12-02T14:00:00Z")).await.unwrap();
    let inv = store.issue_invoices(w.business, &seller, &op, at("2026-12-07T09:00:00Z")).await.unwrap().remove(0);
    store.issue_pay_statements(w.worker, &op, at("2026-12-07T09:00:00Z")).await.unwrap();
    let credit = Credit { reason: "left an hour early".into(), corrections: vec![MinutesCorrection { timesheet_id: t.id, minutes: 180 }] };
    let (note, corrected) = store.credit_invoice(inv.id, &credit, &op, at("2026-12-08T09:00:00Z")).await.unwrap();
    let corrected = corrected.expect("three hours are still billed");
    assert!(corrected.amounts.total > Decimal::ZERO && corrected.amounts.total < inv.amounts.total);
    inv.amounts.total - note.amounts.total + corrected.amounts.total
}

async fn merging_keeps_every_link_and_counts_each_customer_once(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let revenue = bill_first_business(&store, &w).await;
    let t = at("2026-12-09T09:00:00Z");
    let ask = |title: &str, text: &str| NewFeatureRequest { title: title.into(), text: text.into() };
    // The first business asks twice, in different words; a worker and the second business vote.
    let r1 = store.file_feature_request(&ask("Export rota to Google Calendar", "We live in Google Calendar."), &p.a1, t).await.unwrap();
    let r2 = store.file_feature_request(&ask("Calendar sync", "Our managers want shifts in their calendars."), &p.a2, t).await.unwrap();
    store.vote_feature_request(r1.id, "", &p.b1, t).await.unwrap();
    let v = store.vote_feature_request(r2.id, "I keep missing early shifts.", &p.w1, t).await.unwrap();
    assert_eq!((v.businesses, v.workers), (1, 1));
    // Once per customer per request, also through another login of the same customer.
    assert_eq!(rules_of(store.vote_feature_request(r1.id, "+1", &p.a2, t).await.unwrap_err()), ["already_linked"]);

    // Only operators merge; a request cannot be merged into itself.
    assert!(matches!(store.merge_feature_requests(r2.id, r1.id, &p.a1, t).await, Err(StoreError::Forbidden(_))));
    assert_eq!(rules_of(store.merge_feature_requests(r1.id, r1.id, &p.op, t).await.unwrap_err()), ["merge"]);
    let merged = store.merge_feature_requests(r2.id, r1.id, &p.op, t).await.unwrap();
    // Four links kept; the first business (linked twice) counts once.
    assert_eq!(merged.links.len(), 4);
    assert_eq!((merged.businesses, merged.workers), (2, 1));
    assert!(merged.links.iter().all(|l| l.request_id == r1.id));
    let origins: Vec<i64> = merged.links.iter().map(|l| l.origin_request_id).collect();
    assert_eq!(origins, [r1.id, r2.id, r1.id, r2.id]);
    // Billed revenue of the linked businesses: invoices minus credit notes (the second business has none).
    let gbp_total = merged.billed_revenue.clone().unwrap();
    assert_eq!(gbp_total.len(), 1);
    assert_eq!(gbp_total[0].amount, revenue);
    // The duplicate points to the survivor, takes no votes and is off the board.
    let dup = store.get_feature_request(r2.id, &Scope::All).await.unwrap();
    assert_eq!((dup.merged_into, dup.links.len(), dup.businesses), (Some(r1.id), 0, 0));
    assert_eq!(rules_of(store.vote_feature_request(r2.id, "me too", &p.w2, t).await.unwrap_err()), ["merged"]);
    assert_eq!(rules_of(store.merge_feature_requests(r2.id, r1.id, &p.op, t).await.unwrap_err()), ["merge"]);
    let board = store.list_feature_requests(&FeatureFilter::default(), &Scope::Business(w.business), Page::all()).await.unwrap();
    assert_eq!(board.iter().map(|r| r.id).collect::<Vec<_>>(), [r1.id]);
    let with_merged = store.list_feature_requests(&FeatureFilter { include_merged: true, ..Default::default() }, &Scope::All, Page::all()).await.unwrap();
    assert_eq!(with_merged.len(), 2);
    // A customer sees counts, only their own links and no revenue.
    let seen = &board[0];
    assert_eq!((seen.businesses, seen.workers, seen.billed_revenue.is_none()), (2, 1, true));
    assert!(seen.links.iter().all(|l| l.customer == Customer::Business(w.business)) && seen.links.len() == 2);
    // feedback.merged lands on the timeline of each customer whose link moved.
    assert_eq!(events_of(&store, Scope::Worker(w.worker), "feedback.merged").await.len(), 1);
    assert_eq!(events_of(&store, Scope::Business(w.business), "feedback.merged").await.len(), 1);
    assert!(events_of(&store, Scope::Business(w.other_business), "feedback.merged").await.is_empty());
    // Filing and voting are on the customer's timeline with the person who did it.
    let filed = events_of(&store, Scope::Business(w.business), "feedback.filed").await;
    assert_eq!(filed.iter().map(|e| e.actor_user_id).collect::<Vec<_>>(), [p.a1.user, p.a2.user]);
    assert_eq!(events_of(&store, Scope::Worker(w.worker), "feedback.voted").await.len(), 1);
}

async fn a_status_change_emails_each_linked_person_once(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let t = now();
    let ask = |title: &str| NewFeatureRequest { title: title.into(), text: "Please.".into() };
    let r1 = store.file_feature_request(&ask("Dark mode"), &p.a1, t).await.unwrap();
    let r2 = store.file_feature_request(&ask("Night theme"), &p.w1, t).await.unwrap();
    // The same person is linked to both; after the merge they are linked twice.
    store.vote_feature_request(r2.id, "", &p.a1, t).await.unwrap();
    store.vote_feature_request(r1.id, "yes", &p.b1, t).await.unwrap();
    store.vote_feature_request(r1.id, "", &p.w2, t).await.unwrap();
    store.set_email_preference(p.w2.user.unwrap(), "feedback", false).await.unwrap();
    store.merge_feature_requests(r2.id, r1.id, &p.op, t).await.unwrap();

    let snap = snapshot(&store).await;
    let decline = |reason: Option<&str>| FeatureChange { status: FeatureStatus::Declined, reason: reason.map(str::to_string) };
    assert_eq!(fields_of(store.set_feature_status(r1.id, &decline(None), &p.op, t).await.unwrap_err()), ["reason"]);
    let planned_why = FeatureChange { status: FeatureStatus::Planned, reason: Some("because".into()) };
    assert_eq!(fields_of(store.set_feature_status(r1.id, &planned_why, &p.op, t).await.unwrap_err()), ["reason"]);
    assert!(matches!(store.set_feature_status(r1.id, &decline(Some("no")), &p.a1, t).await, Err(StoreError::Forbidden(_))));
    let open = FeatureChange { status: FeatureStatus::Open, reason: None };
    assert_eq!(rules_of(store.set_feature_status(r1.id, &open, &p.op, t).await.unwrap_err()), ["feature_status"]);
    assert_eq!(rules_of(store.set_feature_status(r2.id, &decline(Some("dup")), &p.op, t).await.unwrap_err()), ["merged"]);
    assert_eq!(snapshot(&store).await, snap);

    let shipped = store.set_feature_status(r1.id, &FeatureChange { status: FeatureStatus::Shipped, reason: None }, &p.op, t).await.unwrap();
    assert_eq!(shipped.status, FeatureStatus::Shipped);
    let mails = |items: Vec<OutboxItem>| items.into_iter().filter(|o| o.topic == "feedback").collect::<Vec<_>>();
    let sent = mails(store.list_outbox(&OutboxFilter { channel: Some(Channel::Email), ..Default::default() }, &Scope::All, Page::all()).await.unwrap());
    // a1 (linked twice), ada and the second business's login: one each; Grace turned it off.
    let mut to: Vec<&str> = sent.iter().map(|o| o.recipient.as_str()).collect();
    to.sort();
    assert_eq!(to, ["a1@leeds.example", "ada@example.com", "b1@york.example"]);
    assert!(sent.iter().all(|o| o.data["detail"]["status"] == "shipped" && o.event_seq.is_some()));
    // One event per linked customer, on their own timeline.
    assert_eq!(events_of(&store, Scope::All, "feedback.status_changed").await.len(), 4);
    for scope in [Scope::Business(w.business), Scope::Business(w.other_business), Scope::Worker(w.worker), Scope::Worker(w.other_worker)] {
        assert_eq!(events_of(&store, scope, "feedback.status_changed").await.len(), 1, "{scope:?}");
    }
    // A second change tells them again, once each, with a reason.
    store.set_feature_status(r1.id, &decline(Some("Superseded by themes")), &p.op, t).await.unwrap();
    let sent = mails(store.list_outbox(&OutboxFilter { channel: Some(Channel::Email), ..Default::default() }, &Scope::All, Page::all()).await.unwrap());
    assert_eq!(sent.len(), 6);
    let got = store.get_feature_request(r1.id, &Scope::All).await.unwrap();
    assert_eq!((got.status, got.decline_reason.as_deref()), (FeatureStatus::Declined, Some("Superseded by themes")));
}

async fn booking_messages_are_between_the_two_parties_once_matched(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let offered = store.book(&offer(s, w.worker, "2026-12-01T20:00:00Z"), &biz(&w)).await.unwrap();
    let snap = snapshot(&store).await;
    assert_eq!(rules_of(store.send_booking_message(offered.id, "Can you come?", &p.a1, now()).await.unwrap_err()), ["messages"]);
    assert_eq!(fields_of(store.send_booking_message(offered.id, "", &p.a1, now()).await.unwrap_err()), ["text"]);
    assert_eq!(snapshot(&store).await, snap);
    store.transition(offered.id, BookingAction::Accept, &as_worker(w.worker), now()).await.unwrap();

    let text = "Side door, ring twice.";
    let m1 = store.send_booking_message(offered.id, text, &p.a1, now()).await.unwrap();
    let m2 = store.send_booking_message(offered.id, "Will do", &p.w1, now()).await.unwrap();
    let m3 = store.send_booking_message(offered.id, "Noted by the exchange", &p.op, now()).await.unwrap();
    assert_eq!((m1.author, m2.author, m3.author), (MessageAuthor::Business, MessageAuthor::Worker, MessageAuthor::Operator));
    assert_eq!(m1.user_id, p.a1.user);
    for scope in [Scope::Business(w.business), Scope::Worker(w.worker), Scope::All] {
        let got = store.list_booking_messages(offered.id, &scope, Page::all()).await.unwrap();
        assert_eq!(got.iter().map(|m| m.id).collect::<Vec<_>>(), [m1.id, m2.id, m3.id]);
    }
    // On both timelines, with the length and never the text.
    for scope in [Scope::Business(w.business), Scope::Worker(w.worker)] {
        let sent = events_of(&store, scope, "message.sent").await;
        assert_eq!(sent.len(), 3);
        assert_eq!((sent[0].business_id, sent[0].worker_id, sent[0].booking_id), (Some(w.business), Some(w.worker), Some(offered.id)));
        assert_eq!((sent[0].data["length"].as_u64(), sent[0].actor_user_id), (Some(22), p.a1.user));
        assert!(!sent[0].data.to_string().contains("ring twice"));
    }
    // Still possible after a cancellation: it may need explaining.
    store.transition(offered.id, BookingAction::CancelByWorker, &as_worker(w.worker), now()).await.unwrap();
    store.send_booking_message(offered.id, "Sorry, I am ill.", &p.w1, now()).await.unwrap();
    assert!(is_not_found(store.list_booking_messages(BookingId(offered.id.0 + 100), &Scope::All, Page::all()).await));
}

async fn one_customer_cannot_see_or_touch_anothers_inquiries_votes_or_messages(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let p = people(&store, &w).await;
    let s = shift(&store, &w, "2026-12-02T09:00:00Z", "2026-12-02T13:00:00Z", 1).await;
    let b = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let q = store.raise_inquiry(&new_inquiry(InquiryCategory::Billing, Priority::Normal, None), &p.a1, now()).await.unwrap();
    let wq = store.raise_inquiry(&new_inquiry(InquiryCategory::Account, Priority::Normal, None), &p.w1, now()).await.unwrap();
    let r = store.file_feature_request(&NewFeatureRequest { title: "Payroll export".into(), text: "Our accountant asks.".into() }, &p.a1, now()).await.unwrap();
    store.send_booking_message(b.id, "See you Wednesday", &p.a1, now()).await.unwrap();

    let snap = snapshot(&store).await;
    for (outsider, scope) in [(&p.b1, Scope::Business(w.other_business)), (&p.w2, Scope::Worker(w.other_worker))] {
        // Inquiries: not found, not listed, not touchable.
        assert!(is_not_found(store.get_inquiry(q.id, &scope, now()).await));
        assert!(is_not_found(store.get_inquiry(wq.id, &scope, now()).await));
        assert!(store.list_inquiries(&InquiryFilter::default(), &scope, now(), Page::all()).await.unwrap().is_empty());
        assert!(is_not_found(store.step_inquiry(q.id, &say(InquiryAction::Reply, "mine now"), outsider, now()).await));
        assert!(is_not_found(store.step_inquiry(wq.id, &say(InquiryAction::Reply, "mine now"), outsider, now()).await));
        // Feedback: the request is public, the other customer's words are not.
        let seen = store.get_feature_request(r.id, &scope).await.unwrap();
        assert_eq!((seen.businesses, seen.links.len(), seen.billed_revenue), (1, 0, None));
        // Messages: the booking does not exist for them.
        assert!(is_not_found(store.list_booking_messages(b.id, &scope, Page::all()).await));
        assert!(is_not_found(store.send_booking_message(b.id, "hello", outsider, now()).await));
        // Nothing of it is on their timeline.
        let theirs = store.events(&EventFilter::default(), &scope, Page::all()).await.unwrap();
        assert!(!theirs.iter().any(|e| e.kind.starts_with("inquiry.") || e.kind.starts_with("feedback.") || e.kind == "message.sent"), "{theirs:?}");
    }
    assert_eq!(snapshot(&store).await, snap);
    // The business and the worker do not see each other's inquiries either.
    assert!(is_not_found(store.get_inquiry(wq.id, &Scope::Business(w.business), now()).await));
    assert!(is_not_found(store.get_inquiry(q.id, &Scope::Worker(w.worker), now()).await));
    let own = store.list_inquiries(&InquiryFilter::default(), &Scope::Worker(w.worker), now(), Page::all()).await.unwrap();
    assert_eq!(own.iter().map(|x| x.id).collect::<Vec<_>>(), [wq.id]);
    // The outsider's vote links only themselves and shows only their own words.
    let voted = store.vote_feature_request(r.id, "Us too", &p.b1, now()).await.unwrap();
    assert_eq!(voted.links.iter().map(|l| l.customer).collect::<Vec<_>>(), [Customer::Business(w.other_business)]);
    assert_eq!((voted.businesses, voted.workers), (2, 0));
}
