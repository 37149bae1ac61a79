// Phone to phone at a meeting: the sizes of the codes two phones swap (text,
// bytes, QR version), and for a group with 200 plots and 20 meetings, the
// time from the host reading the answer to the data channel open and to the
// joiner being up to date. Two headless Chromium profiles, no server.
//   scripts/release && node bench/phones.mjs [plots] [meetings]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch } from '../tests/e2e/lib.mjs';

const PLOTS = Number(process.argv[2] ?? 200);
const MEETINGS = Number(process.argv[3] ?? 20);
const server = await serve();
const host = await launch();
const joiner = await launch();
const files = await mkdtemp(join(tmpdir(), 'cg-bench-'));
const hash = (page) => new URL(page.url()).hash;

// The joiner gets the group while it is still empty, so everything below
// travels over the data channel.
await host.page.goto(server.url);
await host.page.getByLabel('Group name').fill('Bench garden club');
await host.page.getByRole('button', { name: 'Create group' }).click();
await host.page.getByLabel('Garden name').fill('Big field');
await host.page.getByRole('button', { name: 'Add a garden' }).click();
const group = hash(host.page);
await host.page.goto(`${server.url}${group}/phones`);
const [download] = await Promise.all([
  host.page.waitForEvent('download'),
  host.page.getByRole('button', { name: 'Share updates as a file' }).click(),
]);
const file = join(files, 'group.cgupdates');
await download.saveAs(file);
await joiner.page.goto(server.url);
await joiner.page.locator('#group-file').setInputFiles(file);
await joiner.page.getByRole('heading', { level: 1, name: 'Bench garden club' }).waitFor();

// The host fills the group through the real forms.
await host.page.goto(`${server.url}${group}`);
await host.page.getByRole('link', { name: /Big field/ }).click();
const site = hash(host.page);
await host.page.evaluate(async (count) => {
  const label = document.getElementById('plot-label');
  const form = label.closest('form');
  for (let n = 1; n <= count; n++) {
    label.value = `P${n}`;
    label.dispatchEvent(new Event('input', { bubbles: true }));
    form.requestSubmit();
    if (n % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}, PLOTS);
await host.page.waitForFunction((count) => document.querySelectorAll('[data-testid=plots] li').length === count, PLOTS, { timeout: 600_000 });
for (let n = 1; n <= MEETINGS; n++) {
  await host.page.goto(`${server.url}${group}`);
  await host.page.getByLabel('What the meeting is').fill(`Meeting ${n}`);
  await host.page.getByRole('button', { name: 'Add meeting' }).click();
  await host.page.getByRole('heading', { level: 1, name: `Meeting ${n}` }).waitFor();
  await host.page.getByTestId('notes').fill(`Notes of meeting ${n}: ${'we talked about compost. '.repeat(20)}`);
}
await host.page.getByTestId('save-status').filter({ hasText: 'Saved on this phone' }).waitFor({ timeout: 120_000 });

// The exchange.
const codeOf = async (page) => {
  await page.getByTestId('shown-code').waitFor();
  const text = await page.getByTestId('shown-code').inputValue();
  const side = await page.getByTestId('code-qr').evaluate((el) => Number(el.querySelector('svg').getAttribute('viewBox').split(' ')[2]));
  const version = (side - 8 - 17) / 4;
  return { text, bytes: Math.floor((text.length * 5) / 8), version };
};
await host.page.goto(`${server.url}${group}/phones`);
await host.page.getByRole('button', { name: 'Be the host' }).click();
const offer = await codeOf(host.page);
await joiner.page.goto(`${server.url}${group}/phones`);
await joiner.page.getByRole('button', { name: 'Join the host' }).click();
await joiner.page.getByLabel('Or paste the code').fill(offer.text);
await joiner.page.getByRole('button', { name: 'Connect' }).click();
const answer = await codeOf(joiner.page);
await host.page.getByLabel('Or paste the code').fill(answer.text);
const phones = host.page.getByTestId('phones');
const start = Date.now();
await host.page.getByRole('button', { name: 'Connect' }).click();
await phones.getByText(/catching up|up to date/).waitFor({ timeout: 60_000 });
const open = Date.now() - start;
await phones.getByText(/up to date at/).waitFor({ timeout: 300_000 });
const converged = Date.now() - start;

// Check that the joiner really has it all.
await joiner.page.goto(`${server.url}${site}`);
await joiner.page.waitForFunction((count) => document.querySelectorAll('[data-testid=plots] li').length === count, PLOTS, { timeout: 60_000 });
await joiner.page.goto(`${server.url}${group}`);
const meetings = await joiner.page.getByRole('link', { name: /^Meeting \d+/ }).count();

console.log(`offer code: ${offer.text.length} characters, ${offer.bytes} bytes, QR version ${offer.version}`);
console.log(`answer code: ${answer.text.length} characters, ${answer.bytes} bytes, QR version ${answer.version}`);
console.log(`${PLOTS} plots, ${MEETINGS} meetings: answer read → channel open ${open} ms, → joiner up to date ${converged} ms`);
console.log(`joiner has ${PLOTS} plots and lists ${meetings} meetings`);
await host.context.close();
await joiner.context.close();
await server.close();
