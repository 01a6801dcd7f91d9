//! Printable HTML of issued documents: an invoice or credit note for a
//! business, a pay statement for a worker.
//!
//! Each page is self-contained (inline CSS, no scripts, no fetched assets)
//! so it prints, saves and mails the same anywhere. Every value from the
//! document goes through [`escape`]: descriptions and party names are typed
//! by users. Tables carry a caption and scoped headers so screen readers
//! can say which column and row a figure belongs to.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use slivers_core::billing::Line;
use slivers_core::documents::{Document, DocumentKind, Party, PayStatement};

use crate::ubl::amount_text;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin:0 0 .25rem}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:1rem 0}
.meta dt{font-weight:600}.meta dd{margin:0}
.parties{display:flex;gap:2rem;flex-wrap:wrap;margin:1rem 0}
.parties section{flex:1;min-width:14rem}
.parties h2{font-size:1rem;margin:0 0 .25rem;text-transform:uppercase;letter-spacing:.05em;color:#444}
address{font-style:normal}
table{width:100%;border-collapse:collapse;margin:1rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
thead th{text-align:left;border-bottom:2px solid #111}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot th{text-align:right;font-weight:600}
tfoot tr.total th,tfoot tr.total td{border-top:2px solid #111;font-size:1.1rem}
.note{border-left:3px solid #888;padding:.25rem .75rem;margin:1rem 0}
.small{font-size:.85rem;color:#444}
@media print{body{margin:0;max-width:none;font-size:10.5pt}a{color:inherit;text-decoration:none}tr{page-break-inside:avoid}thead{display:table-header-group}}
";

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn money(amount: Decimal, currency: &str) -> String {
    format!("{} {}", escape(currency), amount_text(amount))
}

/// The page around `body`, titled `title` (already plain text, escaped here).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

fn party(heading: &str, p: &Party) -> String {
    let mut s = format!("<section>\n<h2>{}</h2>\n<address>\n<strong>{}</strong><br>\n{}<br>\n{} {}<br>\n{}", escape(heading), escape(&p.name), escape(&p.street), escape(&p.postcode), escape(&p.city), escape(&p.country));
    if let Some(vat) = &p.vat_id {
        let _ = write!(s, "<br>\nVAT {}", escape(vat));
    }
    s.push_str("\n</address>\n</section>\n");
    s
}

/// Minutes as `7 h 05 min`, so a printed quantity reads like a timesheet.
fn duration(minutes: i64) -> String {
    let sign = if minutes < 0 { "−" } else { "" };
    let m = minutes.unsigned_abs();
    format!("{sign}{} h {:02} min", m / 60, m % 60)
}

/// The lines table: description, quantity, unit price, amount.
fn lines_table(caption: &str, lines: &[Line], currency: &str, foot: &str) -> String {
    let mut s = format!(
        "<table>\n<caption>{}</caption>\n<thead>\n<tr><th scope=\"col\">Description</th><th scope=\"col\" class=\"num\">Quantity</th><th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\" class=\"num\">Amount</th></tr>\n</thead>\n<tbody>\n",
        escape(caption)
    );
    for l in lines {
        let (qty, price) = match l.minutes {
            Some(m) => (duration(m), format!("{} / h", money(l.unit_price, currency))),
            None => ("1".to_string(), money(l.unit_price, currency)),
        };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&l.description),
            qty,
            price,
            money(l.amount, currency)
        );
    }
    s.push_str("</tbody>\n<tfoot>\n");
    s.push_str(foot);
    s.push_str("</tfoot>\n</table>\n");
    s
}

/// A totals row: the label is the row's header, spanning the first three columns.
fn total_row(label: &str, value: &str, class: &str) -> String {
    let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
    format!("<tr{class}><th scope=\"row\" colspan=\"3\">{}</th><td class=\"num\">{value}</td></tr>\n", escape(label))
}

fn meta(items: &[(&str, String)]) -> String {
    let mut s = String::from("<dl class=\"meta\">\n");
    for (k, v) in items {
        let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    }
    s.push_str("</dl>\n");
    s
}

/// A printable invoice or credit note.
pub fn invoice_html(doc: &Document) -> String {
    let a = &doc.amounts;
    let cur = a.currency.as_str();
    let title = match doc.kind {
        DocumentKind::Invoice => "Invoice",
        DocumentKind::CreditNote => "Credit note",
    };
    let mut body = format!("<h1>{} {}</h1>\n", title, escape(&doc.number));
    let mut items = vec![("Issued", doc.issued_on.to_string())];
    if doc.kind == DocumentKind::Invoice {
        items.push(("Due", doc.due_on.to_string()));
    }
    items.push(("Period", format!("{} to {}", doc.period_start, doc.period_end)));
    items.push(("Currency", cur.to_string()));
    if let Some(r) = &doc.corrects {
        items.push(("Corrects invoice", format!("{} of {}", r.number, r.issued_on)));
    }
    body.push_str(&meta(&items));
    if let Some(reason) = doc.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        let _ = writeln!(body, "<p class=\"note\"><strong>Reason:</strong> {}</p>", escape(reason));
    }
    body.push_str("<div class=\"parties\">\n");
    body.push_str(&party("From", &doc.seller));
    body.push_str(&party("To", &doc.buyer));
    body.push_str("</div>\n");

    let mut foot = total_row("Net", &money(a.net, cur), "");
    for t in &a.tax {
        let label = format!("VAT {}% ({}) on {}", t.percent.normalize(), t.category.code(), money(t.taxable, cur));
        foot.push_str(&total_row(&label, &money(t.tax, cur), ""));
    }
    let total_label = match doc.kind {
        DocumentKind::Invoice => "Total due",
        DocumentKind::CreditNote => "Total credited",
    };
    foot.push_str(&total_row(total_label, &money(a.total, cur), "total"));
    body.push_str(&lines_table(&format!("{title} {} lines", doc.number), &a.lines, cur, &foot));
    if doc.kind == DocumentKind::Invoice {
        let _ = writeln!(body, "<p>Please pay {} by {}, quoting {}.</p>", money(a.total, cur), doc.due_on, escape(&doc.number));
    }
    let _ = writeln!(body, "<p class=\"small\">Rounding: {}.</p>", escape(&doc.rounding));
    page(&format!("{title} {}", doc.number), &body)
}

/// A printable pay statement for `worker_name`.
pub fn pay_statement_html(p: &PayStatement, worker_name: &str) -> String {
    let cur = p.currency.as_str();
    let mut body = format!("<h1>Pay statement {}</h1>\n", escape(&p.number));
    body.push_str(&meta(&[
        ("Worker", worker_name.to_string()),
        ("Issued", p.issued_on.to_string()),
        ("Period", format!("{} to {}", p.period_start, p.period_end)),
        ("Currency", cur.to_string()),
    ]));
    let foot = total_row("Total gross pay", &money(p.total, cur), "total");
    body.push_str(&lines_table(&format!("Pay statement {} lines", p.number), &p.lines, cur, &foot));
    body.push_str("<p class=\"small\">Gross pay: no tax has been withheld.</p>\n");
    let _ = writeln!(body, "<p class=\"small\">Rounding: {}.</p>", escape(&p.rounding));
    page(&format!("Pay statement {} — {worker_name}", p.number), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use slivers_core::Currency;
    use slivers_core::billing::{self, BillingPolicy, LineKind};
    use slivers_core::documents::DocumentRef;
    use slivers_core::ids::{BusinessId, WorkerId};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn line(description: &str, minutes: Option<i64>, unit: &str, amount: &str) -> Line {
        Line { kind: LineKind::Labour, description: description.into(), timesheet_id: Some(1), minutes, unit_price: d(unit), amount: d(amount) }
    }

    fn party(name: &str) -> Party {
        Party {
            name: name.into(),
            street: "1 \"Main\" St".into(),
            city: "London".into(),
            postcode: "E1 6AN".into(),
            country: "GB".into(),
            vat_id: Some("GB123456789".into()),
            endpoint_scheme: "9932".into(),
            endpoint_id: "GB123456789".into(),
        }
    }

    fn doc(kind: DocumentKind) -> Document {
        let lines = vec![line("Barista <script>alert('x')</script> & co", Some(425), "12.35", "87.48"), line("Exchange fee 15%", None, "13.12", "13.12")];
        Document {
            id: 7,
            kind,
            number: "INV-000007".into(),
            business_id: BusinessId(3),
            issued_on: date(2026, 12, 7),
            due_on: date(2026, 12, 21),
            period_start: date(2026, 11, 30),
            period_end: date(2026, 12, 6),
            seller: party("Slivers Ltd"),
            buyer: party("Fox & <Hound>"),
            amounts: billing::amounts(Currency::GBP, lines, &BillingPolicy::default()),
            corrects: None,
            reason: None,
            rounding: billing::ROUNDING_RULE.into(),
        }
    }

    #[test]
    fn every_text_value_is_escaped() {
        let html = invoice_html(&doc(DocumentKind::Invoice));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("Barista &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
        assert!(html.contains("Fox &amp; &lt;Hound&gt;"));
        assert!(html.contains("1 &quot;Main&quot; St"));
    }

    #[test]
    fn an_invoice_page_is_accessible_and_complete() {
        let d = doc(DocumentKind::Invoice);
        let html = invoice_html(&d);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<caption>Invoice INV-000007 lines</caption>"));
        assert_eq!(html.matches("<th scope=\"col\"").count(), 4);
        assert!(html.contains("<th scope=\"row\" colspan=\"3\">Net</th><td class=\"num\">GBP 100.60</td>"), "{html}");
        assert!(html.contains("VAT 20% (S) on GBP 100.60"));
        assert!(html.contains("GBP 20.12") && html.contains("GBP 120.72"));
        assert!(html.contains("7 h 05 min") && html.contains("GBP 12.35 / h"));
        assert!(html.contains("<dt>Due</dt><dd>2026-12-21</dd>"));
        assert!(html.contains(billing::ROUNDING_RULE));
        assert!(html.contains("@media print"));
        assert!(!html.contains("<th>"), "every header cell has a scope");
    }

    #[test]
    fn a_credit_note_shows_what_it_corrects_and_why() {
        let mut d = doc(DocumentKind::CreditNote);
        d.number = "CRN-000001".into();
        d.corrects = Some(DocumentRef { id: 7, number: "INV-000007".into(), issued_on: date(2026, 12, 7) });
        d.reason = Some("Wrong break <30 min> & re-issued".into());
        let html = invoice_html(&d);
        assert!(html.contains("<h1>Credit note CRN-000001</h1>"));
        assert!(html.contains("<dt>Corrects invoice</dt><dd>INV-000007 of 2026-12-07</dd>"));
        assert!(html.contains("Wrong break &lt;30 min&gt; &amp; re-issued"));
        assert!(html.contains("Total credited"));
        assert!(!html.contains("<dt>Due</dt>"));
    }

    #[test]
    fn a_pay_statement_lists_lines_and_total() {
        let p = PayStatement {
            id: 1,
            number: "PAY-000001".into(),
            worker_id: WorkerId(9),
            issued_on: date(2026, 12, 7),
            period_start: date(2026, 11, 30),
            period_end: date(2026, 12, 6),
            currency: Currency::GBP,
            lines: vec![line("Barista, 1 Dec", Some(480), "11.44", "91.52"), line("Correction (previously paid 10): x", None, "-2.5", "-2.50")],
            total: d("89.02"),
            rounding: billing::ROUNDING_RULE.into(),
        };
        let html = pay_statement_html(&p, "Zoë <O'Brien>");
        assert!(html.contains("<dt>Worker</dt><dd>Zoë &lt;O&#39;Brien&gt;</dd>"));
        assert!(html.contains("<title>Pay statement PAY-000001 — Zoë &lt;O&#39;Brien&gt;</title>"));
        assert!(html.contains("<caption>Pay statement PAY-000001 lines</caption>"));
        assert!(html.contains("GBP -2.50") && html.contains("GBP 89.02"));
        assert!(html.contains("8 h 00 min"));
    }
}
