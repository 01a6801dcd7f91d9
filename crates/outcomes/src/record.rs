//! The plain record of a market over a period that every outcome is computed
//! from. The simulator, its greedy baseline and the operator console (the real
//! market, read from the store) all fill this one shape, so a number means
//! the same thing wherever it is shown.

use jiff::Timestamp;
use serde::Serialize;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::{Interval, Money};

/// A shift is urgent when it was posted less than this many minutes before it starts.
pub const URGENT_MINUTES: i64 = 12 * 60;

/// Everything the outcomes read, for shifts starting in `period`.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Shifts that start in `[start, end)` are counted; the period also sets
    /// how many weeks of wanted hours each worker is measured against.
    pub period: Interval,
    /// Every worker who says how many hours they want.
    pub workers: Vec<WorkerRecord>,
    pub shifts: Vec<ShiftRecord>,
    /// Every booking ever confirmed on those shifts (offers never accepted are not here).
    pub bookings: Vec<BookingRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkerRecord {
    pub id: WorkerId,
    pub wanted_minutes_per_week: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiftRecord {
    pub id: ShiftId,
    pub posted_at: Timestamp,
    pub window: Interval,
    pub headcount: u32,
}

impl ShiftRecord {
    pub fn urgent(&self) -> bool {
        self.window.start.duration_since(self.posted_at).as_mins() < URGENT_MINUTES
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BookingRecord {
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
    /// When it started to hold the worker's time (an instant booking, or an accepted offer).
    pub confirmed_at: Timestamp,
    pub end: BookingEnd,
    /// The worker's pay for the whole booking.
    pub pay: Money,
    pub minutes: i64,
}

/// How a confirmed booking ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BookingEnd {
    /// Worked (completed), or still held (confirmed or checked in).
    Held,
    /// Held at the start, but the worker did not come.
    NoShow,
    /// The worker cancelled at `at`.
    CancelledByWorker { at: Timestamp },
    /// The business cancelled at `at`.
    CancelledByBusiness { at: Timestamp },
}

impl BookingEnd {
    /// Released before the shift could use it.
    pub fn released_at(self) -> Option<Timestamp> {
        match self {
            BookingEnd::CancelledByWorker { at } | BookingEnd::CancelledByBusiness { at } => Some(at),
            BookingEnd::Held | BookingEnd::NoShow => None,
        }
    }
}
