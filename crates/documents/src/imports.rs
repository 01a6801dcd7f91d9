//! The rows a business imports from CSV (read with [`crate::csv::read`]):
//! shifts, sites and staff. Only their shape lives here; what makes a row
//! acceptable (the business's sites, the skill taxonomy, the rules a posted
//! shift must meet) is the import use case's to check.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;

/// One row of a shift import. Header: `site_id,start,end,skill,level,headcount,pay_rate,bill_rate,currency,notes`.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiftRow {
    /// Empty for remote work.
    pub site_id: Option<i64>,
    pub start: Timestamp,
    pub end: Timestamp,
    pub skill: String,
    pub level: u8,
    pub headcount: u32,
    pub pay_rate: Decimal,
    pub bill_rate: Decimal,
    pub currency: String,
    #[serde(default)]
    pub notes: String,
}

/// One row of a site import. Header: `name,zone,lat,lon`.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteRow {
    pub name: String,
    pub zone: String,
    pub lat: f64,
    pub lon: f64,
}

/// One row of a staff import. Header: `name,email,zone,skills`, skills as
/// `code:level` pairs separated by `;` (may be empty).
#[derive(Debug, Clone, Deserialize)]
pub struct WorkerRow {
    pub name: String,
    pub email: String,
    pub zone: String,
    #[serde(default)]
    pub skills: String,
}
