//! The event log: appended in the same transaction as the change it records.

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

/// Key of the PostgreSQL advisory lock that orders event appends.
const EVENT_ORDER_LOCK: i64 = 0x5_11_7e_e7;

/// Append an event. On PostgreSQL the append takes a transaction-scoped lock
/// held until commit, so events become visible in sequence order and a tailer
/// reading `seq > last` can never skip one that commits late.
///
/// The number is the last committed one plus one, read under that lock (and
/// under SQLite's single writer), never the column's default: a PostgreSQL
/// sequence hands out numbers outside the transaction, so a write that rolls
/// back after appending (a refused batch, a process killed before commit)
/// would leave a gap. Read-committed takes this statement's snapshot after
/// the lock was granted, so it sees the previous holder's commit.
pub(crate) async fn append(tx: &mut Tx, d: Draft<'_>, backend: super::Backend) -> Result<i64> {
    if backend == super::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(EVENT_ORDER_LOCK).execute(&mut **tx).await?;
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (seq, at, kind, actor_user_id, business_id, worker_id, shift_id, booking_id, data_json) \
         SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8 FROM events RETURNING seq",
    )
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
    super::outbox::fan_out(tx, seq, &d).await?;
    Ok(seq)
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
    pub(crate) async fn events_impl(&self, filter: &EventFilter, scope: &Scope, page: Page) -> Result<Vec<Event>> {
        let mut w = Where::default();
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
