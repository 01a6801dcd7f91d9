//! Offer waves: campaign state lives here; choosing whom to offer is the
//! matching index's job, and each offer is an ordinary booking write.

use jiff::Timestamp;
use slivers_core::booking::{BookingAction, BookingStatus};
use slivers_core::business::ShiftStatus;
use slivers_core::ids::{BookingId, BusinessId, ShiftId};
use slivers_core::Invalid;
use sqlx::AssertSqlSafe;

use super::accounts::unique_violation;
use super::events::{append, bind_all, Draft, Where};
use super::bookings::HOLDING;
use super::rows::{self, WAVE_COLS};
use super::{get, ts, SqlStore, Tx};
use crate::error::Conflict;
use crate::model::*;
use crate::{Result, StoreError};

fn wave_event(s: WaveStatus) -> &'static str {
    match s {
        WaveStatus::Active => "wave.started",
        WaveStatus::Filled => "wave.filled",
        WaveStatus::Stopped => "wave.stopped",
        WaveStatus::Expired => "wave.expired",
    }
}

impl SqlStore {
    async fn wave_in_tx(tx: &mut Tx, id: i64) -> Result<Wave> {
        let sql = format!("SELECT {WAVE_COLS} FROM offer_waves WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        row.as_ref().map(rows::wave).transpose()?.ok_or(StoreError::NotFound("offer wave"))
    }

    pub(crate) async fn set_wave_settings_impl(&self, id: BusinessId, w: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Business> {
        w.validate()?;
        self.get_business_impl(id, &actor.scope).await?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE businesses SET wave_size = $1, wave_interval_minutes = $2, wave_order = $3 WHERE id = $4")
            .bind(i64::from(w.size))
            .bind(i64::from(w.interval_minutes))
            .bind(w.order.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let mut d = Draft::new("business.settings_changed", now, actor);
        d.business = Some(id);
        d.data = serde_json::json!({ "waves": w });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        self.get_business_impl(id, &actor.scope).await
    }

    pub(crate) async fn expire_offers_impl(&self, now: Timestamp) -> Result<Vec<Booking>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM bookings WHERE status = 'offered' AND offer_expires_at <= $1 ORDER BY id")
            .bind(ts(now))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for id in ids {
            match self.transition_impl(BookingId(id), BookingAction::Expire, &Actor::system(), now).await {
                Ok(b) => out.push(b),
                // Answered in the meantime: nothing to expire.
                Err(StoreError::Conflict(Conflict::Transition(_))) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    pub(crate) async fn start_wave_impl(&self, shift_id: ShiftId, w: WaveSettings, actor: &Actor, now: Timestamp) -> Result<Wave> {
        w.validate()?;
        let mut tx = self.write().await?;
        self.lock(&mut tx, "shifts", shift_id.0).await?;
        let shift = Self::shift_in_tx(&mut tx, shift_id).await?;
        match actor.scope {
            Scope::All => {}
            Scope::Business(b) if b == shift.business_id => {}
            Scope::Business(_) => return Err(StoreError::NotFound("shift")),
            Scope::Worker(_) => return Err(StoreError::Forbidden("businesses run offer waves")),
        }
        if shift.status != ShiftStatus::Open || shift.window.start <= now {
            // The request is well formed; the shift's state refuses it.
            return Err(StoreError::Conflict(Conflict::Refused {
                rule: "shift_open",
                reason: "the shift is not open for offers (cancelled or already started)".into(),
            }));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO offer_waves (shift_id, business_id, status, wave_size, interval_minutes, wave_order, started_at, \
             next_wave_at) VALUES ($1, $2, 'active', $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(shift_id.0)
        .bind(shift.business_id.0)
        .bind(i64::from(w.size))
        .bind(i64::from(w.interval_minutes))
        .bind(w.order.as_str())
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match unique_violation(e, "shift_id", &shift_id.0.to_string()) {
            StoreError::Conflict(Conflict::Taken { .. }) => StoreError::Conflict(Conflict::WaveActive),
            other => other,
        })?;
        let mut d = Draft::new("wave.started", now, actor);
        d.business = Some(shift.business_id);
        d.shift = Some(shift_id);
        d.data = serde_json::json!({ "wave_id": id, "settings": w });
        append(&mut tx, d, self.backend).await?;
        let wave = Self::wave_in_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(wave)
    }

    pub(crate) async fn get_wave_impl(&self, shift: ShiftId, scope: &Scope) -> Result<Option<Wave>> {
        let mut w = Where::default();
        w.eq("shift_id", shift.0).scope(scope, Some("business_id"), None);
        let sql = format!("SELECT {WAVE_COLS} FROM offer_waves{} ORDER BY id DESC LIMIT 1", w.sql());
        let row = bind_all(sql, &w.args).fetch_optional(&self.pool).await?;
        row.as_ref().map(rows::wave).transpose()
    }

    pub(crate) async fn waves_to_advance_impl(&self, now: Timestamp) -> Result<Vec<Wave>> {
        // One query decides which campaigns have anything to do, so a tick
        // costs little however many campaigns are waiting for their next wave.
        let sql = format!(
            "SELECT {WAVE_COLS} FROM offer_waves WHERE id IN (\
               SELECT w.id FROM offer_waves w JOIN shifts s ON s.id = w.shift_id \
               WHERE w.status = 'active' AND (w.next_wave_at <= $1 OR s.start_at <= $1 OR s.status <> 'open' \
                 OR (SELECT COUNT(*) FROM bookings b WHERE b.shift_id = w.shift_id AND b.status IN {HOLDING}) >= s.headcount)) \
             ORDER BY next_wave_at, id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(ts(now)).fetch_all(&self.pool).await?;
        rows.iter().map(rows::wave).collect()
    }

    pub(crate) async fn claim_wave_impl(&self, id: i64, due: Timestamp, next_at: Timestamp) -> Result<bool> {
        let done = sqlx::query("UPDATE offer_waves SET next_wave_at = $1 WHERE id = $2 AND status = 'active' AND next_wave_at = $3")
            .bind(ts(next_at))
            .bind(id)
            .bind(ts(due))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn record_wave_impl(&self, id: i64, offers: &[BookingId], next_at: Timestamp, now: Timestamp) -> Result<Wave> {
        let mut tx = self.write().await?;
        self.lock(&mut tx, "offer_waves", id).await?;
        let wave = Self::wave_in_tx(&mut tx, id).await?;
        if wave.status != WaveStatus::Active {
            return Err(Conflict::WaveEnded(wave.status.as_str()).into());
        }
        sqlx::query("UPDATE offer_waves SET waves_sent = waves_sent + 1, offers_sent = offers_sent + $1, next_wave_at = $2 WHERE id = $3")
            .bind(offers.len() as i64)
            .bind(ts(next_at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let system = Actor::system();
        let mut d = Draft::new("wave.sent", now, &system);
        d.business = Some(wave.business_id);
        d.shift = Some(wave.shift_id);
        d.data = serde_json::json!({
            "wave_id": id, "wave": wave.waves_sent + 1, "offers": offers, "next_wave_at": next_at,
        });
        append(&mut tx, d, self.backend).await?;
        let wave = Self::wave_in_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(wave)
    }

    pub(crate) async fn end_wave_impl(&self, id: i64, status: WaveStatus, actor: &Actor, now: Timestamp) -> Result<Wave> {
        if status == WaveStatus::Active {
            return Err(Invalid::one("status", "a wave ends as filled, stopped or expired").into());
        }
        let mut tx = self.write().await?;
        self.lock(&mut tx, "offer_waves", id).await?;
        let wave = Self::wave_in_tx(&mut tx, id).await?;
        match actor.scope {
            Scope::All => {}
            Scope::Business(b) if b == wave.business_id => {}
            _ => return Err(StoreError::NotFound("offer wave")),
        }
        if wave.status != WaveStatus::Active {
            return Err(Conflict::WaveEnded(wave.status.as_str()).into());
        }
        sqlx::query("UPDATE offer_waves SET status = $1, ended_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(ts(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Outstanding offers on the shift end with the campaign, each on the log.
        let (action, next) = match status {
            WaveStatus::Expired => ("expire", BookingStatus::Expired),
            _ => ("withdraw", BookingStatus::Withdrawn),
        };
        let rows = sqlx::query("SELECT id, worker_id FROM bookings WHERE shift_id = $1 AND status = 'offered' ORDER BY id")
            .bind(wave.shift_id.0)
            .fetch_all(&mut *tx)
            .await?;
        let mut closed = Vec::new();
        for r in &rows {
            let (bid, wid): (i64, i64) = (get(r, "id")?, get(r, "worker_id")?);
            sqlx::query("UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(next.as_str())
                .bind(ts(now))
                .bind(bid)
                .execute(&mut *tx)
                .await?;
            let mut d = Draft::new(if next == BookingStatus::Expired { "booking.expired" } else { "booking.withdrawn" }, now, actor);
            d.business = Some(wave.business_id);
            d.worker = Some(slivers_core::ids::WorkerId(wid));
            d.shift = Some(wave.shift_id);
            d.booking = Some(BookingId(bid));
            d.data = serde_json::json!({ "from": "offered", "action": action, "wave_id": id });
            append(&mut tx, d, self.backend).await?;
            closed.push(bid);
        }
        let mut d = Draft::new(wave_event(status), now, actor);
        d.business = Some(wave.business_id);
        d.shift = Some(wave.shift_id);
        d.data = serde_json::json!({ "wave_id": id, "waves_sent": wave.waves_sent, "offers_closed": closed });
        append(&mut tx, d, self.backend).await?;
        let wave = Self::wave_in_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(wave)
    }
}
