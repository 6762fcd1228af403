#!/usr/bin/env bash
# The learner's app on a slow phone (issue 16, goal 5): start-up, a tap and each screen's opening
# with 10 000 events on the device and with none, at 4× CPU slowdown and 1.6 Mbps / 150 ms in
# Chromium (end2end/bench/phone.mjs), against the release server on a fresh database; then the
# storage micro-bench (end2end/bench/storage.mjs). SKIP_BUILD=1 uses the existing build;
# EVENTS=n changes the history. Loopback only; bounded (each part has a time limit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[[ -n ${SKIP_BUILD:-} ]] || scripts/build.sh
server_bin="$(realpath "${CARGO_TARGET_DIR:-target}/server/officina-server")"

port="${BENCH_PHONE_PORT:-8097}"
work="$(mktemp -d)"
"$server_bin" serve --addr "127.0.0.1:$port" --db "$work/bench.db" \
  --dist dist --content content >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 150); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.2
done

cd end2end
BENCH_ORIGIN="http://127.0.0.1:$port" BENCH_DB="$work/bench.db" BENCH_SERVER="$server_bin" timeout 1800 node bench/phone.mjs
[[ -n ${SKIP_STORAGE:-} ]] || timeout 900 node bench/storage.mjs
