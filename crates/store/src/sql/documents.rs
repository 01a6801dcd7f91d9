//! Issued documents: invoices, credit notes and pay statements, with numbers
//! that run without gaps per series (the series row is bumped inside the
//! issuing transaction), and a business's billing settings.
//!
//! An issued document's body is written once and never updated; the only
//! later change is `credited_by_id`, the link to the credit note that cancels
//! an invoice.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use rust_decimal::Decimal;
use slivers_core::billing::{self, Billable, BillingPolicy};
use slivers_core::documents::{self as docs, Document, DocumentKind, DocumentRef, Party, PayStatement};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::skills::SkillRequirement;
use slivers_core::timesheet::{Side, Timesheet, TimesheetNote, MAX_MINUTES};
use slivers_core::validation::Collector;
use slivers_core::{Currency, Zone};
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

use super::events::{append, bind_all, Draft, Where};
use super::timesheets::{decimal, timesheet};
use super::{from_ts, get, ts, SqlStore, Tx};
use crate::error::Conflict;
use crate::model::*;
use crate::records::*;
use crate::{Result, StoreError};

/// Days between issue and due date.
const PAYMENT_TERMS_DAYS: i64 = 14;

pub(crate) fn parse_policy(json: &str) -> Result<BillingPolicy> {
    if json.is_empty() {
        return Ok(BillingPolicy::default());
    }
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("businesses.billing_json: {e}")))
}

fn parse_party(json: &str) -> Result<Option<Party>> {
    if json.is_empty() {
        return Ok(None);
    }
    serde_json::from_str(json).map(Some).map_err(|e| StoreError::Corrupt(format!("businesses.party_json: {e}")))
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("documents.{what}: {e}"))
}

const SUMMARY_COLS: &str =
    "id, kind, number, business_id, worker_id, period_start, period_end, issued_at, currency, total, corrects_id, credited_by_id";

fn summary(row: &AnyRow) -> Result<DocumentSummary> {
    let c: String = get(row, "currency")?;
    Ok(DocumentSummary {
        id: get(row, "id")?,
        kind: get(row, "kind")?,
        number: get(row, "number")?,
        business_id: get::<Option<i64>>(row, "business_id")?.map(BusinessId),
        worker_id: get::<Option<i64>>(row, "worker_id")?.map(WorkerId),
        period_start: get(row, "period_start")?,
        period_end: get(row, "period_end")?,
        issued_at: from_ts(get(row, "issued_at")?)?,
        currency: Currency::parse(&c).map_err(|e| corrupt("currency", e))?,
        total: decimal(row, "total")?,
        corrects_id: get(row, "corrects_id")?,
        credited_by_id: get(row, "credited_by_id")?,
    })
}

/// An approved timesheet with what billing needs to know about its shift.
struct Item {
    timesheet: Timesheet,
    billable: Billable,
    currency: Currency,
    /// The day of the scheduled start, in the zone whose periods apply.
    day: Date,
}

/// `items_in_tx`'s selector for invoicing: only what no live invoice bills
/// yet, so a billing run reads the new work, not the business's whole history.
const UNINVOICED_OF_BUSINESS: &str = "t.invoice_id IS NULL AND t.business_id";

/// The fields `items_in_tx` reads beside the timesheet's own.
const ITEM_COLS: &str = "s.bill_amount, s.pay_amount, s.bill_currency, s.zone AS shift_zone, s.skills_json, \
    b.created_at AS booked_at, w.name AS worker_name, w.zone AS worker_zone, bz.zone AS business_zone";

fn item(row: &AnyRow, policy: &BillingPolicy, period_zone: &str) -> Result<Item> {
    let t = timesheet(row)?;
    let zone_of = |col: &str| -> Result<Zone> {
        let z: String = get(row, col)?;
        Zone::parse(&z).map_err(|e| corrupt(col, e))
    };
    let shift_zone = zone_of("shift_zone")?;
    let skills: Vec<SkillRequirement> =
        serde_json::from_str(&get::<String>(row, "skills_json")?).map_err(|e| corrupt("skills_json", e))?;
    let c: String = get(row, "bill_currency")?;
    let start = shift_zone.civil(t.scheduled.start);
    let end = shift_zone.civil(t.scheduled.end);
    let skill_names: Vec<&str> = skills.iter().map(|s| s.skill.as_str()).collect();
    let worker: String = get(row, "worker_name")?;
    let description = format!(
        "{} {} {:02}:{:02}-{:02}:{:02} ({}), {}",
        if skill_names.is_empty() { "work".to_string() } else { skill_names.join(", ") },
        start.date(),
        start.hour(),
        start.minute(),
        end.hour(),
        end.minute(),
        shift_zone.name(),
        worker
    );
    let (night, weekend) = match (t.check_in, t.check_out) {
        (Some(i), Some(o)) => billing::night_and_weekend_minutes(i, o, &shift_zone),
        _ => (0, 0),
    };
    let booked_at = from_ts(get(row, "booked_at")?)?;
    let notice_hours = (t.scheduled.start.as_second() - booked_at.as_second()) / 3600;
    let billable = Billable {
        timesheet_id: t.id,
        booking_id: t.booking_id.0,
        description,
        kind: t.kind,
        minutes: t.approved_minutes.unwrap_or(0),
        night_minutes: night,
        weekend_minutes: weekend,
        short_notice: notice_hours < i64::from(policy.premiums.short_notice_hours),
        bill_rate: decimal(row, "bill_amount")?,
        pay_rate: decimal(row, "pay_amount")?,
        share_percent: t.share_percent,
    };
    let day = zone_of(period_zone)?.date(t.scheduled.start);
    Ok(Item { timesheet: t, billable, currency: Currency::parse(&c).map_err(|e| corrupt("bill_currency", e))?, day })
}

fn refused(reason: impl Into<String>) -> StoreError {
    Conflict::Refused { rule: "billing", reason: reason.into() }.into()
}

impl SqlStore {
    /// The next number in `series`, gapless: the series row is locked by the
    /// update until the issuing transaction ends.
    async fn next_number(tx: &mut Tx, series: &str) -> Result<i64> {
        sqlx::query("INSERT INTO document_series (series, last) VALUES ($1, 0) ON CONFLICT (series) DO NOTHING")
            .bind(series)
            .execute(&mut **tx)
            .await?;
        let n: i64 = sqlx::query_scalar("UPDATE document_series SET last = last + 1 WHERE series = $1 RETURNING last")
            .bind(series)
            .fetch_one(&mut **tx)
            .await?;
        Ok(n)
    }

    /// Approved timesheets where `{selector} = id`, with their billing facts.
    async fn items_in_tx(tx: &mut Tx, selector: &str, id: i64, policy: &BillingPolicy, period_zone: &str) -> Result<Vec<Item>> {
        let cols: Vec<String> = super::timesheets::COLS.split(", ").map(|c| format!("t.{c}")).collect();
        let sql = format!(
            "SELECT {}, {ITEM_COLS} FROM timesheets t JOIN shifts s ON s.id = t.shift_id JOIN bookings b ON b.id = t.booking_id \
             JOIN workers w ON w.id = t.worker_id JOIN businesses bz ON bz.id = t.business_id \
             WHERE t.status = 'approved' AND {selector} = $1 ORDER BY t.scheduled_start, t.id",
            cols.join(", ")
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_all(&mut **tx).await?;
        rows.iter().map(|r| item(r, policy, period_zone)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_document(
        &self,
        tx: &mut Tx,
        kind: &str,
        series: &str,
        seq: i64,
        owner: Owner,
        period: (Date, Date),
        now: Timestamp,
        currency: Currency,
        total: Decimal,
        corrects: Option<i64>,
        body: &serde_json::Value,
    ) -> Result<i64> {
        let (business, worker) = match owner {
            Owner::Business(b) => (Some(b.0), None),
            Owner::Worker(w) => (None, Some(w.0)),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (kind, series, seq, number, business_id, worker_id, period_start, period_end, issued_at, \
             currency, total, corrects_id, body_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(kind)
        .bind(series)
        .bind(seq)
        .bind(docs::number(series, seq))
        .bind(business)
        .bind(worker)
        .bind(period.0.to_string())
        .bind(period.1.to_string())
        .bind(ts(now))
        .bind(currency.as_str())
        .bind(total.to_string())
        .bind(corrects)
        .bind(body.to_string())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Issue one invoice for `items` (one business, period and currency) and link them to it.
    #[allow(clippy::too_many_arguments)]
    async fn invoice_in_tx(
        &self,
        tx: &mut Tx,
        business: BusinessId,
        buyer: &Party,
        seller: &Party,
        policy: &BillingPolicy,
        period: (Date, Date),
        currency: Currency,
        items: &[&Item],
        corrects: Option<&DocumentRef>,
        actor: &Actor,
        now: Timestamp,
        today: Date,
    ) -> Result<Document> {
        let billables: Vec<Billable> = items.iter().map(|i| i.billable.clone()).collect();
        let amounts = billing::invoice(currency, &billables, policy);
        let seq = Self::next_number(tx, "INV").await?;
        let mut doc = Document {
            id: 0,
            kind: DocumentKind::Invoice,
            number: docs::number("INV", seq),
            business_id: business,
            issued_on: today,
            due_on: today.checked_add(Span::new().days(PAYMENT_TERMS_DAYS)).unwrap_or(today),
            period_start: period.0,
            period_end: period.1,
            seller: seller.clone(),
            buyer: buyer.clone(),
            amounts,
            corrects: None,
            reason: None,
            rounding: billing::ROUNDING_RULE.to_string(),
        };
        let body = serde_json::to_value(&doc).map_err(|e| corrupt("body_json", e))?;
        let total = doc.amounts.total;
        doc.id = self.insert_document(tx, "invoice", "INV", seq, Owner::Business(business), period, now, currency, total, None, &body).await?;
        for i in items {
            sqlx::query("UPDATE timesheets SET invoice_id = $1, updated_at = $2 WHERE id = $3")
                .bind(doc.id)
                .bind(ts(now))
                .bind(i.timesheet.id)
                .execute(&mut **tx)
                .await?;
        }
        let mut d = Draft::new("invoice.issued", now, actor);
        d.business = Some(business);
        d.data = serde_json::json!({ "document_id": doc.id, "number": doc.number, "total": total, "currency": currency,
            "period_start": period.0, "period_end": period.1, "replaces": corrects.map(|r| &r.number) });
        append(tx, d, self.backend).await?;
        Ok(doc)
    }

    /// Billing settings and the business's zone, read in `tx`.
    async fn billing_in_tx(tx: &mut Tx, business: BusinessId) -> Result<(BillingSettings, String)> {
        let row = sqlx::query("SELECT billing_json, party_json, zone FROM businesses WHERE id = $1")
            .bind(business.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound("business"))?;
        let settings = BillingSettings {
            policy: parse_policy(&get::<String>(&row, "billing_json")?)?,
            party: parse_party(&get::<String>(&row, "party_json")?)?,
        };
        Ok((settings, get(&row, "zone")?))
    }

    pub(crate) async fn get_billing_impl(&self, business: BusinessId, scope: &Scope) -> Result<BillingSettings> {
        if matches!(scope, Scope::Business(b) if *b != business) || matches!(scope, Scope::Worker(_)) {
            return Err(StoreError::NotFound("business"));
        }
        let mut tx = self.read().await?;
        let (settings, _) = Self::billing_in_tx(&mut tx, business).await?;
        tx.commit().await?;
        Ok(settings)
    }

    pub(crate) async fn set_billing_impl(&self, business: BusinessId, s: &BillingSettings, actor: &Actor, now: Timestamp) -> Result<BillingSettings> {
        if matches!(actor.scope, Scope::Business(b) if b != business) || matches!(actor.scope, Scope::Worker(_)) {
            return Err(StoreError::NotFound("business"));
        }
        let mut c = Collector::new();
        c.take("policy", s.policy.validate());
        if let Some(p) = &s.party {
            c.take("party", p.validate());
        }
        c.finish()?;
        let mut tx = self.write().await?;
        let policy = serde_json::to_string(&s.policy).map_err(|e| corrupt("policy", e))?;
        let party = s.party.as_ref().map(serde_json::to_string).transpose().map_err(|e| corrupt("party", e))?.unwrap_or_default();
        let n = sqlx::query("UPDATE businesses SET billing_json = $1, party_json = $2 WHERE id = $3")
            .bind(policy)
            .bind(party)
            .bind(business.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("business"));
        }
        let mut d = Draft::new("business.billing", now, actor);
        d.business = Some(business);
        d.data = serde_json::to_value(s).map_err(|e| corrupt("billing", e))?;
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(s.clone())
    }

    /// Invoice every approved, uninvoiced timesheet of `business` whose billing
    /// period has ended, one invoice per period and currency, in one transaction.
    pub(crate) async fn issue_invoices_impl(&self, business: BusinessId, seller: &Party, actor: &Actor, now: Timestamp) -> Result<Vec<Document>> {
        let mut tx = self.write().await?;
        self.lock(&mut tx, "businesses", business.0).await?;
        let (settings, zone) = Self::billing_in_tx(&mut tx, business).await?;
        let Some(buyer) = settings.party else {
            return Err(refused("the business has not given its billing details (party) yet"));
        };
        let policy = settings.policy;
        let today = Zone::parse(&zone).map_err(|e| corrupt("zone", e))?.date(now);
        let items = Self::items_in_tx(&mut tx, UNINVOICED_OF_BUSINESS, business.0, &policy, "business_zone").await?;
        let mut groups: BTreeMap<((Date, Date), Currency), Vec<&Item>> = BTreeMap::new();
        for i in &items {
            let period = billing::period_containing(i.day, policy.period);
            if period.1 < today {
                groups.entry((period, i.currency)).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        for ((period, currency), group) in groups {
            out.push(self.invoice_in_tx(&mut tx, business, &buyer, seller, &policy, period, currency, &group, None, actor, now, today).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn credit_invoice_impl(&self, id: i64, credit: &Credit, actor: &Actor, now: Timestamp) -> Result<(Document, Option<Document>)> {
        let mut c = Collector::new();
        c.check(!credit.reason.trim().is_empty() && credit.reason.len() <= 2000, "reason", "must be 1 to 2000 characters");
        for (k, m) in credit.corrections.iter().enumerate() {
            c.check((0..=MAX_MINUTES).contains(&m.minutes), &format!("corrections[{k}].minutes"), "must be 0 to 1440");
        }
        c.finish()?;
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "documents", id).await? {
            return Err(StoreError::NotFound("invoice"));
        }
        let row = sqlx::query("SELECT kind, business_id, credited_by_id, body_json FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("invoice"))?;
        let kind: String = get(&row, "kind")?;
        let business = BusinessId(get::<Option<i64>>(&row, "business_id")?.ok_or(StoreError::NotFound("invoice"))?);
        if kind != "invoice" || matches!(actor.scope, Scope::Business(b) if b != business) || matches!(actor.scope, Scope::Worker(_)) {
            return Err(StoreError::NotFound("invoice"));
        }
        if let Some(by) = get::<Option<i64>>(&row, "credited_by_id")? {
            return Err(refused(format!("this invoice is already cancelled by credit note {by}")));
        }
        let invoice: Document = serde_json::from_str(&get::<String>(&row, "body_json")?).map_err(|e| corrupt("body_json", e))?;
        let (settings, zone) = Self::billing_in_tx(&mut tx, business).await?;
        let today = Zone::parse(&zone).map_err(|e| corrupt("zone", e))?.date(now);
        let reference = DocumentRef { id, number: invoice.number.clone(), issued_on: invoice.issued_on };
        // The credit note repeats the invoice's amounts exactly: it cancels it in full.
        let seq = Self::next_number(&mut tx, "CRN").await?;
        let mut note = Document {
            id: 0,
            kind: DocumentKind::CreditNote,
            number: docs::number("CRN", seq),
            issued_on: today,
            due_on: today,
            corrects: Some(reference.clone()),
            reason: Some(credit.reason.trim().to_string()),
            ..invoice.clone()
        };
        let body = serde_json::to_value(&note).map_err(|e| corrupt("body_json", e))?;
        let period = (invoice.period_start, invoice.period_end);
        let total = note.amounts.total;
        note.id = self
            .insert_document(&mut tx, "credit_note", "CRN", seq, Owner::Business(business), period, now, note.amounts.currency, total, Some(id), &body)
            .await?;
        sqlx::query("UPDATE documents SET credited_by_id = $1 WHERE id = $2").bind(note.id).bind(id).execute(&mut *tx).await?;
        let mut d = Draft::new("credit_note.issued", now, actor);
        d.business = Some(business);
        d.data = serde_json::json!({ "document_id": note.id, "number": note.number, "corrects": invoice.number,
            "reason": note.reason, "total": total, "currency": note.amounts.currency });
        append(&mut tx, d, self.backend).await?;
        // Free the invoice's timesheets, apply the corrections, and bill them again.
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM timesheets WHERE invoice_id = $1 ORDER BY id").bind(id).fetch_all(&mut *tx).await?;
        for (k, m) in credit.corrections.iter().enumerate() {
            if !ids.contains(&m.timesheet_id) {
                return Err(slivers_core::Invalid::one(format!("corrections[{k}].timesheet_id"), "is not on this invoice").into());
            }
        }
        sqlx::query("UPDATE timesheets SET invoice_id = NULL WHERE invoice_id = $1").bind(id).execute(&mut *tx).await?;
        for m in &credit.corrections {
            let t = Self::timesheet_in_tx(&mut tx, "id", m.timesheet_id).await?.ok_or(StoreError::NotFound("timesheet"))?;
            let mut notes = t.notes.clone();
            notes.push(TimesheetNote { at: now, by: Side::Operator, text: format!("corrected to {} minutes: {}", m.minutes, credit.reason.trim()) });
            sqlx::query("UPDATE timesheets SET approved_minutes = $1, approval = 'operator', notes_json = $2, updated_at = $3 WHERE id = $4")
                .bind(m.minutes)
                .bind(serde_json::to_string(&notes).map_err(|e| corrupt("notes_json", e))?)
                .bind(ts(now))
                .bind(t.id)
                .execute(&mut *tx)
                .await?;
        }
        let items = Self::items_in_tx(&mut tx, UNINVOICED_OF_BUSINESS, business.0, &settings.policy, "business_zone").await?;
        let group: Vec<&Item> = items.iter().filter(|i| ids.contains(&i.timesheet.id)).collect();
        let buyer = settings.party.unwrap_or(invoice.buyer.clone());
        let corrected = if group.iter().any(|i| i.billable.minutes > 0) {
            let currency = invoice.amounts.currency;
            Some(
                self.invoice_in_tx(&mut tx, business, &buyer, &invoice.seller, &settings.policy, period, currency, &group, Some(&reference), actor, now, today)
                    .await?,
            )
        } else {
            None
        };
        tx.commit().await?;
        Ok((note, corrected))
    }

    /// Pay every approved timesheet of `worker` whose week has ended and whose
    /// pay differs from what was paid (all of it the first time, the
    /// difference after a correction), one statement per week and currency.
    pub(crate) async fn issue_pay_statements_impl(&self, worker: WorkerId, actor: &Actor, now: Timestamp) -> Result<Vec<PayStatement>> {
        let mut tx = self.write().await?;
        if !self.lock(&mut tx, "workers", worker.0).await? {
            return Err(StoreError::NotFound("worker"));
        }
        let zone: String = sqlx::query_scalar("SELECT zone FROM workers WHERE id = $1")
            .bind(worker.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("worker"))?;
        let today = Zone::parse(&zone).map_err(|e| corrupt("zone", e))?.date(now);
        let items = Self::items_in_tx(&mut tx, "t.worker_id", worker.0, &BillingPolicy::default(), "worker_zone").await?;
        let mut groups: BTreeMap<((Date, Date), Currency), Vec<(Billable, Decimal)>> = BTreeMap::new();
        for i in &items {
            let period = billing::period_containing(i.day, billing::BillingPeriod::Weekly);
            if period.1 < today && billing::pay_line(&i.billable).amount != i.timesheet.paid_amount {
                groups.entry((period, i.currency)).or_default().push((i.billable.clone(), i.timesheet.paid_amount));
            }
        }
        let mut out = Vec::new();
        for ((period, currency), group) in groups {
            let (lines, total) = billing::pay_statement(&group);
            let seq = Self::next_number(&mut tx, "PAY").await?;
            let mut st = PayStatement {
                id: 0,
                number: docs::number("PAY", seq),
                worker_id: worker,
                issued_on: today,
                period_start: period.0,
                period_end: period.1,
                currency,
                lines,
                total,
                rounding: billing::ROUNDING_RULE.to_string(),
            };
            let body = serde_json::to_value(&st).map_err(|e| corrupt("body_json", e))?;
            st.id = self.insert_document(&mut tx, "pay_statement", "PAY", seq, Owner::Worker(worker), period, now, currency, total, None, &body).await?;
            for (b, _) in &group {
                sqlx::query("UPDATE timesheets SET paid_amount = $1, updated_at = $2 WHERE id = $3")
                    .bind(billing::pay_line(b).amount.to_string())
                    .bind(ts(now))
                    .bind(b.timesheet_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut d = Draft::new("pay_statement.issued", now, actor);
            d.worker = Some(worker);
            d.data = serde_json::json!({ "document_id": st.id, "number": st.number, "total": total, "currency": currency,
                "period_start": period.0, "period_end": period.1 });
            append(&mut tx, d, self.backend).await?;
            out.push(st);
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn body(&self, id: i64, kinds: &[&str], scope: &Scope) -> Result<String> {
        let mut w = Where::default();
        w.eq("id", id);
        w.scope(scope, Some("business_id"), Some("worker_id"));
        let list = kinds.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT body_json FROM documents{} AND kind IN ({list})", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound("document"))?;
        get(&row, "body_json")
    }

    pub(crate) async fn get_document_impl(&self, id: i64, scope: &Scope) -> Result<Document> {
        let body = self.body(id, &["invoice", "credit_note"], scope).await?;
        let mut doc: Document = serde_json::from_str(&body).map_err(|e| corrupt("body_json", e))?;
        doc.id = id;
        Ok(doc)
    }

    pub(crate) async fn get_pay_statement_impl(&self, id: i64, scope: &Scope) -> Result<PayStatement> {
        let body = self.body(id, &["pay_statement"], scope).await?;
        let mut st: PayStatement = serde_json::from_str(&body).map_err(|e| corrupt("body_json", e))?;
        st.id = id;
        Ok(st)
    }

    pub(crate) async fn list_documents_impl(&self, f: &DocumentFilter, scope: &Scope, page: Page) -> Result<Vec<DocumentSummary>> {
        let mut w = Where::default();
        w.scope(scope, Some("business_id"), Some("worker_id"));
        if let Some(x) = f.business {
            w.eq("business_id", x.0);
        }
        if let Some(x) = f.worker {
            w.eq("worker_id", x.0);
        }
        let mut sql = format!("SELECT {SUMMARY_COLS} FROM documents{}", w.sql());
        if let Some(k) = f.kind {
            let kind = match k {
                DocumentKindFilter::Billing(k) => k.as_str(),
                DocumentKindFilter::PayStatement => "pay_statement",
            };
            sql.push_str(if w.args.is_empty() { " WHERE " } else { " AND " });
            sql.push_str(&format!("kind = '{kind}'"));
        }
        let n = w.next_param();
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${n} OFFSET ${}", n + 1));
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(summary).collect()
    }
}
