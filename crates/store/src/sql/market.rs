//! Skills, workers, businesses, sites and shifts.

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use slivers_core::business::{Shift, ShiftStatus, Site};
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::skills::SkillCode;
use slivers_core::validation::Collector;
use slivers_core::worker::{Reach, Worker};
use slivers_core::Invalid;

use super::events::{append, bind_all, Draft, Where};
use super::rows::{self, BUSINESS_COLS, SHIFT_COLS, SHIFT_FROM, SITE_COLS, WORKER_COLS};
use super::{ts, SqlStore, Tx};
use crate::model::*;
use crate::{Result, StoreError};

/// A business's own fields, before any write.
pub(crate) fn check_business(b: &NewBusiness) -> Result<()> {
    let mut c = Collector::new();
    c.check(slivers_core::validation::text_ok(&b.name, 200), "name", "must be 1 to 200 characters");
    Ok(c.finish()?)
}

/// A site's own fields, before any write.
pub(crate) fn check_site(s: &NewSite) -> Result<()> {
    Ok(s.validate()?)
}

fn require_all(actor: &Actor) -> Result<()> {
    match actor.scope {
        Scope::All => Ok(()),
        _ => Err(StoreError::Forbidden("only an operator may do this")),
    }
}

/// Refuse skill codes that are not in the taxonomy, naming each field.
async fn check_skills<'a>(tx: &mut Tx, codes: impl Iterator<Item = (String, &'a SkillCode)>) -> Result<()> {
    let known: BTreeSet<String> = sqlx::query_scalar("SELECT code FROM skills").fetch_all(&mut **tx).await?.into_iter().collect();
    let mut c = Collector::new();
    for (field, code) in codes {
        c.check(known.contains(code.as_str()), &field, format!("unknown skill `{}`", code.as_str()));
    }
    Ok(c.finish()?)
}

async fn write_worker_rows(tx: &mut Tx, w: &Worker, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM worker_skills WHERE worker_id = $1").bind(id).execute(&mut **tx).await?;
    for s in &w.skills {
        sqlx::query(
            "INSERT INTO worker_skills (worker_id, skill, claimed, effective, evidence_json) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(s.skill.as_str())
        .bind(i64::from(s.claimed.get()))
        .bind(i64::from(s.effective_level().get()))
        .bind(serde_json::to_string(&s.evidence).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The worker columns in `WORKER_COLS` order after `id`, as bindable values.
macro_rules! bind_worker {
    ($q:expr, $w:expr) => {{
        let w: &Worker = $w;
        // Never bind a NULL f64: sqlx's Any driver declares it as a 4-byte float on
        // PostgreSQL, and the cached statement then rejects the next real
        // coordinate. The SQL turns these into NULL for remote-only workers.
        let (remote, lat, lon, radius) = match w.reach {
            Reach::RemoteOnly => (1i64, 0.0f64, 0.0f64, 0i64),
            Reach::Travel { home, radius_km } => (0, home.lat, home.lon, i64::from(radius_km)),
        };
        $q.bind(w.name.clone())
            .bind(w.zone.name().to_string())
            .bind(remote)
            .bind(lat)
            .bind(lon)
            .bind(radius)
            .bind(w.min_rate.amount.to_string())
            .bind(w.min_rate.currency.as_str().to_string())
            .bind(i64::from(w.limits.max_minutes_per_day))
            .bind(i64::from(w.limits.max_minutes_per_week))
            .bind(i64::from(w.limits.min_rest_minutes))
            .bind(i64::from(w.limits.min_notice_minutes))
            .bind(json(&w.limits.blackouts)?)
            .bind(json(&w.availability)?)
            .bind(i64::from(w.instant_book))
            .bind(i64::from(w.wanted_minutes_per_week))
            .bind(json(&w.limits.labour)?)
    }};
}

impl SqlStore {
    pub(crate) async fn upsert_skills_impl(&self, skills: &[(String, String)]) -> Result<()> {
        let mut tx = self.write().await?;
        for (code, name) in skills {
            SkillCode::parse(code)?;
            sqlx::query("INSERT INTO skills (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = excluded.name")
                .bind(code)
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn list_skills_impl(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT code, name FROM skills ORDER BY code").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((super::get(r, "code")?, super::get(r, "name")?))).collect()
    }

    pub(crate) async fn create_worker_impl(&self, w: &Worker, actor: &Actor, now: Timestamp) -> Result<WorkerId> {
        require_all(actor)?;
        w.validate()?;
        let mut tx = self.write().await?;
        let id = self.insert_worker(&mut tx, w, actor, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The worker's rows and their `worker.created` event, inside `tx`.
    pub(crate) async fn insert_worker(&self, tx: &mut Tx, w: &Worker, actor: &Actor, now: Timestamp) -> Result<WorkerId> {
        check_skills(tx, w.skills.iter().enumerate().map(|(i, s)| (format!("skills[{i}].skill"), &s.skill))).await?;
        let q = sqlx::query_scalar::<_, i64>(
            "INSERT INTO workers (name, zone, remote_only, home_lat, home_lon, radius_km, min_rate_amount, \
             min_rate_currency, max_minutes_per_day, max_minutes_per_week, min_rest_minutes, min_notice_minutes, \
             blackouts_json, availability_json, instant_book, wanted_minutes_per_week, labour_json, created_at) \
             VALUES ($1, $2, $3, CASE WHEN $3 = 1 THEN NULL ELSE $4 END, CASE WHEN $3 = 1 THEN NULL ELSE $5 END, \
             $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        );
        let id = bind_worker!(q, w).bind(ts(now)).fetch_one(&mut **tx).await?;
        write_worker_rows(tx, w, id).await?;
        let mut d = Draft::new("worker.created", now, actor);
        d.worker = Some(WorkerId(id));
        d.data = serde_json::json!({ "name": w.name, "zone": w.zone.name() });
        append(tx, d, self.backend).await?;
        Ok(WorkerId(id))
    }

    pub(crate) async fn update_worker_impl(&self, w: &Worker, actor: &Actor, now: Timestamp) -> Result<()> {
        match actor.scope {
            Scope::All => {}
            Scope::Worker(me) if me == w.id => {}
            _ => return Err(StoreError::NotFound("worker")),
        }
        w.validate()?;
        let mut tx = self.write().await?;
        self.update_worker_in_tx(&mut tx, w, actor, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rewrite a worker's row and skills, with its event, inside `tx`.
    pub(crate) async fn update_worker_in_tx(&self, tx: &mut Tx, w: &Worker, actor: &Actor, now: Timestamp) -> Result<()> {
        check_skills(tx, w.skills.iter().enumerate().map(|(i, s)| (format!("skills[{i}].skill"), &s.skill))).await?;
        let q = sqlx::query(
            "UPDATE workers SET name = $1, zone = $2, remote_only = $3, home_lat = CASE WHEN $3 = 1 THEN NULL ELSE $4 END, \
             home_lon = CASE WHEN $3 = 1 THEN NULL ELSE $5 END, radius_km = $6, \
             min_rate_amount = $7, min_rate_currency = $8, max_minutes_per_day = $9, max_minutes_per_week = $10, \
             min_rest_minutes = $11, min_notice_minutes = $12, blackouts_json = $13, availability_json = $14, \
             instant_book = $15, wanted_minutes_per_week = $16, labour_json = $17 WHERE id = $18",
        );
        let done = bind_worker!(q, w).bind(w.id.0).execute(&mut **tx).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("worker"));
        }
        write_worker_rows(tx, w, w.id.0).await?;
        let mut d = Draft::new("worker.updated", now, actor);
        d.worker = Some(w.id);
        append(tx, d, self.backend).await?;
        Ok(())
    }

    /// Load workers by id (or a page of all) with their skills, on a pooled
    /// connection or inside a transaction.
    pub(crate) async fn load_workers(conn: &mut sqlx::AnyConnection, ids: Option<&[i64]>, page: Page) -> Result<Vec<Worker>> {
        let (sql, args) = match ids {
            Some(ids) => {
                let ph: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                (format!("SELECT {WORKER_COLS} FROM workers WHERE id IN ({}) ORDER BY id", ph.join(", ")), ids.to_vec())
            }
            None => (format!("SELECT {WORKER_COLS} FROM workers ORDER BY id LIMIT $1 OFFSET $2"), vec![page.limit, page.offset]),
        };
        let rows = bind_all(sql, &args).fetch_all(&mut *conn).await?;
        let mut workers: Vec<Worker> = rows.iter().map(rows::worker).collect::<Result<_>>()?;
        if workers.is_empty() {
            return Ok(workers);
        }
        let (lo, hi) = (workers[0].id.0, workers[workers.len() - 1].id.0);
        let skill_rows = sqlx::query(
            "SELECT worker_id, skill, claimed, evidence_json FROM worker_skills WHERE worker_id BETWEEN $1 AND $2 \
             ORDER BY worker_id, skill",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&mut *conn)
        .await?;
        let index: HashMap<i64, usize> = workers.iter().enumerate().map(|(i, w)| (w.id.0, i)).collect();
        for r in &skill_rows {
            let (wid, claim) = rows::skill_claim(r)?;
            if let Some(&i) = index.get(&wid.0) {
                workers[i].skills.push(claim);
            }
        }
        Ok(workers)
    }

    pub(crate) async fn get_worker_impl(&self, id: WorkerId, scope: &Scope) -> Result<Worker> {
        // Businesses read profiles to judge candidates; a worker reads only their own.
        if matches!(scope, Scope::Worker(me) if *me != id) {
            return Err(StoreError::NotFound("worker"));
        }
        let mut conn = self.pool.acquire().await?;
        Self::load_workers(&mut conn, Some(&[id.0]), Page::all()).await?.pop().ok_or(StoreError::NotFound("worker"))
    }

    pub(crate) async fn list_workers_impl(&self, page: Page) -> Result<Vec<Worker>> {
        let mut conn = self.pool.acquire().await?;
        Self::load_workers(&mut conn, None, page).await
    }

    pub(crate) async fn create_business_impl(&self, b: &NewBusiness, actor: &Actor, now: Timestamp) -> Result<BusinessId> {
        require_all(actor)?;
        check_business(b)?;
        let mut tx = self.write().await?;
        let id = self.insert_business(&mut tx, b, actor, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The business row and its `business.created` event, inside `tx`.
    pub(crate) async fn insert_business(&self, tx: &mut Tx, b: &NewBusiness, actor: &Actor, now: Timestamp) -> Result<BusinessId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO businesses (name, zone, currency, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&b.name)
        .bind(b.zone.name())
        .bind(b.currency.as_str())
        .bind(ts(now))
        .fetch_one(&mut **tx)
        .await?;
        let mut d = Draft::new("business.created", now, actor);
        d.business = Some(BusinessId(id));
        d.data = serde_json::json!({ "name": b.name });
        append(tx, d, self.backend).await?;
        Ok(BusinessId(id))
    }

    pub(crate) async fn get_business_impl(&self, id: BusinessId, scope: &Scope) -> Result<Business> {
        let mut w = Where::default();
        w.eq("id", id.0).scope(scope, Some("id"), None);
        let sql = format!("SELECT {BUSINESS_COLS} FROM businesses{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::business).transpose()?.ok_or(StoreError::NotFound("business"))
    }

    pub(crate) async fn list_businesses_impl(&self, scope: &Scope, page: Page) -> Result<Vec<Business>> {
        let mut w = Where::default();
        w.scope(scope, Some("id"), None);
        let n = w.next_param();
        let sql = format!("SELECT {BUSINESS_COLS} FROM businesses{} ORDER BY id LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(rows::business).collect()
    }

    pub(crate) async fn create_site_impl(&self, s: &NewSite, actor: &Actor, now: Timestamp) -> Result<Site> {
        self.get_business_impl(s.business_id, &actor.scope).await?;
        check_site(s)?;
        let mut tx = self.write().await?;
        let site = self.insert_site(&mut tx, s, actor, now).await?;
        tx.commit().await?;
        Ok(site)
    }

    /// The site row and its `site.created` event, inside `tx`.
    pub(crate) async fn insert_site(&self, tx: &mut Tx, s: &NewSite, actor: &Actor, now: Timestamp) -> Result<Site> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sites (business_id, name, zone, lat, lon) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(s.business_id.0)
        .bind(&s.name)
        .bind(s.zone.name())
        .bind(s.location.lat)
        .bind(s.location.lon)
        .fetch_one(&mut **tx)
        .await?;
        let mut d = Draft::new("site.created", now, actor);
        d.business = Some(s.business_id);
        d.data = serde_json::json!({ "site_id": id, "name": s.name });
        append(tx, d, self.backend).await?;
        Ok(Site { id: SiteId(id), business_id: s.business_id, name: s.name.clone(), zone: s.zone.clone(), location: s.location, labour: Default::default() })
    }

    pub(crate) async fn get_site_impl(&self, id: SiteId, scope: &Scope) -> Result<Site> {
        let mut w = Where::default();
        w.eq("id", id.0).scope(scope, Some("business_id"), None);
        let sql = format!("SELECT {SITE_COLS} FROM sites{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::site).transpose()?.ok_or(StoreError::NotFound("site"))
    }

    pub(crate) async fn list_sites_impl(&self, business: BusinessId, scope: &Scope) -> Result<Vec<Site>> {
        let mut w = Where::default();
        w.eq("business_id", business.0).scope(scope, Some("business_id"), None);
        let sql = format!("SELECT {SITE_COLS} FROM sites{} ORDER BY id", w.sql());
        let rows = bind_all(sql, &w.args).fetch_all(&self.pool).await?;
        rows.iter().map(rows::site).collect()
    }

    pub(crate) async fn create_shift_impl(&self, s: &NewShift, actor: &Actor, now: Timestamp) -> Result<Shift> {
        let business = self.get_business_impl(s.business_id, &actor.scope).await?;
        let site = match s.site_id {
            Some(id) => Some(self.get_site_impl(id, &Scope::Business(s.business_id)).await.map_err(|e| match e {
                StoreError::NotFound(_) => StoreError::Invalid(Invalid::one("site_id", format!("no site {id} in this business"))),
                e => e,
            })?),
            None => None,
        };
        let mut shift = Shift {
            id: ShiftId(0),
            business_id: s.business_id,
            site_id: s.site_id,
            location: site.as_ref().map(|x| x.location),
            zone: site.as_ref().map_or(business.zone.clone(), |x| x.zone.clone()),
            window: s.window,
            skills: s.skills.clone(),
            headcount: s.headcount,
            pay_rate: s.pay_rate,
            bill_rate: s.bill_rate,
            notes: s.notes.clone(),
            status: ShiftStatus::Open,
            onsite_before_remote: business.onsite_before_remote,
            site_labour: site.as_ref().map(|x| x.labour.clone()).unwrap_or_default(),
        };
        shift.validate(now)?;
        let mut tx = self.write().await?;
        check_skills(&mut tx, s.skills.iter().enumerate().map(|(i, r)| (format!("skills[{i}].skill"), &r.skill))).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO shifts (business_id, site_id, zone, start_at, end_at, headcount, pay_amount, pay_currency, \
             bill_amount, bill_currency, notes, skills_json, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13) RETURNING id",
        )
        .bind(s.business_id.0)
        .bind(s.site_id.map(|x| x.0))
        .bind(shift.zone.name().to_string())
        .bind(ts(s.window.start))
        .bind(ts(s.window.end))
        .bind(i64::from(s.headcount))
        .bind(s.pay_rate.amount.to_string())
        .bind(s.pay_rate.currency.as_str().to_string())
        .bind(s.bill_rate.amount.to_string())
        .bind(s.bill_rate.currency.as_str().to_string())
        .bind(&s.notes)
        .bind(json(&s.skills)?)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        shift.id = ShiftId(id);
        let mut d = Draft::new("shift.posted", now, actor);
        d.business = Some(s.business_id);
        d.shift = Some(shift.id);
        d.data = serde_json::json!({ "start": s.window.start, "end": s.window.end, "headcount": s.headcount });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(shift)
    }

    /// Shift visibility: operators see all; a business its own; a worker only
    /// shifts they hold a booking or offer on.
    fn shift_scope(w: &mut Where, scope: &Scope) {
        match scope {
            Scope::Worker(me) => {
                w.clause("s.id IN (SELECT shift_id FROM bookings WHERE worker_id = {})", me.0);
            }
            other => {
                w.scope(other, Some("s.business_id"), None);
            }
        }
    }

    pub(crate) async fn get_shift_impl(&self, id: ShiftId, scope: &Scope) -> Result<Shift> {
        let mut w = Where::default();
        w.eq("s.id", id.0);
        Self::shift_scope(&mut w, scope);
        let sql = format!("SELECT {SHIFT_COLS} FROM {SHIFT_FROM}{}", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::shift).transpose()?.ok_or(StoreError::NotFound("shift"))
    }

    pub(crate) async fn list_shifts_impl(&self, f: &ShiftFilter, scope: &Scope, page: Page) -> Result<Vec<Shift>> {
        let mut w = Where::default();
        Self::shift_scope(&mut w, scope);
        if let Some(b) = f.business {
            w.eq("s.business_id", b.0);
        }
        if let Some(t) = f.from {
            w.op("s.end_at", ">", ts(t));
        }
        if let Some(t) = f.to {
            w.op("s.start_at", "<", ts(t));
        }
        let n = w.next_param();
        let sql = format!(
            "SELECT {SHIFT_COLS} FROM {SHIFT_FROM}{} ORDER BY s.start_at, s.id LIMIT ${n} OFFSET ${}",
            w.sql(),
            n + 1
        );
        let mut args = w.args.clone();
        args.extend([page.limit, page.offset]);
        let rows = bind_all(sql, &args).fetch_all(&self.pool).await?;
        rows.iter().map(rows::shift).collect()
    }
}

