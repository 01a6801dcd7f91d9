#!/usr/bin/env bash
# Schemathesis, an independent API fuzzer, against a freshly served demo market:
# every operation of the OpenAPI document, all checks, once with each role's
# token (operator, business, worker). Exits non-zero on any failure.
#
#   bash api-fuzz/run.sh [SECONDS_PER_ROLE]   (default 200: 10 minutes in all)
#
# The checks switched off, and why, are in api-fuzz/schemathesis.toml. Reports
# (JUnit and the NDJSON event stream) land in target/api-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROLE=${1:-200}
ST_VERSION=4.32.5
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
OUT="$TARGET/api-fuzz"
PYDIR="$TARGET/schemathesis-$ST_VERSION"
mkdir -p "$OUT"

if [ ! -d "$PYDIR/schemathesis" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$PYDIR" "schemathesis==$ST_VERSION"
fi
st() { PYTHONPATH="$PYDIR:$PWD/api-fuzz" python3 -m schemathesis.cli "$@"; }

cargo build -q -p slivers-cli
BIN="$TARGET/debug/slivers"
DB="$OUT/market.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" demo --db "sqlite://$DB" --json >"$OUT/tokens.json"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --db "sqlite://$DB" --addr "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
python3 - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.2)
PY

# Each role signs in through the API (api-fuzz/hooks.py), and again whenever
# the fuzzer has revoked its token.
export SCHEMATHESIS_HOOKS=hooks SLIVERS_FUZZ_BASE="http://127.0.0.1:$PORT/api/v1"
export SLIVERS_FUZZ_PASSWORD=slivers-demo-password SLIVERS_FUZZ_BIN="$BIN" SLIVERS_FUZZ_DB="sqlite://$DB"
# One worker thread: with two, Hypothesis's own caches race and the run can
# end in an internal error of the fuzzer's that says nothing about the API.
status=0
for role in operator business worker; do
  SLIVERS_FUZZ_EMAIL=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]['email'])" "$OUT/tokens.json" "$role")
  export SLIVERS_FUZZ_EMAIL SLIVERS_FUZZ_ROLE=$role
  rm -rf "${OUT:?}/$role"
  echo "== schemathesis as $role ($SLIVERS_FUZZ_EMAIL) for ${SECONDS_PER_ROLE} s"
  if ! st --config-file api-fuzz/schemathesis.toml run "$SLIVERS_FUZZ_BASE/openapi.json" \
      --url "$SLIVERS_FUZZ_BASE" \
      --checks all --max-time "$SECONDS_PER_ROLE" --workers 1 --seed 20261129 \
      --report junit,ndjson --report-dir "$OUT/$role" --output-truncate false \
      >"$OUT/$role.log" 2>&1; then
    status=1
  fi
  tail -n 25 "$OUT/$role.log"
  python3 api-fuzz/failures.py "$OUT/$role"/*.ndjson || true
done
# A 5xx is already a failed check above; a panic caught by the server is
# worth failing on even if it answered.
if grep -q "panicked" "$OUT/server.log"; then
  echo "the server panicked; see $OUT/server.log" >&2
  status=1
fi
exit $status
