//! The independent re-check a load run ends with: every booking that holds
//! time is decided again by the rule checker against all of the worker's
//! other holding bookings as the database holds them now, and every shift it
//! touches is counted against its headcount.
//!
//! It reads through `Store` and calls `core::rules::check` itself, sharing no
//! code with the booking transaction it audits (`store::sql::bookings`), so a
//! bug in that write path cannot hide here. `slivers bench book` and
//! `cli/tests/crash_load.rs` run it over their final databases.

use std::collections::{BTreeMap, HashMap};

use slivers_core::business::Shift;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::rules::{check, Mode, Proposal};
use slivers_store::{BookMode, Booking, BookingFilter, Page, Scope, Store, StoreError};

/// What the re-check found.
#[derive(Debug, Default)]
pub struct Recheck {
    /// Holding bookings decided again.
    pub checked: usize,
    /// Shifts whose holding bookings were counted against their headcount.
    pub shifts: usize,
    /// One line per broken limit: a booking the rules refuse, or a shift over its headcount.
    pub broken: Vec<String>,
}

/// Re-check the holding bookings of `workers` that `select` picks (each
/// against all of the worker's other holding bookings, selected or not), and
/// the headcount of every shift they are on.
///
/// Each booking is decided as at its creation (`created_at` is the `now` of
/// the notice rule) in the mode it was made: an instant booking must still be
/// inside declared availability, an accepted offer need not be (`Mode::Accept`).
/// Profiles are read as they are now: the load runs that call this do not
/// edit them while booking.
pub async fn recheck(store: &dyn Store, workers: &[WorkerId], select: impl Fn(&Booking) -> bool) -> Result<Recheck, StoreError> {
    let mut out = Recheck::default();
    let mut shifts: BTreeMap<ShiftId, Shift> = BTreeMap::new();
    for w in workers {
        let worker = store.get_worker(*w, &Scope::All).await?;
        let filter = BookingFilter { worker: Some(*w), ..Default::default() };
        let held: Vec<Booking> = store.list_bookings(&filter, &Scope::All, Page::all()).await?.into_iter().filter(|b| b.status.holds_time()).collect();
        for b in held.iter().filter(|b| select(b)) {
            let shift = shift_of(store, &mut shifts, b.shift_id).await?.clone();
            let others: Vec<_> = held.iter().filter(|o| o.id != b.id).collect();
            let windows: Vec<_> = others.iter().map(|o| o.window).collect();
            let mode = match b.mode {
                BookMode::Instant => Mode::Instant,
                BookMode::Offer => Mode::Accept,
            };
            let mut proposal = Proposal::new(&worker, &windows, &shift, b.created_at, mode);
            // Counted only where the rule reads it (a remote shift with the
            // business's policy), as the booking transaction counts it.
            if shift.is_remote() && shift.onsite_before_remote > 0 {
                let mut n = 0u32;
                for o in others.iter().filter(|o| o.business_id == shift.business_id && o.window.start < shift.window.start) {
                    if !shift_of(store, &mut shifts, o.shift_id).await?.is_remote() {
                        n += 1;
                    }
                }
                proposal.onsite_with_business = n;
            }
            let verdict = check(&proposal);
            if !verdict.allowed {
                let why: Vec<String> = verdict.failures().map(|c| format!("{} ({})", c.rule.as_str(), c.message)).collect();
                out.broken.push(format!("booking {} of worker {} on shift {} breaks {}", b.id.0, w.0, b.shift_id.0, why.join("; ")));
            }
            out.checked += 1;
        }
    }
    // Headcount over every holding booking of the shift, whoever holds it.
    let touched: Vec<ShiftId> = shifts.keys().copied().collect();
    let mut held_per_shift: HashMap<ShiftId, u32> = HashMap::new();
    for id in &touched {
        let filter = BookingFilter { shift: Some(*id), ..Default::default() };
        let n = store.list_bookings(&filter, &Scope::All, Page::all()).await?.iter().filter(|b| b.status.holds_time()).count();
        held_per_shift.insert(*id, u32::try_from(n).unwrap_or(u32::MAX));
    }
    for id in touched {
        let headcount = shifts[&id].headcount;
        if held_per_shift[&id] > headcount {
            out.broken.push(format!("shift {} holds {} bookings for a headcount of {headcount}", id.0, held_per_shift[&id]));
        }
        out.shifts += 1;
    }
    Ok(out)
}

/// A shift read once per re-check.
async fn shift_of<'a>(store: &dyn Store, cache: &'a mut BTreeMap<ShiftId, Shift>, id: ShiftId) -> Result<&'a Shift, StoreError> {
    Ok(match cache.entry(id) {
        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::btree_map::Entry::Vacant(e) => e.insert(store.get_shift(id, &Scope::All).await?),
    })
}
