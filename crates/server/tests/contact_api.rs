//! A month of talking with customers over real HTTP, on SQLite and on
//! PostgreSQL, under a simulated clock. One business (A) raises 21 inquiries
//! on different days — some about its booking — which operators answer after
//! scripted delays, sometimes waiting on the customer (who replies), resolving
//! and once reopening; A and its booked worker message each other about the
//! booking; A files a feature request that a worker votes for, another
//! business's duplicate is merged into it, and it is planned and shipped.
//! Another business and a second worker raise a few inquiries of their own.
//!
//! Then, independently of the server's arithmetic:
//! (a) A's timeline holds every one of those contacts, newest first, with
//!     who acted, and the emails the operators' steps and status changes sent;
//! (b) response times (p50, p90; overall, per customer, and as A sees them)
//!     equal a nearest-rank computation over the script's own instants, which
//!     `GET /inquiries/{id}` reports back exactly; the waiting list is right;
//! (c) the targets CSV parses, one row per inquiry, met / unmet as scripted
//!     against the default office hours (Mon–Fri 09:00–17:00 London);
//! (d) no customer finds another's inquiries, votes or messages through any
//!     list route in the OpenAPI document.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use jiff::{Timestamp, ToSpan, Zoned};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use slivers_store::testing::TestDb;

use common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_month_of_contact() {
    a_month_of_contact(TestDb::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_month_of_contact() {
    if slivers_store::testing::postgres_url().is_none() {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        return eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
    }
    a_month_of_contact(TestDb::Postgres).await;
}

/// The customers of the script. W1 is the worker A books; W2 never works for A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    A,
    B,
    W1,
    W2,
}

impl Who {
    /// A marker in everything this customer writes, so a leak is found by text.
    fn marker(self) -> &'static str {
        match self {
            Who::A => "ALPHA-SECRET",
            Who::B => "BETA-SECRET",
            Who::W1 => "WANDA-SECRET",
            Who::W2 => "WALTER-SECRET",
        }
    }
}

/// An inquiry step. Answer, wait and resolve are the operator's; reply and reopen the customer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Answer,
    Wait,
    Reply,
    Resolve,
    Reopen,
}

impl Act {
    fn name(self) -> &'static str {
        match self {
            Act::Answer => "answer",
            Act::Wait => "wait",
            Act::Reply => "reply",
            Act::Resolve => "resolve",
            Act::Reopen => "reopen",
        }
    }
    fn by_operator(self) -> bool {
        matches!(self, Act::Answer | Act::Wait | Act::Resolve)
    }
    /// The event the step appends, and who the customer's timeline says acted.
    fn event(self) -> (&'static str, &'static str) {
        match self {
            Act::Answer => ("inquiry.answered", "operator"),
            Act::Wait => ("inquiry.waiting", "operator"),
            Act::Reply => ("inquiry.replied", "customer"),
            Act::Resolve => ("inquiry.resolved", "operator"),
            Act::Reopen => ("inquiry.reopened", "customer"),
        }
    }
}

/// (day after the start Monday, hour, minute), London civil time.
type When = (i64, i8, i8);

/// One scripted inquiry and the report's expected `first_response_met` and
/// `resolution_met` at the end (`yes`, `no`, or empty while still running),
/// worked out by hand in business minutes (a day is 480; targets for
/// normal are 480 / 2400, high 240 / 960, urgent 60 / 480, low 960 / 4800).
struct Plan {
    who: Who,
    raised: When,
    category: &'static str,
    priority: &'static str,
    about_booking: bool,
    steps: &'static [(Act, When)],
    met: (&'static str, &'static str),
}

use Act::*;

/// Day 0 is a Monday; 5–6, 12–13, 19–20 and 26–27 are weekends. The month ends on day 29 at 12:00.
const PLANS: &[Plan] = &[
    // 45 min; resolved within the hour.
    Plan { who: Who::A, raised: (0, 10, 0), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (0, 10, 45)), (Resolve, (0, 11, 0))], met: ("yes", "yes") },
    // 180 + 30 business minutes overnight.
    Plan { who: Who::A, raised: (0, 14, 0), category: "booking", priority: "normal", about_booking: true, steps: &[(Answer, (1, 9, 30)), (Resolve, (1, 10, 0))], met: ("yes", "yes") },
    // High: 330 > 240 for the answer; 425 ≤ 960 to resolve.
    Plan { who: Who::A, raised: (1, 11, 0), category: "account", priority: "high", about_booking: false, steps: &[(Answer, (1, 16, 30)), (Resolve, (2, 10, 5))], met: ("no", "yes") },
    // Waiting on A for two days stops the clock: 45 + 120 + 60 business minutes to resolve.
    Plan { who: Who::A, raised: (2, 9, 15), category: "booking", priority: "normal", about_booking: true,
        steps: &[(Wait, (2, 10, 0)), (Reply, (4, 15, 0)), (Answer, (4, 16, 0)), (Resolve, (7, 10, 0))], met: ("yes", "yes") },
    // Thursday to Monday: 965 > 480.
    Plan { who: Who::A, raised: (3, 10, 0), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (7, 10, 5)), (Resolve, (7, 11, 0))], met: ("no", "yes") },
    // Resolved, reopened four days later, resolved again: the latest resolution counts.
    Plan { who: Who::A, raised: (3, 15, 30), category: "booking", priority: "normal", about_booking: false,
        steps: &[(Answer, (3, 16, 0)), (Resolve, (4, 9, 30)), (Reopen, (8, 10, 0)), (Answer, (8, 11, 0)), (Resolve, (8, 12, 0))], met: ("yes", "yes") },
    // Urgent: 30 ≤ 60; 345 ≤ 480.
    Plan { who: Who::A, raised: (4, 10, 0), category: "account", priority: "urgent", about_booking: false, steps: &[(Answer, (4, 10, 30)), (Resolve, (4, 15, 45))], met: ("yes", "yes") },
    Plan { who: Who::A, raised: (7, 9, 30), category: "account", priority: "normal", about_booking: false,
        steps: &[(Answer, (7, 12, 0)), (Wait, (7, 12, 30)), (Reply, (10, 10, 0)), (Resolve, (10, 11, 15))], met: ("yes", "yes") },
    // Answered after 1440 business minutes, never resolved: due on day 15, breached by the end.
    Plan { who: Who::A, raised: (8, 13, 0), category: "booking", priority: "normal", about_booking: true, steps: &[(Answer, (11, 13, 0))], met: ("no", "no") },
    Plan { who: Who::A, raised: (9, 10, 0), category: "account", priority: "low", about_booking: false, steps: &[(Answer, (9, 10, 10)), (Resolve, (9, 10, 20))], met: ("yes", "yes") },
    // Still waiting on A at the end: the resolution clock is held.
    Plan { who: Who::A, raised: (10, 11, 0), category: "booking", priority: "normal", about_booking: false, steps: &[(Wait, (10, 11, 30))], met: ("yes", "") },
    // Friday 16:30 to Monday 09:15: 45 business minutes, almost three days of wall clock.
    Plan { who: Who::A, raised: (11, 16, 30), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (14, 9, 15)), (Resolve, (14, 9, 30))], met: ("yes", "yes") },
    // High: resolution due day 16 10:00, resolved day 18.
    Plan { who: Who::A, raised: (14, 10, 0), category: "account", priority: "high", about_booking: false, steps: &[(Answer, (14, 11, 0)), (Resolve, (18, 16, 0))], met: ("yes", "no") },
    Plan { who: Who::A, raised: (15, 9, 0), category: "booking", priority: "normal", about_booking: true, steps: &[(Answer, (15, 9, 5)), (Resolve, (15, 9, 10))], met: ("yes", "yes") },
    // 180 + 360 = 540 > 480.
    Plan { who: Who::A, raised: (16, 14, 0), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (17, 15, 0)), (Resolve, (17, 15, 5))], met: ("no", "yes") },
    Plan { who: Who::A, raised: (17, 10, 0), category: "account", priority: "normal", about_booking: false,
        steps: &[(Answer, (17, 10, 30)), (Wait, (17, 11, 0)), (Reply, (18, 9, 0)), (Resolve, (21, 10, 0))], met: ("yes", "yes") },
    Plan { who: Who::A, raised: (21, 11, 0), category: "booking", priority: "normal", about_booking: false, steps: &[(Answer, (21, 11, 20)), (Resolve, (21, 11, 40))], met: ("yes", "yes") },
    // Urgent: 180 > 60; 240 ≤ 480.
    Plan { who: Who::A, raised: (22, 10, 0), category: "account", priority: "urgent", about_booking: false, steps: &[(Answer, (22, 13, 0)), (Resolve, (22, 14, 0))], met: ("no", "yes") },
    // Never answered: breached on day 25; resolution still running (1560 of 2400).
    Plan { who: Who::A, raised: (24, 10, 0), category: "account", priority: "normal", about_booking: false, steps: &[], met: ("no", "") },
    Plan { who: Who::A, raised: (25, 10, 0), category: "booking", priority: "normal", about_booking: true, steps: &[(Answer, (25, 10, 30))], met: ("yes", "") },
    // Raised on the last morning: both targets still running.
    Plan { who: Who::A, raised: (29, 9, 45), category: "account", priority: "normal", about_booking: false, steps: &[], met: ("", "") },
    // The others. B on a Saturday (the clock starts on Monday at 09:00).
    Plan { who: Who::B, raised: (12, 10, 0), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (14, 10, 10)), (Resolve, (14, 10, 30))], met: ("yes", "yes") },
    Plan { who: Who::W2, raised: (5, 12, 0), category: "account", priority: "normal", about_booking: false, steps: &[(Answer, (7, 9, 20)), (Resolve, (7, 9, 40))], met: ("yes", "yes") },
    // Never answered: waits longest at the end.
    Plan { who: Who::W2, raised: (19, 16, 0), category: "account", priority: "normal", about_booking: false, steps: &[], met: ("no", "no") },
];

const END: When = (29, 12, 0);

/// Everything the script does, in time order.
#[derive(Debug, Clone, Copy)]
enum Action {
    Raise(usize),
    Step(usize, Act),
    /// A booking message by A or W1, numbered.
    Message(Who, usize),
    File(Who),
    Vote(Who),
    Merge,
    Status(&'static str),
}

/// Nearest rank, defined here independently of `slivers_core`: the value at
/// 1-based rank ⌈p × n / 100⌉ of the values sorted ascending (rank at least 1).
fn nearest_rank(values: &[i64], p: usize) -> Option<i64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).max(1);
    Some(v[rank - 1])
}

fn percentiles(values: &[i64]) -> Value {
    json!({"count": values.len(), "p50": nearest_rank(values, 50), "p90": nearest_rank(values, 90)})
}

/// Whole minutes from `a` to `b`, rounded down.
fn minutes(a: Timestamp, b: Timestamp) -> i64 {
    b.duration_since(a).as_secs().div_euclid(60)
}

fn ts(v: &Value) -> Option<Timestamp> {
    v.as_str().map(|s| s.parse().unwrap_or_else(|e| panic!("{s}: {e}")))
}

/// The instants one inquiry's script fixes: opened, first operator response, latest standing resolution.
struct Times {
    who: Who,
    opened: Timestamp,
    first: Option<Timestamp>,
    resolved: Option<Timestamp>,
}

async fn a_month_of_contact(db: TestDb) {
    let (secs, clock) = common::manual_clock();
    let monday: Zoned = common::monday_after_next();
    let at = |(day, h, m): When| -> Timestamp {
        let date = monday.date().checked_add(day.days()).expect("date");
        date.at(h, m, 0, 0).to_zoned(monday.time_zone().clone()).expect("zoned").timestamp()
    };
    let set = |t: Timestamp| secs.store(t.as_second(), Ordering::SeqCst);
    set(at((0, 8, 0)));
    let app = common::spawn_with_clock(db, clock).await.expect("app");
    let op = app.operator.clone();
    let limits = json!({"max_minutes_per_day": 720, "max_minutes_per_week": 3000, "min_rest_minutes": 60, "min_notice_minutes": 0});
    let (a, site_a, ta) = app.business("Alpha Cafe").await;
    let (b, _, tb) = app.business("Beta Bakery").await;
    let (w1, tw1) = app.worker("Wanda One", limits.clone()).await;
    let (w2, tw2) = app.worker("Walter Two", limits).await;
    let token = |who: Who| match who {
        Who::A => ta.clone(),
        Who::B => tb.clone(),
        Who::W1 => tw1.clone(),
        Who::W2 => tw2.clone(),
    };

    // A books W1 for Wednesday of week two. An offer for Thursday shows the
    // booking routes side by side: messages wait for the match, then the
    // action route (`/bookings/{id}/accept`) and the messages route both answer.
    let shift = app.shift(&ta, Some(site_a), at((9, 9, 0)), 240, 1).await;
    let booking = app.ok(Method::POST, &format!("/shifts/{shift}/bookings"), &ta, Some(json!({"worker_id": w1, "mode": "instant"}))).await;
    let booking = booking["id"].as_i64().expect("booking");
    let later = app.shift(&ta, Some(site_a), at((10, 9, 0)), 240, 1).await;
    let offer = app.ok(Method::POST, &format!("/shifts/{later}/bookings"), &ta, Some(json!({"worker_id": w1, "mode": "offer"}))).await;
    let offer = offer["id"].as_i64().expect("offer");
    let hello = json!({"text": "Before you accept: parking is at the back."});
    let (status, refused) = app.call(Method::POST, &format!("/bookings/{offer}/messages"), Some(&ta), Some(hello.clone())).await;
    assert_eq!((status, refused["rules"].clone()), (StatusCode::CONFLICT, json!(["messages"])), "{refused}");
    assert_eq!(app.ok(Method::POST, &format!("/bookings/{offer}/accept"), &tw1, None).await["status"], "confirmed");
    let (status, sent) = app.call(Method::POST, &format!("/bookings/{offer}/messages"), Some(&ta), Some(hello)).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (status, _) = app.call(Method::POST, &format!("/bookings/{offer}/cancel"), Some(&ta), None).await;
    assert_eq!(status, StatusCode::OK, "the action route still answers after a message");
    let first_contact = at((0, 8, 59)); // everything above is set-up, before the month's contacts

    // ---- The script, in time order. ----
    let mut actions: Vec<(Timestamp, Action)> = Vec::new();
    for (i, p) in PLANS.iter().enumerate() {
        actions.push((at(p.raised), Action::Raise(i)));
        for &(act, when) in p.steps {
            actions.push((at(when), Action::Step(i, act)));
        }
    }
    for (n, (who, when)) in [(Who::A, (1, 12, 0)), (Who::W1, (1, 12, 30)), (Who::A, (8, 9, 0)), (Who::W1, (9, 14, 0)), (Who::A, (9, 14, 20))].into_iter().enumerate() {
        actions.push((at(when), Action::Message(who, n)));
    }
    actions.extend([
        (at((2, 15, 0)), Action::File(Who::A)),
        (at((5, 11, 0)), Action::File(Who::B)),
        (at((6, 11, 0)), Action::Vote(Who::W2)),
        (at((9, 15, 0)), Action::Merge),
        (at((16, 12, 0)), Action::Status("planned")),
        (at((23, 12, 0)), Action::Status("shipped")),
    ]);
    actions.sort_by_key(|(t, _)| *t);
    assert!(actions.windows(2).all(|w| w[0].0 < w[1].0), "the script gives every action its own minute");

    let mut ids: Vec<i64> = vec![0; PLANS.len()];
    let mut requests: BTreeMap<Who, i64> = BTreeMap::new();
    // What A's timeline must show: (at, kind, who).
    let mut expect_a: Vec<(Timestamp, &'static str, &'static str)> = Vec::new();
    let mut messages: Vec<i64> = Vec::new();
    for &(t, action) in &actions {
        set(t);
        match action {
            Action::Raise(i) => {
                let p = &PLANS[i];
                let m = p.who.marker();
                let mut body = json!({"category": p.category, "priority": p.priority, "subject": format!("{m} inquiry {i}"), "text": format!("{m} question {i}")});
                if p.about_booking {
                    body["about"] = json!({"kind": "booking", "id": booking});
                }
                let q = app.ok(Method::POST, "/inquiries", &token(p.who), Some(body)).await;
                assert_eq!((q["status"].as_str(), ts(&q["opened_at"])), (Some("open"), Some(t)), "{q}");
                ids[i] = q["id"].as_i64().expect("inquiry id");
                if p.who == Who::A {
                    expect_a.push((t, "inquiry.raised", "customer"));
                }
            }
            Action::Step(i, act) => {
                let p = &PLANS[i];
                let by = if act.by_operator() { op.clone() } else { token(p.who) };
                let body = json!({"action": act.name(), "text": format!("{} {} on {i}", p.who.marker(), act.name())});
                app.ok(Method::POST, &format!("/inquiries/{}/steps", ids[i]), &by, Some(body)).await;
                if p.who == Who::A {
                    let (kind, who) = act.event();
                    expect_a.push((t, kind, who));
                }
            }
            Action::Message(who, n) => {
                let body = json!({"text": format!("{} message {n}", who.marker())});
                let m = app.ok(Method::POST, &format!("/bookings/{booking}/messages"), &token(who), Some(body)).await;
                assert_eq!(m["author"], if who == Who::A { "business" } else { "worker" }, "{m}");
                messages.push(m["id"].as_i64().expect("message id"));
                expect_a.push((t, "message.sent", if who == Who::A { "customer" } else { "counterpart" }));
            }
            Action::File(who) => {
                let title = if who == Who::A { "Shift templates" } else { "Copy a week of shifts" };
                let r = app.ok(Method::POST, "/feature-requests", &token(who), Some(json!({"title": title, "text": format!("{} we copy weeks by hand", who.marker())}))).await;
                requests.insert(who, r["id"].as_i64().expect("request id"));
                if who == Who::A {
                    expect_a.push((t, "feedback.filed", "customer"));
                }
            }
            Action::Vote(who) => {
                let v = app.ok(Method::POST, &format!("/feature-requests/{}/votes", requests[&Who::A]), &token(who), Some(json!({"text": format!("{} me too", who.marker())}))).await;
                assert_eq!((v["businesses"].as_i64(), v["workers"].as_i64()), (Some(1), Some(1)), "{v}");
                assert_eq!(v["links"].as_array().map(Vec::len), Some(1), "a voter sees only their own link: {v}");
            }
            Action::Merge => {
                let s = app.ok(Method::POST, &format!("/feature-requests/{}/merge", requests[&Who::B]), &op, Some(json!({"survivor_id": requests[&Who::A]}))).await;
                assert_eq!((s["businesses"].as_i64(), s["workers"].as_i64()), (Some(2), Some(1)), "{s}");
            }
            Action::Status(status) => {
                let s = app.ok(Method::POST, &format!("/feature-requests/{}/status", requests[&Who::A]), &op, Some(json!({"status": status}))).await;
                assert_eq!(s["status"], status);
                expect_a.push((t, "feedback.status_changed", "operator"));
            }
        }
    }
    set(at(END));
    let end = at(END);

    // ---- (a) A's timeline: every contact, newest first, who acted. ----
    let timeline = app.ok(Method::GET, &format!("/businesses/{a}/timeline?category=inquiry,message,feedback&limit=1000"), &ta, None).await;
    let got: Vec<(Timestamp, String, String)> = timeline
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| ts(&i["at"]).is_some_and(|t| t > first_contact))
        .map(|i| (ts(&i["at"]).expect("at"), i["kind"].as_str().unwrap_or("").to_string(), i["who"].as_str().unwrap_or("").to_string()))
        .collect();
    expect_a.reverse(); // newest first
    let want: Vec<(Timestamp, String, String)> = expect_a.iter().map(|(t, k, w)| (*t, k.to_string(), w.to_string())).collect();
    assert_eq!(got, want, "A's timeline of inquiries, messages and feedback");
    let raised = PLANS.iter().filter(|p| p.who == Who::A).count();
    assert_eq!(got.iter().filter(|x| x.1 == "inquiry.raised").count(), raised);
    for kind in ["inquiry.answered", "inquiry.waiting", "inquiry.replied", "inquiry.resolved", "inquiry.reopened", "message.sent", "feedback.filed", "feedback.status_changed"] {
        assert!(got.iter().any(|x| x.1 == kind), "{kind} missing from A's timeline");
    }
    // A category filter fills its page even when other kinds of contact are newer.
    let feedback = app.ok(Method::GET, &format!("/businesses/{a}/timeline?category=feedback&limit=3"), &ta, None).await;
    let want: Vec<&Value> = timeline.as_array().expect("items").iter().filter(|i| i["category"] == "feedback").take(3).collect();
    assert_eq!(feedback.as_array().map(|l| l.iter().collect::<Vec<_>>()), Some(want), "the three feedback items, newest first");
    // The emails those contacts sent: one per operator step on A's inquiries, one per status change.
    let emails = app.ok(Method::GET, &format!("/businesses/{a}/timeline?category=email&limit=1000"), &ta, None).await;
    let about = |topic: &str| emails.as_array().expect("items").iter().filter(|e| e["summary"].as_str().is_some_and(|s| s.starts_with(&format!("email about {topic} ")))).count();
    let operator_steps = PLANS.iter().filter(|p| p.who == Who::A).flat_map(|p| p.steps).filter(|(act, _)| act.by_operator()).count();
    assert_eq!((about("inquiries"), about("feedback")), (operator_steps, 2), "{emails}");
    // The worker's side of the conversation is on the worker's timeline too.
    let w1_line = app.ok(Method::GET, &format!("/workers/{w1}/timeline?category=message"), &tw1, None).await;
    assert_eq!(w1_line.as_array().map(Vec::len), Some(messages.len() + 1), "{w1_line}"); // and the offer's message
    let thread = app.ok(Method::GET, &format!("/bookings/{booking}/messages"), &tw1, None).await;
    assert_eq!(thread.as_array().expect("messages").iter().map(|m| m["id"].as_i64().expect("id")).collect::<Vec<_>>(), messages);

    // ---- (b) Response times against the script's own instants. ----
    let times: Vec<Times> = PLANS
        .iter()
        .map(|p| {
            let first = p.steps.iter().filter(|(act, _)| act.by_operator()).map(|(_, w)| at(*w)).min();
            let resolved = p.steps.iter().fold(None, |r, (act, w)| match act {
                Resolve => Some(at(*w)),
                Reopen => None,
                _ => r,
            });
            Times { who: p.who, opened: at(p.raised), first, resolved }
        })
        .collect();
    // The server reports exactly those instants.
    for (i, t) in times.iter().enumerate() {
        let q = app.ok(Method::GET, &format!("/inquiries/{}", ids[i]), &token(t.who), None).await;
        let got = (ts(&q["inquiry"]["opened_at"]), ts(&q["inquiry"]["first_response_at"]), ts(&q["inquiry"]["resolved_at"]));
        assert_eq!(got, (Some(t.opened), t.first, t.resolved), "inquiry {i}: {q}");
        let texts = PLANS[i].steps.len() + 1;
        assert_eq!(q["messages"].as_array().map(Vec::len), Some(texts), "inquiry {i}: the raise and every step are in the thread");
    }
    let stats = |who: Option<Who>| {
        let mine: Vec<&Times> = times.iter().filter(|t| who.is_none_or(|w| t.who == w)).collect();
        let first: Vec<i64> = mine.iter().filter_map(|t| t.first.map(|f| minutes(t.opened, f))).collect();
        let resolved: Vec<i64> = mine.iter().filter_map(|t| t.resolved.map(|r| minutes(t.opened, r))).collect();
        json!({"inquiries": mine.len(), "first_response": percentiles(&first), "resolution": percentiles(&resolved)})
    };
    let customer = |who: Who| match who {
        Who::A => json!({"kind": "business", "id": a}),
        Who::B => json!({"kind": "business", "id": b}),
        Who::W1 => json!({"kind": "worker", "id": w1}),
        Who::W2 => json!({"kind": "worker", "id": w2}),
    };
    let all = app.ok(Method::GET, "/inquiries/response-times", &op, None).await;
    assert_eq!(all["overall"], stats(None), "overall, as operators see it");
    let per: BTreeMap<String, Value> = all["per_customer"].as_array().expect("per customer").iter().map(|c| (c["customer"].to_string(), c["stats"].clone())).collect();
    assert_eq!(per.len(), 3, "{all}");
    for who in [Who::A, Who::B, Who::W2] {
        assert_eq!(per[&customer(who).to_string()], stats(Some(who)), "{who:?}, as operators see it");
    }
    // Both oldest unanswered inquiries, W2's first; A has two unanswered.
    let waiting = |i: usize, n: usize| json!({"customer": customer(PLANS[i].who), "inquiry_id": ids[i], "opened_at": times[i].opened, "waiting_minutes": minutes(times[i].opened, end), "unanswered": n});
    assert_eq!(all["waiting_longest"], json!([waiting(23, 1), waiting(18, 2)]), "{all}");
    let own = app.ok(Method::GET, "/inquiries/response-times", &ta, None).await;
    assert_eq!(own["overall"], stats(Some(Who::A)), "A's own");
    assert_eq!(own["per_customer"], json!([{"customer": customer(Who::A), "stats": stats(Some(Who::A))}]));
    assert_eq!(own["waiting_longest"], json!([waiting(18, 2)]));
    let filtered = app.ok(Method::GET, &format!("/inquiries/response-times?business_id={a}"), &op, None).await;
    assert_eq!(filtered["overall"], stats(Some(Who::A)), "the operator's view of A alone");
    eprintln!("response times over {} inquiries: {}", PLANS.len(), all["overall"]);

    // ---- (c) The targets report. ----
    let report = |token: String| {
        let app = &app;
        async move {
            let res = app.client.get(format!("{}/api/v1/inquiries/report.csv", app.base)).bearer_auth(token).send().await.expect("report");
            assert_eq!(res.status(), StatusCode::OK);
            let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            assert!(ct.starts_with("text/csv"), "{ct}");
            res.text().await.expect("csv")
        }
    };
    let csv_a = report(ta.clone()).await;
    let mut reader = csv::Reader::from_reader(csv_a.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {headers:?}"));
    let (id_col, first_col, resolution_col, category_col) = (col("inquiry_id"), col("first_response_met"), col("resolution_met"), col("category"));
    let rows: BTreeMap<i64, (String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            (r[id_col].parse().expect("id"), (r[category_col].to_string(), r[first_col].to_string(), r[resolution_col].to_string()))
        })
        .collect();
    let want: BTreeMap<i64, (String, String, String)> = PLANS
        .iter()
        .enumerate()
        .filter(|(_, p)| p.who == Who::A)
        .map(|(i, p)| (ids[i], (p.category.to_string(), p.met.0.to_string(), p.met.1.to_string())))
        .collect();
    assert_eq!(rows, want, "one row per inquiry of A, met as scripted");
    let everyone = csv::Reader::from_reader(report(op.clone()).await.as_bytes()).records().count();
    assert_eq!(everyone, PLANS.len(), "operators: one row per inquiry");
    // A change of targets keeps the promises already made.
    let mut settings = app.ok(Method::GET, "/contact-settings", &ta, None).await;
    for row in settings["targets"].as_array_mut().expect("targets") {
        row["first_response_minutes"] = json!(30);
    }
    app.ok(Method::PUT, "/contact-settings", &op, Some(settings.clone())).await;
    assert_eq!(app.ok(Method::GET, "/contact-settings", &tw2, None).await, settings);
    assert_eq!(report(ta.clone()).await, csv_a, "targets already promised do not move");

    // ---- (d) Nobody finds another customer's inquiries, votes or messages. ----
    for who in [Who::A, Who::B, Who::W2] {
        let list = app.ok(Method::GET, "/inquiries?limit=1000", &token(who), None).await;
        let got: BTreeSet<i64> = list.as_array().expect("list").iter().map(|q| q["id"].as_i64().expect("id")).collect();
        let own: BTreeSet<i64> = PLANS.iter().enumerate().filter(|(_, p)| p.who == who).map(|(i, _)| ids[i]).collect();
        assert_eq!(got, own, "{who:?}'s GET /inquiries");
    }
    // The list's filters and pages, as operators and A use them.
    let listed = |path: String, token: String| {
        let app = &app;
        async move {
            let v = app.ok(Method::GET, &path, &token, None).await;
            v.as_array().expect("list").iter().map(|q| q["id"].as_i64().expect("id")).collect::<Vec<i64>>()
        }
    };
    let chosen = |f: &dyn Fn(usize, &Plan) -> bool| PLANS.iter().enumerate().filter(|(i, p)| f(*i, p)).map(|(i, _)| ids[i]).collect::<Vec<i64>>();
    assert_eq!(listed("/inquiries?status=waiting_on_customer".into(), op.clone()).await, chosen(&|i, _| i == 10));
    let booking_a = chosen(&|_, p| p.who == Who::A && p.category == "booking");
    assert_eq!(listed(format!("/inquiries?category=booking&business_id={a}&limit=1000"), op.clone()).await, booking_a);
    let (from, to) = (at((7, 0, 0)), at((14, 0, 0)));
    let window = listed(format!("/inquiries?opened_from={from}&opened_to={to}&limit=1000"), op.clone()).await;
    let mut in_week = chosen(&|_, p| (7..14).contains(&p.raised.0));
    in_week.sort_unstable(); // the list is oldest first, and ids follow the order raised
    assert_eq!(window, in_week, "week two, everyone's");
    let page = listed("/inquiries?limit=5&offset=5".into(), ta.clone()).await;
    assert_eq!(page, chosen(&|_, p| p.who == Who::A)[5..10].to_vec(), "A's second page of five");
    let (status, _) = app.call(Method::GET, &format!("/bookings/{booking}/messages"), Some(&tb), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "B reads A's conversation");
    let (status, _) = app.call(Method::GET, &format!("/bookings/{booking}/messages"), Some(&tw2), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "W2 reads A's conversation with W1");
    let who_asked = app.ok(Method::GET, &format!("/feature-requests/{}/who-asked", requests[&Who::A]), &op, None).await;
    assert_eq!(who_asked["customers"].as_array().map(Vec::len), Some(3), "operators see every asker once: {who_asked}");
    walk_lists(&app, Who::A, &ta, &[Who::B, Who::W2], &[format!("/businesses/{a}/timeline?limit=1000")]).await;
    walk_lists(&app, Who::B, &tb, &[Who::A, Who::W1, Who::W2], &[format!("/businesses/{b}/timeline?limit=1000")]).await;
    walk_lists(&app, Who::W2, &tw2, &[Who::A, Who::B, Who::W1], &[format!("/workers/{w2}/timeline?limit=1000")]).await;
    walk_lists(&app, Who::W1, &tw1, &[Who::B, Who::W2], &[format!("/workers/{w1}/timeline?limit=1000")]).await;

    // The request bodies' documented bounds are the ones the store enforces.
    let spec = app.ok(Method::GET, "/openapi.json", &op, None).await;
    let schemas = &spec["components"]["schemas"];
    use slivers_core::contact::{BODY_CHARS, SUBJECT_CHARS, TITLE_CHARS, VOTE_CHARS, REASON_CHARS};
    for (schema, field, bounds) in [("RaiseInquiry", "subject", SUBJECT_CHARS), ("RaiseInquiry", "text", BODY_CHARS), ("StepBody", "text", BODY_CHARS),
        ("FileRequest", "title", TITLE_CHARS), ("FileRequest", "text", BODY_CHARS), ("VoteBody", "text", VOTE_CHARS),
        ("StatusBody", "reason", REASON_CHARS), ("MessageBody", "text", BODY_CHARS)] {
        assert_eq!(schemas[schema]["properties"][field]["maxLength"].as_u64(), u64::try_from(bounds.1).ok(), "{schema}.{field}: {}", schemas[schema]);
    }
    // Every schema the document refers to is in it (each body type derives `ToSchema`).
    let mut found = BTreeSet::new();
    refs(&spec, &mut found);
    let dangling: Vec<&String> = found.iter().filter(|r| r.strip_prefix("#/components/schemas/").is_none_or(|name| schemas.get(name).is_none())).collect();
    assert!(dangling.is_empty(), "references to missing schemas: {dangling:?}");
    for name in ["ContactSettings", "Inquiry", "InquiryThread", "ResponseTimes", "FeatureRequest", "WhoAsked", "BookingMessage"] {
        assert!(found.contains(&format!("#/components/schemas/{name}")), "{name} is not referenced");
    }
}

/// Every `$ref` in a JSON document.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x.as_str()) {
                    ("$ref", Some(r)) => {
                        out.insert(r.to_string());
                    }
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Every GET route of the OpenAPI document without a path parameter, plus
/// `extra`, as `who`: no body may carry another customer's words, and the
/// caller's own words show up somewhere (so the markers are real).
async fn walk_lists(app: &TestApp, who: Who, token: &str, others: &[Who], extra: &[String]) {
    let spec = app.ok(Method::GET, "/openapi.json", token, None).await;
    let mut paths: Vec<String> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(p, item)| item.get("get").is_some() && !p.contains('{') && p.as_str() != "/openapi.json")
        .map(|(p, _)| p.clone())
        .collect();
    assert!(paths.iter().any(|p| p == "/inquiries") && paths.iter().any(|p| p == "/feature-requests"), "{paths:?}");
    paths.extend(extra.iter().cloned());
    // W1 raised nothing: its words are only in A's conversation, which is no list.
    let mut found_own = who == Who::W1;
    for path in &paths {
        let (status, body) = app.call(Method::GET, path, Some(token), None).await;
        assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{who:?} GET {path}: 500");
        let text = body.to_string();
        found_own |= text.contains(who.marker());
        for other in others {
            assert!(!text.contains(other.marker()), "{who:?} GET {path} shows {other:?}'s words: {text}");
        }
    }
    assert!(found_own, "{who:?}'s own words show somewhere (the walk is not vacuous)");
}
