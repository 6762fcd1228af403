#!/usr/bin/env bash
# Builds the app (release, size-tuned, into dist/), the educator workspace (into dist/educator/,
# served at /educator/) and the server (target/server/officina-server).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# The learner's build first: it replaces dist/ as a whole.
trunk build --release
trunk build educator.html --release --dist dist/educator --public-url /educator/ --html-output index.html
cargo build --profile server -p officina-server
