// Shared helpers for the end-to-end tests: a static server for the built
// app, Debian's Chromium at a phone's size, and screenshots under target/.
import { createServer } from 'node:http';
import { readFile, mkdir, mkdtemp } from 'node:fs/promises';
import { rmSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'screenshots');
export const PHONE = { width: 360, height: 740 };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves `dir` on 127.0.0.1 like any static host would; with `gzip`, bodies
 * go gzip -9 compressed to a browser that accepts it, as most hosts send them.
 */
export async function serve(dir = DIST, port = 0, { gzip = false } = {}) {
  // Compressed before the first request, as a host stores them, so that
  // compressing is not timed as transfer.
  const packed = new Map(gzip ? readdirSync(dir, { recursive: true })
    .filter((name) => /\.(html|js|wasm|css|json|webmanifest|svg)$/.test(name))
    .map((name) => [join(dir, name), gzipSync(readFileSync(join(dir, name)), { level: 9 })]) : []);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (packed.has(file) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        body = packed.get(file);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const close = () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); });
  return { url, close, port: server.address().port };
}

// Profiles and server directories are 10–20 MB each and a run makes about a
// hundred: they go when this test file's process ends, or the disk fills.
const scratch = [];
process.on('exit', () => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
export async function scratchDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * A browser with its own profile directory, at a phone's size. Pass the
 * test context `t` so the browser is closed even when the test fails.
 * `locale` is the browser's language; `lang` is the language the member
 * already chose in the app (null: a first run, which asks).
 */
export async function launch(t, profile, { args = [], locale = 'en-US', lang = 'en', serviceWorkers = 'allow' } = {}) {
  profile ??= await scratchDir('cg-profile-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    serviceWorkers,
  });
  t?.after(() => context.close().catch(() => {}));
  if (lang) {
    await context.addInitScript((tag) => {
      try {
        const key = 'common-ground.settings';
        const settings = JSON.parse(localStorage.getItem(key) ?? '{}');
        if (!settings.lang) localStorage.setItem(key, JSON.stringify({ ...settings, lang: tag }));
      } catch { /* about:blank has no storage */ }
    }, lang);
  }
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The browser's own warnings (a data channel or ICE failing), for reports.
  const warnings = [];
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) warnings.push(message.text().slice(0, 300));
  });
  return { context, page, profile, errors, warnings };
}

/**
 * What each phone at a meeting shows, for a failure's message: its room
 * line, the phones it lists and their states, its notice, the status
 * bar's details (trouble a peer caused is said there), and any error or
 * browser warning. `phones` are `launch` results with a `name`.
 */
export async function meetingReport(phones) {
  const text = (page, selector) => page.locator(selector).first()
    .evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim(), null, { timeout: 1000 })
    .catch(() => '(none)');
  const lines = await Promise.all(phones.map(async (p) => [
    `${p.name} at ${new URL(p.page.url()).hash}:`,
    `  room: ${await text(p.page, '[data-testid=room-status]')}`,
    `  phones: ${await text(p.page, '[data-testid=phones]')}`,
    `  notice: ${await text(p.page, '[data-testid=phones-notice]')}`,
    `  status bar: ${await text(p.page, 'details.status-bar')}`,
    `  errors: ${JSON.stringify(p.errors)} browser: ${JSON.stringify(p.warnings.slice(-8))}`,
  ].join('\n')));
  return lines.join('\n');
}

/**
 * Saves a screenshot a reviewer can look at: target/screenshots/<name>.png,
 * the whole page; a long page also as phone-screen parts <name>.1.png, ...
 */
export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  // From the top, so the sticky header is drawn where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height > PHONE.height * 1.5) {
    // Screen by screen, as the member scrolls (the header stays on top).
    const step = PHONE.height - 160;
    for (let part = 0; part * step < height - 160; part++) {
      await page.evaluate((y) => window.scrollTo(0, y), part * step);
      await page.screenshot({ path: join(SHOTS, `${name}.${part + 1}.png`) });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
  }
}

/**
 * Starts the real `@automerge/automerge-repo-sync-server` from npm on
 * 127.0.0.1 with its own data directory; resolves once it accepts sockets.
 */
export async function startSyncServer(t, { port = 0, dataDir } = {}) {
  const { spawn } = await import('node:child_process');
  const { createServer: netServer } = await import('node:net');
  if (!port) {
    port = await new Promise((resolve) => {
      const probe = netServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
    });
  }
  dataDir ??= await scratchDir('cg-sync-server-');
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/@automerge/automerge-repo-sync-server/src/index.js')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => { if (String(chunk).includes('Listening')) resolve(); });
    child.on('exit', (code) => reject(new Error(`sync server exited with ${code}`)));
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
  t?.after(stop);
  return { url: `ws://127.0.0.1:${port}`, port, dataDir, stop };
}

// What a member does again and again, shared by the test files.
export const saved = (page) => page.getByTestId('save-status').filter({ hasText: 'Saved on this phone' }).waitFor();

export async function createGroup(page, url, name) {
  await page.goto(url);
  await page.getByLabel('Group name').fill(name);
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export async function addGarden(page, name) {
  await page.getByLabel('Garden name').fill(name);
  await page.getByRole('button', { name: 'Add a garden' }).click();
  await page.getByRole('link', { name: new RegExp(name) }).waitFor();
}

export async function addPlot(page, label, size = '', status = null) {
  await page.getByLabel('Plot label').fill(label);
  await page.getByLabel('Size').fill(size);
  if (status) await page.getByLabel('Status').selectOption({ label: status });
  await page.getByRole('button', { name: 'Add a plot' }).click();
  await page.getByTestId('plots').getByText(label, { exact: true }).waitFor();
}

export const plotLabels = (page) => page.locator('[data-testid=plots] .card-title').allTextContents();

/** Whether each part of the closed status line shows whole, on one line. */
export function statusLineWhole(page) {
  return page.evaluate(() => {
    const summary = document.querySelector('[data-testid=status-summary]');
    const line = summary.querySelector('.status-line').getBoundingClientRect();
    const parts = [...summary.querySelectorAll('.status-line > .status')]
      .filter((part) => getComputedStyle(part).display !== 'none');
    const tops = new Set(parts.map((part) => Math.round(part.getBoundingClientRect().top)));
    // Cut short inside (an ellipsis) or cut off by the line's end.
    const cut = parts
      .filter((part) => part.scrollWidth > part.clientWidth + 1 || part.getBoundingClientRect().right > line.right + 0.5)
      .map((part) => part.textContent);
    return { oneLine: tops.size === 1 && summary.getBoundingClientRect().height < 50, cut };
  });
}
