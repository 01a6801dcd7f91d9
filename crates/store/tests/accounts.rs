//! Behaviour suite, accounts: sign-up (login and profile in one
//! transaction), users by email, API tokens per user, and web
//! portal sessions with their expiry. Runs on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use jiff::ToSpan;

use common::*;
use slivers_store::*;

suite!(
    an_account_and_its_profile_are_written_together_or_not_at_all,
    users_are_found_by_email_whatever_its_case,
    tokens_are_listed_per_user_and_revoked_only_by_their_owner,
    sessions_live_until_they_expire_or_are_deleted,
    creating_a_session_sweeps_only_that_users_expired_sessions,
);

async fn users_are_found_by_email_whatever_its_case(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let id = user(&store, "Grace.Hopper@Example.COM", Role::Business, None, Some(w.business)).await;
    let found = store.user_by_email("grace.hopper@example.com").await.unwrap().expect("found by lower case");
    assert_eq!(found.id, id);
    // Stored lower-cased, so sign-in does not depend on how the address was typed.
    assert_eq!(found.email, "grace.hopper@example.com");
    assert_eq!(found.password_hash, "not-a-real-hash");
    assert_eq!((found.role, found.worker_id, found.business_id), (Role::Business, None, Some(w.business)));
    assert_eq!(found.scope(), Scope::Business(w.business));
    assert_eq!(store.user_by_email("GRACE.HOPPER@EXAMPLE.COM").await.unwrap().map(|u| u.id), Some(id));
    assert!(store.user_by_email("nobody@example.com").await.unwrap().is_none());
    // Another user is another record.
    let op = user(&store, "ops@example.com", Role::Operator, None, None).await;
    let ops = store.user_by_email("ops@example.com").await.unwrap().unwrap();
    assert_eq!((ops.id, ops.scope()), (op, Scope::All));
    assert_ne!(op, id);
    // A duplicate in another case is refused and writes nothing.
    let before = snapshot(&store).await;
    let dup = store
        .create_user(NewUser {
            email: "GRACE.hopper@example.com".into(),
            password_hash: "y".into(),
            role: Role::Operator,
            worker_id: None,
            business_id: None,
            now: now(),
        })
        .await
        .unwrap_err();
    assert_eq!(rules_of(dup), ["unique"]);
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.user_by_email("grace.hopper@example.com").await.unwrap().unwrap().role, Role::Business);
}

async fn tokens_are_listed_per_user_and_revoked_only_by_their_owner(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let grace = user(&store, "grace@example.com", Role::Worker, Some(w.other_worker), None).await;
    let nobody = user(&store, "nobody@example.com", Role::Worker, None, None).await;
    let later = now() + 1.hour();
    let t1 = store.create_token(ada, "hash-1", "laptop", now()).await.unwrap();
    let t2 = store.create_token(ada, "hash-2", "phone", later).await.unwrap();
    let t3 = store.create_token(grace, "hash-3", "desk", now()).await.unwrap();

    let mine = store.list_tokens(ada).await.unwrap();
    let summary: Vec<_> = mine.iter().map(|t| (t.id, t.label.as_str(), t.created_at, t.revoked_at)).collect();
    assert_eq!(summary, [(t1.id, "laptop", now(), None), (t2.id, "phone", later, None)]);
    assert_eq!(store.list_tokens(grace).await.unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), [t3.id]);
    assert!(store.list_tokens(nobody).await.unwrap().is_empty());

    // Grace cannot revoke Ada's token: nothing changes and the token still works.
    let before = snapshot(&store).await;
    assert!(!store.revoke_token(grace, t1.id, later).await.unwrap());
    assert_eq!(snapshot(&store).await, before);
    assert_eq!(store.user_by_token("hash-1").await.unwrap().map(|(u, t)| (u.id, t)), Some((ada, t1.id)));

    let revoked_at = later + 5.minutes();
    assert!(store.revoke_token(ada, t1.id, revoked_at).await.unwrap());
    let mine = store.list_tokens(ada).await.unwrap();
    assert_eq!(mine.iter().map(|t| (t.id, t.revoked_at)).collect::<Vec<_>>(), [(t1.id, Some(revoked_at)), (t2.id, None)]);
    assert!(store.user_by_token("hash-1").await.unwrap().is_none());
    assert_eq!(store.user_by_token("hash-2").await.unwrap().map(|(u, t)| (u.id, t)), Some((ada, t2.id)));
    // Revoking again reports false and keeps the first revocation time.
    assert!(!store.revoke_token(ada, t1.id, revoked_at + 1.hour()).await.unwrap());
    assert_eq!(store.list_tokens(ada).await.unwrap()[0].revoked_at, Some(revoked_at));
    assert!(store.user_by_token("no-such-hash").await.unwrap().is_none());
}

async fn sessions_live_until_they_expire_or_are_deleted(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let grace = user(&store, "grace@example.com", Role::Business, None, Some(w.business)).await;
    let expires = now() + 1.hour();
    store.create_session("session-a", ada, "csrf-a", now(), expires).await.unwrap();
    store.create_session("session-g", grace, "csrf-g", now(), expires).await.unwrap();

    let s = store.session_by_token("session-a", now()).await.unwrap().expect("live session");
    assert_eq!((s.user.id, s.user.scope(), s.csrf.as_str(), s.expires_at), (ada, Scope::Worker(w.worker), "csrf-a", expires));
    let g = store.session_by_token("session-g", now()).await.unwrap().expect("live session");
    assert_eq!((g.user.id, g.csrf.as_str()), (grace, "csrf-g"));

    // Live up to the second before expiry, gone at it.
    assert!(store.session_by_token("session-a", expires - 1.second()).await.unwrap().is_some());
    assert!(store.session_by_token("session-a", expires).await.unwrap().is_none());
    assert!(store.session_by_token("no-such-session", now()).await.unwrap().is_none());

    // Signing out deletes only that session; deleting again is harmless.
    store.delete_session("session-a").await.unwrap();
    assert!(store.session_by_token("session-a", now()).await.unwrap().is_none());
    assert!(store.session_by_token("session-g", now()).await.unwrap().is_some());
    store.delete_session("session-a").await.unwrap();
    store.delete_session("no-such-session").await.unwrap();
    assert!(store.session_by_token("session-g", now()).await.unwrap().is_some());
}

async fn creating_a_session_sweeps_only_that_users_expired_sessions(store: Arc<dyn Store>) {
    let w = world(&store).await;
    let ada = user(&store, "ada@example.com", Role::Worker, Some(w.worker), None).await;
    let grace = user(&store, "grace@example.com", Role::Worker, Some(w.other_worker), None).await;
    let hour = now() + 1.hour();
    store.create_session("ada-old", ada, "c1", now(), hour).await.unwrap();
    store.create_session("ada-long", ada, "c2", now(), now() + 10.hours()).await.unwrap();
    store.create_session("grace-old", grace, "c3", now(), hour).await.unwrap();
    // Ada signs in again after her first session expired.
    store.create_session("ada-new", ada, "c4", now() + 2.hours(), now() + 3.hours()).await.unwrap();
    // Looking up with a clock before the expiry shows which rows still exist:
    // Ada's expired session was deleted, her live one and Grace's were not.
    let probe = now() + 30.minutes();
    assert!(store.session_by_token("ada-old", probe).await.unwrap().is_none());
    assert!(store.session_by_token("ada-long", probe).await.unwrap().is_some());
    assert!(store.session_by_token("grace-old", probe).await.unwrap().is_some());
    assert_eq!(store.session_by_token("ada-new", now() + 2.hours()).await.unwrap().map(|s| s.csrf), Some("c4".to_string()));
}

/// Sign-up writes the login with its worker profile, or with its business and
/// first site, in one transaction; a taken email writes nothing at all (no
/// orphan profile or business).
async fn an_account_and_its_profile_are_written_together_or_not_at_all(store: Arc<dyn Store>) {
    let _ = world(&store).await;
    let worker = NewAccount { email: "Ada@Example.test".into(), password_hash: "h".into(), profile: AccountProfile::Worker(london_worker("Ada")) };
    let u = store.create_account(&worker, now()).await.unwrap();
    assert_eq!((u.role, u.email.as_str()), (Role::Worker, "ada@example.test"));
    let w = store.get_worker(u.worker_id.expect("worker id"), &Scope::All).await.unwrap();
    assert_eq!(w.name, "Ada");
    assert_eq!(store.user_by_email("ada@example.test").await.unwrap().map(|x| x.worker_id), Some(u.worker_id));

    let london = slivers_core::Zone::parse("Europe/London").unwrap();
    let business = |email: &str| NewAccount {
        email: email.into(),
        password_hash: "h".into(),
        profile: AccountProfile::Business {
            business: NewBusiness { name: "Brew".into(), zone: london.clone(), currency: slivers_core::Currency::parse("GBP").unwrap() },
            first_site: "Brew Leeds".into(),
            location: slivers_core::geo::GeoPoint { lat: 53.8, lon: -1.55 },
        },
    };
    let m = store.create_account(&business("brew@example.test"), now()).await.unwrap();
    let b = m.business_id.expect("business id");
    assert_eq!(store.list_sites(b, &Scope::Business(b)).await.unwrap().len(), 1);

    // A taken email: refused as a conflict on `email`, and nothing is written.
    let before = (store.row_counts().await.unwrap(), store.last_event_seq().await.unwrap());
    assert!(matches!(store.create_account(&business("ADA@example.test"), now()).await, Err(StoreError::Conflict(_))));
    let again = NewAccount { email: "brew@example.test".into(), ..worker.clone() };
    assert!(matches!(store.create_account(&again, now()).await, Err(StoreError::Conflict(_))));
    assert_eq!((store.row_counts().await.unwrap(), store.last_event_seq().await.unwrap()), before);
    // A bad profile is refused by field before anything begins.
    let mut bad = london_worker("");
    bad.name.clear();
    let refused = store.create_account(&NewAccount { email: "new@example.test".into(), password_hash: "h".into(), profile: AccountProfile::Worker(bad) }, now()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!((store.row_counts().await.unwrap(), store.last_event_seq().await.unwrap()), before);
}
