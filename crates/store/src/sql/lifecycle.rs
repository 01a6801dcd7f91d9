//! An account's life: single-use tokens (stored as hashes) for verifying an
//! email, resetting a password, changing the email and claiming an imported
//! account, each issued together with the email that carries it; email
//! preferences; and deletion, which erases personal data but keeps the
//! records the law requires (bookings, timesheets, invoices).

use jiff::Timestamp;
use slivers_core::ids::{UserId, WorkerId};
use slivers_core::worker::Worker;

use super::events::{append, Draft};
use super::outbox::{insert, NewItem};
use super::rows::{self, USER_COLS};
use super::{get, ts, SqlStore};
use crate::contact::*;
use crate::error::Conflict;
use crate::model::{Actor, NewUser, Role, UserRecord};
use crate::{Result, StoreError};

impl SqlStore {
    pub(crate) async fn get_user_impl(&self, id: UserId) -> Result<UserRecord> {
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::user).transpose()?.ok_or(StoreError::NotFound("user"))
    }

    /// When the user's email was verified, if it was.
    pub(crate) async fn email_verified_at_impl(&self, id: UserId) -> Result<Option<Timestamp>> {
        let at: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        at.map(super::from_ts).transpose()
    }

    /// Issue a token and write the email that carries it, in one
    /// transaction. Earlier unused tokens of the same purpose stop working.
    pub(crate) async fn issue_account_token_impl(&self, t: &NewAccountToken, now: Timestamp) -> Result<i64> {
        let mut tx = self.write().await?;
        let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(t.user.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        if let Some(new) = &t.new_email {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(new).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(Conflict::Taken { field: "email", value: new.clone() }));
            }
        }
        let id = write_token(&mut tx, t, &email, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Use a token up and do what it is for. An unknown, used or expired
    /// token is `NotFound("token")` and changes nothing.
    pub(crate) async fn redeem_account_token_impl(&self, hash: &str, purpose: TokenPurpose, redeem: &Redeem, now: Timestamp) -> Result<UserRecord> {
        let mut tx = self.write().await?;
        let sql = format!(
            "SELECT id, user_id, new_email FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3{}",
            self.for_update()
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash)
            .bind(purpose.as_str())
            .bind(ts(now))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("token"))?;
        let (id, user): (i64, i64) = (get(&row, "id")?, get(&row, "user_id")?);
        let new_email: Option<String> = get(&row, "new_email")?;
        sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE id = $2").bind(ts(now)).bind(id).execute(&mut *tx).await?;
        match redeem {
            Redeem::VerifyEmail => {
                sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2").bind(ts(now)).bind(user).execute(&mut *tx).await?;
            }
            Redeem::SetPassword(hash) => {
                // The email was received, so the address is verified too.
                sqlx::query("UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3")
                    .bind(hash)
                    .bind(ts(now))
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                end_sign_ins(&mut tx, user, now).await?;
            }
            Redeem::ChangeEmail => {
                let new = new_email.ok_or_else(|| StoreError::Corrupt("change_email token without an address".into()))?;
                sqlx::query("UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3")
                    .bind(&new)
                    .bind(ts(now))
                    .bind(user)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| super::accounts::unique_violation(e, "email", &new))?;
            }
        }
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).fetch_one(&mut *tx).await?;
        let record = rows::user(&row)?;
        tx.commit().await?;
        Ok(record)
    }

    /// Create imported workers with their logins (no password yet) and the
    /// invitation that lets each claim the account, all in one transaction:
    /// a taken email anywhere writes nothing.
    pub(crate) async fn import_workers_impl(&self, rows: &[ImportedWorker], actor: &Actor, now: Timestamp) -> Result<Vec<WorkerId>> {
        let mut tx = self.write().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let worker = self.insert_worker(&mut tx, &r.worker, actor, now).await?;
            let user = NewUser { email: r.email.clone(), password_hash: String::new(), role: Role::Worker, worker_id: Some(worker), business_id: None, now };
            let user = match Self::insert_user(&mut tx, &user).await {
                Ok(u) => u,
                Err(StoreError::Conflict(_)) => {
                    return Err(StoreError::Invalid(slivers_core::Invalid::one(format!("rows[{}].email", i + 1), "already has an account")));
                }
                Err(e) => return Err(e),
            };
            let token = NewAccountToken { user, ..r.invitation.clone() };
            write_token(&mut tx, &token, &r.email, now).await?;
            ids.push(worker);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub(crate) async fn email_preferences_impl(&self, user: UserId) -> Result<Vec<(String, bool)>> {
        let rows = sqlx::query("SELECT topic, enabled FROM email_preferences WHERE user_id = $1 ORDER BY topic")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((get(r, "topic")?, get::<i64>(r, "enabled")? == 1))).collect()
    }

    pub(crate) async fn set_email_preference_impl(&self, user: UserId, topic: &str, enabled: bool) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM email_preferences WHERE user_id = $1 AND topic = $2").bind(user.0).bind(topic).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO email_preferences (user_id, topic, enabled) VALUES ($1, $2, $3)")
            .bind(user.0)
            .bind(topic)
            .bind(i64::from(enabled))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's unsubscribe key, set to `candidate` the first time.
    pub(crate) async fn unsubscribe_key_impl(&self, user: UserId, candidate: &str) -> Result<String> {
        sqlx::query("UPDATE users SET unsubscribe_key = $1 WHERE id = $2 AND unsubscribe_key = ''")
            .bind(candidate)
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT unsubscribe_key FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("user"))
    }

    pub(crate) async fn user_by_unsubscribe_key_impl(&self, key: &str) -> Result<Option<UserRecord>> {
        if key.is_empty() {
            return Ok(None);
        }
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.unsubscribe_key = $1 AND u.deleted_at IS NULL");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::user).transpose()
    }

    /// Erase a login's personal data and, for a worker, replace the profile
    /// with `scrubbed` (no name, place, availability or skills). Bookings,
    /// timesheets, ratings' stars and documents stay as records.
    pub(crate) async fn delete_account_impl(&self, user: UserId, scrubbed: Option<&Worker>, actor: &Actor, now: Timestamp) -> Result<()> {
        let mut tx = self.write().await?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound("user"));
        }
        sqlx::query(
            "UPDATE users SET email = $1, password_hash = '', unsubscribe_key = '', email_verified_at = NULL, deleted_at = $2 WHERE id = $3",
        )
        .bind(format!("deleted-user-{}@deleted.invalid", user.0))
        .bind(ts(now))
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        end_sign_ins(&mut tx, user.0, now).await?;
        sqlx::query("DELETE FROM email_preferences WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
        sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL").bind(ts(now)).bind(user.0).execute(&mut *tx).await?;
        sqlx::query("UPDATE outbox SET status = 'failed', last_error = 'account deleted' WHERE user_id = $1 AND status = 'pending'")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE outbox SET recipient = 'deleted', data_json = '{}' WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
        // What the person wrote to the exchange, to businesses and on the
        // feedback board: the records stay (response times, counts), the words go.
        for sql in [
            "UPDATE inquiry_messages SET body = '[erased]' WHERE user_id = $1",
            "UPDATE booking_messages SET body = '[erased]' WHERE user_id = $1",
            "UPDATE feature_links SET body = '[erased]' WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user.0).execute(&mut *tx).await?;
        }
        if let Some(w) = scrubbed {
            sqlx::query("UPDATE inquiries SET subject = '[erased]' WHERE worker_id = $1").bind(w.id.0).execute(&mut *tx).await?;
            self.update_worker_in_tx(&mut tx, w, actor, now).await?;
            // The name the profile was created with: the one personal value the
            // event log holds. Redaction is the only change its triggers allow.
            sqlx::query("UPDATE events SET data_json = '{\"erased\":true}' WHERE worker_id = $1 AND kind = 'worker.created'")
                .bind(w.id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE ratings SET comment = '' WHERE worker_id = $1 AND by_side = 'worker'").bind(w.id.0).execute(&mut *tx).await?;
        }
        let mut d = Draft::new("account.deleted", now, actor);
        d.worker = scrubbed.map(|w| w.id);
        d.data = serde_json::json!({ "user_id": user.0 });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Write a token (ending earlier unused ones of its purpose) and the email
/// that carries it, inside `tx`.
async fn write_token(tx: &mut super::Tx, t: &NewAccountToken, email: &str, now: Timestamp) -> Result<i64> {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(ts(now))
        .bind(t.user.0)
        .bind(t.purpose.as_str())
        .execute(&mut **tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(t.user.0)
    .bind(t.purpose.as_str())
    .bind(&t.token_hash)
    .bind(t.new_email.clone())
    .bind(ts(now))
    .bind(ts(t.expires_at))
    .fetch_one(&mut **tx)
    .await?;
    let recipient = t.new_email.clone().unwrap_or_else(|| email.to_string());
    let mut data = t.data.clone();
    data["purpose"] = t.purpose.as_str().into();
    data["expires_at"] = t.expires_at.to_string().into();
    insert(tx, NewItem { channel: Channel::Email, topic: "account", event_seq: None, business: None, worker: None,
        user: Some(t.user.0), endpoint: None, recipient: &recipient, message_id: format!("<account-token-{id}@slivers.exchange>"),
        data: &data, now }).await?;
    Ok(id)
}

/// Every portal session and API token of the user ends.
async fn end_sign_ins(tx: &mut super::Tx, user: i64, now: Timestamp) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL").bind(ts(now)).bind(user).execute(&mut **tx).await?;
    Ok(())
}
