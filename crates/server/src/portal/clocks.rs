//! The other party's clock on lists: where a worker and a business in
//! different zones both look at a time, each list row shows it on the
//! reader's clock and, when the zones differ, on the other's
//! (`layout::window_both`, the booking pages' helper). A worker reads the
//! business's clock from the shift (its site's zone, or the business's for
//! remote work), as on `/w/bookings/{id}`; a business reads the worker's zone
//! from the public profile, as on `/b/bookings/{id}`, and nothing else of it.
//! Zones are looked up once per shift or worker for a page.

use std::collections::HashMap;

use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::{Interval, Zone};
use slivers_exchange::{businesses, workers, Principal};

use super::layout::{window, window_both};
use crate::AppState;

/// One page's lookups of the other party's zone.
pub struct Clocks<'a> {
    state: &'a AppState,
    who: Principal,
    shifts: HashMap<ShiftId, Option<Zone>>,
    workers: HashMap<WorkerId, Option<Zone>>,
}

impl<'a> Clocks<'a> {
    pub fn new(state: &'a AppState, who: Principal) -> Clocks<'a> {
        Clocks { state, who, shifts: HashMap::new(), workers: HashMap::new() }
    }

    /// For a worker: `iv` on their own clock and the business's.
    pub async fn for_worker(&mut self, iv: Interval, own: &Zone, shift: ShiftId) -> String {
        if !self.shifts.contains_key(&shift) {
            let zone = businesses::get_shift(&self.state.exchange, &self.who, shift).await.ok().map(|s| s.zone);
            self.shifts.insert(shift, zone);
        }
        both(iv, own, self.shifts.get(&shift).and_then(Option::as_ref), "at the business")
    }

    /// For a business: `iv` on its own clock and the worker's.
    pub async fn for_business(&mut self, iv: Interval, own: &Zone, worker: WorkerId) -> String {
        if !self.workers.contains_key(&worker) {
            let profile = workers::public_profile(&self.state.exchange, &self.who, worker, None).await.ok();
            self.workers.insert(worker, profile.and_then(|p| Zone::parse(&p.zone).ok()));
        }
        both(iv, own, self.workers.get(&worker).and_then(Option::as_ref), "for the worker")
    }
}

fn both(iv: Interval, own: &Zone, other: Option<&Zone>, label: &str) -> String {
    match other {
        Some(theirs) => window_both(iv, own, theirs, label),
        None => window(iv, own),
    }
}
