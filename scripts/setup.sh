#!/usr/bin/env bash
# Installs what building and testing Officina need, from the package registries only.
# Every step is skipped when already satisfied, so a second run takes seconds.
#   scripts/setup.sh            toolchain, Trunk, wasm-bindgen, npm packages (wasm-opt, esbuild)
#   scripts/setup.sh --browser  the same, plus Chromium and ChromeDriver, Caddy and NSS's certutil
#                               (end2end/tests/https.spec.ts) and the Open Badges validator
#                               (scripts/setup-openbadges.sh) for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4

step() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  step "Trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen's CLI must equal the library version in Cargo.lock to the last digit.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: one of its locked dependencies is missing from the registry.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# wasm-split-cli cuts the learner's wasm at its lazy screens (scripts/split-wasm.sh); Trunk cannot.
if ! command -v wasm-split-cli > /dev/null; then
  step "wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION)"
  cargo install wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary --locked
fi

# npm packages: Playwright, axe-core, binaryen's wasm-opt, which Trunk runs, and esbuild, which
# minifies wasm-bindgen's glue after Trunk's build.
if [[ ! -x end2end/node_modules/.bin/wasm-opt || end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
  step "npm packages of end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if [[ "${1:-}" == "--browser" ]] && ! [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  step "Chromium and ChromeDriver (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

if [[ "${1:-}" == "--browser" ]] && ! [[ -x /usr/bin/caddy && -x /usr/bin/certutil ]]; then
  step "Caddy and certutil (Debian): the HTTPS deployment's end-to-end test"
  apt-get update -qq
  # Where systemd runs, the package also starts its own caddy service (a welcome page on :80);
  # the test starts a Caddy of its own on the loopback. `systemctl disable --now caddy` stops it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends caddy libnss3-tools
fi

if [[ "${1:-}" == "--browser" ]]; then
  scripts/setup-openbadges.sh
fi
