//! Portable reputation: the exchange's signing key and the register of issued
//! credentials (migration 0009). The store holds bytes and rows only; the
//! cryptography lives in `exchange::reputation`.

use jiff::Timestamp;
use slivers_core::ids::WorkerId;

use super::{from_ts, get, ts, SqlStore};
use crate::model::IssuedCredential;
use crate::{Result, StoreError};

impl SqlStore {
    pub(crate) async fn issuer_key_impl(&self, candidate: &str, now: Timestamp) -> Result<String> {
        // The first caller's candidate wins; two servers starting at once agree
        // because the row's key is fixed (id = 1) and the insert is a no-op after.
        sqlx::query("INSERT INTO issuer_keys (id, secret_key, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(candidate)
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        let key: String = sqlx::query_scalar("SELECT secret_key FROM issuer_keys WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(key)
    }

    pub(crate) async fn record_credential_impl(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<i64> {
        let mut tx = self.write().await?;
        // The key row doubles as the lock that keeps two issues from taking one index.
        let lock = format!("SELECT id FROM issuer_keys WHERE id = 1{}", self.for_update());
        sqlx::query(sqlx::AssertSqlSafe(lock)).fetch_optional(&mut *tx).await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(status_index) + 1, 0) FROM issued_credentials").fetch_one(&mut *tx).await?;
        sqlx::query("INSERT INTO issued_credentials (id, worker_id, status_index, issued_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(worker.0)
            .bind(next)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(next)
    }

    pub(crate) async fn revoke_credential_impl(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<IssuedCredential> {
        // Revoking twice keeps the first time; another worker's id is simply not found.
        let done = sqlx::query("UPDATE issued_credentials SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND worker_id = $3")
            .bind(ts(now))
            .bind(id)
            .bind(worker.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("credential"));
        }
        let all = self.issued_credentials_impl(Some(worker)).await?;
        all.into_iter().find(|c| c.id == id).ok_or(StoreError::NotFound("credential"))
    }

    pub(crate) async fn issued_credentials_impl(&self, worker: Option<WorkerId>) -> Result<Vec<IssuedCredential>> {
        let rows = match worker {
            Some(w) => {
                sqlx::query("SELECT id, worker_id, status_index, issued_at, revoked_at FROM issued_credentials WHERE worker_id = $1 ORDER BY status_index")
                    .bind(w.0)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT id, worker_id, status_index, issued_at, revoked_at FROM issued_credentials ORDER BY status_index")
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                let revoked: Option<i64> = get(r, "revoked_at")?;
                Ok(IssuedCredential {
                    id: get(r, "id")?,
                    worker_id: WorkerId(get(r, "worker_id")?),
                    status_index: get(r, "status_index")?,
                    issued_at: from_ts(get(r, "issued_at")?)?,
                    revoked_at: revoked.map(from_ts).transpose()?,
                })
            })
            .collect()
    }
}
