//! Storage for the exchange: one [`Store`] trait, one SQL implementation that
//! speaks to SQLite (the embedded default) and PostgreSQL, each with its own
//! migrations, and one behaviour suite that runs against both.
//!
//! The store is the last word on the rules: booking writes re-run
//! [`slivers_core::rules::check`] inside the write transaction, with the
//! worker's row locked (PostgreSQL) or the database write-locked (SQLite).

mod assessments;
mod contact;
mod error;
mod inquiries;
mod model;
mod records;
mod sql;
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use slivers_core::assessments::{Answer, AssessmentSpec, Grade};
use slivers_core::booking::BookingAction;
use slivers_core::business::{Shift, Site};
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, UserId, WorkerId};
use slivers_core::documents::{Document, Party, PayStatement};
use slivers_core::timesheet::{Review, Timesheet};
use slivers_core::worker::Worker;

pub use assessments::*;
pub use contact::*;
pub use error::{Conflict, StoreError};
pub use inquiries::*;
pub use model::*;
pub use records::*;
pub use sql::Attendance;
pub use sql::{Backend, SqlStore};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything the exchange persists. Every method that reads or writes
/// tenant data takes the caller's [`Scope`], and the SQL filters on it:
/// a resource outside the scope is reported as not found.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Whether the database answers a trivial query (`SELECT 1`) within a
    /// couple of seconds, for health checks: a broken pool or a vanished
    /// database is an error, never a hang as long as the pool's acquire timeout.
    async fn ping(&self) -> Result<()>;

    // Accounts
    async fn create_user(&self, user: NewUser) -> Result<UserId>;
    /// A login together with the worker profile or business (and first site)
    /// it acts for, in one transaction: a taken email writes nothing.
    async fn create_account(&self, account: &NewAccount, now: Timestamp) -> Result<UserRecord>;
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>>;
    async fn create_token(&self, user: UserId, token_hash: &str, label: &str, now: Timestamp) -> Result<TokenRecord>;
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<(UserRecord, i64)>>;
    async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>>;
    /// Revoke one of `user`'s own tokens; false if there is no such live token.
    async fn revoke_token(&self, user: UserId, token_id: i64, now: Timestamp) -> Result<bool>;

    // Taxonomy
    async fn upsert_skills(&self, skills: &[(String, String)]) -> Result<()>;
    async fn list_skills(&self) -> Result<Vec<(String, String)>>;

    // Workers
    async fn create_worker(&self, worker: &Worker, actor: &Actor, now: Timestamp) -> Result<WorkerId>;
    async fn get_worker(&self, id: WorkerId, scope: &Scope) -> Result<Worker>;
    async fn update_worker(&self, worker: &Worker, actor: &Actor, now: Timestamp) -> Result<()>;
    async fn list_workers(&self, page: Page) -> Result<Vec<Worker>>;

    // Businesses and sites
    async fn create_business(&self, business: &NewBusiness, actor: &Actor, now: Timestamp) -> Result<BusinessId>;
    async fn get_business(&self, id: BusinessId, scope: &Scope) -> Result<Business>;
    async fn list_businesses(&self, scope: &Scope, page: Page) -> Result<Vec<Business>>;
    async fn set_wave_settings(&self, id: BusinessId, settings: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Business>;
    /// Set how many on-site shifts a worker does with the business before it
    /// may book them remotely (0: no such rule). New bookings are checked
    /// against it; bookings already made stand.
    async fn set_remote_rule(&self, id: BusinessId, onsite_before_remote: u32, actor: &Actor, now: Timestamp) -> Result<Business>;
    async fn create_site(&self, site: &NewSite, actor: &Actor, now: Timestamp) -> Result<Site>;
    /// Set a site's labour policy (`core::labour`); every shift at the site
    /// carries it from then on. New bookings are checked against it;
    /// bookings already made stand.
    async fn set_site_labour(&self, id: SiteId, rules: &slivers_core::labour::LabourRules, actor: &Actor, now: Timestamp) -> Result<Site>;
    async fn get_site(&self, id: SiteId, scope: &Scope) -> Result<Site>;
    async fn list_sites(&self, business: BusinessId, scope: &Scope) -> Result<Vec<Site>>;

    // Shifts
    async fn create_shift(&self, shift: &NewShift, actor: &Actor, now: Timestamp) -> Result<Shift>;
    async fn get_shift(&self, id: ShiftId, scope: &Scope) -> Result<Shift>;
    async fn list_shifts(&self, filter: &ShiftFilter, scope: &Scope, page: Page) -> Result<Vec<Shift>>;

    // Bookings: every write re-checks the rules inside its transaction.
    async fn book(&self, request: &BookRequest, actor: &Actor) -> Result<Booking>;
    /// Several bookings in one transaction, each re-checked against the ones
    /// before it: all are written or none (applying a roster).
    async fn book_many(&self, requests: &[BookRequest], actor: &Actor) -> Result<Vec<Booking>>;
    async fn transition(&self, id: BookingId, action: BookingAction, actor: &Actor, now: Timestamp) -> Result<Booking>;
    async fn get_booking(&self, id: BookingId, scope: &Scope) -> Result<Booking>;
    async fn list_bookings(&self, filter: &BookingFilter, scope: &Scope, page: Page) -> Result<Vec<Booking>>;

    /// Lapse every offer whose expiry has passed; returns the bookings expired.
    async fn expire_offers(&self, now: Timestamp) -> Result<Vec<Booking>>;

    // Offer waves
    async fn start_wave(&self, shift: ShiftId, settings: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Wave>;
    /// The latest wave campaign on a shift, if any.
    async fn get_wave(&self, shift: ShiftId, scope: &Scope) -> Result<Option<Wave>>;
    /// The active wave campaigns with something to do at `now`, soonest next
    /// wave first: a wave due, a shift that has started or is no longer open,
    /// or every place held. The others have nothing to do until their next wave.
    async fn waves_to_advance(&self, now: Timestamp) -> Result<Vec<Wave>>;
    /// Claim the wave due at `due` for sending by moving its next time to
    /// `next_at`; false if another server claimed it first.
    async fn claim_wave(&self, wave: i64, due: Timestamp, next_at: Timestamp) -> Result<bool>;
    /// Record a wave that was sent, with the offers it made, and when the next is due.
    async fn record_wave(&self, wave: i64, offers: &[BookingId], next_at: Timestamp, now: Timestamp) -> Result<Wave>;
    /// End an active wave campaign (filled, stopped or expired).
    async fn end_wave(&self, wave: i64, status: WaveStatus, actor: &Actor, now: Timestamp) -> Result<Wave>;

    /// Bookings that hold a worker's time and overlap `[from, to)`, for the matching index.
    async fn holding_bookings(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>>;
    /// Per worker: completed, no-show and worker-cancelled bookings, for reliability.
    async fn track_records(&self) -> Result<Vec<TrackRecord>>;
    /// On-site bookings holding time with businesses that ask for on-site
    /// shifts before remote work, by worker then start; one worker's or all.
    async fn onsite_history(&self, worker: Option<WorkerId>) -> Result<Vec<OnsiteShift>>;

    // The event log: customer timeline, audit trail and change feed in one.
    async fn events(&self, filter: &EventFilter, scope: &Scope, page: Page) -> Result<Vec<Event>>;
    async fn last_event_seq(&self) -> Result<i64>;

    /// Row counts per table, for tests that prove a failed request wrote nothing.
    async fn row_counts(&self) -> Result<Vec<(String, i64)>>;

    // Web portal sessions, by the hash of their token.
    async fn create_session(&self, token_hash: &str, user: UserId, csrf: &str, now: Timestamp, expires_at: Timestamp) -> Result<()>;
    /// The live (unexpired) session with this token hash, with its user.
    async fn session_by_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Record that the session was used at `now` (its idle clock restarts).
    async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<()>;

    // Failed sign-ins, shared by every server on the database (migration 0011).
    /// Record a failed sign-in under `key_hash`, forgetting every failure before `forget_before`.
    async fn record_sign_in_failure(&self, key_hash: &str, now: Timestamp, forget_before: Timestamp) -> Result<()>;
    /// Failed sign-ins under `key_hash` at or after `since`.
    async fn sign_in_failures(&self, key_hash: &str, since: Timestamp) -> Result<i64>;
    /// Forget the failures under `key_hash` (after a successful sign-in).
    async fn clear_sign_in_failures(&self, key_hash: &str) -> Result<()>;

    /// Change a posted shift's notes, headcount (not below the places held) and
    /// rates (only while nobody holds or is offered it).
    async fn edit_shift(&self, id: ShiftId, edit: &ShiftEdit, actor: &Actor, now: Timestamp) -> Result<Shift>;

    // After the work: billing terms, timesheets, ratings, documents, calendar feeds.
    async fn get_billing(&self, business: BusinessId, scope: &Scope) -> Result<BillingSettings>;
    async fn set_billing(&self, business: BusinessId, settings: &BillingSettings, actor: &Actor, now: Timestamp) -> Result<BillingSettings>;
    /// Check in (a timesheet opens) or out (it is submitted for review) at a
    /// stated time, with the booking's transition in the same transaction.
    async fn attend(&self, booking: BookingId, action: BookingAction, attendance: Attendance, actor: &Actor, now: Timestamp) -> Result<Timesheet>;
    async fn review_timesheet(&self, id: i64, review: &Review, actor: &Actor, now: Timestamp) -> Result<Timesheet>;
    /// Approve every submitted timesheet whose review window has ended.
    async fn auto_approve_timesheets(&self, now: Timestamp) -> Result<Vec<Timesheet>>;
    async fn get_timesheet(&self, id: i64, scope: &Scope) -> Result<Timesheet>;
    async fn list_timesheets(&self, filter: &TimesheetFilter, scope: &Scope, page: Page) -> Result<Vec<Timesheet>>;
    /// Rate the other side of a completed booking (`edit`: change one's rating within the edit window).
    async fn rate_booking(&self, booking: BookingId, stars: u8, comment: &str, edit: bool, actor: &Actor, now: Timestamp) -> Result<Rating>;
    async fn list_ratings(&self, filter: &RatingFilter, scope: &Scope, page: Page) -> Result<Vec<Rating>>;
    /// The ratings `subject` has received: average and count.
    async fn rating_summary(&self, subject: Owner) -> Result<RatingSummary>;
    /// Invoice the business's approved timesheets of ended periods, from `seller`.
    async fn issue_invoices(&self, business: BusinessId, seller: &Party, actor: &Actor, now: Timestamp) -> Result<Vec<Document>>;
    /// Cancel an invoice with a credit note, apply corrections, and issue the corrected invoice.
    async fn credit_invoice(&self, invoice: i64, credit: &Credit, actor: &Actor, now: Timestamp) -> Result<(Document, Option<Document>)>;
    async fn issue_pay_statements(&self, worker: WorkerId, actor: &Actor, now: Timestamp) -> Result<Vec<PayStatement>>;
    async fn get_document(&self, id: i64, scope: &Scope) -> Result<Document>;
    async fn get_pay_statement(&self, id: i64, scope: &Scope) -> Result<PayStatement>;
    async fn list_documents(&self, filter: &DocumentFilter, scope: &Scope, page: Page) -> Result<Vec<DocumentSummary>>;
    async fn create_calendar_feed(&self, owner: Owner, token_hash: &str, now: Timestamp) -> Result<CalendarFeed>;
    /// Revoke one of `owner`'s feeds; false if there is no such live feed.
    async fn revoke_calendar_feed(&self, owner: Owner, id: i64, now: Timestamp) -> Result<bool>;
    async fn list_calendar_feeds(&self, owner: Owner) -> Result<Vec<CalendarFeed>>;
    async fn calendar_feed_by_token(&self, token_hash: &str) -> Result<Option<CalendarFeed>>;

    // Contact: the outbox and its delivery log, webhook endpoints, email
    // preferences and the account lifecycle.
    /// Claim due outbox rows for sending (see `sql/outbox.rs` for the lease).
    async fn claim_due_notifications(&self, now: Timestamp, channel: Channel, limit: i64) -> Result<Vec<OutboxItem>>;
    async fn record_delivery(&self, id: i64, now: Timestamp, outcome: &Outcome) -> Result<()>;
    async fn list_outbox(&self, filter: &OutboxFilter, scope: &Scope, page: Page) -> Result<Vec<OutboxItem>>;
    async fn list_delivery_attempts(&self, outbox: i64, scope: &Scope) -> Result<Vec<Attempt>>;
    async fn create_webhook_endpoint(&self, business: BusinessId, url: &str, event_types: &str, secret: &str, now: Timestamp) -> Result<WebhookEndpoint>;
    async fn get_webhook_endpoint(&self, id: i64, scope: &Scope) -> Result<WebhookEndpoint>;
    async fn list_webhook_endpoints(&self, business: BusinessId, scope: &Scope) -> Result<Vec<WebhookEndpoint>>;
    async fn change_webhook_endpoint(&self, id: i64, change: &EndpointChange, scope: &Scope) -> Result<WebhookEndpoint>;
    /// A new signing secret; the previous one keeps signing for a day.
    async fn rotate_webhook_secret(&self, id: i64, secret: &str, now: Timestamp, scope: &Scope) -> Result<WebhookEndpoint>;
    /// A live (not deleted) user.
    async fn get_user(&self, id: UserId) -> Result<UserRecord>;
    async fn email_verified_at(&self, id: UserId) -> Result<Option<Timestamp>>;
    /// A single-use token and the email that carries it, in one transaction.
    async fn issue_account_token(&self, token: &NewAccountToken, now: Timestamp) -> Result<i64>;
    /// Use up a live token of `purpose` and apply `redeem`; otherwise `NotFound("token")`.
    async fn redeem_account_token(&self, token_hash: &str, purpose: TokenPurpose, redeem: &Redeem, now: Timestamp) -> Result<UserRecord>;
    async fn email_preferences(&self, user: UserId) -> Result<Vec<(String, bool)>>;
    async fn set_email_preference(&self, user: UserId, topic: &str, enabled: bool) -> Result<()>;
    /// The user's unsubscribe key, set to `candidate` if there is none yet.
    async fn unsubscribe_key(&self, user: UserId, candidate: &str) -> Result<String>;
    async fn user_by_unsubscribe_key(&self, key: &str) -> Result<Option<UserRecord>>;
    /// Imported workers, their logins and invitations, all or nothing.
    async fn import_workers(&self, rows: &[ImportedWorker], actor: &Actor, now: Timestamp) -> Result<Vec<WorkerId>>;
    /// Erase a login's personal data (and replace a worker's profile with `scrubbed`), keeping legal records.
    async fn delete_account(&self, user: UserId, scrubbed: Option<&Worker>, actor: &Actor, now: Timestamp) -> Result<()>;

    // Inquiries, feedback board, messages.
    /// Service hours and the target table in force (the defaults until an operator sets them).
    async fn contact_settings(&self) -> Result<ContactSettings>;
    /// Operators only; validated (every category × priority once).
    async fn set_contact_settings(&self, settings: &ContactSettings, actor: &Actor, now: Timestamp) -> Result<ContactSettings>;
    /// A customer (the actor) raises an inquiry; its targets are fixed from the table now.
    async fn raise_inquiry(&self, inquiry: &NewInquiry, actor: &Actor, now: Timestamp) -> Result<Inquiry>;
    /// Reply (customer), answer, wait on the customer or resolve (operators), reopen (either).
    async fn step_inquiry(&self, id: i64, step: &InquiryStep, actor: &Actor, now: Timestamp) -> Result<Inquiry>;
    /// An inquiry with its thread; targets as they stand at `now`.
    async fn get_inquiry(&self, id: i64, scope: &Scope, now: Timestamp) -> Result<InquiryThread>;
    async fn list_inquiries(&self, filter: &InquiryFilter, scope: &Scope, now: Timestamp, page: Page) -> Result<Vec<Inquiry>>;
    /// Raise the priority of every inquiry whose target is breached at `now`, once per breach.
    async fn escalate_inquiry_breaches(&self, now: Timestamp) -> Result<Vec<Escalation>>;
    async fn file_feature_request(&self, request: &NewFeatureRequest, actor: &Actor, now: Timestamp) -> Result<FeatureRequest>;
    async fn vote_feature_request(&self, id: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<FeatureRequest>;
    /// Operators: move every link of `duplicate` to `survivor`; the duplicate points to it.
    async fn merge_feature_requests(&self, duplicate: i64, survivor: i64, actor: &Actor, now: Timestamp) -> Result<FeatureRequest>;
    /// Operators: change the status, emailing every linked person once (outbox, same transaction).
    async fn set_feature_status(&self, id: i64, change: &FeatureChange, actor: &Actor, now: Timestamp) -> Result<FeatureRequest>;
    /// A request with the links `scope` may see (operators: all, with revenue).
    async fn get_feature_request(&self, id: i64, scope: &Scope) -> Result<FeatureRequest>;
    async fn list_feature_requests(&self, filter: &FeatureFilter, scope: &Scope, page: Page) -> Result<Vec<FeatureRequest>>;
    /// A message between a booking's parties (or from an operator), on both timelines.
    async fn send_booking_message(&self, booking: BookingId, text: &str, actor: &Actor, now: Timestamp) -> Result<BookingMessage>;
    async fn list_booking_messages(&self, booking: BookingId, scope: &Scope, page: Page) -> Result<Vec<BookingMessage>>;

    // Situational assessments.
    /// An operator authors an exchange-wide assessment; a business, its own.
    async fn create_assessment(&self, spec: &AssessmentSpec, actor: &Actor, now: Timestamp) -> Result<Assessment>;
    /// Exchange-wide assessments are seen by all; a business's own only by it,
    /// operators and the workers of its pool (booked with it) or who took it.
    async fn get_assessment(&self, id: i64, scope: &Scope) -> Result<Assessment>;
    async fn list_assessments(&self, scope: &Scope, page: Page) -> Result<Vec<Assessment>>;
    /// A worker starts an attempt; a retake only after a failed attempt's cool-down.
    async fn start_attempt(&self, assessment: i64, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt>;
    /// The worker hands in their answers (once).
    async fn submit_attempt(&self, id: i64, answers: &[Answer], actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt>;
    /// The worker asks a question while the attempt is open, before its deadline.
    async fn ask_question(&self, attempt: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question>;
    /// Staff (operators; a business for its own assessments) answer a question, once.
    async fn answer_question(&self, question: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question>;
    /// Grade a submitted attempt by the rubric; the assessment evidence is
    /// appended to the worker's skill claim in the same transaction.
    async fn grade_attempt(&self, id: i64, grade: &Grade, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt>;
    async fn get_attempt(&self, id: i64, scope: &Scope) -> Result<AttemptThread>;
    async fn list_attempts(&self, filter: &AttemptFilter, scope: &Scope, page: Page) -> Result<Vec<AssessmentAttempt>>;

    // Portable reputation (migration 0009).
    /// The exchange's signing key (encoded by the caller): `candidate` is stored
    /// on first use, after that the stored key is returned.
    async fn issuer_key(&self, candidate: &str, now: Timestamp) -> Result<String>;
    /// Register an issued credential; returns its status-list index.
    async fn record_credential(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<i64>;
    /// Revoke the worker's own credential; `NotFound("credential")` otherwise.
    async fn revoke_credential(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<IssuedCredential>;
    /// Issued credentials, one worker's or (`None`) all, by status index.
    async fn issued_credentials(&self, worker: Option<WorkerId>) -> Result<Vec<IssuedCredential>>;
}

/// Connect to `url` (`sqlite://…` or `postgres://…`) and run migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(SqlStore::connect(url).await?))
}
