#!/usr/bin/env bash
# Load test of the candidates endpoint on the demo market: wrk, 50 connections,
# 30 seconds, over loopback. Usage: bash bench/load/candidates.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-30}
CONNS=${2:-50}
PORT=${PORT:-18080}
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release -q --bin slivers
DB=$(mktemp -d)/load.db
./target/release/slivers demo --db "sqlite://$DB" --json > "$DB.tokens" 2>/dev/null
TOKEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['operator']['token'])" "$DB.tokens")
./target/release/slivers serve --db "sqlite://$DB" --addr "127.0.0.1:$PORT" 2>"$DB.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/shifts?limit=1000" \
  | python3 -c "import json,sys; [print(s['id']) for s in json.load(sys.stdin)]" > "$DB.shifts"
echo "shifts: $(wc -l < "$DB.shifts"); machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB; $(date -u +%F)"
echo "-- wrk, ${CONNS} connections, ${SECS}s, GET /api/v1/shifts/{id}/candidates?mode=offer&limit=50"
TOKEN=$TOKEN SHIFTS="$DB.shifts" wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/load/candidates.lua "http://127.0.0.1:$PORT"
echo "-- baseline in the same run: GET /healthz (no auth, no database, no index)"
wrk -t2 -c"$CONNS" -d"$(( SECS < 10 ? SECS : 10 ))s" --latency "http://127.0.0.1:$PORT/healthz"
