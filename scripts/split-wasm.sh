#!/usr/bin/env bash
# Run by scripts/post-build.sh before minify-glue.sh, for the learner's page only: cuts the wasm
# at its `#[lazy]` split points (Cargo feature `split`), so rare screens load after the first
# paint. Trunk cannot split (trunk-rs/trunk#1022): it has already built, bound and optimised the
# whole wasm; this script takes cargo's wasm again, splits it with wasm-split-cli, binds the main
# part with wasm-bindgen, optimises every part with wasm-opt as Trunk does, and puts the results
# under Trunk's names, with their new hashes in the page's integrity attributes. The flags follow
# cargo-leptos's `--split` build (src/compile/front.rs): cargo's wasm linked with --emit-relocs
# (build.rs, with the feature), wasm-bindgen with --keep-lld-exports so the chunks find what they share.
set -euo pipefail
[ "${TRUNK_PUBLIC_URL:-/}" = "/" ] || exit 0
cd "$TRUNK_STAGING_DIR"
bound=(officina-*_bg.wasm)
name=${bound[0]%_bg.wasm}
input="${CARGO_TARGET_DIR:-$TRUNK_SOURCE_DIR/target}/wasm32-unknown-unknown/${TRUNK_PROFILE:-release}/officina.wasm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sri() { echo "sha384-$(openssl dgst -sha384 -binary "$1" | base64 -w0)"; }
old_js=$(sri "$name.js")
old_wasm=$(sri "${name}_bg.wasm")

wasm-split-cli "$input" "$work/split" --out-name "$name"
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$work/bound" --out-name "$name" "$work/split/$name.wasm"
rm "$work/split/$name.wasm"
mv "$work/bound/$name.js" "$work/bound/${name}_bg.wasm" .
[[ -d "$work/bound/snippets" ]] && cp -r "$work/bound/snippets" .
for wasm in "${name}_bg.wasm" "$work"/split/*.wasm; do
  wasm-opt -Oz "$wasm" -o "$wasm"
done
mv "$work"/split/* .
# A screen's first load fetches up to 18 chunks. Started all in one task, their requests made a
# long one (Lighthouse's total blocking time, BENCHMARKS.md): each new chunk's request starts in a
# task of its own, the loads still overlapping. A loader of another shape stops the build.
[[ -s __wasm_split.js ]] || { echo "split-wasm: no chunk loader" >&2; exit 1; }
perl -0777 -pi -e 's{const parallelStuff = deps\.map\(d => d\(\)\);}{const parallelStuff = [];
        for (const d of deps) {
            const loading = d();
            parallelStuff.push(loading);
            if (!started.has(loading)) {
                started.add(loading);
                await new Promise((next) => {
                    const channel = new MessageChannel();
                    channel.port1.onmessage = () => {
                        channel.port1.close();
                        next();
                    };
                    channel.port2.postMessage(null);
                });
            }
        }} or die "split-wasm: the chunk loader changed shape\n"; s{^}{const started = new WeakSet();\n}' __wasm_split.js
"$TRUNK_SOURCE_DIR/end2end/node_modules/.bin/esbuild" __wasm_split.js --minify --format=esm \
  --log-level=warning --allow-overwrite --outfile=__wasm_split.js

sed -i -e "s#$old_js#$(sri "$name.js")#" -e "s#$old_wasm#$(sri "${name}_bg.wasm")#" index.html
# The glue imports the loader of the chunks at start: preload it beside the glue, checked.
sed -i "s#</head>#<link rel=modulepreload href=/__wasm_split.js integrity=$(sri __wasm_split.js) crossorigin></head>#" index.html
