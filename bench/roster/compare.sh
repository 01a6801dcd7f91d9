#!/usr/bin/env bash
# Our roster optimizer against OR-Tools CP-SAT on the Curtois–Qu instances,
# same time limit and both cores each: ours runs two threads, CP-SAT two
# workers (CPSAT_WORKERS), so the two run one after the other, never side by side.
# Usage: bash bench/roster/compare.sh [instances dir] [short seconds] [long seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:-../shared/bench/nrp}
SHORT=${2:-10}
LONG=${3:-60}
BIN=${SLIVERS_BIN:-target/release/slivers}
if [ -z "${SLIVERS_BIN:-}" ]; then cargo build --release -q --bin slivers; fi
python3 -c "import ortools" 2>/dev/null || pip install -q -r bench/roster/requirements.txt
OUT=$(mktemp -d)
declare -A BEST
while IFS='|' read -r _ inst _ _ _ best _; do
  inst=$(echo "$inst" | tr -d ' '); best=$(echo "$best" | tr -d ' ')
  [[ "$inst" =~ ^[0-9]+$ ]] && BEST[$inst]=$best
done < "$DIR/README.md"
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%F)"
echo
echo "| instance | ours ${SHORT} s | ours ${LONG} s | our bound | our gap | CP-SAT ${SHORT} s | CP-SAT ${LONG} s | best known | ours vs best (${LONG} s) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for f in $(ls "$DIR"/Instance*.txt | sort -V); do
  name=$(basename "$f" .txt); n=${name#Instance}
  # ONLY="11 12" runs a subset.
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $n "* ]]; then continue; fi
  for s in "$SHORT" "$LONG"; do
    "$BIN" roster nrp "$f" --seconds "$s" --json > "$OUT/ours-$n-$s.json" 2>/dev/null || true
    python3 bench/roster/cpsat_nrp.py "$f" --seconds "$s" --workers "${CPSAT_WORKERS:-2}" > "$OUT/cpsat-$n-$s.json" 2>/dev/null || true
    # Judge CP-SAT's roster with our validator too.
    "$BIN" roster nrp "$f" --check "$OUT/cpsat-$n-$s.json" > "$OUT/check-$n-$s.txt" 2>&1 || true
  done
  # A solver that printed nothing (crashed or ran out of time building) shows as "-".
  o() { python3 -c "import json,sys
try: print(json.load(open(sys.argv[1])).get(sys.argv[2]))
except Exception: print('-')" "$1" "$2"; }
  os=$(o "$OUT/ours-$n-$SHORT.json" objective); ol=$(o "$OUT/ours-$n-$LONG.json" objective)
  ob=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['bound'],1))" "$OUT/ours-$n-$LONG.json" 2>/dev/null || echo "-")
  og=$(python3 -c "import json,sys; print(f\"{100*json.load(open(sys.argv[1]))['gap']:.2f}%\")" "$OUT/ours-$n-$LONG.json" 2>/dev/null || echo "-")
  cs=$(o "$OUT/cpsat-$n-$SHORT.json" objective); cl=$(o "$OUT/cpsat-$n-$LONG.json" objective)
  for s in "$SHORT" "$LONG"; do grep -q "INFEASIBLE" "$OUT/check-$n-$s.txt" && echo "warning: CP-SAT roster for $name at $s s fails our validator" >&2; done
  b=${BEST[$n]:-?}
  rel=$(python3 -c "print(f'{100*($ol-$b)/$b:+.2f}%')" 2>/dev/null || echo "?")
  echo "| $n | $os | $ol | $ob | $og | $cs | $cl | $b | $rel |"
done
echo
echo "raw results: $OUT"
