//! What the clients of a crash test were told, and the judge that holds the
//! final database to it: every acknowledged booking and cancellation present,
//! nothing booked that nobody asked for, no (shift, worker) held twice, the
//! event sequence 1..=n without a gap, one event per state change, and the
//! notifications of every change in the outbox. The judge is pure (plain rows
//! in, problems out), so `the_judge_names_every_defect` can prove it fails.

use std::collections::{BTreeMap, BTreeSet};

/// A (shift, worker) pair as the clients asked for it.
pub type Pair = (i64, i64);

/// Everything the clients saw. A request whose connection broke after it was
/// sent is *in doubt*: the server may or may not have committed it.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Bookings answered 201, by id.
    pub booked: BTreeMap<i64, Pair>,
    /// Cancellations answered 200.
    pub cancelled: BTreeSet<i64>,
    pub doubtful_books: BTreeSet<Pair>,
    pub doubtful_cancels: BTreeSet<i64>,
    /// Refusals (409) seen, by the first rule named.
    pub refused: BTreeMap<String, u64>,
    /// Requests that never reached a server (it was down).
    pub unreachable: u64,
}

/// A booking row as the database holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingRow {
    pub id: i64,
    pub pair: Pair,
    pub holds: bool,
    pub cancelled: bool,
}

/// An event row: its number, kind and booking.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub seq: i64,
    pub kind: String,
    pub booking: Option<i64>,
}

/// The final database, reduced to what the judge reads. `bookings` holds the
/// test's shifts only; `events` is the whole log; `outbox` the event number
/// and message id of every row.
#[derive(Debug, Clone, Default)]
pub struct Database {
    pub bookings: Vec<BookingRow>,
    pub events: Vec<EventRow>,
    pub outbox: Vec<(Option<i64>, String)>,
}

const CONFIRMED: &str = "booking.confirmed";
const CANCELLED: &str = "booking.cancelled_by_business";

/// Every way `db` disagrees with what the clients were told; empty when it holds.
pub fn judge(ledger: &Ledger, db: &Database) -> Vec<String> {
    let mut problems = Vec::new();
    let rows: BTreeMap<i64, &BookingRow> = db.bookings.iter().map(|b| (b.id, b)).collect();

    // Acknowledged writes survive, as acknowledged.
    for (id, pair) in &ledger.booked {
        match rows.get(id) {
            None => problems.push(format!("acknowledged booking {id} {pair:?} is missing")),
            Some(row) if row.pair != *pair => problems.push(format!("booking {id} is {:?}, acknowledged as {pair:?}", row.pair)),
            Some(row) if ledger.cancelled.contains(id) && !row.cancelled => {
                problems.push(format!("acknowledged cancellation of booking {id} is lost"))
            }
            Some(row) if !ledger.cancelled.contains(id) && !ledger.doubtful_cancels.contains(id) && !row.holds => {
                problems.push(format!("acknowledged booking {id} no longer holds time"))
            }
            Some(_) => {}
        }
    }
    // Nothing was written that no client asked for; nothing is held twice.
    let asked: BTreeSet<Pair> = ledger.booked.values().copied().chain(ledger.doubtful_books.iter().copied()).collect();
    let mut holding: BTreeMap<Pair, Vec<i64>> = BTreeMap::new();
    for row in &db.bookings {
        if !asked.contains(&row.pair) {
            problems.push(format!("booking {} {:?} was never asked for", row.id, row.pair));
        }
        if !ledger.booked.contains_key(&row.id) && !ledger.doubtful_books.contains(&row.pair) {
            problems.push(format!("booking {} {:?} exists but was neither acknowledged nor in doubt", row.id, row.pair));
        }
        if row.holds {
            holding.entry(row.pair).or_default().push(row.id);
        }
    }
    for (pair, ids) in holding.iter().filter(|(_, ids)| ids.len() > 1) {
        problems.push(format!("{pair:?} is held by {} bookings: {ids:?}", ids.len()));
    }
    problems.extend(sequence_gaps(&db.events));
    problems.extend(one_event_per_change(db));
    problems.extend(notifications(db));
    problems
}

/// The log is numbered 1..=n: no number skipped, none repeated.
fn sequence_gaps(events: &[EventRow]) -> Vec<String> {
    let mut seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    seqs.sort_unstable();
    let mut problems = Vec::new();
    let mut want = 1;
    for s in seqs {
        if s != want {
            problems.push(format!("event sequence jumps from {} to {s}", want - 1));
        }
        want = s + 1;
    }
    problems
}

/// Each booking was confirmed exactly once in the log, and cancelled once if
/// it is cancelled (the change and its event commit together or not at all).
fn one_event_per_change(db: &Database) -> Vec<String> {
    let mut count: BTreeMap<(i64, &str), usize> = BTreeMap::new();
    for e in &db.events {
        if let Some(b) = e.booking {
            *count.entry((b, e.kind.as_str())).or_default() += 1;
        }
    }
    let mut problems = Vec::new();
    for row in &db.bookings {
        let confirmed = count.get(&(row.id, CONFIRMED)).copied().unwrap_or(0);
        let cancelled = count.get(&(row.id, CANCELLED)).copied().unwrap_or(0);
        if confirmed != 1 || cancelled != usize::from(row.cancelled) {
            problems.push(format!("booking {} has {confirmed} confirmations and {cancelled} cancellations in the log", row.id));
        }
    }
    problems
}

/// The booking events of the test (every one emails the business's managers)
/// each wrote the same number of outbox rows, at least one, with distinct ids.
fn notifications(db: &Database) -> Vec<String> {
    let ours: BTreeSet<i64> = db.bookings.iter().map(|b| b.id).collect();
    let mut per_event: BTreeMap<i64, usize> = BTreeMap::new();
    for e in &db.events {
        if e.booking.is_some_and(|b| ours.contains(&b)) && (e.kind == CONFIRMED || e.kind == CANCELLED) {
            per_event.insert(e.seq, 0);
        }
    }
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for (seq, message_id) in &db.outbox {
        if !ids.insert(message_id) {
            problems.push(format!("outbox message {message_id} is written twice"));
        }
        if let Some(n) = seq.and_then(|s| per_event.get_mut(&s)) {
            *n += 1;
        }
    }
    let most = per_event.values().copied().max().unwrap_or(0);
    if most == 0 && !per_event.is_empty() {
        problems.push("no booking event wrote a notification: the outbox check would be vacuous".into());
    }
    for (seq, n) in per_event.iter().filter(|(_, n)| **n != most) {
        problems.push(format!("event {seq} wrote {n} outbox rows where the others wrote {most}"));
    }
    problems
}

#[test]
fn the_judge_names_every_defect() {
    // Two bookings acknowledged, the second cancelled; a third in doubt that committed.
    let mut ledger = Ledger::default();
    ledger.booked.insert(1, (10, 100));
    ledger.booked.insert(2, (11, 100));
    ledger.cancelled.insert(2);
    ledger.doubtful_books.insert((12, 101));
    let event = |seq: i64, kind: &str, booking: i64| EventRow { seq, kind: kind.into(), booking: Some(booking) };
    let good = Database {
        bookings: vec![
            BookingRow { id: 1, pair: (10, 100), holds: true, cancelled: false },
            BookingRow { id: 2, pair: (11, 100), holds: false, cancelled: true },
            BookingRow { id: 3, pair: (12, 101), holds: true, cancelled: false },
        ],
        events: vec![event(1, CONFIRMED, 1), event(2, CONFIRMED, 2), event(3, CANCELLED, 2), event(4, CONFIRMED, 3)],
        outbox: (1..=4).map(|s| (Some(s), format!("<event-{s}>"))).collect(),
    };
    assert_eq!(judge(&ledger, &good), Vec::<String>::new());

    let defects: Vec<(&str, Box<dyn Fn(&mut Database)>)> = vec![
        ("is missing", Box::new(|db| db.bookings.retain(|b| b.id != 1))),
        ("cancellation of booking 2 is lost", Box::new(|db| db.bookings[1] = BookingRow { id: 2, pair: (11, 100), holds: true, cancelled: false })),
        ("held by 2 bookings", Box::new(|db| {
            db.bookings.push(BookingRow { id: 9, pair: (10, 100), holds: true, cancelled: false });
            db.events.push(event(5, CONFIRMED, 9));
            db.outbox.push((Some(5), "<event-5>".into()));
        })),
        ("never asked for", Box::new(|db| db.bookings.push(BookingRow { id: 8, pair: (13, 102), holds: true, cancelled: false }))),
        ("jumps from 1 to 3", Box::new(|db| db.events.retain(|e| e.seq != 2))),
        ("jumps from 4 to 4", Box::new(|db| db.events.push(EventRow { seq: 4, kind: "x".into(), booking: None }))),
        ("1 confirmations and 0 cancellations", Box::new(|db| db.events.iter_mut().filter(|e| e.seq == 3).for_each(|e| e.kind = "other".into()))),
        ("wrote 0 outbox rows", Box::new(|db| db.outbox.retain(|(s, _)| *s != Some(4)))),
        ("written twice", Box::new(|db| db.outbox.push((None, "<event-1>".into())))),
    ];
    for (named, break_it) in defects {
        let mut db = good.clone();
        break_it(&mut db);
        let problems = judge(&ledger, &db);
        assert!(problems.iter().any(|p| p.contains(named)), "a defect ({named}) went unnoticed: {problems:?}");
    }
}
