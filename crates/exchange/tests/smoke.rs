//! The index finds exactly whom the rule checker allows, on a demo market held in memory.

use std::collections::HashMap;

use jiff::Timestamp;
use slivers_core::ids::{BusinessId, ShiftId, SiteId, WorkerId};
use slivers_core::rules::{check, Mode, Proposal};
use slivers_core::Interval;
use slivers_match::{Index, Query, Weights};

#[test]
fn search_equals_brute_force_on_a_demo_market() {
    let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    let market = slivers_demo::generate(&slivers_demo::MarketSpec { workers: 2000, businesses: 30, shifts: 200, start: now, ..Default::default() });
    let workers: Vec<_> = market.workers.iter().enumerate().map(|(i, w)| {
        let mut w = w.worker.clone();
        w.id = WorkerId(i as i64 + 1);
        w
    }).collect();
    let horizon = Interval::new(now, now + jiff::SignedDuration::from_hours(24 * 35)).unwrap();
    let index = Index::build(workers.clone(), &HashMap::new(), &HashMap::new(), horizon, 2);
    assert_eq!(index.len(), 2000);
    let mut found = 0;
    let mut shift_id = 0;
    for (bi, b) in market.businesses.iter().enumerate() {
        for s in &b.shifts {
            shift_id += 1;
            let site_id = s.site.map(|i| SiteId(i as i64 + 1));
            let shift = s.to_shift(b, ShiftId(shift_id), BusinessId(bi as i64 + 1), site_id);
            for mode in [Mode::Instant, Mode::Offer] {
                let q = Query { shift: shift.clone(), mode, now, limit: usize::MAX, weights: Weights::default() };
                let mut got: Vec<WorkerId> = index.search(&q).iter().map(|c| c.worker_id).collect();
                got.sort();
                let want: Vec<WorkerId> = workers.iter().filter(|w| check(&Proposal::new(w, &[], &shift, now, mode)).allowed).map(|w| w.id).collect();
                assert_eq!(got, want, "shift {shift_id} {mode:?}");
                found += got.len();
                // Ranked best first, and a top-k is a prefix of the full ranking.
                let all = index.search(&q);
                assert!(all.windows(2).all(|p| p[0].score.total >= p[1].score.total));
                let top = index.search(&Query { limit: 5, ..q });
                assert_eq!(top.iter().map(|c| c.worker_id).collect::<Vec<_>>(), all.iter().take(5).map(|c| c.worker_id).collect::<Vec<_>>());
            }
        }
    }
    assert!(found > 100, "only {found} matches: the test would be vacuous");
}
