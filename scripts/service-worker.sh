#!/usr/bin/env bash
# Run by scripts/post-build.sh: writes dist's sw.js from public/sw.js with the list of files to precache
# and a build id made from their contents, so every deploy of changed files is a new worker.
# Only for the learner's app: the educator workspace (public URL /educator/) has no worker.
set -euo pipefail
[ "${TRUNK_PUBLIC_URL:-/}" = "/" ] || exit 0
cd "$TRUNK_STAGING_DIR"
files=$(find . -type f ! -name 'sw.js' ! -name '*.br' ! -name '*.gz' ! -path './screenshots/*' | sed 's#^\./#/#' | sort)
build=$(printf '%s\n' $files | while read -r f; do sha256sum ".$f"; done | sha256sum | cut -c1-12)
list=$(printf '%s\n' $files | sed 's/.*/"&"/' | paste -sd, -)
sed -e "s#__BUILD__#$build#" -e "s#__PRECACHE__#[$list]#" "$TRUNK_SOURCE_DIR/public/sw.js" > sw.js
