//! Replays every kept fuzz input (`fuzz/corpus/<target>/`, seeds and
//! whatever libFuzzer found worth keeping, crashes included once fixed)
//! through the same target functions, on stable Rust in the ordinary test
//! run: an input that once crashed stays a regression test.

use std::path::PathBuf;

#[test]
fn every_kept_input_runs_through_its_target() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut total = 0;
    for (name, target) in slivers_fuzzing::TARGETS {
        let dir = root.join(name);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read input");
            target(&bytes);
            n += 1;
        }
        assert!(n > 0, "no corpus for {name}");
        eprintln!("{name}: {n} inputs");
        total += n;
    }
    eprintln!("{total} kept inputs replayed");
}
