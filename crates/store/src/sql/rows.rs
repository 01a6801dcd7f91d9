//! Turning rows into domain values. Every column list lives here, next to the
//! code that reads it, so a query and its decoder cannot drift apart.

use std::str::FromStr;

use rust_decimal::Decimal;
use slivers_core::booking::BookingStatus;
use slivers_core::business::{Shift, ShiftStatus, Site};
use slivers_core::geo::GeoPoint;
use slivers_core::ids::{BookingId, BusinessId, ShiftId, SiteId, UserId, WorkerId};
use slivers_core::skills::{Level, SkillClaim, SkillCode};
use slivers_core::worker::{Limits, Reach, Worker};
use slivers_core::{Currency, Interval, Money, Zone};
use sqlx::any::AnyRow;

use super::{from_ts, get};
use crate::model::*;
use crate::{Result, StoreError};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn money(row: &AnyRow, amount: &str, currency: &str) -> Result<Money> {
    let a: String = get(row, amount)?;
    let c: String = get(row, currency)?;
    Ok(Money::new(
        Decimal::from_str(&a).map_err(|e| corrupt(amount, e))?,
        Currency::parse(&c).map_err(|e| corrupt(currency, e))?,
    ))
}

pub(crate) fn zone(row: &AnyRow, col: &str) -> Result<Zone> {
    let z: String = get(row, col)?;
    Zone::parse(&z).map_err(|e| corrupt(col, e))
}

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T> {
    let s: String = get(row, col)?;
    serde_json::from_str(&s).map_err(|e| corrupt(col, e))
}

fn u32_col(row: &AnyRow, col: &str) -> Result<u32> {
    let v: i64 = get(row, col)?;
    u32::try_from(v).map_err(|e| corrupt(col, e))
}

pub(crate) const WORKER_COLS: &str = "id, name, zone, remote_only, home_lat, home_lon, radius_km, min_rate_amount, \
    min_rate_currency, max_minutes_per_day, max_minutes_per_week, min_rest_minutes, min_notice_minutes, \
    blackouts_json, availability_json, instant_book, wanted_minutes_per_week, labour_json";

/// A worker row without skills; the caller attaches them from `worker_skills`.
pub(crate) fn worker(row: &AnyRow) -> Result<Worker> {
    let remote_only: i64 = get(row, "remote_only")?;
    let reach = if remote_only != 0 {
        Reach::RemoteOnly
    } else {
        let lat: Option<f64> = get(row, "home_lat")?;
        let lon: Option<f64> = get(row, "home_lon")?;
        match (lat, lon) {
            (Some(lat), Some(lon)) => Reach::Travel { home: GeoPoint { lat, lon }, radius_km: u32_col(row, "radius_km")? },
            _ => return Err(corrupt("home", "a travelling worker without a home location")),
        }
    };
    Ok(Worker {
        id: WorkerId(get(row, "id")?),
        name: get(row, "name")?,
        zone: zone(row, "zone")?,
        reach,
        min_rate: money(row, "min_rate_amount", "min_rate_currency")?,
        limits: Limits {
            max_minutes_per_day: u32_col(row, "max_minutes_per_day")?,
            max_minutes_per_week: u32_col(row, "max_minutes_per_week")?,
            min_rest_minutes: u32_col(row, "min_rest_minutes")?,
            min_notice_minutes: u32_col(row, "min_notice_minutes")?,
            blackouts: json(row, "blackouts_json")?,
            labour: json(row, "labour_json")?,
        },
        instant_book: get::<i64>(row, "instant_book")? != 0,
        availability: json(row, "availability_json")?,
        skills: Vec::new(),
        wanted_minutes_per_week: u32_col(row, "wanted_minutes_per_week")?,
    })
}

/// One `worker_skills` row: (worker id, claim).
pub(crate) fn skill_claim(row: &AnyRow) -> Result<(WorkerId, SkillClaim)> {
    let code: String = get(row, "skill")?;
    let claimed = u8::try_from(get::<i64>(row, "claimed")?).map_err(|e| corrupt("claimed", e))?;
    Ok((
        WorkerId(get(row, "worker_id")?),
        SkillClaim {
            skill: SkillCode::parse(&code).map_err(|e| corrupt("skill", e))?,
            claimed: Level::new(claimed).map_err(|e| corrupt("claimed", e))?,
            evidence: json(row, "evidence_json")?,
        },
    ))
}

pub(crate) const SITE_COLS: &str = "id, business_id, name, zone, lat, lon, labour_json";

pub(crate) fn site(row: &AnyRow) -> Result<Site> {
    Ok(Site {
        id: SiteId(get(row, "id")?),
        business_id: BusinessId(get(row, "business_id")?),
        name: get(row, "name")?,
        zone: zone(row, "zone")?,
        location: GeoPoint { lat: get(row, "lat")?, lon: get(row, "lon")? },
        labour: json(row, "labour_json")?,
    })
}

pub(crate) const BUSINESS_COLS: &str = "id, name, zone, currency, wave_size, wave_interval_minutes, wave_order, onsite_before_remote";

pub(crate) fn business(row: &AnyRow) -> Result<Business> {
    let c: String = get(row, "currency")?;
    Ok(Business {
        id: BusinessId(get(row, "id")?),
        name: get(row, "name")?,
        zone: zone(row, "zone")?,
        currency: Currency::parse(&c).map_err(|e| corrupt("currency", e))?,
        waves: WaveSettings {
            size: u32_col(row, "wave_size")?,
            interval_minutes: u32_col(row, "wave_interval_minutes")?,
            order: WaveOrder::parse(&get::<String>(row, "wave_order")?).ok_or_else(|| corrupt("wave_order", "unknown"))?,
        },
        onsite_before_remote: u32_col(row, "onsite_before_remote")?,
    })
}

pub(crate) const WAVE_COLS: &str = "id, shift_id, business_id, status, wave_size, interval_minutes, wave_order, started_at, \
    next_wave_at, waves_sent, offers_sent, ended_at";

pub(crate) fn wave(row: &AnyRow) -> Result<Wave> {
    let status: String = get(row, "status")?;
    Ok(Wave {
        id: get(row, "id")?,
        shift_id: ShiftId(get(row, "shift_id")?),
        business_id: BusinessId(get(row, "business_id")?),
        status: WaveStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        settings: WaveSettings {
            size: u32_col(row, "wave_size")?,
            interval_minutes: u32_col(row, "interval_minutes")?,
            order: WaveOrder::parse(&get::<String>(row, "wave_order")?).ok_or_else(|| corrupt("wave_order", "unknown"))?,
        },
        started_at: from_ts(get(row, "started_at")?)?,
        next_wave_at: from_ts(get(row, "next_wave_at")?)?,
        waves_sent: get(row, "waves_sent")?,
        offers_sent: get(row, "offers_sent")?,
        ended_at: get::<Option<i64>>(row, "ended_at")?.map(from_ts).transpose()?,
    })
}

/// Shift columns, with the site's location joined in (`s` = shifts, `si` = sites).
pub(crate) const SHIFT_COLS: &str = "s.id, s.business_id, s.site_id, s.zone, s.start_at, s.end_at, s.headcount, \
    s.pay_amount, s.pay_currency, s.bill_amount, s.bill_currency, s.notes, s.skills_json, s.status, \
    si.lat AS site_lat, si.lon AS site_lon, si.labour_json AS site_labour_json, bz.onsite_before_remote";
/// The business's remote rule is joined in too, so a shift read anywhere
/// carries the policy its rules need.
pub(crate) const SHIFT_FROM: &str = "shifts s LEFT JOIN sites si ON si.id = s.site_id JOIN businesses bz ON bz.id = s.business_id";

pub(crate) fn shift(row: &AnyRow) -> Result<Shift> {
    let status: String = get(row, "status")?;
    let site_id: Option<i64> = get(row, "site_id")?;
    let location = match (site_id, get::<Option<f64>>(row, "site_lat")?, get::<Option<f64>>(row, "site_lon")?) {
        (Some(_), Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        (None, _, _) => None,
        _ => return Err(corrupt("site", "shift names a site without a location")),
    };
    Ok(Shift {
        id: ShiftId(get(row, "id")?),
        business_id: BusinessId(get(row, "business_id")?),
        site_id: site_id.map(SiteId),
        location,
        zone: zone(row, "zone")?,
        window: Interval::new(from_ts(get(row, "start_at")?)?, from_ts(get(row, "end_at")?)?)
            .map_err(|e| corrupt("window", e))?,
        skills: json(row, "skills_json")?,
        headcount: u32_col(row, "headcount")?,
        pay_rate: money(row, "pay_amount", "pay_currency")?,
        bill_rate: money(row, "bill_amount", "bill_currency")?,
        notes: get(row, "notes")?,
        status: match status.as_str() {
            "open" => ShiftStatus::Open,
            "cancelled" => ShiftStatus::Cancelled,
            other => return Err(corrupt("status", other)),
        },
        onsite_before_remote: u32_col(row, "onsite_before_remote")?,
        site_labour: match get::<Option<String>>(row, "site_labour_json")? {
            Some(text) => serde_json::from_str(&text).map_err(|e| corrupt("site_labour_json", e))?,
            None => Default::default(),
        },
    })
}

/// Booking columns, with the shift's pay rate joined in (`b` = bookings, `s` = shifts).
pub(crate) const BOOKING_COLS: &str = "b.id, b.shift_id, b.worker_id, b.business_id, b.status, b.mode, b.start_at, \
    b.end_at, b.offer_expires_at, b.cancel_notice_minutes, b.cancelled_late, b.created_at, b.updated_at, s.pay_amount, s.pay_currency";
pub(crate) const BOOKING_FROM: &str = "bookings b JOIN shifts s ON s.id = b.shift_id";

pub(crate) fn booking(row: &AnyRow) -> Result<Booking> {
    let status: String = get(row, "status")?;
    let mode: String = get(row, "mode")?;
    let window = Interval::new(from_ts(get(row, "start_at")?)?, from_ts(get(row, "end_at")?)?)
        .map_err(|e| corrupt("window", e))?;
    let rate = money(row, "pay_amount", "pay_currency")?;
    Ok(Booking {
        id: BookingId(get(row, "id")?),
        shift_id: ShiftId(get(row, "shift_id")?),
        worker_id: WorkerId(get(row, "worker_id")?),
        business_id: BusinessId(get(row, "business_id")?),
        status: BookingStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        mode: match mode.as_str() {
            "instant" => BookMode::Instant,
            "offer" => BookMode::Offer,
            other => return Err(corrupt("mode", other)),
        },
        pay: rate.for_minutes(window.minutes()),
        window,
        offer_expires_at: get::<Option<i64>>(row, "offer_expires_at")?.map(from_ts).transpose()?,
        cancel_notice_minutes: get(row, "cancel_notice_minutes")?,
        cancelled_late: get::<i64>(row, "cancelled_late")? != 0,
        created_at: from_ts(get(row, "created_at")?)?,
        updated_at: from_ts(get(row, "updated_at")?)?,
    })
}

pub(crate) const EVENT_COLS: &str =
    "seq, at, kind, actor_user_id, business_id, worker_id, shift_id, booking_id, data_json";

pub(crate) fn event(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        seq: get(row, "seq")?,
        at: from_ts(get(row, "at")?)?,
        kind: get(row, "kind")?,
        actor_user_id: get::<Option<i64>>(row, "actor_user_id")?.map(UserId),
        business_id: get::<Option<i64>>(row, "business_id")?.map(BusinessId),
        worker_id: get::<Option<i64>>(row, "worker_id")?.map(WorkerId),
        shift_id: get::<Option<i64>>(row, "shift_id")?.map(ShiftId),
        booking_id: get::<Option<i64>>(row, "booking_id")?.map(BookingId),
        data: json(row, "data_json")?,
    })
}

pub(crate) const USER_COLS: &str = "u.id, u.email, u.password_hash, u.role, u.worker_id, u.business_id";

pub(crate) fn user(row: &AnyRow) -> Result<UserRecord> {
    let role: String = get(row, "role")?;
    Ok(UserRecord {
        id: UserId(get(row, "id")?),
        email: get(row, "email")?,
        password_hash: get(row, "password_hash")?,
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        worker_id: get::<Option<i64>>(row, "worker_id")?.map(WorkerId),
        business_id: get::<Option<i64>>(row, "business_id")?.map(BusinessId),
    })
}
