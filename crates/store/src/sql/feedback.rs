//! The feedback board: customers file feature requests and vote, each link
//! keeping the customer, the person and their own words; operators merge
//! duplicates (every link moves to the survivor, each customer still counts
//! once) and change a request's status, which tells every linked person once
//! by email, written to the outbox in the same transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use jiff::Timestamp;
use rust_decimal::Decimal;
use slivers_core::contact::{self, check_text, Customer, FeatureStatus, MergeSide, REASON_CHARS, TITLE_CHARS, VOTE_CHARS, BODY_CHARS};
use slivers_core::ids::UserId;
use slivers_core::validation::Collector;
use slivers_core::Currency;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe};

use super::events::{append, bind_all};
use super::inquiries::{acting_customer, customer_draft, customer_of};
use super::outbox::{insert, NewItem};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::contact::Channel;
use crate::error::Conflict;
use crate::inquiries::*;
use crate::model::{Actor, Page, Scope};
use crate::{Result, StoreError};

const COLS: &str = "id, title, status, decline_reason, merged_into, created_at, updated_at";
const LINK_COLS: &str = "l.id, l.request_id, l.origin_request_id, l.kind, l.business_id, l.worker_id, l.user_id, l.body, l.at, \
    COALESCE(b.name, w.name, '') AS customer_name";
const LINK_FROM: &str = "feature_links l LEFT JOIN businesses b ON b.id = l.business_id LEFT JOIN workers w ON w.id = l.worker_id";

fn corrupt(what: &str, v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("feature_requests.{what}: {v}"))
}

fn refused(rule: &'static str, reason: impl Into<String>) -> StoreError {
    Conflict::Refused { rule, reason: reason.into() }.into()
}

/// A request row, before counts, revenue and links are attached.
fn request(row: &AnyRow) -> Result<FeatureRequest> {
    let status: String = get(row, "status")?;
    Ok(FeatureRequest {
        id: get(row, "id")?,
        title: get(row, "title")?,
        status: FeatureStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        decline_reason: get(row, "decline_reason")?,
        merged_into: get(row, "merged_into")?,
        created_at: from_ts(get(row, "created_at")?)?,
        updated_at: from_ts(get(row, "updated_at")?)?,
        businesses: 0,
        workers: 0,
        billed_revenue: None,
        links: Vec::new(),
    })
}

fn link(row: &AnyRow) -> Result<FeatureLink> {
    let kind: String = get(row, "kind")?;
    Ok(FeatureLink {
        id: get(row, "id")?,
        request_id: get(row, "request_id")?,
        origin_request_id: get(row, "origin_request_id")?,
        kind: LinkKind::parse(&kind).ok_or_else(|| corrupt("link kind", &kind))?,
        customer: customer_of(row)?,
        customer_name: get(row, "customer_name")?,
        user_id: UserId(get(row, "user_id")?),
        text: get(row, "body")?,
        at: from_ts(get(row, "at")?)?,
    })
}

/// Every link of a request, oldest first (all customers: callers filter by scope).
async fn links_of<'e, E: sqlx::Executor<'e, Database = Any>>(e: E, id: i64) -> Result<Vec<FeatureLink>> {
    let sql = format!("SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.request_id = $1 ORDER BY l.id");
    let rows = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_all(e).await?;
    rows.iter().map(link).collect()
}

/// Issued invoices minus credit notes of the businesses linked to `id`, per currency.
async fn revenue<'e, E: sqlx::Executor<'e, Database = Any>>(e: E, id: i64) -> Result<Vec<Revenue>> {
    let rows = sqlx::query(
        "SELECT kind, currency, total FROM documents WHERE kind IN ('invoice', 'credit_note') \
         AND business_id IN (SELECT business_id FROM feature_links WHERE request_id = $1 AND business_id IS NOT NULL)",
    )
    .bind(id)
    .fetch_all(e)
    .await?;
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for r in &rows {
        let kind: String = get(r, "kind")?;
        let total: String = get(r, "total")?;
        let total = Decimal::from_str(&total).map_err(|e| StoreError::Corrupt(format!("documents.total: {e}")))?;
        let sum = sums.entry(get(r, "currency")?).or_default();
        // A credit note repeats the invoice's (positive) total to cancel it.
        *sum += if kind == "credit_note" { -total } else { total };
    }
    sums.into_iter()
        .map(|(c, amount)| Ok(Revenue { currency: Currency::parse(&c).map_err(|e| StoreError::Corrupt(format!("documents.currency: {e}")))?, amount }))
        .collect()
}

fn visible(l: &FeatureLink, scope: &Scope) -> bool {
    match scope {
        Scope::All => true,
        Scope::Business(b) => l.customer == Customer::Business(*b),
        Scope::Worker(w) => l.customer == Customer::Worker(*w),
    }
}

/// Attach counts (each customer once, however many links), the revenue
/// (operators only) and the links `scope` may see.
fn assemble(r: FeatureRequest, links: Vec<FeatureLink>, billed_revenue: Option<Vec<Revenue>>, scope: &Scope) -> Result<FeatureRequest> {
    let (businesses, workers) = contact::count_customers(links.iter().map(|l| l.customer));
    Ok(FeatureRequest {
        businesses: i64::try_from(businesses).map_err(|e| corrupt("count", e))?,
        workers: i64::try_from(workers).map_err(|e| corrupt("count", e))?,
        billed_revenue,
        links: links.into_iter().filter(|l| visible(l, scope)).collect(),
        ..r
    })
}

/// Live users among `users` who have not switched the `feedback` topic off, with their addresses.
async fn feedback_recipients(tx: &mut Tx, users: &[UserId]) -> Result<Vec<(UserId, String)>> {
    let mut out = Vec::new();
    for u in users {
        let email: Option<String> = sqlx::query_scalar(
            "SELECT u.email FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL AND NOT EXISTS \
             (SELECT 1 FROM email_preferences p WHERE p.user_id = u.id AND p.topic = 'feedback' AND p.enabled = 0)",
        )
        .bind(u.0)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(email) = email {
            out.push((*u, email));
        }
    }
    Ok(out)
}

/// The person filing or voting: a customer's signed-in user.
fn person(actor: &Actor, why: &'static str) -> Result<(Customer, UserId)> {
    let customer = acting_customer(actor, why)?;
    let user = actor.user.ok_or(StoreError::Forbidden("a request is filed or voted for by a signed-in person"))?;
    Ok((customer, user))
}

impl SqlStore {
    async fn request_in_tx(tx: &mut Tx, id: i64, lock: &str) -> Result<FeatureRequest> {
        let sql = format!("SELECT {COLS} FROM feature_requests WHERE id = $1{lock}");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?.ok_or(StoreError::NotFound("feature request"))?;
        request(&row)
    }

    async fn insert_link(tx: &mut Tx, request: i64, kind: LinkKind, who: (Customer, UserId), text: &str, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO feature_links (request_id, origin_request_id, kind, business_id, worker_id, user_id, body, at) \
             VALUES ($1, $1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(request)
        .bind(kind.as_str())
        .bind(who.0.business().map(|b| b.0))
        .bind(who.0.worker().map(|w| w.0))
        .bind(who.1 .0)
        .bind(text.trim())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The request as `scope` sees it, read inside `tx` (so a write returns what it wrote).
    async fn decorated_in_tx(&self, tx: &mut Tx, id: i64, scope: &Scope) -> Result<FeatureRequest> {
        let r = Self::request_in_tx(tx, id, "").await?;
        let links = links_of(&mut **tx, id).await?;
        let revenue = if *scope == Scope::All { Some(revenue(&mut **tx, id).await?) } else { None };
        assemble(r, links, revenue, scope)
    }

    pub(crate) async fn file_feature_request_impl(&self, n: &NewFeatureRequest, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        let who = person(actor, "customers file feature requests; operators manage the board")?;
        let mut c = Collector::new();
        check_text(&mut c, "title", &n.title, TITLE_CHARS);
        check_text(&mut c, "text", &n.text, BODY_CHARS);
        c.finish()?;
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO feature_requests (title, status, created_at, updated_at) VALUES ($1, 'open', $2, $2) RETURNING id",
        )
        .bind(n.title.trim())
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        Self::insert_link(&mut tx, id, LinkKind::Raised, who, &n.text, now).await?;
        let mut d = customer_draft("feedback.filed", now, actor, who.0);
        d.data = serde_json::json!({ "request_id": id, "length": n.text.trim().chars().count() });
        append(&mut tx, d, self.backend).await?;
        let out = self.decorated_in_tx(&mut tx, id, &actor.scope).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A customer links themselves to a request, in their own words (which
    /// may be empty). Once per customer per request; a merged-away request
    /// takes no votes (its survivor does).
    pub(crate) async fn vote_feature_request_impl(&self, id: i64, text: &str, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        let who = person(actor, "customers vote; operators manage the board")?;
        let mut c = Collector::new();
        check_text(&mut c, "text", text, VOTE_CHARS);
        c.finish()?;
        let mut tx = self.write().await?;
        let r = Self::request_in_tx(&mut tx, id, self.for_update()).await?;
        if let Some(into) = r.merged_into {
            return Err(refused("merged", format!("this request was merged into request {into}; vote there")));
        }
        let (col, cid) = match who.0 {
            Customer::Business(b) => ("business_id", b.0),
            Customer::Worker(w) => ("worker_id", w.0),
        };
        let sql = format!("SELECT COUNT(*) FROM feature_links WHERE request_id = $1 AND {col} = $2");
        let linked: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).bind(id).bind(cid).fetch_one(&mut *tx).await?;
        if linked > 0 {
            return Err(refused("already_linked", "you already asked for or voted for this request"));
        }
        Self::insert_link(&mut tx, id, LinkKind::Voted, who, text, now).await?;
        let mut d = customer_draft("feedback.voted", now, actor, who.0);
        d.data = serde_json::json!({ "request_id": id, "length": text.trim().chars().count() });
        append(&mut tx, d, self.backend).await?;
        let out = self.decorated_in_tx(&mut tx, id, &actor.scope).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Merge `duplicate` into `survivor`: every link moves (and remembers
    /// where it was made), the duplicate points to the survivor, and each
    /// customer whose link moved sees `feedback.merged` on their timeline.
    pub(crate) async fn merge_feature_requests_impl(&self, duplicate: i64, survivor: i64, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        if actor.scope != Scope::All {
            return Err(StoreError::Forbidden("only operators merge feature requests"));
        }
        let mut tx = self.write().await?;
        // Lock in id order so two merges over the same pair cannot deadlock.
        let (first, second) = if duplicate <= survivor { (duplicate, survivor) } else { (survivor, duplicate) };
        let a = Self::request_in_tx(&mut tx, first, self.for_update()).await?;
        let b = Self::request_in_tx(&mut tx, second, self.for_update()).await?;
        let (dup, surv) = if a.id == duplicate { (a, b) } else { (b, a) };
        contact::check_merge(MergeSide { id: dup.id, merged_into: dup.merged_into }, MergeSide { id: surv.id, merged_into: surv.merged_into })
            .map_err(|e| refused("merge", e.to_string()))?;
        let moved: BTreeSet<Customer> = links_of(&mut *tx, dup.id).await?.into_iter().map(|l| l.customer).collect();
        sqlx::query("UPDATE feature_links SET request_id = $1 WHERE request_id = $2").bind(surv.id).bind(dup.id).execute(&mut *tx).await?;
        sqlx::query("UPDATE feature_requests SET merged_into = $1, updated_at = $2 WHERE id = $3")
            .bind(surv.id)
            .bind(ts(now))
            .bind(dup.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE feature_requests SET updated_at = $1 WHERE id = $2").bind(ts(now)).bind(surv.id).execute(&mut *tx).await?;
        for customer in moved {
            let mut d = customer_draft("feedback.merged", now, actor, customer);
            d.data = serde_json::json!({ "request_id": dup.id, "into": surv.id });
            append(&mut tx, d, self.backend).await?;
        }
        let out = self.decorated_in_tx(&mut tx, surv.id, &actor.scope).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Change the status; every linked customer gets `feedback.status_changed`
    /// on their timeline, and every linked person one email (however many of
    /// their links a merge brought together), unless they turned it off.
    pub(crate) async fn set_feature_status_impl(&self, id: i64, change: &FeatureChange, actor: &Actor, now: Timestamp) -> Result<FeatureRequest> {
        if actor.scope != Scope::All {
            return Err(StoreError::Forbidden("only operators change the status of a feature request"));
        }
        let reason = change.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let mut c = Collector::new();
        match (change.status, reason) {
            (FeatureStatus::Declined, r) => check_text(&mut c, "reason", r.unwrap_or(""), REASON_CHARS),
            (_, Some(_)) => c.push("reason", "only a declined request carries a reason"),
            (_, None) => {}
        }
        c.finish()?;
        let mut tx = self.write().await?;
        let r = Self::request_in_tx(&mut tx, id, self.for_update()).await?;
        if let Some(into) = r.merged_into {
            return Err(refused("merged", format!("this request was merged into request {into}")));
        }
        contact::check_status_change(r.status, change.status).map_err(|e| refused("feature_status", e.to_string()))?;
        sqlx::query("UPDATE feature_requests SET status = $1, decline_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(change.status.as_str())
            .bind(reason)
            .bind(ts(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let links = links_of(&mut *tx, id).await?;
        let detail = serde_json::json!({ "request_id": id, "title": r.title, "from": r.status, "status": change.status, "reason": reason });
        let mut seq_of: BTreeMap<Customer, i64> = BTreeMap::new();
        for customer in links.iter().map(|l| l.customer).collect::<BTreeSet<_>>() {
            let mut d = customer_draft("feedback.status_changed", now, actor, customer);
            d.data = detail.clone();
            seq_of.insert(customer, append(&mut tx, d, self.backend).await?);
        }
        let users = contact::distinct_users(links.iter().map(|l| l.user_id));
        for (user, email) in feedback_recipients(&mut tx, &users).await? {
            let Some(customer) = links.iter().find(|l| l.user_id == user).map(|l| l.customer) else { continue };
            let seq = seq_of.get(&customer).copied();
            let data = serde_json::json!({ "event": "feedback.status_changed", "at": now.to_string(), "detail": detail });
            let message_id = format!("<feedback-{id}-{}.user-{}@slivers.exchange>", seq.unwrap_or(0), user.0);
            insert(&mut tx, NewItem { channel: Channel::Email, topic: "feedback", event_seq: seq, business: customer.business().map(|b| b.0),
                worker: customer.worker().map(|w| w.0), user: Some(user.0), endpoint: None, recipient: &email, message_id,
                data: &data, now }).await?;
        }
        let out = self.decorated_in_tx(&mut tx, id, &actor.scope).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Every customer sees the board; only their own links, and only operators the revenue.
    pub(crate) async fn get_feature_request_impl(&self, id: i64, scope: &Scope) -> Result<FeatureRequest> {
        let sql = format!("SELECT {COLS} FROM feature_requests WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound("feature request"))?;
        let r = request(&row)?;
        let links = links_of(&self.pool, id).await?;
        let revenue = if *scope == Scope::All { Some(revenue(&self.pool, id).await?) } else { None };
        assemble(r, links, revenue, scope)
    }

    pub(crate) async fn list_feature_requests_impl(&self, f: &FeatureFilter, scope: &Scope, page: Page) -> Result<Vec<FeatureRequest>> {
        let mut clauses = Vec::new();
        if !f.include_merged {
            clauses.push("merged_into IS NULL".to_string());
        }
        if let Some(s) = f.status {
            // A fixed enum name, never input text.
            clauses.push(format!("status = '{}'", s.as_str()));
        }
        let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
        let sql = format!("SELECT {COLS} FROM feature_requests{filter} ORDER BY id LIMIT $1 OFFSET $2");
        let rows = bind_all(sql, &[page.limit, page.offset]).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = request(row)?;
            let links = links_of(&self.pool, r.id).await?;
            let revenue = if *scope == Scope::All { Some(revenue(&self.pool, r.id).await?) } else { None };
            out.push(assemble(r, links, revenue, scope)?);
        }
        Ok(out)
    }
}
