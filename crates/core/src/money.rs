//! Exact money: `rust_decimal`, never floats.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Invalid;

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "GBP", pattern = "^[A-Z]{3}$"))]
pub struct Currency([u8; 3]);

impl Currency {
    pub const GBP: Currency = Currency(*b"GBP");
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Ok(Currency([b[0], b[1], b[2]]))
        } else {
            Err(Invalid::one("", format!("`{s}` is not a three-letter upper-case currency code")))
        }
    }
    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse(&s).map_err(|e| e.0[0].reason.clone())
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}
impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount in a currency. Rates are money per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Decimal string, e.g. `"12.50"`; numbers are refused because JSON numbers are floats.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12.50", pattern = r"^-?[0-9]{1,24}(\.[0-9]{1,12})?$"))]
    pub amount: Decimal,
    pub currency: Currency,
}

/// Largest hourly rate we accept; protects arithmetic and catches typos.
pub const MAX_HOURLY_RATE: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

/// The document's name for a [`Money`] that is an hourly rate in a request:
/// what [`Money::validate_rate`] accepts, written as a pattern (0 to
/// [`MAX_HOURLY_RATE`], at most 4 decimal places).
#[cfg(feature = "openapi")]
pub struct Rate;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Rate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let amount = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Decimal string per hour, 0 to 100000 with at most 4 decimal places"))
            .pattern(Some(r"^(100000(\.0{1,4})?|[0-9]{1,5}(\.[0-9]{1,4})?)$"))
            .examples(["12.50"]);
        ObjectBuilder::new()
            .property("amount", amount)
            .property("currency", <Currency as utoipa::PartialSchema>::schema())
            .required("amount")
            .required("currency")
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Rate {}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// A valid hourly rate: not negative, at most 4 decimal places, below a sanity ceiling.
    pub fn validate_rate(&self) -> Result<(), Invalid> {
        if self.amount.is_sign_negative() && !self.amount.is_zero() {
            return Err(Invalid::one("amount", "must not be negative"));
        }
        if self.amount.scale() > 4 {
            return Err(Invalid::one("amount", "at most 4 decimal places"));
        }
        if self.amount > MAX_HOURLY_RATE {
            return Err(Invalid::one("amount", format!("must be at most {MAX_HOURLY_RATE} per hour")));
        }
        Ok(())
    }

    /// Pay for `minutes` at this hourly rate, rounded half away from zero to cents.
    pub fn for_minutes(&self, minutes: i64) -> Money {
        let raw = self.amount * Decimal::from(minutes) / Decimal::from(60);
        Money::new(raw.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero), self.currency)
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn currency_codes() {
        assert!(Currency::parse("GBP").is_ok());
        assert!(Currency::parse("gbp").is_err());
        assert!(Currency::parse("GBPX").is_err());
    }

    #[test]
    fn pay_for_minutes_is_exact_to_the_cent() {
        let rate = Money::new(Decimal::from_str("12.35").unwrap(), Currency::GBP);
        assert_eq!(rate.for_minutes(90).amount, Decimal::from_str("18.53").unwrap());
        assert_eq!(rate.for_minutes(60).amount, Decimal::from_str("12.35").unwrap());
    }

    #[test]
    fn negative_and_huge_rates_are_refused() {
        let neg = Money::new(Decimal::from_str("-1").unwrap(), Currency::GBP);
        assert!(neg.validate_rate().is_err());
        let huge = Money::new(Decimal::from_str("100001").unwrap(), Currency::GBP);
        assert!(huge.validate_rate().is_err());
    }
}
