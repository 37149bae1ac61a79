// A member's first visit, on a cheap phone with prepaid data: loads the
// release build once in headless Chromium at 1.6 Mbit/s down, 150 ms latency
// and 4× CPU slowdown (CDP emulation), with no service worker yet.
//
// Prints each file fetched with its gzip -9 and brotli -11 size, then:
// - the first screen: every file the page needs before its first screen
//   (HTML, JS, CSS, the first wasm module), against the 500 KB budget;
// - the engine: the chunk with automerge, sync and commands, and the code it
//   shares with pages, fetched behind the first screen;
// - the time to the first screen (the language asked) and to a usable app
//   (language chosen, the engine here: "Create group" can be pressed);
// - the total of every file the build has (what the service worker keeps).
//   scripts/release && node bench/first-load.mjs
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serve, launch, DIST } from '../tests/e2e/lib.mjs';

const BUDGET = 500 * 1024;
// Sent gzip -9 compressed, as a static host would.
const server = await serve(DIST, 0, { gzip: true });
// A first visit: no service worker, no settings (the language is asked).
const { context, page } = await launch(null, null, { serviceWorkers: 'block', lang: null });
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.emulateNetworkConditions', {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6e6 / 8),
  uploadThroughput: (750e3 / 8),
});
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

const files = [];
let start = Date.now();
page.on('response', async (response) => {
  const url = new URL(response.url());
  if (!/\.(html|js|wasm|css)$|\/$/.test(url.pathname) || url.pathname.endsWith('sw.js')) return;
  files.push({ path: url.pathname, at: Date.now() - start, body: await response.body() });
});
start = Date.now();
await page.goto(server.url, { waitUntil: 'commit' });
await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 120_000 });
const firstScreen = Date.now() - start;
await page.getByTestId('continue').click();
await page.getByRole('button', { name: 'Create group' }).waitFor({ timeout: 120_000 });
const usable = Date.now() - start;
await page.waitForLoadState('networkidle');
await context.close();
await server.close();

// Compressed once the page is loaded: brotli -11 of a large wasm takes
// seconds and would stall the browser driver meanwhile.
const sizes = (body) => ({
  raw: body.length,
  gzip: gzipSync(body, { level: 9 }).length,
  brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
for (const f of files) Object.assign(f, sizes(f.body));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const later = (f) => /\/(split|chunk)_[a-z0-9_]+-[0-9a-f]+\.wasm$/.test(f.path);
const first = files.filter((f) => !later(f));
const engine = files.filter(later);
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);

files.sort((a, b) => b.gzip - a.gzip);
for (const f of files.filter((f) => f.gzip > 2048)) {
  console.log(`${f.path.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip -9 ${kb(f.brotli).padStart(10)} brotli, here at ${(f.at / 1000).toFixed(1)} s`);
}
console.log(`(and ${files.filter((f) => f.gzip <= 2048).length} files under 2 KB)`);

let all = 0;
for (const name of await readdir(DIST)) {
  if (/\.(js|wasm|css|html)$/.test(name)) all += gzipSync(await readFile(join(DIST, name)), { level: 9 }).length;
}
const within = sum(first, 'gzip') <= BUDGET;
console.log(`first screen: ${kb(sum(first, 'gzip'))} gzip -9, ${kb(sum(first, 'brotli'))} brotli -11 (budget ${kb(BUDGET)} gzip): ${within ? 'within budget' : 'OVER BUDGET'}`);
console.log(`engine, fetched behind it: ${kb(sum(engine, 'gzip'))} gzip -9 in ${engine.length} files`);
console.log(`first screen shown after ${(firstScreen / 1000).toFixed(1)} s; usable (engine here) after ${(usable / 1000).toFixed(1)} s (1.6 Mbit/s, 150 ms, 4× CPU)`);
console.log(`the whole app, every page (what the service worker keeps): ${kb(all)} gzip -9`);
