//! The worker's "why not" against the business's explain, on the agreement
//! test's markets. Two checks:
//!
//! * on every (shift, worker, mode) triple the index explains, the verdict
//!   framed for the worker (`disclosure::for_worker`) and for the business
//!   (`disclosure::for_business`) have the same rules with the same pass or
//!   fail, equal to the brute-force verdict's (`check`);
//! * through the use cases themselves (`matching::why_not` as the worker,
//!   `matching::explain` as the shift's business) on an exchange that builds
//!   its index from the event log, for every open shift and a sample of
//!   workers: the same outcomes again, and the worker's answer carries no
//!   business-private field (bill rate, headcount, notes, settings).

use std::collections::HashMap;

use fastrand::Rng;
use jiff::Timestamp;
use slivers_core::business::ShiftStatus;
use slivers_core::disclosure::{for_business, for_worker};
use slivers_core::ids::{ShiftId, WorkerId};
use slivers_core::rules::{Mode, Rule, Verdict};
use slivers_core::worker::Worker;
use slivers_exchange::{matching, Exchange, Principal};
use slivers_store::{Actor, Scope, Store};

/// Workers sampled per shift for the use-case comparison (each costs a few queries).
const SAMPLED_WORKERS: usize = 8;
/// Keys of a shift a worker must never read.
const BUSINESS_PRIVATE_KEYS: [&str; 6] = ["\"bill_rate\"", "\"headcount\"", "\"notes\"", "\"wave", "\"billing", "\"business_id\""];

#[derive(Debug, Default)]
pub struct Counts {
    /// Triples whose two framings were compared with the brute force.
    pub framed: usize,
    /// Pairs compared through `why_not` and `explain`.
    pub use_cases: usize,
    pub failing_seen: usize,
    pub disagreements: usize,
    pub leaks: usize,
    pub reports: Vec<String>,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.framed += o.framed;
        self.use_cases += o.use_cases;
        self.failing_seen += o.failing_seen;
        self.disagreements += o.disagreements;
        self.leaks += o.leaks;
        self.reports.extend(o.reports);
    }

    fn report(&mut self, r: impl FnOnce() -> String) {
        if self.reports.len() < 6 {
            self.reports.push(r());
        }
    }
}

fn outcomes(v: &Verdict) -> Vec<(Rule, bool)> {
    v.checks.iter().map(|c| (c.rule, c.pass)).collect()
}

/// One triple: the index's verdict framed both ways against the brute force.
pub fn framed(c: &mut Counts, w: &Worker, said: &Verdict, truth: &Verdict, tag: impl Fn() -> String) {
    c.framed += 1;
    let mine = for_worker(said, w);
    let theirs = for_business(said);
    if outcomes(&mine) != outcomes(&theirs) || outcomes(&mine) != outcomes(truth) || mine.allowed != theirs.allowed || mine.allowed != truth.allowed {
        c.disagreements += 1;
        c.report(|| format!("{}: worker framing {:?} vs business {:?} vs truth {:?}", tag(), outcomes(&mine), outcomes(&theirs), outcomes(truth)));
    }
}

/// The use cases over an exchange that reads the store's event log.
pub async fn use_cases(c: &mut Counts, store: std::sync::Arc<dyn Store>, now: Timestamp, truth: &HashMap<(ShiftId, WorkerId, Mode), Verdict>, seed: u64) {
    let ex = Exchange::with_clock(store.clone(), std::sync::Arc::new(move || now));
    ex.refresh().await;
    let mut rng = Rng::with_seed(seed ^ 0x_3A7_B07);
    let shifts = store.list_shifts(&Default::default(), &Scope::All, slivers_store::Page::all()).await.unwrap();
    let workers = store.list_workers(slivers_store::Page::all()).await.unwrap();
    for s in shifts.iter().filter(|s| s.status == ShiftStatus::Open) {
        let business = Principal { scope: Scope::Business(s.business_id), actor: Actor::system() };
        for _ in 0..SAMPLED_WORKERS.min(workers.len()) {
            let w = &workers[rng.usize(..workers.len())];
            let me = Principal { scope: Scope::Worker(w.id), actor: Actor::system() };
            for mode in [Mode::Instant, Mode::Offer] {
                c.use_cases += 1;
                let why = matching::why_not(&ex, &me, s.id, None, mode).await.unwrap();
                let exp = matching::explain(&ex, &business, s.id, w.id, mode).await.unwrap();
                let mine: Vec<_> = why.checks.iter().map(|k| (k.rule, k.pass)).collect();
                let want = truth.get(&(s.id, w.id, mode)).map(outcomes);
                if why.checks.iter().any(|k| !k.pass) {
                    c.failing_seen += 1;
                }
                if mine != outcomes(&exp) || why.allowed != exp.allowed || want.as_ref().is_some_and(|t| *t != mine) {
                    c.disagreements += 1;
                    c.report(|| format!("shift {} worker {} {mode:?}: why-not {mine:?}, explain {:?}, truth {want:?}", s.id, w.id, outcomes(&exp)));
                }
                let body = serde_json::to_string(&why).unwrap();
                if let Some(k) = BUSINESS_PRIVATE_KEYS.iter().find(|k| body.contains(*k)) {
                    c.leaks += 1;
                    c.report(|| format!("why-not for shift {} leaks {k}: {body}", s.id));
                }
            }
        }
    }
}
