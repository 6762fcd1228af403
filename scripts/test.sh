#!/usr/bin/env bash
# Installs what is missing and runs every test: Rust unit and server integration tests,
# the app's tests in headless Chromium (wasm), and the end-to-end tests (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

echo "==> cargo test --workspace"
cargo test --workspace

echo "==> wasm tests in headless Chromium"
cargo test --target wasm32-unknown-unknown -p officina --test browser

echo "==> release build"
scripts/build.sh

echo "==> end-to-end tests"
export OFFICINA_E2E_DB="$(mktemp -d)/e2e.db"
(cd end2end && npx playwright test)
