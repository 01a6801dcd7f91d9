//! Peppol BIS Billing 3.0 e-invoices: an issued [`Document`] as UBL 2.1
//! `Invoice` (type code 380) or `CreditNote` (381).
//!
//! The UBL schema is made of ordered sequences, so every element below is
//! written in the order the schema declares it; reordering two calls makes
//! an invalid document even when every value is right. The amounts are the
//! ones [`slivers_core::billing`] already rounded: nothing is recomputed here,
//! so the e-invoice and the printed invoice can never disagree.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use rust_decimal::Decimal;
use slivers_core::billing::{Line, TaxCategory};
use slivers_core::documents::{Document, DocumentKind, Party};

/// EN 16931 compliant, Peppol BIS Billing 3.0 (BT-24).
pub const CUSTOMIZATION_ID: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// Peppol billing process P1 (BT-23).
pub const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// Item names longer than this are cut (with an ellipsis) and the full text
/// goes to the item description, so receivers' list views stay readable.
pub const ITEM_NAME_MAX_CHARS: usize = 100;

/// The UBL 2.1 XML of an invoice or credit note, conforming to Peppol BIS
/// Billing 3.0.
pub fn to_ubl(doc: &Document) -> String {
    let mut x = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec<u8> has no failure path: io::Write for Vec never errors.
    #[allow(clippy::expect_used)]
    document(&mut x, doc).expect("writing XML into memory cannot fail");
    // Every byte written came from &str values and ASCII markup.
    String::from_utf8_lossy(&x.into_inner()).into_owned()
}

/// The document-level names that differ between the two root elements.
struct Names {
    root: &'static str,
    ns: &'static str,
    type_code: &'static str,
    line: &'static str,
    quantity: &'static str,
}

fn names(kind: DocumentKind) -> Names {
    match kind {
        DocumentKind::Invoice => Names {
            root: "Invoice",
            ns: NS_INVOICE,
            type_code: "cbc:InvoiceTypeCode",
            line: "cac:InvoiceLine",
            quantity: "cbc:InvoicedQuantity",
        },
        DocumentKind::CreditNote => Names {
            root: "CreditNote",
            ns: NS_CREDIT_NOTE,
            type_code: "cbc:CreditNoteTypeCode",
            line: "cac:CreditNoteLine",
            quantity: "cbc:CreditedQuantity",
        },
    }
}

fn document(x: &mut W, doc: &Document) -> io::Result<()> {
    let n = names(doc.kind);
    let cur = doc.amounts.currency.as_str();
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.create_element(n.root)
        .with_attribute(("xmlns", n.ns))
        .with_attribute(("xmlns:cac", NS_CAC))
        .with_attribute(("xmlns:cbc", NS_CBC))
        .write_inner_content(|x| {
            x.leaf("cbc:CustomizationID", CUSTOMIZATION_ID)?;
            x.leaf("cbc:ProfileID", PROFILE_ID)?;
            x.leaf("cbc:ID", &doc.number)?;
            x.leaf("cbc:IssueDate", &doc.issued_on.to_string())?;
            // UBL's CreditNote has no DueDate at document level; its terms say it instead.
            if doc.kind == DocumentKind::Invoice {
                x.leaf("cbc:DueDate", &doc.due_on.to_string())?;
            }
            x.leaf(n.type_code, doc.kind.type_code())?;
            // Peppol allows one document-level note (PEPPOL-EN16931-R002).
            x.opt_leaf("cbc:Note", &note(doc))?;
            x.leaf("cbc:DocumentCurrencyCode", cur)?;
            // Peppol requires a buyer reference or an order reference (R003); the
            // business's account id is the one reference every buyer has with us.
            x.leaf("cbc:BuyerReference", &format!("B{}", doc.business_id))?;
            x.node("cac:InvoicePeriod", |x| {
                x.leaf("cbc:StartDate", &doc.period_start.to_string())?;
                x.leaf("cbc:EndDate", &doc.period_end.to_string())
            })?;
            if let Some(r) = &doc.corrects {
                x.node("cac:BillingReference", |x| {
                    x.node("cac:InvoiceDocumentReference", |x| {
                        x.leaf("cbc:ID", &r.number)?;
                        x.leaf("cbc:IssueDate", &r.issued_on.to_string())
                    })
                })?;
            }
            x.node("cac:AccountingSupplierParty", |x| party(x, &doc.seller))?;
            x.node("cac:AccountingCustomerParty", |x| party(x, &doc.buyer))?;
            x.node("cac:PaymentTerms", |x| x.leaf("cbc:Note", &payment_terms(doc)))?;
            x.node("cac:TaxTotal", |x| {
                x.amount("cbc:TaxAmount", doc.amounts.tax_total, cur)?;
                for t in &doc.amounts.tax {
                    x.node("cac:TaxSubtotal", |x| {
                        x.amount("cbc:TaxableAmount", t.taxable, cur)?;
                        x.amount("cbc:TaxAmount", t.tax, cur)?;
                        tax_category(x, "cac:TaxCategory", t.category, t.percent)
                    })?;
                }
                Ok(())
            })?;
            x.node("cac:LegalMonetaryTotal", |x| {
                let a = &doc.amounts;
                x.amount("cbc:LineExtensionAmount", a.net, cur)?;
                x.amount("cbc:TaxExclusiveAmount", a.net, cur)?;
                x.amount("cbc:TaxInclusiveAmount", a.total, cur)?;
                x.amount("cbc:PayableAmount", a.total, cur)
            })?;
            // Every line carries the document's one tax category (billing::amounts taxes by policy).
            let (category, percent) = doc.amounts.tax.first().map_or((TaxCategory::Standard, Decimal::ZERO), |t| (t.category, t.percent));
            for (i, l) in doc.amounts.lines.iter().enumerate() {
                line(x, &n, i + 1, l, cur, category, percent)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn note(doc: &Document) -> String {
    let rounding = format!("Rounding: {}.", doc.rounding.trim());
    match doc.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => format!("{reason}\n{rounding}"),
        None if doc.rounding.trim().is_empty() => String::new(),
        None => rounding,
    }
}

fn payment_terms(doc: &Document) -> String {
    match (doc.kind, &doc.corrects) {
        (DocumentKind::Invoice, _) => format!("Payment due by {}.", doc.due_on),
        (DocumentKind::CreditNote, Some(r)) => format!("Credited against invoice {}; no payment is due.", r.number),
        (DocumentKind::CreditNote, None) => "Credit to your account; no payment is due.".to_string(),
    }
}

fn party(x: &mut W, p: &Party) -> io::Result<()> {
    x.node("cac:Party", |x| {
        x.create_element("cbc:EndpointID")
            .with_attribute(("schemeID", p.endpoint_scheme.as_str()))
            .write_text_content(BytesText::new(&clean(&p.endpoint_id)))?;
        x.node("cac:PostalAddress", |x| {
            x.opt_leaf("cbc:StreetName", &p.street)?;
            x.opt_leaf("cbc:CityName", &p.city)?;
            x.opt_leaf("cbc:PostalZone", &p.postcode)?;
            x.node("cac:Country", |x| x.leaf("cbc:IdentificationCode", &p.country))
        })?;
        if let Some(vat) = &p.vat_id {
            x.node("cac:PartyTaxScheme", |x| {
                x.leaf("cbc:CompanyID", vat)?;
                x.node("cac:TaxScheme", |x| x.leaf("cbc:ID", "VAT"))
            })?;
        }
        x.node("cac:PartyLegalEntity", |x| x.leaf("cbc:RegistrationName", &p.name))
    })
}

fn tax_category(x: &mut W, element: &str, category: TaxCategory, percent: Decimal) -> io::Result<()> {
    x.node(element, |x| {
        x.leaf("cbc:ID", category.code())?;
        x.leaf("cbc:Percent", &percent.normalize().to_string())?;
        x.node("cac:TaxScheme", |x| x.leaf("cbc:ID", "VAT"))
    })
}

fn line(x: &mut W, n: &Names, id: usize, l: &Line, cur: &str, category: TaxCategory, percent: Decimal) -> io::Result<()> {
    // Time-based lines are priced per hour: quantity in minutes against a base
    // of 60 minutes, so quantity × price ÷ base is the unrounded line amount,
    // within a half cent of the rounded one (Peppol allows 0.02, R120).
    // Other lines are one unit at the line amount; a negative amount becomes
    // quantity −1 because a price may not be negative (BR-27).
    let (quantity, unit, price, base) = match l.minutes {
        Some(m) => (Decimal::from(m), "MIN", l.unit_price, Some(60)),
        None if l.amount.is_sign_negative() && !l.amount.is_zero() => (Decimal::NEGATIVE_ONE, "C62", -l.amount, None),
        None => (Decimal::ONE, "C62", l.amount, None),
    };
    x.node(n.line, |x| {
        x.leaf("cbc:ID", &id.to_string())?;
        x.create_element(n.quantity)
            .with_attribute(("unitCode", unit))
            .write_text_content(BytesText::new(&quantity.normalize().to_string()))?;
        x.amount("cbc:LineExtensionAmount", l.amount, cur)?;
        x.node("cac:Item", |x| {
            let (name, cut) = item_name(&l.description);
            if cut {
                x.opt_leaf("cbc:Description", &l.description)?;
            }
            x.leaf("cbc:Name", &name)?;
            tax_category(x, "cac:ClassifiedTaxCategory", category, percent)
        })?;
        x.node("cac:Price", |x| {
            x.create_element("cbc:PriceAmount")
                .with_attribute(("currencyID", cur))
                .write_text_content(BytesText::new(&price_text(price)))?;
            if let Some(b) = base {
                x.create_element("cbc:BaseQuantity")
                    .with_attribute(("unitCode", unit))
                    .write_text_content(BytesText::new(&b.to_string()))?;
            }
            Ok(())
        })
    })
}

/// The item name (BT-153), cut at [`ITEM_NAME_MAX_CHARS`] characters; and
/// whether it was cut. A blank description still names the item (the name is mandatory).
fn item_name(description: &str) -> (String, bool) {
    let d = clean(description);
    let d = d.trim();
    if d.is_empty() {
        return ("Service".to_string(), false);
    }
    if d.chars().count() <= ITEM_NAME_MAX_CHARS {
        return (d.to_string(), false);
    }
    let mut cut: String = d.chars().take(ITEM_NAME_MAX_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    (cut, true)
}

/// An amount with exactly two decimals, as EN 16931 requires of amounts (BR-DEC-*).
pub fn amount_text(a: Decimal) -> String {
    let mut a = a.round_dp(2);
    a.rescale(2);
    a.to_string()
}

/// A unit price keeps its own precision (an hourly rate may have four
/// decimals) but shows at least two.
fn price_text(p: Decimal) -> String {
    let mut p = p.normalize();
    if p.scale() < 2 {
        p.rescale(2);
    }
    p.to_string()
}

/// Drops characters XML 1.0 cannot carry at all (controls other than tab,
/// newline, carriage return); the writer escapes the rest.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

type W = Writer<Vec<u8>>;

/// The three shapes UBL needs, over the quick-xml writer (which escapes text
/// and attribute values).
trait Emit {
    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()>;
    /// Peppol forbids empty elements (PEPPOL-EN16931-R008): blank optional values are left out.
    fn opt_leaf(&mut self, name: &str, text: &str) -> io::Result<()>;
    fn amount(&mut self, name: &str, value: Decimal, currency: &str) -> io::Result<()>;
    fn node(&mut self, name: &str, inner: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()>;
}

impl Emit for W {
    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.create_element(name).write_text_content(BytesText::new(clean(text).trim()))?;
        Ok(())
    }
    fn opt_leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        if clean(text).trim().is_empty() { Ok(()) } else { self.leaf(name, text) }
    }
    fn amount(&mut self, name: &str, value: Decimal, currency: &str) -> io::Result<()> {
        self.create_element(name)
            .with_attribute(("currencyID", currency))
            .write_text_content(BytesText::new(&amount_text(value)))?;
        Ok(())
    }
    fn node(&mut self, name: &str, inner: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
        self.create_element(name).write_inner_content(inner)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn amounts_have_exactly_two_decimals() {
        assert_eq!(amount_text(d("12")), "12.00");
        assert_eq!(amount_text(d("12.5")), "12.50");
        assert_eq!(amount_text(d("-0.10")), "-0.10");
        assert_eq!(price_text(d("12.3456")), "12.3456");
        assert_eq!(price_text(d("15.500")), "15.50");
    }

    #[test]
    fn long_item_names_are_cut_on_a_character_boundary() {
        let long = "é".repeat(150);
        let (name, cut) = item_name(&long);
        assert!(cut);
        assert_eq!(name.chars().count(), ITEM_NAME_MAX_CHARS);
        assert!(name.ends_with('…'));
        assert_eq!(item_name("  Barista  "), ("Barista".to_string(), false));
        assert_eq!(item_name(" \u{1} "), ("Service".to_string(), false));
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(clean("a\u{0}b\u{1b}c\td\ne"), "abc\td\ne");
    }
}
