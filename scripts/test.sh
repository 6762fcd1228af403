#!/usr/bin/env bash
# Installs what is missing and runs every test: Rust unit and server integration tests (with a
# throw-away PostgreSQL cluster for the tests that need one),
# the app's tests in headless Chromium (wasm), and the end-to-end tests (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

# The server's suite runs against PostgreSQL too (issue 17): a throw-away cluster for this run.
pg_dir=$(mktemp -d)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
OFFICINA_TEST_PG=$(scripts/pg-cluster.sh start "$pg_dir")
export OFFICINA_TEST_PG

echo "==> cargo test --workspace"
cargo test --workspace

echo "==> the server's tests on PostgreSQL"
OFFICINA_TEST_DB=postgres cargo test -p officina-server

echo "==> wasm tests in headless Chromium"
cargo test --target wasm32-unknown-unknown -p officina --test browser

echo "==> release build"
scripts/build.sh

echo "==> end-to-end tests"
export OFFICINA_E2E_DB="$(mktemp -d)/e2e.db"
(cd end2end && npx playwright test)
