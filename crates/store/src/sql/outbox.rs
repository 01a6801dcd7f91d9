//! The transactional outbox. [`fan_out`] runs inside every event append, so
//! the notifications a change causes commit or roll back with the change.
//! The delivery loop (in the application layer) claims due rows with a
//! lease, sends them, and reports an [`Outcome`]; a loop killed between send
//! and report leaves the lease to run out, and the row is sent again with
//! the same message id, which lets receivers drop the duplicate.

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, UserId, WorkerId};
use slivers_core::notifications::{self, Audience};
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::contact::*;
use crate::model::{Page, Scope};
use crate::{Result, StoreError};

pub(crate) const OUTBOX_COLS: &str = "id, channel, topic, event_seq, business_id, worker_id, user_id, endpoint_id, recipient, \
     message_id, data_json, created_at, status, attempts, next_attempt_at, delivered_at, last_error";

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("outbox {what}: {v}"))
}

pub(crate) fn item(row: &AnyRow) -> Result<OutboxItem> {
    let channel: String = get(row, "channel")?;
    let status: String = get(row, "status")?;
    let data: String = get(row, "data_json")?;
    Ok(OutboxItem {
        id: get(row, "id")?,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
        topic: get(row, "topic")?,
        event_seq: get(row, "event_seq")?,
        business_id: get::<Option<i64>>(row, "business_id")?.map(BusinessId),
        worker_id: get::<Option<i64>>(row, "worker_id")?.map(WorkerId),
        user_id: get::<Option<i64>>(row, "user_id")?.map(UserId),
        endpoint_id: get(row, "endpoint_id")?,
        recipient: get(row, "recipient")?,
        message_id: get(row, "message_id")?,
        data: serde_json::from_str(&data).map_err(|e| corrupt("data_json", &e.to_string()))?,
        created_at: from_ts(get(row, "created_at")?)?,
        status: DeliveryStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        attempts: get(row, "attempts")?,
        next_attempt_at: from_ts(get(row, "next_attempt_at")?)?,
        delivered_at: get::<Option<i64>>(row, "delivered_at")?.map(from_ts).transpose()?,
        last_error: get(row, "last_error")?,
    })
}

/// A row about to be written to the outbox.
pub(crate) struct NewItem<'a> {
    pub channel: Channel,
    pub topic: &'a str,
    pub event_seq: Option<i64>,
    pub business: Option<i64>,
    pub worker: Option<i64>,
    pub user: Option<i64>,
    pub endpoint: Option<i64>,
    pub recipient: &'a str,
    pub message_id: String,
    pub data: &'a serde_json::Value,
    pub now: Timestamp,
}

pub(crate) async fn insert(tx: &mut Tx, n: NewItem<'_>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (channel, topic, event_seq, business_id, worker_id, user_id, endpoint_id, recipient, message_id, \
         data_json, created_at, status, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', 0, $11) RETURNING id",
    )
    .bind(n.channel.as_str())
    .bind(n.topic)
    .bind(n.event_seq)
    .bind(n.business)
    .bind(n.worker)
    .bind(n.user)
    .bind(n.endpoint)
    .bind(n.recipient)
    .bind(n.message_id)
    .bind(n.data.to_string())
    .bind(ts(n.now))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Live logins of a worker or business whose email `topic` is switched on.
/// Essential topics ignore preferences.
async fn recipients(tx: &mut Tx, audience: Audience, id: i64, topic: &str) -> Result<Vec<(i64, String)>> {
    let col = match audience {
        Audience::Worker => "worker_id",
        Audience::Business => "business_id",
    };
    let essential = notifications::topic(topic).is_none_or(|t| t.essential);
    let opt_out = if essential {
        ""
    } else {
        " AND NOT EXISTS (SELECT 1 FROM email_preferences p WHERE p.user_id = u.id AND p.topic = $2 AND p.enabled = 0)"
    };
    let sql = format!("SELECT u.id, u.email FROM users u WHERE u.{col} = $1 AND u.deleted_at IS NULL{opt_out} ORDER BY u.id");
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(id);
    if !essential {
        q = q.bind(topic);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok((get(r, "id")?, get(r, "email")?))).collect()
}

/// What the shift an event is about looks like, for the email to say.
async fn shift_context(tx: &mut Tx, shift: i64) -> Result<serde_json::Value> {
    let row = sqlx::query(
        "SELECT s.start_at, s.end_at, s.zone, COALESCE(si.name, '') AS site, b.name AS business \
         FROM shifts s JOIN businesses b ON b.id = s.business_id LEFT JOIN sites si ON si.id = s.site_id WHERE s.id = $1",
    )
    .bind(shift)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(serde_json::Value::Null) };
    Ok(serde_json::json!({
        "id": shift,
        "start": from_ts(get(&row, "start_at")?)?.to_string(),
        "end": from_ts(get(&row, "end_at")?)?.to_string(),
        "zone": get::<String>(&row, "zone")?,
        "site": get::<String>(&row, "site")?,
        "business": get::<String>(&row, "business")?,
    }))
}

/// Write the outbox rows an event causes: emails by the topic table, and a
/// webhook delivery to each enabled endpoint of the event's business that
/// subscribed to its kind. Runs inside the event's transaction.
pub(crate) async fn fan_out(tx: &mut Tx, seq: i64, d: &Draft<'_>) -> Result<()> {
    let emails = notifications::emails_for(d.kind);
    let endpoints = match d.business {
        Some(b) => {
            let rows = sqlx::query("SELECT id, url, event_types FROM webhook_endpoints WHERE business_id = $1 AND enabled = 1 ORDER BY id")
                .bind(b.0)
                .fetch_all(&mut **tx)
                .await?;
            let mut out = Vec::new();
            for r in &rows {
                let types: String = get(r, "event_types")?;
                if notifications::subscribed(&types, d.kind) {
                    out.push((get::<i64>(r, "id")?, get::<String>(r, "url")?));
                }
            }
            out
        }
        None => Vec::new(),
    };
    if emails.is_empty() && endpoints.is_empty() {
        return Ok(());
    }
    let shift = match d.shift {
        Some(s) if !emails.is_empty() => shift_context(tx, s.0).await?,
        _ => serde_json::Value::Null,
    };
    let ids = serde_json::json!({
        "business_id": d.business.map(|b| b.0), "worker_id": d.worker.map(|w| w.0),
        "shift_id": d.shift.map(|s| s.0), "booking_id": d.booking.map(|b| b.0),
    });
    for (audience, topic) in emails {
        let id = match audience {
            Audience::Worker => d.worker.map(|w| w.0),
            Audience::Business => d.business.map(|b| b.0),
        };
        let Some(id) = id else { continue };
        for (user, email) in recipients(tx, *audience, id, topic).await? {
            let data = serde_json::json!({ "event": d.kind, "at": d.at.to_string(), "ids": ids, "shift": shift, "detail": d.data });
            let (business, worker) = match audience {
                Audience::Worker => (None, Some(id)),
                Audience::Business => (Some(id), None),
            };
            let message_id = format!("<event-{seq}.user-{user}@slivers.exchange>");
            insert(tx, NewItem { channel: Channel::Email, topic, event_seq: Some(seq), business, worker, user: Some(user),
                endpoint: None, recipient: &email, message_id, data: &data, now: d.at }).await?;
        }
    }
    for (endpoint, url) in endpoints {
        // The Standard Webhooks payload: type, timestamp, data.
        let mut data = serde_json::json!({ "event_seq": seq });
        if let (Some(obj), serde_json::Value::Object(ids)) = (data.as_object_mut(), &ids) {
            obj.extend(ids.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())));
            if let serde_json::Value::Object(detail) = &d.data {
                obj.extend(detail.clone());
            }
        }
        let payload = serde_json::json!({ "type": d.kind, "timestamp": d.at.to_string(), "data": data });
        insert(tx, NewItem { channel: Channel::Webhook, topic: d.kind, event_seq: Some(seq), business: d.business.map(|b| b.0),
            worker: None, user: None, endpoint: Some(endpoint), recipient: &url, message_id: format!("msg_{seq}_{endpoint}"),
            data: &payload, now: d.at }).await?;
    }
    Ok(())
}

/// How long a claimed row stays out of other loops' reach: longer than any
/// send may take (the SMTP and HTTP clients time out well within it).
pub const LEASE_SECONDS: i64 = 60;

impl SqlStore {
    /// Claim up to `limit` due rows: each claim pushes the row's next attempt
    /// a lease ahead and counts the attempt, so two loops never send the same
    /// row at once, and a loop that dies leaves the row to be retried.
    pub(crate) async fn claim_due_impl(&self, now: Timestamp, channel: Channel, limit: i64) -> Result<Vec<OutboxItem>> {
        let sql = format!(
            "SELECT {OUTBOX_COLS} FROM outbox WHERE status = 'pending' AND channel = $1 AND next_attempt_at <= $2 ORDER BY id LIMIT $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(channel.as_str()).bind(ts(now)).bind(limit).fetch_all(&self.pool).await?;
        let mut claimed = Vec::new();
        for row in &rows {
            let mut it = item(row)?;
            let lease = ts(now) + LEASE_SECONDS;
            let n = sqlx::query(
                "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3",
            )
            .bind(lease)
            .bind(it.id)
            .bind(ts(it.next_attempt_at))
            .execute(&self.pool)
            .await?
            .rows_affected();
            if n == 1 {
                it.attempts += 1;
                it.next_attempt_at = from_ts(lease)?;
                claimed.push(it);
            }
        }
        Ok(claimed)
    }

    /// Record what one attempt came to: the row, the delivery log and the
    /// endpoint's failure count move together.
    pub(crate) async fn record_outcome_impl(&self, id: i64, now: Timestamp, outcome: &Outcome) -> Result<()> {
        let mut tx = self.write().await?;
        let endpoint: Option<i64> = sqlx::query_scalar("SELECT endpoint_id FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("outbox item"))?;
        let (ok, code, error) = match outcome {
            Outcome::Delivered { code } => (true, *code, None),
            Outcome::Retry { code, error, .. } | Outcome::GiveUp { code, error, .. } => (false, *code, Some(error.clone())),
        };
        sqlx::query("INSERT INTO outbox_attempts (outbox_id, at, ok, code, error) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(ts(now))
            .bind(i64::from(ok))
            .bind(code)
            .bind(error.clone())
            .execute(&mut *tx)
            .await?;
        match outcome {
            Outcome::Delivered { .. } => {
                // A link's secret lives in the row only until it is sent.
                sqlx::query("UPDATE outbox SET status = 'delivered', delivered_at = $1, last_error = NULL, \
                             data_json = CASE WHEN channel = 'email' AND topic = 'account' THEN '{\"scrubbed\":true}' ELSE data_json END \
                             WHERE id = $2")
                    .bind(ts(now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Outcome::Retry { at, error, .. } => {
                sqlx::query("UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3")
                    .bind(ts(*at))
                    .bind(error)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Outcome::GiveUp { error, .. } => {
                sqlx::query("UPDATE outbox SET status = 'failed', last_error = $1 WHERE id = $2").bind(error).bind(id).execute(&mut *tx).await?;
            }
        }
        if let Some(endpoint) = endpoint {
            match outcome {
                Outcome::Delivered { .. } => {
                    sqlx::query("UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1").bind(endpoint).execute(&mut *tx).await?;
                }
                Outcome::Retry { .. } | Outcome::GiveUp { disable_endpoint: None, .. } => {
                    sqlx::query("UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $1")
                        .bind(endpoint)
                        .execute(&mut *tx)
                        .await?;
                }
                Outcome::GiveUp { disable_endpoint: Some(why), .. } => {
                    sqlx::query("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, consecutive_failures = consecutive_failures + 1 WHERE id = $2")
                        .bind(why)
                        .bind(endpoint)
                        .execute(&mut *tx)
                        .await?;
                    // Nothing more goes to a disabled endpoint.
                    sqlx::query("UPDATE outbox SET status = 'failed', last_error = $1 WHERE endpoint_id = $2 AND status = 'pending'")
                        .bind(format!("endpoint disabled: {why}"))
                        .bind(endpoint)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn list_outbox_impl(&self, filter: &OutboxFilter, scope: &Scope, page: Page) -> Result<Vec<OutboxItem>> {
        let mut w = Where::default();
        w.scope(scope, Some("business_id"), Some("worker_id"));
        if let Some(b) = filter.business {
            w.eq("business_id", b.0);
        }
        if let Some(u) = filter.user {
            w.eq("user_id", u.0);
        }
        if let Some(e) = filter.endpoint {
            w.eq("endpoint_id", e);
        }
        if let Some(id) = filter.id {
            w.eq("id", id);
        }
        let mut sql = format!("SELECT {OUTBOX_COLS} FROM outbox{}", w.sql());
        if let Some(c) = filter.channel {
            sql.push_str(if w.sql().is_empty() { " WHERE " } else { " AND " });
            sql.push_str(if c == Channel::Email { "channel = 'email'" } else { "channel = 'webhook'" });
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(item).collect()
    }

    pub(crate) async fn list_attempts_impl(&self, outbox: i64, scope: &Scope) -> Result<Vec<Attempt>> {
        let mut w = Where::default();
        w.eq("o.id", outbox).scope(scope, Some("o.business_id"), Some("o.worker_id"));
        let sql = format!(
            "SELECT a.outbox_id, a.at, a.ok, a.code, a.error FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id{} ORDER BY a.id",
            w.sql()
        );
        let rows = bind_all(sql, &w.args).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Attempt {
                    outbox_id: get(r, "outbox_id")?,
                    at: from_ts(get(r, "at")?)?,
                    ok: get::<i64>(r, "ok")? == 1,
                    code: get(r, "code")?,
                    error: get(r, "error")?,
                })
            })
            .collect()
    }
}
