//! Writing a generated market into a store through the same [`Store`] calls
//! the API uses, so the demo data passes every validation a client's would.

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, ShiftId, WorkerId};
use slivers_store::{Actor, NewBusiness, NewShift, NewSite, Store, StoreError};

use crate::Market;

/// What was written, with the ids the store assigned, in market order.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub businesses: Vec<BusinessId>,
    pub workers: Vec<WorkerId>,
    pub shifts: Vec<ShiftId>,
    /// Assessment grades the market's history holds, for the caller to record
    /// through the exchange's own path (evidence is never written directly).
    pub grades: Vec<(WorkerId, slivers_core::skills::SkillCode, slivers_core::skills::Level)>,
}

/// Called after each item, with items done and the total.
pub type Progress<'a> = &'a mut (dyn FnMut(u64, u64) + Send);

/// Load `market` into `store` at `now` (shifts must start after `now`).
pub async fn load(store: &dyn Store, market: &Market, now: Timestamp, progress: Progress<'_>) -> Result<Loaded, StoreError> {
    let sys = Actor::system();
    let skills: Vec<(String, String)> = market.skills.iter().map(|s| (s.code.as_str().to_string(), s.name.clone())).collect();
    store.upsert_skills(&skills).await?;
    let total = (market.workers.len() + market.businesses.len() + market.shift_count()) as u64;
    let mut done = 0u64;
    let mut out = Loaded::default();
    for w in &market.workers {
        // Workers declare; the exchange writes assessments, verified minutes
        // and ratings. Only the declared part is loaded here.
        let mut declared = w.worker.clone();
        for c in &mut declared.skills {
            c.evidence.retain(|e| !e.exchange_only());
        }
        let id = store.create_worker(&declared, &sys, now).await?;
        for c in &w.worker.skills {
            for e in &c.evidence {
                if let slivers_core::skills::Evidence::Assessment { level, .. } = e {
                    out.grades.push((id, c.skill.clone(), *level));
                }
            }
        }
        out.workers.push(id);
        done += 1;
        progress(done, total);
    }
    for b in &market.businesses {
        let id = store
            .create_business(&NewBusiness { name: b.name.clone(), zone: b.zone.clone(), currency: b.currency }, &sys, now)
            .await?;
        out.businesses.push(id);
        let mut site_ids = Vec::with_capacity(b.sites.len());
        for s in &b.sites {
            let site = NewSite { business_id: id, name: s.name.clone(), zone: s.zone.clone(), location: s.location };
            site_ids.push(store.create_site(&site, &sys, now).await?.id);
        }
        done += 1;
        progress(done, total);
        for s in &b.shifts {
            let shift = NewShift {
                business_id: id,
                site_id: s.site.map(|i| site_ids[i]),
                window: s.window,
                skills: s.skills.clone(),
                headcount: s.headcount,
                pay_rate: s.pay_rate,
                bill_rate: s.bill_rate,
                notes: s.notes.clone(),
            };
            out.shifts.push(store.create_shift(&shift, &sys, now).await?.id);
            done += 1;
            progress(done, total);
        }
    }
    Ok(out)
}
