// The app comes in parts: what a member sees first (home, an invite, the
// language) is the first download; the engine (automerge, sync, commands)
// is a chunk fetched at once, behind the first screen; a group and its
// garden need only that; every other page is a chunk fetched when it first
// opens, and the service worker keeps every chunk so
// each page opens offline at the garden after one visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, createGroup, addGarden, addPlot } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** Fills the field `#id` and submits its form, as its button would. */
async function submit(page, id, value) {
  await page.locator(`#${id}`).fill(value);
  await page.locator('form', { has: page.locator(`#${id}`) }).locator('button[type=submit]').click();
}

test('the first screen fetches no page chunk, and after one visit every page opens offline', async (t) => {
  const { context, page, errors } = await launch(t);
  const chunks = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/(split|chunk)_[a-z0-9_]+-[0-9a-f]+\.wasm$/.test(path)) chunks.push(path);
  });
  await createGroup(page, server.url, 'Chunk Growers');
  const groupUrl = page.url();
  await addGarden(page, 'North lot');
  await page.getByRole('link', { name: /North lot/ }).click();
  await addPlot(page, 'A1');
  const siteUrl = page.url();
  // The engine (automerge, sync, commands) is a chunk of its own, with the
  // code it shares with pages; no page's own chunk is fetched.
  assert.ok(chunks.some((path) => path.includes('/split_engine-')), 'the engine comes as a chunk');
  assert.deepEqual(chunks.filter((path) => /\/split_/.test(path) && !path.includes('/split_engine-')), [],
    'home, a group and its garden open from the first download');
  // Home says so once the service worker holds the app, every chunk included.
  await page.goto(server.url);
  await page.getByTestId('offline-ready').waitFor({ timeout: 30_000 });
  await page.goto(siteUrl);

  // Things for the other pages to show, made online (their chunks fetched).
  await page.getByTestId('plots').getByRole('link', { name: /A1/ }).click();
  await page.locator('#plot-label').waitFor();
  const plotUrl = page.url();
  assert.ok(chunks.some((path) => path.includes('/split_plot-')), 'the plot page is a chunk of its own');
  await page.goto(`${groupUrl}/members`);
  await submit(page, 'member-name', 'Rosa');
  await page.getByTestId('members').getByRole('link', { name: /Rosa/ }).click();
  await page.getByTestId('me-button').waitFor();
  const memberUrl = page.url();
  await page.goto(`${groupUrl}/library`);
  await submit(page, 'item-name', 'Trowel');
  await page.getByTestId('library').getByRole('link', { name: /Trowel/ }).click();
  await page.locator('#borrower').waitFor();
  const itemUrl = page.url();
  await page.goto(groupUrl);
  await submit(page, 'meeting-title', 'May meeting');
  await page.getByRole('heading', { name: 'May meeting' }).waitFor();
  const meetingUrl = page.url();

  // Offline, each page from a fresh page load: the shell and every chunk
  // come from the service worker.
  await context.setOffline(true);
  const pages = [
    ['home', server.url], ['group', groupUrl], ['garden', siteUrl], ['plot', plotUrl],
    ['members', `${groupUrl}/members`], ['member', memberUrl], ['library', `${groupUrl}/library`],
    ['library item', itemUrl], ['mutual aid', `${groupUrl}/aid`], ['meeting', meetingUrl],
    ['minutes', `${meetingUrl}/minutes`], ['work days', `${siteUrl}/shifts`], ['garden log', `${siteUrl}/log`],
    ['export', `${groupUrl}/export`], ['sync and invite', `${groupUrl}/share`], ['phones', `${groupUrl}/phones`],
    ['settings', `${server.url}#/settings`],
  ];
  for (const [name, url] of pages) {
    await page.goto('about:blank');
    await page.goto(url);
    await page.locator('main h1').first().waitFor({ timeout: 10_000 }).catch(() => {
      assert.fail(`${name} did not open offline`);
    });
    assert.equal(await page.getByTestId('page-unfetched').count(), 0, `${name} was fetched`);
  }
  await page.goto(meetingUrl);
  await page.getByTestId('notes').fill('Typed offline');
  await page.getByTestId('save-status').filter({ hasText: 'Saved on this phone' }).waitFor();
  assert.deepEqual(errors, []);
});

test('a page whose chunk cannot be fetched says so, and Try again opens it', async (t) => {
  // No service worker: the chunk comes from the network, as on a first visit.
  const { context, page, errors } = await launch(t, null, { serviceWorkers: 'block' });
  let refused = 0;
  await context.route(/\/split_members-[0-9a-f]+\.wasm$/, (route) => {
    if (refused++ === 0) return route.abort('internetdisconnected');
    return route.continue();
  });
  await createGroup(page, server.url, 'Patchy Signal');
  await page.getByTestId('members-link').click();
  const alert = page.getByTestId('page-unfetched');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be fetched/);
  // The app is alive: the header still works, and the chunk loads on retry.
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.locator('#member-name').waitFor();
  assert.equal(await alert.count(), 0);
  assert.equal(refused, 2);
  assert.deepEqual(errors, []);
});

test('on a first visit the first screen shows before the engine; an engine that cannot be fetched is said, and tried again', async (t) => {
  // A first visit: no settings yet, so the language is asked first.
  const { context, page, errors } = await launch(t, null, { serviceWorkers: 'block', lang: null });
  let refused = 0;
  let fetched = 0;
  let release;
  let held = new Promise((resolve) => { release = resolve; });
  await context.route(/\/split_engine-[0-9a-f]+\.wasm$/, async (route) => {
    if (refused++ === 0) return route.abort('internetdisconnected');
    await held;
    fetched += 1;
    return route.continue();
  });
  // The small chunks the engine needs come in one file: its first fetch
  // fails too, and is fetched again.
  let bundleRefused = 0;
  await context.route(/\/chunk_engine-[0-9a-f]+\.wasm$/, (route) => {
    if (bundleRefused++ === 0) return route.abort('internetdisconnected');
    return route.continue();
  });
  await page.goto(server.url);
  // The language is asked, and home shows, with the engine still away.
  await page.getByTestId('continue').click();
  await page.getByRole('heading', { name: 'Your groups' }).waitFor();
  const alert = page.getByTestId('engine-unfetched');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be fetched yet/);
  const waiting = page.getByRole('button', { name: 'Getting the app ready…' });
  assert.equal(await waiting.isDisabled(), true, 'a group cannot be made before the engine is here');
  // Tried again on its own; once it is here, everything works.
  release();
  await page.getByRole('button', { name: 'Create group' }).waitFor({ timeout: 15_000 });
  assert.equal(await alert.count(), 0);
  assert.equal(fetched, 1);
  assert.ok(bundleRefused >= 2, 'the engine\'s chunks were fetched again after failing');
  await page.locator('#group-name').fill('Late Engine Growers');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { name: 'Late Engine Growers' }).waitFor();

  // A phone that ran the app before fetches the engine alongside the first
  // module (a preload the loader then uses: one fetch); home lists its
  // groups at once, and what is typed while the engine comes stays typed.
  held = new Promise((resolve) => { release = resolve; });
  await page.goto(server.url);
  await page.getByTestId('groups').getByText('Late Engine Growers').waitFor();
  await page.locator('#group-name').fill('Second Growers');
  release();
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { name: 'Second Growers' }).waitFor();
  assert.equal(fetched, 2);
  assert.deepEqual(errors, []);
});
