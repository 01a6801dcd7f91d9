#!/usr/bin/env bash
# Page latency of the web portal on the demo market: sign in as a worker, a
# business member and an operator, then wrk with 50 connections against each
# role's main pages over loopback. Prints p50/p99 per page.
# Usage: bash bench/load/portal.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-15}
CONNS=${2:-50}
PORT=${PORT:-18081}
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release -q -p slivers-cli
DIR=$(mktemp -d)
DB="sqlite://$DIR/portal.db"
./target/release/slivers demo --db "$DB" --json > "$DIR/tokens.json" 2>/dev/null
./target/release/slivers serve --db "$DB" --addr "127.0.0.1:$PORT" 2>"$DIR/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
PASSWORD=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['password'])" "$DIR/tokens.json")
BTOKEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['business']['token'])" "$DIR/tokens.json")

# Sign in through the form, as a browser does: the pre-session CSRF cookie, then the post.
signin() {
  local jar="$DIR/$1.jar"
  local csrf
  csrf=$(curl -s -c "$jar" "$BASE/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=$1" --data-urlencode "password=$PASSWORD" "$BASE/signin"
  awk '$6 == "slivers_session" { print "slivers_session=" $7 }' "$jar"
}
WORKER=$(signin worker1@demo.slivers.test)
BUSINESS=$(signin manager1@demo.slivers.test)
OPERATOR=$(signin operator@demo.slivers.test)
SHIFT=$(curl -sf -H "Authorization: Bearer $BTOKEN" "$BASE/api/v1/shifts?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB; $(date -u +%F)"
echo "market: slivers demo defaults (2000 workers, 100 businesses, 1000 shifts), SQLite; wrk -t2 -c$CONNS -d${SECS}s per page"
printf '%-28s %10s %10s %10s %10s\n' page req/s p50 p90 p99
run() {
  local label=$1 cookie=$2 path=$3 out
  # Every response must be a 200 page, not a redirect to sign-in.
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$BASE$path")" = 200 ] || { echo "$label: $path is not 200" >&2; exit 1; }
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H "Cookie: $cookie" "$BASE$path")
  if echo "$out" | grep -q 'Non-2xx'; then echo "$label: non-2xx responses" >&2; echo "$out" >&2; exit 1; fi
  printf '%-28s %10s %10s %10s %10s\n' "$label" \
    "$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "90%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
run "worker home /w" "$WORKER" /w
run "worker availability" "$WORKER" /w/availability
run "worker work that fits" "$WORKER" /w/work
run "business home /b" "$BUSINESS" /b
run "business shift + candidates" "$BUSINESS" "/b/shifts/$SHIFT"
run "business roster" "$BUSINESS" /b/roster
run "operator overview /op" "$OPERATOR" /op
run "operator workers" "$OPERATOR" /op/workers
run "sign-in page (no session)" "x=y" /signin
