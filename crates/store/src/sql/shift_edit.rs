//! Editing a posted shift: its notes, headcount and rates. The window, site
//! and skills are fixed once posted, because booked workers agreed to them
//! (cancel and repost instead). Headcount may not drop below the places
//! already held; rates may change only while nobody holds or is offered the
//! shift, because each booking's pay was fixed when it was made.

use jiff::Timestamp;
use slivers_core::ids::ShiftId;
use slivers_core::business::{Shift, ShiftStatus};
use slivers_core::Invalid;

use super::events::{append, Draft};
use super::{ts, SqlStore};
use crate::error::Conflict;
use crate::model::*;
use crate::{Result, StoreError};

impl SqlStore {
    pub(crate) async fn edit_shift_impl(&self, id: ShiftId, e: &ShiftEdit, actor: &Actor, now: Timestamp) -> Result<Shift> {
        if matches!(actor.scope, Scope::Worker(_)) {
            return Err(StoreError::Forbidden("workers do not edit shifts"));
        }
        // Scoped read first: another business's shift is "not found".
        self.get_shift_impl(id, &actor.scope).await?;
        let mut tx = self.write().await?;
        self.lock(&mut tx, "shifts", id.0).await?;
        let mut shift = Self::shift_in_tx(&mut tx, id).await?;
        if shift.status != ShiftStatus::Open {
            return Err(StoreError::Invalid(Invalid::one("status", "a cancelled shift cannot be edited")));
        }
        // The same status lists as the booking writes: holding time, and live (holding or offered).
        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE shift_id = $1 AND status IN ('confirmed', 'checked_in', 'completed')")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE shift_id = $1 AND status IN ('offered', 'confirmed', 'checked_in', 'completed')")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if i64::from(e.headcount) < held {
            return Err(Conflict::Headcount { headcount: e.headcount, confirmed: held as u32 }.into());
        }
        let rates_change = e.pay_rate != shift.pay_rate || e.bill_rate != shift.bill_rate;
        if rates_change && live > 0 {
            return Err(StoreError::Invalid(Invalid::one("pay_rate", format!("rates are fixed while {live} worker(s) hold or are offered this shift"))));
        }
        shift.headcount = e.headcount;
        shift.pay_rate = e.pay_rate;
        shift.bill_rate = e.bill_rate;
        shift.notes = e.notes.clone();
        shift.validate(now)?;
        sqlx::query("UPDATE shifts SET headcount = $1, pay_amount = $2, pay_currency = $3, bill_amount = $4, bill_currency = $5, notes = $6 WHERE id = $7")
            .bind(i64::from(shift.headcount))
            .bind(shift.pay_rate.amount.to_string())
            .bind(shift.pay_rate.currency.as_str().to_string())
            .bind(shift.bill_rate.amount.to_string())
            .bind(shift.bill_rate.currency.as_str().to_string())
            .bind(&shift.notes)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let mut d = Draft::new("shift.edited", now, actor);
        d.business = Some(shift.business_id);
        d.shift = Some(id);
        d.data = serde_json::json!({ "headcount": shift.headcount, "pay_rate": shift.pay_rate, "bill_rate": shift.bill_rate, "at": ts(now) });
        append(&mut tx, d, self.backend).await?;
        tx.commit().await?;
        Ok(shift)
    }
}
