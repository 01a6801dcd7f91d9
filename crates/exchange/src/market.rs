//! Open market data (public): rates, fill rate, time to fill and demand by
//! skill and region, k-anonymous ([`slivers_core::market`] decides what is
//! published). Computed on demand from the store's shifts, bookings and
//! event log (posting and confirmation times come from `shift.posted` and
//! `booking.confirmed` events) and cached: the cached figures are served
//! while the event log has not moved, and at most one recomputation happens
//! per `refresh_after` however fast the log moves, so a public page cannot
//! be used to make the exchange recompute on every request. The figures are
//! therefore at most `refresh_after` behind the log (30 s by default).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use slivers_core::booking::BookingStatus;
use slivers_core::ids::{BookingId, ShiftId};
use slivers_core::market::{aggregate, Fill, MarketData, ShiftRecord, DEFAULT_K, REMOTE};
use slivers_core::business::ShiftStatus;
use slivers_store::{BookingFilter, EventFilter, Page, Scope, ShiftFilter, Store};

use crate::{Exchange, ExchangeError, Result};

/// The operator's settings for the public market data.
#[derive(Debug, Clone, Copy)]
pub struct MarketSettings {
    /// The smallest number of distinct businesses and of distinct workers a
    /// published cell may draw on.
    pub k: usize,
    /// How long cached figures are served after the event log moves.
    pub refresh_after: Duration,
}

impl Default for MarketSettings {
    fn default() -> Self {
        MarketSettings { k: DEFAULT_K, refresh_after: Duration::from_secs(30) }
    }
}

/// Settings and the last figures with the event they were computed at.
#[derive(Default)]
pub struct MarketCache {
    inner: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    settings: MarketSettings,
    last: Option<(i64, Instant, Arc<MarketData>)>,
}

impl MarketCache {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, CacheState>> {
        self.inner.lock().map_err(|_| ExchangeError::Internal("market cache lock poisoned".into()))
    }
}

/// Change the settings (the CLI's `--market-k`; tests); drops cached figures.
pub fn configure(ex: &Exchange, settings: MarketSettings) -> Result<()> {
    let mut st = ex.market.lock()?;
    st.settings = settings;
    st.last = None;
    Ok(())
}

/// The published figures. No principal: the data is public.
pub async fn data(ex: &Exchange) -> Result<Arc<MarketData>> {
    let seq = ex.store.last_event_seq().await?;
    let k = {
        let st = ex.market.lock()?;
        if let Some((at, when, data)) = &st.last
            && (*at == seq || when.elapsed() < st.settings.refresh_after)
        {
            return Ok(data.clone());
        }
        st.settings.k
    };
    let data = Arc::new(aggregate(&records(&*ex.store).await?, k));
    ex.market.lock()?.last = Some((seq, Instant::now(), data.clone()));
    Ok(data)
}

/// The published figures as CSV.
pub async fn csv(ex: &Exchange) -> Result<String> {
    Ok(slivers_core::market::to_csv(&*data(ex).await?))
}

/// Every shift with its fills, as the aggregation reads them.
pub async fn records(store: &dyn Store) -> Result<Vec<ShiftRecord>> {
    let shifts = store.list_shifts(&ShiftFilter::default(), &Scope::All, Page::all()).await?;
    let bookings = store.list_bookings(&BookingFilter::default(), &Scope::All, Page::all()).await?;
    let events = store.events(&EventFilter::default(), &Scope::All, Page::all()).await?;
    let mut posted: HashMap<ShiftId, jiff::Timestamp> = HashMap::new();
    let mut confirmed: HashMap<BookingId, jiff::Timestamp> = HashMap::new();
    for e in &events {
        match (e.kind.as_str(), e.shift_id, e.booking_id) {
            ("shift.posted", Some(s), _) => {
                posted.entry(s).or_insert(e.at);
            }
            ("booking.confirmed", _, Some(b)) => {
                confirmed.entry(b).or_insert(e.at);
            }
            _ => {}
        }
    }
    let mut fills: HashMap<ShiftId, Vec<Fill>> = HashMap::new();
    for b in bookings {
        let took = matches!(b.status, BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed | BookingStatus::NoShow);
        if took {
            let at = confirmed.get(&b.id).copied().unwrap_or(b.created_at);
            fills.entry(b.shift_id).or_default().push(Fill { worker: b.worker_id.0, at });
        }
    }
    Ok(shifts
        .into_iter()
        .map(|s| {
            let local = s.zone.civil(s.window.start);
            ShiftRecord {
                business: s.business_id.0,
                skills: s.skills.iter().map(|r| r.skill.as_str().to_string()).collect(),
                region: if s.is_remote() { REMOTE.to_string() } else { s.zone.name().to_string() },
                pay_rate: s.pay_rate,
                places: s.headcount,
                posted_at: posted.get(&s.id).copied(),
                weekday: u8::try_from(local.weekday().to_monday_zero_offset()).unwrap_or(0),
                hour: u8::try_from(local.hour()).unwrap_or(0),
                cancelled: s.status == ShiftStatus::Cancelled,
                fills: fills.remove(&s.id).unwrap_or_default(),
            }
        })
        .collect())
}
