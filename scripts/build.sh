#!/usr/bin/env bash
# Builds the app (release, size-tuned, into dist/) and the server (target/server/officina-server).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release
cargo build --profile server -p officina-server
