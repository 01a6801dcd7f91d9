//! Calendar feeds (RFC 5545): a worker's bookings or a business's shifts
//! behind a secret URL token that can be revoked. Only a hash of the token
//! is stored, like API tokens; an unknown or revoked token is not found.

use slivers_core::booking::BookingStatus;
use slivers_core::business::ShiftStatus;
use slivers_documents::ical::{self, CalendarEvent, EventStatus};
use slivers_store::{BookingFilter, CalendarFeed, Owner, Page, Scope, ShiftFilter};

use crate::credentials::{new_token, plausible_token, token_hash};
use crate::{Exchange, ExchangeError, Principal, Result};

fn owner(who: &Principal) -> Result<Owner> {
    match who.scope {
        Scope::Worker(w) => Ok(Owner::Worker(w)),
        Scope::Business(b) => Ok(Owner::Business(b)),
        Scope::All => Err(ExchangeError::Forbidden("calendar feeds belong to a worker or a business")),
    }
}

/// A new feed and its secret token, shown once.
pub async fn create(ex: &Exchange, who: &Principal) -> Result<(CalendarFeed, String)> {
    let token = new_token()?;
    let feed = ex.store.create_calendar_feed(owner(who)?, &token_hash(&token), ex.now()).await?;
    Ok((feed, token))
}

pub async fn list(ex: &Exchange, who: &Principal) -> Result<Vec<CalendarFeed>> {
    Ok(ex.store.list_calendar_feeds(owner(who)?).await?)
}

pub async fn revoke(ex: &Exchange, who: &Principal, id: i64) -> Result<()> {
    if ex.store.revoke_calendar_feed(owner(who)?, id, ex.now()).await? { Ok(()) } else { Err(ExchangeError::NotFound("calendar feed")) }
}

/// Later states get a higher SEQUENCE, so a client replaces what it holds.
fn sequence(s: BookingStatus) -> u32 {
    match s {
        BookingStatus::Offered => 0,
        BookingStatus::Confirmed => 1,
        BookingStatus::CheckedIn => 2,
        BookingStatus::Completed => 3,
        _ => 4,
    }
}

/// The feed behind `token` as an iCalendar document.
pub async fn render(ex: &Exchange, token: &str) -> Result<String> {
    if !plausible_token(token) {
        return Err(ExchangeError::NotFound("calendar feed"));
    }
    let feed = ex.store.calendar_feed_by_token(&token_hash(token)).await?.ok_or(ExchangeError::NotFound("calendar feed"))?;
    let now = ex.now();
    match feed.owner {
        Owner::Worker(w) => {
            let name = ex.store.get_worker(w, &Scope::All).await?.name;
            let bookings = ex.store.list_bookings(&BookingFilter { worker: Some(w), ..Default::default() }, &Scope::Worker(w), Page::all()).await?;
            let mut events = Vec::new();
            for b in bookings.iter().filter(|b| !matches!(b.status, BookingStatus::Offered | BookingStatus::Declined | BookingStatus::Expired | BookingStatus::Withdrawn)) {
                let business = ex.store.get_business(b.business_id, &Scope::All).await?.name;
                let status = match b.status {
                    BookingStatus::CancelledByBusiness | BookingStatus::CancelledByWorker => EventStatus::Cancelled,
                    _ => EventStatus::Confirmed,
                };
                events.push(CalendarEvent {
                    uid: format!("booking-{}@slivers.example", b.id.0),
                    sequence: sequence(b.status),
                    status,
                    start: b.window.start,
                    end: b.window.end,
                    stamp: b.updated_at,
                    summary: format!("Shift at {business}"),
                    location: None,
                    description: Some(format!("Booking {} ({}), pay {}", b.id.0, b.status, b.pay)),
                });
            }
            Ok(ical::calendar(&format!("Slivers: {name}"), &events))
        }
        Owner::Business(bz) => {
            let name = ex.store.get_business(bz, &Scope::All).await?.name;
            let shifts = ex.store.list_shifts(&ShiftFilter { business: Some(bz), ..Default::default() }, &Scope::Business(bz), Page::all()).await?;
            let events: Vec<CalendarEvent> = shifts
                .iter()
                .map(|s| CalendarEvent {
                    uid: format!("shift-{}@slivers.example", s.id.0),
                    sequence: u32::from(s.status == ShiftStatus::Cancelled),
                    status: if s.status == ShiftStatus::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed },
                    start: s.window.start,
                    end: s.window.end,
                    stamp: now,
                    summary: format!("{} x {}", s.headcount, s.skills.iter().map(|k| k.skill.as_str()).collect::<Vec<_>>().join(", ")),
                    location: None,
                    description: (!s.notes.is_empty()).then(|| s.notes.clone()),
                })
                .collect();
            Ok(ical::calendar(&format!("Slivers: {name}"), &events))
        }
    }
}
