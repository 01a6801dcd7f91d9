//! Property test: money on the exchange is exact to the cent.
//!
//! Over 100,000 random billing periods (random policy, currency, 1–12 work
//! items and late cancellations, 0–2 corrections each) it drives the real
//! billing code the way the exchange does — invoice, credit note that reverses
//! the invoice in full, corrected invoice; pay statement for everything, then
//! one for the differences after each correction — and proves, with exact
//! `Decimal` equality (zero cents of tolerance):
//!
//! 1. every document is internally consistent: `net` is the sum of its lines,
//!    `tax_total` the sum of its tax subtotals, `total = net + tax_total`, and
//!    no line or tax amount has more than 2 decimal places;
//! 2. an independent oracle agrees with every issued invoice line by line, and
//!    Σ invoices − Σ credit notes equals the oracle's bill of the items as they
//!    finally stand (net, tax and total);
//! 3. Σ pay statements equals the oracle's pay for the final items, and every
//!    correction line is exactly the oracle's difference;
//! 4. exact halves round away from zero, symmetrically for negative amounts.
//!
//! The oracle shares no arithmetic with the crate: it never calls
//! `billing::invoice`, `invoice_lines`, `pay_line` or `round_line`, and does
//! not use `Decimal` at all. Rates are integers in 1/10,000 and percents
//! integers in 1/100, so every raw amount is an exact fraction of integers
//! (`i128`) in cents, rounded half away from zero by integer division.
//!
//! Every period is generated from its own seed (derived from [`SEED`] and the
//! period's index); a failure prints both plus the period's inputs.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Instant;

use jiff::civil::{date, Date, Weekday};
use rust_decimal::Decimal;

use slivers_core::billing::{
    invoice, pay_statement, period_containing, round_line, Amounts, Billable, BillableKind, BillingPeriod, BillingPolicy, LineKind, Premiums,
    TaxCategory, ROUNDING_RULE,
};
use slivers_core::documents::{number, Document, DocumentKind, DocumentRef, Party, PayStatement};
use slivers_core::ids::{BusinessId, WorkerId};
use slivers_core::Currency;

const SEED: u64 = 0x5_11E2_C0DE_0001;
const PERIODS: u64 = 100_000;

// ---------------------------------------------------------------------------
// The oracle: exact integer arithmetic, independent of the crate
// ---------------------------------------------------------------------------

/// Round the exact fraction `n / d` (in cents, `d > 0`) half away from zero to
/// whole cents. Returns the cents and whether `n / d` lay exactly on a half
/// cent (so the run can show it really exercised the tie rule).
fn round_cents(n: i128, d: i128) -> (i128, bool) {
    assert!(d > 0);
    let (abs, sign) = if n < 0 { (-n, -1) } else { (n, 1) };
    let tie = (abs % d) * 2 == d;
    // floor((2|n| + d) / 2d) is |n|/d rounded half up; applying the sign after
    // makes negative amounts mirror positive ones (half away from zero).
    (sign * ((2 * abs + d) / (2 * d)), tie)
}

/// A billing policy as the oracle sees it: percents in hundredths of a percent.
#[derive(Debug, Clone, Copy)]
struct Terms {
    fee: i128,
    /// `None`: zero rated.
    tax: Option<i128>,
    night: i128,
    weekend: i128,
    short: i128,
    late_share: i128,
    period: BillingPeriod,
}

/// One billable item as the oracle sees it: rates in 1/10,000 per hour.
#[derive(Debug, Clone)]
struct Item {
    worker: i64,
    late: bool,
    minutes: i64,
    night: i64,
    weekend: i64,
    short_notice: bool,
    bill: i128,
    pay: i128,
    /// Hundredths of a percent; late cancellations only.
    share: i128,
}

/// What the oracle says one invoice must be, in cents.
#[derive(Debug, Default)]
struct Bill {
    /// Every non-zero line (labour and late-cancellation lines always).
    lines: Vec<i128>,
    net: i128,
    tax: i128,
    total: i128,
    ties: u64,
}

// Unit bookkeeping (why the denominators below are what they are):
// minutes × (rate/10^4) / 60 in currency = minutes × rate / 6,000 in cents;
// a percent p/100 % multiplies by p / 10^4.
const HOURLY_CENTS: i128 = 6_000;
const PERCENT: i128 = 10_000;

fn oracle_bill(items: &[Item], t: &Terms) -> Bill {
    let mut b = Bill::default();
    let mut round = |n: i128, d: i128| {
        let (c, tie) = round_cents(n, d);
        b.ties += u64::from(tie);
        c
    };
    let mut lines = Vec::new();
    let mut feeable = 0i128;
    for it in items {
        let m = i128::from(it.minutes);
        if it.late {
            lines.push(round(m * it.bill * it.share, HOURLY_CENTS * PERCENT));
            continue;
        }
        let labour = round(m * it.bill, HOURLY_CENTS);
        lines.push(labour);
        feeable += labour;
        let night = round(i128::from(it.night.min(it.minutes)) * it.bill * t.night, HOURLY_CENTS * PERCENT);
        let weekend = round(i128::from(it.weekend.min(it.minutes)) * it.bill * t.weekend, HOURLY_CENTS * PERCENT);
        // Short notice is a percent of the already-rounded labour line.
        let short = if it.short_notice { round(labour * t.short, PERCENT) } else { 0 };
        for p in [night, weekend, short] {
            feeable += p;
            if p != 0 {
                lines.push(p);
            }
        }
    }
    let fee = round(feeable * t.fee, PERCENT);
    if fee != 0 {
        lines.push(fee);
    }
    let net: i128 = lines.iter().sum();
    let tax = round(net * t.tax.unwrap_or(0), PERCENT);
    lines.sort_unstable();
    let ties = b.ties;
    Bill { lines, net, tax, total: net + tax, ties }
}

fn oracle_pay(it: &Item) -> (i128, bool) {
    let m = i128::from(it.minutes);
    if it.late {
        round_cents(m * it.pay * it.share, HOURLY_CENTS * PERCENT)
    } else {
        round_cents(m * it.pay, HOURLY_CENTS)
    }
}

/// Cents as a `Decimal`, built from the integer (not by rounding a Decimal).
fn cents(c: i128) -> Decimal {
    Decimal::from_i128_with_scale(c, 2)
}

// ---------------------------------------------------------------------------
// Random inputs
// ---------------------------------------------------------------------------

/// A percent in hundredths, 0..=max_whole %, often whole, sometimes zero.
fn percent(rng: &mut fastrand::Rng, max_whole: i128, zero_chance: u8) -> i128 {
    if rng.u8(0..100) < zero_chance {
        return 0;
    }
    match rng.u8(0..3) {
        0 => 100 * rng.i128(0..=max_whole),
        1 => 50 * rng.i128(0..=2 * max_whole), // halves: 12.5 %
        _ => rng.i128(0..=100 * max_whole),
    }
}

/// An hourly rate in 1/10,000, 0..=`max` (also in 1/10,000), with 0, 2 or 4 decimals.
fn rate(rng: &mut fastrand::Rng, max: i128) -> i128 {
    match rng.u8(0..10) {
        0 => 0.max(max.min(rng.i128(0..=99))), // below a cent an hour
        1..=2 => (rng.i128(0..=max) / 10_000) * 10_000,
        3..=5 => (rng.i128(0..=max) / 100) * 100,
        _ => rng.i128(0..=max),
    }
}

const AWKWARD_MINUTES: [i64; 20] = [0, 1, 2, 3, 7, 9, 15, 25, 29, 45, 59, 61, 89, 119, 121, 239, 479, 481, 1439, 1440];

fn minutes(rng: &mut fastrand::Rng) -> i64 {
    if rng.bool() {
        AWKWARD_MINUTES[rng.usize(..AWKWARD_MINUTES.len())]
    } else {
        rng.i64(0..=1440)
    }
}

fn part_of(rng: &mut fastrand::Rng, m: i64) -> i64 {
    match rng.u8(0..4) {
        0 => 0,
        1 => m,
        _ => rng.i64(0..=m),
    }
}

fn terms(rng: &mut fastrand::Rng) -> Terms {
    let tax = if rng.u8(0..100) < 15 {
        None
    } else if rng.bool() {
        Some([2000, 1900, 2100, 2500, 2700, 500, 700, 750, 1000, 1350, 1, 2699][rng.usize(..12)])
    } else {
        Some(rng.i128(1..=2700))
    };
    Terms {
        fee: percent(rng, 30, 10),
        tax,
        night: percent(rng, 100, 30),
        weekend: percent(rng, 100, 30),
        short: percent(rng, 100, 30),
        late_share: percent(rng, 100, 5),
        period: if rng.bool() { BillingPeriod::Weekly } else { BillingPeriod::Monthly },
    }
}

fn item(rng: &mut fastrand::Rng, t: &Terms) -> Item {
    let bill = rate(rng, 500 * 10_000);
    // Pay never exceeds the bill rate.
    let pay = if rng.u8(0..5) == 0 { bill } else { rate(rng, bill) };
    let late = rng.u8(0..100) < 15;
    let m = minutes(rng);
    Item {
        worker: rng.i64(1..=3),
        late,
        minutes: m,
        night: if late { 0 } else { part_of(rng, m) },
        weekend: if late { 0 } else { part_of(rng, m) },
        short_notice: !late && rng.u8(0..100) < 30,
        bill,
        pay,
        // Usually the policy's share; sometimes the share recorded under an older policy.
        share: if !late { 0 } else if rng.u8(0..5) == 0 { percent(rng, 100, 5) } else { t.late_share },
    }
}

/// Change some work items' approved minutes, as a business correcting timesheets does.
fn correct(rng: &mut fastrand::Rng, items: &mut [Item]) {
    let work: Vec<usize> = (0..items.len()).filter(|&i| !items[i].late).collect();
    if work.is_empty() {
        return;
    }
    for _ in 0..rng.usize(1..=work.len()) {
        let it = &mut items[work[rng.usize(..work.len())]];
        let new = if rng.bool() { minutes(rng) } else { (it.minutes + rng.i64(-30..=30)).clamp(0, 1440) };
        it.minutes = new;
        // Sometimes night/weekend are recomputed for the new times; sometimes
        // left as they were, so the billing code's clamp to `minutes` is exercised.
        if rng.bool() {
            it.night = part_of(rng, new);
            it.weekend = part_of(rng, new);
        }
    }
}

// ---------------------------------------------------------------------------
// Turning inputs into the crate's types
// ---------------------------------------------------------------------------

fn dec(units: i128, scale: u32) -> Decimal {
    Decimal::from_i128_with_scale(units, scale)
}

fn policy(t: &Terms) -> BillingPolicy {
    BillingPolicy {
        period: t.period,
        late_cancellation_pay_percent: dec(t.late_share, 2),
        fee_percent: dec(t.fee, 2),
        tax_category: if t.tax.is_some() { TaxCategory::Standard } else { TaxCategory::Zero },
        tax_percent: dec(t.tax.unwrap_or(0), 2),
        premiums: Premiums { night_percent: dec(t.night, 2), weekend_percent: dec(t.weekend, 2), short_notice_percent: dec(t.short, 2), short_notice_hours: 24 },
        ..BillingPolicy::default()
    }
}

fn billable(i: usize, it: &Item) -> Billable {
    let id = i64::try_from(i).unwrap() + 1;
    Billable {
        timesheet_id: id,
        booking_id: 1000 + id,
        description: format!("Shift {id}"),
        kind: if it.late { BillableKind::LateCancellation } else { BillableKind::Work },
        minutes: it.minutes,
        night_minutes: it.night,
        weekend_minutes: it.weekend,
        short_notice: it.short_notice,
        bill_rate: dec(it.bill, 4),
        pay_rate: dec(it.pay, 4),
        share_percent: dec(it.share, 2),
    }
}

fn party(name: &str) -> Party {
    Party {
        name: name.into(),
        street: "1 High Street".into(),
        city: "London".into(),
        postcode: "E1 1AA".into(),
        country: "GB".into(),
        vat_id: Some("GB123456789".into()),
        endpoint_scheme: "9932".into(),
        endpoint_id: "GB123456789".into(),
    }
}

const CURRENCIES: [&str; 8] = ["GBP", "EUR", "USD", "CHF", "SEK", "PLN", "DKK", "CZK"];

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// Everything needed to replay a failing period.
struct Ctx<'a> {
    index: u64,
    seed: u64,
    terms: &'a Terms,
    items: &'a [Item],
}

impl Ctx<'_> {
    #[track_caller]
    fn fail(&self, what: String) -> ! {
        panic!(
            "money property failed: {what}\n  SEED={SEED:#x} period #{} (period seed {:#x})\n  terms={:?}\n  items={:#?}",
            self.index, self.seed, self.terms, self.items
        );
    }
    #[track_caller]
    fn eq(&self, what: &str, got: Decimal, want: Decimal) {
        if got != want {
            self.fail(format!("{what}: got {got}, want {want} (difference {})", got - want));
        }
    }
    #[track_caller]
    fn cents_only(&self, what: &str, a: Decimal) {
        if a.scale() > 2 {
            self.fail(format!("{what} {a} has more than 2 decimal places"));
        }
    }
}

/// Property 1 for an invoice or credit note; returns the number of lines checked.
fn check_amounts(ctx: &Ctx, doc: &Document, currency: Currency) -> u64 {
    let a: &Amounts = &doc.amounts;
    let name = &doc.number;
    if a.currency != currency {
        ctx.fail(format!("{name}: currency {} instead of {currency}", a.currency));
    }
    for l in &a.lines {
        ctx.cents_only(&format!("{name} line {:?}", l.kind), l.amount);
    }
    for t in &a.tax {
        ctx.cents_only(&format!("{name} tax"), t.tax);
        ctx.cents_only(&format!("{name} taxable"), t.taxable);
    }
    ctx.eq(&format!("{name} net vs Σ lines"), a.net, a.lines.iter().map(|l| l.amount).sum());
    ctx.eq(&format!("{name} tax_total vs Σ tax subtotals"), a.tax_total, a.tax.iter().map(|t| t.tax).sum());
    ctx.eq(&format!("{name} taxable vs net"), a.tax.iter().map(|t| t.taxable).sum(), a.net);
    ctx.eq(&format!("{name} total vs net + tax_total"), a.total, a.net + a.tax_total);
    ctx.cents_only(&format!("{name} total"), a.total);
    a.lines.len() as u64
}

/// Property 2 for one issued invoice against the oracle for the items it billed.
fn check_against_oracle(ctx: &Ctx, doc: &Document, want: &Bill) {
    let a = &doc.amounts;
    let mut got: Vec<Decimal> = a.lines.iter().map(|l| l.amount).collect();
    got.sort_unstable();
    let want_lines: Vec<Decimal> = want.lines.iter().map(|&c| cents(c)).collect();
    if got != want_lines {
        ctx.fail(format!("{} lines {got:?} but the oracle says {want_lines:?}", doc.number));
    }
    ctx.eq(&format!("{} net vs oracle", doc.number), a.net, cents(want.net));
    ctx.eq(&format!("{} tax vs oracle", doc.number), a.tax_total, cents(want.tax));
    ctx.eq(&format!("{} total vs oracle", doc.number), a.total, cents(want.total));
}

#[derive(Default)]
struct Tally {
    periods: u64,
    invoices: u64,
    credit_notes: u64,
    statements: u64,
    lines: u64,
    corrections: u64,
    negative_pay_lines: u64,
    ties: u64,
}

fn run_period(index: u64, tally: &mut Tally) {
    let seed = SEED ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = fastrand::Rng::with_seed(seed);
    let t = terms(&mut rng);
    let currency = Currency::parse(CURRENCIES[rng.usize(..CURRENCIES.len())]).unwrap();
    let n = rng.usize(1..=12);
    let mut items: Vec<Item> = (0..n).map(|_| item(&mut rng, &t)).collect();
    let corrections = match rng.u8(0..10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    // Each correction's new minutes, drawn up front so the context can show them.
    let mut versions = vec![items.clone()];
    for _ in 0..corrections {
        correct(&mut rng, &mut items);
        versions.push(items.clone());
    }
    let all: Vec<Item> = versions.iter().flatten().cloned().collect();
    let ctx = Ctx { index, seed, terms: &t, items: &all };

    let pol = policy(&t);
    if let Err(e) = pol.validate() {
        ctx.fail(format!("generated an invalid policy: {e:?}"));
    }

    // The period and the documents' dates.
    let day = date(2024, 1, 1).checked_add(jiff::Span::new().days(rng.i64(0..3650))).unwrap();
    let (start, end) = period_containing(day, t.period);
    check_period(&ctx, day, start, end, t.period);
    let issued_on = end.tomorrow().unwrap();

    let mut docs: Vec<Document> = Vec::new();
    let mut statements: Vec<PayStatement> = Vec::new();
    let mut paid: BTreeMap<i64, Decimal> = BTreeMap::new();
    let make_doc = |docs: &Vec<Document>, kind, amounts, corrects: Option<&Document>| {
        let id = i64::try_from(docs.len()).unwrap() + 1;
        let seq = i64::try_from(docs.iter().filter(|d| d.kind == kind).count()).unwrap() + 1;
        Document {
            id,
            kind,
            number: number(if kind == DocumentKind::Invoice { "INV" } else { "CRN" }, seq),
            business_id: BusinessId(1),
            issued_on,
            due_on: issued_on.checked_add(jiff::Span::new().days(14)).unwrap(),
            period_start: start,
            period_end: end,
            seller: party("Slivers Exchange Ltd"),
            buyer: party("Corner Cafe Ltd"),
            amounts,
            corrects: corrects.map(|d| DocumentRef { id: d.id, number: d.number.clone(), issued_on: d.issued_on }),
            reason: corrects.map(|_| "Timesheet corrected".to_string()),
            rounding: ROUNDING_RULE.to_string(),
        }
    };

    for (v, its) in versions.iter().enumerate() {
        let bills: Vec<Billable> = its.iter().enumerate().map(|(i, it)| billable(i, it)).collect();
        if v > 0 {
            // A correction: reverse the live invoice in full, with its very amounts.
            let live = docs.iter().rev().find(|d| d.kind == DocumentKind::Invoice).unwrap().clone();
            let credit = make_doc(&docs, DocumentKind::CreditNote, live.amounts.clone(), Some(&live));
            docs.push(credit);
            tally.corrections += 1;
        }
        let inv = make_doc(&docs, DocumentKind::Invoice, invoice(currency, &bills, &pol), None);
        let want = oracle_bill(its, &t);
        tally.ties += want.ties;
        check_against_oracle(&ctx, &inv, &want);
        docs.push(inv);

        // Pay statements, one per worker: in full the first time, then the
        // difference from what the earlier statements paid for each timesheet.
        let mut workers: BTreeMap<i64, Vec<(Billable, Decimal)>> = BTreeMap::new();
        for (it, b) in its.iter().zip(&bills) {
            let already = paid.get(&b.timesheet_id).copied().unwrap_or(Decimal::ZERO);
            workers.entry(it.worker).or_default().push((b.clone(), already));
        }
        for (worker, rows) in workers {
            let (lines, total) = pay_statement(&rows);
            let seq = i64::try_from(statements.len()).unwrap() + 1;
            let st = PayStatement {
                id: seq,
                number: number("PAY", seq),
                worker_id: WorkerId(worker),
                issued_on,
                period_start: start,
                period_end: end,
                currency,
                lines,
                total,
                rounding: ROUNDING_RULE.to_string(),
            };
            check_statement(&ctx, &st, &versions[..=v], tally);
            for l in &st.lines {
                *paid.entry(l.timesheet_id.unwrap()).or_default() += l.amount;
            }
            statements.push(st);
        }
    }

    for d in &docs {
        tally.lines += check_amounts(&ctx, d, currency);
    }
    for w in docs.windows(2) {
        // Property 2's premise: a credit note repeats the invoice it corrects.
        if w[1].kind == DocumentKind::CreditNote && (w[1].amounts != w[0].amounts || w[1].corrects.as_ref().map(|r| r.id) != Some(w[0].id)) {
            ctx.fail(format!("{} does not reverse {} in full", w[1].number, w[0].number));
        }
    }

    // Property 2: what the business owes after all corrections is the oracle's bill of the final items.
    let sign = |d: &Document| if d.kind == DocumentKind::Invoice { Decimal::ONE } else { Decimal::NEGATIVE_ONE };
    let owed = |f: fn(&Amounts) -> Decimal| docs.iter().map(|d| sign(d) * f(&d.amounts)).sum::<Decimal>();
    let fin = oracle_bill(&items, &t);
    ctx.eq("Σ invoices − Σ credit notes: net", owed(|a| a.net), cents(fin.net));
    ctx.eq("Σ invoices − Σ credit notes: tax", owed(|a| a.tax_total), cents(fin.tax));
    ctx.eq("Σ invoices − Σ credit notes: total", owed(|a| a.total), cents(fin.total));

    // Property 3: what the workers were paid is the oracle's pay for the final items.
    let pay_total: Decimal = statements.iter().map(|s| s.total).sum();
    let want_pay: i128 = items.iter().map(|it| oracle_pay(it).0).sum();
    ctx.eq("Σ pay statements vs oracle pay of the final items", pay_total, cents(want_pay));
    for (i, it) in items.iter().enumerate() {
        let ts = i64::try_from(i).unwrap() + 1;
        ctx.eq(&format!("paid for timesheet {ts}"), paid.get(&ts).copied().unwrap_or_default(), cents(oracle_pay(it).0));
    }

    tally.periods += 1;
    tally.invoices += docs.iter().filter(|d| d.kind == DocumentKind::Invoice).count() as u64;
    tally.credit_notes += docs.iter().filter(|d| d.kind == DocumentKind::CreditNote).count() as u64;
    tally.statements += statements.len() as u64;
}

/// Property 1 for a pay statement, and property 3 line by line: each line is
/// the oracle's pay for the item now minus its pay under the previous version.
fn check_statement(ctx: &Ctx, st: &PayStatement, versions: &[Vec<Item>], tally: &mut Tally) {
    let name = &st.number;
    for l in &st.lines {
        ctx.cents_only(&format!("{name} line"), l.amount);
    }
    ctx.cents_only(&format!("{name} total"), st.total);
    ctx.eq(&format!("{name} total vs Σ lines"), st.total, st.lines.iter().map(|l| l.amount).sum());
    let now = &versions[versions.len() - 1];
    let before = versions.len().checked_sub(2).map(|v| &versions[v]);
    for (i, it) in now.iter().enumerate() {
        if it.worker != st.worker_id.0 {
            continue;
        }
        let ts = i64::try_from(i).unwrap() + 1;
        let (new, tie) = oracle_pay(it);
        tally.ties += u64::from(tie);
        let owed = new - before.map_or(0, |b| oracle_pay(&b[i]).0);
        let got: Vec<Decimal> = st.lines.iter().filter(|l| l.timesheet_id == Some(ts)).map(|l| l.amount).collect();
        // A line only where something is owed either way.
        let want: Vec<Decimal> = if owed == 0 { vec![] } else { vec![cents(owed)] };
        if got != want {
            ctx.fail(format!("{name} timesheet {ts}: lines {got:?}, the oracle owes {want:?}"));
        }
        tally.negative_pay_lines += u64::from(owed < 0);
    }
    tally.lines += st.lines.len() as u64;
}

/// `period_containing`: a Monday-to-Sunday week or a calendar month around `day`.
fn check_period(ctx: &Ctx, day: Date, start: Date, end: Date, period: BillingPeriod) {
    let ok = start <= day
        && day <= end
        && match period {
            BillingPeriod::Weekly => start.weekday() == Weekday::Monday && start.checked_add(jiff::Span::new().days(6)).unwrap() == end,
            BillingPeriod::Monthly => {
                start.day() == 1 && (start.year(), start.month()) == (day.year(), day.month()) && end.tomorrow().unwrap().day() == 1 && end.month() == day.month()
            }
        };
    if !ok {
        ctx.fail(format!("period_containing({day}, {period:?}) = {start}..={end}"));
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn invoices_credit_notes_and_pay_are_exact_to_the_cent() {
    let started = Instant::now();
    let mut tally = Tally::default();
    for i in 0..PERIODS {
        run_period(i, &mut tally);
    }
    let documents = tally.invoices + tally.credit_notes + tally.statements;
    println!(
        "money_property: SEED={SEED:#x}: {} periods, {documents} documents ({} invoices, {} credit notes, {} pay statements), \
         {} lines checked, {} corrections, {} negative pay corrections, {} exact half-cent roundings, in {:.2?}",
        tally.periods, tally.invoices, tally.credit_notes, tally.statements, tally.lines, tally.corrections, tally.negative_pay_lines, tally.ties,
        started.elapsed()
    );
    assert_eq!(tally.periods, PERIODS);
    // Guards against a generator that quietly stopped covering the hard cases.
    assert!(tally.corrections >= PERIODS / 4, "too few corrections: {}", tally.corrections);
    assert!(tally.negative_pay_lines >= PERIODS / 20, "too few negative pay corrections: {}", tally.negative_pay_lines);
    assert!(tally.ties >= PERIODS / 20, "too few exact half-cent roundings to test the tie rule: {}", tally.ties);
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn exact_halves_round_away_from_zero_in_both_directions() {
    // Banker's rounding would give 0.00, 0.02, 0.02, 2.67 for the first four.
    let table = [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("2.675", "2.68"),
        ("0.0049999", "0.00"),
        ("-0.005", "-0.01"),
        ("-0.015", "-0.02"),
        ("-0.025", "-0.03"),
        ("-2.675", "-2.68"),
        ("-0.0049999", "0.00"),
    ];
    for (raw, want) in table {
        assert_eq!(round_line(d(raw)), d(want), "round_line({raw})");
        // The oracle's rounding states the same rule: raw in 1/10^7, cents out.
        let n = (d(raw) * Decimal::from(10_000_000)).mantissa() / 10i128.pow((d(raw) * Decimal::from(10_000_000)).scale());
        assert_eq!(cents(round_cents(n, 100_000).0), d(want), "oracle rounding of {raw}");
    }
    for n in -1_000i128..=1_000 {
        // Symmetry: rounding −x is −(rounding x), for ties and everything else.
        assert_eq!(round_cents(-n, 10).0, -round_cents(n, 10).0);
        assert_eq!(round_line(dec(-n, 3)), -round_line(dec(n, 3)), "{}", dec(n, 3));
        assert_eq!(round_line(dec(n, 3)), cents(round_cents(n, 10).0), "{}", dec(n, 3));
    }
}

#[test]
fn half_cent_lines_and_their_corrections_are_symmetric() {
    let zero_terms = Terms { fee: 0, tax: None, night: 0, weekend: 0, short: 0, late_share: 5000, period: BillingPeriod::Weekly };
    let pol = policy(&zero_terms);
    let work = |minutes, rate| Item { worker: 1, late: false, minutes, night: 0, weekend: 0, short_notice: false, bill: rate, pay: rate, share: 0 };
    // 3 min at 0.10/h is 0.005 exactly; 9 min is 0.015 exactly.
    for (minutes, want) in [(3, "0.01"), (9, "0.02"), (0, "0.00")] {
        let b = billable(0, &work(minutes, 1_000));
        assert_eq!(invoice(Currency::GBP, std::slice::from_ref(&b), &pol).net, d(want), "{minutes} min at 0.10");
        assert_eq!(pay_statement(&[(b, Decimal::ZERO)]).1, d(want), "pay for {minutes} min at 0.10");
    }
    // Corrections up and down by the same half-cent amounts are exact negatives.
    let (b3, b9) = (billable(0, &work(3, 1_000)), billable(0, &work(9, 1_000)));
    let up = pay_statement(&[(b9.clone(), d("0.01"))]).1; // 3 -> 9 minutes
    let down = pay_statement(&[(b3.clone(), d("0.02"))]).1; // 9 -> 3 minutes
    assert_eq!((up, down), (d("0.01"), d("-0.01")));
    let b0 = billable(0, &work(0, 1_000));
    assert_eq!(pay_statement(&[(b0, d("0.01"))]).1, d("-0.01"), "3 -> 0 minutes pays back the rounded half cent");
    // The fee is a line like any other: 15 % of 0.10 labour is 0.015 exactly -> 0.02.
    let mut p = pol;
    p.fee_percent = d("15");
    let a = invoice(Currency::EUR, &[billable(0, &work(60, 1_000))], &p);
    assert_eq!(a.lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![d("0.10"), d("0.02")]);
    assert_eq!(a.lines[1].kind, LineKind::Fee);
}

#[test]
fn an_exact_half_cent_survives_the_division_by_sixty() {
    // Found by the property (period #202): 5 night minutes at 127.00/h with a
    // 54 % premium is 5 × 127 / 60 × 0.54 = 5.715 exactly, so 5.72. Dividing
    // by 60 first leaves 10.58333…3 (28 digits), and × 0.54 then lands just
    // below the half (5.71499…98), which would round to 5.71. The same sum
    // prices late cancellations, where the worker would be a cent short.
    let t = Terms { fee: 0, tax: None, night: 5400, weekend: 0, short: 0, late_share: 5400, period: BillingPeriod::Monthly };
    let night = Item { worker: 1, late: false, minutes: 29, night: 5, weekend: 0, short_notice: false, bill: 1_270_000, pay: 1_270_000, share: 0 };
    let want = oracle_bill(std::slice::from_ref(&night), &t);
    assert!(want.lines.contains(&572), "oracle: {want:?}");
    let got = invoice(Currency::GBP, &[billable(0, &night)], &policy(&t));
    assert!(got.lines.iter().any(|l| l.kind == LineKind::NightPremium && l.amount == d("5.72")), "night premium: {:?}", got.lines);
    assert_eq!(got.net, cents(want.net));

    let late = Item { late: true, minutes: 5, night: 0, share: 5400, ..night };
    assert_eq!(oracle_pay(&late), (572, true));
    let b = billable(0, &late);
    assert_eq!(invoice(Currency::GBP, std::slice::from_ref(&b), &policy(&t)).net, d("5.72"), "late cancellation bill");
    assert_eq!(pay_statement(&[(b, Decimal::ZERO)]).1, d("5.72"), "late cancellation pay");
}
