#!/usr/bin/env bash
# Sync ingest as a class pushes it (issue 16): 20 000 events, 16 learners, pushes of 100, 8
# concurrent clients, against the release server on a fresh database, beside raw SQLite with the
# same durability and batches in the same run; then pushes into a short and a long history, and
# acknowledged-vs-stored counts (also after a SIGKILL mid-run). Loopback only; bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --quiet --profile server -p officina-server --bins --examples
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target_dir="${CARGO_TARGET_DIR:-target}"
"$target_dir/server/examples/bench_sync" "$target_dir/server/officina-server" content "$work"
