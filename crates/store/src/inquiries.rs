//! Records for talking with customers: inquiries (with their thread, pauses
//! and response targets as they stand), the feedback board (requests and the
//! customers linked to them in their own words), and messages about a booking.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use slivers_core::ids::{BookingId, BusinessId, UserId, WorkerId};
use slivers_core::service_clock::Pause;
use slivers_core::Currency;

pub use slivers_core::contact::{
    ContactSettings, Customer, FeatureStatus, InquiryAction, InquiryCategory, InquiryStatus, Priority, TargetRow, TargetView,
};

/// The record an inquiry is about; it must exist and belong to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum About {
    /// An invoice or credit note (a business), or a pay statement (a worker), by document id.
    Document(i64),
    Booking(BookingId),
    Timesheet(i64),
}

impl About {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Document(_) => "document",
            Self::Booking(_) => "booking",
            Self::Timesheet(_) => "timesheet",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            Self::Document(i) | Self::Timesheet(i) => i,
            Self::Booking(b) => b.0,
        }
    }
    pub fn from_parts(kind: &str, id: i64) -> Option<Self> {
        match kind {
            "document" => Some(Self::Document(id)),
            "booking" => Some(Self::Booking(BookingId(id))),
            "timesheet" => Some(Self::Timesheet(id)),
            _ => None,
        }
    }
}

/// A customer raising an inquiry (the customer is whoever acts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInquiry {
    pub category: InquiryCategory,
    #[serde(default = "normal")]
    pub priority: Priority,
    pub subject: String,
    /// The first message of the thread.
    pub text: String,
    #[serde(default)]
    pub about: Option<About>,
}

fn normal() -> Priority {
    Priority::Normal
}

/// One step on an inquiry; `text` goes into the thread (it may be empty only when resolving).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InquiryStep {
    pub action: InquiryAction,
    #[serde(default)]
    pub text: String,
}

/// An inquiry with its targets as they stand at the time it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inquiry {
    pub id: i64,
    pub customer: Customer,
    pub raised_by: Option<UserId>,
    pub category: InquiryCategory,
    pub priority: Priority,
    pub status: InquiryStatus,
    pub subject: String,
    pub about: Option<About>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opened_at: Timestamp,
    /// The first operator response (answer, request for information, or resolution).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub first_response_at: Option<Timestamp>,
    /// The latest resolution; cleared when the inquiry is reopened.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<Timestamp>,
    /// How many breaches raised the priority.
    pub escalations: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub first_response: TargetView,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub resolution: TargetView,
    /// When the clock stood still (waiting on the customer, or resolved).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub pauses: Vec<Pause>,
}

/// Who wrote a message in an inquiry's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InquiryAuthor {
    Customer,
    Operator,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InquiryMessage {
    pub id: i64,
    pub inquiry_id: i64,
    pub author: InquiryAuthor,
    pub user_id: Option<UserId>,
    /// `raise` for the first message, otherwise the step it came with.
    pub action: String,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// An inquiry and its thread, oldest message first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InquiryThread {
    pub inquiry: Inquiry,
    pub messages: Vec<InquiryMessage>,
}

/// Which inquiries a list holds (always within the caller's scope).
#[derive(Debug, Clone, Default)]
pub struct InquiryFilter {
    pub customer: Option<Customer>,
    pub status: Option<InquiryStatus>,
    pub category: Option<InquiryCategory>,
    /// Opened at or after this instant.
    pub opened_from: Option<Timestamp>,
    /// Opened before this instant.
    pub opened_to: Option<Timestamp>,
}

/// Which of an inquiry's two targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetKind {
    FirstResponse,
    Resolution,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::Resolution => "resolution",
        }
    }
}

/// One breach the sweep escalated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Escalation {
    pub inquiry_id: i64,
    pub customer: Customer,
    pub target: TargetKind,
    pub from: Priority,
    pub to: Priority,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub due_at: Timestamp,
}

/// A customer filing a feature request: a public title, and their own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFeatureRequest {
    pub title: String,
    pub text: String,
}

/// How a customer came to be linked to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkKind {
    Raised,
    Voted,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Raised => "raised",
            Self::Voted => "voted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Raised, Self::Voted].into_iter().find(|k| k.as_str() == s)
    }
}

/// One customer's link to a request, in their own words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureLink {
    pub id: i64,
    /// The request it belongs to now (the survivor after a merge).
    pub request_id: i64,
    /// The request it was made on.
    pub origin_request_id: i64,
    pub kind: LinkKind,
    pub customer: Customer,
    /// The business's or worker's name.
    pub customer_name: String,
    pub user_id: UserId,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// Billed revenue in one currency: issued invoices minus credit notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revenue {
    pub currency: Currency,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

/// A request on the board. Title, status and counts are public to every
/// customer; `links` holds only the caller's own (all of them for
/// operators), and the revenue is for operators only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureRequest {
    pub id: i64,
    pub title: String,
    pub status: FeatureStatus,
    pub decline_reason: Option<String>,
    pub merged_into: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
    /// Distinct businesses linked (each once, however many links).
    pub businesses: i64,
    /// Distinct workers linked.
    pub workers: i64,
    /// Operators only: what the linked businesses have been billed, per currency.
    pub billed_revenue: Option<Vec<Revenue>>,
    pub links: Vec<FeatureLink>,
}

/// A status change; a decline says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureChange {
    pub status: FeatureStatus,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FeatureFilter {
    pub status: Option<FeatureStatus>,
    /// Also list requests merged into others.
    pub include_merged: bool,
}

/// Who wrote a booking message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MessageAuthor {
    Business,
    Worker,
    Operator,
}

impl MessageAuthor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Business => "business",
            Self::Worker => "worker",
            Self::Operator => "operator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Business, Self::Worker, Self::Operator].into_iter().find(|k| k.as_str() == s)
    }
}

/// A message between the two parties of a booking (or an operator).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingMessage {
    pub id: i64,
    pub booking_id: BookingId,
    pub business_id: BusinessId,
    pub worker_id: WorkerId,
    pub author: MessageAuthor,
    pub user_id: Option<UserId>,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}
