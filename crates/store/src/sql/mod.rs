//! One SQL implementation over sqlx's `Any` driver. The two databases differ
//! only where [`Backend`] says so: connection set-up, migrations, how a write
//! transaction begins, and row locks.

mod accounts;
mod assessments;
mod bookings;
mod credentials;
mod documents;
mod feedback;
mod feeds;
mod inquiries;
mod labour;
mod lifecycle;
mod outbox;
mod webhooks;
mod ratings;
mod remote;
mod timesheets;
mod events;
mod evidence;
mod market;
mod messages;
mod migrate;
mod rows;
mod sessions;
mod shift_edit;
mod sign_in;
mod waves;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use slivers_core::booking::BookingAction;
use slivers_core::business::{Shift, Site};
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, UserId, WorkerId};
use slivers_core::worker::Worker;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};

use crate::model::*;
use crate::records::*;
use crate::contact::*;
use crate::inquiries::*;
use crate::assessments::*;
use slivers_core::assessments::{Answer, AssessmentSpec, Grade};
use slivers_core::documents::{Document, Party, PayStatement};
use slivers_core::timesheet::{Review, Timesheet};
pub use timesheets::Attendance;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's write queue: one turn per write transaction of this process.
    writers: Arc<tokio::sync::Mutex<()>>,
}

/// A transaction that derefs to its connection (`&mut *tx`, `&mut **tx` are
/// executors, as with sqlx's own). A SQLite write transaction also holds the
/// process's write turn until it commits, rolls back or is dropped.
pub(crate) struct Tx {
    // Declared first, so a dropped transaction starts its rollback before the
    // turn passes on. sqlx finishes that rollback when the connection is next
    // used, so after an error the next writer may still meet the busy handler
    // once; correctness rests on `BEGIN IMMEDIATE`, the queue only saves waiting.
    inner: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.inner.commit().await
    }
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

impl SqlStore {
    pub async fn connect(url: &str) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| StoreError::Corrupt(format!("unsupported database URL `{url}`: use sqlite:// or postgres://")))?;
        let (url, max) = match backend {
            // `mode=rwc` creates the file on first use: `slivers serve` needs no set-up.
            Backend::Sqlite if !url.contains("mode=") => {
                (format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }), 8)
            }
            Backend::Sqlite => (url.to_string(), 8),
            Backend::Postgres => (url.to_string(), 16),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Writers queue on the write lock instead of failing under load.
                        conn.execute("PRAGMA busy_timeout = 60000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // FULL: a commit returns only after its WAL frames
                        // are synced, so an acknowledged write survives power
                        // loss too. NORMAL would be enough for a killed process
                        // (the OS keeps the written WAL) but could drop the last
                        // acknowledged bookings with the machine; the cost,
                        // measured in ARCHITECTURE.md, is one fsync per write.
                        conn.execute("PRAGMA synchronous = FULL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let store = SqlStore { pool, backend, writers: Arc::new(tokio::sync::Mutex::new(())) };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// Begin a write transaction. SQLite takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so a read-check-write sequence can never be
    /// interleaved with another writer.
    ///
    /// On SQLite the writers of this process first queue for their turn, in
    /// order, without a connection: SQLite's own wait for a taken write lock
    /// is a busy handler that sleeps in growing steps (up to 100 ms) while
    /// holding a pooled connection, so under load the lock sat idle while
    /// its waiters slept and readers ran out of connections (measured in
    /// BENCHMARKS.md). Other processes on the same file still meet the busy
    /// handler.
    async fn write(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.writers.clone().lock_owned().await;
                Tx { inner: self.pool.begin_with("BEGIN IMMEDIATE").await?, _turn: Some(turn) }
            }
            Backend::Postgres => Tx { inner: self.pool.begin().await?, _turn: None },
        })
    }

    /// Begin a transaction that only reads: one snapshot for several statements.
    async fn read(&self) -> Result<Tx> {
        Ok(Tx { inner: self.pool.begin().await?, _turn: None })
    }

    /// `FOR UPDATE` where the database has row locks; SQLite already holds the write lock.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// `SELECT 1` bounded by [`PING_TIMEOUT`]: the pool waits up to a minute
    /// for a connection, far longer than a load balancer waits for a health check.
    async fn ping_impl(&self) -> Result<()> {
        // The row is discarded: decoding `1` would differ between the two drivers.
        let query = sqlx::query("SELECT 1").fetch_one(&self.pool);
        match tokio::time::timeout(PING_TIMEOUT, query).await {
            Ok(answer) => answer.map(|_| ()).map_err(StoreError::from),
            Err(_) => Err(StoreError::Db(sqlx::Error::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("the database did not answer SELECT 1 within {PING_TIMEOUT:?}"),
            )))),
        }
    }
}

/// How long [`Store::ping`] waits for the database.
pub const PING_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) fn ts(t: Timestamp) -> i64 {
    t.as_second()
}

pub(crate) fn from_ts(s: i64) -> Result<Timestamp> {
    Timestamp::from_second(s).map_err(|e| StoreError::Corrupt(format!("bad instant {s}: {e}")))
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    use sqlx::Row;
    row.try_get(col).map_err(StoreError::from)
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> Result<()> {
        self.ping_impl().await
    }

    async fn create_user(&self, user: NewUser) -> Result<UserId> {
        self.create_user_impl(user).await
    }
    async fn create_account(&self, account: &NewAccount, now: Timestamp) -> Result<UserRecord> {
        self.create_account_impl(account, now).await
    }
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>> {
        self.user_by_email_impl(email).await
    }
    async fn create_token(&self, user: UserId, token_hash: &str, label: &str, now: Timestamp) -> Result<TokenRecord> {
        self.create_token_impl(user, token_hash, label, now).await
    }
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<(UserRecord, i64)>> {
        self.user_by_token_impl(token_hash).await
    }
    async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenRecord>> {
        self.list_tokens_impl(user).await
    }
    async fn revoke_token(&self, user: UserId, token_id: i64, now: Timestamp) -> Result<bool> {
        self.revoke_token_impl(user, token_id, now).await
    }
    async fn upsert_skills(&self, skills: &[(String, String)]) -> Result<()> {
        self.upsert_skills_impl(skills).await
    }
    async fn list_skills(&self) -> Result<Vec<(String, String)>> {
        self.list_skills_impl().await
    }
    async fn create_worker(&self, worker: &Worker, actor: &Actor, now: Timestamp) -> Result<WorkerId> {
        self.create_worker_impl(worker, actor, now).await
    }
    async fn get_worker(&self, id: WorkerId, scope: &Scope) -> Result<Worker> {
        self.get_worker_impl(id, scope).await
    }
    async fn update_worker(&self, worker: &Worker, actor: &Actor, now: Timestamp) -> Result<()> {
        self.update_worker_impl(worker, actor, now).await
    }
    async fn list_workers(&self, page: Page) -> Result<Vec<Worker>> {
        self.list_workers_impl(page).await
    }
    async fn create_business(&self, business: &NewBusiness, actor: &Actor, now: Timestamp) -> Result<BusinessId> {
        self.create_business_impl(business, actor, now).await
    }
    async fn get_business(&self, id: BusinessId, scope: &Scope) -> Result<Business> {
        self.get_business_impl(id, scope).await
    }
    async fn list_businesses(&self, scope: &Scope, page: Page) -> Result<Vec<Business>> {
        self.list_businesses_impl(scope, page).await
    }
    async fn set_wave_settings(&self, id: BusinessId, settings: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Business> {
        self.set_wave_settings_impl(id, settings, actor, now).await
    }
    async fn set_remote_rule(&self, id: BusinessId, onsite_before_remote: u32, actor: &Actor, now: Timestamp) -> Result<Business> {
        self.set_remote_rule_impl(id, onsite_before_remote, actor, now).await
    }
    async fn create_site(&self, site: &NewSite, actor: &Actor, now: Timestamp) -> Result<Site> {
        self.create_site_impl(site, actor, now).await
    }
    async fn set_site_labour(&self, id: SiteId, rules: &slivers_core::labour::LabourRules, actor: &Actor, now: Timestamp) -> Result<Site> {
        self.set_site_labour_impl(id, rules, actor, now).await
    }
    async fn get_site(&self, id: SiteId, scope: &Scope) -> Result<Site> {
        self.get_site_impl(id, scope).await
    }
    async fn list_sites(&self, business: BusinessId, scope: &Scope) -> Result<Vec<Site>> {
        self.list_sites_impl(business, scope).await
    }
    async fn create_shift(&self, shift: &NewShift, actor: &Actor, now: Timestamp) -> Result<Shift> {
        self.create_shift_impl(shift, actor, now).await
    }
    async fn get_shift(&self, id: ShiftId, scope: &Scope) -> Result<Shift> {
        self.get_shift_impl(id, scope).await
    }
    async fn list_shifts(&self, filter: &ShiftFilter, scope: &Scope, page: Page) -> Result<Vec<Shift>> {
        self.list_shifts_impl(filter, scope, page).await
    }
    async fn book(&self, request: &BookRequest, actor: &Actor) -> Result<Booking> {
        self.book_impl(request, actor).await
    }
    async fn book_many(&self, requests: &[BookRequest], actor: &Actor) -> Result<Vec<Booking>> {
        self.book_many_impl(requests, actor).await
    }
    async fn transition(&self, id: BookingId, action: BookingAction, actor: &Actor, now: Timestamp) -> Result<Booking> {
        self.transition_impl(id, action, actor, now).await
    }
    async fn get_booking(&self, id: BookingId, scope: &Scope) -> Result<Booking> {
        self.get_booking_impl(id, scope).await
    }
    async fn list_bookings(&self, filter: &BookingFilter, scope: &Scope, page: Page) -> Result<Vec<Booking>> {
        self.list_bookings_impl(filter, scope, page).await
    }
    async fn expire_offers(&self, now: Timestamp) -> Result<Vec<Booking>> {
        self.expire_offers_impl(now).await
    }
    async fn start_wave(&self, shift: ShiftId, settings: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Wave> {
        self.start_wave_impl(shift, settings, actor, now).await
    }
    async fn get_wave(&self, shift: ShiftId, scope: &Scope) -> Result<Option<Wave>> {
        self.get_wave_impl(shift, scope).await
    }
    async fn waves_to_advance(&self, now: Timestamp) -> Result<Vec<Wave>> {
        self.waves_to_advance_impl(now).await
    }
    async fn claim_wave(&self, wave: i64, due: Timestamp, next_at: Timestamp) -> Result<bool> {
        self.claim_wave_impl(wave, due, next_at).await
    }
    async fn record_wave(&self, wave: i64, offers: &[BookingId], next_at: Timestamp, now: Timestamp) -> Result<Wave> {
        self.record_wave_impl(wave, offers, next_at, now).await
    }
    async fn end_wave(&self, wave: i64, status: WaveStatus, actor: &Actor, now: Timestamp) -> Result<Wave> {
        self.end_wave_impl(wave, status, actor, now).await
    }
    async fn holding_bookings(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Booking>> {
        self.holding_bookings_impl(from, to).await
    }
    async fn track_records(&self) -> Result<Vec<TrackRecord>> {
        self.track_records_impl().await
    }
    async fn onsite_history(&self, worker: Option<WorkerId>) -> Result<Vec<OnsiteShift>> {
        self.onsite_history_impl(worker).await
    }
    async fn events(&self, filter: &EventFilter, scope: &Scope, page: Page) -> Result<Vec<Event>> {
        self.events_impl(filter, scope, page).await
    }
    async fn last_event_seq(&self) -> Result<i64> {
        self.last_event_seq_impl().await
    }
    async fn row_counts(&self) -> Result<Vec<(String, i64)>> {
        self.row_counts_impl().await
    }
    async fn create_session(&self, token_hash: &str, user: UserId, csrf: &str, now: Timestamp, expires_at: Timestamp) -> Result<()> {
        self.create_session_impl(token_hash, user, csrf, now, expires_at).await
    }
    async fn session_by_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>> {
        self.session_by_token_impl(token_hash, now).await
    }
    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.delete_session_impl(token_hash).await
    }
    async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        self.touch_session_impl(token_hash, now).await
    }
    async fn record_sign_in_failure(&self, key_hash: &str, now: Timestamp, forget_before: Timestamp) -> Result<()> {
        self.record_sign_in_failure_impl(key_hash, now, forget_before).await
    }
    async fn sign_in_failures(&self, key_hash: &str, since: Timestamp) -> Result<i64> {
        self.sign_in_failures_impl(key_hash, since).await
    }
    async fn clear_sign_in_failures(&self, key_hash: &str) -> Result<()> {
        self.clear_sign_in_failures_impl(key_hash).await
    }
    async fn edit_shift(&self, id: ShiftId, edit: &ShiftEdit, actor: &Actor, now: Timestamp) -> Result<Shift> {
        self.edit_shift_impl(id, edit, actor, now).await
    }
    async fn get_billing(&self, business: BusinessId, scope: &Scope) -> Result<BillingSettings> {
        self.get_billing_impl(business, scope).await
    }
    async fn set_billing(&self, business: BusinessId, settings: &BillingSettings, actor: &Actor, now: Timestamp) -> Result<BillingSettings> {
        self.set_billing_impl(business, settings, actor, now).await
    }
    async fn attend(&self, booking: BookingId, action: BookingAction, attendance: Attendance, actor: &Actor, now: Timestamp) -> Result<Timesheet> {
        self.attend_impl(booking, action, attendance, actor, now).await
    }
    async fn review_timesheet(&self, id: i64, review: &Review, actor: &Actor, now: Timestamp) -> Result<Timesheet> {
        self.review_timesheet_impl(id, review, actor, now).await
    }
    async fn auto_approve_timesheets(&self, now: Timestamp) -> Result<Vec<Timesheet>> {
        self.auto_approve_timesheets_impl(now).await
    }
    async fn get_timesheet(&self, id: i64, scope: &Scope) -> Result<Timesheet> {
        self.get_timesheet_impl(id, scope).await
    }
    async fn list_timesheets(&self, filter: &TimesheetFilter, scope: &Scope, page: Page) -> Result<Vec<Timesheet>> {
        self.list_timesheets_impl(filter, scope, page).await
    }
    async fn rate_booking(&self, booking: BookingId, stars: u8, comment: &str, edit: bool, actor: &Actor, now: Timestamp) -> Result<Rating> {
        self.rate_booking_impl(booking, stars, comment, edit, actor, now).await
    }
    async fn list_ratings(&self, filter: &RatingFilter, scope: &Scope, page: Page) -> Result<Vec<Rating>> {
        self.list_ratings_impl(filter, scope, page).await
    }
    async fn rating_summary(&self, subject: Owner) -> Result<RatingSummary> {
        self.rating_summary_impl(subject).await
    }
    async fn issue_invoices(&self, business: BusinessId, seller: &Party, actor: &Actor, now: Timestamp) -> Result<Vec<Document>> {
        self.issue_invoices_impl(business, seller, actor, now).await
    }
    async fn credit_invoice(&self, invoice: i64, credit: &Credit, actor: &Actor, now: Timestamp) -> Result<(Document, Option<Document>)> {
        self.credit_invoice_impl(invoice, credit, actor, now).await
    }
    async fn issue_pay_statements(&self, worker: WorkerId, actor: &Actor, now: Timestamp) -> Result<Vec<PayStatement>> {
        self.issue_pay_statements_impl(worker, actor, now).await
    }
    async fn get_document(&self, id: i64, scope: &Scope) -> Result<Document> {
        self.get_document_impl(id, scope).await
    }
    async fn get_pay_statement(&self, id: i64, scope: &Scope) -> Result<PayStatement> {
        self.get_pay_statement_impl(id, scope).await
    }
    async fn list_documents(&self, filter: &DocumentFilter, scope: &Scope, page: Page) -> Result<Vec<DocumentSummary>> {
        self.list_documents_impl(filter, scope, page).await
    }
    async fn create_calendar_feed(&self, owner: Owner, token_hash: &str, now: Timestamp) -> Result<CalendarFeed> {
        self.create_calendar_feed_impl(owner, token_hash, now).await
    }
    async fn revoke_calendar_feed(&self, owner: Owner, id: i64, now: Timestamp) -> Result<bool> {
        self.revoke_calendar_feed_impl(owner, id, now).await
    }
    async fn list_calendar_feeds(&self, owner: Owner) -> Result<Vec<CalendarFeed>> {
        self.list_calendar_feeds_impl(owner).await
    }
    async fn calendar_feed_by_token(&self, token_hash: &str) -> Result<Option<CalendarFeed>> {
        self.calendar_feed_by_token_impl(token_hash).await
    }

    async fn claim_due_notifications(&self, now: Timestamp, channel: Channel, limit: i64) -> Result<Vec<OutboxItem>> {
        self.claim_due_impl(now, channel, limit).await
    }
    async fn record_delivery(&self, id: i64, now: Timestamp, outcome: &Outcome) -> Result<()> {
        self.record_outcome_impl(id, now, outcome).await
    }
    async fn list_outbox(&self, filter: &OutboxFilter, scope: &Scope, page: Page) -> Result<Vec<OutboxItem>> {
        self.list_outbox_impl(filter, scope, page).await
    }
    async fn list_delivery_attempts(&self, outbox: i64, scope: &Scope) -> Result<Vec<Attempt>> {
        self.list_attempts_impl(outbox, scope).await
    }
    async fn create_webhook_endpoint(&self, business: BusinessId, url: &str, event_types: &str, secret: &str, now: Timestamp) -> Result<WebhookEndpoint> {
        self.create_endpoint_impl(business, url, event_types, secret, now).await
    }
    async fn get_webhook_endpoint(&self, id: i64, scope: &Scope) -> Result<WebhookEndpoint> {
        self.get_endpoint_impl(id, scope).await
    }
    async fn list_webhook_endpoints(&self, business: BusinessId, scope: &Scope) -> Result<Vec<WebhookEndpoint>> {
        self.list_endpoints_impl(business, scope).await
    }
    async fn change_webhook_endpoint(&self, id: i64, change: &EndpointChange, scope: &Scope) -> Result<WebhookEndpoint> {
        self.change_endpoint_impl(id, change, scope).await
    }
    async fn rotate_webhook_secret(&self, id: i64, secret: &str, now: Timestamp, scope: &Scope) -> Result<WebhookEndpoint> {
        self.rotate_endpoint_secret_impl(id, secret, now, scope).await
    }
    async fn get_user(&self, id: UserId) -> Result<UserRecord> {
        self.get_user_impl(id).await
    }
    async fn email_verified_at(&self, id: UserId) -> Result<Option<Timestamp>> {
        self.email_verified_at_impl(id).await
    }
    async fn issue_account_token(&self, token: &NewAccountToken, now: Timestamp) -> Result<i64> {
        self.issue_account_token_impl(token, now).await
    }
    async fn redeem_account_token(&self, token_hash: &str, purpose: TokenPurpose, redeem: &Redeem, now: Timestamp) -> Result<UserRecord> {
        self.redeem_account_token_impl(token_hash, purpose, redeem, now).await
    }
    async fn email_preferences(&self, user: UserId) -> Result<Vec<(String, bool)>> {
        self.email_preferences_impl(user).await
    }
    async fn set_email_preference(&self, user: UserId, topic: &str, enabled: bool) -> Result<()> {
        self.set_email_preference_impl(user, topic, enabled).await
    }
    async fn unsubscribe_key(&self, user: UserId, candidate: &str) -> Result<String> {
        self.unsubscribe_key_impl(user, candidate).await
    }
    async fn user_by_unsubscribe_key(&self, key: &str) -> Result<Option<UserRecord>> {
        self.user_by_unsubscribe_key_impl(key).await
    }
    async fn import_workers(&self, rows: &[ImportedWorker], actor: &Actor, now: Timestamp) -> Result<Vec<WorkerId>> {
        self.import_workers_impl(rows, actor, now).await
    }
    async fn delete_account(&self, user: UserId, scrubbed: Option<&Worker>, actor: &Actor, now: Timestamp) -> Result<()> {
        self.delete_account_impl(user, scrubbed, actor, now).await
    }

    async fn contact_settings(&self) -> Result<ContactSettings> {
        self.contact_settings_impl().await
    }
    async fn set_contact_settings(&self, settings: &ContactSettings, actor: &Actor, now: Timestamp) -> Result<ContactSettings> {
        self.set_contact_settings_impl(settings, actor, now).await
    }
    async fn raise_inquiry(&self, inquiry: &NewInquiry, actor: &Actor, now: Timestamp) -> Result<Inquiry> {
        self.raise_inquiry_impl(inquiry, actor, now).await
    }
    async fn step_inquiry(&self, id: i64, step: &InquiryStep, actor: &Actor, now: Timestamp) -> Result<Inquiry> {
        self.step_inquiry_impl(id, step, actor, now).await
    }
    async fn get_inquiry(&self, id: i64, scope: &Scope, now: Timestamp) -> Result<InquiryThread> {
        self.get_inquiry_impl(id, scope, now).await
    }
    async fn list_inquiries(&self, filter: &InquiryFilter, scope: &Scope, now: Timestamp, page: Page) -> Result<Vec<Inquiry>> {
        self.list_inquiries_impl(filter, scope, now, page).await
    }
    async fn escalate_inquiry_breaches(&self, now: Timestamp) -> Result<Vec<Escalation>> {
        self.escalate_breaches_impl(now).await
    }
    async fn file_feature_request(&self, request: &NewFeatureRequest, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        self.file_feature_request_impl(request, actor, now).await
    }
    async fn vote_feature_request(&self, id: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        self.vote_feature_request_impl(id, text, actor, now).await
    }
    async fn merge_feature_requests(&self, duplicate: i64, survivor: i64, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        self.merge_feature_requests_impl(duplicate, survivor, actor, now).await
    }
    async fn set_feature_status(&self, id: i64, change: &FeatureChange, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        self.set_feature_status_impl(id, change, actor, now).await
    }
    async fn get_feature_request(&self, id: i64, scope: &Scope) -> Result<FeatureRequest> {
        self.get_feature_request_impl(id, scope).await
    }
    async fn list_feature_requests(&self, filter: &FeatureFilter, scope: &Scope, page: Page) -> Result<Vec<FeatureRequest>> {
        self.list_feature_requests_impl(filter, scope, page).await
    }
    async fn send_booking_message(&self, booking: BookingId, text: &str, actor: &Actor, now: Timestamp) -> Result<BookingMessage> {
        self.send_message_impl(booking, text, actor, now).await
    }
    async fn list_booking_messages(&self, booking: BookingId, scope: &Scope, page: Page) -> Result<Vec<BookingMessage>> {
        self.list_messages_impl(booking, scope, page).await
    }

    async fn create_assessment(&self, spec: &AssessmentSpec, actor: &Actor, now: Timestamp) -> Result<Assessment> {
        self.create_assessment_impl(spec, actor, now).await
    }
    async fn get_assessment(&self, id: i64, scope: &Scope) -> Result<Assessment> {
        self.get_assessment_impl(id, scope).await
    }
    async fn list_assessments(&self, scope: &Scope, page: Page) -> Result<Vec<Assessment>> {
        self.list_assessments_impl(scope, page).await
    }
    async fn start_attempt(&self, assessment: i64, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        self.start_attempt_impl(assessment, actor, now).await
    }
    async fn submit_attempt(&self, id: i64, answers: &[Answer], actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        self.submit_attempt_impl(id, answers, actor, now).await
    }
    async fn ask_question(&self, attempt: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question> {
        self.ask_question_impl(attempt, text, actor, now).await
    }
    async fn answer_question(&self, question: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<Question> {
        self.answer_question_impl(question, text, actor, now).await
    }
    async fn grade_attempt(&self, id: i64, grade: &Grade, actor: &Actor, now: Timestamp) -> Result<AssessmentAttempt> {
        self.grade_attempt_impl(id, grade, actor, now).await
    }
    async fn get_attempt(&self, id: i64, scope: &Scope) -> Result<AttemptThread> {
        self.get_attempt_impl(id, scope).await
    }
    async fn list_attempts(&self, filter: &AttemptFilter, scope: &Scope, page: Page) -> Result<Vec<AssessmentAttempt>> {
        self.list_assessment_attempts_impl(filter, scope, page).await
    }
    async fn issuer_key(&self, candidate: &str, now: Timestamp) -> Result<String> {
        self.issuer_key_impl(candidate, now).await
    }
    async fn record_credential(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<i64> {
        self.record_credential_impl(id, worker, now).await
    }
    async fn revoke_credential(&self, id: &str, worker: WorkerId, now: Timestamp) -> Result<IssuedCredential> {
        self.revoke_credential_impl(id, worker, now).await
    }
    async fn issued_credentials(&self, worker: Option<WorkerId>) -> Result<Vec<IssuedCredential>> {
        self.issued_credentials_impl(worker).await
    }
}
