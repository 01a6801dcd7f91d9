//! A lower bound by Lagrangian relaxation of the cover constraints.
//!
//! With a multiplier `λ[d][t]` in `[-weight_over, weight_under]` on each
//! cover row, the slack terms cost nothing at their best and the problem
//! splits by person:
//! `L(λ) = Σ λ·requirement + Σ_e min over e's rows of (requests − Σ λ·x)`.
//! Any λ gives a valid bound as long as each person's minimum is exact or a
//! relaxation of it; per-type maxima are relaxed with their own multipliers
//! `μ ≥ 0` (add `μ` per shift of that type, subtract `μ·max`), and on very
//! large models the minutes or weekend rules are dropped from the program.
//! The multipliers follow projected subgradient steps (Polyak, against the
//! best roster found so far).

use std::time::Instant;

use crate::dp::{self, Track};
use crate::model::Problem;
use crate::search::Shared;

/// Steps without a better bound before the step size halves.
const PATIENCE: usize = 20;

/// Which rules the bound's program can afford to keep on `p`.
fn track_for(p: &Problem) -> Track {
    let g = dp::unit(p) as f64;
    let states = p.staff.iter().map(|s| 2.0 * p.shifts.len() as f64 * f64::from(s.max_consecutive.max(1)) + 4.0).fold(0.0, f64::max);
    let units = p.staff.iter().map(|s| f64::from(s.max_minutes) / g + 1.0).fold(1.0, f64::max);
    let weekends = p.staff.iter().map(|s| f64::from(s.max_weekends) + 1.0).fold(1.0, f64::max).min(p.weekends() as f64 + 1.0);
    let per_person = |m: f64, w: f64| p.days as f64 * states * m * w * (p.shifts.len() + 1) as f64;
    let budget = 3e8 / p.staff.len().max(1) as f64;
    if per_person(units, weekends) <= budget {
        Track { minutes: true, weekends: true }
    } else if per_person(units, 1.0) <= budget {
        Track { minutes: true, weekends: false }
    } else if per_person(1.0, weekends) <= budget {
        Track { minutes: false, weekends: true }
    } else {
        Track { minutes: false, weekends: false }
    }
}

/// Raise `shared.bound` until `deadline`, the step size has shrunk to
/// nothing, or the bound meets the best roster.
pub(crate) fn bound(p: &Problem, deadline: Instant, shared: &Shared) {
    let (days, types, staff) = (p.days, p.shifts.len(), p.staff.len());
    let track = track_for(p);
    let req = crate::search::request_costs(p);
    let on_total: f64 = p.staff.iter().flat_map(|s| &s.on_requests).map(|r| f64::from(r.weight)).sum();
    // Start from no prices at all: the first value is then the requests
    // alone, at least 0.
    let mut lambda = vec![vec![0.0f64; types]; days];
    let mut mu = vec![vec![0.0f64; types]; staff];
    let mut dir = vec![vec![0.0f64; types]; days];
    // Where the program cannot keep minutes (very long horizons), the
    // maximum minutes are relaxed with a multiplier `nu ≥ 0` per person,
    // counted in average shift lengths.
    let mut nu = vec![0.0f64; staff];
    let avg_len = (p.shifts.iter().map(|s| f64::from(s.minutes)).sum::<f64>() / types as f64).max(1.0);
    let rel_len: Vec<f64> = p.shifts.iter().map(|s| f64::from(s.minutes) / avg_len).collect();
    let mut nu_grad = vec![0.0f64; staff];
    let mut theta = 1.0;
    let mut best = f64::NEG_INFINITY;
    let mut since = 0;
    let mut start = 0usize;
    let mut start_best = (f64::NEG_INFINITY, 0usize);
    let empty = vec![None; days];
    let empty_cost: f64 = on_total + (0..days).flat_map(|d| (0..types).map(move |t| (d, t))).map(|(d, t)| f64::from(p.cover[d][t].requirement * p.cover[d][t].weight_under)).sum::<f64>();
    while Instant::now() < deadline && !shared.stopped() {
        let mut value = on_total;
        for d in 0..days {
            for t in 0..types {
                value += lambda[d][t] * f64::from(p.cover[d][t].requirement);
            }
        }
        let mut count = vec![vec![0.0f64; types]; days];
        let mut cap_grad = vec![vec![0.0f64; types]; staff];
        for e in 0..staff {
            if Instant::now() >= deadline || shared.stopped() {
                return;
            }
            let cost: Vec<Vec<f64>> = (0..days).map(|d| (0..types).map(|t| req[e][d][t] as f64 - lambda[d][t]).collect()).collect();
            let pen: Vec<f64> = (0..types).map(|t| mu[e][t] + nu[e] * rel_len[t]).collect();
            let Some((v, row)) = dp::window(p, e, &cost, &pen, &empty, 0, days, track, p.staff[e].min_minutes) else { return };
            value += v;
            let max_rel = f64::from(p.staff[e].max_minutes) / avg_len;
            value -= nu[e] * max_rel;
            nu_grad[e] = row.iter().flatten().map(|t| rel_len[*t]).sum::<f64>() - max_rel;
            let mut used = vec![0.0; types];
            for (d, a) in row.iter().enumerate() {
                if let Some(t) = a {
                    count[d][*t] += 1.0;
                    used[*t] += 1.0;
                }
            }
            for t in 0..types {
                value -= mu[e][t] * f64::from(p.staff[e].max_shifts[t]);
                cap_grad[e][t] = used[t] - f64::from(p.staff[e].max_shifts[t]);
            }
        }
        if std::env::var_os("ROSTER_DEBUG").is_some() {
            eprintln!("lag value {value:.2} best {best:.2} theta {theta}");
        }
        if value > best + 1e-9 {
            best = value;
            since = 0;
            if let Ok(mut b) = shared.bound.lock() {
                *b = b.max(value);
            }
        } else {
            since += 1;
            if since >= PATIENCE {
                theta /= 2.0;
                since = 0;
            }
        }
        // Three starting points, then steps from the best of them: no
        // prices (at least 0), every place at the price of a place short
        // (strong when demand exceeds what the staff can supply), and half that.
        if start < 3 {
            if value > start_best.0 {
                start_best = (value, start);
            }
            start += 1;
            let scale = match start {
                1 => 1.0,
                2 => 0.5,
                _ => [0.0, 1.0, 0.5][start_best.1],
            };
            for d in 0..days {
                for t in 0..types {
                    lambda[d][t] = f64::from(p.cover[d][t].weight_under) * scale;
                }
            }
            if start < 3 || start_best.1 != 2 {
                for m in mu.iter_mut() {
                    m.fill(0.0);
                }
                // With every place at full price and minutes relaxed, price
                // minutes the same: a shift of average length then costs
                // about nothing, and the value is the capacity shortfall.
                let full = start == 1 || (start == 3 && start_best.1 == 1);
                let price = if full && !track.minutes { p.cover.iter().flatten().map(|c| f64::from(c.weight_under)).fold(0.0, f64::max) } else { 0.0 };
                nu.fill(price);
                continue;
            }
        }
        // The step aims at the best roster's objective; before there is one,
        // at the cost of leaving every place empty (large models take a
        // while to build a first roster, and a timid aim stalls the steps).
        let ub = shared.best_objective().map_or(best.abs() * 1.1 + 100.0, |u| u as f64).min(empty_cost.max(best + 1.0));
        if (best - 1e-6).ceil() >= ub || theta < 1e-4 {
            return;
        }
        // Deflected direction (Camerini–Fratta–Maffioli): when the new
        // subgradient turns back on the last direction, keep part of the
        // last one, which damps the zig-zag of plain steps.
        let grad: Vec<Vec<f64>> = (0..days).map(|d| (0..types).map(|t| f64::from(p.cover[d][t].requirement) - count[d][t]).collect()).collect();
        let dot: f64 = (0..days).flat_map(|d| (0..types).map(move |t| (d, t))).map(|(d, t)| grad[d][t] * dir[d][t]).sum();
        let dnorm: f64 = dir.iter().flatten().map(|x| x * x).sum();
        let beta = if dot < 0.0 && dnorm > 1e-12 { -1.5 * dot / dnorm } else { 0.0 };
        let mut norm = 0.0;
        for d in 0..days {
            for t in 0..types {
                dir[d][t] = grad[d][t] + beta * dir[d][t];
                norm += dir[d][t] * dir[d][t];
            }
        }
        for e in 0..staff {
            for t in 0..types {
                let gr = cap_grad[e][t];
                if gr > 0.0 || mu[e][t] > 0.0 {
                    norm += gr * gr;
                }
            }
        }
        if !track.minutes {
            for e in 0..staff {
                if nu_grad[e] > 0.0 || nu[e] > 0.0 {
                    norm += nu_grad[e] * nu_grad[e];
                }
            }
        }
        if norm < 1e-12 {
            return;
        }
        let step = theta * (ub - value).max(1.0) / norm;
        for d in 0..days {
            for t in 0..types {
                let c = p.cover[d][t];
                lambda[d][t] = (lambda[d][t] + step * dir[d][t]).clamp(-f64::from(c.weight_over), f64::from(c.weight_under));
            }
        }
        for e in 0..staff {
            for t in 0..types {
                mu[e][t] = (mu[e][t] + step * cap_grad[e][t]).max(0.0);
            }
            if !track.minutes {
                nu[e] = (nu[e] + step * nu_grad[e]).max(0.0);
            }
        }
    }
}
