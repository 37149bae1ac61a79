#!/usr/bin/env bash
# A copy of dist/ whose wasm keeps its function names, for reading CPU
# profiles (`node bench/side-by-side.mjs --only edit --profile` with
# APP_DIST=target/names-dist). Same code as `scripts/release` built: the
# release build relinked without stripping, split, and not run through
# wasm-opt (which would strip the names). Run after `scripts/release`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh build
cargo build --quiet --release --manifest-path tools/wasm-split/Cargo.toml
cargo rustc --release --target wasm32-unknown-unknown --bin common-ground -- -C strip=none
out=target/split-names
rm -rf "$out" target/names-dist && mkdir -p "$out"
tools/wasm-split/target/release/wasm-split \
  target/wasm32-unknown-unknown/release/common-ground.wasm "$out" "$out/linked.wasm" ./common-ground.js
wasm-bindgen --target web --no-typescript --keep-lld-exports \
  --out-dir "$out" --out-name common-ground "$out/linked.wasm"
rm "$out/linked.wasm"
# The engine's small chunks in one file, as the release build has them.
(cd "$out" && node ../../scripts/bundle-engine.mjs)
cp -r dist target/names-dist
# The same names the release build gave each file, so dist's page loads them.
while read -r file named; do
  sed -i "s|from \"\./$file\"|from \"./$named\"|g; s|URL(\"\./$file\"|URL(\"./$named\"|g" "$out"/*.js
done < target/split-release/names
while read -r file named; do cp "$out/$file" "target/names-dist/$named"; done < target/split-release/names
echo "target/names-dist is ready."
