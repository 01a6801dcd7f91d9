//! The offer-wave engine: for an urgent shift, offer the best N candidates,
//! widen to the next N every T minutes until the shift is filled or starts.
//! The first valid acceptance wins because acceptance re-checks headcount and
//! every hard limit in its own write transaction.

use std::collections::BTreeSet;

use serde::Serialize;
use slivers_core::rules::Mode;
use slivers_match::{Candidate, Query};
use slivers_store::{Actor, BookMode, BookRequest, BookingFilter, Page, Scope, StoreError, Wave, WaveOrder, WaveSettings, WaveStatus};

use slivers_core::ids::{BusinessId, ShiftId};
use slivers_store::Business;

use crate::{Exchange, ExchangeError, Principal, Result};

/// When a due wave finds nobody left to ask, the campaign looks again after
/// this long (or its own interval, if longer) instead of every interval.
pub const NOBODY_LEFT_PAUSE_MINUTES: u32 = 60;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub offers_expired: usize,
    pub waves_sent: usize,
    pub offers_sent: usize,
    pub waves_ended: usize,
}

/// Run everything that is due at the state's `now`: lapse expired offers, end
/// filled or started campaigns, send waves whose time has come.
pub async fn tick(ex: &Exchange) -> Result<TickReport> {
    let now = ex.now();
    let mut report = TickReport { offers_expired: ex.store.expire_offers(now).await?.len(), ..Default::default() };
    for wave in ex.store.waves_to_advance(now).await? {
        match advance(ex, &wave).await? {
            Progress::Sent(n) => {
                report.waves_sent += 1;
                report.offers_sent += n;
            }
            Progress::Ended => report.waves_ended += 1,
            Progress::NotDue | Progress::NobodyLeft => {}
        }
    }
    if report != TickReport::default() {
        ex.refresh().await;
    }
    Ok(report)
}

/// What [`advance`] did with a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A wave went out with this many offers.
    Sent(usize),
    /// The campaign ended: filled, or the shift started.
    Ended,
    /// Still running; the next wave is not due (or another server sent it).
    NotDue,
    /// Due, but everyone who passes the rules has been asked: no wave went
    /// out, and the campaign looks again after a pause.
    NobodyLeft,
}

/// End `wave` if its shift is filled or has started; otherwise send its next
/// wave if that is due.
pub async fn advance(ex: &Exchange, wave: &Wave) -> Result<Progress> {
    let now = ex.now();
    let system = Actor::system();
    let shift = ex.store.get_shift(wave.shift_id, &Scope::All).await?;
    let bookings = ex.store.list_bookings(&BookingFilter { shift: Some(shift.id), ..Default::default() }, &Scope::All, Page::all()).await?;
    let filled = bookings.iter().filter(|b| b.status.holds_time()).count() as u32;
    let end = if filled >= shift.headcount {
        Some(WaveStatus::Filled)
    } else if now >= shift.window.start || shift.status != slivers_core::business::ShiftStatus::Open {
        Some(WaveStatus::Expired)
    } else {
        None
    };
    if let Some(status) = end {
        match ex.store.end_wave(wave.id, status, &system, now).await {
            Ok(_) | Err(StoreError::Conflict(slivers_store::Conflict::WaveEnded(_))) => return Ok(Progress::Ended),
            Err(e) => return Err(e.into()),
        }
    }
    if wave.next_wave_at > now {
        return Ok(Progress::NotDue);
    }
    // Anyone already asked (whatever they answered) is not asked again.
    let asked: BTreeSet<_> = bookings.iter().map(|b| b.worker_id).collect();
    let q = Query { shift: shift.clone(), mode: Mode::Offer, now, limit: usize::MAX, weights: ex.weights() };
    let mut candidates: Vec<Candidate> = ex.with_index(|index| index.search(&q))?;
    candidates.retain(|c| !asked.contains(&c.worker_id));
    order(&mut candidates, wave.settings.order);
    // Nobody left to ask: look again after a longer pause (someone may free
    // up or join), without recording an empty wave on the timeline.
    let pause = if candidates.is_empty() { wave.settings.interval_minutes.max(NOBODY_LEFT_PAUSE_MINUTES) } else { wave.settings.interval_minutes };
    // Claim this wave so two servers never send it twice.
    let next = now + jiff::SignedDuration::from_mins(i64::from(pause));
    if !ex.store.claim_wave(wave.id, wave.next_wave_at, next).await? {
        return Ok(Progress::NotDue);
    }
    let mut offers = Vec::new();
    for c in candidates {
        if offers.len() >= wave.settings.size as usize {
            break;
        }
        let req = BookRequest { shift_id: shift.id, worker_id: c.worker_id, mode: BookMode::Offer, now, offer_expires_at: Some(shift.window.start) };
        match ex.store.book(&req, &system).await {
            Ok(b) => offers.push(b.id),
            // The index can lag the database by one poll: the store's verdict wins.
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    if offers.is_empty() {
        return Ok(Progress::NobodyLeft);
    }
    match ex.store.record_wave(wave.id, &offers, next, now).await {
        Ok(_) => Ok(Progress::Sent(offers.len())),
        Err(StoreError::Conflict(slivers_store::Conflict::WaveEnded(_))) => Ok(Progress::Ended),
        Err(e) => Err(e.into()),
    }
}

/// Order candidates by the business's chosen part, best first; ties by overall score, then id.
fn order(c: &mut [Candidate], by: WaveOrder) {
    let key = |x: &Candidate| match by {
        WaveOrder::Best => x.score.total,
        WaveOrder::Reliability => x.score.reliability,
        WaveOrder::Distance => x.score.distance,
        WaveOrder::Fairness => x.score.fairness,
    };
    c.sort_by(|a, b| {
        key(b).total_cmp(&key(a)).then(b.score.total.total_cmp(&a.score.total)).then(a.worker_id.cmp(&b.worker_id))
    });
}

/// Run [`tick`] every `every` until the process ends.
pub fn run(ex: Exchange, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = tick(&ex).await {
                tracing::warn!(error = %e, "offer-wave tick failed");
            }
            tokio::time::sleep(every).await;
        }
    })
}

/// Overrides of the business's wave defaults for one campaign.
#[derive(Debug, Default, Clone, Copy)]
pub struct WaveOverrides {
    pub size: Option<u32>,
    pub interval_minutes: Option<u32>,
    pub order: Option<WaveOrder>,
}

/// Set a business's offer-wave defaults.
pub async fn set_settings(ex: &Exchange, who: &Principal, business: BusinessId, settings: WaveSettings) -> Result<Business> {
    Ok(ex.store.set_wave_settings(business, settings, &who.actor, ex.now()).await?)
}

/// Start offer waves on a shift: the first wave goes out at once.
pub async fn start(ex: &Exchange, who: &Principal, shift: ShiftId, o: WaveOverrides) -> Result<Wave> {
    who.require_not_worker("businesses run offer waves")?;
    let shift = ex.store.get_shift(shift, &who.scope).await?;
    let defaults = ex.store.get_business(shift.business_id, &Scope::All).await?.waves;
    let settings = WaveSettings {
        size: o.size.unwrap_or(defaults.size),
        interval_minutes: o.interval_minutes.unwrap_or(defaults.interval_minutes),
        order: o.order.unwrap_or(defaults.order),
    };
    let wave = ex.store.start_wave(shift.id, settings, &who.actor, ex.now()).await?;
    advance(ex, &wave).await?;
    ex.refresh().await;
    current(ex, who, shift.id).await
}

/// The latest campaign on a shift.
pub async fn current(ex: &Exchange, who: &Principal, shift: ShiftId) -> Result<Wave> {
    if who.worker().is_some() {
        return Err(ExchangeError::NotFound("offer wave"));
    }
    ex.store.get_shift(shift, &who.scope).await?;
    ex.store.get_wave(shift, &who.scope).await?.ok_or(ExchangeError::NotFound("offer wave"))
}

/// Stop the waves on a shift; outstanding offers are withdrawn.
pub async fn stop(ex: &Exchange, who: &Principal, shift: ShiftId) -> Result<Wave> {
    let wave = current(ex, who, shift).await?;
    let wave = ex.store.end_wave(wave.id, WaveStatus::Stopped, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(wave)
}
