//! The first-come baseline: what the month's shifts would have filled if each
//! were simply offered to everyone who could take it and the quickest
//! acceptances won.
//!
//! Shifts are taken in posting order (ties by shift id). Every eligible worker
//! ([`crate::eligibility`]) answers through the same behaviour model the
//! simulated market uses ([`Behaviour::answer`]), given the share of their
//! wanted weekly hours the baseline has already booked them in the shift's
//! local ISO week; the model draws per (shift, worker) pair, so a decision
//! does not depend on what else was drawn before it. Those who accept take places in order
//! of how soon they answer (ties by worker id) while places remain, each only
//! if `rules::first_failure` in `Mode::Accept` still allows it at the moment
//! they answer against the bookings the baseline has already given them, the
//! on-site-first count included: the baseline breaks no limit either.
//!
//! It is a reference point, not a market: there are no cancellations and no
//! no-shows (every booking ends `Held`), nobody re-offers a place, and a
//! shift's answers are all in before the next posted shift is offered.

use jiff::SignedDuration;
use slivers_core::business::Shift;
use slivers_core::ids::BusinessId;
use slivers_core::interval::Interval;
use slivers_core::rules::{first_failure, Mode, Proposal};
use slivers_core::worker::Worker;
use slivers_core::Zone;
use slivers_core::availability::local_week;
use slivers_outcomes::{BookingEnd, BookingRecord, Record, ShiftRecord, WorkerRecord};

use crate::behaviour::Behaviour;
use crate::eligibility::Pairs;
use crate::PostedShift;

/// What the baseline has given one worker so far.
#[derive(Default)]
struct Held {
    windows: Vec<Interval>,
    /// (business, on site, start) of each booking, for the on-site-first count.
    shifts: Vec<(BusinessId, bool, jiff::Timestamp)>,
}

impl Held {
    /// On-site bookings with the shift's business starting before it, as the
    /// store counts them for `Proposal::onsite_with_business`.
    fn onsite_with(&self, shift: &Shift) -> u32 {
        self.shifts.iter().filter(|(b, onsite, start)| *b == shift.business_id && *onsite && *start < shift.window.start).count() as u32
    }
}

/// The share of the worker's wanted weekly minutes already booked in the
/// local ISO week (worker's zone) the shift starts in; 0 when they want none.
#[allow(clippy::float_arithmetic, reason = "the behaviour model reads the share as a float")]
fn booked_share(worker: &Worker, held: &Held, shift: &Shift) -> f64 {
    if worker.wanted_minutes_per_week == 0 {
        return 0.0;
    }
    let zone: &Zone = &worker.zone;
    let week = local_week(zone, Zone::iso_week_start(zone.date(shift.window.start)));
    let minutes: i64 = held.windows.iter().filter_map(|iv| iv.intersection(&week)).map(|iv| iv.minutes()).sum();
    minutes as f64 / f64::from(worker.wanted_minutes_per_week)
}

/// Run the baseline over `shifts` (module doc). `pairs` are the eligible
/// workers per shift, from [`crate::eligibility::pairs`] over the same
/// `workers` and `shifts`; `period` is the record's period.
pub fn first_come(workers: &[Worker], shifts: &[PostedShift], pairs: &Pairs, behaviour: &Behaviour, period: Interval) -> Record {
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by_key(|&i| (shifts[i].posted_at, shifts[i].shift.id));
    let mut held: Vec<Held> = workers.iter().map(|_| Held::default()).collect();
    let mut bookings = Vec::new();
    for i in order {
        let posted = &shifts[i];
        let shift = &posted.shift;
        let eligible = pairs.by_shift.get(i).map_or(&[][..], Vec::as_slice);
        // (minutes until the answer, worker id, worker index) of everyone who accepts.
        let mut yes: Vec<(i64, slivers_core::ids::WorkerId, usize)> = eligible
            .iter()
            .map(|&w| w as usize)
            .filter(|&w| w < workers.len())
            .filter_map(|w| {
                let worker = &workers[w];
                let answer = behaviour.answer(worker, shift, booked_share(worker, &held[w], shift));
                answer.accepts.then_some((answer.after_minutes, worker.id, w))
            })
            .collect();
        yes.sort();
        let mut left = shift.headcount;
        for (after, _, w) in yes {
            if left == 0 {
                break;
            }
            let worker = &workers[w];
            let Some(at) = posted.posted_at.checked_add(SignedDuration::from_mins(after)).ok() else { continue };
            let proposal = Proposal {
                onsite_with_business: held[w].onsite_with(shift),
                ..Proposal::new(worker, &held[w].windows, shift, at, Mode::Accept)
            };
            if first_failure(&proposal).is_some() {
                continue;
            }
            left -= 1;
            let minutes = shift.window.minutes();
            held[w].windows.push(shift.window);
            held[w].shifts.push((shift.business_id, !shift.is_remote(), shift.window.start));
            bookings.push(BookingRecord {
                shift_id: shift.id,
                worker_id: worker.id,
                confirmed_at: at,
                end: BookingEnd::Held,
                pay: shift.pay_rate.for_minutes(minutes),
                minutes,
            });
        }
    }
    Record {
        period,
        workers: workers.iter().map(|w| WorkerRecord { id: w.id, wanted_minutes_per_week: w.wanted_minutes_per_week }).collect(),
        shifts: shifts
            .iter()
            .map(|p| ShiftRecord { id: p.shift.id, posted_at: p.posted_at, window: p.shift.window, headcount: p.shift.headcount })
            .collect(),
        bookings,
    }
}
