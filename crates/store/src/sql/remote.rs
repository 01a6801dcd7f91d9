//! A business's rule that a worker's first shifts with it are on site before
//! remote work: the policy on the business row, the count the rule checker
//! needs inside a booking's transaction, and the on-site history the matching
//! index keeps so it asks the rule checker the same question.

use jiff::Timestamp;
use slivers_core::business::{Shift, MAX_ONSITE_BEFORE_REMOTE};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::Invalid;
use sqlx::AssertSqlSafe;

use super::events::{append, Draft};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::model::{Actor, Business, OnsiteShift};
use crate::Result;

/// Statuses that hold a worker's time, as SQL: confirmed, checked in and
/// completed shifts count towards the on-site shifts; offers do not.
use super::bookings::HOLDING;

/// On-site bookings: the booking's shift names a site.
const ONSITE_FROM: &str = "bookings b JOIN shifts s ON s.id = b.shift_id";

impl SqlStore {
    pub(crate) async fn set_remote_rule_impl(&self, id: BusinessId, onsite_before_remote: u32, actor: &Actor, now: Timestamp) -> Result<Business> {
        if onsite_before_remote > MAX_ONSITE_BEFORE_REMOTE {
            return Err(Invalid::one("onsite_before_remote", format!("must be 0 to {MAX_ONSITE_BEFORE_REMOTE}")).into());
        }
        // Scoped read first: another business's id is not found, not forbidden.
        self.get_business_impl(id, &actor.scope).await?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE businesses SET onsite_before_remote = $1 WHERE id = $2")
            .bind(i64::from(onsite_before_remote))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let mut d = Draft::new("business.settings_changed", now, actor);
        d.business = Some(id);
        d.data = serde_json::json!({ "onsite_before_remote": onsite_before_remote });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        self.get_business_impl(id, &actor.scope).await
    }

    /// The worker's bookings holding time on site with `shift`'s business
    /// that start before it, inside `tx`; read only for a remote shift whose
    /// business has the rule (otherwise the rule passes whatever the count).
    pub(crate) async fn onsite_with_business(tx: &mut Tx, shift: &Shift, worker: WorkerId, exclude: Option<i64>) -> Result<u32> {
        if !shift.is_remote() || shift.onsite_before_remote == 0 {
            return Ok(0);
        }
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {ONSITE_FROM} WHERE b.worker_id = $1 AND b.business_id = $2 AND b.status IN {HOLDING} \
             AND s.site_id IS NOT NULL AND b.start_at < $3 AND b.id <> $4"
        )))
        .bind(worker.0)
        .bind(shift.business_id.0)
        .bind(ts(shift.window.start))
        .bind(exclude.unwrap_or(-1))
        .fetch_one(&mut **tx)
        .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    pub(crate) async fn onsite_history_impl(&self, worker: Option<WorkerId>) -> Result<Vec<OnsiteShift>> {
        // Only businesses with the rule: the index needs nothing else, and a
        // worker's history with every business would be most of the table.
        let sql = format!(
            "SELECT b.worker_id, b.business_id, b.start_at FROM {ONSITE_FROM} JOIN businesses bz ON bz.id = b.business_id \
             WHERE b.status IN {HOLDING} AND s.site_id IS NOT NULL AND bz.onsite_before_remote > 0{} \
             ORDER BY b.worker_id, b.start_at, b.id",
            if worker.is_some() { " AND b.worker_id = $1" } else { "" }
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        if let Some(w) = worker {
            q = q.bind(w.0);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(OnsiteShift {
                    worker_id: WorkerId(get(r, "worker_id")?),
                    business_id: BusinessId(get(r, "business_id")?),
                    start: from_ts(get(r, "start_at")?)?,
                })
            })
            .collect()
    }
}
