//! Bringing a business's existing schedule on board: sites and shifts from CSV. Every
//! row is checked (parsing, the business's own sites, the skill taxonomy and
//! every rule a posted shift must meet) before anything is written; a file
//! with any bad row writes nothing and names every bad row and why. A dry
//! run checks and reports without writing.

use serde::Serialize;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::ids::{BusinessId, ShiftId, SiteId};
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode, SkillRequirement};
use slivers_core::{Currency, FieldError, Interval, Invalid, Money};
use slivers_documents::imports::{ShiftRow, SiteRow, WorkerRow};
use slivers_store::{NewShift, Scope};

use crate::businesses::business_for;
use crate::{Exchange, Principal, Result};

/// What an import did or would do.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    /// Rows read (the header excluded).
    pub rows: usize,
    /// The ids of the shifts or sites written (none on a dry run).
    pub created: Vec<i64>,
}

/// Import shifts for `business` from `csv`. Bad rows are an [`Invalid`]
/// naming each as `rows[N].field` (N counts data rows from 1) or `line L`.
pub async fn shifts(ex: &Exchange, who: &Principal, business: Option<BusinessId>, csv: &str, dry_run: bool) -> Result<ImportReport> {
    let business = business_for(who, business)?;
    let rows: Vec<ShiftRow> = slivers_documents::csv::read(csv).map_err(|bad| {
        Invalid(bad.into_iter().map(|e| FieldError::new(format!("line {}", e.line), e.reason)).collect())
    })?;
    if rows.is_empty() {
        return Err(Invalid::one("csv", "no rows after the header").into());
    }
    if rows.len() > 5000 {
        return Err(Invalid::one("csv", "at most 5000 rows per import").into());
    }
    let now = ex.now();
    let skills: Vec<String> = ex.store.list_skills().await?.into_iter().map(|(code, _)| code).collect();
    let zone = ex.store.get_business(business, &Scope::All).await?.zone;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut shifts = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let at = |field: &str| format!("rows[{}].{field}", i + 1);
        let before = errors.len();
        let site = match r.site_id {
            None => None,
            Some(id) => match ex.store.get_site(SiteId(id), &Scope::Business(business)).await {
                Ok(s) => Some(s),
                Err(_) => {
                    errors.push(FieldError::new(at("site_id"), format!("no site {id} in this business")));
                    None
                }
            },
        };
        let skill = SkillCode::parse(&r.skill).ok().filter(|s| skills.iter().any(|k| k == s.as_str()));
        if skill.is_none() {
            errors.push(FieldError::new(at("skill"), format!("`{}` is not a skill in the taxonomy", r.skill)));
        }
        let level = Level::new(r.level).map_err(|e| errors.push(FieldError::new(at("level"), e.to_string()))).ok();
        let currency = Currency::parse(&r.currency).map_err(|_| errors.push(FieldError::new(at("currency"), "must be a three-letter code such as GBP"))).ok();
        let window = Interval::new(r.start, r.end).map_err(|e| errors.push(FieldError::new(at("end"), e.to_string()))).ok();
        if errors.len() > before {
            continue;
        }
        let (Some(skill), Some(level), Some(currency), Some(window)) = (skill, level, currency, window) else { continue };
        let new = NewShift {
            business_id: business,
            site_id: site.as_ref().map(|s| s.id),
            window,
            skills: vec![SkillRequirement { skill, level }],
            headcount: r.headcount,
            pay_rate: Money::new(r.pay_rate, currency),
            bill_rate: Money::new(r.bill_rate, currency),
            notes: r.notes.clone(),
        };
        // The same checks a posted shift gets, before anything is written.
        let probe = Shift {
            id: ShiftId(0),
            business_id: business,
            site_id: new.site_id,
            location: site.as_ref().map(|s| s.location),
            zone: site.as_ref().map_or_else(|| zone.clone(), |s| s.zone.clone()),
            window,
            skills: new.skills.clone(),
            headcount: new.headcount,
            pay_rate: new.pay_rate,
            bill_rate: new.bill_rate,
            notes: new.notes.clone(),
            status: ShiftStatus::Open,
            // Only validated here: the rule is applied when the shift is booked.
            onsite_before_remote: 0,
            site_labour: Default::default(),
        };
        if let Err(Invalid(bad)) = probe.validate(now) {
            errors.extend(bad.into_iter().map(|e| FieldError::new(at(&e.field), e.reason)));
            continue;
        }
        shifts.push(new);
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let mut report = ImportReport { dry_run, rows: rows.len(), created: Vec::new() };
    if dry_run {
        return Ok(report);
    }
    for s in &shifts {
        report.created.push(ex.store.create_shift(s, &who.actor, now).await?.id.0);
    }
    ex.refresh().await;
    Ok(report)
}

/// Import sites for `business` from `csv`, all or nothing, as [`shifts`] does.
pub async fn sites(ex: &Exchange, who: &Principal, business: Option<BusinessId>, csv: &str, dry_run: bool) -> Result<ImportReport> {
    let business = business_for(who, business)?;
    let rows: Vec<SiteRow> = slivers_documents::csv::read(csv).map_err(|bad| {
        Invalid(bad.into_iter().map(|e| FieldError::new(format!("line {}", e.line), e.reason)).collect())
    })?;
    if rows.is_empty() || rows.len() > 5000 {
        return Err(Invalid::one("csv", "1 to 5000 rows after the header").into());
    }
    let mut errors = Vec::new();
    let mut sites = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let at = |field: &str| format!("rows[{}].{field}", i + 1);
        let zone = match slivers_core::Zone::parse(&r.zone) {
            Ok(z) => z,
            Err(e) => {
                errors.push(FieldError::new(at("zone"), e.to_string()));
                continue;
            }
        };
        let site = slivers_store::NewSite { business_id: business, name: r.name.clone(), zone, location: slivers_core::geo::GeoPoint { lat: r.lat, lon: r.lon } };
        match site.validate() {
            Ok(()) => sites.push(site),
            Err(Invalid(bad)) => errors.extend(bad.into_iter().map(|e| FieldError::new(at(&e.field), e.reason))),
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let mut report = ImportReport { dry_run, rows: rows.len(), created: Vec::new() };
    if !dry_run {
        for s in &sites {
            report.created.push(ex.store.create_site(s, &who.actor, ex.now()).await?.id.0);
        }
    }
    Ok(report)
}

/// Bring a business's existing staff on board: each row becomes a worker
/// profile and a login without a password, and the worker is emailed an
/// invitation to claim it (a single-use link, valid 14 days). All or nothing,
/// as [`shifts`] does. The business states only who the person is and what
/// they do: skills arrive as the worker's declared claims (the exchange's
/// evidence comes later), and the person's private life (home, limits,
/// availability, rate floor) is theirs to fill in, so the profile is remote-only
/// and unavailable until they do.
pub async fn workers(ex: &Exchange, who: &Principal, business: Option<BusinessId>, csv: &str, dry_run: bool) -> Result<ImportReport> {
    let business = business_for(who, business)?;
    let rows: Vec<WorkerRow> = slivers_documents::csv::read(csv).map_err(|bad| {
        Invalid(bad.into_iter().map(|e| FieldError::new(format!("line {}", e.line), e.reason)).collect())
    })?;
    if rows.is_empty() || rows.len() > 1000 {
        return Err(Invalid::one("csv", "1 to 1000 rows after the header").into());
    }
    let b = ex.store.get_business(business, &Scope::All).await?;
    let taxonomy: Vec<String> = ex.store.list_skills().await?.into_iter().map(|(code, _)| code).collect();
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut imported = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let at = |field: &str| format!("rows[{}].{field}", i + 1);
        let before = errors.len();
        let email = r.email.trim().to_lowercase();
        if let Err(why) = slivers_core::validation::check_email(&email) {
            errors.push(FieldError::new(at("email"), why));
        } else if !seen.insert(email.clone()) {
            errors.push(FieldError::new(at("email"), "appears twice in this file"));
        } else if ex.store.user_by_email(&email).await?.is_some() {
            errors.push(FieldError::new(at("email"), "already has an account"));
        }
        let zone = slivers_core::Zone::parse(&r.zone).map_err(|e| errors.push(FieldError::new(at("zone"), e.to_string()))).ok();
        let mut skills = Vec::new();
        for pair in r.skills.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let parsed = pair.split_once(':').and_then(|(code, level)| {
                let code = SkillCode::parse(code.trim()).ok().filter(|c| taxonomy.iter().any(|k| k == c.as_str()))?;
                Some((code, Level::new(level.trim().parse().ok()?).ok()?))
            });
            match parsed {
                Some((skill, claimed)) => skills.push(SkillClaim { skill, claimed, evidence: vec![Evidence::SelfDeclared] }),
                None => errors.push(FieldError::new(at("skills"), format!("`{pair}` is not code:level with a skill of the taxonomy and a level 1 to 5"))),
            }
        }
        let (Some(zone), true) = (zone, errors.len() == before) else { continue };
        let worker = slivers_core::worker::Worker::invited(r.name.trim().to_string(), zone, b.currency, skills);
        if let Err(Invalid(bad)) = worker.validate() {
            errors.extend(bad.into_iter().map(|e| FieldError::new(at(&e.field), e.reason)));
            continue;
        }
        let token = crate::credentials::new_token()?;
        let invitation = slivers_store::NewAccountToken {
            user: slivers_core::ids::UserId(0),
            purpose: slivers_store::TokenPurpose::ClaimAccount,
            token_hash: crate::credentials::token_hash(&token),
            new_email: None,
            expires_at: ex.now() + crate::lifecycle::lifetime(slivers_store::TokenPurpose::ClaimAccount),
            data: serde_json::json!({ "token": token, "business": b.name }),
        };
        imported.push(slivers_store::ImportedWorker { worker, email, invitation });
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let mut report = ImportReport { dry_run, rows: rows.len(), created: Vec::new() };
    if !dry_run {
        report.created = ex.store.import_workers(&imported, &who.actor, ex.now()).await?.into_iter().map(|w| w.0).collect();
        ex.refresh().await;
    }
    Ok(report)
}
