//! Issued documents: invoices and credit notes (to businesses, as Peppol
//! e-invoices) and pay statements (to workers). Once issued a document never
//! changes; its amounts come from [`crate::billing`].

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::{Amounts, Line};
use crate::ids::{BusinessId, WorkerId};
use crate::validation::Collector;
use crate::{Currency, Invalid};

/// A legal party on an invoice: who sells (the exchange) or who buys (a business).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Party {
    /// Registered name.
    pub name: String,
    pub street: String,
    pub city: String,
    pub postcode: String,
    /// ISO 3166-1 alpha-2, e.g. `GB`.
    pub country: String,
    /// VAT identifier with its country prefix, e.g. `GB123456789`; `None` if not registered.
    pub vat_id: Option<String>,
    /// Peppol electronic address scheme (ISO 6523 ICD, e.g. `0088` for a GLN, `9932` for a UK VAT number).
    pub endpoint_scheme: String,
    /// Peppol electronic address in that scheme.
    pub endpoint_id: String,
}

impl Party {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Collector::new();
        let text = |c: &mut Collector, f: &str, v: &str, max: usize| {
            c.check(!v.trim().is_empty() && v.len() <= max, f, format!("must be 1 to {max} characters"));
        };
        text(&mut c, "name", &self.name, 200);
        text(&mut c, "street", &self.street, 200);
        text(&mut c, "city", &self.city, 100);
        text(&mut c, "postcode", &self.postcode, 20);
        c.check(self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_uppercase()), "country", "must be an ISO 3166-1 alpha-2 code such as GB");
        if let Some(v) = &self.vat_id {
            c.check(
                v.len() >= 4 && v.len() <= 20 && v.bytes().take(2).all(|b| b.is_ascii_uppercase()) && v.bytes().all(|b| b.is_ascii_alphanumeric()),
                "vat_id",
                "must be a country prefix and 2 to 18 letters or digits, e.g. GB123456789",
            );
        }
        c.check(self.endpoint_scheme.len() == 4 && self.endpoint_scheme.bytes().all(|b| b.is_ascii_digit()), "endpoint_scheme", "must be a four-digit ISO 6523 ICD such as 0088");
        c.check(
            !self.endpoint_id.is_empty() && self.endpoint_id.len() <= 50 && self.endpoint_id.bytes().all(|b| b.is_ascii_graphic()),
            "endpoint_id",
            "must be 1 to 50 visible characters",
        );
        if self.endpoint_scheme == "0088" {
            c.check(is_gln(&self.endpoint_id), "endpoint_id", "a GLN (scheme 0088) is 13 digits with a valid GS1 check digit");
        }
        c.finish()
    }
}

/// A GS1 Global Location Number: 13 digits, the last a mod-10 check digit
/// (weights 3 and 1 from the right), as Peppol rule PEPPOL-COMMON-R040 checks.
pub fn is_gln(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if s.len() != 13 || digits.len() != 13 {
        return false;
    }
    let sum: u32 = digits[..12].iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    (10 - sum % 10) % 10 == digits[12]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    /// UBL Invoice, type code 380.
    Invoice,
    /// UBL CreditNote, type code 381.
    CreditNote,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Invoice, Self::CreditNote].into_iter().find(|k| k.as_str() == s)
    }
    /// The UNCL1001 document type code.
    pub fn type_code(self) -> &'static str {
        match self {
            Self::Invoice => "380",
            Self::CreditNote => "381",
        }
    }
}

/// The invoice a credit note corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRef {
    pub id: i64,
    pub number: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub issued_on: Date,
}

/// An invoice or a credit note, as issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: i64,
    pub kind: DocumentKind,
    /// Gapless per issuer and kind: `INV-000001`, `CRN-000001`.
    pub number: String,
    pub business_id: BusinessId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub issued_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub due_on: Date,
    /// First and last day of the billing period, in the business's zone.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_end: Date,
    pub seller: Party,
    pub buyer: Party,
    pub amounts: Amounts,
    /// Credit notes: the invoice corrected.
    pub corrects: Option<DocumentRef>,
    /// Credit notes: why, in words the customer reads on their timeline.
    pub reason: Option<String>,
    /// The stated rounding rule ([`crate::billing::ROUNDING_RULE`]).
    pub rounding: String,
}

/// What a worker is paid for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayStatement {
    pub id: i64,
    /// Gapless: `PAY-000001`.
    pub number: String,
    pub worker_id: WorkerId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub issued_on: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_end: Date,
    pub currency: Currency,
    pub lines: Vec<Line>,
    /// Sum of the lines.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
    pub rounding: String,
}

/// `INV-000042`.
pub fn number(prefix: &str, seq: i64) -> String {
    format!("{prefix}-{seq:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn gln_check_digits() {
        assert!(super::is_gln("5060000000016"));
        assert!(!super::is_gln("5060000000017"));
        assert!(!super::is_gln("506000000001"));
    }
}
