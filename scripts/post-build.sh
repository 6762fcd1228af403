#!/usr/bin/env bash
# Trunk's post_build hook for both pages. One script, because Trunk runs the hooks of a stage at
# the same time, and the service worker must list the files once they are final.
set -euo pipefail
bash "$TRUNK_SOURCE_DIR/scripts/split-wasm.sh"
bash "$TRUNK_SOURCE_DIR/scripts/minify-glue.sh"
bash "$TRUNK_SOURCE_DIR/scripts/service-worker.sh"
