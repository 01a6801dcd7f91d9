//! Timesheets: what actually happened on the day, and who agreed to it.
//!
//! A worker checks in (a timesheet opens) and out (it is submitted with the
//! actual times and breaks). The business then confirms, corrects with a
//! reason, or disputes within its review window; silence approves it when the
//! window ends. An operator resolves a dispute after both sides have spoken.
//! [`review`] is the one place these transitions are decided.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::BillableKind;
use crate::ids::{BookingId, BusinessId, ShiftId, WorkerId};
use crate::validation::Collector;
use crate::{Interval, Invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TimesheetStatus {
    /// Checked in, not yet out.
    Open,
    /// Checked out; waiting for the business within its review window.
    Submitted,
    /// The business disputes it; an operator decides.
    Disputed,
    /// Final: billed and paid on the approved minutes.
    Approved,
}

/// How a timesheet came to be approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Approval {
    Confirmed,
    Corrected,
    /// The review window ended without an answer.
    Automatic,
    /// An operator resolved a dispute (or corrected an invoiced timesheet).
    Operator,
    /// A late cancellation: owed by the business's own policy.
    Policy,
}

/// Who speaks on a timesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Side {
    Worker,
    Business,
    Operator,
}

/// A reason, statement or resolution, kept in order on the timesheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimesheetNote {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub by: Side,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timesheet {
    pub id: i64,
    pub booking_id: BookingId,
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
    pub business_id: BusinessId,
    pub kind: BillableKind,
    pub status: TimesheetStatus,
    pub approval: Option<Approval>,
    pub scheduled: Interval,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub check_in: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub check_out: Option<Timestamp>,
    pub break_minutes: i64,
    /// Minutes after the scheduled start the worker checked in (0 if on time).
    pub late_minutes: i64,
    /// When silence approves a submitted timesheet.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub review_until: Option<Timestamp>,
    /// Set once approved: the minutes billed and paid.
    pub approved_minutes: Option<i64>,
    /// Late cancellations: the share of the shift owed, in percent.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub share_percent: Decimal,
    pub notes: Vec<TimesheetNote>,
    /// The live invoice that bills it, if any.
    pub invoice_id: Option<i64>,
    /// What pay statements have paid for it so far.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub paid_amount: Decimal,
}

impl Timesheet {
    /// Minutes between check-in and check-out, less breaks.
    pub fn worked_minutes(&self) -> Option<i64> {
        let (i, o) = (self.check_in?, self.check_out?);
        Some(((o.as_second() - i.as_second()) / 60 - self.break_minutes).max(0))
    }
}

/// A business's or operator's word on a timesheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Review {
    /// The business agrees with the submitted times.
    Confirm,
    /// The business approves different minutes, saying why.
    Correct {
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
        minutes: i64,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"\S"))]
        reason: String,
    },
    /// The business refuses the times; an operator will decide.
    Dispute {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"\S"))]
        reason: String,
    },
    /// The worker's side of a dispute.
    Respond {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"\S"))]
        statement: String,
    },
    /// An operator's decision on a dispute.
    Resolve {
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
        minutes: i64,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"\S"))]
        note: String,
    },
}

impl Review {
    pub fn name(&self) -> &'static str {
        match self {
            Review::Confirm => "confirm",
            Review::Correct { .. } => "correct",
            Review::Dispute { .. } => "dispute",
            Review::Respond { .. } => "respond",
            Review::Resolve { .. } => "resolve",
        }
    }
}

/// Why a review cannot be taken (the input was well-formed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefused {
    #[error("a {status:?} timesheet cannot take `{action}`")]
    State { status: TimesheetStatus, action: &'static str },
    #[error("only the {0:?} side may `{1}`")]
    Side(Side, &'static str),
    #[error("the review window closed at {0}")]
    WindowClosed(Timestamp),
}

/// What a review changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: TimesheetStatus,
    pub approval: Option<Approval>,
    pub approved_minutes: Option<i64>,
    pub note: Option<TimesheetNote>,
}

/// Longest timesheet: a shift is at most 24 h.
pub const MAX_MINUTES: i64 = 24 * 60;

fn text(c: &mut Collector, field: &str, v: &str) {
    c.check(crate::validation::text_ok(v, 2000), field, "must be 1 to 2000 characters");
}

impl Review {
    /// Field checks, before any state is looked at.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        match self {
            Review::Confirm => {}
            Review::Correct { minutes, reason } => {
                c.check((0..=MAX_MINUTES).contains(minutes), "minutes", "must be 0 to 1440");
                text(&mut c, "reason", reason);
            }
            Review::Dispute { reason } => text(&mut c, "reason", reason),
            Review::Respond { statement } => text(&mut c, "statement", statement),
            Review::Resolve { minutes, note } => {
                c.check((0..=MAX_MINUTES).contains(minutes), "minutes", "must be 0 to 1440");
                text(&mut c, "note", note);
            }
        }
        c.finish()
    }
}

/// Decide `review` by `by` on `t` at `now`.
pub fn review(t: &Timesheet, r: &Review, by: Side, now: Timestamp) -> Result<Outcome, ReviewRefused> {
    use TimesheetStatus as S;
    let action = r.name();
    let note = |text: &str| Some(TimesheetNote { at: now, by, text: text.to_string() });
    let need = |side: Side| if by == side || by == Side::Operator && side == Side::Business { Ok(()) } else { Err(ReviewRefused::Side(side, action)) };
    let in_window = || match t.review_until {
        Some(until) if now > until => Err(ReviewRefused::WindowClosed(until)),
        _ => Ok(()),
    };
    let state = |ok: bool| if ok { Ok(()) } else { Err(ReviewRefused::State { status: t.status, action }) };
    match r {
        Review::Confirm => {
            need(Side::Business)?;
            state(t.status == S::Submitted)?;
            in_window()?;
            Ok(Outcome { status: S::Approved, approval: Some(Approval::Confirmed), approved_minutes: t.worked_minutes(), note: None })
        }
        Review::Correct { minutes, reason } => {
            need(Side::Business)?;
            state(t.status == S::Submitted)?;
            in_window()?;
            Ok(Outcome { status: S::Approved, approval: Some(Approval::Corrected), approved_minutes: Some(*minutes), note: note(reason) })
        }
        Review::Dispute { reason } => {
            need(Side::Business)?;
            state(t.status == S::Submitted)?;
            in_window()?;
            Ok(Outcome { status: S::Disputed, approval: None, approved_minutes: None, note: note(reason) })
        }
        Review::Respond { statement } => {
            if by != Side::Worker {
                return Err(ReviewRefused::Side(Side::Worker, action));
            }
            state(t.status == S::Disputed)?;
            Ok(Outcome { status: S::Disputed, approval: None, approved_minutes: None, note: note(statement) })
        }
        Review::Resolve { minutes, note: text } => {
            if by != Side::Operator {
                return Err(ReviewRefused::Side(Side::Operator, action));
            }
            state(t.status == S::Disputed)?;
            Ok(Outcome { status: S::Approved, approval: Some(Approval::Operator), approved_minutes: Some(*minutes), note: note(text) })
        }
    }
}

/// Check the times a worker gives at check-out.
pub fn validate_check_out(check_in: Timestamp, check_out: Timestamp, break_minutes: i64, now: Timestamp) -> Result<(), Invalid> {
    let mut c = Collector::new();
    let span = (check_out.as_second() - check_in.as_second()) / 60;
    c.check(check_out > check_in, "at", "must be after the check-in");
    c.check(check_out <= now, "at", "must not be in the future");
    c.check(span <= MAX_MINUTES, "at", "a timesheet may cover at most 24 hours");
    c.check(break_minutes >= 0, "break_minutes", "must not be negative");
    c.check(break_minutes < span.max(1), "break_minutes", "must be shorter than the time between check-in and check-out");
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submitted() -> Timesheet {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        Timesheet {
            id: 1,
            booking_id: BookingId(1),
            shift_id: ShiftId(1),
            worker_id: WorkerId(1),
            business_id: BusinessId(1),
            kind: BillableKind::Work,
            status: TimesheetStatus::Submitted,
            approval: None,
            scheduled: Interval { start: t0, end: Timestamp::from_second(t0.as_second() + 8 * 3600).unwrap() },
            check_in: Some(t0),
            check_out: Some(Timestamp::from_second(t0.as_second() + 8 * 3600).unwrap()),
            break_minutes: 30,
            late_minutes: 0,
            review_until: Some(Timestamp::from_second(t0.as_second() + 32 * 3600).unwrap()),
            approved_minutes: None,
            share_percent: Decimal::ZERO,
            notes: vec![],
            invoice_id: None,
            paid_amount: Decimal::ZERO,
        }
    }

    #[test]
    fn confirm_approves_worked_minutes_within_the_window() {
        let t = submitted();
        let now = t.check_out.unwrap();
        let o = review(&t, &Review::Confirm, Side::Business, now).unwrap();
        assert_eq!((o.status, o.approved_minutes), (TimesheetStatus::Approved, Some(450)));
        let late = t.review_until.unwrap().checked_add(jiff::SignedDuration::from_secs(1)).unwrap();
        assert!(matches!(review(&t, &Review::Confirm, Side::Business, late), Err(ReviewRefused::WindowClosed(_))));
        assert!(matches!(review(&t, &Review::Confirm, Side::Worker, now), Err(ReviewRefused::Side(..))));
    }

    #[test]
    fn a_dispute_is_answered_then_resolved_by_an_operator_only() {
        let mut t = submitted();
        let now = t.check_out.unwrap();
        let o = review(&t, &Review::Dispute { reason: "left at 3".into() }, Side::Business, now).unwrap();
        t.status = o.status;
        assert!(review(&t, &Review::Respond { statement: "stayed".into() }, Side::Worker, now).is_ok());
        let resolve = Review::Resolve { minutes: 420, note: "cameras".into() };
        assert!(review(&t, &resolve, Side::Business, now).is_err());
        let o = review(&t, &resolve, Side::Operator, now).unwrap();
        assert_eq!((o.approval, o.approved_minutes), (Some(Approval::Operator), Some(420)));
    }

    #[test]
    fn check_out_times_are_checked() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let t1 = Timestamp::from_second(1_800_003_600).unwrap();
        assert!(validate_check_out(t0, t1, 10, t1).is_ok());
        assert!(validate_check_out(t1, t0, 0, t1).is_err());
        assert!(validate_check_out(t0, t1, 60, t1).is_err());
        assert!(validate_check_out(t0, t1, 0, t0).is_err());
    }
}
