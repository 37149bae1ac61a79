// Build step (scripts/build-wasm.sh), run in the split's output directory
// before files are named by hash: puts the small chunks the engine needs
// into one file, `chunk_engine.wasm`, and makes the split loader take them
// from it.
//
// Why: wasm-split makes one chunk for each set of split points that share
// code, and 36 of them hang off the engine. Fetched one by one (six at a
// time over HTTP/1.1, each a round trip; each a service worker fetch after
// the first visit) they took most of the time between the first screen and
// a usable app. One fetch, sliced here, costs one round trip.
//
// The file is not a wasm module: it is the chunks end to end. Its name ends
// in `.wasm` so that static hosts compress it and the service worker keeps
// it like any chunk.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';

const LOADER = '__wasm_split.js';
const BUNDLE = 'chunk_engine.wasm';
let js = readFileSync(LOADER, 'utf8');

// `const __chunk_N = makeLoad(() => { const src = fetch(new URL("./chunk_N.wasm", ...`
const fileOf = new Map(
  [...js.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)", import\.meta\.url\)\);/g)]
    .map(([, name, file]) => [name, file]),
);
const engine = js.match(/__wasm_split_load_engine = wrapAsyncCb\(makeLoad\(\(\) => \{[\s\S]*?\n, \[([^\]]*)\]\)\);/);
if (!engine || fileOf.size === 0) throw new Error(`${LOADER}: the loader's shape changed; update scripts/bundle-engine.mjs`);
const deps = engine[1].split(',').map((d) => d.trim()).filter(Boolean);

const parts = {};
const bodies = [];
let at = 0;
for (const dep of deps) {
  const file = fileOf.get(dep);
  if (!file) throw new Error(`${LOADER}: no file for ${dep}`);
  const body = readFileSync(file);
  parts[file] = [at, at + body.length];
  at += body.length;
  bodies.push(body);
  rmSync(file);
  const fetched = `const src = fetch(new URL("./${file}", import.meta.url));`;
  if (!js.includes(fetched)) throw new Error(`${LOADER}: ${file} is not fetched as expected`);
  js = js.replace(fetched, `const src = fromBundle("${file}");`);
}
writeFileSync(BUNDLE, Buffer.concat(bodies));

// Fetched once, then sliced; a failed fetch is forgotten, so the loader's
// next try fetches again.
const helper = `
const bundleParts = ${JSON.stringify(parts)};
let bundle;
function fromBundle(name) {
    bundle ??= fetch(new URL("./${BUNDLE}", import.meta.url))
        .then((response) => response.ok ? response.arrayBuffer() : Promise.reject(new Error(\`${BUNDLE}: \${response.status}\`)));
    const taken = bundle.then((bytes) => new Response(bytes.slice(...bundleParts[name]), { headers: { "content-type": "application/wasm" } }));
    taken.catch(() => { bundle = undefined; });
    return taken;
}
`;
// After the imports at the top of the loader.
const firstLoad = js.indexOf('\nconst __chunk_');
js = js.slice(0, firstLoad) + helper + js.slice(firstLoad);
writeFileSync(LOADER, js);
console.log(`bundle-engine: ${deps.length} chunks, ${at} bytes, in ${BUNDLE}`);
