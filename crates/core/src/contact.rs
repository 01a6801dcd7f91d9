//! Talking with customers: inquiries with response targets, the feedback
//! board, and messages about a booking. Only the decisions live here — the
//! inquiry state machine and what each step does to the target clock, the
//! target table, the percentile method, merge semantics and which bookings
//! allow messages — so the store and every screen agree on them.
//!
//! Decisions:
//! - An inquiry moves `open → answered → waiting_on_customer → resolved` and
//!   back (see [`InquiryStatus::apply`]). The target clock pauses while the
//!   exchange waits on the customer and while the inquiry is resolved (a
//!   reopened inquiry picks its resolution clock up where it stopped).
//! - Any operator step that tells the customer something (answer, wait,
//!   resolve) is a response: the first one meets the first-response target.
//! - Targets are fixed when an inquiry is raised (category × priority from
//!   the table then in force): a later change of the table, or an escalation
//!   raising the priority, does not move a promise already made. The
//!   calendar (business hours, holidays, zone) is read when the target is shown.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::booking::BookingStatus;
use crate::ids::{BusinessId, UserId, WorkerId};
use crate::service_clock::{Pause, ServiceHours, Target, TargetStatus};
use crate::validation::Collector;
use crate::{Invalid, Zone};

/// Who a customer is: a business or a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Customer {
    Business(BusinessId),
    Worker(WorkerId),
}

impl Customer {
    pub fn business(self) -> Option<BusinessId> {
        match self {
            Self::Business(b) => Some(b),
            Self::Worker(_) => None,
        }
    }
    pub fn worker(self) -> Option<WorkerId> {
        match self {
            Self::Worker(w) => Some(w),
            Self::Business(_) => None,
        }
    }
}

/// Text bounds, in characters. Upper bounds keep one post from filling a page
/// (or a database); lower bounds refuse empty or one-letter subjects.
pub const SUBJECT_CHARS: (usize, usize) = (3, 200);
pub const BODY_CHARS: (usize, usize) = (1, 5000);
pub const TITLE_CHARS: (usize, usize) = (3, 200);
pub const VOTE_CHARS: (usize, usize) = (0, 2000);
pub const REASON_CHARS: (usize, usize) = (1, 2000);

/// Check `value` (trimmed) has `bounds.0..=bounds.1` characters, naming `field`.
pub fn check_text(c: &mut Collector, field: &str, value: &str, bounds: (usize, usize)) {
    let n = value.trim().chars().count();
    let (min, max) = bounds;
    c.check(n >= min && value.chars().count() <= max, field, format!("must be {min} to {max} characters"));
}

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($variant:ident => $s:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }
            /// Parse input, naming the field and the allowed values when it is bad.
            pub fn parse_field(s: &str) -> Result<Self, Invalid> {
                Self::parse(s).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|x| x.as_str()).collect();
                    Invalid::one($field, format!("must be one of {}", all.join(", ")))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// What an inquiry is about.
    InquiryCategory, "category" { Billing => "billing", Booking => "booking", Account => "account" }
);
named_enum!(
    /// How urgent an inquiry is; escalation raises it one step.
    Priority, "priority" { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
);
named_enum!(
    /// Where an inquiry stands.
    InquiryStatus, "status" {
        Open => "open", Answered => "answered", WaitingOnCustomer => "waiting_on_customer", Resolved => "resolved"
    }
);
named_enum!(
    /// A step on an inquiry: the customer replies; an operator answers, asks
    /// the customer for something (waits), or resolves; either reopens.
    InquiryAction, "action" { Reply => "reply", Answer => "answer", Wait => "wait", Resolve => "resolve", Reopen => "reopen" }
);
named_enum!(
    /// Why the target clock stands still.
    PauseKind, "kind" { Waiting => "waiting", Resolved => "resolved" }
);
named_enum!(
    /// Where a feature request stands on the board.
    FeatureStatus, "status" {
        Open => "open", Planned => "planned", InProgress => "in_progress", Shipped => "shipped", Declined => "declined"
    }
);

impl Priority {
    /// One step more urgent; urgent stays urgent.
    pub fn raised(self) -> Priority {
        match self {
            Self::Low => Self::Normal,
            Self::Normal => Self::High,
            Self::High | Self::Urgent => Self::Urgent,
        }
    }
}

impl InquiryAction {
    /// Whether only operators take this step (the customer replies and reopens).
    pub fn by_operator(self) -> bool {
        matches!(self, Self::Answer | Self::Wait | Self::Resolve)
    }
    /// Whether the step must carry text. A resolution may close silently.
    pub fn needs_text(self) -> bool {
        !matches!(self, Self::Resolve)
    }
    /// The event a step appends.
    pub fn event_kind(self) -> &'static str {
        match self {
            Self::Reply => "inquiry.replied",
            Self::Answer => "inquiry.answered",
            Self::Wait => "inquiry.waiting",
            Self::Resolve => "inquiry.resolved",
            Self::Reopen => "inquiry.reopened",
        }
    }
}

/// What a legal step does, besides moving the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub to: InquiryStatus,
    /// Close the pause in progress (waiting, or resolved), if any.
    pub ends_pause: bool,
    /// Open a pause of this kind.
    pub starts_pause: Option<PauseKind>,
    /// An operator told the customer something: a response.
    pub responds: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an inquiry that is {from} cannot take the step {action}")]
pub struct IllegalStep {
    pub from: InquiryStatus,
    pub action: InquiryAction,
}

impl InquiryStatus {
    /// The state machine. A reply or an operator's answer ends waiting on the
    /// customer (the clock resumes); replying to a resolved inquiry is refused
    /// (reopen it, saying why), so a "thanks!" does not reopen it.
    pub fn apply(self, action: InquiryAction) -> Result<Step, IllegalStep> {
        use InquiryAction as A;
        use InquiryStatus as S;
        let waiting = self == S::WaitingOnCustomer;
        let step = |to, starts_pause| Step { to, ends_pause: waiting, starts_pause, responds: action.by_operator() };
        match (self, action) {
            (S::Resolved, A::Reopen) => Ok(Step { to: S::Open, ends_pause: true, starts_pause: None, responds: false }),
            (S::Resolved, _) | (_, A::Reopen) | (S::WaitingOnCustomer, A::Wait) => Err(IllegalStep { from: self, action }),
            (_, A::Reply) => Ok(step(S::Open, None)),
            (_, A::Answer) => Ok(step(S::Answered, None)),
            (_, A::Wait) => Ok(step(S::WaitingOnCustomer, Some(PauseKind::Waiting))),
            (_, A::Resolve) => Ok(step(S::Resolved, Some(PauseKind::Resolved))),
        }
    }
}

/// One line of the target table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetRow {
    pub category: InquiryCategory,
    pub priority: Priority,
    #[cfg_attr(feature = "openapi", schema(maximum = 525600))]
    pub first_response_minutes: u32,
    /// Not before the first response is due.
    #[cfg_attr(feature = "openapi", schema(maximum = 525600))]
    pub resolution_minutes: u32,
}

/// The exchange's promises to customers and the calendar they run on.
/// Stored as one settings document; operators change it. Unknown keys are
/// refused: a misspelt key would otherwise silently keep the old promise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactSettings {
    /// The calendar targets run on: `{"zone": "Europe/London", "mode": "business",
    /// "week": {"monday": [{"start": "09:00", "end": "17:00"}], ...}, "holidays": ["2027-12-25"]}`
    /// or `{"zone": ..., "mode": "calendar"}` (24/7).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::service_clock::hours_schema))]
    pub hours: ServiceHours,
    /// One row per category and priority.
    pub targets: Vec<TargetRow>,
}

impl Default for ContactSettings {
    /// Office hours (Mon–Fri 09:00–17:00, London) and, in business minutes:
    /// urgent 1 h / 1 day, high 4 h / 2 days, normal 1 day / 5 days, low
    /// 2 days / 10 days, the same for every category.
    fn default() -> Self {
        let day = 8 * 60;
        let by_priority = [
            (Priority::Urgent, 60, day),
            (Priority::High, 4 * 60, 2 * day),
            (Priority::Normal, day, 5 * day),
            (Priority::Low, 2 * day, 10 * day),
        ];
        let targets = InquiryCategory::ALL
            .iter()
            .flat_map(|&category| {
                by_priority.iter().map(move |&(priority, first_response_minutes, resolution_minutes)| TargetRow {
                    category,
                    priority,
                    first_response_minutes,
                    resolution_minutes,
                })
            })
            .collect();
        ContactSettings { hours: ServiceHours::office(Zone::parse("Europe/London").unwrap_or_else(|_| Zone::utc())), targets }
    }
}

impl ContactSettings {
    /// Every category × priority exactly once, each target sane, a valid calendar.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.take("hours", self.hours.validate());
        let mut seen = BTreeSet::new();
        for (i, row) in self.targets.iter().enumerate() {
            let field = format!("targets[{i}]");
            c.check(seen.insert((row.category, row.priority)), &field, "repeats a category and priority");
            let t = Target { first_response_minutes: row.first_response_minutes, resolution_minutes: row.resolution_minutes };
            c.take(&field, t.validate());
        }
        let missing: Vec<String> = InquiryCategory::ALL
            .iter()
            .flat_map(|&cat| Priority::ALL.iter().map(move |&p| (cat, p)))
            .filter(|k| !seen.contains(k))
            .map(|(cat, p)| format!("{cat}/{p}"))
            .collect();
        c.check(missing.is_empty(), "targets", format!("no target for {}", missing.join(", ")));
        c.finish()
    }

    /// The target for a category and priority (validated settings have every one).
    pub fn target(&self, category: InquiryCategory, priority: Priority) -> Option<Target> {
        self.targets.iter().find(|r| r.category == category && r.priority == priority).map(|r| Target {
            first_response_minutes: r.first_response_minutes,
            resolution_minutes: r.resolution_minutes,
        })
    }
}

/// One target as shown: its budget, when it falls (or fell) due, and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TargetView {
    pub budget_minutes: u32,
    /// For a met target, when it was due had it not been met; `None` while
    /// the clock is held (waiting on the customer) or beyond the horizon.
    pub due_at: Option<Timestamp>,
    pub status: TargetStatus,
}

impl TargetView {
    pub fn breached(&self) -> bool {
        matches!(self.status, TargetStatus::Breached { .. })
    }
    /// Met within the target; `None` while not met yet.
    pub fn met_within(&self) -> Option<bool> {
        match self.status {
            TargetStatus::Met { within, .. } => Some(within),
            _ => None,
        }
    }
}

/// Where a target started at `opened` stands at `now`. A met target's due
/// time ignores the pauses that began when (or after) it was met — the pause
/// of a resolved inquiry would otherwise hold its due time forever.
pub fn target_view(hours: &ServiceHours, opened: Timestamp, budget: u32, pauses: &[Pause], met_at: Option<Timestamp>, now: Timestamp) -> TargetView {
    let status = hours.status(opened, budget, pauses, met_at, now);
    let due_at = match met_at {
        Some(met) => {
            let before: Vec<Pause> =
                pauses.iter().filter(|p| p.from < met).map(|p| Pause { from: p.from, to: Some(p.to.map_or(met, |t| t.min(met))) }).collect();
            hours.due(opened, budget, &before)
        }
        None => hours.due(opened, budget, pauses),
    };
    TargetView { budget_minutes: budget, due_at, status }
}

/// Nearest-rank percentile of `sorted` (ascending): the smallest value such
/// that at least `p` percent of the values are at or below it, i.e. the value
/// at 1-based rank ⌈p/100 × n⌉ (at least rank 1). `None` for no values. It is
/// always one of the values, never an interpolation.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let p = usize::try_from(p.clamp(1, 100)).unwrap_or(100);
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// p50 and p90 (nearest rank) of a set of durations in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Percentiles {
    pub count: usize,
    pub p50: Option<i64>,
    pub p90: Option<i64>,
}

impl Percentiles {
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        Percentiles { count: values.len(), p50: nearest_rank(&values, 50), p90: nearest_rank(&values, 90) }
    }
}

/// Whole minutes from `from` to `to`, rounded down (what response times report).
pub fn minutes_between(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs().div_euclid(60)
}

/// A feature request as far as merging cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSide {
    pub id: i64,
    pub merged_into: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    #[error("a request cannot be merged into itself")]
    Itself,
    #[error("request {0} is already merged into request {1}")]
    AlreadyMerged(i64, i64),
}

/// Whether `duplicate` may be merged into `survivor`: two different
/// requests, neither already merged away (so pointers never form a chain or a cycle).
pub fn check_merge(duplicate: MergeSide, survivor: MergeSide) -> Result<(), MergeRefusal> {
    if duplicate.id == survivor.id {
        return Err(MergeRefusal::Itself);
    }
    for side in [duplicate, survivor] {
        if let Some(into) = side.merged_into {
            return Err(MergeRefusal::AlreadyMerged(side.id, into));
        }
    }
    Ok(())
}

/// Businesses and workers among the links, each customer counted once.
pub fn count_customers(links: impl IntoIterator<Item = Customer>) -> (usize, usize) {
    let distinct: BTreeSet<Customer> = links.into_iter().collect();
    let businesses = distinct.iter().filter(|c| c.business().is_some()).count();
    (businesses, distinct.len() - businesses)
}

/// The people to tell of a change, each once however often they are linked.
pub fn distinct_users(links: impl IntoIterator<Item = UserId>) -> Vec<UserId> {
    links.into_iter().collect::<BTreeSet<_>>().into_iter().collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusRefusal {
    #[error("the request is already {0}")]
    Unchanged(FeatureStatus),
    #[error("a request goes back to open only by being filed")]
    BackToOpen,
}

/// Whether a feature request may move from `from` to `to`; declining needs
/// a reason (checked with the input), any other status change is allowed.
pub fn check_status_change(from: FeatureStatus, to: FeatureStatus) -> Result<(), StatusRefusal> {
    if from == to {
        return Err(StatusRefusal::Unchanged(to));
    }
    if to == FeatureStatus::Open {
        return Err(StatusRefusal::BackToOpen);
    }
    Ok(())
}

/// Whether the two parties of a booking may message each other about it:
/// once they were matched — confirmed, checked in, completed, a no-show, or
/// cancelled by either side (the cancellation itself may need talking
/// about). An offer not (yet) accepted, declined, expired or withdrawn never
/// matched them, so the worker is not yet "booked".
pub fn booking_allows_messages(status: BookingStatus) -> bool {
    use BookingStatus as S;
    matches!(status, S::Confirmed | S::CheckedIn | S::Completed | S::NoShow | S::CancelledByWorker | S::CancelledByBusiness)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service_clock::{HoursMode, ServiceHours};
    use jiff::civil::date;
    use InquiryAction as A;
    use InquiryStatus as S;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn the_inquiry_state_machine() {
        assert_eq!(S::Open.apply(A::Answer).map(|s| s.to), Ok(S::Answered));
        assert_eq!(S::Answered.apply(A::Reply).map(|s| s.to), Ok(S::Open));
        let wait = S::Answered.apply(A::Wait).expect("wait");
        assert_eq!((wait.to, wait.starts_pause, wait.responds, wait.ends_pause), (S::WaitingOnCustomer, Some(PauseKind::Waiting), true, false));
        // The customer's next message resumes the clock; so does an operator's answer.
        let reply = S::WaitingOnCustomer.apply(A::Reply).expect("reply");
        assert_eq!((reply.to, reply.ends_pause, reply.responds), (S::Open, true, false));
        assert!(S::WaitingOnCustomer.apply(A::Answer).expect("answer").ends_pause);
        let resolve = S::WaitingOnCustomer.apply(A::Resolve).expect("resolve");
        assert_eq!((resolve.to, resolve.ends_pause, resolve.starts_pause), (S::Resolved, true, Some(PauseKind::Resolved)));
        let reopen = S::Resolved.apply(A::Reopen).expect("reopen");
        assert_eq!((reopen.to, reopen.ends_pause, reopen.starts_pause), (S::Open, true, None));
        // Every illegal pair is an error value: resolved takes only reopen; reopen needs resolved; no double wait.
        let mut legal = 0;
        for &s in S::ALL {
            for &a in A::ALL {
                let ok = s.apply(a).is_ok();
                legal += usize::from(ok);
                let expect = match (s, a) {
                    (S::Resolved, A::Reopen) => true,
                    (S::Resolved, _) | (_, A::Reopen) | (S::WaitingOnCustomer, A::Wait) => false,
                    _ => true,
                };
                assert_eq!(ok, expect, "{s} {a}");
            }
        }
        assert_eq!(legal, 12);
        assert_eq!(S::Resolved.apply(A::Reply), Err(IllegalStep { from: S::Resolved, action: A::Reply }));
    }

    #[test]
    fn names_round_trip_and_bad_input_names_the_field() {
        for &c in InquiryCategory::ALL {
            assert_eq!(InquiryCategory::parse(c.as_str()), Some(c));
        }
        for &s in FeatureStatus::ALL {
            assert_eq!(FeatureStatus::parse(s.as_str()), Some(s));
        }
        let e = Priority::parse_field("critical").expect_err("unknown");
        assert_eq!(e.0[0].field, "priority");
        assert!(e.0[0].reason.contains("low, normal, high, urgent"));
        assert_eq!(InquiryCategory::parse_field("refund").expect_err("unknown").0[0].field, "category");
        assert_eq!(Priority::Low.raised(), Priority::Normal);
        assert_eq!(Priority::Urgent.raised(), Priority::Urgent);
    }

    #[test]
    fn text_bounds_count_characters_and_refuse_blank() {
        let check = |v: &str, b| {
            let mut c = Collector::new();
            check_text(&mut c, "subject", v, b);
            c.finish().is_ok()
        };
        assert!(check("Où?", SUBJECT_CHARS));
        assert!(!check("   ", SUBJECT_CHARS));
        assert!(!check(&"é".repeat(201), SUBJECT_CHARS));
        assert!(check(&"é".repeat(200), SUBJECT_CHARS));
        assert!(check("", VOTE_CHARS));
    }

    #[test]
    fn default_settings_are_valid_and_complete() {
        let s = ContactSettings::default();
        s.validate().expect("valid");
        assert_eq!(s.targets.len(), 12);
        assert_eq!(s.target(InquiryCategory::Billing, Priority::High), Some(Target { first_response_minutes: 240, resolution_minutes: 960 }));
        let mut bad = s.clone();
        bad.targets[1] = bad.targets[0];
        bad.targets[2].resolution_minutes = 1;
        let fields: Vec<String> = bad.validate().expect_err("bad").0.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["targets[1]", "targets[2].resolution_minutes", "targets"]);
    }

    #[test]
    fn a_met_targets_due_time_ignores_the_pause_it_started() {
        let mut h = ServiceHours::office(Zone::parse("Europe/Dublin").expect("zone"));
        if let HoursMode::Business { holidays, .. } = &mut h.mode {
            holidays.insert(date(2026, 10, 26));
        }
        // Raised Fri 23 Oct 16:00 IST; 1 h that day, weekend, bank holiday Monday,
        // clocks back on Sunday: 3 h on Tue 27 from 09:00 GMT -> 12:00Z.
        let opened = ts("2026-10-23T15:00:00Z");
        let due = ts("2026-10-27T12:00:00Z");
        let open = target_view(&h, opened, 240, &[], None, ts("2026-10-27T10:00:00Z"));
        assert_eq!(open.due_at, Some(due));
        assert_eq!(open.status, TargetStatus::Due { at: due, remaining_minutes: 120 });
        // Resolved Tue 11:00Z: the resolved pause starts then; the due time stays.
        let resolved = [Pause { from: ts("2026-10-27T11:00:00Z"), to: None }];
        let met = target_view(&h, opened, 240, &resolved, Some(ts("2026-10-27T11:00:00Z")), ts("2026-11-30T00:00:00Z"));
        assert_eq!((met.due_at, met.met_within()), (Some(due), Some(true)));
        // Unmet, past due: breached.
        assert!(target_view(&h, opened, 240, &[], None, ts("2026-10-27T12:01:00Z")).breached());
    }

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        let v: Vec<i64> = (1..=10).collect();
        // p50 of 10 values is rank 5; p90 rank 9; p91 rank 10 (ceil).
        assert_eq!((nearest_rank(&v, 50), nearest_rank(&v, 90), nearest_rank(&v, 91)), (Some(5), Some(9), Some(10)));
        // Of 3 values p50 is rank 2 and p90 rank 3.
        assert_eq!(Percentiles::of(vec![30, 10, 20]), Percentiles { count: 3, p50: Some(20), p90: Some(30) });
        assert_eq!(minutes_between(ts("2026-01-01T00:00:00Z"), ts("2026-01-01T00:01:59Z")), 1);
    }

    #[test]
    fn merge_keeps_every_link_and_counts_each_customer_once() {
        let a = Customer::Business(BusinessId(1));
        let b = Customer::Business(BusinessId(2));
        let w = Customer::Worker(WorkerId(1));
        let duplicate = [(a, UserId(10)), (w, UserId(30))];
        let survivor = [(a, UserId(10)), (b, UserId(20))];
        assert_eq!(check_merge(MergeSide { id: 2, merged_into: None }, MergeSide { id: 1, merged_into: None }), Ok(()));
        let merged: Vec<_> = survivor.iter().chain(&duplicate).copied().collect();
        assert_eq!(merged.len(), 4, "every link is kept");
        assert_eq!(count_customers(merged.iter().map(|l| l.0)), (2, 1));
        assert_eq!(distinct_users(merged.iter().map(|l| l.1)), vec![UserId(10), UserId(20), UserId(30)]);
        assert_eq!(check_merge(MergeSide { id: 1, merged_into: None }, MergeSide { id: 1, merged_into: None }), Err(MergeRefusal::Itself));
        assert_eq!(
            check_merge(MergeSide { id: 2, merged_into: Some(1) }, MergeSide { id: 3, merged_into: None }),
            Err(MergeRefusal::AlreadyMerged(2, 1))
        );
        assert_eq!(
            check_merge(MergeSide { id: 3, merged_into: None }, MergeSide { id: 2, merged_into: Some(1) }),
            Err(MergeRefusal::AlreadyMerged(2, 1))
        );
    }

    #[test]
    fn feature_status_changes_and_message_windows() {
        use FeatureStatus as F;
        assert!(check_status_change(F::Open, F::Planned).is_ok());
        assert!(check_status_change(F::Shipped, F::Declined).is_ok());
        assert_eq!(check_status_change(F::Planned, F::Planned), Err(StatusRefusal::Unchanged(F::Planned)));
        assert_eq!(check_status_change(F::Planned, F::Open), Err(StatusRefusal::BackToOpen));
        let allowed: Vec<_> = BookingStatus::ALL.into_iter().filter(|s| booking_allows_messages(*s)).collect();
        assert_eq!(allowed.len(), 6);
        assert!(!booking_allows_messages(BookingStatus::Offered));
        assert!(!booking_allows_messages(BookingStatus::Withdrawn));
    }
}
