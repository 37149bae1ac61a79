// First visit's bytes: everything a new phone downloads from the host until
// the app is ready offline (the page's own loads and the service worker's
// precache), counted at the server, raw and as brotli -11 would send it.
// Shows each file fetched twice.
//   trunk build --release && node bench/first-visit.mjs [dist-dir]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { launch, DIST } from '../tests/e2e/lib.mjs';

const dir = process.argv[2] ?? DIST;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const served = [];
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
  try {
    const body = await readFile(file);
    served.push({ path, body });
    // As the test server (no-cache), or CACHE_CONTROL=max-age=600 like many hosts.
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': process.env.CACHE_CONTROL ?? 'no-cache' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const { context, page } = await launch(null);
await page.goto(url);
await page.getByTestId('offline-ready').waitFor({ timeout: 60_000 });
await page.waitForTimeout(2000);
await context.close();
server.close();

const brotli = new Map();
const sizeOf = (body) => {
  const key = body.length + ':' + body.subarray(0, 64).toString('hex');
  if (!brotli.has(key)) brotli.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
  return brotli.get(key);
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const byPath = new Map();
for (const { path, body } of served) {
  const entry = byPath.get(path) ?? { times: 0, raw: 0, br: 0 };
  entry.times += 1; entry.raw += body.length; entry.br += sizeOf(body);
  byPath.set(path, entry);
}
for (const [path, e] of [...byPath].sort((a, b) => b[1].br - a[1].br)) {
  console.log(`${path.padEnd(48)} ${String(e.times).padStart(2)}×  ${kb(e.raw).padStart(10)} raw ${kb(e.br).padStart(10)} brotli`);
}
const total = [...byPath.values()].reduce((s, e) => ({ raw: s.raw + e.raw, br: s.br + e.br }), { raw: 0, br: 0 });
const once = [...byPath.values()].reduce((s, e) => s + e.br / e.times, 0);
console.log(`first visit: ${kb(total.br)} brotli (${kb(total.raw)} raw) for ${kb(once)} of app, ${served.length} requests`);
