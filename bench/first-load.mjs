// First-load transfer of the release build: loads the app once in headless
// Chromium, records every HTML, JS, wasm and CSS file the first page fetches,
// and sums their gzip -9 sizes. Budget: 500 KB.
//   scripts/release && node bench/first-load.mjs
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serve, launch } from '../tests/e2e/lib.mjs';

const BUDGET = 500 * 1024;
const server = await serve();
const { context, page } = await launch();
const files = [];
page.on('response', async (response) => {
  const url = new URL(response.url());
  if (!/\.(html|js|wasm|css)$|\/$/.test(url.pathname) || url.pathname.endsWith('sw.js')) return;
  files.push({ path: url.pathname, body: await response.body() });
});
await page.goto(server.url);
await page.getByRole('heading', { level: 1 }).waitFor();
await page.waitForLoadState('networkidle');
await context.close();
await server.close();
// Compressed once the page is loaded: brotli -11 of a large wasm takes
// seconds and would stall the browser driver meanwhile.
for (const f of files) {
  f.raw = f.body.length;
  f.gzip = gzipSync(f.body, { level: 9 }).length;
  f.brotli = brotliCompressSync(f.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
files.sort((a, b) => b.gzip - a.gzip);
for (const f of files) console.log(`${f.path.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip -9`);
const total = files.reduce((sum, f) => sum + f.gzip, 0);
console.log(`first load: ${kb(total)} gzip -9 (budget ${kb(BUDGET)}): ${total <= BUDGET ? 'within budget' : 'OVER BUDGET'}`);
console.log(`(for comparison, brotli -11 as most static hosts serve it: ${kb(files.reduce((sum, f) => sum + f.brotli, 0))})`);
