//! One timeline per customer: every contact with a business or a worker in
//! order — bookings and their changes, offers, timesheets, ratings,
//! invoices, messages, inquiries, feedback (all from the event log), and
//! every email and webhook sent to them (from the outbox) — each with who
//! acted and when, filterable by category.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use slivers_core::ids::UserId;
use slivers_core::Invalid;
use slivers_store::{Channel, EventFilter, OutboxFilter, Owner, Page, Role, Scope};

use crate::{Exchange, ExchangeError, Principal, Result};

/// What kind of contact an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Category {
    Booking,
    Offer,
    Shift,
    Timesheet,
    Rating,
    Invoice,
    Pay,
    Message,
    Inquiry,
    Feedback,
    Email,
    Webhook,
    Account,
    Profile,
    Other,
}

pub const CATEGORIES: &[Category] = &[
    Category::Booking, Category::Offer, Category::Shift, Category::Timesheet, Category::Rating, Category::Invoice, Category::Pay,
    Category::Message, Category::Inquiry, Category::Feedback, Category::Email, Category::Webhook, Category::Account,
    Category::Profile, Category::Other,
];

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booking => "booking",
            Self::Offer => "offer",
            Self::Shift => "shift",
            Self::Timesheet => "timesheet",
            Self::Rating => "rating",
            Self::Invoice => "invoice",
            Self::Pay => "pay",
            Self::Message => "message",
            Self::Inquiry => "inquiry",
            Self::Feedback => "feedback",
            Self::Email => "email",
            Self::Webhook => "webhook",
            Self::Account => "account",
            Self::Profile => "profile",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        CATEGORIES.iter().copied().find(|c| c.as_str() == s)
    }

    /// The category of an event kind.
    pub fn of_event(kind: &str) -> Category {
        match kind.split('.').next().unwrap_or("") {
            "booking" if matches!(kind, "booking.offered" | "booking.declined" | "booking.expired" | "booking.withdrawn") => Self::Offer,
            "booking" => Self::Booking,
            "wave" => Self::Offer,
            "shift" | "site" => Self::Shift,
            "timesheet" => Self::Timesheet,
            "rating" => Self::Rating,
            "invoice" | "credit_note" => Self::Invoice,
            "pay_statement" => Self::Pay,
            "message" => Self::Message,
            "inquiry" => Self::Inquiry,
            "feedback" => Self::Feedback,
            "account" => Self::Account,
            "worker" | "business" => Self::Profile,
            _ => Self::Other,
        }
    }
}

/// Who acted, as the customer may be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Who {
    /// A login of the customer whose timeline this is.
    Customer,
    /// The worker or the business on the other side.
    Counterpart,
    /// A person at the exchange.
    Operator,
    /// The exchange itself: sweeps, auto-approval, deliveries.
    Exchange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub category: Category,
    /// The event kind (`booking.confirmed`) or `email.sent` / `webhook.sent`.
    pub kind: String,
    pub who: Who,
    pub summary: String,
    /// The event's sequence number, or the outbox item's id for deliveries.
    pub reference: i64,
    pub booking_id: Option<i64>,
    pub shift_id: Option<i64>,
    /// For an inquiry's first human answer or its resolution: minutes since it was raised.
    pub response_minutes: Option<i64>,
}

/// Parse `?category=a,b`; empty means all.
pub fn parse_categories(list: Option<&str>) -> Result<Vec<Category>> {
    let Some(list) = list.filter(|l| !l.trim().is_empty()) else { return Ok(Vec::new()) };
    list.split(',')
        .map(|c| {
            Category::parse(c.trim()).ok_or_else(|| {
                let known: Vec<&str> = CATEGORIES.iter().map(|c| c.as_str()).collect();
                ExchangeError::from(Invalid::one("category", format!("`{}` is not one of {}", c.trim(), known.join(", "))))
            })
        })
        .collect()
}

fn summary(kind: &str, booking: Option<i64>, shift: Option<i64>) -> String {
    let mut s = kind.replace(['.', '_'], " ");
    if let Some(b) = booking {
        s.push_str(&format!(" · booking {b}"));
    } else if let Some(sh) = shift {
        s.push_str(&format!(" · shift {sh}"));
    }
    s
}

/// How many of a customer's events one timeline request reads at most while
/// looking for the categories asked for (a bound on the work, not on the page).
pub const SCAN_LIMIT: i64 = 100_000;

/// The timeline of `customer`, newest first: a business or worker sees only
/// their own, an operator anyone's.
pub async fn timeline(ex: &Exchange, p: &Principal, customer: Owner, categories: &[Category], page: Page) -> Result<Vec<Item>> {
    // Only the customer and operators: a business that booked a worker still
    // does not read the worker's timeline, nor a worker a business's.
    let scope = match customer {
        Owner::Business(b) => {
            if !(p.is_operator() || p.business() == Some(b)) {
                return Err(ExchangeError::NotFound("business"));
            }
            ex.store.get_business(b, &Scope::All).await?;
            Scope::Business(b)
        }
        Owner::Worker(w) => {
            if !(p.is_operator() || p.worker() == Some(w)) {
                return Err(ExchangeError::NotFound("worker"));
            }
            ex.store.get_worker(w, &Scope::All).await?;
            Scope::Worker(w)
        }
    };
    let wanted = |c: Category| categories.is_empty() || categories.contains(&c);
    // Enough of each source to fill the page after merging.
    let fetch = Page { limit: (page.offset + page.limit).min(10_000), offset: 0 };
    let mut items = Vec::new();
    let mut roles: HashMap<i64, Option<Role>> = HashMap::new();
    let own = |u: &slivers_store::UserRecord| match customer {
        Owner::Business(b) => u.business_id == Some(b),
        Owner::Worker(w) => u.worker_id == Some(w),
    };
    // An event's category is decided here from its kind, not in SQL, so one
    // fetch of `offset + limit` events comes up short whenever other kinds are
    // newer (`?category=feedback` behind a month of inquiries was empty). Read
    // the log newest first in batches until the wanted events fill the page,
    // the log ends, or `SCAN_LIMIT` events were read.
    let need = usize::try_from(fetch.limit).unwrap_or(usize::MAX);
    let batch = fetch.limit.max(200);
    let mut events = Vec::new();
    let mut scanned = 0;
    loop {
        let got = ex.store.events(&EventFilter { newest_first: true, ..Default::default() }, &scope, Page { limit: batch, offset: scanned }).await?;
        let full = i64::try_from(got.len()).unwrap_or(i64::MAX) == batch;
        scanned += batch;
        events.extend(got.into_iter().filter(|e| wanted(Category::of_event(&e.kind))));
        if events.len() >= need || !full || scanned >= SCAN_LIMIT {
            break;
        }
    }
    for e in events {
        let category = Category::of_event(&e.kind);
        let who = match e.actor_user_id {
            None => Who::Exchange,
            Some(UserId(u)) => {
                let role = match roles.get(&u) {
                    Some(r) => *r,
                    None => {
                        let user = ex.store.get_user(UserId(u)).await.ok();
                        let r = user.as_ref().map(|x| if own(x) { None } else { Some(x.role) }).unwrap_or(Some(Role::Worker));
                        roles.insert(u, r);
                        r
                    }
                };
                match role {
                    None => Who::Customer,
                    Some(Role::Operator) => Who::Operator,
                    Some(_) => Who::Counterpart,
                }
            }
        };
        let (booking, shift) = (e.booking_id.map(|b| b.0), e.shift_id.map(|s| s.0));
        let response = e.data["first_response_after_minutes"].as_i64().or_else(|| e.data["resolved_after_minutes"].as_i64());
        let mut text = summary(&e.kind, booking, shift);
        if let Some(i) = e.data["inquiry_id"].as_i64() {
            text.push_str(&format!(" · inquiry {i}"));
        }
        if let Some(m) = e.data["first_response_after_minutes"].as_i64() {
            text.push_str(&format!(" · first answer after {m} min"));
        }
        if let Some(m) = e.data["resolved_after_minutes"].as_i64() {
            text.push_str(&format!(" · resolved after {m} min"));
        }
        items.push(Item { at: e.at, category, summary: text, kind: e.kind, who, reference: e.seq, booking_id: booking, shift_id: shift, response_minutes: response });
    }
    for channel in [Channel::Email, Channel::Webhook] {
        let category = if channel == Channel::Email { Category::Email } else { Category::Webhook };
        if !wanted(category) {
            continue;
        }
        let rows = ex.store.list_outbox(&OutboxFilter { channel: Some(channel), ..Default::default() }, &scope, fetch).await?;
        for o in rows {
            let state = match o.status {
                slivers_store::DeliveryStatus::Delivered => "delivered".to_string(),
                slivers_store::DeliveryStatus::Pending => format!("pending after {} attempts", o.attempts),
                slivers_store::DeliveryStatus::Failed => format!("failed: {}", o.last_error.unwrap_or_default()),
            };
            let summary = match channel {
                Channel::Email => format!("email about {} to {} · {state}", o.topic, o.recipient),
                Channel::Webhook => format!("webhook {} to endpoint {} · {state}", o.topic, o.endpoint_id.unwrap_or(0)),
            };
            let kind = format!("{}.sent", channel.as_str());
            let booking = o.data["ids"]["booking_id"].as_i64().or_else(|| o.data["data"]["booking_id"].as_i64());
            items.push(Item { at: o.created_at, category, kind, who: Who::Exchange, summary, reference: o.id, booking_id: booking, shift_id: None, response_minutes: None });
        }
    }
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.reference.cmp(&a.reference)));
    let start = usize::try_from(page.offset).unwrap_or(0).min(items.len());
    let end = start.saturating_add(usize::try_from(page.limit).unwrap_or(0)).min(items.len());
    Ok(items[start..end].to_vec())
}
