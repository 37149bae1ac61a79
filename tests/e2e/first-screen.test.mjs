// A group's first screen from its cached copy (core/first_screen.rs): a
// phone that holds a group shows its garden before the engine (automerge)
// is here, but only when the cached copy is exactly the stored document
// (its chunk keys equal the stored ones). Anything else waits for the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, createGroup, addGarden, addPlot, saved, plotLabels, shot } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

const ENGINE = /\/(split|chunk)_engine-[0-9a-f]+\.wasm$/;
const CACHE = 'common-ground-first-screen';

/** Refuses the engine's files until the returned function is called. */
async function blockEngine(context) {
  let blocked = true;
  await context.route(ENGINE, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  return () => { blocked = false; };
}

/**
 * Leaves the app for a blank page of its origin (no engine running there
 * to write the record again), where IndexedDB can be read and written.
 */
async function leave(context, page) {
  await context.route(`${server.url}blank.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>blank</title>' }));
  await page.goto(`${server.url}blank.html`);
}

/** The cached record of a group (as bytes), or null. */
const record = (page, group) => page.evaluate(({ name, group }) => new Promise((resolve) => {
  const request = indexedDB.open(name);
  request.onupgradeneeded = () => request.transaction.abort();
  request.onerror = () => resolve(null);
  request.onsuccess = () => {
    const db = request.result;
    const get = db.transaction('groups').objectStore('groups').get(group);
    get.onsuccess = () => { db.close(); resolve(get.result ? Array.from(get.result) : null); };
    get.onerror = () => { db.close(); resolve(null); };
  };
}), { name: CACHE, group });

/** Puts bytes in place of a group's cached record. */
const putRecord = (page, group, bytes) => page.evaluate(({ name, group, bytes }) => new Promise((resolve, reject) => {
  const request = indexedDB.open(name);
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction('groups', 'readwrite');
    tx.objectStore('groups').put(new Uint8Array(bytes), group);
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onabort = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
}), { name: CACHE, group, bytes });

/** Waits until the engine has written the group's cached record (after a quiet second). */
async function recordWritten(page, group, previous = null) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const bytes = await record(page, group);
    if (bytes && JSON.stringify(bytes) !== JSON.stringify(previous)) return bytes;
    if (Date.now() > deadline) assert.fail('the cached first screen was never written');
    await page.waitForTimeout(200);
  }
}

/** A phone holding a group with a garden of three plots; returns its addresses. */
async function gardenWithPlots(page, name) {
  await createGroup(page, server.url, name);
  const groupUrl = page.url();
  const group = decodeURIComponent(groupUrl.split('#/g/')[1]);
  await addGarden(page, 'North lot');
  await page.getByRole('link', { name: /North lot/ }).click();
  for (const label of ['A1', 'A2', 'A3']) await addPlot(page, label);
  await saved(page);
  return { groupUrl, siteUrl: page.url(), group };
}

test('a phone that holds a group shows its garden from the cache before the engine, and nothing typed is lost when it comes', async (t) => {
  const { context, page, errors } = await launch(t, null, { serviceWorkers: 'block' });
  const { groupUrl, siteUrl, group } = await gardenWithPlots(page, 'Cached Growers');
  await recordWritten(page, group);

  const unblock = await blockEngine(context);
  await page.goto('about:blank');
  await page.goto(siteUrl);
  // The plots show with the engine refused.
  await page.getByTestId('plots').waitFor();
  assert.deepEqual(await plotLabels(page), ['A1', 'A2', 'A3']);
  const waiting = page.getByTestId('first-screen-waiting');
  assert.match(await waiting.textContent(), /Getting the app ready/);
  const addButton = page.locator('form', { has: page.locator('#plot-label') }).locator('button[type=submit]');
  assert.equal(await addButton.isDisabled(), true, 'nothing is added before the engine is here');
  await page.locator('#plot-label').fill('B9');
  await shot(page, 'first-screen-site-waiting');
  // The group's page too.
  await page.goto(groupUrl);
  await page.getByTestId('gardens').getByRole('link', { name: /North lot/ }).waitFor();
  assert.equal(await page.locator('form', { has: page.locator('#garden-name') }).locator('button[type=submit]').isDisabled(), true);
  await shot(page, 'first-screen-group-waiting');
  await page.getByRole('link', { name: /North lot/ }).click();
  await page.locator('#plot-label').fill('B9');

  // The engine comes (tried again every 3 s): the same page, the typed label kept.
  unblock();
  await waiting.waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal(await page.locator('#plot-label').inputValue(), 'B9', 'what was typed is kept');
  assert.equal(await addButton.isDisabled(), false);
  await addButton.click();
  await page.getByTestId('plots').getByRole('link', { name: /B9/ }).waitFor();
  assert.deepEqual(await plotLabels(page), ['A1', 'A2', 'A3', 'B9']);
  await saved(page);
  assert.deepEqual(errors, []);
});

test('a cached copy older than the stored document is not shown', async (t) => {
  const { context, page, errors } = await launch(t, null, { serviceWorkers: 'block' });
  const { siteUrl, group } = await gardenWithPlots(page, 'Moving Growers');
  const old = await recordWritten(page, group);
  // Another tab (or a sync) writes a plot; this phone's record is then
  // the older one (as if that tab closed before it wrote its own).
  const other = await context.newPage();
  await other.goto(siteUrl);
  await addPlot(other, 'C7');
  await saved(other);
  await other.close();
  await leave(context, page);
  await putRecord(page, group, old);

  const unblock = await blockEngine(context);
  await page.goto(siteUrl);
  await page.getByTestId('getting-ready').waitFor();
  // Well past the time the cached copy shows in the test above.
  await page.waitForTimeout(2000);
  assert.equal(await page.getByTestId('plots').count(), 0, 'the older copy (without C7) is never shown');
  unblock();
  await page.getByTestId('plots').getByRole('link', { name: /C7/ }).waitFor({ timeout: 20_000 });
  assert.deepEqual(await plotLabels(page), ['A1', 'A2', 'A3', 'C7']);
  assert.deepEqual(errors, []);
});

test('a damaged cached copy is ignored: the garden shows once the engine is here', async (t) => {
  const { context, page, errors } = await launch(t, null, { serviceWorkers: 'block' });
  const { siteUrl, group } = await gardenWithPlots(page, 'Damaged Growers');
  const bytes = await recordWritten(page, group);
  // A label in the record changed (its checksum no longer matches), then
  // a record cut short, then bytes that were never a record.
  const renamed = [...bytes];
  const at = bytes.findIndex((b, i) => b === 0x41 && bytes[i + 1] === 0x32); // "A2"
  assert.ok(at > 0, 'the record holds the label');
  renamed[at + 1] = 0x39; // "A9"
  for (const damaged of [renamed, bytes.slice(0, bytes.length >> 1), [1, 2, 3, 4, 5]]) {
    await leave(context, page);
    await putRecord(page, group, damaged);
    const unblock = await blockEngine(context);
    await page.goto(siteUrl);
    await page.getByTestId('getting-ready').waitFor();
    await page.waitForTimeout(1000);
    assert.equal(await page.getByTestId('plots').count(), 0, 'a damaged copy is not shown');
    unblock();
    await context.unroute(ENGINE);
    await page.getByTestId('plots').waitFor({ timeout: 20_000 });
    assert.deepEqual(await plotLabels(page), ['A1', 'A2', 'A3']);
  }
  assert.deepEqual(errors, []);
});
