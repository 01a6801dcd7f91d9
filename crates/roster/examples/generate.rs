//! Write a generated instance in the Curtois–Qu format:
//! `cargo run --release -p slivers-roster --example generate -- OUT [DAYS STAFF TYPES SEED]`
//! (default: the family's largest size, 364 days, 150 staff, 32 types).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).ok_or("usage: generate OUT [DAYS STAFF TYPES SEED]")?;
    let mut spec = slivers_roster::generate::LARGEST;
    let num = |i: usize, default: usize| args.get(i).map_or(Ok(default), |s| s.parse::<usize>());
    spec.days = num(2, spec.days)?;
    spec.staff = num(3, spec.staff)?;
    spec.types = num(4, spec.types)?;
    spec.seed = num(5, spec.seed as usize)? as u64;
    std::fs::write(out, slivers_roster::generate::instance(spec))?;
    eprintln!("wrote {out}: {} days, {} staff, {} types, seed {}", spec.days, spec.staff, spec.types, spec.seed);
    Ok(())
}
