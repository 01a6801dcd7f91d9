//! Messages about a booking between its two parties (and operators). A
//! message goes on both timelines as `message.sent`, whose data holds the
//! length but never the text: the event log feeds webhooks and audits, and
//! a private conversation does not belong in either.

use jiff::Timestamp;
use slivers_core::contact::{booking_allows_messages, check_text, BODY_CHARS};
use slivers_core::ids::{BookingId, BusinessId, UserId, WorkerId};
use slivers_core::validation::Collector;
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{append, bind_all, Draft, Where};
use super::{from_ts, get, ts, SqlStore};
use crate::error::Conflict;
use crate::inquiries::*;
use crate::model::{Actor, Page, Scope};
use crate::{Result, StoreError};

const COLS: &str = "id, booking_id, business_id, worker_id, author, user_id, body, at";

fn message(row: &AnyRow) -> Result<BookingMessage> {
    let author: String = get(row, "author")?;
    Ok(BookingMessage {
        id: get(row, "id")?,
        booking_id: BookingId(get(row, "booking_id")?),
        business_id: BusinessId(get(row, "business_id")?),
        worker_id: WorkerId(get(row, "worker_id")?),
        author: MessageAuthor::parse(&author).ok_or_else(|| StoreError::Corrupt(format!("booking_messages.author: {author}")))?,
        user_id: get::<Option<i64>>(row, "user_id")?.map(UserId),
        text: get(row, "body")?,
        at: from_ts(get(row, "at")?)?,
    })
}

impl SqlStore {
    /// Only the booking's business, its worker and operators may write, and
    /// only once the two were matched (`slivers_core::contact::booking_allows_messages`).
    pub(crate) async fn send_message_impl(&self, id: BookingId, text: &str, actor: &Actor, now: Timestamp) -> Result<BookingMessage> {
        let mut c = Collector::new();
        check_text(&mut c, "text", text, BODY_CHARS);
        c.finish()?;
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "bookings", id.0).await? {
            return Err(StoreError::NotFound("booking"));
        }
        let b = Self::booking_in_tx(&mut tx, id.0).await?;
        let author = match actor.scope {
            Scope::All => MessageAuthor::Operator,
            Scope::Business(x) if x == b.business_id => MessageAuthor::Business,
            Scope::Worker(x) if x == b.worker_id => MessageAuthor::Worker,
            _ => return Err(StoreError::NotFound("booking")),
        };
        if !booking_allows_messages(b.status) {
            let reason = format!("messages open once the worker is booked; this booking is {}", b.status);
            return Err(Conflict::Refused { rule: "messages", reason }.into());
        }
        let text = text.trim();
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO booking_messages (booking_id, business_id, worker_id, author, user_id, body, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id.0)
        .bind(b.business_id.0)
        .bind(b.worker_id.0)
        .bind(author.as_str())
        .bind(actor.user.map(|u| u.0))
        .bind(text)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        let mut d = Draft::new("message.sent", now, actor);
        d.business = Some(b.business_id);
        d.worker = Some(b.worker_id);
        d.shift = Some(b.shift_id);
        d.booking = Some(b.id);
        d.data = serde_json::json!({ "message_id": mid, "from": author, "length": text.chars().count() });
        append(&mut tx, d, self.backend).await?;
        let sql = format!("SELECT {COLS} FROM booking_messages WHERE id = $1");
        let out = message(&sqlx::query(AssertSqlSafe(sql)).bind(mid).fetch_one(&mut *tx).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    /// The conversation on a booking, oldest first; a booking outside the scope is not found.
    pub(crate) async fn list_messages_impl(&self, id: BookingId, scope: &Scope, page: Page) -> Result<Vec<BookingMessage>> {
        let mut w = Where::default();
        w.eq("id", id.0).scope(scope, Some("business_id"), Some("worker_id"));
        let found = bind_all(format!("SELECT id FROM bookings{}", w.sql()), &w.args).fetch_optional(&self.pool).await?;
        if found.is_none() {
            return Err(StoreError::NotFound("booking"));
        }
        // The scope again on the messages themselves: tenancy holds even if a row were misfiled.
        let mut w = Where::default();
        w.eq("booking_id", id.0).scope(scope, Some("business_id"), Some("worker_id"));
        let n = w.next_param();
        let sql = format!("SELECT {COLS} FROM booking_messages{} ORDER BY id LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(message).collect()
    }
}
