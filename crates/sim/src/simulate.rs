//! One simulation from start to finish: the month through the exchange, then
//! in the same run the independent re-check of every limit, the LP upper
//! bound on fill and the greedy first-come baseline over the same shifts and
//! profiles, each measured by the same `slivers_outcomes::measure`.

use std::sync::Arc;
use std::time::Instant;

use std::collections::BTreeSet;

use serde::Serialize;
use slivers_core::ids::WorkerId;
use slivers_outcomes::Record;
use slivers_outcomes::metrics::{measure, Metrics};
use slivers_store::Store;

use crate::bound::{fill_bound, Bound};
use crate::engine::{self, Run, SimError};
use crate::plan::{plan, Spec};
use crate::{eligibility, greedy, PostedShift};
use slivers_outcomes::metrics::QUICK_FILL_MINUTES;

/// Which reference points to compute (eligibility is always computed: it
/// sets the population hours fairness is measured over).
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
    pub eligibility: f64,
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
    /// Workers eligible for at least one shift: hours fairness is measured over those who want hours.
    pub eligible_workers: usize,
    /// Urgent shifts of the period for which no eligible worker would ever
    /// say yes (nor takes instant bookings): filled by no policy.
    pub urgent_without_anyone: usize,
    /// Urgent shifts of the period with at least as many eligible workers as
    /// places who could hold one within 30 minutes of the posting (they take
    /// instant bookings, or would say yes and answer that fast): no way of
    /// choosing fills more of them that quickly.
    pub urgent_quick_possible: usize,
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

    // Who could have worked at all this month: the population hours fairness
    // is measured over, for the exchange and the baseline alike (a worker no
    // shift could use says nothing about how the exchange shares work out).
    let (start, end, posted) = (run.workers_start.clone(), run.workers_end.clone(), run.posted.clone());
    let behaviour = spec.behaviour;
    let want = refs;
    let out = tokio::task::spawn_blocking(move || {
        let t = Instant::now();
        let pairs = eligibility::pairs_either(&start, &end, &posted);
        let pairs_s = t.elapsed().as_secs_f64();
        let mut eligible: BTreeSet<WorkerId> = BTreeSet::new();
        for ws in &pairs.by_shift {
            eligible.extend(ws.iter().map(|&w| end[w as usize].id));
        }
        let t = Instant::now();
        let willing = eligibility::Pairs {
            by_shift: pairs
                .by_shift
                .iter()
                .zip(&posted)
                .map(|(ws, p)| ws.iter().copied().filter(|&w| end[w as usize].instant_book || behaviour.ever_willing(&end[w as usize], &p.shift)).collect())
                .collect(),
        };
        let urgent: Vec<_> = posted
            .iter()
            .zip(&willing.by_shift)
            .filter(|(p, _)| {
                let urgent = p.shift.window.start.duration_since(p.posted_at).as_mins() < slivers_outcomes::URGENT_MINUTES;
                urgent && p.shift.headcount > 0 && p.shift.window.start >= period.start && p.shift.window.start < period.end
            })
            .collect();
        // Urgent shifts that nobody eligible would ever take: no way of choosing fills them.
        let hopeless = urgent.iter().filter(|(_, ws)| ws.is_empty()).count();
        // Urgent shifts with enough people who could hold a place within 30
        // minutes of the posting if asked at once; each shift alone, so an
        // upper bound on the urgent goal for any way of choosing.
        let quick = |p: &PostedShift, w: u32| behaviour.could_confirm_within(&end[w as usize], &p.shift, QUICK_FILL_MINUTES);
        let quick_possible = urgent.iter().filter(|(p, ws)| ws.iter().filter(|&&w| quick(p, w)).count() >= p.shift.headcount as usize).count();
        let b = want.bound.then(|| (fill_bound(&end, &posted, &pairs), fill_bound(&end, &posted, &willing)));
        let b_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let g = want.greedy.then(|| greedy::first_come(&end, &posted, &pairs, &behaviour, period));
        let n: usize = pairs.by_shift.iter().map(Vec::len).sum();
        (n, eligible, hopeless, quick_possible, pairs_s, b, b_s, g, t.elapsed().as_secs_f64())
    })
    .await
    .map_err(|e| SimError::Plan(format!("the reference computation panicked: {e}")))?;
    let (pairs_n, eligible, urgent_without_anyone, urgent_quick_possible, pairs_s, bounds, bound_s, greedy_record, greedy_s) = out;
    let (mut bound, mut bound_willing) = (None, None);
    if let Some((all, willing)) = bounds {
        bound = Some(all.map_err(|e| SimError::Plan(format!("the LP bound failed: {e}")))?);
        bound_willing = Some(willing.map_err(|e| SimError::Plan(format!("the LP bound failed: {e}")))?);
    }
    let among_eligible = |mut r: Record| {
        r.workers.retain(|w| eligible.contains(&w.id));
        measure(&r)
    };
    let metrics = among_eligible(run.record.clone());
    let greedy_metrics = greedy_record.map(among_eligible);
    Ok(Simulation {
        spec: spec.clone(),
        run,
        metrics,
        violations,
        bound,
        bound_willing,
        greedy: greedy_metrics,
        pairs: pairs_n,
        eligible_workers: eligible.len(),
        urgent_without_anyone,
        urgent_quick_possible,
        seconds: Seconds { month, eligibility: pairs_s, recheck: recheck_seconds, bound: bound_s, greedy: greedy_s },
    })
}
