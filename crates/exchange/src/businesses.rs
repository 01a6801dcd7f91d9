//! Businesses, their sites and shifts, the skill taxonomy, and customer
//! timelines (the event log as the principal may see it).

use slivers_core::business::{Shift, Site};
use slivers_core::ids::{BusinessId, ShiftId, SiteId};
use slivers_core::labour::LabourRules;
use slivers_core::Invalid;
use slivers_store::{Business, Event, EventFilter, NewBusiness, NewShift, NewSite, Page, Scope, ShiftEdit, ShiftFilter};

use crate::{Exchange, ExchangeError, Principal, Result};

/// Create a business (operators).
pub async fn create(ex: &Exchange, who: &Principal, b: &NewBusiness) -> Result<Business> {
    who.require_operator("only operators create businesses")?;
    let id = ex.store.create_business(b, &who.actor, ex.now()).await?;
    Ok(ex.store.get_business(id, &who.scope).await?)
}

pub async fn get(ex: &Exchange, who: &Principal, id: BusinessId) -> Result<Business> {
    Ok(ex.store.get_business(id, &who.scope).await?)
}

/// The principal's own business, or every business for operators.
pub async fn list(ex: &Exchange, who: &Principal, page: Page) -> Result<Vec<Business>> {
    Ok(ex.store.list_businesses(&who.scope, page).await?)
}

pub async fn create_site(ex: &Exchange, who: &Principal, s: &NewSite) -> Result<Site> {
    Ok(ex.store.create_site(s, &who.actor, ex.now()).await?)
}

pub async fn get_site(ex: &Exchange, who: &Principal, id: SiteId) -> Result<Site> {
    Ok(ex.store.get_site(id, &who.scope).await?)
}

/// A business's sites; an unseen business is not found (not "no sites").
pub async fn sites(ex: &Exchange, who: &Principal, business: BusinessId) -> Result<Vec<Site>> {
    ex.store.get_business(business, &who.scope).await?;
    Ok(ex.store.list_sites(business, &who.scope).await?)
}

/// Which business a write is for: a member's own, or the one an operator names.
pub fn business_for(who: &Principal, named: Option<BusinessId>) -> Result<BusinessId> {
    match (&who.scope, named) {
        (Scope::Business(mine), None) => Ok(*mine),
        (Scope::Business(mine), Some(b)) if b == *mine => Ok(*mine),
        (Scope::Business(_), Some(_)) => Err(ExchangeError::NotFound("business")),
        (Scope::All, Some(b)) => Ok(b),
        (Scope::All, None) => Err(Invalid::one("business_id", "operators must name the business").into()),
        (Scope::Worker(_), _) => Err(ExchangeError::Forbidden("workers do not post shifts")),
    }
}

/// Post a shift.
pub async fn post_shift(ex: &Exchange, who: &Principal, s: &NewShift) -> Result<Shift> {
    business_for(who, Some(s.business_id))?;
    let shift = ex.store.create_shift(s, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(shift)
}

/// Edit a shift: notes, headcount not below places held, rates only while
/// nobody holds or is offered it (the store enforces each).
pub async fn edit_shift(ex: &Exchange, who: &Principal, id: ShiftId, edit: &ShiftEdit) -> Result<Shift> {
    who.require_not_worker("workers do not edit shifts")?;
    let shift = ex.store.edit_shift(id, edit, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(shift)
}

pub async fn get_shift(ex: &Exchange, who: &Principal, id: ShiftId) -> Result<Shift> {
    Ok(ex.store.get_shift(id, &who.scope).await?)
}

pub async fn shifts(ex: &Exchange, who: &Principal, filter: &ShiftFilter, page: Page) -> Result<Vec<Shift>> {
    Ok(ex.store.list_shifts(filter, &who.scope, page).await?)
}

/// A business's name: public, so anyone signed in may show who they work for.
pub async fn business_name(ex: &Exchange, id: BusinessId) -> Result<String> {
    Ok(ex.store.get_business(id, &Scope::All).await?.name)
}

/// A site's name, public like its business's.
pub async fn site_name(ex: &Exchange, id: SiteId) -> Result<String> {
    Ok(ex.store.get_site(id, &Scope::All).await?.name)
}

/// The newest event's sequence number: a cheap key for caches of derived views.
pub async fn last_event_seq(ex: &Exchange) -> Result<i64> {
    Ok(ex.store.last_event_seq().await?)
}

/// The skill taxonomy: (code, name).
pub async fn skills(ex: &Exchange) -> Result<Vec<(String, String)>> {
    Ok(ex.store.list_skills().await?)
}

/// The event log as the principal may see it: a business its own timeline, a
/// worker their own events, an operator everything.
pub async fn events(ex: &Exchange, who: &Principal, filter: &EventFilter, page: Page) -> Result<Vec<Event>> {
    Ok(ex.store.events(filter, &who.scope, page).await?)
}

/// One business's timeline; an unseen business is not found.
pub async fn timeline(ex: &Exchange, who: &Principal, business: BusinessId, page: Page) -> Result<Vec<Event>> {
    ex.store.get_business(business, &who.scope).await?;
    events(ex, who, &EventFilter { business: Some(business), ..Default::default() }, page).await
}

/// A site's labour policy (`core::labour`): the one rule checker applies it,
/// with the worker's own rules, to every booking at the site from now on.
pub async fn set_site_labour(ex: &Exchange, who: &Principal, site: SiteId, rules: &LabourRules) -> Result<Site> {
    // A worker has no site: not found, like another business's.
    if who.worker().is_some() {
        return Err(ExchangeError::NotFound("site"));
    }
    let s = ex.store.set_site_labour(site, rules, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(s)
}

/// A business's rule that a worker's first `onsite_before_remote` shifts with
/// it are on site before any remote work (0: no rule). The index picks the
/// change up from the event log.
pub async fn set_remote_rule(ex: &Exchange, who: &Principal, business: BusinessId, onsite_before_remote: u32) -> Result<Business> {
    who.require_not_worker("a business sets its own rules")?;
    let b = ex.store.set_remote_rule(business, onsite_before_remote, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(b)
}
