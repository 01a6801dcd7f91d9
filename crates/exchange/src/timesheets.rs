//! Timesheets: check in and out (with stated times and breaks), the
//! business's review, the worker's side of a dispute, an operator's
//! resolution, and approval by silence when the review window ends.

use jiff::Timestamp;
use slivers_core::booking::BookingAction;
use slivers_core::ids::BookingId;
use slivers_core::timesheet::{Review, Timesheet};
use slivers_store::{Attendance, Page, TimesheetFilter};

use crate::{Exchange, Principal, Result};

/// Which end of the shift the worker is recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Clock {
    CheckIn,
    CheckOut,
}

/// Check in or out; `at` defaults to now and may not lie in the future.
pub async fn attend(ex: &Exchange, who: &Principal, booking: BookingId, clock: Clock, at: Option<Timestamp>, break_minutes: i64) -> Result<Timesheet> {
    let now = ex.now();
    let action = match clock {
        Clock::CheckIn => BookingAction::CheckIn,
        Clock::CheckOut => BookingAction::Complete,
    };
    let attendance = Attendance { at: at.unwrap_or(now), break_minutes };
    let t = ex.store.attend(booking, action, attendance, &who.actor, now).await?;
    ex.refresh().await;
    Ok(t)
}

/// Confirm, correct, dispute (business), respond (worker) or resolve (operator).
pub async fn review(ex: &Exchange, who: &Principal, id: i64, r: &Review) -> Result<Timesheet> {
    let t = ex.store.review_timesheet(id, r, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(t)
}

pub async fn get(ex: &Exchange, who: &Principal, id: i64) -> Result<Timesheet> {
    Ok(ex.store.get_timesheet(id, &who.scope).await?)
}

pub async fn list(ex: &Exchange, who: &Principal, filter: &TimesheetFilter, page: Page) -> Result<Vec<Timesheet>> {
    Ok(ex.store.list_timesheets(filter, &who.scope, page).await?)
}

/// The background sweep: approve what the review window let through.
pub async fn auto_approve(ex: &Exchange) -> Result<Vec<Timesheet>> {
    let done = ex.store.auto_approve_timesheets(ex.now()).await?;
    if !done.is_empty() {
        ex.refresh().await;
    }
    Ok(done)
}
