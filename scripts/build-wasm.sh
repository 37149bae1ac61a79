#!/bin/sh
# Builds the app's wasm for Trunk (called by scripts/post-build.sh) and splits
# it: the first download is what home, a group, its garden and an invite need;
# every other page is a chunk fetched when first opened (src/ui/later.rs).
# Trunk 0.21 cannot split (trunk-rs/trunk#1022): the split must happen after
# linking and before wasm-bindgen, so this hook does the Rust build itself.
set -eu
cd "$(dirname "$0")/.."
app=$(pwd)
staging=$TRUNK_STAGING_DIR
profile=${TRUNK_PROFILE:-debug}
case $profile in release) release=--release ;; *) release= ; profile=debug ;; esac

cargo build --quiet --release --manifest-path tools/wasm-split/Cargo.toml
cargo build $release --target wasm32-unknown-unknown --bin common-ground

out=$app/target/split-$profile
rm -rf "$out" && mkdir -p "$out"
tools/wasm-split/target/release/wasm-split \
  "target/wasm32-unknown-unknown/$profile/common-ground.wasm" "$out" "$out/linked.wasm" ./common-ground.js
wasm-bindgen --target web --no-typescript --keep-lld-exports \
  --out-dir "$out" --out-name common-ground "$out/linked.wasm"
rm "$out/linked.wasm"
if [ -n "$release" ]; then
  for wasm in "$out"/*.wasm; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-multivalue --strip-debug --strip-producers \
      "$wasm" -o "$wasm"
  done
fi
# The small chunks the engine needs, as one file (see the script).
(cd "$out" && node "$app/scripts/bundle-engine.mjs")

# One hash of the whole build names every file, so the HTTP cache and the
# service worker can keep them for good (public/sw.js trusts "-<hash>" names).
cd "$out"
hash=$(cat ./*.js ./*.wasm | sha256sum | cut -c1-16)
for file in *.js *.wasm; do
  stem=${file%.*} ext=${file##*.}
  case $stem in *_bg) named="${stem%_bg}-${hash}_bg.$ext" ;; *) named="$stem-$hash.$ext" ;; esac
  echo "$file $named"
done > names
while read -r file named; do
  # Only module specifiers and fetched URLs: the wasm's own import names
  # (keys such as "./__wasm_split.js": in the imports object) stay.
  sed -i "s|from \"\./$file\"|from \"./$named\"|g; s|URL(\"\./$file\"|URL(\"./$named\"|g" ./*.js
done < names
while read -r file named; do mv "$file" "$staging/$named"; done < names
cp -r snippets "$staging/" 2>/dev/null || true

main=common-ground-$hash
# The engine's chunk and the one file of chunks it needs.
engine="[\"split_engine-$hash.wasm\",\"chunk_engine-$hash.wasm\"]"
# A phone that has run the app before (it has settings) fetches the engine
# alongside the first module, from the service worker's cache; a first visit
# leaves the connection to the first screen and fetches it after.
loader="<link rel=\"modulepreload\" href=\"./$main.js\"><link rel=\"preload\" href=\"./${main}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin><script type=\"module\">try { if (localStorage.getItem('common-ground.settings')) for (const name of $engine) { const link = document.createElement('link'); Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: './' + name }); document.head.append(link); } } catch {} import init from './$main.js'; await init({ module_or_path: './${main}_bg.wasm' });</script>"
# The modules the first module imports are named in it; preloaded, they
# come alongside it, not one round trip after it.
imports=$(grep -o "from ['\"]\./[^'\"]*\.js['\"]" "$staging/$main.js" | sed "s|^from .\./||; s|.$||" | sort -u)
for module in $imports; do
  loader="<link rel=\"modulepreload\" href=\"./$module\">$loader"
done
sed -i "s|</head>|$loader</head>|" "$staging/index.html"
# scripts/early.js runs first, before the stylesheet (an inline script waits
# for the stylesheets above it).
node -e '
  const fs = require("fs");
  const [html, early] = process.argv.slice(1);
  const page = fs.readFileSync(html, "utf8");
  const at = page.indexOf("<link rel=\"stylesheet\"");
  if (at < 0) throw new Error("no stylesheet link in index.html");
  // Its comments stay in the source: every first visit downloads this page.
  const script = fs.readFileSync(early, "utf8").split("\n").filter((line) => !/^\s*\/\//.test(line)).join("\n");
  fs.writeFileSync(html, page.slice(0, at) + "<script>" + script + "</script>\n    " + page.slice(at));
' "$staging/index.html" "$app/scripts/early.js"
