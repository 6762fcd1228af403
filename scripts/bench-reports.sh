#!/usr/bin/env bash
# The educators' reports at the programme's scale (issue 16, goal 3): 10 020 learners × 200 events
# seeded into a fresh database (about 1 GB in a temporary directory, removed after), then the
# impact report and a class's dashboard through the release server. Loopback only; bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --quiet --profile server -p officina-server --bins --examples
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target_dir="${CARGO_TARGET_DIR:-target}"
"$target_dir/server/examples/bench_reports" "$target_dir/server/officina-server" content "$work"
