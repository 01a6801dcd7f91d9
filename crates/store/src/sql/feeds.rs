//! Calendar feeds: secret URL tokens (stored as hashes) that show a worker's
//! bookings or a business's shifts to a calendar app, until revoked.

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, WorkerId};
use sqlx::any::AnyRow;

use super::{from_ts, get, ts, SqlStore};
use crate::records::*;
use crate::{Result, StoreError};

fn feed(row: &AnyRow) -> Result<CalendarFeed> {
    let owner = match (get::<Option<i64>>(row, "worker_id")?, get::<Option<i64>>(row, "business_id")?) {
        (Some(w), None) => Owner::Worker(WorkerId(w)),
        (None, Some(b)) => Owner::Business(BusinessId(b)),
        _ => return Err(StoreError::Corrupt("calendar_feeds: exactly one owner expected".into())),
    };
    Ok(CalendarFeed {
        id: get(row, "id")?,
        owner,
        created_at: from_ts(get(row, "created_at")?)?,
        revoked_at: get::<Option<i64>>(row, "revoked_at")?.map(from_ts).transpose()?,
    })
}

fn owner_ids(owner: Owner) -> (Option<i64>, Option<i64>) {
    match owner {
        Owner::Worker(w) => (Some(w.0), None),
        Owner::Business(b) => (None, Some(b.0)),
    }
}

fn owner_col(owner: Owner) -> (&'static str, i64) {
    match owner {
        Owner::Worker(w) => ("worker_id", w.0),
        Owner::Business(b) => ("business_id", b.0),
    }
}

const COLS: &str = "id, worker_id, business_id, created_at, revoked_at";

impl SqlStore {
    pub(crate) async fn create_calendar_feed_impl(&self, owner: Owner, token_hash: &str, now: Timestamp) -> Result<CalendarFeed> {
        let (w, b) = owner_ids(owner);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_hash, worker_id, business_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(token_hash)
        .bind(w)
        .bind(b)
        .bind(ts(now))
        .fetch_one(&self.pool)
        .await?;
        Ok(CalendarFeed { id, owner, created_at: now, revoked_at: None })
    }

    pub(crate) async fn revoke_calendar_feed_impl(&self, owner: Owner, id: i64, now: Timestamp) -> Result<bool> {
        let (col, owner_id) = owner_col(owner);
        let sql = format!("UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL AND {col} = $3");
        let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ts(now))
        .bind(id)
        .bind(owner_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub(crate) async fn list_calendar_feeds_impl(&self, owner: Owner) -> Result<Vec<CalendarFeed>> {
        let (col, id) = owner_col(owner);
        let sql = format!("SELECT {COLS} FROM calendar_feeds WHERE {col} = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&self.pool).await?;
        rows.iter().map(feed).collect()
    }

    /// The live feed with this token hash; a revoked one is as good as unknown.
    pub(crate) async fn calendar_feed_by_token_impl(&self, token_hash: &str) -> Result<Option<CalendarFeed>> {
        let sql = format!("SELECT {COLS} FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&self.pool).await?;
        row.as_ref().map(feed).transpose()
    }
}
