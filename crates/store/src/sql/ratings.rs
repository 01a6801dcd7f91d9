//! Ratings both ways: one per side per completed booking, editable for
//! [`RATING_EDIT_DAYS`]. A business's rating of a worker is also skill
//! evidence, written in the same transaction.

use jiff::{Span, Timestamp};
use rust_decimal::Decimal;
use slivers_core::booking::BookingStatus;
use slivers_core::ids::{BookingId, BusinessId, WorkerId};
use slivers_core::skills::Evidence;
use slivers_core::validation::Collector;
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{append, bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore};
use crate::error::Conflict;
use crate::model::*;
use crate::records::*;
use crate::{Result, StoreError};

const COLS: &str = "id, booking_id, by_side, worker_id, business_id, stars, comment, created_at, updated_at";

fn rating(row: &AnyRow) -> Result<Rating> {
    let by: String = get(row, "by_side")?;
    let stars: i64 = get(row, "stars")?;
    Ok(Rating {
        id: get(row, "id")?,
        booking_id: BookingId(get(row, "booking_id")?),
        by: RatingSide::parse(&by).ok_or_else(|| StoreError::Corrupt(format!("ratings.by_side: {by}")))?,
        worker_id: WorkerId(get(row, "worker_id")?),
        business_id: BusinessId(get(row, "business_id")?),
        stars: u8::try_from(stars).map_err(|e| StoreError::Corrupt(format!("ratings.stars: {e}")))?,
        comment: get(row, "comment")?,
        created_at: from_ts(get(row, "created_at")?)?,
        updated_at: from_ts(get(row, "updated_at")?)?,
    })
}

fn refused(reason: impl Into<String>) -> StoreError {
    Conflict::Refused { rule: "rating", reason: reason.into() }.into()
}

impl SqlStore {
    pub(crate) async fn rate_booking_impl(
        &self,
        id: BookingId,
        stars: u8,
        comment: &str,
        edit: bool,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Rating> {
        let mut c = Collector::new();
        c.check((1..=5).contains(&stars), "stars", "must be 1 to 5");
        c.check(comment.chars().count() <= 2000, "comment", "at most 2000 characters");
        c.finish()?;
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "bookings", id.0).await? {
            return Err(StoreError::NotFound("booking"));
        }
        let b = Self::booking_in_tx(&mut tx, id.0).await?;
        let side = match actor.scope {
            Scope::Worker(w) if w == b.worker_id => RatingSide::Worker,
            Scope::Business(x) if x == b.business_id => RatingSide::Business,
            Scope::All => return Err(StoreError::Forbidden("operators do not rate; each side rates the other")),
            _ => return Err(StoreError::NotFound("booking")),
        };
        if b.status != BookingStatus::Completed {
            return Err(refused(format!("only a completed booking can be rated; this one is {}", b.status)));
        }
        let sql = format!("SELECT {COLS} FROM ratings WHERE booking_id = $1 AND by_side = $2");
        let existing = sqlx::query(AssertSqlSafe(sql)).bind(id.0).bind(side.as_str()).fetch_optional(&mut *tx).await?;
        let existing = existing.as_ref().map(rating).transpose()?;
        match (&existing, edit) {
            (Some(_), false) => return Err(refused("this booking is already rated by this side; edit the rating instead")),
            (None, true) => return Err(StoreError::NotFound("rating")),
            (Some(r), true) if now > r.created_at + Span::new().hours(24 * RATING_EDIT_DAYS) => {
                return Err(refused(format!("a rating can be changed for {RATING_EDIT_DAYS} days after it was given")));
            }
            _ => {}
        }
        if existing.is_some() {
            sqlx::query("UPDATE ratings SET stars = $1, comment = $2, updated_at = $3 WHERE booking_id = $4 AND by_side = $5")
                .bind(i64::from(stars))
                .bind(comment)
                .bind(ts(now))
                .bind(id.0)
                .bind(side.as_str())
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO ratings (booking_id, by_side, worker_id, business_id, stars, comment, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(id.0)
            .bind(side.as_str())
            .bind(b.worker_id.0)
            .bind(b.business_id.0)
            .bind(i64::from(stars))
            .bind(comment)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        }
        let mut d = Draft::new(if edit { "rating.changed" } else { "rating.given" }, now, actor);
        d.business = Some(b.business_id);
        d.worker = Some(b.worker_id);
        d.shift = Some(b.shift_id);
        d.booking = Some(b.id);
        d.data = serde_json::json!({ "by": side, "stars": stars });
        append(&mut tx, d, self.backend).await?;
        if side == RatingSide::Business {
            self.add_evidence_in_tx(&mut tx, &b, Evidence::Rating { stars, booking: Some(id.0) }, now, actor).await?;
        }
        let sql = format!("SELECT {COLS} FROM ratings WHERE booking_id = $1 AND by_side = $2");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id.0).bind(side.as_str()).fetch_one(&mut *tx).await?;
        let out = rating(&row)?;
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn list_ratings_impl(&self, f: &RatingFilter, scope: &Scope, page: Page) -> Result<Vec<Rating>> {
        let mut w = Where::default();
        w.scope(scope, Some("business_id"), Some("worker_id"));
        if let Some(x) = f.worker {
            w.eq("worker_id", x.0);
        }
        if let Some(x) = f.business {
            w.eq("business_id", x.0);
        }
        let mut sql = format!("SELECT {COLS} FROM ratings{}", w.sql());
        if let Some(by) = f.by {
            sql.push_str(if w.args.is_empty() { " WHERE " } else { " AND " });
            sql.push_str(&format!("by_side = '{}'", by.as_str()));
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(rating).collect()
    }

    /// What one side has received: a worker's ratings from businesses, or a business's from workers.
    pub(crate) async fn rating_summary_impl(&self, subject: Owner) -> Result<RatingSummary> {
        let (col, id, by) = match subject {
            Owner::Worker(w) => ("worker_id", w.0, RatingSide::Business),
            Owner::Business(b) => ("business_id", b.0, RatingSide::Worker),
        };
        let sql = format!("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(stars), 0) AS BIGINT) AS total FROM ratings WHERE {col} = $1 AND by_side = $2");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).bind(by.as_str()).fetch_one(&self.pool).await?;
        let count: i64 = get(&row, "n")?;
        let total: i64 = get(&row, "total")?;
        let average = (count > 0).then(|| (Decimal::from(total) / Decimal::from(count)).round_dp(2));
        Ok(RatingSummary { count, average })
    }
}
