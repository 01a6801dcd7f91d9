//! Solve one Curtois–Qu instance from the command line without the CLI crate
//! (quick to build while tuning): `cargo run --release -p slivers-roster
//! --example nrp -- FILE [SECONDS] [SEED]`. Prints progress, then one line
//! with the validator's objective, the bound and the gap.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let file = args.get(1).ok_or("usage: nrp FILE [SECONDS] [SEED]")?;
    let seconds: f64 = args.get(2).map_or(Ok(10.0), |s| s.parse())?;
    let seed: u64 = args.get(3).map_or(Ok(1), |s| s.parse())?;
    let p = slivers_roster::nrp::parse(&std::fs::read_to_string(file)?)?;
    let verbose = std::env::var_os("VERBOSE").is_some();
    let out = slivers_roster::solve(&p, slivers_roster::Options::seconds(seconds, seed), |pr| {
        if verbose {
            eprintln!("{:>7.2}s {:?} {:.1}", pr.seconds, pr.objective, pr.bound);
        }
    })?;
    println!(
        "{file}: objective {} bound {:.1} gap {:.2}% feasible {} last improvement {:.1}s",
        out.objective,
        out.bound,
        100.0 * out.gap,
        out.report.feasible,
        out.history.iter().rev().find(|h| h.objective == Some(out.objective)).map_or(0.0, |h| h.seconds)
    );
    Ok(())
}
