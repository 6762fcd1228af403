#!/usr/bin/env bash
# Run by scripts/post-build.sh before the service worker is written: minifies wasm-bindgen's JS glue with esbuild
# (Trunk's own minifier cannot parse it and leaves it whole: trunk-rs/trunk#1044), 1.7 KB less
# of the learner's first load, and puts the new file's hash in the page's integrity attribute.
# Our own scripts (pwa.js, photos.js) are written to be read: the copies sent are minified too.
set -euo pipefail
cd "$TRUNK_STAGING_DIR"
esbuild="$TRUNK_SOURCE_DIR/end2end/node_modules/.bin/esbuild"
for glue in *.js; do
  # Trunk's hashed names (officina-<hash>.js); ours, which no integrity attribute names, below.
  [[ "$glue" =~ -[0-9a-f]+\.js$ ]] || continue
  before=$(openssl dgst -sha384 -binary "$glue" | base64 -w0)
  grep -qF "sha384-$before" index.html || { echo "minify-glue: no integrity for $glue in index.html" >&2; exit 1; }
  "$esbuild" "$glue" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$glue"
  after=$(openssl dgst -sha384 -binary "$glue" | base64 -w0)
  sed -i "s#sha384-$before#sha384-$after#" index.html
done
for ours in pwa.js photos.js; do
  [[ -f "$ours" ]] || continue
  "$esbuild" "$ours" --minify --log-level=warning --allow-overwrite --outfile="$ours"
done
