//! Behaviour suite, portable reputation's register: the signing key is kept
//! from the first call on, issued credentials take consecutive status-list
//! indices, and only the owner can revoke one. Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::*;
use slivers_store::*;

suite!(issuer_key_is_kept_and_only_the_owner_revokes);

async fn issuer_key_is_kept_and_only_the_owner_revokes(store: Arc<dyn Store>) {
    let w = world(&store).await;
    assert_eq!(store.issuer_key("first", now()).await.unwrap(), "first");
    // A later candidate never replaces the key credentials were signed with.
    assert_eq!(store.issuer_key("second", now()).await.unwrap(), "first");

    assert_eq!(store.record_credential("urn:a", w.worker, now()).await.unwrap(), 0);
    assert_eq!(store.record_credential("urn:b", w.worker, now()).await.unwrap(), 1);
    assert!(store.record_credential("urn:a", w.worker, now()).await.is_err(), "an id is issued once");

    assert!(is_not_found(store.revoke_credential("urn:a", w.other_worker, now()).await));
    assert!(is_not_found(store.revoke_credential("urn:nope", w.worker, now()).await));
    let revoked = store.revoke_credential("urn:a", w.worker, now()).await.unwrap();
    assert_eq!((revoked.status_index, revoked.revoked_at.is_some()), (0, true));
    let all = store.issued_credentials(None).await.unwrap();
    assert_eq!(all.iter().map(|c| (c.id.as_str(), c.revoked_at.is_some())).collect::<Vec<_>>(), [("urn:a", true), ("urn:b", false)]);
    assert!(store.issued_credentials(Some(w.other_worker)).await.unwrap().is_empty());
}
