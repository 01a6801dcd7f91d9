//! Inquiries: raised by a customer about a document, booking or timesheet,
//! answered by operators in a thread, with first-response and resolution
//! targets that run on the exchange's business hours and stand still while
//! the exchange waits on the customer. The targets' state is computed when
//! read (with the caller's `now`), from the raw times stored per inquiry;
//! the escalation sweep raises the priority once per breach.

use jiff::Timestamp;
use slivers_core::contact::{self, check_text, ContactSettings, Customer, InquiryStatus, PauseKind, BODY_CHARS, SUBJECT_CHARS};
use slivers_core::ids::{BusinessId, UserId, WorkerId};
use slivers_core::service_clock::{Pause, ServiceHours};
use slivers_core::validation::Collector;
use slivers_core::Invalid;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe};

use super::events::{append, bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::error::Conflict;
use crate::inquiries::*;
use crate::model::{Actor, Page, Scope};
use crate::{Result, StoreError};

const COLS: &str = "id, business_id, worker_id, raised_by, category, priority, status, subject, about_kind, about_id, \
    first_response_minutes, resolution_minutes, opened_at, first_response_at, resolved_at, escalations, \
    first_response_escalated_at, resolution_escalated_at";

fn corrupt(what: &str, v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("inquiries.{what}: {v}"))
}

fn opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    get::<Option<i64>>(row, col)?.map(from_ts).transpose()
}

fn minutes(row: &AnyRow, col: &str) -> Result<u32> {
    let v: i64 = get(row, col)?;
    u32::try_from(v).map_err(|e| corrupt(col, e))
}

pub(crate) fn customer_of(row: &AnyRow) -> Result<Customer> {
    match (get::<Option<i64>>(row, "business_id")?, get::<Option<i64>>(row, "worker_id")?) {
        (Some(b), None) => Ok(Customer::Business(BusinessId(b))),
        (None, Some(w)) => Ok(Customer::Worker(WorkerId(w))),
        _ => Err(StoreError::Corrupt("a customer row must name exactly one business or worker".into())),
    }
}

/// The customer an actor is, or `Forbidden` for operators (who answer, not raise).
pub(crate) fn acting_customer(actor: &Actor, why: &'static str) -> Result<Customer> {
    match actor.scope {
        Scope::Business(b) => Ok(Customer::Business(b)),
        Scope::Worker(w) => Ok(Customer::Worker(w)),
        Scope::All => Err(StoreError::Forbidden(why)),
    }
}

/// The event about a customer: it lands on their timeline, and only theirs.
pub(crate) fn customer_draft<'a>(kind: &'static str, now: Timestamp, actor: &'a Actor, customer: Customer) -> Draft<'a> {
    let mut d = Draft::new(kind, now, actor);
    d.business = customer.business();
    d.worker = customer.worker();
    d
}

fn pause(row: &AnyRow) -> Result<(i64, Pause)> {
    Ok((get(row, "inquiry_id")?, Pause { from: from_ts(get(row, "from_at")?)?, to: opt_ts(row, "to_at")? }))
}

/// Decode an inquiry and compute where its targets stand at `now`.
fn inquiry(row: &AnyRow, pauses: Vec<Pause>, hours: &ServiceHours, now: Timestamp) -> Result<Inquiry> {
    let text = |col: &str| get::<String>(row, col);
    let category = text("category")?;
    let priority = text("priority")?;
    let status = text("status")?;
    let about = match (get::<Option<String>>(row, "about_kind")?, get::<Option<i64>>(row, "about_id")?) {
        (Some(k), Some(id)) => Some(About::from_parts(&k, id).ok_or_else(|| corrupt("about_kind", &k))?),
        _ => None,
    };
    let opened_at = from_ts(get(row, "opened_at")?)?;
    let first_response_at = opt_ts(row, "first_response_at")?;
    let resolved_at = opt_ts(row, "resolved_at")?;
    let first_response = contact::target_view(hours, opened_at, minutes(row, "first_response_minutes")?, &pauses, first_response_at, now);
    let resolution = contact::target_view(hours, opened_at, minutes(row, "resolution_minutes")?, &pauses, resolved_at, now);
    Ok(Inquiry {
        id: get(row, "id")?,
        customer: customer_of(row)?,
        raised_by: get::<Option<i64>>(row, "raised_by")?.map(UserId),
        category: InquiryCategory::parse(&category).ok_or_else(|| corrupt("category", &category))?,
        priority: Priority::parse(&priority).ok_or_else(|| corrupt("priority", &priority))?,
        status: InquiryStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        subject: text("subject")?,
        about,
        opened_at,
        first_response_at,
        resolved_at,
        escalations: get(row, "escalations")?,
        first_response,
        resolution,
        pauses,
    })
}

fn message(row: &AnyRow) -> Result<InquiryMessage> {
    let author: String = get(row, "author")?;
    Ok(InquiryMessage {
        id: get(row, "id")?,
        inquiry_id: get(row, "inquiry_id")?,
        author: match author.as_str() {
            "customer" => InquiryAuthor::Customer,
            "operator" => InquiryAuthor::Operator,
            other => return Err(corrupt("author", other)),
        },
        user_id: get::<Option<i64>>(row, "user_id")?.map(UserId),
        action: get(row, "action")?,
        text: get(row, "body")?,
        at: from_ts(get(row, "at")?)?,
    })
}

/// The settings in force: the stored document, or the defaults.
pub(crate) async fn settings<'e, E: sqlx::Executor<'e, Database = Any>>(e: E) -> Result<ContactSettings> {
    let json: Option<String> = sqlx::query_scalar("SELECT settings_json FROM contact_settings WHERE id = 1").fetch_optional(e).await?;
    match json {
        Some(j) => serde_json::from_str(&j).map_err(|e| StoreError::Corrupt(format!("contact_settings: {e}"))),
        None => Ok(ContactSettings::default()),
    }
}

/// Pauses of the given inquiries, grouped by inquiry, oldest first.
async fn pauses_of<'e, E: sqlx::Executor<'e, Database = Any>>(e: E, ids: &[i64]) -> Result<Vec<(i64, Pause)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT inquiry_id, from_at, to_at FROM inquiry_pauses WHERE inquiry_id IN ({}) ORDER BY id", marks.join(", "));
    let rows = bind_all(sql, ids).fetch_all(e).await?;
    rows.iter().map(pause).collect()
}

fn take_pauses(all: &[(i64, Pause)], id: i64) -> Vec<Pause> {
    all.iter().filter(|(i, _)| *i == id).map(|(_, p)| *p).collect()
}

/// Does `about` exist and belong to `customer`? Otherwise the input is bad
/// (and says so without revealing whether someone else's record exists).
async fn check_about(tx: &mut Tx, about: About, customer: Customer) -> Result<()> {
    let table = match about {
        About::Document(_) => "documents",
        About::Booking(_) => "bookings",
        About::Timesheet(_) => "timesheets",
    };
    let (col, id) = match customer {
        Customer::Business(b) => ("business_id", b.0),
        Customer::Worker(w) => ("worker_id", w.0),
    };
    let sql = format!("SELECT id FROM {table} WHERE id = $1 AND {col} = $2");
    let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql)).bind(about.id()).bind(id).fetch_optional(&mut **tx).await?;
    match found {
        Some(_) => Ok(()),
        None => Err(Invalid::one("about.id", format!("no {} {} of yours", about.kind(), about.id())).into()),
    }
}

async fn insert_message(tx: &mut Tx, inquiry: i64, operator: bool, actor: &Actor, action: &str, text: &str, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO inquiry_messages (inquiry_id, author, user_id, action, body, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(inquiry)
        .bind(if operator { "operator" } else { "customer" })
        .bind(actor.user.map(|u| u.0))
        .bind(action)
        .bind(text.trim())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl SqlStore {
    pub(crate) async fn contact_settings_impl(&self) -> Result<ContactSettings> {
        settings(&self.pool).await
    }

    /// Operators only. The change applies to targets shown from now on;
    /// targets already promised keep their minutes (see `slivers_core::contact`).
    pub(crate) async fn set_contact_settings_impl(&self, s: &ContactSettings, actor: &Actor, now: Timestamp) -> Result<ContactSettings> {
        if actor.scope != Scope::All {
            return Err(StoreError::Forbidden("only operators change response targets and service hours"));
        }
        s.validate()?;
        let json = serde_json::to_string(s).map_err(|e| StoreError::Corrupt(format!("contact_settings: {e}")))?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM contact_settings WHERE id = 1").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO contact_settings (id, settings_json, updated_at) VALUES (1, $1, $2)")
            .bind(&json)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        let mut d = Draft::new("inquiry.settings_changed", now, actor);
        d.data = serde_json::json!({ "zone": s.hours.zone.name(), "targets": s.targets.len() });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(s.clone())
    }

    pub(crate) async fn raise_inquiry_impl(&self, n: &NewInquiry, actor: &Actor, now: Timestamp) -> Result<Inquiry> {
        let customer = acting_customer(actor, "operators answer inquiries; customers raise them")?;
        let mut c = Collector::new();
        check_text(&mut c, "subject", &n.subject, SUBJECT_CHARS);
        check_text(&mut c, "text", &n.text, BODY_CHARS);
        c.check(n.about.is_none_or(|a| a.id() > 0), "about.id", "must be a positive id");
        c.finish()?;
        let mut tx = self.write().await?;
        if let Some(about) = n.about {
            check_about(&mut tx, about, customer).await?;
        }
        let s = settings(&mut *tx).await?;
        let target = s.target(n.category, n.priority).ok_or_else(|| StoreError::Corrupt("contact_settings lacks a target".into()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inquiries (business_id, worker_id, raised_by, category, priority, status, subject, about_kind, about_id, \
             first_response_minutes, resolution_minutes, opened_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(customer.business().map(|b| b.0))
        .bind(customer.worker().map(|w| w.0))
        .bind(actor.user.map(|u| u.0))
        .bind(n.category.as_str())
        .bind(n.priority.as_str())
        .bind(n.subject.trim())
        .bind(n.about.map(About::kind))
        .bind(n.about.map(About::id))
        .bind(i64::from(target.first_response_minutes))
        .bind(i64::from(target.resolution_minutes))
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        insert_message(&mut tx, id, false, actor, "raise", &n.text, now).await?;
        let mut d = customer_draft("inquiry.raised", now, actor, customer);
        d.data = serde_json::json!({ "inquiry_id": id, "category": n.category, "priority": n.priority, "about": n.about,
            "length": n.text.trim().chars().count() });
        append(&mut tx, d, self.backend).await?;
        let out = self.inquiry_in_tx(&mut tx, id, &s.hours, now).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn inquiry_in_tx(&self, tx: &mut Tx, id: i64, hours: &ServiceHours, now: Timestamp) -> Result<Inquiry> {
        let sql = format!("SELECT {COLS} FROM inquiries WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?.ok_or(StoreError::NotFound("inquiry"))?;
        let pauses = pauses_of(&mut **tx, &[id]).await?;
        inquiry(&row, take_pauses(&pauses, id), hours, now)
    }

    /// One step of the thread, by the state machine in `slivers_core::contact`.
    /// Another customer's inquiry is not found; a customer taking an
    /// operator's step (or an operator replying as the customer) is forbidden.
    pub(crate) async fn step_inquiry_impl(&self, id: i64, step: &InquiryStep, actor: &Actor, now: Timestamp) -> Result<Inquiry> {
        let mut c = Collector::new();
        let bounds = if step.action.needs_text() { BODY_CHARS } else { (0, BODY_CHARS.1) };
        check_text(&mut c, "text", &step.text, bounds);
        c.finish()?;
        let mut tx = self.write().await?;
        let mut w = Where::default();
        w.eq("id", id).scope(&actor.scope, Some("business_id"), Some("worker_id"));
        let sql = format!("SELECT {COLS} FROM inquiries{}{}", w.sql(), self.for_update());
        let row = bind_all(sql, &w.args).fetch_optional(&mut *tx).await?.ok_or(StoreError::NotFound("inquiry"))?;
        let s = settings(&mut *tx).await?;
        let before = inquiry(&row, Vec::new(), &s.hours, now)?;
        let operator = actor.scope == Scope::All;
        if step.action.by_operator() && !operator {
            return Err(StoreError::Forbidden("only operators answer, wait on the customer or resolve an inquiry"));
        }
        if step.action == InquiryAction::Reply && operator {
            return Err(StoreError::Forbidden("operators answer; the customer replies"));
        }
        let next = before
            .status
            .apply(step.action)
            .map_err(|e| Conflict::Refused { rule: "inquiry_state", reason: e.to_string() })?;
        if next.ends_pause {
            sqlx::query("UPDATE inquiry_pauses SET to_at = $1 WHERE inquiry_id = $2 AND to_at IS NULL")
                .bind(ts(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(kind) = next.starts_pause {
            sqlx::query("INSERT INTO inquiry_pauses (inquiry_id, kind, from_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(kind.as_str())
                .bind(ts(now))
                .execute(&mut *tx)
                .await?;
        }
        // A response is stored once, at the first operator response; a
        // resolution moves with every resolve and is cleared by a reopen.
        let first_response = before.first_response_at.or(next.responds.then_some(now));
        let resolved = match (next.to, step.action) {
            (InquiryStatus::Resolved, _) => Some(now),
            (_, InquiryAction::Reopen) => None,
            _ => before.resolved_at,
        };
        sqlx::query("UPDATE inquiries SET status = $1, first_response_at = $2, resolved_at = $3, updated_at = $4 WHERE id = $5")
            .bind(next.to.as_str())
            .bind(first_response.map(ts))
            .bind(resolved.map(ts))
            .bind(ts(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !step.text.trim().is_empty() {
            insert_message(&mut tx, id, operator, actor, step.action.as_str(), &step.text, now).await?;
        }
        let mut d = customer_draft(step.action.event_kind(), now, actor, before.customer);
        // The wait this step ended, in wall-clock minutes, for the timeline to show.
        let waited = |since: Timestamp| now.duration_since(since).as_secs() / 60;
        let responded_after = (before.first_response_at.is_none() && first_response.is_some()).then(|| waited(before.opened_at));
        let resolved_after = (next.to == InquiryStatus::Resolved).then(|| waited(before.opened_at));
        d.data = serde_json::json!({ "inquiry_id": id, "category": before.category, "priority": before.priority,
            "from": before.status, "status": next.to, "length": step.text.trim().chars().count(),
            "paused": next.starts_pause.map(PauseKind::as_str),
            "first_response_after_minutes": responded_after, "resolved_after_minutes": resolved_after });
        append(&mut tx, d, self.backend).await?;
        let out = self.inquiry_in_tx(&mut tx, id, &s.hours, now).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn get_inquiry_impl(&self, id: i64, scope: &Scope, now: Timestamp) -> Result<InquiryThread> {
        let mut w = Where::default();
        w.eq("id", id).scope(scope, Some("business_id"), Some("worker_id"));
        let sql = format!("SELECT {COLS} FROM inquiries{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound("inquiry"))?;
        let s = settings(&self.pool).await?;
        let pauses = pauses_of(&self.pool, &[id]).await?;
        let inquiry = inquiry(&row, take_pauses(&pauses, id), &s.hours, now)?;
        let rows = sqlx::query("SELECT id, inquiry_id, author, user_id, action, body, at FROM inquiry_messages WHERE inquiry_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let messages = rows.iter().map(message).collect::<Result<_>>()?;
        Ok(InquiryThread { inquiry, messages })
    }

    pub(crate) async fn list_inquiries_impl(&self, f: &InquiryFilter, scope: &Scope, now: Timestamp, page: Page) -> Result<Vec<Inquiry>> {
        let mut w = Where::default();
        w.scope(scope, Some("business_id"), Some("worker_id"));
        match f.customer {
            Some(Customer::Business(b)) => w.eq("business_id", b.0),
            Some(Customer::Worker(x)) => w.eq("worker_id", x.0),
            None => &mut w,
        };
        if let Some(t) = f.opened_from {
            w.op("opened_at", ">=", ts(t));
        }
        if let Some(t) = f.opened_to {
            w.op("opened_at", "<", ts(t));
        }
        let mut sql = format!("SELECT {COLS} FROM inquiries{}", w.sql());
        // Enum names come from a fixed list, never from input text.
        let mut fixed = Vec::new();
        if let Some(s) = f.status {
            fixed.push(format!("status = '{}'", s.as_str()));
        }
        if let Some(c) = f.category {
            fixed.push(format!("category = '{}'", c.as_str()));
        }
        for (i, clause) in fixed.iter().enumerate() {
            sql.push_str(if i == 0 && w.args.is_empty() { " WHERE " } else { " AND " });
            sql.push_str(clause);
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY opened_at, id LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        let s = settings(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|r| get::<i64>(r, "id")).collect::<Result<_>>()?;
        let pauses = pauses_of(&self.pool, &ids).await?;
        rows.iter().zip(&ids).map(|(r, id)| inquiry(r, take_pauses(&pauses, *id), &s.hours, now)).collect()
    }

    /// Escalate every breach not escalated yet: raise the priority one step
    /// and append `inquiry.escalated`, once per target. Rows are locked, so
    /// two servers sweeping at once escalate each breach once.
    pub(crate) async fn escalate_breaches_impl(&self, now: Timestamp) -> Result<Vec<Escalation>> {
        let mut tx = self.write().await?;
        let s = settings(&mut *tx).await?;
        let sql = format!(
            "SELECT {COLS} FROM inquiries WHERE status <> 'resolved' \
             AND (first_response_escalated_at IS NULL OR resolution_escalated_at IS NULL) ORDER BY id{}",
            self.for_update()
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
        let ids: Vec<i64> = rows.iter().map(|r| get::<i64>(r, "id")).collect::<Result<_>>()?;
        let pauses = pauses_of(&mut *tx, &ids).await?;
        let actor = Actor::system();
        let mut out = Vec::new();
        for (row, id) in rows.iter().zip(&ids) {
            let q = inquiry(row, take_pauses(&pauses, *id), &s.hours, now)?;
            let mut priority = q.priority;
            let targets = [
                (TargetKind::FirstResponse, q.first_response, "first_response_escalated_at"),
                (TargetKind::Resolution, q.resolution, "resolution_escalated_at"),
            ];
            for (kind, view, col) in targets {
                let due_at = match view.status {
                    slivers_core::service_clock::TargetStatus::Breached { due_at, .. } => due_at,
                    _ => continue,
                };
                if get::<Option<i64>>(row, col)?.is_some() {
                    continue;
                }
                let to = priority.raised();
                let sql = format!("UPDATE inquiries SET priority = $1, escalations = escalations + 1, {col} = $2, updated_at = $2 WHERE id = $3");
                sqlx::query(AssertSqlSafe(sql)).bind(to.as_str()).bind(ts(now)).bind(id).execute(&mut *tx).await?;
                let mut d = customer_draft("inquiry.escalated", now, &actor, q.customer);
                d.data = serde_json::json!({ "inquiry_id": id, "target": kind.as_str(), "from": priority, "to": to,
                    "due_at": due_at.to_string() });
                append(&mut tx, d, self.backend).await?;
                out.push(Escalation { inquiry_id: *id, customer: q.customer, target: kind, from: priority, to, due_at });
                priority = to;
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}
