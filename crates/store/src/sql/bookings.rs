//! Booking writes: the rules are re-checked inside the write transaction,
//! with the shift and the worker locked, so concurrent requests cannot both
//! pass a check that only one of them may pass.

use jiff::{Span, Timestamp};
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::business::Shift;
use slivers_core::ids::{BookingId, ShiftId, WorkerId};
use slivers_core::interval::minutes_between;
use slivers_core::rules::{check, Mode, Proposal};
use slivers_core::{Interval, Invalid};
use sqlx::AssertSqlSafe;

use super::timesheets::Attendance;
use super::events::{append, bind_all, Draft, Where};
use super::rows::{self, BOOKING_COLS, BOOKING_FROM, SHIFT_COLS, SHIFT_FROM};
use super::{from_ts, get, ts, Backend, SqlStore, Tx};
use crate::error::Conflict;
use crate::model::*;
use crate::{Page, Result, StoreError};

/// Statuses that hold a worker's time, as SQL.
pub(crate) const HOLDING: &str = "('confirmed', 'checked_in', 'completed')";
/// Statuses that block a second booking of the same worker on the same shift.
const LIVE: &str = "('offered', 'confirmed', 'checked_in', 'completed')";
/// Bookings further than this from a shift cannot affect its rules: the
/// labour rules read a calendar month either side (weekends in a month),
/// which covers the weekly cap plus a week of rest too.
const RULE_REACH_DAYS: i64 = slivers_core::labour::REACH_DAYS;
/// Default lifetime of an offer when the business does not say.
const DEFAULT_OFFER_HOURS: i64 = 24;

fn event_kind(s: BookingStatus) -> &'static str {
    match s {
        BookingStatus::Offered => "booking.offered",
        BookingStatus::Declined => "booking.declined",
        BookingStatus::Expired => "booking.expired",
        BookingStatus::Withdrawn => "booking.withdrawn",
        BookingStatus::Confirmed => "booking.confirmed",
        BookingStatus::CheckedIn => "booking.checked_in",
        BookingStatus::Completed => "booking.completed",
        BookingStatus::NoShow => "booking.no_show",
        BookingStatus::CancelledByWorker => "booking.cancelled_by_worker",
        BookingStatus::CancelledByBusiness => "booking.cancelled_by_business",
    }
}

/// The database's own last line: PostgreSQL's exclusion constraint.
fn overlap_violation(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("23P01") => StoreError::Conflict(Conflict::Overlap),
        _ => StoreError::Db(e),
    }
}

impl SqlStore {
    /// Take the row lock on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serializes writers.
    pub(crate) async fn lock(&self, tx: &mut Tx, table: &'static str, id: i64) -> Result<bool> {
        if self.backend == Backend::Sqlite {
            return Ok(true);
        }
        let sql = format!("SELECT id FROM {table} WHERE id = $1{}", self.for_update());
        Ok(sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?.is_some())
    }

    pub(crate) async fn shift_in_tx(tx: &mut Tx, id: ShiftId) -> Result<Shift> {
        let sql = format!("SELECT {SHIFT_COLS} FROM {SHIFT_FROM} WHERE s.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut **tx).await?;
        row.as_ref().map(rows::shift).transpose()?.ok_or(StoreError::NotFound("shift"))
    }

    pub(crate) async fn booking_in_tx(tx: &mut Tx, id: i64) -> Result<Booking> {
        let sql = format!("SELECT {BOOKING_COLS} FROM {BOOKING_FROM} WHERE b.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        row.as_ref().map(rows::booking).transpose()?.ok_or(StoreError::NotFound("booking"))
    }

    /// Check every rule for `worker` on `shift` against the database as it is
    /// inside this transaction. `exclude` is the booking being decided.
    async fn enforce(&self, tx: &mut Tx, shift: &Shift, worker: WorkerId, mode: Mode, now: Timestamp, exclude: Option<i64>) -> Result<()> {
        if !self.lock(tx, "workers", worker.0).await? {
            return Err(StoreError::NotFound("worker"));
        }
        let w = Self::load_workers(tx, Some(&[worker.0]), Page::all()).await?.pop().ok_or(StoreError::NotFound("worker"))?;

        let live: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM bookings WHERE shift_id = $1 AND worker_id = $2 AND status IN {LIVE} AND id <> $3"
        )))
        .bind(shift.id.0)
        .bind(worker.0)
        .bind(exclude.unwrap_or(-1))
        .fetch_one(&mut **tx)
        .await?;
        if live > 0 {
            return Err(Conflict::AlreadyBooked.into());
        }

        if mode != Mode::Offer {
            let filled: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM bookings WHERE shift_id = $1 AND status IN {HOLDING}"
            )))
            .bind(shift.id.0)
            .fetch_one(&mut **tx)
            .await?;
            if filled >= i64::from(shift.headcount) {
                return Err(Conflict::Headcount { headcount: shift.headcount, confirmed: filled as u32 }.into());
            }
        }

        let reach = Span::new().hours(24 * RULE_REACH_DAYS);
        let lo = shift.window.start.checked_sub(reach).unwrap_or(shift.window.start);
        let hi = shift.window.end.checked_add(reach).unwrap_or(shift.window.end);
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT start_at, end_at FROM bookings WHERE worker_id = $1 AND status IN {HOLDING} \
             AND end_at > $2 AND start_at < $3 AND id <> $4"
        )))
        .bind(worker.0)
        .bind(ts(lo))
        .bind(ts(hi))
        .bind(exclude.unwrap_or(-1))
        .fetch_all(&mut **tx)
        .await?;
        let booked: Vec<Interval> = rows
            .iter()
            .map(|r| Ok(Interval::new(from_ts(get(r, "start_at")?)?, from_ts(get(r, "end_at")?)?)?))
            .collect::<Result<_>>()?;

        let mut proposal = Proposal::new(&w, &booked, shift, now, mode);
        proposal.onsite_with_business = Self::onsite_with_business(tx, shift, worker, exclude).await?;
        let verdict = check(&proposal);
        if verdict.allowed { Ok(()) } else { Err(Conflict::Rules(verdict).into()) }
    }

    pub(crate) async fn book_impl(&self, r: &BookRequest, actor: &Actor) -> Result<Booking> {
        let mut tx = self.write().await?;
        let booking = self.book_in_tx(&mut tx, r, actor).await?;
        tx.commit().await.map_err(overlap_violation)?;
        Ok(booking)
    }

    /// Book several in one transaction: all are written, or none. Each is
    /// checked against the database including the ones before it.
    pub(crate) async fn book_many_impl(&self, requests: &[BookRequest], actor: &Actor) -> Result<Vec<Booking>> {
        let mut tx = self.write().await?;
        let mut out = Vec::with_capacity(requests.len());
        for r in requests {
            out.push(self.book_in_tx(&mut tx, r, actor).await?);
        }
        tx.commit().await.map_err(overlap_violation)?;
        Ok(out)
    }

    async fn book_in_tx(&self, tx: &mut Tx, r: &BookRequest, actor: &Actor) -> Result<Booking> {
        let expires = match r.mode {
            BookMode::Instant => None,
            BookMode::Offer => {
                let e = r.offer_expires_at.unwrap_or(r.now + Span::new().hours(DEFAULT_OFFER_HOURS));
                if e <= r.now {
                    return Err(Invalid::one("offer_expires_at", "must be in the future").into());
                }
                Some(e)
            }
        };
        // Lock order everywhere: booking, then shift, then worker.
        if !self.lock(tx, "shifts", r.shift_id.0).await? {
            return Err(StoreError::NotFound("shift"));
        }
        let shift = Self::shift_in_tx(tx, r.shift_id).await?;
        match actor.scope {
            Scope::All => {}
            Scope::Business(b) if b == shift.business_id => {}
            Scope::Business(_) => return Err(StoreError::NotFound("shift")),
            Scope::Worker(_) => return Err(StoreError::Forbidden("workers accept offers; businesses book")),
        }
        let mode = match r.mode {
            BookMode::Instant => Mode::Instant,
            BookMode::Offer => Mode::Offer,
        };
        self.enforce(tx, &shift, r.worker_id, mode, r.now, None).await?;
        // An offer never outlives the shift's start.
        let expires = expires.map(|e| e.min(shift.window.start));
        let status = match r.mode {
            BookMode::Instant => BookingStatus::Confirmed,
            BookMode::Offer => BookingStatus::Offered,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bookings (shift_id, worker_id, business_id, status, mode, start_at, end_at, \
             offer_expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(shift.id.0)
        .bind(r.worker_id.0)
        .bind(shift.business_id.0)
        .bind(status.as_str())
        .bind(r.mode.as_str())
        .bind(ts(shift.window.start))
        .bind(ts(shift.window.end))
        .bind(expires.map(ts))
        .bind(ts(r.now))
        .fetch_one(&mut **tx)
        .await
        .map_err(overlap_violation)?;
        let mut d = Draft::new(event_kind(status), r.now, actor);
        d.business = Some(shift.business_id);
        d.worker = Some(r.worker_id);
        d.shift = Some(shift.id);
        d.booking = Some(BookingId(id));
        d.data = serde_json::json!({ "mode": r.mode.as_str(), "start": shift.window.start, "end": shift.window.end });
        append(tx, d, self.backend).await?;
        Self::booking_in_tx(tx, id).await
    }

    pub(crate) async fn transition_impl(&self, id: BookingId, action: BookingAction, actor: &Actor, now: Timestamp) -> Result<Booking> {
        self.transition_with(id, action, None, actor, now).await
    }

    /// A transition; check-in and check-out take their stated times (else now, no breaks).
    pub(crate) async fn transition_with(
        &self,
        id: BookingId,
        action: BookingAction,
        attendance: Option<Attendance>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Booking> {
        use BookingAction as A;
        let attendance = attendance.unwrap_or(Attendance { at: now, break_minutes: 0 });
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "bookings", id.0).await? {
            return Err(StoreError::NotFound("booking"));
        }
        let b = Self::booking_in_tx(&mut tx, id.0).await?;
        let (is_worker, is_business) = match actor.scope {
            Scope::All => (true, true),
            Scope::Worker(w) if w == b.worker_id => (true, false),
            Scope::Business(x) if x == b.business_id => (false, true),
            _ => return Err(StoreError::NotFound("booking")),
        };
        let allowed = match action {
            A::Accept | A::Decline | A::CancelByWorker => is_worker,
            A::Withdraw | A::CancelByBusiness | A::NoShow => is_business,
            // The worker checks in and out; the business may record it for them.
            A::CheckIn | A::Complete => true,
            A::Expire => actor.scope == Scope::All,
        };
        if !allowed {
            return Err(StoreError::Forbidden("this party may not take this action on the booking"));
        }
        let next = b.status.apply(action).map_err(Conflict::from)?;
        let mut notice = None;
        match action {
            A::Accept => {
                if let Some(e) = b.offer_expires_at.filter(|e| *e <= now) {
                    return Err(Conflict::OfferExpired(e).into());
                }
                self.lock(&mut tx, "shifts", b.shift_id.0).await?;
                let shift = Self::shift_in_tx(&mut tx, b.shift_id).await?;
                self.enforce(&mut tx, &shift, b.worker_id, Mode::Accept, now, Some(b.id.0)).await?;
            }
            A::CancelByWorker | A::CancelByBusiness => notice = Some(minutes_between(now, b.window.start)),
            A::NoShow if now < b.window.start => {
                return Err(Conflict::TooEarly { action: "no_show", from: b.window.start }.into());
            }
            A::CheckIn => {
                let from = b.window.start - Span::new().hours(2);
                if now < from || attendance.at < from {
                    return Err(Conflict::TooEarly { action: "check_in", from }.into());
                }
            }
            _ => {}
        }
        sqlx::query(
            "UPDATE bookings SET status = $1, updated_at = $2, cancel_notice_minutes = COALESCE($3, cancel_notice_minutes) \
             WHERE id = $4",
        )
        .bind(next.as_str())
        .bind(ts(now))
        .bind(notice)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(overlap_violation)?;
        let mut d = Draft::new(event_kind(next), now, actor);
        d.business = Some(b.business_id);
        d.worker = Some(b.worker_id);
        d.shift = Some(b.shift_id);
        d.booking = Some(b.id);
        d.data = serde_json::json!({ "from": b.status, "action": action, "notice_minutes": notice });
        append(&mut tx, d, self.backend).await?;
        let booking = Self::booking_in_tx(&mut tx, id.0).await?;
        self.attendance_in_tx(&mut tx, &booking, action, attendance, actor, now).await?;
        // Re-read: attendance may have marked the cancellation late.
        let booking = Self::booking_in_tx(&mut tx, id.0).await?;
        tx.commit().await.map_err(overlap_violation)?;
        Ok(booking)
    }

    fn booking_scope(w: &mut Where, scope: &Scope) {
        w.scope(scope, Some("b.business_id"), Some("b.worker_id"));
    }

    pub(crate) async fn get_booking_impl(&self, id: BookingId, scope: &Scope) -> Result<Booking> {
        let mut w = Where::default();
        w.eq("b.id", id.0);
        Self::booking_scope(&mut w, scope);
        let sql = format!("SELECT {BOOKING_COLS} FROM {BOOKING_FROM}{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::booking).transpose()?.ok_or(StoreError::NotFound("booking"))
    }

    pub(crate) async fn list_bookings_impl(&self, f: &BookingFilter, scope: &Scope, page: Page) -> Result<Vec<Booking>> {
        let mut w = Where::default();
        Self::booking_scope(&mut w, scope);
        if let Some(x) = f.worker {
            w.eq("b.worker_id", x.0);
        }
        if let Some(x) = f.shift {
            w.eq("b.shift_id", x.0);
        }
        let status_clause = f.status.map(|s| format!(" AND b.status = '{}'", s.as_str())).unwrap_or_default();
        let n = w.next_param();
        let mut sql = format!("SELECT {BOOKING_COLS} FROM {BOOKING_FROM}{}", w.sql());
        if !status_clause.is_empty() {
            sql.push_str(if w.args.is_empty() { " WHERE 1 = 1" } else { "" });
            sql.push_str(&status_clause);
        }
        sql.push_str(&format!(" ORDER BY b.start_at, b.id LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(rows::booking).collect()
    }

    pub(crate) async fn holding_bookings_impl(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>> {
        let sql = format!(
            "SELECT {BOOKING_COLS} FROM {BOOKING_FROM} WHERE b.status IN {HOLDING} AND b.end_at > $1 AND b.start_at < $2 \
             ORDER BY b.worker_id, b.start_at"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ts(from)).bind(ts(to)).fetch_all(&self.pool).await?;
        rows.iter().map(rows::booking).collect()
    }

    pub(crate) async fn track_records_impl(&self) -> Result<Vec<TrackRecord>> {
        let rows = sqlx::query(
            "SELECT worker_id, \
             SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed, \
             SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END) AS no_shows, \
             SUM(CASE WHEN status = 'cancelled_by_worker' THEN 1 ELSE 0 END) AS cancelled, \
             SUM(CASE WHEN status = 'cancelled_by_worker' AND cancelled_late = 1 THEN 1 ELSE 0 END) AS late \
             FROM bookings WHERE status IN ('completed', 'no_show', 'cancelled_by_worker') GROUP BY worker_id ORDER BY worker_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TrackRecord {
                    worker_id: WorkerId(get(r, "worker_id")?),
                    completed: get(r, "completed")?,
                    no_shows: get(r, "no_shows")?,
                    cancelled_by_worker: get(r, "cancelled")?,
                    late_cancellations: get(r, "late")?,
                })
            })
            .collect()
    }
}
