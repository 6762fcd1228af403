#!/usr/bin/env bash
# Load on the release server over loopback with wrk (Debian package): the requests a classroom of
# phones makes when they come online. Bounded: 10 s per endpoint, 2 threads, 50 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
scripts/build.sh

port=${BENCH_PORT:-8094}  # another port when several checkouts measure at once
work="$(mktemp -d)"
target/server/officina-server serve --addr "127.0.0.1:$port" --db "$work/bench.db" >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
until curl -sf "$base/api/health" >/dev/null; do sleep 0.2; done

echo 'bench-password-1' | target/server/officina-server user create --db "$work/bench.db" --role educator --name Edu >/dev/null
code=$(target/server/officina-server cohort create --db "$work/bench.db" --name Bench --path space-camp --educator Edu | tail -n 1)
token_of() { sed 's/.*"token":"\([^"]*\)".*/\1/'; }
# A class of 30, each with one day's work: 40 completions pushed at once, so pull and the
# educator's dashboard have something to read.
for learner in $(seq 1 30); do
  token=$(curl -sf "$base/api/join" -H 'content-type: application/json' \
    -d "{\"code\":\"$code\",\"nickname\":\"Bench$learner\",\"secret\":\"bench-secret\"}" | token_of)
  events=$(for n in $(seq 1 40); do
    printf '{"id":"%s","kind":"activity_completed","activity_id":"che-cos-e-un-orbita","at":"2026-11-25T10:00:00Z"}\n' "$(cat /proc/sys/kernel/random/uuid)"
  done | paste -sd, -)
  curl -sf "$base/api/sync/push" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"device_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"events\":[$events]}" >/dev/null
done
staff=$(curl -sf "$base/api/staff/login" -H 'content-type: application/json' \
  -d '{"name":"Edu","password":"bench-password-1"}' | token_of)
cohort=$(curl -sf "$base/api/cohorts" -H "authorization: Bearer $staff" | sed 's/^\[{"id":"\([^"]*\)".*/\1/')
etag=$(curl -sI "$base/api/content" | tr -d '\r' | sed -n 's/^etag: //Ip')

run() {
  local name=$1; shift
  printf '%-40s ' "$name"
  wrk -t2 -c50 -d10s "$@" | awk '/Requests\/sec/ {rps=$2} /Latency/ {lat=$2; p=$3} END {printf "%10s req/s   mean latency %s\n", rps, lat}'
}
run "GET /api/health" "$base/api/health"
run "GET /api/content (304, app up to date)" -H "If-None-Match: $etag" "$base/api/content"
run "GET /api/content (brotli, 98 KB)" -H "Accept-Encoding: br" "$base/api/content"
run "GET /api/sync/pull (40 events)" -H "authorization: Bearer $token" "$base/api/sync/pull?since=0"
run "GET /api/cohorts/{id}/dashboard (30)" -H "authorization: Bearer $staff" "$base/api/cohorts/$cohort/dashboard"
run "GET /api/cohorts/{id}/reviews (30)" -H "authorization: Bearer $staff" "$base/api/cohorts/$cohort/reviews"
run "GET /api/impact (programme)" -H "authorization: Bearer $staff" "$base/api/impact"
run "GET / (app shell, brotli)" -H "Accept-Encoding: br" "$base/"
wasm=$(cd dist && ls officina-*_bg.wasm)
run "GET /officina-…_bg.wasm (brotli)" -H "Accept-Encoding: br" "$base/$wasm"
