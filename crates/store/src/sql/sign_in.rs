//! Failed sign-ins, kept in the database so that every server process on it
//! counts the same attempts (the portal's sign-in and the API's token
//! endpoint share one limiter). Keys are opaque hashes chosen by the caller.

use jiff::Timestamp;

use super::{ts, SqlStore};
use crate::Result;

impl SqlStore {
    pub(crate) async fn record_sign_in_failure_impl(&self, key_hash: &str, now: Timestamp, forget_before: Timestamp) -> Result<()> {
        let mut tx = self.write().await?;
        // Forget attempts older than any window on the way, so the table stays small.
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(ts(forget_before)).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sign_in_failures (key_hash, at) VALUES ($1, $2)").bind(key_hash).bind(ts(now)).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn sign_in_failures_impl(&self, key_hash: &str, since: Timestamp) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE key_hash = $1 AND at >= $2")
            .bind(key_hash)
            .bind(ts(since))
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub(crate) async fn clear_sign_in_failures_impl(&self, key_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key_hash = $1").bind(key_hash).execute(&self.pool).await?;
        Ok(())
    }
}
