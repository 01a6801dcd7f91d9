//! Users and API tokens. Tokens are stored only as hashes.

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, UserId};

use super::rows::{self, USER_COLS};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::error::Conflict;
use crate::model::*;
use crate::{Result, StoreError};

pub(crate) fn unique_violation(e: sqlx::Error, field: &'static str, value: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(Conflict::Taken { field, value: value.to_string() })
        }
        _ => StoreError::Db(e),
    }
}

impl SqlStore {
    pub(crate) async fn create_user_impl(&self, u: NewUser) -> Result<UserId> {
        let mut tx = self.write().await?;
        let id = Self::insert_user(&mut tx, &u).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn insert_user(tx: &mut Tx, u: &NewUser) -> Result<UserId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, password_hash, role, worker_id, business_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(u.email.to_lowercase())
        .bind(&u.password_hash)
        .bind(u.role.as_str())
        .bind(u.worker_id.map(|w| w.0))
        .bind(u.business_id.map(|b| b.0))
        .bind(ts(u.now))
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| unique_violation(e, "email", &u.email))?;
        Ok(UserId(id))
    }

    pub(crate) async fn create_account_impl(&self, a: &NewAccount, now: Timestamp) -> Result<UserRecord> {
        // Every field is checked before the transaction begins.
        match &a.profile {
            AccountProfile::Worker(w) => w.validate()?,
            AccountProfile::Business { business, first_site, location } => {
                super::market::check_business(business)?;
                let site = NewSite { business_id: BusinessId(0), name: first_site.clone(), zone: business.zone.clone(), location: *location };
                super::market::check_site(&site)?;
            }
        }
        let system = Actor::system();
        let mut tx = self.write().await?;
        let (role, worker_id, business_id) = match &a.profile {
            AccountProfile::Worker(w) => (Role::Worker, Some(self.insert_worker(&mut tx, w, &system, now).await?), None),
            AccountProfile::Business { business, first_site, location } => {
                let b = self.insert_business(&mut tx, business, &system, now).await?;
                let site = NewSite { business_id: b, name: first_site.clone(), zone: business.zone.clone(), location: *location };
                self.insert_site(&mut tx, &site, &system, now).await?;
                (Role::Business, None, Some(b))
            }
        };
        let user = NewUser { email: a.email.clone(), password_hash: a.password_hash.clone(), role, worker_id, business_id, now };
        let id = Self::insert_user(&mut tx, &user).await?;
        tx.commit().await?;
        Ok(UserRecord { id, email: a.email.to_lowercase(), password_hash: String::new(), role, worker_id, business_id })
    }

    pub(crate) async fn user_by_email_impl(&self, email: &str) -> Result<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(email.to_lowercase()).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::user).transpose()
    }

    pub(crate) async fn create_token_impl(&self, user: UserId, hash: &str, label: &str, now: Timestamp) -> Result<TokenRecord> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(hash)
        .bind(label)
        .bind(ts(now))
        .fetch_one(&self.pool)
        .await?;
        Ok(TokenRecord { id, label: label.to_string(), created_at: now, revoked_at: None })
    }

    pub(crate) async fn user_by_token_impl(&self, hash: &str) -> Result<Option<(UserRecord, i64)>> {
        let sql = format!(
            "SELECT {USER_COLS}, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash).fetch_optional(&self.pool).await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((rows::user(&r)?, get(&r, "token_id")?))),
        }
    }

    pub(crate) async fn list_tokens_impl(&self, user: UserId) -> Result<Vec<TokenRecord>> {
        let rows = sqlx::query("SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenRecord {
                    id: get(r, "id")?,
                    label: get(r, "label")?,
                    created_at: from_ts(get(r, "created_at")?)?,
                    revoked_at: get::<Option<i64>>(r, "revoked_at")?.map(from_ts).transpose()?,
                })
            })
            .collect()
    }

    pub(crate) async fn revoke_token_impl(&self, user: UserId, token_id: i64, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(ts(now))
        .bind(token_id)
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
