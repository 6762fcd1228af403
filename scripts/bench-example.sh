#!/usr/bin/env bash
# Runs one of the server's load benchmarks (an example in server/examples) against the release
# server on a fresh database in a temporary directory: `scripts/bench-example.sh bench_sync`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --quiet --profile server -p officina-server --bins --examples
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target_dir="${CARGO_TARGET_DIR:-target}"
"$target_dir/server/examples/$1" "$target_dir/server/officina-server" content "$work"
