//! Ratings both ways on completed bookings: the worker rates the business,
//! the business rates the worker (which is also skill evidence).

use slivers_core::ids::BookingId;
use slivers_store::{Owner, Page, Rating, RatingFilter, RatingSummary};

use crate::{Exchange, Principal, Result};

/// Give (`edit == false`) or change a rating of the other side of `booking`.
pub async fn rate(ex: &Exchange, who: &Principal, booking: BookingId, stars: u8, comment: &str, edit: bool) -> Result<Rating> {
    let r = ex.store.rate_booking(booking, stars, comment, edit, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(r)
}

pub async fn list(ex: &Exchange, who: &Principal, filter: &RatingFilter, page: Page) -> Result<Vec<Rating>> {
    Ok(ex.store.list_ratings(filter, &who.scope, page).await?)
}

/// Average and count of what `subject` received: public, like a reputation.
pub async fn summary(ex: &Exchange, subject: Owner) -> Result<RatingSummary> {
    match subject {
        Owner::Worker(w) => ex.store.get_worker(w, &slivers_store::Scope::All).await.map(|_| ())?,
        Owner::Business(b) => ex.store.get_business(b, &slivers_store::Scope::All).await.map(|_| ())?,
    }
    Ok(ex.store.rating_summary(subject).await?)
}
