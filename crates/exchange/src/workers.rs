//! Worker profiles. The private part (home, blackouts, availability, limits,
//! rate floor, pay) is for the worker and operators; a business sees the
//! [`PublicProfile`]. Skill evidence that only the exchange may write
//! (assessment grades, verified minutes, ratings) is refused on every path a
//! person writes their own profile through, and kept when they rewrite it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use slivers_core::booking::BookingStatus;
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::skills::{declared_only, nothing_new_from_exchange, Evidence, EvidenceSummary, Level, SkillClaim, SkillCode};
use slivers_core::geo::GeoPoint;
use slivers_core::worker::{Reach, TrackRecord, Worker};
use slivers_core::{Currency, Money};
use slivers_store::{Booking, BookingFilter, Page, Scope};

use crate::{Exchange, ExchangeError, Principal, Result};

/// A skill as a business sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSkill {
    pub skill: SkillCode,
    /// The level the evidence supports (what the skill rule uses).
    pub effective_level: Level,
    /// Why: one line per kind of evidence, e.g. "assessment 4 graded on 12
    /// Nov 2026" (`SkillClaim::weigh`; evidence only, nothing private).
    pub reasons: Vec<String>,
    /// The worker's graded assessment attempts at this skill, first against
    /// retake, e.g. "Morning rush: failed (level 2) on 1 Nov 2026 (first
    /// attempt)", "…: passed level 4 on 20 Nov 2026 (retake, attempt 2)".
    pub assessments: Vec<String>,
    pub evidence: EvidenceSummary,
}

/// Mean of all ratings across skills, to one decimal.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reputation {
    pub ratings: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "4.5"))]
    pub average: Option<Decimal>,
}

/// The part of a worker's profile a business may see: never coordinates,
/// limits, blackouts, availability, rate floor or pay.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicProfile {
    pub id: WorkerId,
    pub name: String,
    /// IANA zone name.
    #[cfg_attr(feature = "openapi", schema(value_type = slivers_core::zone::Zone))]
    pub zone: String,
    pub remote_only: bool,
    pub skills: Vec<PublicSkill>,
    pub reputation: Reputation,
    /// Completed bookings, no-shows and late cancellations by the worker.
    pub reliability: TrackRecord,
    /// Distance from the named shift's site, as a band (`under 5 km`, `5-10 km`,
    /// `10-25 km`, `25-50 km`, `over 50 km`); absent for remote shifts or when
    /// no shift is named.
    pub distance_band: Option<String>,
}

/// The band between a worker's home and a site; `None` for remote work.
pub(crate) fn band_from_home(reach: &Reach, site: Option<GeoPoint>) -> Option<String> {
    match (reach, site) {
        (Reach::Travel { home, .. }, Some(site)) => Some(distance_band(home.distance_m(&site)).to_string()),
        _ => None,
    }
}

/// Round a distance to a band so no one can triangulate a home.
pub fn distance_band(metres: i64) -> &'static str {
    match metres {
        ..5_000 => "under 5 km",
        5_000..10_000 => "5-10 km",
        10_000..25_000 => "10-25 km",
        25_000..50_000 => "25-50 km",
        _ => "over 50 km",
    }
}

/// A worker's display name (public), from the matching index: no database trip.
pub fn name(ex: &Exchange, id: WorkerId) -> Option<String> {
    ex.with_index(|i| i.entry(id).map(|e| e.worker.name.clone())).ok().flatten()
}

/// The full profile: the worker themselves and operators only.
pub async fn profile(ex: &Exchange, who: &Principal, id: WorkerId) -> Result<Worker> {
    who.require_self_or_operator(id)?;
    Ok(ex.store.get_worker(id, &who.scope).await?)
}

/// The public profile: businesses, operators and the worker themselves; to
/// another worker it does not exist. With a shift the business can see, the
/// distance from its site as a band.
pub async fn public_profile(ex: &Exchange, who: &Principal, id: WorkerId, shift: Option<ShiftId>) -> Result<PublicProfile> {
    if let Some(me) = who.worker() {
        if me != id {
            return Err(ExchangeError::NotFound("worker"));
        }
    }
    let site = match shift {
        Some(s) => ex.store.get_shift(s, &who.scope).await?.location,
        None => None,
    };
    let w = ex.store.get_worker(id, &Scope::All).await?;
    // The index keeps every worker's track record current from the event log.
    let reliability = ex
        .with_index(|i| i.entry(id).map(|e| e.track))?
        .unwrap_or(TrackRecord { worker_id: id, completed: 0, no_shows: 0, cancelled_by_worker: 0, late_cancellations: 0 });
    let history = crate::assessments::history(ex, id).await?;
    let skills: Vec<PublicSkill> =
        w.skills
            .iter()
            .map(|c| {
                let weighed = c.weigh();
                let assessments = history.iter().filter(|(s, _)| *s == c.skill).map(|(_, line)| line.clone()).collect();
                PublicSkill { skill: c.skill.clone(), effective_level: weighed.level, reasons: weighed.reasons, assessments, evidence: c.summary() }
            })
            .collect();
    let (mut ratings, mut stars) = (0u32, 0u32);
    for e in w.skills.iter().flat_map(|c| &c.evidence) {
        if let Evidence::Rating { stars: s, .. } = e {
            ratings += 1;
            stars += u32::from(*s);
        }
    }
    let average = (ratings > 0).then(|| (Decimal::from(stars) / Decimal::from(ratings)).round_dp(1));
    let remote_only = w.reach == Reach::RemoteOnly;
    let distance_band = band_from_home(&w.reach, site);
    Ok(PublicProfile {
        id,
        name: w.name,
        zone: w.zone.name().to_string(),
        remote_only,
        skills,
        reputation: Reputation { ratings, average },
        reliability,
        distance_band,
    })
}

/// Exchange-written evidence already on the stored profile survives a rewrite
/// of the claims: records the request left out are put back (after what it
/// sent, so a read-edit-write keeps its order), and a dropped claim that
/// carries such evidence is kept.
fn keep_exchange_evidence(stored: &[SkillClaim], new: &mut Vec<SkillClaim>) {
    for old in stored {
        let records: Vec<&Evidence> = old.evidence.iter().filter(|e| e.exchange_only()).collect();
        if records.is_empty() {
            continue;
        }
        let Some(c) = new.iter_mut().find(|c| c.skill == old.skill) else {
            new.push(SkillClaim { skill: old.skill.clone(), claimed: old.claimed, evidence: records.into_iter().cloned().collect() });
            continue;
        };
        let mut sent: Vec<&Evidence> = c.evidence.iter().filter(|e| e.exchange_only()).collect();
        let mut missing = Vec::new();
        for r in records {
            match sent.iter().position(|e| *e == r) {
                Some(k) => {
                    sent.swap_remove(k);
                }
                None => missing.push(r.clone()),
            }
        }
        c.evidence.extend(missing);
    }
}

/// Create a worker profile (operators). The claims carry declared evidence only.
pub async fn create(ex: &Exchange, who: &Principal, mut worker: Worker) -> Result<Worker> {
    who.require_operator("only operators create worker profiles")?;
    worker.validate()?;
    declared_only(&worker.skills)?;
    worker.id = ex.store.create_worker(&worker, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(worker)
}

/// Replace a whole profile (the worker or an operator). Exchange-only evidence
/// in the request is refused and nothing changes; what the exchange already
/// recorded is kept.
pub async fn replace(ex: &Exchange, who: &Principal, mut worker: Worker) -> Result<Worker> {
    who.require_self_or_operator(worker.id)?;
    worker.validate()?;
    let stored = ex.store.get_worker(worker.id, &who.scope).await?;
    // A client may send back what the exchange recorded, never add to it or
    // take it away.
    nothing_new_from_exchange(&stored.skills, &worker.skills)?;
    keep_exchange_evidence(&stored.skills, &mut worker.skills);
    ex.store.update_worker(&worker, &who.actor, ex.now()).await?;
    ex.refresh().await;
    Ok(worker)
}

/// Load the profile, change one part, and save it through [`replace`] (which
/// refuses any exchange-only record the change adds).
pub async fn amend(ex: &Exchange, who: &Principal, id: WorkerId, change: impl FnOnce(&mut Worker)) -> Result<Worker> {
    let mut worker = profile(ex, who, id).await?;
    change(&mut worker);
    replace(ex, who, worker).await
}

/// Replace the skill claims: declared evidence (self-declared, certificates),
/// plus at most what the exchange has already recorded.
pub async fn set_skills(ex: &Exchange, who: &Principal, id: WorkerId, claims: Vec<SkillClaim>) -> Result<Worker> {
    amend(ex, who, id, |w| w.skills = claims).await
}

/// Record an assessment grade: an operator grading on the exchange's behalf.
/// (Situational assessments taken in the portal will call this with their result.)
pub async fn grade_assessment(ex: &Exchange, who: &Principal, id: WorkerId, skill: SkillCode, level: Level) -> Result<Worker> {
    who.require_operator("only the exchange grades assessments")?;
    known_skill(ex, &skill).await?;
    let w = record(ex, who, id, &[skill], Evidence::assessment(level), level).await?;
    ex.refresh().await;
    Ok(w)
}

/// A grade names a skill of the taxonomy.
async fn known_skill(ex: &Exchange, skill: &SkillCode) -> Result<()> {
    let known = ex.store.list_skills().await?;
    if known.iter().any(|(code, _)| code == skill.as_str()) {
        Ok(())
    } else {
        Err(slivers_core::Invalid::one("skill", format!("`{}` is not a skill of the exchange", skill.as_str())).into())
    }
}

/// Record many grades (a market's history being loaded): one refresh at the end.
pub async fn grade_assessments(ex: &Exchange, who: &Principal, grades: &[(WorkerId, SkillCode, Level)]) -> Result<()> {
    who.require_operator("only the exchange grades assessments")?;
    for (id, skill, level) in grades {
        record(ex, who, *id, std::slice::from_ref(skill), Evidence::assessment(*level), *level).await?;
    }
    Ok(())
}

/// Append one exchange record to the worker's claims on `skills`; a skill not
/// yet claimed is claimed at `claim_level`.
pub(crate) async fn record(ex: &Exchange, who: &Principal, id: WorkerId, skills: &[SkillCode], evidence: Evidence, claim_level: Level) -> Result<Worker> {
    let mut w = ex.store.get_worker(id, &Scope::All).await?;
    for skill in skills {
        match w.skills.iter_mut().find(|c| &c.skill == skill) {
            Some(c) => c.evidence.push(evidence.clone()),
            None => w.skills.push(SkillClaim { skill: skill.clone(), claimed: claim_level, evidence: vec![evidence.clone()] }),
        }
    }
    ex.store.update_worker(&w, &who.actor, ex.now()).await?;
    Ok(w)
}

/// A page of every worker's full profile (operators).
pub async fn list(ex: &Exchange, who: &Principal, page: Page) -> Result<Vec<Worker>> {
    who.require_operator("only operators list workers")?;
    Ok(ex.store.list_workers(page).await?)
}

/// A worker's bookings, as far as the principal may see them.
pub async fn bookings(ex: &Exchange, who: &Principal, id: WorkerId, page: Page) -> Result<Vec<Booking>> {
    if let Some(me) = who.worker() {
        if me != id {
            return Err(ExchangeError::NotFound("worker"));
        }
    }
    let filter = BookingFilter { worker: Some(id), ..Default::default() };
    Ok(ex.store.list_bookings(&filter, &who.scope, page).await?)
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PayOverviewLine))]
pub struct PayLine {
    pub booking_id: i64,
    pub shift_id: i64,
    pub status: BookingStatus,
    pub minutes: i64,
    pub pay: Money,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PayOverviewTotal))]
pub struct PayTotal {
    pub earned: Money,
    pub upcoming: Money,
}

#[derive(Debug, Serialize)]
/// A worker's pay at a glance (booked and earned), as opposed to an issued
/// pay statement (a document); named `PayOverview` in the API document.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PayOverview))]
pub struct PayStatement {
    pub worker_id: WorkerId,
    pub lines: Vec<PayLine>,
    /// Per currency; each total is exactly the sum of its lines.
    pub totals: Vec<PayTotal>,
}

/// A worker's pay: completed work earned, confirmed work upcoming. Only the worker and operators.
pub async fn pay(ex: &Exchange, who: &Principal, id: WorkerId) -> Result<PayStatement> {
    who.require_self_or_operator(id)?;
    let filter = BookingFilter { worker: Some(id), ..Default::default() };
    let bookings = ex.store.list_bookings(&filter, &who.scope, Page::all()).await?;
    let mut lines = Vec::new();
    let mut totals: BTreeMap<Currency, (Decimal, Decimal)> = BTreeMap::new();
    for b in bookings.into_iter().filter(|b| b.status.holds_time()) {
        let t = totals.entry(b.pay.currency).or_default();
        if b.status == BookingStatus::Completed {
            t.0 += b.pay.amount;
        } else {
            t.1 += b.pay.amount;
        }
        lines.push(PayLine { booking_id: b.id.0, shift_id: b.shift_id.0, status: b.status, minutes: b.window.minutes(), pay: b.pay });
    }
    let totals = totals.into_iter().map(|(c, (e, u))| PayTotal { earned: Money::new(e, c), upcoming: Money::new(u, c) }).collect();
    Ok(PayStatement { worker_id: id, lines, totals })
}
