//! Matching: ranked candidates for a shift or an ad-hoc request, explain one
//! worker against one shift, and open shifts that fit a worker. What a
//! business learns about a worker is what [`slivers_core::disclosure`] allows:
//! rank, public score parts and a distance band, never the private numbers
//! behind cost, distance or fairness.

use serde::Serialize;
use slivers_core::business::{Shift, ShiftStatus};
use jiff::Timestamp;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::skills::SkillRequirement;
use slivers_core::{FieldError, Interval, Money, Zone};
use slivers_core::rules::{Mode, Verdict};
use slivers_core::Invalid;
use slivers_match::{Candidate, Query, ScoreParts, ShiftMatch};
use slivers_store::{Conflict, Scope};

use crate::workers::band_from_home;
use crate::{Exchange, ExchangeError, Principal, Result};

/// Most candidates one request returns.
pub const MAX_LIMIT: usize = 500;

/// 1 to [`MAX_LIMIT`], default 50.
pub fn checked_limit(limit: Option<usize>) -> Result<usize> {
    match limit.unwrap_or(50) {
        n @ 1..=MAX_LIMIT => Ok(n),
        _ => Err(Invalid::one("limit", format!("must be 1 to {MAX_LIMIT}")).into()),
    }
}

/// A candidate as the principal may see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateView {
    pub worker_id: WorkerId,
    pub name: String,
    /// 1 is the best.
    pub rank: usize,
    /// Effective levels against the required ones, 0 to 1.
    pub skill_fit: f32,
    /// Mean rating from businesses, 0 to 1.
    pub reputation: f32,
    /// Completed bookings against no-shows and late cancellations, 0 to 1.
    pub reliability: f32,
    /// Distance from the shift's site as a band; absent for remote work.
    pub distance_band: Option<String>,
    /// Every part of the score, including those derived from private values
    /// (cost headroom, distance, fairness): operators only.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub score: Option<ScoreParts>,
}

fn views(ex: &Exchange, who: &Principal, shift: &Shift, found: Vec<Candidate>) -> Result<Vec<CandidateView>> {
    ex.with_index(|index| {
        found
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let band = index.entry(c.worker_id).and_then(|e| band_from_home(&e.worker.reach, shift.location));
                CandidateView {
                    worker_id: c.worker_id,
                    name: c.name,
                    rank: i + 1,
                    skill_fit: c.score.skill_fit,
                    reputation: c.score.reputation,
                    reliability: c.score.reliability,
                    distance_band: band,
                    score: who.is_operator().then_some(c.score),
                }
            })
            .collect()
    })
}

fn search_index(ex: &Exchange, shift: Shift, mode: Mode, limit: usize) -> Result<Vec<Candidate>> {
    let q = Query { shift, mode, now: ex.now(), limit, weights: ex.weights() };
    ex.with_index(|index| index.search(&q))
}

/// Workers who pass every hard rule for this shift, best first.
pub async fn candidates(ex: &Exchange, who: &Principal, shift: ShiftId, mode: Mode, limit: Option<usize>) -> Result<Vec<CandidateView>> {
    who.require_not_worker("candidates are for businesses")?;
    let limit = checked_limit(limit)?;
    let shift = ex.store.get_shift(shift, &who.scope).await?;
    let found = search_index(ex, shift.clone(), mode, limit)?;
    views(ex, who, &shift, found)
}

/// Work a business describes before posting it.
pub struct AdHoc {
    pub start: Timestamp,
    pub end: Timestamp,
    /// One of the principal's sites; `None` for remote work.
    pub site_id: Option<SiteId>,
    pub skills: Vec<SkillRequirement>,
    pub pay_rate: Money,
    pub mode: Mode,
    pub limit: Option<usize>,
}

/// Ad-hoc search: who could do this work, before posting a shift.
pub async fn search(ex: &Exchange, who: &Principal, r: AdHoc) -> Result<Vec<CandidateView>> {
    who.require_not_worker("search is for businesses")?;
    let limit = checked_limit(r.limit)?;
    let window = Interval::new(r.start, r.end)?;
    r.pay_rate.validate_rate().map_err(|Invalid(e)| Invalid(e.into_iter().map(|f| FieldError::new(format!("pay_rate.{}", f.field), f.reason)).collect()))?;
    let (location, zone, business_id, site_labour) = match r.site_id {
        Some(id) => {
            let site = ex.store.get_site(id, &who.scope).await.map_err(|_| Invalid::one("site_id", format!("no site {id} you can use")))?;
            (Some(site.location), site.zone, site.business_id, site.labour)
        }
        None => (None, Zone::utc(), who.business().unwrap_or(BusinessId(0)), Default::default()),
    };
    // Remote work for a business with the on-site-first rule is searched
    // under that rule, as a posted shift would be.
    let onsite_before_remote = match who.business() {
        Some(b) if r.site_id.is_none() => ex.store.get_business(b, &who.scope).await?.onsite_before_remote,
        _ => 0,
    };
    let shift = Shift {
        id: ShiftId(0),
        business_id,
        site_id: r.site_id,
        location,
        zone,
        window,
        skills: r.skills,
        headcount: 1,
        pay_rate: r.pay_rate,
        bill_rate: r.pay_rate,
        notes: String::new(),
        status: ShiftStatus::Open,
        onsite_before_remote,
        site_labour,
    };
    let found = search_index(ex, shift.clone(), r.mode, limit)?;
    views(ex, who, &shift, found)
}

/// Every rule for one worker on one shift: a business sees which rules fail
/// and by how much, the worker and operators every number.
pub async fn explain(ex: &Exchange, who: &Principal, shift: ShiftId, worker: WorkerId, mode: Mode) -> Result<Verdict> {
    let shift = match who.scope {
        // A worker may ask about any open shift, but only for themselves.
        Scope::Worker(me) if me == worker => {
            let s = ex.store.get_shift(shift, &Scope::All).await?;
            if s.status != ShiftStatus::Open {
                return Err(ExchangeError::NotFound("shift"));
            }
            s
        }
        Scope::Worker(_) => return Err(ExchangeError::NotFound("worker")),
        ref scope => ex.store.get_shift(shift, scope).await?,
    };
    let now = ex.now();
    let verdict = ex.with_index(|index| index.explain(worker, &shift, now, mode))?.ok_or(ExchangeError::NotFound("worker"))?;
    Ok(if sees_private(who, Some(worker)) { verdict } else { slivers_core::disclosure::for_business(&verdict) })
}

/// The worker themselves and operators see a worker's private numbers.
fn sees_private(who: &Principal, worker: Option<WorkerId>) -> bool {
    who.is_operator() || (who.worker().is_some() && who.worker() == worker)
}

/// A rule refusal as the principal may see it.
pub(crate) fn disclose(who: &Principal, worker: Option<WorkerId>, e: ExchangeError) -> ExchangeError {
    match e {
        ExchangeError::Conflict(Conflict::Rules(v)) if !sees_private(who, worker) => {
            ExchangeError::Conflict(Conflict::Rules(slivers_core::disclosure::for_business(&v)))
        }
        other => other,
    }
}

/// An open shift that fits a worker, with its score.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftFit {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fit: ShiftMatch,
    pub shift: Shift,
}

/// Open shifts that fit a worker's limits, best first. The worker and operators only.
pub async fn shifts_for(ex: &Exchange, who: &Principal, worker: WorkerId, limit: Option<usize>) -> Result<Vec<ShiftFit>> {
    who.require_self_or_operator(worker)?;
    let limit = checked_limit(limit)?;
    let now = ex.now();
    let fits = ex.with_index(|index| index.entry(worker).map(|_| index.shifts_for(worker, now, limit, &ex.weights())))?;
    let fits = fits.ok_or(ExchangeError::NotFound("worker"))?;
    let mut out = Vec::with_capacity(fits.len());
    for fit in fits {
        let shift = ex.store.get_shift(fit.shift_id, &Scope::All).await?;
        out.push(ShiftFit { fit, shift });
    }
    Ok(out)
}

/// An open shift as a worker may see it: what the work is, where, when and
/// what it pays. The business's bill rate, headcount (which would show its
/// other bookings), notes and settings are left out on purpose.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftForWorker {
    pub id: ShiftId,
    pub business: String,
    /// The site's name; `None` for remote work.
    pub site: Option<String>,
    pub remote: bool,
    /// The site's zone (IANA), for reading the times locally.
    pub zone: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub skills: Vec<SkillRequirement>,
    /// Hourly pay to the worker.
    pub pay_rate: Money,
    /// Whole kilometres from the worker's home to the site; `None` for
    /// remote work or a remote-only worker.
    pub distance_km: Option<i64>,
}

/// A worker's "why not": every rule the one checker decides for this worker
/// on this shift, framed for the worker ([`slivers_core::disclosure::for_worker`]).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhyNot {
    pub worker_id: WorkerId,
    pub shift: ShiftForWorker,
    pub mode: Mode,
    /// Whether every rule passes, so the shift can be offered to (or, in
    /// instant mode, booked for) the worker.
    pub allowed: bool,
    pub checks: Vec<slivers_core::rules::Check>,
}

/// Why a worker is (or is not) offered an open shift. A worker asks for
/// themselves (`worker` absent or their own id); an operator names the
/// worker; businesses are refused: they have [`explain`]. The verdict is
/// [`explain`]'s, from the same index call, so the two cannot disagree.
pub async fn why_not(ex: &Exchange, who: &Principal, shift: ShiftId, worker: Option<WorkerId>, mode: Mode) -> Result<WhyNot> {
    let worker = match (who.worker(), worker) {
        (Some(me), None) => me,
        (Some(me), Some(w)) if me == w => me,
        // Another worker's verdict does not exist for a worker.
        (Some(_), Some(_)) => return Err(ExchangeError::NotFound("worker")),
        (None, Some(w)) if who.is_operator() => w,
        (None, None) if who.is_operator() => return Err(Invalid::one("worker_id", "an operator names the worker").into()),
        (None, _) => return Err(ExchangeError::Forbidden("why-not is for workers; businesses use explain")),
    };
    let s = ex.store.get_shift(shift, &Scope::All).await?;
    // Cancelled shifts are not shown to workers, as in `explain`.
    if s.status != ShiftStatus::Open && !who.is_operator() {
        return Err(ExchangeError::NotFound("shift"));
    }
    let now = ex.now();
    let found = ex.with_index(|index| index.entry(worker).map(|e| (e.worker.clone(), index.explain(worker, &s, now, mode))))?;
    let (profile, verdict) = found.ok_or(ExchangeError::NotFound("worker"))?;
    let verdict = verdict.ok_or(ExchangeError::NotFound("worker"))?;
    let framed = slivers_core::disclosure::for_worker(&verdict, &profile);
    let shift = shift_for_worker(ex, &s, &profile).await?;
    Ok(WhyNot { worker_id: worker, shift, mode, allowed: framed.allowed, checks: framed.checks })
}

/// `s` as `profile` may see it.
async fn shift_for_worker(ex: &Exchange, s: &Shift, profile: &slivers_core::worker::Worker) -> Result<ShiftForWorker> {
    let distance_km = match (&profile.reach, s.location) {
        (slivers_core::worker::Reach::Travel { home, .. }, Some(site)) => Some(home.distance_m(&site) / 1000),
        _ => None,
    };
    let site = match s.site_id {
        Some(id) => Some(crate::businesses::site_name(ex, id).await?),
        None => None,
    };
    Ok(ShiftForWorker {
        id: s.id,
        business: crate::businesses::business_name(ex, s.business_id).await?,
        site,
        remote: s.is_remote(),
        zone: s.zone.name().to_string(),
        start: s.window.start,
        end: s.window.end,
        skills: s.skills.clone(),
        pay_rate: s.pay_rate,
        distance_km,
    })
}

/// A fitting shift as the worker sees it (no bill rate, headcount or notes).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FitForWorker {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fit: ShiftMatch,
    pub shift: ShiftForWorker,
}

/// [`shifts_for`] framed for the worker: what the API answers.
pub async fn shifts_for_worker(ex: &Exchange, who: &Principal, worker: WorkerId, limit: Option<usize>) -> Result<Vec<FitForWorker>> {
    let fits = shifts_for(ex, who, worker, limit).await?;
    let profile = ex.store.get_worker(worker, &Scope::All).await?;
    let mut out = Vec::with_capacity(fits.len());
    for f in fits {
        out.push(FitForWorker { shift: shift_for_worker(ex, &f.shift, &profile).await?, fit: f.fit });
    }
    Ok(out)
}
