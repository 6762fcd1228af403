#!/usr/bin/env bash
# Installs what is missing, builds everything, and serves Officina on http://127.0.0.1:8080
# with the programme from content/ and the database data/officina.db (made on first start).
# Extra arguments go to `officina-server serve` (e.g. --addr 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec target/server/officina-server serve "$@"
