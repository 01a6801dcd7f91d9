//! The feedback board: customers file feature requests and vote, in their
//! own words; operators merge duplicates, change a request's status (which
//! tells every linked person once) and ask "who asked for this?".

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use slivers_core::contact::Customer;
use slivers_core::ids::UserId;
use slivers_store::{FeatureChange, FeatureFilter, FeatureRequest, LinkKind, NewFeatureRequest, Page};

use crate::{Exchange, ExchangeError, Principal, Result};

fn customers_only(who: &Principal, why: &'static str) -> Result<()> {
    if who.is_operator() { Err(ExchangeError::Forbidden(why)) } else { Ok(()) }
}

/// A customer files a request: a public title and their own words.
pub async fn file(ex: &Exchange, who: &Principal, request: &NewFeatureRequest) -> Result<FeatureRequest> {
    customers_only(who, "customers file feature requests; operators manage the board")?;
    Ok(ex.store.file_feature_request(request, &who.actor, ex.now()).await?)
}

/// A customer votes for a request, optionally saying why (once per request).
pub async fn vote(ex: &Exchange, who: &Principal, id: i64, text: &str) -> Result<FeatureRequest> {
    customers_only(who, "customers vote; operators manage the board")?;
    Ok(ex.store.vote_feature_request(id, text, &who.actor, ex.now()).await?)
}

/// Merge a duplicate into the request that survives. Operators only.
pub async fn merge(ex: &Exchange, who: &Principal, duplicate: i64, survivor: i64) -> Result<FeatureRequest> {
    who.require_operator("only operators merge feature requests")?;
    // Merging a request into itself is bad input on its face, whatever the
    // request's state: name the field rather than answer with a conflict.
    if duplicate == survivor {
        return Err(slivers_core::Invalid::one("survivor_id", "a request cannot be merged into itself").into());
    }
    Ok(ex.store.merge_feature_requests(duplicate, survivor, &who.actor, ex.now()).await?)
}

/// Plan, start, ship or decline (with a reason) a request. Operators only.
pub async fn set_status(ex: &Exchange, who: &Principal, id: i64, change: &FeatureChange) -> Result<FeatureRequest> {
    who.require_operator("only operators change the status of a feature request")?;
    Ok(ex.store.set_feature_status(id, change, &who.actor, ex.now()).await?)
}

/// A request as the principal sees it: counts for all, own links for a customer, everything for operators.
pub async fn get(ex: &Exchange, who: &Principal, id: i64) -> Result<FeatureRequest> {
    Ok(ex.store.get_feature_request(id, &who.scope).await?)
}

pub async fn list(ex: &Exchange, who: &Principal, filter: &FeatureFilter, page: Page) -> Result<Vec<FeatureRequest>> {
    Ok(ex.store.list_feature_requests(filter, &who.scope, page).await?)
}

/// One thing a customer said about a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Words {
    pub user_id: UserId,
    pub kind: LinkKind,
    /// The request it was said on (a merged duplicate, or this one).
    pub origin_request_id: i64,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// A customer who asked for a request, once, with everything they said.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asker {
    pub customer: Customer,
    pub name: String,
    pub words: Vec<Words>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhoAsked {
    pub request: FeatureRequest,
    /// Businesses first, then workers, each once, by id.
    pub customers: Vec<Asker>,
}

/// "Who asked for this?": every customer linked to the request, each once,
/// with their own words (also those said on duplicates merged into it).
/// Operators only: it names customers to one another otherwise.
pub async fn who_asked(ex: &Exchange, who: &Principal, id: i64) -> Result<WhoAsked> {
    who.require_operator("only operators see who asked for a request")?;
    let request = ex.store.get_feature_request(id, &who.scope).await?;
    let mut by: BTreeMap<Customer, Asker> = BTreeMap::new();
    for l in &request.links {
        let asker = by.entry(l.customer).or_insert_with(|| Asker { customer: l.customer, name: l.customer_name.clone(), words: Vec::new() });
        asker.words.push(Words { user_id: l.user_id, kind: l.kind, origin_request_id: l.origin_request_id, text: l.text.clone(), at: l.at });
    }
    Ok(WhoAsked { customers: by.into_values().collect(), request })
}
