//! Hand-made records with answers worked out on paper: fill with a refilled
//! cancellation, urgent shifts filled at minute 12 and never, Gini of equal
//! and unequal shares, earnings per currency to the cent, shifts outside the
//! period ignored, and the same numbers whatever order the record comes in.

#![allow(clippy::unwrap_used, clippy::float_arithmetic, reason = "tests compare computed floats with worked answers")]

#[path = "support/records.rs"]
mod records;

use std::str::FromStr;

use records::*;
use rust_decimal::Decimal;
use slivers_core::{Currency, Interval};
use slivers_outcomes::metrics::{hours_share, nearest_rank, share_statistics, LORENZ_MAX_POINTS};
use slivers_outcomes::summary::{decimal3, money as show_money, percent};
use slivers_outcomes::{measure, BookingEnd};

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn fill_counts_held_and_no_shows_and_absorbs_a_refilled_cancellation() {
    let m = measure(&mixed_market());
    // Shifts 7 and 8 start outside the week: 6 shifts, 2+1+1+1+2+1 places.
    assert_eq!((m.fill.shifts, m.fill.places, m.fill.filled), (6, 8, 5));
    assert!(close(m.fill.rate, 0.625));
    assert_eq!(percent(m.fill.rate), "62.5%");
    assert_eq!((m.urgent_fill.shifts, m.urgent_fill.places, m.urgent_fill.filled), (2, 3, 2));
    let c = &m.cancellations;
    // Shift 1 lost worker 2 and took worker 3 instead: absorbed. Shifts 2 and 6 stayed short.
    assert_eq!((c.by_worker, c.absorbed, c.by_business, c.no_shows), (3, 1, 1, 1));
}

#[test]
fn fill_by_day_covers_every_day_of_the_period() {
    let m = measure(&mixed_market());
    let days: Vec<(String, u64, u64)> = m.fill_by_day.iter().map(|d| (d.date.to_string(), d.places, d.filled)).collect();
    assert_eq!(
        days,
        vec![
            ("2025-03-03".to_string(), 0, 0),
            ("2025-03-04".to_string(), 2, 2),
            ("2025-03-05".to_string(), 3, 1),
            ("2025-03-06".to_string(), 3, 2),
            ("2025-03-07".to_string(), 0, 0),
            ("2025-03-08".to_string(), 0, 0),
            ("2025-03-09".to_string(), 0, 0),
        ]
    );
    assert_eq!(m.fill_by_day[0].rate(), None, "a day without places is a gap, not 0 %");
}

#[test]
fn time_to_fill_counts_from_posting_until_every_place_is_held() {
    let mut r = record(week());
    let at_12 = shift(1, "2025-03-05T14:00:00Z", 6 * 60, 2);
    // Only one of its two places is ever taken.
    let never = shift(2, "2025-03-05T12:00:00Z", 4 * 60, 2);
    let at_45 = shift(3, "2025-03-05T16:00:00Z", 8 * 60, 1);
    // Worker 5 leaves at minute 6 before worker 6 arrives at 8: two are held together only at 25.
    let swapped = shift(4, "2025-03-05T18:00:00Z", 11 * 60, 2);
    let not_urgent = shift(5, "2025-03-05T20:00:00Z", 12 * 60, 1);
    let late = shift(6, "2025-03-06T09:00:00Z", 60, 1);
    r.bookings = vec![
        booking(&at_12, 1, 5, BookingEnd::Held),
        booking(&at_12, 2, 12, BookingEnd::Held),
        booking(&never, 3, 3, BookingEnd::Held),
        booking(&at_45, 4, 45, BookingEnd::Held),
        booking(&swapped, 5, 1, cancelled_by_worker(&swapped, 6)),
        booking(&swapped, 6, 8, BookingEnd::Held),
        booking(&swapped, 7, 25, BookingEnd::Held),
        booking(&not_urgent, 8, 600, BookingEnd::Held),
        // Confirmed a minute after the start: held for fill, but not filled before the start.
        booking(&late, 9, 61, BookingEnd::Held),
    ];
    r.shifts = vec![at_12, never, at_45, swapped, not_urgent, late];
    let t = measure(&r).time_to_fill;
    assert_eq!((t.urgent_shifts, t.filled_before_start, t.within_30_minutes), (5, 3, 2));
    // Unfilled shifts count against the share: 2 of 5, not 2 of 3.
    assert!(close(t.within_30_share, 0.4));
    assert_eq!(t.urgent_shifts - t.filled_before_start, 2);
    // Filled at 12, 25, 45: nearest rank ⌈0.5·3⌉ = 2nd, ⌈0.9·3⌉ = 3rd.
    assert_eq!((t.median_minutes, t.p90_minutes), (Some(25), Some(45)));
    let counts: Vec<(&str, u64)> = t.histogram.iter().map(|b| (b.label.as_str(), b.count)).collect();
    assert_eq!(
        counts,
        vec![("0–5", 0), ("5–10", 0), ("10–15", 1), ("15–30", 1), ("30–60", 1), ("60–120", 0), ("120–240", 0), ("> 240", 0), ("never", 2)]
    );
}

#[test]
fn a_shift_fully_booked_then_cancelled_was_still_filled_at_that_moment() {
    // Time to fill measures how fast the market answered; the cancellation is counted with cancellations.
    let mut r = record(week());
    let s = shift(1, "2025-03-05T14:00:00Z", 60, 1);
    r.bookings = vec![booking(&s, 1, 3, cancelled_by_worker(&s, 20))];
    r.shifts = vec![s];
    let m = measure(&r);
    assert_eq!((m.time_to_fill.median_minutes, m.urgent_fill.filled, m.cancellations.absorbed), (Some(3), 0, 0));
}

#[test]
fn a_shift_filled_at_exactly_thirty_minutes_is_within_thirty() {
    let mut r = record(week());
    let s = shift(1, "2025-03-05T14:00:00Z", 60, 1);
    r.bookings = vec![booking(&s, 1, 30, BookingEnd::Held)];
    r.shifts = vec![s];
    let t = measure(&r).time_to_fill;
    assert_eq!(t.within_30_minutes, 1);
    assert_eq!(t.histogram[3].count, 1, "the 15–30 bucket includes 30 itself");
}

#[test]
fn gini_is_zero_for_equal_shares_and_known_for_unequal_ones() {
    let equal = share_statistics(&[1.0, 1.0, 1.0]);
    assert_eq!((equal.gini, equal.spread, equal.mean_share), (Some(0.0), Some(0.0), Some(1.0)));
    let half = share_statistics(&[0.0, 1.0]);
    assert!(close(half.gini, 0.5) && close(half.spread, 0.5) && close(half.mean_share, 0.5));
    let xs: Vec<(f64, f64)> = half.lorenz.iter().map(|p| (p.workers, p.hours)).collect();
    assert_eq!(xs, vec![(0.0, 0.0), (0.5, 0.0), (1.0, 1.0)]);
    // 2·(1·1 + 2·2 + 3·3) / (3·6) − 4/3 = 2/9.
    assert!(close(share_statistics(&[1.0, 2.0, 3.0]).gini, 2.0 / 9.0));
    let nobody = share_statistics(&[0.0, 0.0]);
    assert_eq!(nobody.gini, Some(0.0), "nobody worked: equally nothing");
    assert_eq!(share_statistics(&[]).gini, None);
}

#[test]
fn fairness_measures_worked_over_wanted_hours_from_the_record() {
    let m = measure(&mixed_market());
    let f = &m.fairness;
    // Worked ÷ wanted (600 a week): worker 1 480, 2 and 3 240 each, 4–6 nothing
    // (5 did not come). Sorted shares 0, 0, 0, .4, .4, .8.
    assert_eq!(f.population, 6);
    assert!(close(f.mean_share, 1.6 / 6.0));
    assert!(close(f.gini, 1.75 - 7.0 / 6.0), "{:?}", f.gini);
    assert!(close(f.spread, (0.533_333_333_333_333_3_f64 / 6.0).sqrt()), "{:?}", f.spread);
    assert_eq!(f.lorenz.len(), 7);
}

#[test]
fn hours_share_uses_the_period_as_an_exact_fraction_of_weeks() {
    // Ten days are 14 400 minutes = 10/7 weeks; wanting 1 008 a week means 1 440 wanted.
    assert_eq!(hours_share(2_160, 1_008, 14_400), 1.5);
    assert_eq!(hours_share(100, 0, 14_400), 0.0);
    let mut r = record(Interval::new(at("2025-03-01T00:00:00Z"), at("2025-03-11T00:00:00Z")).unwrap());
    let s = shift(1, "2025-03-02T09:00:00Z", 3_000, 1);
    let mut b = booking(&s, 1, 10, BookingEnd::Held);
    b.minutes = 2_160;
    r.shifts = vec![s];
    r.bookings = vec![b];
    r.workers = vec![worker(1, 1_008), worker(2, 0)];
    let f = measure(&r).fairness;
    assert_eq!((f.population, f.mean_share), (1, Some(1.5)), "a worker wanting nothing is not measured");
}

#[test]
fn lorenz_curve_is_downsampled_on_the_curve() {
    let shares: Vec<f64> = (0..1_000).map(f64::from).collect();
    let f = share_statistics(&shares);
    assert!(f.lorenz.len() <= LORENZ_MAX_POINTS);
    let (first, last) = (f.lorenz[0], f.lorenz[f.lorenz.len() - 1]);
    assert_eq!((first.workers, first.hours, last.workers, last.hours), (0.0, 0.0, 1.0, 1.0));
    assert!(f.lorenz.windows(2).all(|w| w[0].workers < w[1].workers && w[0].hours <= w[1].hours));
}

#[test]
fn earnings_are_per_currency_and_exact_to_the_cent() {
    let mut r = record(week());
    let a = shift(1, "2025-03-04T09:00:00Z", 3_000, 3);
    let b = shift(2, "2025-03-05T09:00:00Z", 3_000, 2);
    let mut bookings = vec![
        booking(&a, 1, 1, BookingEnd::Held),
        booking(&a, 2, 2, BookingEnd::Held),
        booking(&a, 3, 3, BookingEnd::Held),
        booking(&b, 1, 1, BookingEnd::Held),
        booking(&b, 4, 2, BookingEnd::Held),
        booking(&b, 5, 3, BookingEnd::NoShow),
        booking(&b, 6, 4, cancelled_by_worker(&b, 9)),
    ];
    let pays = [("12.35", Currency::GBP), ("0.10", Currency::GBP), ("7.05", Currency::GBP), ("20.10", Currency::GBP), ("15.55", Currency::EUR), ("99", Currency::GBP), ("99", Currency::GBP)];
    for (booking, (amount, currency)) in bookings.iter_mut().zip(pays) {
        booking.pay = money(amount, currency);
    }
    r.shifts = vec![a, b];
    r.bookings = bookings;
    let e = measure(&r).earnings;
    let gbp = &e.by_currency[&Currency::GBP];
    // Worker 1: 12.35 + 20.10 = 32.45; worker 2: 0.10; worker 3: 7.05. No pay for a no-show or a cancellation.
    assert_eq!((gbp.workers_earning, gbp.total), (3, dec("39.60")));
    assert_eq!((gbp.p10, gbp.p50, gbp.p90), (dec("0.10"), dec("7.05"), dec("32.45")));
    let eur = &e.by_currency[&Currency::EUR];
    assert_eq!((eur.workers_earning, eur.total, eur.p50), (1, dec("15.55"), dec("15.55")));
    assert_eq!(show_money(gbp.total, Currency::GBP), "GBP 39.60");
    assert_eq!(show_money(dec("0.125"), Currency::EUR), "EUR 0.13", "half a cent rounds away from zero");
    let h = e.histogram.unwrap();
    // 32.45 / 8 ≈ 4.06 → buckets 5 wide, from 0 to 35.
    assert_eq!((h.currency, h.bucket_width), (Currency::GBP, dec("5")));
    let counts: Vec<(&str, u64)> = h.buckets.iter().map(|b| (b.label.as_str(), b.count)).collect();
    assert_eq!(counts, vec![("0–5", 1), ("5–10", 1), ("10–15", 0), ("15–20", 0), ("20–25", 0), ("25–30", 0), ("30–35", 1)]);
}

#[test]
fn shifts_outside_the_period_and_their_bookings_are_ignored() {
    let mut r = mixed_market();
    let inside = measure(&r);
    r.shifts.retain(|s| s.id.0 <= 6);
    r.bookings.retain(|b| b.shift_id.0 <= 6);
    assert_eq!(measure(&r), inside);
}

#[test]
fn the_same_record_in_any_order_gives_the_same_metrics() {
    let r = mixed_market();
    let once = measure(&r);
    assert_eq!(once, measure(&r));
    let mut reversed = r.clone();
    reversed.shifts.reverse();
    reversed.bookings.reverse();
    reversed.workers.reverse();
    let again = measure(&reversed);
    assert_eq!(once, again);
    assert_eq!(serde_json::to_string(&once).unwrap(), serde_json::to_string(&again).unwrap());
}

#[test]
fn an_empty_market_has_no_rates_rather_than_zero_ones() {
    let m = measure(&record(week()));
    assert_eq!((m.fill.rate, m.urgent_fill.rate, m.time_to_fill.within_30_share, m.fairness.gini), (None, None, None, None));
    assert_eq!(percent(m.fill.rate), "—");
    assert_eq!(decimal3(m.fairness.gini), "—");
    assert!(m.earnings.by_currency.is_empty() && m.earnings.histogram.is_none());
    assert_eq!(m.fill_by_day.len(), 7);
}

#[test]
fn nearest_rank_percentiles() {
    let xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert_eq!((nearest_rank(&xs, 10), nearest_rank(&xs, 50), nearest_rank(&xs, 90)), (Some(&1), Some(&5), Some(&9)));
    assert_eq!(nearest_rank(&[7], 90), Some(&7));
    assert_eq!(nearest_rank::<i32>(&[], 50), None);
}
