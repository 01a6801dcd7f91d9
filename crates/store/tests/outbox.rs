//! Behaviour suite, notifications and the account's life: an event's emails
//! and webhook deliveries are written in the event's own transaction (a
//! refused booking writes none), claims lease a row so it is sent once and
//! again only after the lease, outcomes move the row, the log and the
//! endpoint together, a 410 disables an endpoint and fails what waits for it;
//! single-use tokens; preferences; deletion keeps records and erases the
//! person; an import with a taken email writes nothing. SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use jiff::SignedDuration;
use slivers_core::ids::UserId;

use common::*;
use slivers_store::*;

suite!(
    an_events_notifications_commit_with_it_and_are_claimed_once,
    outcomes_move_the_row_the_log_and_the_endpoint_together,
    account_tokens_are_single_use_and_short_lived,
    preferences_and_unsubscribe_keys,
    deletion_erases_the_person_and_keeps_the_records,
    an_import_with_a_taken_email_writes_nothing,
);

fn all() -> Page {
    Page { limit: 1000, offset: 0 }
}

async fn outbox(store: &Arc<dyn Store>, channel: Channel) -> Vec<OutboxItem> {
    store.list_outbox(&OutboxFilter { channel: Some(channel), ..Default::default() }, &Scope::All, all()).await.unwrap()
}

async fn an_events_notifications_commit_with_it_and_are_claimed_once(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let manager = user(&store, "boss@leeds.example", Role::Business, None, Some(w.business)).await;
    let ada = user(&store, "ada@workers.example", Role::Worker, Some(w.worker), None).await;
    let hook = store.create_webhook_endpoint(w.business, "http://127.0.0.1:9/h", "booking.*", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now()).await.unwrap();
    assert!(!format!("{:?}", store.list_webhook_endpoints(w.business, &Scope::Business(w.business)).await.unwrap()).is_empty());
    assert!(is_not_found(store.get_webhook_endpoint(hook.id, &Scope::Business(w.other_business)).await));

    let shift = shift(&store, &w, "2026-12-07T09:00:00Z", "2026-12-07T13:00:00Z", 1).await;
    let booking = store.book(&book(shift, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let emails = outbox(&store, Channel::Email).await;
    let mut to: Vec<(Option<UserId>, &str)> = emails.iter().map(|e| (e.user_id, e.recipient.as_str())).collect();
    to.sort();
    assert_eq!(to, vec![(Some(manager), "boss@leeds.example"), (Some(ada), "ada@workers.example")]);
    assert!(emails.iter().all(|e| e.topic == "booking" && e.event_seq.is_some() && e.status == DeliveryStatus::Pending));
    let hooks = outbox(&store, Channel::Webhook).await;
    assert_eq!(hooks.len(), 1, "booking.* only: {hooks:?}");
    assert_eq!(hooks[0].data["type"], "booking.confirmed");
    assert_eq!(hooks[0].data["data"]["booking_id"], booking.id.0);
    let before = snapshot(&store).await;
    assert!(store.book(&book(shift, w.other_worker, BookMode::Instant), &biz(&w)).await.is_err(), "the shift is full");
    assert_eq!(snapshot(&store).await, before, "a refused booking writes no notification");

    // A claim leases each row: a second claim gets nothing until the lease runs out.
    let first = store.claim_due_notifications(now(), Channel::Email, 10).await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|i| i.attempts == 1));
    assert!(store.claim_due_notifications(now(), Channel::Email, 10).await.unwrap().is_empty());
    let later = now() + SignedDuration::from_secs(61);
    let again = store.claim_due_notifications(later, Channel::Email, 10).await.unwrap();
    assert_eq!(again.iter().map(|i| (&i.message_id, i.attempts)).collect::<Vec<_>>(), first.iter().map(|i| (&i.message_id, 2)).collect::<Vec<_>>());
    // Channels are claimed apart.
    assert_eq!(store.claim_due_notifications(now(), Channel::Webhook, 10).await.unwrap().len(), 1);
}

async fn outcomes_move_the_row_the_log_and_the_endpoint_together(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let hook = store.create_webhook_endpoint(w.business, "http://127.0.0.1:9/h", "*", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now()).await.unwrap();
    shift(&store, &w, "2026-12-07T09:00:00Z", "2026-12-07T13:00:00Z", 1).await;
    shift(&store, &w, "2026-12-08T09:00:00Z", "2026-12-08T13:00:00Z", 1).await;
    let claimed = store.claim_due_notifications(now(), Channel::Webhook, 1).await.unwrap();
    let id = claimed[0].id;
    let retry_at = now() + SignedDuration::from_secs(5);
    store.record_delivery(id, now(), &Outcome::Retry { at: retry_at, code: Some(500), error: "500".into() }).await.unwrap();
    assert_eq!(store.get_webhook_endpoint(hook.id, &Scope::All).await.unwrap().consecutive_failures, 1);
    let row = store.list_outbox(&OutboxFilter { id: Some(id), ..Default::default() }, &Scope::All, all()).await.unwrap();
    assert_eq!((row[0].next_attempt_at, row[0].last_error.as_deref()), (retry_at, Some("500")), "due again at its retry time");
    store.record_delivery(id, retry_at, &Outcome::Delivered { code: Some(200) }).await.unwrap();
    let attempts = store.list_delivery_attempts(id, &Scope::Business(w.business)).await.unwrap();
    assert_eq!(attempts.iter().map(|a| (a.ok, a.code)).collect::<Vec<_>>(), vec![(false, Some(500)), (true, Some(200))]);
    assert!(store.list_delivery_attempts(id, &Scope::Business(w.other_business)).await.unwrap().is_empty(), "another business sees no attempts");
    assert_eq!(store.get_webhook_endpoint(hook.id, &Scope::All).await.unwrap().consecutive_failures, 0, "a success resets the count");

    // 410: the endpoint is disabled and what waits for it fails; nothing new is written for it.
    let next = store.claim_due_notifications(now(), Channel::Webhook, 10).await.unwrap();
    let gone = Outcome::GiveUp { code: Some(410), error: "gone".into(), disable_endpoint: Some("410 Gone".into()) };
    store.record_delivery(next[0].id, now(), &gone).await.unwrap();
    let ep = store.get_webhook_endpoint(hook.id, &Scope::All).await.unwrap();
    assert!(!ep.enabled && ep.disabled_reason.as_deref() == Some("410 Gone"));
    let rows = store.list_outbox(&OutboxFilter { endpoint: Some(hook.id), ..Default::default() }, &Scope::Business(w.business), all()).await.unwrap();
    assert!(rows.iter().all(|r| r.status != DeliveryStatus::Pending), "{rows:?}");
    let count = rows.len();
    shift(&store, &w, "2026-12-09T09:00:00Z", "2026-12-09T13:00:00Z", 1).await;
    assert_eq!(store.list_outbox(&OutboxFilter { endpoint: Some(hook.id), ..Default::default() }, &Scope::All, all()).await.unwrap().len(), count);

    // Re-enabling, changing and rotating stay within the business.
    let change = EndpointChange { url: Some("http://127.0.0.1:9/new".into()), event_types: Some("shift.*".into()), enabled: Some(true) };
    assert!(is_not_found(store.change_webhook_endpoint(hook.id, &change, &Scope::Business(w.other_business)).await));
    let ep = store.change_webhook_endpoint(hook.id, &change, &Scope::Business(w.business)).await.unwrap();
    assert!(ep.enabled && ep.consecutive_failures == 0 && ep.url.ends_with("/new") && ep.event_types == "shift.*");
    assert!(is_not_found(store.rotate_webhook_secret(hook.id, "whsec_AAAA", now(), &Scope::Business(w.other_business)).await));
    let rotated = store.rotate_webhook_secret(hook.id, "whsec_AAAA", now(), &Scope::Business(w.business)).await.unwrap();
    assert_eq!(rotated.secret, "whsec_AAAA");
    assert_eq!(rotated.previous_secret, Some(("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string(), now() + SignedDuration::from_hours(24))));
}

fn token(user: UserId, purpose: TokenPurpose, hash: &str, minutes: i64) -> NewAccountToken {
    NewAccountToken { user, purpose, token_hash: hash.into(), new_email: None, expires_at: now() + SignedDuration::from_mins(minutes), data: serde_json::json!({"token": "raw"}) }
}

async fn account_tokens_are_single_use_and_short_lived(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@workers.example", Role::Worker, Some(w.worker), None).await;
    let taken = user(&store, "taken@workers.example", Role::Worker, Some(w.other_worker), None).await;
    assert!(store.email_verified_at(ada).await.unwrap().is_none());
    store.issue_account_token(&token(ada, TokenPurpose::VerifyEmail, "h1", 60), now()).await.unwrap();
    let mail = outbox(&store, Channel::Email).await;
    assert_eq!((mail.len(), mail[0].recipient.as_str(), mail[0].topic.as_str()), (1, "ada@workers.example", "account"));
    // Expired, wrong purpose, then used once.
    let late = now() + SignedDuration::from_mins(61);
    assert!(is_not_found(store.redeem_account_token("h1", TokenPurpose::VerifyEmail, &Redeem::VerifyEmail, late).await));
    assert!(is_not_found(store.redeem_account_token("h1", TokenPurpose::ResetPassword, &Redeem::SetPassword("x".into()), now()).await));
    store.redeem_account_token("h1", TokenPurpose::VerifyEmail, &Redeem::VerifyEmail, now()).await.unwrap();
    assert_eq!(store.email_verified_at(ada).await.unwrap(), Some(now()));
    assert!(is_not_found(store.redeem_account_token("h1", TokenPurpose::VerifyEmail, &Redeem::VerifyEmail, now()).await));
    // A newer token ends the older one.
    store.issue_account_token(&token(ada, TokenPurpose::ResetPassword, "r1", 60), now()).await.unwrap();
    store.issue_account_token(&token(ada, TokenPurpose::ResetPassword, "r2", 60), now()).await.unwrap();
    assert!(is_not_found(store.redeem_account_token("r1", TokenPurpose::ResetPassword, &Redeem::SetPassword("new".into()), now()).await));
    let u = store.redeem_account_token("r2", TokenPurpose::ResetPassword, &Redeem::SetPassword("new-hash".into()), now()).await.unwrap();
    assert_eq!(store.user_by_email(&u.email).await.unwrap().unwrap().password_hash, "new-hash");
    // An email change to a taken address is refused when asked, and writes nothing.
    let before = snapshot(&store).await;
    let mut change = token(ada, TokenPurpose::ChangeEmail, "c1", 60);
    change.new_email = Some("taken@workers.example".into());
    assert!(matches!(store.issue_account_token(&change, now()).await, Err(StoreError::Conflict(_))));
    assert_eq!(snapshot(&store).await, before);
    change.new_email = Some("ada@new.example".into());
    store.issue_account_token(&change, now()).await.unwrap();
    assert_eq!(outbox(&store, Channel::Email).await[0].recipient, "ada@new.example", "the link goes to the new address");
    store.redeem_account_token("c1", TokenPurpose::ChangeEmail, &Redeem::ChangeEmail, now()).await.unwrap();
    assert_eq!(store.get_user(ada).await.unwrap().email, "ada@new.example");
    assert_eq!(store.get_user(taken).await.unwrap().email, "taken@workers.example");
}

async fn preferences_and_unsubscribe_keys(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@workers.example", Role::Worker, Some(w.worker), None).await;
    assert!(store.email_preferences(ada).await.unwrap().is_empty());
    store.set_email_preference(ada, "offers", false).await.unwrap();
    store.set_email_preference(ada, "offers", false).await.unwrap();
    assert_eq!(store.email_preferences(ada).await.unwrap(), vec![("offers".to_string(), false)]);
    // Offers are not emailed now; bookings (essential) still are.
    let s = shift(&store, &w, "2026-12-07T09:00:00Z", "2026-12-07T13:00:00Z", 1).await;
    store.book(&offer(s, w.worker, "2026-12-05T00:00:00Z"), &biz(&w)).await.unwrap();
    assert!(outbox(&store, Channel::Email).await.is_empty(), "an opted-out topic is not written");
    let key = store.unsubscribe_key(ada, "k-first").await.unwrap();
    assert_eq!(key, "k-first");
    assert_eq!(store.unsubscribe_key(ada, "k-second").await.unwrap(), "k-first", "the key is set once");
    assert_eq!(store.user_by_unsubscribe_key("k-first").await.unwrap().map(|u| u.id), Some(ada));
    assert!(store.user_by_unsubscribe_key("").await.unwrap().is_none());
    assert!(store.user_by_unsubscribe_key("k-second").await.unwrap().is_none());
}

async fn deletion_erases_the_person_and_keeps_the_records(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@workers.example", Role::Worker, Some(w.worker), None).await;
    store.create_token(ada, "tok-hash", "api", now()).await.unwrap();
    let s = shift(&store, &w, "2026-12-07T09:00:00Z", "2026-12-07T13:00:00Z", 1).await;
    let booking = store.book(&book(s, w.worker, BookMode::Instant), &biz(&w)).await.unwrap();
    let me = Actor { user: Some(ada), scope: Scope::Worker(w.worker) };
    let asked = NewInquiry { category: slivers_core::contact::InquiryCategory::Account, priority: slivers_core::contact::Priority::Normal,
        subject: "my private subject".into(), text: "my private words".into(), about: None };
    let inquiry = store.raise_inquiry(&asked, &me, now()).await.unwrap();
    store.send_booking_message(booking.id, "my private message", &me, now()).await.unwrap();
    let idea = store.file_feature_request(&NewFeatureRequest { title: "Dark mode".into(), text: "my private wish".into() }, &me, now()).await.unwrap();
    let scrubbed = store.get_worker(w.worker, &Scope::All).await.unwrap().erased();
    store.delete_account(ada, Some(&scrubbed), &as_worker(w.worker), now()).await.unwrap();
    assert!(is_not_found(store.get_user(ada).await));
    assert!(store.user_by_email("ada@workers.example").await.unwrap().is_none());
    assert!(store.user_by_token("tok-hash").await.unwrap().is_none(), "sign-ins end");
    let profile = store.get_worker(w.worker, &Scope::All).await.unwrap();
    assert_eq!(profile.name, format!("Former worker {}", w.worker.0));
    assert!(profile.skills.is_empty() && profile.availability.weekly.is_empty());
    assert_eq!(store.get_booking(booking.id, &Scope::All).await.unwrap().worker_id, w.worker, "the booking stays");
    assert!(outbox(&store, Channel::Email).await.iter().filter(|o| o.user_id == Some(ada)).all(|o| o.recipient == "deleted" && o.status != DeliveryStatus::Pending));
    let thread = store.get_inquiry(inquiry.id, &Scope::All, now()).await.unwrap();
    assert_eq!((thread.inquiry.subject.as_str(), thread.messages[0].text.as_str()), ("[erased]", "[erased]"), "the words go, the record stays");
    assert_eq!(store.list_booking_messages(booking.id, &Scope::All, all()).await.unwrap()[0].text, "[erased]");
    let links = store.get_feature_request(idea.id, &Scope::All).await.unwrap().links;
    assert_eq!((links.len(), links[0].text.as_str()), (1, "[erased]"), "the vote still counts; the words go");
    assert!(is_not_found(store.delete_account(ada, None, &Actor::system(), now()).await), "once");
}

async fn an_import_with_a_taken_email_writes_nothing(store: Arc<dyn Store>) {
    let w = world(&store).await;
    user(&store, "taken@workers.example", Role::Worker, Some(w.worker), None).await;
    let row = |email: &str, hash: &str| ImportedWorker {
        worker: slivers_core::worker::Worker::invited("New Person".into(), slivers_core::Zone::parse("Europe/London").unwrap(), slivers_core::Currency::GBP, vec![]),
        email: email.into(),
        invitation: token(UserId(0), TokenPurpose::ClaimAccount, hash, 60 * 24),
    };
    let before = snapshot(&store).await;
    let err = store.import_workers(&[row("one@new.example", "i1"), row("taken@workers.example", "i2")], &biz(&w), now()).await.unwrap_err();
    assert_eq!(fields_of(err), vec!["rows[2].email".to_string()]);
    assert_eq!(snapshot(&store).await, before, "all or nothing");
    let ids = store.import_workers(&[row("one@new.example", "i1"), row("two@new.example", "i2")], &biz(&w), now()).await.unwrap();
    assert_eq!(ids.len(), 2);
    let invites = outbox(&store, Channel::Email).await;
    assert_eq!(invites.len(), 2);
    assert!(invites.iter().all(|i| i.topic == "account" && i.data["purpose"] == "claim_account"));
    let claimed = store.redeem_account_token("i1", TokenPurpose::ClaimAccount, &Redeem::SetPassword("hash".into()), now()).await.unwrap();
    assert_eq!((claimed.email.as_str(), claimed.worker_id), ("one@new.example", Some(ids[0])));
}
