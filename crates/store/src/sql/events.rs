//! The event log: appended in the same transaction as the change it records,
//! numbered in the order events become visible.

use jiff::Timestamp;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, WorkerId};
use sqlx::AssertSqlSafe;

use super::rows::{self, EVENT_COLS};
use super::{ts, SqlStore, Tx};
use crate::model::*;
use crate::Result;

/// An event about to be appended.
pub(crate) struct Draft<'a> {
    pub kind: &'static str,
    pub at: Timestamp,
    pub actor: &'a Actor,
    pub business: Option<BusinessId>,
    pub worker: Option<WorkerId>,
    pub shift: Option<ShiftId>,
    pub booking: Option<BookingId>,
    pub data: serde_json::Value,
}

impl<'a> Draft<'a> {
    pub fn new(kind: &'static str, at: Timestamp, actor: &'a Actor) -> Self {
        Draft { kind, at, actor, business: None, worker: None, shift: None, booking: None, data: serde_json::Value::Null }
    }
}

/// Key of the PostgreSQL advisory lock the sequencer holds while it numbers.
/// No writer takes it: appends never wait on each other or on a reader.
const SEQUENCER_LOCK: i64 = 0x5_11_7e_e8;

/// Append an event and return its identity (the outbox's reference to it).
///
/// On PostgreSQL the append is a plain insert: the identity comes from a
/// sequence and the event has no number yet. It gets one after it commits,
/// from [`number_pending`] once it has, so writers of different tenants never
/// queue on the log (issue 13, item 3; migration 0013 says why this keeps
/// `seq` gap-free and in visibility order).
///
/// On SQLite the one writer numbers at once, the last number plus one, and
/// the identity is that number.
pub(crate) async fn append(tx: &mut Tx, d: Draft<'_>, backend: super::Backend) -> Result<i64> {
    let sql = match backend {
        super::Backend::Postgres => {
            "INSERT INTO events (at, kind, actor_user_id, business_id, worker_id, shift_id, booking_id, data_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
        }
        super::Backend::Sqlite => {
            "INSERT INTO events (seq, id, at, kind, actor_user_id, business_id, worker_id, shift_id, booking_id, data_json) \
             SELECT COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8 FROM events RETURNING id"
        }
    };
    let id: i64 = sqlx::query_scalar(sql)
        .bind(ts(d.at))
        .bind(d.kind)
        .bind(d.actor.user.map(|u| u.0))
        .bind(d.business.map(|b| b.0))
        .bind(d.worker.map(|w| w.0))
        .bind(d.shift.map(|s| s.0))
        .bind(d.booking.map(|b| b.0))
        .bind(d.data.to_string())
        .fetch_one(&mut **tx)
        .await?;
    super::outbox::fan_out(tx, id, &d).await?;
    if backend == super::Backend::Postgres {
        tx.number_after_commit();
    }
    Ok(id)
}

/// Whether a sequencer run waits for the one under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Turn {
    /// A writer that has just committed: wait, then number (its own events
    /// among them), so it answers only once they can be read.
    Wait,
    /// A reader: if a run is under way, leave the numbering to it and read
    /// what is numbered already; never queue behind writers.
    IfFree,
}

/// The sequencer (PostgreSQL): number every committed, unnumbered event, in
/// the order of their identities, after the highest number given so far.
/// Runs right after each transaction that appended commits (`Tx::commit`),
/// when a store connects (numbering what a writer that died between commit
/// and numbering left), and, when no run is under way, before a read of the
/// log.
///
/// One run at a time (an advisory lock only sequencers take): a run reads
/// the highest number after the previous run committed (read-committed takes
/// the statement's snapshot after the lock is granted), so numbers never
/// repeat or skip, and all of a run's numbers commit together. An event that
/// commits while a run is under way is left for the next one, with a higher
/// number: so a tailer that has read up to `seq` never later finds a smaller
/// number appear. Under load one run numbers the events of every writer that
/// committed while the previous run held the lock; the runs after it find
/// nothing and write nothing.
pub(crate) async fn number_pending(pool: &sqlx::AnyPool, turn: Turn) -> Result<()> {
    let pending: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE seq IS NULL LIMIT 1").fetch_optional(pool).await?;
    if pending.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    match turn {
        Turn::Wait => {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SEQUENCER_LOCK).execute(&mut *tx).await?;
        }
        Turn::IfFree => {
            let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(SEQUENCER_LOCK).fetch_one(&mut *tx).await?;
            if !free {
                return Ok(());
            }
        }
    }
    sqlx::query(
        "WITH top AS (SELECT COALESCE(MAX(seq), 0) AS seq FROM events), \
              pending AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM events WHERE seq IS NULL) \
         UPDATE events SET seq = top.seq + pending.n FROM top, pending WHERE events.id = pending.id",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A WHERE clause over integer parameters, numbered `$1…` for both databases.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub args: Vec<i64>,
}

impl Where {
    pub fn eq(&mut self, col: &str, v: i64) -> &mut Self {
        self.op(col, "=", v)
    }
    pub fn op(&mut self, col: &str, op: &str, v: i64) -> &mut Self {
        self.args.push(v);
        self.clauses.push(format!("{col} {op} ${}", self.args.len()));
        self
    }
    /// A clause with one integer parameter written as `{}` in `template`.
    pub fn clause(&mut self, template: &str, v: i64) -> &mut Self {
        self.args.push(v);
        self.clauses.push(template.replace("{}", &format!("${}", self.args.len())));
        self
    }
    /// A clause whose every `{}` is its own parameter bound to `v`, so a
    /// value used twice needs no parameter reused (SQLite and PostgreSQL alike).
    pub fn clause_each(&mut self, template: &str, v: i64) -> &mut Self {
        let mut out = String::new();
        let mut parts = template.split("{}").peekable();
        while let Some(p) = parts.next() {
            out.push_str(p);
            if parts.peek().is_some() {
                self.args.push(v);
                out.push_str(&format!("${}", self.args.len()));
            }
        }
        self.clauses.push(out);
        self
    }
    /// A clause with no parameter.
    pub fn raw(&mut self, clause: &str) -> &mut Self {
        self.clauses.push(clause.to_string());
        self
    }
    /// Restrict to `scope`: `business_col` for a business, `worker_col` for a worker.
    pub fn scope(&mut self, scope: &Scope, business_col: Option<&str>, worker_col: Option<&str>) -> &mut Self {
        match (scope, business_col, worker_col) {
            (Scope::All, _, _) => self,
            (Scope::Business(b), Some(col), _) => self.eq(col, b.0),
            (Scope::Worker(w), _, Some(col)) => self.eq(col, w.0),
            // A scope with no column to match sees nothing.
            _ => {
                self.clauses.push("1 = 0".into());
                self
            }
        }
    }
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
    pub fn next_param(&self) -> usize {
        self.args.len() + 1
    }
}

pub(crate) fn bind_all<'q>(
    sql: String,
    args: &[i64],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for a in args {
        q = q.bind(*a);
    }
    q
}

impl SqlStore {
    /// Before reading the log (PostgreSQL): number what is pending unless a
    /// run is under way already. Writers number their own events before they
    /// answer, so this only matters for events whose writer died between
    /// commit and numbering.
    pub(crate) async fn number_pending(&self) -> Result<()> {
        match self.backend {
            super::Backend::Postgres => number_pending(&self.pool, Turn::IfFree).await,
            super::Backend::Sqlite => Ok(()),
        }
    }

    pub(crate) async fn events_impl(&self, filter: &EventFilter, scope: &Scope, page: Page) -> Result<Vec<Event>> {
        self.number_pending().await?;
        let mut w = Where::default();
        // Events still waiting for their number are the next reader's.
        w.raw("seq IS NOT NULL");
        w.scope(scope, Some("business_id"), Some("worker_id"));
        if let Some(b) = filter.business {
            w.eq("business_id", b.0);
        }
        if let Some(wk) = filter.worker {
            w.eq("worker_id", wk.0);
        }
        if let Some(s) = filter.after_seq {
            w.op("seq", ">", s);
        }
        if filter.by_operators {
            w.raw("actor_user_id IN (SELECT id FROM users WHERE role = 'operator')");
        }
        let n = w.next_param();
        let order = if filter.newest_first { "DESC" } else { "ASC" };
        let sql = format!("SELECT {EVENT_COLS} FROM events{} ORDER BY seq {order} LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(rows::event).collect()
    }

    pub(crate) async fn last_event_seq_impl(&self) -> Result<i64> {
        self.number_pending().await?;
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events").fetch_one(&self.pool).await?;
        Ok(seq.unwrap_or(0))
    }

    pub(crate) async fn row_counts_impl(&self) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        // Every table the exchange writes, so "nothing was written" covers wave campaigns and sessions too
        // (not `issuer_keys`: its one row appears on the first read of the public key).
        for table in [
            "skills", "businesses", "sites", "workers", "worker_skills", "users", "api_tokens", "sessions", "shifts", "bookings",
            "offer_waves", "events", "timesheets", "ratings", "document_series", "documents", "calendar_feeds",
            "account_tokens", "email_preferences", "webhook_endpoints", "outbox", "outbox_attempts",
            "contact_settings", "inquiries", "inquiry_messages", "inquiry_pauses", "feature_requests", "feature_links",
            "booking_messages", "assessments", "assessment_attempts", "assessment_questions", "issued_credentials",
            "sign_in_failures",
        ] {
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&self.pool)
                .await?;
            out.push((table.to_string(), n));
        }
        Ok(out)
    }
}
