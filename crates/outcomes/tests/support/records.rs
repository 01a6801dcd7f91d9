//! Builders for hand-made records, shared by the outcome tests, so each test
//! reads as the story it checks (who was posted when, who booked, who left).

#![allow(dead_code, reason = "each test file uses a different subset")]
#![allow(clippy::unwrap_used, reason = "test fixtures from literal strings")]

use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::{Currency, Interval, Money};
use slivers_outcomes::{BookingEnd, BookingRecord, Record, ShiftRecord, WorkerRecord};

pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

/// The week of Monday 3 March 2025, UTC.
pub fn week() -> Interval {
    Interval::new(at("2025-03-03T00:00:00Z"), at("2025-03-10T00:00:00Z")).unwrap()
}

pub fn record(period: Interval) -> Record {
    Record { period, workers: Vec::new(), shifts: Vec::new(), bookings: Vec::new() }
}

/// A four-hour shift starting at `start`, posted `posted_minutes_before` it.
pub fn shift(id: i64, start: &str, posted_minutes_before: i64, headcount: u32) -> ShiftRecord {
    let start = at(start);
    ShiftRecord {
        id: ShiftId(id),
        posted_at: start.checked_sub(mins(posted_minutes_before)).unwrap(),
        window: Interval::new(start, start.checked_add(mins(240)).unwrap()).unwrap(),
        headcount,
    }
}

pub fn money(amount: &str, currency: Currency) -> Money {
    Money::new(Decimal::from_str(amount).unwrap(), currency)
}

/// A booking of `shift` by `worker`, confirmed `after_posting` minutes after the shift was posted.
pub fn booking(shift: &ShiftRecord, worker: i64, after_posting: i64, end: BookingEnd) -> BookingRecord {
    BookingRecord {
        shift_id: shift.id,
        worker_id: WorkerId(worker),
        confirmed_at: shift.posted_at.checked_add(mins(after_posting)).unwrap(),
        end,
        pay: money("48.00", Currency::GBP),
        minutes: shift.window.minutes(),
    }
}

/// Released `after_posting` minutes after the shift was posted.
pub fn cancelled_by_worker(shift: &ShiftRecord, after_posting: i64) -> BookingEnd {
    BookingEnd::CancelledByWorker { at: shift.posted_at.checked_add(mins(after_posting)).unwrap() }
}

pub fn cancelled_by_business(shift: &ShiftRecord, after_posting: i64) -> BookingEnd {
    BookingEnd::CancelledByBusiness { at: shift.posted_at.checked_add(mins(after_posting)).unwrap() }
}

pub fn worker(id: i64, wanted_minutes_per_week: u32) -> WorkerRecord {
    WorkerRecord { id: WorkerId(id), wanted_minutes_per_week }
}

/// A small market with a bit of everything: refilled and unrefilled worker
/// cancellations, a no-show, a business cancellation, urgent shifts filled
/// at minute 12 and at minute 3 but then left, two currencies, and shifts outside the week.
pub fn mixed_market() -> Record {
    let mut r = record(week());
    let calm = shift(1, "2025-03-04T09:00:00Z", 2 * 24 * 60, 2);
    let left_empty = shift(2, "2025-03-05T09:00:00Z", 3 * 24 * 60, 1);
    let no_show = shift(3, "2025-03-05T13:00:00Z", 3 * 24 * 60, 1);
    let called_off = shift(4, "2025-03-05T17:00:00Z", 3 * 24 * 60, 1);
    let urgent_fast = shift(5, "2025-03-06T14:00:00Z", 6 * 60, 2);
    let urgent_reopened = shift(6, "2025-03-06T12:00:00Z", 4 * 60, 1);
    let after = shift(7, "2025-03-10T00:00:00Z", 600, 3);
    let before = shift(8, "2025-03-02T23:59:00Z", 600, 3);
    r.bookings = vec![
        booking(&calm, 1, 10, BookingEnd::Held),
        booking(&calm, 2, 20, cancelled_by_worker(&calm, 600)),
        booking(&calm, 3, 700, BookingEnd::Held),
        booking(&left_empty, 4, 30, cancelled_by_worker(&left_empty, 100)),
        booking(&no_show, 5, 30, BookingEnd::NoShow),
        booking(&called_off, 6, 30, cancelled_by_business(&called_off, 90)),
        booking(&urgent_fast, 1, 5, BookingEnd::Held),
        booking(&urgent_fast, 2, 12, BookingEnd::Held),
        booking(&urgent_reopened, 3, 3, cancelled_by_worker(&urgent_reopened, 20)),
        booking(&after, 1, 5, BookingEnd::Held),
        booking(&before, 2, 5, BookingEnd::Held),
    ];
    r.bookings[6].pay = money("50.10", Currency::EUR);
    r.shifts = vec![calm, left_empty, no_show, called_off, urgent_fast, urgent_reopened, after, before];
    r.workers = (1..=6).map(|id| worker(id, 600)).collect();
    r
}
