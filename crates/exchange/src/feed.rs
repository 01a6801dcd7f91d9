//! Keeping the index current: build it from the store, then tail the event
//! log and reload whatever the new events touched.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_core::Interval;
use slivers_core::worker::TrackRecord;
use slivers_store::{BookingFilter, EventFilter, Page, Scope, ShiftFilter, Store, StoreError};

use slivers_match::{default_horizon, Index};

pub type SharedIndex = Arc<RwLock<Index>>;

/// Read everything the index needs from the store.
pub async fn build_from_store(store: &dyn Store, now: Timestamp) -> Result<Index, StoreError> {
    let horizon = default_horizon(now);
    // Read the sequence first: anything after it is replayed by the tailer.
    let seq = store.last_event_seq().await?;
    let mut workers = Vec::new();
    let page = 5000;
    loop {
        let batch = store.list_workers(Page { limit: page, offset: workers.len() as i64 }).await?;
        let n = batch.len();
        workers.extend(batch);
        if n < page as usize {
            break;
        }
    }
    let mut bookings: HashMap<WorkerId, Vec<Interval>> = HashMap::new();
    // Every future booking, not only those inside the horizon: shifts past the
    // horizon are answered too, and a booking just past it still counts for
    // rest, caps and labour rules near its end; and as far back as the
    // labour rules read (weekends in a calendar month).
    let back = jiff::SignedDuration::from_hours(24 * slivers_core::labour::REACH_DAYS);
    for b in store.holding_bookings(horizon.start - back, Timestamp::MAX).await? {
        bookings.entry(b.worker_id).or_default().push(b.window);
    }
    let tracks: HashMap<WorkerId, TrackRecord> = store.track_records().await?.into_iter().map(|t| (t.worker_id, t)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut index = Index::build(workers, &bookings, &tracks, horizon, threads);
    // Every on-site shift ever held with a business that has the on-site-first
    // rule, however old: the rule counts the worker's whole history with it.
    let mut onsite: HashMap<WorkerId, Vec<(BusinessId, Timestamp)>> = HashMap::new();
    for h in store.onsite_history(None).await? {
        onsite.entry(h.worker_id).or_default().push((h.business_id, h.start));
    }
    for (w, list) in onsite {
        index.set_onsite(w, list);
    }
    let shifts = store.list_shifts(&ShiftFilter { from: Some(now), ..Default::default() }, &Scope::All, Page::all()).await?;
    for s in shifts {
        index.upsert_shift(s);
    }
    index.last_seq = seq;
    Ok(index)
}

/// Follows the event log into a shared index.
pub struct Feed {
    pub index: SharedIndex,
    store: Arc<dyn Store>,
    /// One catch-up at a time, so a slow reload never overwrites a newer one.
    running: tokio::sync::Mutex<()>,
}

impl Feed {
    pub fn new(index: SharedIndex, store: Arc<dyn Store>) -> Self {
        Feed { index, store, running: tokio::sync::Mutex::new(()) }
    }

    /// Apply every event after the index's last one; returns how many were applied.
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        let _one = self.running.lock().await;
        let after = self.index.read().map(|i| i.last_seq).unwrap_or(0);
        let events = self.store.events(&EventFilter { after_seq: Some(after), ..Default::default() }, &Scope::All, Page::new(Some(1000), None)).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok(0) };
        let mut workers = BTreeSet::new();
        let mut profile_changed = BTreeSet::new();
        let mut shifts = BTreeSet::new();
        // A business's settings changed: its remote rule may have, which the
        // shifts it posted carry and which decides whose on-site history the
        // index keeps.
        let mut settings_changed = BTreeSet::new();
        for e in &events {
            if e.kind == "business.settings_changed" {
                settings_changed.extend(e.business_id);
            }
            if let Some(w) = e.worker_id {
                workers.insert(w);
                if e.kind.starts_with("worker.") {
                    profile_changed.insert(w);
                }
            }
            if let Some(s) = e.shift_id {
                shifts.insert(s);
            }
        }
        // Read outside the lock; apply under it, with no await while it is held.
        let known: BTreeSet<WorkerId> = {
            let index = self.index.read().map_err(|_| StoreError::Corrupt("index lock poisoned".into()))?;
            workers.iter().copied().filter(|w| index.entry(*w).is_some()).collect()
        };
        let mut reloads = Vec::new();
        for w in workers {
            let bookings = self.store.list_bookings(&BookingFilter { worker: Some(w), ..Default::default() }, &Scope::All, Page::all()).await?;
            let track = TrackRecord {
                worker_id: w,
                completed: count(&bookings, slivers_core::booking::BookingStatus::Completed),
                no_shows: count(&bookings, slivers_core::booking::BookingStatus::NoShow),
                cancelled_by_worker: count(&bookings, slivers_core::booking::BookingStatus::CancelledByWorker),
                late_cancellations: bookings
                    .iter()
                    .filter(|b| b.status == slivers_core::booking::BookingStatus::CancelledByWorker && b.cancelled_late)
                    .count() as i64,
            };
            let booked: Vec<Interval> = bookings.iter().filter(|b| b.status.holds_time()).map(|b| b.window).collect();
            let profile = if profile_changed.contains(&w) || !known.contains(&w) {
                Some(self.store.get_worker(w, &Scope::All).await?)
            } else {
                None
            };
            let onsite: Vec<_> = self.store.onsite_history(Some(w)).await?.into_iter().map(|h| (h.business_id, h.start)).collect();
            reloads.push((w, profile, booked, track, onsite));
        }
        let mut shift_rows = Vec::new();
        for s in shifts {
            shift_rows.push(self.store.get_shift(ShiftId(s.0), &Scope::All).await?);
        }
        let mut all_onsite = None;
        for b in &settings_changed {
            shift_rows.extend(self.store.list_shifts(&ShiftFilter { business: Some(*b), ..Default::default() }, &Scope::All, Page::all()).await?);
        }
        if !settings_changed.is_empty() {
            let mut by_worker: HashMap<WorkerId, Vec<(BusinessId, Timestamp)>> = HashMap::new();
            for h in self.store.onsite_history(None).await? {
                by_worker.entry(h.worker_id).or_default().push((h.business_id, h.start));
            }
            all_onsite = Some(by_worker);
        }
        let mut index = self.index.write().map_err(|_| StoreError::Corrupt("index lock poisoned".into()))?;
        for (w, profile, booked, track, onsite) in reloads {
            match profile {
                Some(p) => index.upsert(p, booked, Some(track)),
                None => index.set_bookings(w, booked, Some(track)),
            }
            index.set_onsite(w, onsite);
        }
        for s in shift_rows {
            index.upsert_shift(s);
        }
        if let Some(by_worker) = all_onsite {
            index.set_all_onsite(by_worker);
        }
        index.last_seq = index.last_seq.max(last);
        Ok(events.len())
    }

    /// Tail forever, polling every `every`.
    pub async fn run(self: Arc<Self>, every: Duration) {
        loop {
            match self.catch_up().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "matching index could not catch up"),
            }
            tokio::time::sleep(every).await;
        }
    }
}

fn count(bookings: &[slivers_store::Booking], status: slivers_core::booking::BookingStatus) -> i64 {
    bookings.iter().filter(|b| b.status == status).count() as i64
}
