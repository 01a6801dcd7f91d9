//! Records and inputs for what happens after the work: timesheets, ratings,
//! issued documents and calendar feeds.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use slivers_core::billing::BillingPolicy;
use slivers_core::documents::{DocumentKind, Party};
use slivers_core::ids::{BookingId, BusinessId, WorkerId};
use slivers_core::timesheet::TimesheetStatus;
use slivers_core::Currency;

/// A business's billing terms and the legal details its invoices carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingSettings {
    pub policy: BillingPolicy,
    /// Who the invoices are addressed to; invoicing waits until it is set.
    pub party: Option<Party>,
}

#[derive(Debug, Clone, Default)]
pub struct TimesheetFilter {
    pub worker: Option<WorkerId>,
    pub business: Option<BusinessId>,
    pub status: Option<TimesheetStatus>,
}

/// Which side gave a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RatingSide {
    /// The worker rated the business.
    Worker,
    /// The business rated the worker.
    Business,
}

impl RatingSide {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Worker => "worker",
            Self::Business => "business",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Worker, Self::Business].into_iter().find(|x| x.as_str() == s)
    }
}

/// How long after giving it a rating may still be changed.
pub const RATING_EDIT_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub id: i64,
    pub booking_id: BookingId,
    pub by: RatingSide,
    pub worker_id: WorkerId,
    pub business_id: BusinessId,
    pub stars: u8,
    pub comment: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct RatingFilter {
    pub worker: Option<WorkerId>,
    pub business: Option<BusinessId>,
    pub by: Option<RatingSide>,
}

/// Average and count of the ratings one side received.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingSummary {
    pub count: i64,
    /// `None` until there is a rating.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub average: Option<Decimal>,
}

/// One line of a document listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSummary {
    pub id: i64,
    /// `invoice`, `credit_note` or `pay_statement`.
    pub kind: String,
    pub number: String,
    pub business_id: Option<BusinessId>,
    pub worker_id: Option<WorkerId>,
    pub period_start: String,
    pub period_end: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: Timestamp,
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
    /// Credit notes: the invoice they correct.
    pub corrects_id: Option<i64>,
    /// Invoices: the credit note that cancelled them, if any.
    pub credited_by_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub business: Option<BusinessId>,
    pub worker: Option<WorkerId>,
    pub kind: Option<DocumentKindFilter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKindFilter {
    Billing(DocumentKind),
    PayStatement,
}

/// A credit note: why, and the corrected minutes of the invoice's timesheets
/// (a corrected invoice follows when anything is left to bill).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credit {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"\S"))]
    pub reason: String,
    #[serde(default)]
    pub corrections: Vec<MinutesCorrection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinutesCorrection {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub timesheet_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1440))]
    pub minutes: i64,
}

/// Whose calendar a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "owner", content = "id")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Owner {
    Worker(WorkerId),
    Business(BusinessId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    pub id: i64,
    pub owner: Owner,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<Timestamp>,
}
