//! Timesheets in the store: opened at check-in, submitted at check-out,
//! reviewed by the business (or an operator), approved automatically when the
//! review window ends, and written for late cancellations the business pays.
//! Approval writes the verified minutes in the same transaction.

use std::str::FromStr;

use jiff::{Span, Timestamp};
use rust_decimal::Decimal;
use slivers_core::billing::{BillableKind, BillingPolicy};
use slivers_core::booking::BookingAction;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, WorkerId};
use slivers_core::skills::Evidence;
use slivers_core::timesheet::{self, Approval, Review, Side, Timesheet, TimesheetNote, TimesheetStatus};
use slivers_core::Interval;
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{append, bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::error::Conflict;
use crate::model::*;
use crate::records::*;
use crate::{Result, StoreError};

pub(crate) const COLS: &str = "id, booking_id, shift_id, worker_id, business_id, kind, status, approval, scheduled_start, \
    scheduled_end, check_in_at, check_out_at, break_minutes, late_minutes, review_until, approved_minutes, \
    share_percent, notes_json, invoice_id, paid_amount";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("timesheets.{what}: {e}"))
}

pub(crate) fn status_str(s: TimesheetStatus) -> &'static str {
    match s {
        TimesheetStatus::Open => "open",
        TimesheetStatus::Submitted => "submitted",
        TimesheetStatus::Disputed => "disputed",
        TimesheetStatus::Approved => "approved",
    }
}

fn approval_str(a: Approval) -> &'static str {
    match a {
        Approval::Confirmed => "confirmed",
        Approval::Corrected => "corrected",
        Approval::Automatic => "automatic",
        Approval::Operator => "operator",
        Approval::Policy => "policy",
    }
}

pub(crate) fn decimal(row: &AnyRow, col: &str) -> Result<Decimal> {
    let s: String = get(row, col)?;
    Decimal::from_str(&s).map_err(|e| corrupt(col, e))
}

fn opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    get::<Option<i64>>(row, col)?.map(from_ts).transpose()
}

pub(crate) fn timesheet(row: &AnyRow) -> Result<Timesheet> {
    let status = match get::<String>(row, "status")?.as_str() {
        "open" => TimesheetStatus::Open,
        "submitted" => TimesheetStatus::Submitted,
        "disputed" => TimesheetStatus::Disputed,
        "approved" => TimesheetStatus::Approved,
        other => return Err(corrupt("status", other)),
    };
    let approval = match get::<Option<String>>(row, "approval")?.as_deref() {
        None => None,
        Some("confirmed") => Some(Approval::Confirmed),
        Some("corrected") => Some(Approval::Corrected),
        Some("automatic") => Some(Approval::Automatic),
        Some("operator") => Some(Approval::Operator),
        Some("policy") => Some(Approval::Policy),
        Some(other) => return Err(corrupt("approval", other)),
    };
    let kind = match get::<String>(row, "kind")?.as_str() {
        "work" => BillableKind::Work,
        "late_cancellation" => BillableKind::LateCancellation,
        other => return Err(corrupt("kind", other)),
    };
    let notes: String = get(row, "notes_json")?;
    Ok(Timesheet {
        id: get(row, "id")?,
        booking_id: BookingId(get(row, "booking_id")?),
        shift_id: ShiftId(get(row, "shift_id")?),
        worker_id: WorkerId(get(row, "worker_id")?),
        business_id: BusinessId(get(row, "business_id")?),
        kind,
        status,
        approval,
        scheduled: Interval { start: from_ts(get(row, "scheduled_start")?)?, end: from_ts(get(row, "scheduled_end")?)? },
        check_in: opt_ts(row, "check_in_at")?,
        check_out: opt_ts(row, "check_out_at")?,
        break_minutes: get(row, "break_minutes")?,
        late_minutes: get(row, "late_minutes")?,
        review_until: opt_ts(row, "review_until")?,
        approved_minutes: get(row, "approved_minutes")?,
        share_percent: decimal(row, "share_percent")?,
        notes: serde_json::from_str(&notes).map_err(|e| corrupt("notes_json", e))?,
        invoice_id: get(row, "invoice_id")?,
        paid_amount: decimal(row, "paid_amount")?,
    })
}

fn side_of(actor: &Actor, t: &Timesheet) -> Result<Side> {
    match actor.scope {
        Scope::All => Ok(Side::Operator),
        Scope::Business(b) if b == t.business_id => Ok(Side::Business),
        Scope::Worker(w) if w == t.worker_id => Ok(Side::Worker),
        _ => Err(StoreError::NotFound("timesheet")),
    }
}

impl SqlStore {
    pub(crate) async fn timesheet_in_tx(tx: &mut Tx, where_sql: &str, id: i64) -> Result<Option<Timesheet>> {
        let sql = format!("SELECT {COLS} FROM timesheets WHERE {where_sql} = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        row.as_ref().map(timesheet).transpose()
    }

    /// The business's billing policy, read inside a transaction.
    pub(crate) async fn policy_in_tx(tx: &mut Tx, business: BusinessId) -> Result<BillingPolicy> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT billing_json FROM businesses WHERE id = $1").bind(business.0).fetch_optional(&mut **tx).await?;
        super::documents::parse_policy(json.as_deref().unwrap_or(""))
    }

    /// Called by the booking transition, in its transaction, after the booking row changed.
    pub(crate) async fn attendance_in_tx(
        &self,
        tx: &mut Tx,
        b: &Booking,
        action: BookingAction,
        attendance: Attendance,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        match action {
            BookingAction::CheckIn => {
                let at = attendance.at;
                let late = ((at.as_second() - b.window.start.as_second()) / 60).max(0);
                sqlx::query(
                    "INSERT INTO timesheets (booking_id, shift_id, worker_id, business_id, kind, status, scheduled_start, \
                     scheduled_end, check_in_at, late_minutes, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'work', 'open', $5, $6, $7, $8, $9, $9)",
                )
                .bind(b.id.0)
                .bind(b.shift_id.0)
                .bind(b.worker_id.0)
                .bind(b.business_id.0)
                .bind(ts(b.window.start))
                .bind(ts(b.window.end))
                .bind(ts(at))
                .bind(late)
                .bind(ts(now))
                .execute(&mut **tx)
                .await?;
                let t = Self::timesheet_in_tx(tx, "booking_id", b.id.0).await?.ok_or(StoreError::NotFound("timesheet"))?;
                self.timesheet_event(tx, "timesheet.checked_in", &t, actor, now, serde_json::json!({ "at": at, "late_minutes": late }))
                    .await
            }
            BookingAction::Complete => {
                let t = Self::timesheet_in_tx(tx, "booking_id", b.id.0).await?.ok_or(StoreError::NotFound("timesheet"))?;
                let check_in = t.check_in.ok_or_else(|| corrupt("check_in_at", "missing on an open timesheet"))?;
                timesheet::validate_check_out(check_in, attendance.at, attendance.break_minutes, now)?;
                let policy = Self::policy_in_tx(tx, b.business_id).await?;
                let until = now + Span::new().hours(i64::from(policy.review_hours));
                sqlx::query(
                    "UPDATE timesheets SET status = 'submitted', check_out_at = $1, break_minutes = $2, review_until = $3, \
                     updated_at = $4 WHERE id = $5",
                )
                .bind(ts(attendance.at))
                .bind(attendance.break_minutes)
                .bind(ts(until))
                .bind(ts(now))
                .bind(t.id)
                .execute(&mut **tx)
                .await?;
                let t = Self::timesheet_in_tx(tx, "id", t.id).await?.ok_or(StoreError::NotFound("timesheet"))?;
                let data = serde_json::json!({ "at": attendance.at, "break_minutes": attendance.break_minutes,
                    "worked_minutes": t.worked_minutes(), "review_until": until });
                self.timesheet_event(tx, "timesheet.submitted", &t, actor, now, data).await
            }
            BookingAction::CancelByBusiness | BookingAction::CancelByWorker => {
                let policy = Self::policy_in_tx(tx, b.business_id).await?;
                let notice = (b.window.start.as_second() - now.as_second()) / 60;
                if notice >= i64::from(policy.cancellation_notice_minutes) {
                    return Ok(());
                }
                sqlx::query("UPDATE bookings SET cancelled_late = 1 WHERE id = $1").bind(b.id.0).execute(&mut **tx).await?;
                if action == BookingAction::CancelByWorker || policy.late_cancellation_pay_percent.is_zero() {
                    return Ok(());
                }
                // The business cancelled late: its policy's share of the shift is owed to the worker.
                let minutes = b.window.minutes();
                sqlx::query(
                    "INSERT INTO timesheets (booking_id, shift_id, worker_id, business_id, kind, status, approval, \
                     scheduled_start, scheduled_end, approved_minutes, share_percent, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'late_cancellation', 'approved', 'policy', $5, $6, $7, $8, $9, $9)",
                )
                .bind(b.id.0)
                .bind(b.shift_id.0)
                .bind(b.worker_id.0)
                .bind(b.business_id.0)
                .bind(ts(b.window.start))
                .bind(ts(b.window.end))
                .bind(minutes)
                .bind(policy.late_cancellation_pay_percent.to_string())
                .bind(ts(now))
                .execute(&mut **tx)
                .await?;
                let t = Self::timesheet_in_tx(tx, "booking_id", b.id.0).await?.ok_or(StoreError::NotFound("timesheet"))?;
                let data = serde_json::json!({ "notice_minutes": notice, "policy_notice_minutes": policy.cancellation_notice_minutes,
                    "share_percent": policy.late_cancellation_pay_percent, "scheduled_minutes": minutes });
                self.timesheet_event(tx, "timesheet.late_cancellation", &t, actor, now, data).await
            }
            _ => Ok(()),
        }
    }

    async fn timesheet_event(&self, tx: &mut Tx, kind: &'static str, t: &Timesheet, actor: &Actor, now: Timestamp, mut data: serde_json::Value) -> Result<()> {
        data["timesheet_id"] = t.id.into();
        let mut d = Draft::new(kind, now, actor);
        d.business = Some(t.business_id);
        d.worker = Some(t.worker_id);
        d.shift = Some(t.shift_id);
        d.booking = Some(t.booking_id);
        d.data = data;
        append(tx, d, self.backend).await?;
        Ok(())
    }

    /// Write an outcome, and on approval the verified minutes, in `tx`.
    async fn settle_in_tx(&self, tx: &mut Tx, t: &Timesheet, o: &timesheet::Outcome, actor: &Actor, now: Timestamp) -> Result<Timesheet> {
        let mut notes = t.notes.clone();
        notes.extend(o.note.clone());
        let notes = serde_json::to_string(&notes).map_err(|e| corrupt("notes_json", e))?;
        sqlx::query(
            "UPDATE timesheets SET status = $1, approval = $2, approved_minutes = $3, notes_json = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(status_str(o.status))
        .bind(o.approval.map(approval_str))
        .bind(o.approved_minutes)
        .bind(notes)
        .bind(ts(now))
        .bind(t.id)
        .execute(&mut **tx)
        .await?;
        let after = Self::timesheet_in_tx(tx, "id", t.id).await?.ok_or(StoreError::NotFound("timesheet"))?;
        let kind = match (o.status, o.approval) {
            (TimesheetStatus::Approved, Some(Approval::Automatic)) => "timesheet.auto_approved",
            (TimesheetStatus::Approved, Some(Approval::Corrected)) => "timesheet.corrected",
            (TimesheetStatus::Approved, Some(Approval::Operator)) => "timesheet.resolved",
            (TimesheetStatus::Approved, _) => "timesheet.approved",
            (TimesheetStatus::Disputed, _) if t.status == TimesheetStatus::Disputed => "timesheet.statement",
            _ => "timesheet.disputed",
        };
        let data = serde_json::json!({ "approved_minutes": o.approved_minutes, "note": o.note.as_ref().map(|n| &n.text),
            "by": o.note.as_ref().map(|n| n.by) });
        self.timesheet_event(tx, kind, &after, actor, now, data).await?;
        if o.status == TimesheetStatus::Approved {
            let minutes = o.approved_minutes.unwrap_or(0);
            if let Ok(minutes @ 1..) = u32::try_from(minutes) {
                let booking = Self::booking_in_tx(tx, t.booking_id.0).await?;
                self.add_evidence_in_tx(tx, &booking, Evidence::VerifiedMinutes { minutes }, now, actor).await?;
            }
        }
        Ok(after)
    }

    pub(crate) async fn review_timesheet_impl(&self, id: i64, review: &Review, actor: &Actor, now: Timestamp) -> Result<Timesheet> {
        review.validate()?;
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "timesheets", id).await? {
            return Err(StoreError::NotFound("timesheet"));
        }
        let t = Self::timesheet_in_tx(&mut tx, "id", id).await?.ok_or(StoreError::NotFound("timesheet"))?;
        let side = side_of(actor, &t)?;
        let outcome = timesheet::review(&t, review, side, now).map_err(Conflict::from)?;
        let after = self.settle_in_tx(&mut tx, &t, &outcome, actor, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub(crate) async fn auto_approve_timesheets_impl(&self, now: Timestamp) -> Result<Vec<Timesheet>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM timesheets WHERE status = 'submitted' AND review_until < $1 ORDER BY id")
            .bind(ts(now))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for id in ids {
            // One transaction each: a timesheet reviewed meanwhile is left alone.
            let mut tx = self.write().await?;
            self.lock(&mut tx, "timesheets", id).await?;
            let Some(t) = Self::timesheet_in_tx(&mut tx, "id", id).await? else { continue };
            if t.status != TimesheetStatus::Submitted || t.review_until.is_none_or(|u| u >= now) {
                continue;
            }
            let o = timesheet::Outcome {
                status: TimesheetStatus::Approved,
                approval: Some(Approval::Automatic),
                approved_minutes: t.worked_minutes(),
                note: Some(TimesheetNote { at: now, by: Side::Operator, text: "approved automatically: the review window ended".into() }),
            };
            let after = self.settle_in_tx(&mut tx, &t, &o, &Actor::system(), now).await?;
            tx.commit().await?;
            out.push(after);
        }
        Ok(out)
    }

    pub(crate) async fn get_timesheet_impl(&self, id: i64, scope: &Scope) -> Result<Timesheet> {
        let mut w = Where::default();
        w.eq("id", id);
        w.scope(scope, Some("business_id"), Some("worker_id"));
        let row = bind_all(format!("SELECT {COLS} FROM timesheets{}", w.sql()), &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(timesheet).transpose()?.ok_or(StoreError::NotFound("timesheet"))
    }

    pub(crate) async fn list_timesheets_impl(&self, f: &TimesheetFilter, scope: &Scope, page: Page) -> Result<Vec<Timesheet>> {
        let mut w = Where::default();
        w.scope(scope, Some("business_id"), Some("worker_id"));
        if let Some(x) = f.worker {
            w.eq("worker_id", x.0);
        }
        if let Some(x) = f.business {
            w.eq("business_id", x.0);
        }
        let mut sql = format!("SELECT {COLS} FROM timesheets{}", w.sql());
        if let Some(s) = f.status {
            sql.push_str(if w.args.is_empty() { " WHERE " } else { " AND " });
            sql.push_str(&format!("status = '{}'", status_str(s)));
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY scheduled_start DESC, id DESC LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(timesheet).collect()
    }

    /// Check in or out with stated times: the booking transition and the timesheet in one transaction.
    pub(crate) async fn attend_impl(&self, id: BookingId, action: BookingAction, attendance: Attendance, actor: &Actor, now: Timestamp) -> Result<Timesheet> {
        if attendance.at > now {
            return Err(slivers_core::Invalid::one("at", "must not be in the future").into());
        }
        let booking = self.transition_with(id, action, Some(attendance), actor, now).await?;
        let mut tx = self.read().await?;
        let t = Self::timesheet_in_tx(&mut tx, "booking_id", booking.id.0).await?.ok_or(StoreError::NotFound("timesheet"))?;
        tx.commit().await?;
        Ok(t)
    }
}

/// When a check-in or check-out happened, and the breaks taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub at: Timestamp,
    pub break_minutes: i64,
}

impl From<timesheet::ReviewRefused> for Conflict {
    fn from(e: timesheet::ReviewRefused) -> Self {
        Conflict::Refused { rule: "timesheet", reason: e.to_string() }
    }
}
