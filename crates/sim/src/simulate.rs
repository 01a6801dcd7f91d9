//! One simulation from start to finish: the month through the exchange, then
//! in the same run the independent re-check of every limit, the LP upper
//! bound on fill and the greedy first-come baseline over the same shifts and
//! profiles, each measured by the same `slivers_outcomes::measure`.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use slivers_outcomes::metrics::{measure, Metrics};
use slivers_store::Store;

use crate::bound::{fill_bound, Bound};
use crate::engine::{self, Run, SimError};
use crate::plan::{plan, Spec};
use crate::{eligibility, greedy};

/// Which reference points to compute (they cost a minute or two at full size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct References {
    pub bound: bool,
    pub greedy: bool,
}

/// What the independent re-check found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Violations {
    /// Holding bookings decided again by the rule checker.
    pub checked: usize,
    /// One line per broken limit; must be empty.
    pub broken: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Seconds {
    pub month: f64,
    pub recheck: f64,
    pub bound: f64,
    pub greedy: f64,
}

/// A finished simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub spec: Spec,
    pub run: Run,
    pub metrics: Metrics,
    pub violations: Violations,
    pub bound: Option<Bound>,
    /// The same LP over the pairs whose worker would ever take the shift
    /// under the behaviour model (asked with an empty week) or who take
    /// instant bookings: still an upper bound for any way of choosing, and
    /// the one the fill goal is judged against.
    pub bound_willing: Option<Bound>,
    /// The first-come baseline's outcomes over the same shifts.
    pub greedy: Option<Metrics>,
    /// Eligible (worker, shift) pairs the references were computed over.
    pub pairs: usize,
    pub seconds: Seconds,
}

/// Run `spec`'s month into `store` (an empty database) and measure it.
pub async fn simulate(store: Arc<dyn Store>, spec: &Spec, refs: References, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<Simulation, SimError> {
    let started = Instant::now();
    let plan = plan(spec);
    let run = engine::run(store.clone(), spec, &plan, progress).await?;
    let month = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let period = spec.period();
    let ids: Vec<_> = run.workers_end.iter().map(|w| w.id).collect();
    let recheck = slivers_exchange::recheck::recheck(&*store, &ids, |b| b.window.start >= period.start && b.window.start < period.end).await?;
    let violations = Violations { checked: recheck.checked, broken: recheck.broken };
    let recheck_seconds = started.elapsed().as_secs_f64();
    let metrics = measure(&run.record);

    let (mut bound, mut bound_willing, mut greedy_metrics, mut pairs_n, mut bound_s, mut greedy_s) = (None, None, None, 0, 0.0, 0.0);
    if refs.bound || refs.greedy {
        let (start, end, posted) = (run.workers_start.clone(), run.workers_end.clone(), run.posted.clone());
        let behaviour = spec.behaviour;
        let want = refs;
        let out = tokio::task::spawn_blocking(move || {
            let pairs = eligibility::pairs_either(&start, &end, &posted);
            let n: usize = pairs.by_shift.iter().map(Vec::len).sum();
            let t = Instant::now();
            let b = if want.bound {
                let willing = eligibility::Pairs {
                    by_shift: pairs
                        .by_shift
                        .iter()
                        .zip(&posted)
                        .map(|(ws, p)| {
                            ws.iter().copied().filter(|&w| end[w as usize].instant_book || behaviour.ever_willing(&end[w as usize], &p.shift)).collect()
                        })
                        .collect(),
                };
                Some((fill_bound(&end, &posted, &pairs), fill_bound(&end, &posted, &willing)))
            } else {
                None
            };
            let b_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let g = want.greedy.then(|| measure(&greedy::first_come(&end, &posted, &pairs, &behaviour, period)));
            (n, b, b_s, g, t.elapsed().as_secs_f64())
        })
        .await
        .map_err(|e| SimError::Plan(format!("the reference computation panicked: {e}")))?;
        pairs_n = out.0;
        if let Some((all, willing)) = out.1 {
            bound = Some(all.map_err(|e| SimError::Plan(format!("the LP bound failed: {e}")))?);
            bound_willing = Some(willing.map_err(|e| SimError::Plan(format!("the LP bound failed: {e}")))?);
        }
        bound_s = out.2;
        greedy_metrics = out.3;
        greedy_s = out.4;
    }
    Ok(Simulation {
        spec: spec.clone(),
        run,
        metrics,
        violations,
        bound,
        bound_willing,
        greedy: greedy_metrics,
        pairs: pairs_n,
        seconds: Seconds { month, recheck: recheck_seconds, bound: bound_s, greedy: greedy_s },
    })
}
