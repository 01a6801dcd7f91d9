//! Bookings: book a worker instantly or send an offer, move a booking through
//! its state machine, read bookings as far as the principal may see them.
//! Every write re-runs the rule checker inside the store's write transaction.

use jiff::Timestamp;
use slivers_core::booking::BookingAction;
use slivers_core::ids::{BookingId, ShiftId, WorkerId};
use slivers_store::{BookMode, BookRequest, Booking, BookingFilter, Page, Scope};

use crate::{Exchange, Principal, Result};

/// Book `worker` on `shift` at once, or offer it to them. A refusal is a
/// conflict naming every broken rule.
pub async fn book(ex: &Exchange, who: &Principal, shift: ShiftId, worker: WorkerId, mode: BookMode, offer_expires_at: Option<Timestamp>) -> Result<Booking> {
    who.require_not_worker("workers accept offers; businesses book")?;
    // Unknown workers are a 404 before any rule is weighed.
    ex.store.get_worker(worker, &Scope::All).await?;
    let req = BookRequest { shift_id: shift, worker_id: worker, mode, now: ex.now(), offer_expires_at };
    let booking = ex.store.book(&req, &who.actor).await.map_err(|e| crate::matching::disclose(who, Some(worker), e.into()))?;
    ex.refresh().await;
    Ok(booking)
}

/// The action a principal means by a name in the API (`cancel` is their side's).
pub fn action_named(name: &str, who: &Principal) -> Option<BookingAction> {
    Some(match name {
        "accept" => BookingAction::Accept,
        "decline" => BookingAction::Decline,
        "withdraw" => BookingAction::Withdraw,
        "check-in" => BookingAction::CheckIn,
        "complete" => BookingAction::Complete,
        "no-show" => BookingAction::NoShow,
        "expire" => BookingAction::Expire,
        "cancel" if who.worker().is_some() => BookingAction::CancelByWorker,
        "cancel" => BookingAction::CancelByBusiness,
        _ => return None,
    })
}

/// Move a booking on. Accepting re-checks every hard limit; the store decides
/// who may take which step.
pub async fn act(ex: &Exchange, who: &Principal, booking: BookingId, action: BookingAction) -> Result<Booking> {
    // Whose verdict a refusal would show: the booking's own worker sees every number.
    let worker = ex.store.get_booking(booking, &who.scope).await.ok().map(|b| b.worker_id);
    let b = ex.store.transition(booking, action, &who.actor, ex.now()).await.map_err(|e| crate::matching::disclose(who, worker, e.into()))?;
    ex.refresh().await;
    Ok(b)
}

pub async fn get(ex: &Exchange, who: &Principal, booking: BookingId) -> Result<Booking> {
    Ok(ex.store.get_booking(booking, &who.scope).await?)
}

/// Bookings matching `filter`, as far as the principal may see them.
pub async fn list(ex: &Exchange, who: &Principal, filter: &BookingFilter, page: Page) -> Result<Vec<Booking>> {
    Ok(ex.store.list_bookings(filter, &who.scope, page).await?)
}

/// A shift's bookings and offers; an unseen shift is not found.
pub async fn of_shift(ex: &Exchange, who: &Principal, shift: ShiftId, page: Page) -> Result<Vec<Booking>> {
    ex.store.get_shift(shift, &who.scope).await?;
    list(ex, who, &BookingFilter { shift: Some(shift), ..Default::default() }, page).await
}
