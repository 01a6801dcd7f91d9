#!/usr/bin/env bash
# Fuzz every parser of outside input for SECONDS each (default 20), on stable
# Rust (`--sanitizer none`: libFuzzer's coverage guidance without ASan).
# Exits non-zero on the first crash, leaving the input in fuzz/artifacts/.
# Longer runs: `bash fuzz/run.sh 600`. Found inputs worth keeping land in
# fuzz/corpus/<target>/; `cargo test -p slivers-fuzzing` replays them all.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-20}
export CARGO_TARGET_DIR="$PWD/target"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
cargo fuzz build --sanitizer none -O
total=0
for t in nrp time availability worker csv_import; do
  log=$(mktemp)
  if ! cargo fuzz run "$t" --sanitizer none -O -- -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz target $t crashed: see fuzz/artifacts/$t/" >&2
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
  echo "fuzz $t: ${runs:-0} executions in ${SECONDS_EACH} s, no crash"
  total=$((total + ${runs:-0}))
  rm -f "$log"
done
echo "fuzz total: $total executions"
