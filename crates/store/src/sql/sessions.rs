//! Web portal sessions, stored by the SHA-256 hash of their random token so a
//! database leak yields no usable cookie. A session ends at its absolute
//! expiry; the idle limit is the caller's, judged on `last_seen_at`.

use jiff::Timestamp;
use slivers_core::ids::UserId;

use super::rows::{self, USER_COLS};
use super::{from_ts, get, ts, SqlStore};
use crate::model::*;
use crate::Result;

impl SqlStore {
    pub(crate) async fn create_session_impl(&self, hash: &str, user: UserId, csrf: &str, now: Timestamp, expires_at: Timestamp) -> Result<()> {
        // Sweep this user's expired sessions on the way, so the table cannot grow without bound.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2").bind(user.0).bind(ts(now)).execute(&self.pool).await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(hash)
            .bind(user.0)
            .bind(csrf)
            .bind(ts(now))
            .bind(ts(expires_at))
            .bind(ts(now))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(crate) async fn session_by_token_impl(&self, hash: &str, now: Timestamp) -> Result<Option<SessionRecord>> {
        let sql = format!(
            "SELECT {USER_COLS}, s.csrf AS csrf, s.expires_at AS expires_at, s.last_seen_at AS last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash).bind(ts(now)).fetch_optional(&self.pool).await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(SessionRecord {
                user: rows::user(&r)?,
                csrf: get(&r, "csrf")?,
                expires_at: from_ts(get(&r, "expires_at")?)?,
                last_seen_at: from_ts(get(&r, "last_seen_at")?)?,
            })),
        }
    }

    pub(crate) async fn touch_session_impl(&self, hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1").bind(ts(now)).bind(hash).execute(&self.pool).await?;
        Ok(())
    }

    pub(crate) async fn delete_session_impl(&self, hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash).execute(&self.pool).await?;
        Ok(())
    }
}
