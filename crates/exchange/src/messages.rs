//! Messages about a booking between the business and the booked worker (and
//! operators), once the two were matched; each lands on both timelines as
//! `message.sent` without its text.

use slivers_core::ids::BookingId;
use slivers_store::{BookingMessage, Page};

use crate::{Exchange, Principal, Result};

/// Send a message on a booking. Anyone but its two parties and operators
/// gets `NotFound`; a booking never matched (an open, declined, expired or
/// withdrawn offer) refuses with the rule `messages`.
pub async fn send(ex: &Exchange, who: &Principal, booking: BookingId, text: &str) -> Result<BookingMessage> {
    Ok(ex.store.send_booking_message(booking, text, &who.actor, ex.now()).await?)
}

/// The conversation on a booking, oldest first.
pub async fn list(ex: &Exchange, who: &Principal, booking: BookingId, page: Page) -> Result<Vec<BookingMessage>> {
    Ok(ex.store.list_booking_messages(booking, &who.scope, page).await?)
}
