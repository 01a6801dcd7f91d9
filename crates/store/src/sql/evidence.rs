//! Evidence the exchange writes from its own records, in the same transaction
//! as the record itself: approved timesheets become verified minutes, and a
//! business's rating becomes rating evidence, for each skill the shift
//! required. So an approval or a rating is never without its evidence.

use jiff::Timestamp;
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode};
use sqlx::Row;

use super::events::{append, Draft};
use super::{SqlStore, Tx};
use crate::model::{Actor, Booking};
use crate::{Result, StoreError};

impl SqlStore {
    /// Add `record` (about `booking`) to the worker's claims on the shift's
    /// skills; a skill not yet claimed is claimed at the level the shift
    /// required. A rating replaces the earlier rating of the same booking, so
    /// an edited rating counts once. One `worker.evidence` event, so tailers
    /// reload the profile.
    pub(crate) async fn add_evidence_in_tx(&self, tx: &mut Tx, b: &Booking, record: Evidence, now: Timestamp, actor: &Actor) -> Result<()> {
        let shift = Self::shift_in_tx(tx, b.shift_id).await?;
        if shift.skills.is_empty() {
            return Ok(());
        }
        for req in &shift.skills {
            let row = sqlx::query("SELECT claimed, evidence_json FROM worker_skills WHERE worker_id = $1 AND skill = $2")
                .bind(b.worker_id.0)
                .bind(req.skill.as_str())
                .fetch_optional(&mut **tx)
                .await?;
            let corrupt = |e: String| StoreError::Corrupt(format!("worker_skills of worker {}: {e}", b.worker_id));
            let mut claim = match &row {
                Some(r) => {
                    let claimed: i64 = r.try_get("claimed")?;
                    let evidence: String = r.try_get("evidence_json")?;
                    SkillClaim {
                        skill: req.skill.clone(),
                        claimed: Level::new(u8::try_from(claimed).unwrap_or(0)).map_err(|e| corrupt(e.to_string()))?,
                        evidence: serde_json::from_str(&evidence).map_err(|e| corrupt(e.to_string()))?,
                    }
                }
                None => SkillClaim { skill: SkillCode::clone(&req.skill), claimed: req.level, evidence: Vec::new() },
            };
            if let Evidence::Rating { booking: Some(id), .. } = record {
                claim.evidence.retain(|e| !matches!(e, Evidence::Rating { booking: Some(old), .. } if *old == id));
            }
            claim.evidence.push(record.clone());
            let evidence = serde_json::to_string(&claim.evidence).map_err(|e| corrupt(e.to_string()))?;
            let effective = i64::from(claim.effective_level().get());
            let sql = if row.is_some() {
                "UPDATE worker_skills SET evidence_json = $1, effective = $2 WHERE worker_id = $3 AND skill = $4"
            } else {
                "INSERT INTO worker_skills (evidence_json, effective, worker_id, skill, claimed) VALUES ($1, $2, $3, $4, $5)"
            };
            let mut q = sqlx::query(sql).bind(evidence).bind(effective).bind(b.worker_id.0).bind(req.skill.as_str());
            if row.is_none() {
                q = q.bind(i64::from(claim.claimed.get()));
            }
            q.execute(&mut **tx).await?;
        }
        let mut d = Draft::new("worker.evidence", now, actor);
        d.worker = Some(b.worker_id);
        d.business = Some(b.business_id);
        d.booking = Some(b.id);
        d.data = serde_json::json!({ "evidence": record, "skills": shift.skills.iter().map(|r| r.skill.as_str()).collect::<Vec<_>>() });
        append(tx, d, self.backend).await?;
        Ok(())
    }
}
