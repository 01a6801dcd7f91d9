//! A small simulated week, end to end on a real database: every limit holds
//! (the independent re-check), the LP bound is above what both the exchange
//! and the greedy baseline achieved, the same seed gives the same metrics
//! again and on the other database, and the report shows the console's numbers.

use slivers_sim::plan::Spec;
use slivers_sim::simulate::{simulate, References, Simulation};
use slivers_store::testing::{scratch, TestDb};

fn small() -> Spec {
    Spec { seed: 7, workers: 250, businesses: 14, shifts: 260, days: 7, ..Spec::default() }
}

async fn run(db: TestDb, spec: &Spec) -> Option<Simulation> {
    let (store, _) = scratch(db).await?;
    Some(simulate(store, spec, References { bound: true, greedy: true }, &mut |_, _| {}).await.expect("the simulation runs"))
}

#[allow(clippy::float_arithmetic, reason = "rates compared with the bound")]
fn check(sim: &Simulation) {
    assert!(sim.violations.broken.is_empty(), "{:#?}", sim.violations.broken);
    assert!(sim.violations.checked > 50, "too few bookings to mean anything: {}", sim.violations.checked);
    let c = &sim.run.counters;
    assert!(c.offers_accepted > 0 && c.offers_declined > 0 && c.checked_out > 0 && c.waves_started > 0, "{c:?}");
    let willing = sim.bound_willing.as_ref().expect("bound");
    let all = sim.bound.as_ref().expect("bound");
    let places = willing.places as f64;
    let filled = sim.metrics.fill.filled as f64;
    let greedy = sim.greedy.as_ref().expect("greedy").fill.filled as f64;
    // Places: the LP counts every shift posted in the period, as the metrics do.
    assert_eq!(sim.metrics.fill.places, willing.places);
    assert!(filled <= willing.filled + 1e-6 && greedy <= willing.filled + 1e-6, "{filled} / {greedy} above the bound {}", willing.filled);
    assert!(willing.filled <= all.filled + 1e-6);
    assert!(filled > 0.2 * places, "the exchange filled {filled} of {places}");
    // The urgent ceiling is an upper bound for the exchange and the baseline alike.
    let urgent = sim.metrics.time_to_fill.urgent_shifts as usize;
    assert!(urgent > 0, "the week has no urgent shift to judge");
    assert!(sim.urgent_quick_possible + sim.urgent_without_anyone <= urgent, "{} + {} > {urgent}", sim.urgent_quick_possible, sim.urgent_without_anyone);
    for (who, m) in [("exchange", &sim.metrics), ("greedy", sim.greedy.as_ref().expect("greedy"))] {
        let quick = m.time_to_fill.within_30_minutes as usize;
        assert!(quick <= sim.urgent_quick_possible, "{who} filled {quick} urgent shifts within 30 min, above the ceiling {}", sim.urgent_quick_possible);
    }
}

#[tokio::test]
async fn a_small_week_keeps_every_limit_stays_under_the_bound_and_repeats_exactly() {
    let spec = small();
    let first = run(TestDb::Sqlite, &spec).await.expect("sqlite");
    check(&first);
    let again = run(TestDb::Sqlite, &spec).await.expect("sqlite");
    assert_eq!(first.metrics, again.metrics, "the same seed must give the same metrics");
    assert_eq!(first.run.counters, again.run.counters);
    assert_eq!(first.greedy, again.greedy);

    // A different seed is a different month.
    let other = run(TestDb::Sqlite, &Spec { seed: 8, ..spec.clone() }).await.expect("sqlite");
    assert_ne!(first.metrics, other.metrics);

    // The report carries every console line's numbers.
    let page = slivers_sim::report::html(&first);
    for line in slivers_sim::report::console(&first) {
        let value = line.split_once(": ").map_or(line.as_str(), |(_, v)| v).trim();
        let value = value.trim_start_matches("metrics digest ");
        assert!(page.contains(&escape(value)), "the report lacks `{value}`");
    }
}

#[tokio::test]
async fn postgres_gives_the_same_month() {
    let spec = small();
    let Some(pg) = run(TestDb::Postgres, &spec).await else {
        eprintln!("SLIVERS_TEST_DATABASE_URL is not set: skipped");
        return;
    };
    check(&pg);
    let sqlite = run(TestDb::Sqlite, &spec).await.expect("sqlite");
    assert_eq!(pg.metrics, sqlite.metrics, "one store, two databases: the same month");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
