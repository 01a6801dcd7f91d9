//! A business's webhook endpoints: created, listed, changed and their
//! secret rotated, always within the caller's scope.

use jiff::{SignedDuration, Timestamp};
use slivers_core::ids::BusinessId;
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{bind_all, Where};
use super::{from_ts, get, ts, SqlStore};
use crate::contact::{EndpointChange, WebhookEndpoint};
use crate::model::Scope;
use crate::{Result, StoreError};

const COLS: &str = "id, business_id, url, secret, previous_secret, previous_until, event_types, enabled, disabled_reason, \
     consecutive_failures, created_at";

/// How long the secret before a rotation keeps signing, so receivers can
/// switch over without dropping deliveries.
pub const ROTATION_OVERLAP: SignedDuration = SignedDuration::from_hours(24);

fn endpoint(row: &AnyRow) -> Result<WebhookEndpoint> {
    let previous: Option<String> = get(row, "previous_secret")?;
    let until: Option<i64> = get(row, "previous_until")?;
    Ok(WebhookEndpoint {
        id: get(row, "id")?,
        business_id: BusinessId(get(row, "business_id")?),
        url: get(row, "url")?,
        event_types: get(row, "event_types")?,
        enabled: get::<i64>(row, "enabled")? == 1,
        disabled_reason: get(row, "disabled_reason")?,
        consecutive_failures: get(row, "consecutive_failures")?,
        created_at: from_ts(get(row, "created_at")?)?,
        secret: get(row, "secret")?,
        previous_secret: match (previous, until) {
            (Some(s), Some(u)) => Some((s, from_ts(u)?)),
            _ => None,
        },
    })
}

impl SqlStore {
    pub(crate) async fn create_endpoint_impl(&self, business: BusinessId, url: &str, types: &str, secret: &str, now: Timestamp) -> Result<WebhookEndpoint> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (business_id, url, secret, event_types, enabled, created_at) \
             VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
        )
        .bind(business.0)
        .bind(url)
        .bind(secret)
        .bind(types)
        .bind(ts(now))
        .fetch_one(&self.pool)
        .await?;
        self.get_endpoint_impl(id, &Scope::All).await
    }

    pub(crate) async fn get_endpoint_impl(&self, id: i64, scope: &Scope) -> Result<WebhookEndpoint> {
        let mut w = Where::default();
        w.eq("id", id).scope(scope, Some("business_id"), None);
        let sql = format!("SELECT {COLS} FROM webhook_endpoints{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(endpoint).transpose()?.ok_or(StoreError::NotFound("webhook endpoint"))
    }

    pub(crate) async fn list_endpoints_impl(&self, business: BusinessId, scope: &Scope) -> Result<Vec<WebhookEndpoint>> {
        let mut w = Where::default();
        w.eq("business_id", business.0).scope(scope, Some("business_id"), None);
        let sql = format!("SELECT {COLS} FROM webhook_endpoints{} ORDER BY id", w.sql());
        let rows = bind_all(sql, &w.args).fetch_all(&self.pool).await?;
        rows.iter().map(endpoint).collect()
    }

    pub(crate) async fn change_endpoint_impl(&self, id: i64, change: &EndpointChange, scope: &Scope) -> Result<WebhookEndpoint> {
        let mut tx = self.write().await?;
        let mut w = Where::default();
        w.eq("id", id).scope(scope, Some("business_id"), None);
        let found = bind_all(format!("SELECT id FROM webhook_endpoints{}", w.sql()), &w.args).fetch_optional(&mut *tx).await?;
        if found.is_none() {
            return Err(StoreError::NotFound("webhook endpoint"));
        }
        if let Some(url) = &change.url {
            sqlx::query("UPDATE webhook_endpoints SET url = $1 WHERE id = $2").bind(url).bind(id).execute(&mut *tx).await?;
        }
        if let Some(types) = &change.event_types {
            sqlx::query("UPDATE webhook_endpoints SET event_types = $1 WHERE id = $2").bind(types).bind(id).execute(&mut *tx).await?;
        }
        match change.enabled {
            Some(true) => {
                sqlx::query("UPDATE webhook_endpoints SET enabled = 1, disabled_reason = NULL, consecutive_failures = 0 WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(false) => {
                sqlx::query("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'disabled by the business' WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {}
        }
        tx.commit().await?;
        self.get_endpoint_impl(id, scope).await
    }

    /// A new secret; the old one keeps signing for [`ROTATION_OVERLAP`].
    pub(crate) async fn rotate_endpoint_secret_impl(&self, id: i64, secret: &str, now: Timestamp, scope: &Scope) -> Result<WebhookEndpoint> {
        let mut w = Where::default();
        w.eq("id", id).scope(scope, Some("business_id"), None);
        let n = w.next_param();
        let sql = format!(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_until = ${n}, secret = ${}{}",
            n + 1,
            w.sql()
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for a in &w.args {
            q = q.bind(*a);
        }
        let until = now.checked_add(ROTATION_OVERLAP).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = q.bind(ts(until)).bind(secret).execute(&self.pool).await?.rows_affected();
        if done == 0 {
            return Err(StoreError::NotFound("webhook endpoint"));
        }
        self.get_endpoint_impl(id, scope).await
    }
}
