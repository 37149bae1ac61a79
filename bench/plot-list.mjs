// Time from navigation to the plot list rendered (its first page of 100),
// with 500 plots stored, in headless Chromium at 360×740 (median of several
// runs, release build).
//   scripts/release && node bench/plot-list.mjs [plots] [runs]
import { serve, launch } from '../tests/e2e/lib.mjs';

const PLOTS = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 7);
// The site page lists the first 100 plots, then more on "Show more".
const FIRST = Math.min(PLOTS, 100);
const server = await serve();
const { context, page } = await launch();

await page.goto(server.url);
await page.getByLabel('Group name').fill('Bench garden club');
await page.getByRole('button', { name: 'Create group' }).click();
await page.getByLabel('Garden name').fill('Big field');
await page.getByRole('button', { name: 'Add a garden' }).click();
await page.getByRole('link', { name: /Big field/ }).click();
const seedStart = Date.now();
// Seed through the real form, as a member would, only faster.
await page.evaluate(async (count) => {
  const label = document.getElementById('plot-label');
  const form = label.closest('form');
  for (let n = 1; n <= count; n++) {
    label.value = `P${n}`;
    label.dispatchEvent(new Event('input', { bubbles: true }));
    form.requestSubmit();
    if (n % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}, PLOTS);
await page.waitForFunction((count) => document.querySelectorAll('[data-testid=plots] li').length === count, FIRST, { timeout: 600_000 });
await page.getByTestId('save-status').filter({ hasText: 'Saved on this phone' }).waitFor({ timeout: 120_000 });
console.log(`seeded ${PLOTS} plots through the form in ${Date.now() - seedStart} ms`);
const siteUrl = page.url();

const times = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto('about:blank');
  await page.goto(siteUrl);
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid=plots] li').length === count, FIRST, { polling: 'raf', timeout: 60_000 });
  times.push(await page.evaluate(() => performance.now()));
}
await context.close();
await server.close();
times.sort((a, b) => a - b);
console.log(`navigation → ${PLOTS} plots listed: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms ` +
  `(min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}, ${RUNS} runs)`);
