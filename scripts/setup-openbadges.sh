#!/usr/bin/env bash
# Installs the 1EdTech Open Badges validator and bakery (PyPI) into .cache/openbadges-venv, for
# the server test that validates hosted assertions and baked images. Skipped when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.cache/openbadges-venv
REQUIREMENTS=server/tests/openbadges/requirements.txt
STAMP="$VENV/.requirements.txt"

if [[ -x "$VENV/bin/python" ]] && cmp -s "$REQUIREMENTS" "$STAMP"; then
  exit 0
fi
printf '==> %s\n' "Open Badges validator (PyPI) into $VENV"
python3 -m venv "$VENV"
# Every package is pinned in the file; --no-deps keeps pip from pulling the validator's stale pins.
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$STAMP"
