#!/usr/bin/env bash
# Lighthouse 12 (mobile preset: a mid-range phone on slow 4G) on the served release build.
# Prints the category scores and the metrics, RUNS times (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
scripts/build.sh
LIGHTHOUSE=.cache/lighthouse/node_modules/.bin/lighthouse
if [[ ! -x $LIGHTHOUSE ]]; then
  npm install --prefix .cache/lighthouse --no-audit --no-fund lighthouse@12.2.3
fi

port=8093
db="$(mktemp -d)/bench.db"
target/server/officina-server serve --addr "127.0.0.1:$port" --db "$db" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.2; done

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for run in $(seq "${RUNS:-3}"); do
  report="$(mktemp --suffix .json)"
  CHROME_PATH=/usr/bin/chromium "$LIGHTHOUSE" "http://127.0.0.1:$port/" --quiet --chrome-flags="$flags" \
    --only-categories=performance,accessibility,best-practices --output=json --output-path="$report"
  node -e '
    const r = require(process.argv[1]);
    const score = (c) => Math.round(r.categories[c].score * 100);
    const metric = (a) => r.audits[a].displayValue;
    console.log(`run ${process.argv[2]}: performance ${score("performance")}, accessibility ${score("accessibility")}, ` +
      `best practices ${score("best-practices")} | FCP ${metric("first-contentful-paint")}, ` +
      `LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}`);
  ' "$report" "$run"
done
