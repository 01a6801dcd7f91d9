//! Records for contact with customers: the notification outbox and its
//! delivery log, webhook endpoints, email preferences and single-use
//! account tokens.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::ids::{BusinessId, UserId, WorkerId};

/// How a notification travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Webhook => "webhook",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Email, Self::Webhook].into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    /// Given up: a permanent refusal, too many failures, or a disabled endpoint.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed].into_iter().find(|c| c.as_str() == s)
    }
}

/// One notification in the outbox, as the delivery loop and the delivery
/// log see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxItem {
    pub id: i64,
    pub channel: Channel,
    /// The email topic, or the event kind a webhook carries.
    pub topic: String,
    pub event_seq: Option<i64>,
    pub business_id: Option<BusinessId>,
    pub worker_id: Option<WorkerId>,
    #[serde(skip)]
    pub user_id: Option<UserId>,
    pub endpoint_id: Option<i64>,
    /// The email address or the endpoint URL at the time it was written.
    pub recipient: String,
    /// Email `Message-ID` or `webhook-id`: the same on every retry.
    pub message_id: String,
    /// What the message says (rendered when sent).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    pub status: DeliveryStatus,
    pub attempts: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub next_attempt_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub delivered_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// One try at delivering an outbox item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attempt {
    pub outbox_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub ok: bool,
    /// The HTTP status or SMTP reply code, when there was an answer.
    pub code: Option<i64>,
    pub error: Option<String>,
}

/// What became of one try, as the delivery loop reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Delivered { code: Option<i64> },
    /// Try again at `at`.
    Retry { at: Timestamp, code: Option<i64>, error: String },
    /// Give up; `disable_endpoint` says why the endpoint is switched off too.
    GiveUp { code: Option<i64>, error: String, disable_endpoint: Option<String> },
}

/// A business's webhook endpoint. The secret is only ever shown to the
/// business when the endpoint is created or its secret rotated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    pub id: i64,
    pub business_id: BusinessId,
    pub url: String,
    /// Comma-separated event kinds; `*` for all, `booking.*` for a family.
    pub event_types: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[serde(skip)]
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_until`.
    #[serde(skip)]
    pub previous_secret: Option<(String, Timestamp)>,
}

/// What a single-use account token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    /// Set a password on an account a business imported.
    ClaimAccount,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
            Self::ClaimAccount => "claim_account",
        }
    }
}

/// A token about to be issued, with the email that carries it (written in
/// the same transaction).
#[derive(Debug, Clone)]
pub struct NewAccountToken {
    pub user: UserId,
    pub purpose: TokenPurpose,
    pub token_hash: String,
    /// For an email change: the address to move to (the mail goes there).
    pub new_email: Option<String>,
    pub expires_at: Timestamp,
    /// What the email says, rendered at send time; the link's secret is not
    /// in it (the application puts it in `data` only as it must appear in the link).
    pub data: serde_json::Value,
}

/// What redeeming a token does, besides using it up.
#[derive(Debug, Clone)]
pub enum Redeem {
    VerifyEmail,
    /// Set this password hash (reset or claim); every session and API token of the user ends.
    SetPassword(String),
    ChangeEmail,
}

/// Which outbox rows a delivery log lists (within the caller's scope).
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub id: Option<i64>,
    pub channel: Option<Channel>,
    pub business: Option<BusinessId>,
    pub user: Option<UserId>,
    pub endpoint: Option<i64>,
}

/// The changeable parts of an endpoint.
#[derive(Debug, Clone)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub event_types: Option<String>,
    /// Re-enabling clears the failure count and the reason.
    pub enabled: Option<bool>,
}

/// A worker a business brings on board: the profile, the login's email and
/// the invitation (a `ClaimAccount` token; its `user` is filled in on write).
#[derive(Debug, Clone)]
pub struct ImportedWorker {
    pub worker: slivers_core::worker::Worker,
    pub email: String,
    pub invitation: NewAccountToken,
}
