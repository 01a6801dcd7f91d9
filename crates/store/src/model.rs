//! Records and inputs the store speaks in, beyond the domain types of `slivers-core`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::booking::BookingStatus;
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, UserId, WorkerId};
use slivers_core::skills::SkillRequirement;
use slivers_core::{Currency, Interval, Money, Zone};

/// What a caller may see: everything (operators and the system), one
/// business's data, or one worker's own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Business(BusinessId),
    Worker(WorkerId),
}

impl Scope {
    pub fn business(&self) -> Option<BusinessId> {
        match self {
            Scope::Business(b) => Some(*b),
            _ => None,
        }
    }
    pub fn worker(&self) -> Option<WorkerId> {
        match self {
            Scope::Worker(w) => Some(*w),
            _ => None,
        }
    }
}

/// Who is acting: recorded on every event they cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub scope: Scope,
}

impl Actor {
    /// The exchange itself (demo loading, expiry sweeps, the CLI).
    pub fn system() -> Actor {
        Actor { user: None, scope: Scope::All }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Worker,
    Business,
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Worker => "worker",
            Role::Business => "business",
            Role::Operator => "operator",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Worker, Role::Business, Role::Operator].into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub worker_id: Option<WorkerId>,
    pub business_id: Option<BusinessId>,
    pub now: Timestamp,
}

/// What a new account acts for, created with its login in one transaction.
#[derive(Debug, Clone)]
pub enum AccountProfile {
    Worker(slivers_core::worker::Worker),
    Business { business: NewBusiness, first_site: String, location: slivers_core::geo::GeoPoint },
}

/// A sign-up: the login (its worker or business id is filled in by the store)
/// and the profile it acts for.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub password_hash: String,
    pub profile: AccountProfile,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub worker_id: Option<WorkerId>,
    pub business_id: Option<BusinessId>,
}

impl UserRecord {
    pub fn scope(&self) -> Scope {
        match (self.role, self.worker_id, self.business_id) {
            (Role::Operator, _, _) => Scope::All,
            (Role::Worker, Some(w), _) => Scope::Worker(w),
            (Role::Business, _, Some(b)) => Scope::Business(b),
            // A login without its profile sees nothing of anyone's.
            _ => Scope::Worker(WorkerId(-1)),
        }
    }
    pub fn actor(&self) -> Actor {
        Actor { user: Some(self.id), scope: self.scope() }
    }
}

/// A signed-in web portal session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    /// The per-session token every form must echo.
    pub csrf: String,
    /// The absolute end: signing in again is the only way past it.
    pub expires_at: Timestamp,
    /// When the session was last used (`Store::touch_session`), for the idle limit.
    pub last_seen_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRecord {
    pub id: i64,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct NewBusiness {
    pub name: String,
    pub zone: Zone,
    pub currency: Currency,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Business {
    pub id: BusinessId,
    pub name: String,
    pub zone: Zone,
    pub currency: Currency,
    /// Defaults for offer waves on this business's shifts.
    pub waves: WaveSettings,
    /// A worker's first this-many shifts with the business are on site before
    /// it books them remotely (the rule `onsite_before_remote`); 0 is no rule.
    pub onsite_before_remote: u32,
}

/// A booking that holds a worker's time on site with a business that asks
/// for on-site shifts before remote work: what the matching index counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnsiteShift {
    pub worker_id: WorkerId,
    pub business_id: BusinessId,
    pub start: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewSite {
    pub business_id: BusinessId,
    pub name: String,
    pub zone: Zone,
    pub location: GeoPoint,
}

impl NewSite {
    /// A name of 1 to 200 characters and a location on the globe.
    pub fn validate(&self) -> Result<(), slivers_core::Invalid> {
        let mut c = slivers_core::validation::Collector::new();
        c.check(slivers_core::validation::text_ok(&self.name, 200), "name", "must be 1 to 200 characters");
        c.take("location", self.location.validate());
        c.finish()
    }
}

#[derive(Debug, Clone)]
pub struct NewShift {
    pub business_id: BusinessId,
    pub site_id: Option<SiteId>,
    pub window: Interval,
    pub skills: Vec<SkillRequirement>,
    pub headcount: u32,
    pub pay_rate: Money,
    pub bill_rate: Money,
    pub notes: String,
}

/// What may change on a posted shift.
#[derive(Debug, Clone)]
pub struct ShiftEdit {
    pub headcount: u32,
    pub pay_rate: Money,
    pub bill_rate: Money,
    pub notes: String,
}

#[derive(Debug, Clone, Default)]
pub struct ShiftFilter {
    pub business: Option<BusinessId>,
    /// Shifts that end after this instant.
    pub from: Option<Timestamp>,
    /// Shifts that start before this instant.
    pub to: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BookMode {
    /// Straight into declared availability: confirmed at once.
    Instant,
    /// A proposal the worker accepts or declines.
    Offer,
}

impl BookMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BookMode::Instant => "instant",
            BookMode::Offer => "offer",
        }
    }
}

#[derive(Debug, Clone)]
pub struct BookRequest {
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
    pub mode: BookMode,
    pub now: Timestamp,
    /// For offers: when the offer lapses if not answered.
    pub offer_expires_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    pub id: BookingId,
    pub shift_id: ShiftId,
    pub worker_id: WorkerId,
    pub business_id: BusinessId,
    pub status: BookingStatus,
    pub mode: BookMode,
    pub window: Interval,
    /// The worker's pay for the whole booking at the shift's pay rate.
    pub pay: Money,
    pub offer_expires_at: Option<Timestamp>,
    /// Minutes between a cancellation and the shift start.
    pub cancel_notice_minutes: Option<i64>,
    /// Cancelled with less notice than the business's policy asks.
    #[serde(default)]
    pub cancelled_late: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub worker: Option<WorkerId>,
    pub shift: Option<ShiftId>,
    pub status: Option<BookingStatus>,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub business: Option<BusinessId>,
    pub worker: Option<WorkerId>,
    /// Only events with a sequence number above this one.
    pub after_seq: Option<i64>,
    /// Newest first (a timeline) instead of in sequence (a tailer).
    pub newest_first: bool,
    /// Only events whose actor is an operator's login (the audit log).
    pub by_operators: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub seq: i64,
    pub at: Timestamp,
    pub kind: String,
    pub actor_user_id: Option<UserId>,
    pub business_id: Option<BusinessId>,
    pub worker_id: Option<WorkerId>,
    pub shift_id: Option<ShiftId>,
    pub booking_id: Option<BookingId>,
    /// What the event says beyond its references; `null` when it says
    /// nothing more (an update names only the worker it updated).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub data: serde_json::Value,
}

/// Paging for lists: at most `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 1000;
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Page {
        Page { limit: limit.unwrap_or(100).clamp(1, Self::MAX_LIMIT), offset: offset.unwrap_or(0).max(0) }
    }
    pub fn all() -> Page {
        Page { limit: i64::MAX / 2, offset: 0 }
    }
}

impl Default for Page {
    fn default() -> Self {
        Page::new(None, None)
    }
}

/// How a worker's past bookings ended (defined in the domain, where the index reads it).
pub use slivers_core::worker::TrackRecord;

/// How an offer wave ranks the candidates it picks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WaveOrder {
    /// The overall match score.
    Best,
    /// Most reliable first.
    Reliability,
    /// Nearest first.
    Distance,
    /// Furthest below their wanted hours first.
    Fairness,
}

impl WaveOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            WaveOrder::Best => "best",
            WaveOrder::Reliability => "reliability",
            WaveOrder::Distance => "distance",
            WaveOrder::Fairness => "fairness",
        }
    }
    pub fn parse(s: &str) -> Option<WaveOrder> {
        [WaveOrder::Best, WaveOrder::Reliability, WaveOrder::Distance, WaveOrder::Fairness].into_iter().find(|o| o.as_str() == s)
    }
}

/// Offer-wave settings: offer the best `size` candidates, then the next
/// `size` every `interval_minutes`, until filled or the shift starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaveSettings {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub size: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub interval_minutes: u32,
    pub order: WaveOrder,
}

impl Default for WaveSettings {
    fn default() -> Self {
        WaveSettings { size: 5, interval_minutes: 10, order: WaveOrder::Best }
    }
}

impl WaveSettings {
    pub fn validate(&self) -> Result<(), slivers_core::Invalid> {
        let mut c = slivers_core::validation::Collector::new();
        c.check((1..=100).contains(&self.size), "size", "must be 1 to 100");
        c.check((1..=1440).contains(&self.interval_minutes), "interval_minutes", "must be 1 to 1440");
        c.finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WaveStatus {
    Active,
    /// The shift reached its headcount.
    Filled,
    /// The business stopped it.
    Stopped,
    /// The shift started first.
    Expired,
}

impl WaveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WaveStatus::Active => "active",
            WaveStatus::Filled => "filled",
            WaveStatus::Stopped => "stopped",
            WaveStatus::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<WaveStatus> {
        [WaveStatus::Active, WaveStatus::Filled, WaveStatus::Stopped, WaveStatus::Expired].into_iter().find(|o| o.as_str() == s)
    }
}

/// One offer-wave campaign on a shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Wave {
    pub id: i64,
    pub shift_id: ShiftId,
    pub business_id: BusinessId,
    pub status: WaveStatus,
    pub settings: WaveSettings,
    pub started_at: Timestamp,
    pub next_wave_at: Timestamp,
    pub waves_sent: i64,
    pub offers_sent: i64,
    pub ended_at: Option<Timestamp>,
}

/// A portable reputation record the exchange signed (the signed JSON itself is
/// the worker's to keep; the exchange keeps only what revocation needs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCredential {
    /// `urn:slivers:credential:…`
    pub id: String,
    pub worker_id: WorkerId,
    /// Its place in the public status list.
    pub status_index: i64,
    pub issued_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}
