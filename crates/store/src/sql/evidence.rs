//! Evidence the exchange writes from its own records, in the same transaction
//! as the record itself: completed work becomes verified minutes for each
//! skill the shift required, so a completion is never without its minutes.

use jiff::Timestamp;
use slivers_core::skills::{Evidence, Level, SkillClaim, SkillCode};
use sqlx::Row;

use super::events::{append, Draft};
use super::{SqlStore, Tx};
use crate::model::{Actor, Booking};
use crate::{Result, StoreError};

impl SqlStore {
    /// Add the minutes of `booking` (just completed) to the worker's claims on
    /// the shift's skills; a skill not yet claimed is claimed at the level the
    /// shift required. One `worker.evidence` event, so tailers reload the profile.
    pub(crate) async fn verify_completed_in_tx(&self, tx: &mut Tx, b: &Booking, now: Timestamp, actor: &Actor) -> Result<()> {
        let shift = Self::shift_in_tx(tx, b.shift_id).await?;
        let minutes = u32::try_from(b.window.minutes()).unwrap_or(0);
        if shift.skills.is_empty() || minutes == 0 {
            return Ok(());
        }
        let record = Evidence::VerifiedMinutes { minutes };
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
        d.data = serde_json::json!({ "verified_minutes": minutes, "skills": shift.skills.iter().map(|r| r.skill.as_str()).collect::<Vec<_>>() });
        append(tx, d, self.backend).await?;
        Ok(())
    }
}
