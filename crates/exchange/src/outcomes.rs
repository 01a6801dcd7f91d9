//! What the market delivered over a period, for operators: the shifts that
//! started in it, when each was posted, every booking that came to hold a
//! worker's time on them and how it ended, and every worker's wanted hours,
//! read into a `slivers_outcomes::Record`. `slivers simulate` reads its
//! simulated market through this same function, so the console's charts and
//! the simulator's report mean the same thing.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use slivers_core::booking::BookingStatus;
use slivers_core::ids::{BookingId, ShiftId};
use slivers_core::Interval;
use slivers_outcomes::{BookingEnd, BookingRecord, Record, ShiftRecord, WorkerRecord};
use slivers_store::{BookingFilter, EventFilter, Page, Scope, ShiftFilter};

use crate::{Exchange, Principal, Result};

/// Events read per query while walking the log.
const EVENT_PAGE: i64 = 5000;

/// The record of shifts starting in `period`. Operators only.
pub async fn record(ex: &Exchange, who: &Principal, period: Interval) -> Result<Record> {
    who.require_operator("market outcomes are for operators")?;
    let store = &ex.store;
    let shifts: Vec<_> = store
        .list_shifts(&ShiftFilter { business: None, from: Some(period.start), to: Some(period.end) }, &Scope::All, Page::all())
        .await?
        .into_iter()
        .filter(|s| s.window.start >= period.start && s.window.start < period.end)
        .collect();
    let ids: BTreeSet<ShiftId> = shifts.iter().map(|s| s.id).collect();

    // The log says when each shift was posted and when each booking began and
    // stopped holding time; the rows say how it ended.
    let mut posted: BTreeMap<ShiftId, Timestamp> = BTreeMap::new();
    let mut confirmed: BTreeMap<BookingId, Timestamp> = BTreeMap::new();
    let mut released: BTreeMap<BookingId, Timestamp> = BTreeMap::new();
    let mut after = 0;
    loop {
        let filter = EventFilter { after_seq: Some(after), ..Default::default() };
        let events = store.events(&filter, &Scope::All, Page { limit: EVENT_PAGE, offset: 0 }).await?;
        let Some(last) = events.last().map(|e| e.seq) else { break };
        for e in &events {
            let Some(shift) = e.shift_id.filter(|s| ids.contains(s)) else { continue };
            match (e.kind.as_str(), e.booking_id) {
                ("shift.posted", _) => {
                    posted.entry(shift).or_insert(e.at);
                }
                ("booking.confirmed", Some(b)) => {
                    confirmed.entry(b).or_insert(e.at);
                }
                ("booking.cancelled_by_worker" | "booking.cancelled_by_business", Some(b)) => {
                    released.insert(b, e.at);
                }
                _ => {}
            }
        }
        after = last;
    }

    let mut bookings = Vec::new();
    for b in store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await? {
        if !ids.contains(&b.shift_id) {
            continue;
        }
        let Some(&confirmed_at) = confirmed.get(&b.id) else { continue };
        let at = released.get(&b.id).copied().unwrap_or(b.updated_at);
        let end = match b.status {
            BookingStatus::NoShow => BookingEnd::NoShow,
            BookingStatus::CancelledByWorker => BookingEnd::CancelledByWorker { at },
            BookingStatus::CancelledByBusiness => BookingEnd::CancelledByBusiness { at },
            _ => BookingEnd::Held,
        };
        bookings.push(BookingRecord { shift_id: b.shift_id, worker_id: b.worker_id, confirmed_at, end, pay: b.pay, minutes: b.window.minutes() });
    }

    let mut workers = Vec::new();
    loop {
        let batch = store.list_workers(Page { limit: EVENT_PAGE, offset: workers.len() as i64 }).await?;
        let n = batch.len();
        workers.extend(batch.into_iter().map(|w| WorkerRecord { id: w.id, wanted_minutes_per_week: w.wanted_minutes_per_week }));
        if n < EVENT_PAGE as usize {
            break;
        }
    }
    let shifts = shifts
        .into_iter()
        // A shift with no posting event (imported before the log) counts as posted at its start.
        .map(|s| ShiftRecord { id: s.id, posted_at: posted.get(&s.id).copied().unwrap_or(s.window.start), window: s.window, headcount: s.headcount })
        .collect();
    Ok(Record { period, workers, shifts, bookings })
}
