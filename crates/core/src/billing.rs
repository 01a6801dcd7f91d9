//! Exact billing: invoices and credit notes to businesses, pay statements to
//! workers, built from approved timesheets and late cancellations.
//!
//! Every amount is a `rust_decimal` rounded once, per line, by the one stated
//! rule ([`round_line`]: half away from zero to cents). Document totals are
//! sums of already-rounded lines, so a total always equals the sum of its lines
//! exactly; tax is computed per tax category on the category's taxable amount
//! (EN 16931 BR-CO-17) and then summed.
//!
//! Corrections never edit an issued document: a credit note reverses an
//! invoice in full (same lines, same tax), and a corrected invoice is issued
//! afresh. So "invoices minus credit notes" is always the bill of the
//! timesheets as they finally stand.

use jiff::Timestamp;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::validation::Collector;
use crate::{Currency, Invalid, Zone};

/// The one rounding rule for every line and tax amount.
pub const ROUNDING_RULE: &str = "each line and each tax category amount is rounded half away from zero to 0.01";

/// Round a raw line amount by [`ROUNDING_RULE`].
pub fn round_line(raw: Decimal) -> Decimal {
    raw.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// How often a business is invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BillingPeriod {
    /// Monday to Sunday in the business's zone.
    #[default]
    Weekly,
    /// Calendar months in the business's zone.
    Monthly,
}

/// A VAT category (UNCL5305 code) with its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaxCategory {
    /// `S`: standard rated, with a positive percent.
    Standard,
    /// `Z`: zero rated.
    Zero,
}

impl TaxCategory {
    pub fn code(self) -> &'static str {
        match self {
            Self::Standard => "S",
            Self::Zero => "Z",
        }
    }
}

/// Surcharges on the bill rate, each a percent of the labour it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Premiums {
    /// On minutes worked between 22:00 and 06:00 in the shift's zone.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "25", pattern = r"^(500(\.0{1,2})?|[0-4]?[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub night_percent: Decimal,
    /// On minutes worked on a Saturday or Sunday in the shift's zone.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "50", pattern = r"^(500(\.0{1,2})?|[0-4]?[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub weekend_percent: Decimal,
    /// On the whole labour line when the booking was made less than
    /// `short_notice_hours` before the shift started.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10", pattern = r"^(500(\.0{1,2})?|[0-4]?[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub short_notice_percent: Decimal,
    #[cfg_attr(feature = "openapi", schema(maximum = 336))]
    pub short_notice_hours: u32,
}

/// A business's billing terms. Defaults: weekly, 24 h review window, 24 h
/// cancellation notice with half the shift paid when cancelled later, a 15 %
/// exchange fee, standard-rated VAT at 20 %, no premiums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingPolicy {
    pub period: BillingPeriod,
    /// Hours after check-out in which the business confirms, corrects or
    /// disputes a timesheet; afterwards it is approved automatically.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 336))]
    pub review_hours: u32,
    /// A cancellation with less notice than this (by either side) is late.
    #[cfg_attr(feature = "openapi", schema(maximum = 20160))]
    pub cancellation_notice_minutes: u32,
    /// The share of a late-cancelled shift the business pays (and the worker is paid).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "50", pattern = r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub late_cancellation_pay_percent: Decimal,
    /// The exchange's fee, a percent of labour and premiums.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15", pattern = r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub fee_percent: Decimal,
    pub tax_category: TaxCategory,
    /// Above 0 for the standard category, exactly 0 for the zero category.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "20", pattern = r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"))]
    pub tax_percent: Decimal,
    pub premiums: Premiums,
}

impl Default for BillingPolicy {
    fn default() -> Self {
        Self {
            period: BillingPeriod::Weekly,
            review_hours: 24,
            cancellation_notice_minutes: 24 * 60,
            late_cancellation_pay_percent: Decimal::from(50),
            fee_percent: Decimal::from(15),
            tax_category: TaxCategory::Standard,
            tax_percent: Decimal::from(20),
            premiums: Premiums::default(),
        }
    }
}

fn percent(c: &mut Collector, field: &str, p: Decimal, max: u32) {
    c.check(!p.is_sign_negative() || p.is_zero(), field, "must not be negative");
    c.check(p <= Decimal::from(max), field, &format!("must be at most {max}"));
    c.check(p.scale() <= 2, field, "at most 2 decimal places");
}

impl BillingPolicy {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        c.check((1..=24 * 14).contains(&self.review_hours), "review_hours", "must be 1 to 336");
        c.check(self.cancellation_notice_minutes <= 14 * 24 * 60, "cancellation_notice_minutes", "must be at most 20160 (14 days)");
        percent(&mut c, "late_cancellation_pay_percent", self.late_cancellation_pay_percent, 100);
        percent(&mut c, "fee_percent", self.fee_percent, 100);
        percent(&mut c, "tax_percent", self.tax_percent, 100);
        match self.tax_category {
            TaxCategory::Standard => c.check(self.tax_percent > Decimal::ZERO, "tax_percent", "standard rate must be above 0"),
            TaxCategory::Zero => c.check(self.tax_percent.is_zero(), "tax_percent", "zero rate must be 0"),
        }
        let p = &self.premiums;
        percent(&mut c, "premiums.night_percent", p.night_percent, 500);
        percent(&mut c, "premiums.weekend_percent", p.weekend_percent, 500);
        percent(&mut c, "premiums.short_notice_percent", p.short_notice_percent, 500);
        c.check(p.short_notice_hours <= 24 * 14, "premiums.short_notice_hours", "must be at most 336");
        c.finish()
    }
}

/// The billing period (first and last day) that contains `day`.
pub fn period_containing(day: jiff::civil::Date, period: BillingPeriod) -> (jiff::civil::Date, jiff::civil::Date) {
    match period {
        BillingPeriod::Weekly => {
            let start = crate::zone::Zone::iso_week_start(day);
            (start, start.checked_add(jiff::Span::new().days(6)).unwrap_or(start))
        }
        BillingPeriod::Monthly => (day.first_of_month(), day.last_of_month()),
    }
}

/// Minutes of `[start, end)` that fall at night (22:00–06:00) and on a
/// weekend, in `zone`'s civil time. Walks the interval in civil-hour pieces.
pub fn night_and_weekend_minutes(start: Timestamp, end: Timestamp, zone: &Zone) -> (i64, i64) {
    let (mut night, mut weekend) = (0i64, 0i64);
    let mut t = start;
    while t < end {
        let civil = t.to_zoned(zone.tz().clone());
        // The next boundary is the next whole hour (every rule changes only on hours).
        let into_hour = i64::from(civil.minute()) * 60 + i64::from(civil.second());
        let step_end = std::cmp::min(end, Timestamp::from_second(t.as_second() - into_hour + 3600).unwrap_or(end));
        let minutes = (step_end.as_second() - t.as_second()) / 60;
        let hour = civil.hour();
        if !(6..22).contains(&hour) {
            night += minutes;
        }
        if matches!(civil.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
            weekend += minutes;
        }
        t = step_end;
    }
    (night, weekend)
}

/// What one approved timesheet or late cancellation contributes, as the
/// billing code needs it: no rule is re-decided here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billable {
    pub timesheet_id: i64,
    pub booking_id: i64,
    /// "Barista, 3 Dec 09:00–17:00, A. Worker"
    pub description: String,
    pub kind: BillableKind,
    /// Approved minutes for work; the scheduled minutes for a late cancellation.
    pub minutes: i64,
    pub night_minutes: i64,
    pub weekend_minutes: i64,
    pub short_notice: bool,
    /// Hourly.
    pub bill_rate: Decimal,
    /// Hourly.
    pub pay_rate: Decimal,
    /// For late cancellations: the share of the shift paid, in percent.
    pub share_percent: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BillableKind {
    Work,
    LateCancellation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LineKind {
    Labour,
    NightPremium,
    WeekendPremium,
    ShortNoticePremium,
    LateCancellation,
    Fee,
}

/// One line of an invoice, credit note or pay statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub kind: LineKind,
    pub description: String,
    pub timesheet_id: Option<i64>,
    /// Minutes for time-based lines (priced per hour), else `None` (one unit).
    pub minutes: Option<i64>,
    /// The hourly rate for time-based lines; the unit price otherwise.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    /// Rounded by [`ROUNDING_RULE`].
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

/// Tax on one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxSubtotal {
    pub category: TaxCategory,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub percent: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub taxable: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax: Decimal,
}

/// The amounts of an invoice or credit note: lines, tax and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amounts {
    pub currency: Currency,
    pub lines: Vec<Line>,
    pub tax: Vec<TaxSubtotal>,
    /// Sum of the lines.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net: Decimal,
    /// Sum of the tax subtotals.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_total: Decimal,
    /// `net + tax_total`: what is payable.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
}

fn hourly(minutes: i64, rate: Decimal) -> Decimal {
    Decimal::from(minutes) * rate / Decimal::from(60)
}

/// `minutes × rate / 60 × p / 100` with one division, so an exact half cent
/// is not lost to a rounded repeating decimal from dividing by 60 first.
fn hourly_pct(minutes: i64, rate: Decimal, p: Decimal) -> Decimal {
    Decimal::from(minutes) * rate * p / Decimal::from(6000)
}

fn pct(amount: Decimal, p: Decimal) -> Decimal {
    amount * p / Decimal::from(100)
}

/// The lines an invoice carries for one billable item (without the fee).
pub fn invoice_lines(b: &Billable, policy: &BillingPolicy) -> Vec<Line> {
    let line = |kind, description: String, minutes, unit_price, amount| Line {
        kind,
        description,
        timesheet_id: Some(b.timesheet_id),
        minutes,
        unit_price,
        amount,
    };
    match b.kind {
        BillableKind::LateCancellation => {
            let amount = round_line(hourly_pct(b.minutes, b.bill_rate, b.share_percent));
            vec![line(
                LineKind::LateCancellation,
                format!("Late cancellation ({}% of the shift): {}", b.share_percent.normalize(), b.description),
                None,
                amount,
                amount,
            )]
        }
        BillableKind::Work => {
            let labour = round_line(hourly(b.minutes, b.bill_rate));
            let mut out = vec![line(LineKind::Labour, b.description.clone(), Some(b.minutes), b.bill_rate, labour)];
            let p = &policy.premiums;
            let mut premium = |kind, label: &str, raw: Decimal| {
                let amount = round_line(raw);
                if !amount.is_zero() {
                    out.push(line(kind, format!("{label}: {}", b.description), None, amount, amount));
                }
            };
            premium(LineKind::NightPremium, &format!("Night premium {}%", p.night_percent.normalize()),
                hourly_pct(b.night_minutes.min(b.minutes), b.bill_rate, p.night_percent));
            premium(LineKind::WeekendPremium, &format!("Weekend premium {}%", p.weekend_percent.normalize()),
                hourly_pct(b.weekend_minutes.min(b.minutes), b.bill_rate, p.weekend_percent));
            if b.short_notice {
                premium(LineKind::ShortNoticePremium, &format!("Short-notice premium {}%", p.short_notice_percent.normalize()),
                    pct(labour, p.short_notice_percent));
            }
            out
        }
    }
}

/// Sum lines, add tax by category, total. The single place totals are made.
pub fn amounts(currency: Currency, lines: Vec<Line>, policy: &BillingPolicy) -> Amounts {
    let net: Decimal = lines.iter().map(|l| l.amount).sum();
    let tax_amount = round_line(pct(net, policy.tax_percent));
    let tax = vec![TaxSubtotal { category: policy.tax_category, percent: policy.tax_percent, taxable: net, tax: tax_amount }];
    let tax_total: Decimal = tax.iter().map(|t| t.tax).sum();
    Amounts { currency, lines, tax, net, tax_total, total: net + tax_total }
}

/// An invoice's amounts for a period's billable items: their lines, then
/// the exchange's fee on labour and premiums (late cancellations carry no fee).
pub fn invoice(currency: Currency, items: &[Billable], policy: &BillingPolicy) -> Amounts {
    let mut lines: Vec<Line> = items.iter().flat_map(|b| invoice_lines(b, policy)).collect();
    let feeable: Decimal = lines.iter().filter(|l| l.kind != LineKind::LateCancellation).map(|l| l.amount).sum();
    let fee = round_line(pct(feeable, policy.fee_percent));
    if !fee.is_zero() {
        lines.push(Line {
            kind: LineKind::Fee,
            description: format!("Exchange fee {}% of labour and premiums", policy.fee_percent.normalize()),
            timesheet_id: None,
            minutes: None,
            unit_price: fee,
            amount: fee,
        });
    }
    amounts(currency, lines, policy)
}

/// What one billable item pays the worker in full: approved minutes × pay
/// rate, or the policy's share of a late-cancelled shift.
pub fn pay_line(b: &Billable) -> Line {
    match b.kind {
        BillableKind::Work => Line {
            kind: LineKind::Labour,
            description: b.description.clone(),
            timesheet_id: Some(b.timesheet_id),
            minutes: Some(b.minutes),
            unit_price: b.pay_rate,
            amount: round_line(hourly(b.minutes, b.pay_rate)),
        },
        BillableKind::LateCancellation => {
            let amount = round_line(hourly_pct(b.minutes, b.pay_rate, b.share_percent));
            Line {
                kind: LineKind::LateCancellation,
                description: format!("Late cancellation ({}% of the shift): {}", b.share_percent.normalize(), b.description),
                timesheet_id: Some(b.timesheet_id),
                minutes: None,
                unit_price: amount,
                amount,
            }
        }
    }
}

/// A pay statement's lines and total for items with what each has already
/// been paid: the full amount the first time, the difference after a
/// correction (a line only where something is owed either way). Gross pay;
/// no tax is withheld here.
pub fn pay_statement(items: &[(Billable, Decimal)]) -> (Vec<Line>, Decimal) {
    let lines: Vec<Line> = items
        .iter()
        .filter_map(|(b, paid)| {
            let mut line = pay_line(b);
            if paid.is_zero() {
                return (!line.amount.is_zero()).then_some(line);
            }
            let owed = line.amount - paid;
            if owed.is_zero() {
                return None;
            }
            line.description = format!("Correction (previously paid {paid}): {}", line.description);
            line.amount = owed;
            line.unit_price = owed;
            line.minutes = None;
            Some(line)
        })
        .collect();
    let total = lines.iter().map(|l| l.amount).sum();
    (lines, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn work(minutes: i64, rate: &str) -> Billable {
        Billable {
            timesheet_id: 1,
            booking_id: 1,
            description: "shift".into(),
            kind: BillableKind::Work,
            minutes,
            night_minutes: 0,
            weekend_minutes: 0,
            short_notice: false,
            bill_rate: d(rate),
            pay_rate: d("10"),
            share_percent: Decimal::ZERO,
        }
    }

    #[test]
    fn an_invoice_totals_its_lines_with_fee_and_tax() {
        let a = invoice(Currency::GBP, &[work(90, "12.35"), work(25, "20")], &BillingPolicy::default());
        // 18.525 -> 18.53; 8.333.. -> 8.33; fee 15% of 26.86 = 4.029 -> 4.03
        let amounts: Vec<_> = a.lines.iter().map(|l| l.amount).collect();
        assert_eq!(amounts, vec![d("18.53"), d("8.33"), d("4.03")]);
        assert_eq!(a.net, d("30.89"));
        assert_eq!(a.tax_total, d("6.18")); // 6.178
        assert_eq!(a.total, d("37.07"));
    }

    #[test]
    fn night_and_weekend_minutes_follow_the_zone() {
        let zone = Zone::parse("Europe/London").unwrap();
        // Saturday 2026-12-05 20:00 to Sunday 02:00 UTC (= London): 4 h at night, 6 h on the weekend.
        let s = Timestamp::from_str("2026-12-05T20:00:00Z").unwrap();
        let e = Timestamp::from_str("2026-12-06T02:00:00Z").unwrap();
        assert_eq!(night_and_weekend_minutes(s, e, &zone), (240, 360));
        // Friday 21:30 to Saturday 00:30 in Tokyo (UTC+9).
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        let s = Timestamp::from_str("2026-12-04T12:30:00Z").unwrap();
        let e = Timestamp::from_str("2026-12-04T15:30:00Z").unwrap();
        assert_eq!(night_and_weekend_minutes(s, e, &tokyo), (150, 30));
    }

    #[test]
    fn policy_validation_names_fields() {
        let mut p = BillingPolicy::default();
        p.tax_percent = d("-1");
        p.review_hours = 0;
        let err = p.validate().unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"tax_percent") && fields.contains(&"review_hours"), "{fields:?}");
    }
}
