// Storage trouble as members meet it: a full disk (made real with CDP's
// Storage.overrideQuotaForOrigin) says what happened and what to do, keeps
// the changes, warns before the page closes, and saves them once space is
// back; the Settings page says whether the browser keeps the data; a new
// build deployed under an open page is announced and one tap loads it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, scratchDir, launch, shot, saved, createGroup, addGarden, addPlot, plotLabels, DIST } from './lib.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

/**
 * The disk fills up: this origin may store nothing more. Chromium's
 * IndexedDB lets writes use space it already counted for up to 30 s
 * (BucketContext::kBucketSpaceCacheTimeLimit), so wait that out.
 */
async function fillDisk(cdp, origin) {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  await new Promise((resolve) => setTimeout(resolve, 31_000));
}

test('a full disk is explained, nothing is lost, and saving resumes when space is back', async (t) => {
  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Full Garden');
  await addGarden(page, 'Maple St');
  await page.getByRole('link', { name: /Maple St/ }).click();
  await addPlot(page, 'Before');
  await saved(page);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(app.url).origin;
  await fillDisk(cdp, origin);
  await addPlot(page, 'While full 1');
  await addPlot(page, 'While full 2');
  await page.getByTestId('save-status').getByText('Storage full — not saved').waitFor({ timeout: 30_000 });
  const problem = page.getByTestId('save-problem');
  await problem.getByText(/storage is full/).waitFor();
  await problem.getByText(/free some space/).waitFor();
  await page.getByTestId('status-details').getByText('Not saved: Full Garden').waitFor();
  await shot(page, 'status-disk-full');
  // The changes are still on screen (in memory).
  assert.deepEqual(await plotLabels(page), ['Before', 'While full 1', 'While full 2']);
  // Closing the page now asks first.
  const asked = new Promise((resolve) => page.once('dialog', async (dialog) => {
    resolve(dialog.type());
    await dialog.dismiss();
  }));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  assert.equal(page.isClosed(), false, 'the member chose to stay');

  // Space is back: the next retry (at most 30 s apart) saves everything
  // kept in memory, without a tap.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByTestId('save-status').getByText('Saved on this phone').waitFor({ timeout: 40_000 });
  await page.reload();
  await page.getByTestId('plots').getByText('While full 2', { exact: true }).waitFor();
  assert.deepEqual(await plotLabels(page), ['Before', 'While full 1', 'While full 2']);
  assert.deepEqual(errors, []);
});

test('the full-disk message speaks the member\'s language', async (t) => {
  const { page } = await launch(t, null, { locale: 'es-ES', lang: 'es' });
  await page.goto(app.url);
  await page.getByLabel('Nombre del grupo').fill('Huerto lleno');
  await page.getByRole('button', { name: 'Crear grupo' }).click();
  await page.getByRole('heading', { level: 1, name: 'Huerto lleno' }).waitFor();
  await page.getByTestId('save-status').getByText('Guardado en este teléfono').waitFor();
  const cdp = await page.context().newCDPSession(page);
  await fillDisk(cdp, new URL(app.url).origin);
  await page.getByLabel('Nombre del huerto').fill('Calle Arce');
  await page.getByRole('button', { name: 'Agregar un huerto' }).click();
  await page.getByTestId('save-status').getByText('Almacenamiento lleno: sin guardar').waitFor({ timeout: 30_000 });
  await page.getByTestId('save-problem').getByText(/libera espacio/).waitFor();
  await shot(page, 'status-disk-full-es');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(app.url).origin });
  // "Try again" saves at once. The app's own retry (at most 30 s apart)
  // may start just before the tap and take the button away while it
  // writes; then it saves on its own, and the tap is not needed.
  const retry = page.getByRole('button', { name: 'Intentar de nuevo' });
  const tapped = await retry.click({ timeout: 5_000 }).then(() => true, () => false);
  await page.getByTestId('save-status').getByText('Guardado en este teléfono').waitFor({ timeout: tapped ? 10_000 : 40_000 });
});

test('Settings says whether this browser keeps the app\'s data', async (t) => {
  const { page } = await launch(t);
  await page.goto(`${app.url}#/settings`);
  await page.getByRole('heading', { name: 'Storage on this phone' }).waitFor();
  // Headless Chromium may or may not grant persistence; either way it says so.
  await page.getByTestId('storage-keeping').getByText(/keeps the app's data|may delete|private window/).waitFor();
  await page.getByTestId('storage-persist').getByText(/this browser agreed|did not promise|cannot be asked/).waitFor();
  await shot(page, 'settings');
});

test('a new version deployed under an open page is announced, and one tap loads it', async (t) => {
  // A copy of the build that can be "deployed" again.
  const dir = await scratchDir('cg-deploy-');
  await cp(DIST, dir, { recursive: true });
  const site = await serve(dir);
  t.after(() => site.close());
  const { page, errors } = await launch(t);
  await page.goto(site.url);
  await page.getByTestId('offline-ready').waitFor({ timeout: 30_000 });
  const before = await page.evaluate(() => caches.keys());
  assert.equal(before.length, 1);
  // A new build: another worker (new build id) and another index.html.
  const sw = await readFile(join(dir, 'sw.js'), 'utf8');
  await writeFile(join(dir, 'sw.js'), sw.replace(/const BUILD = "([^"]+)"/, 'const BUILD = "$1next"'));
  const index = await readFile(join(dir, 'index.html'), 'utf8');
  await writeFile(join(dir, 'index.html'), index.replace('</head>', '<meta name="build" content="next"></head>'));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.getByTestId('update-ready').getByText('A new version is ready').waitFor({ timeout: 30_000 });
  await shot(page, 'update-ready');
  // The old cache stays while the old page is open.
  assert.equal((await page.evaluate(() => caches.keys())).length, 2);
  await Promise.all([
    page.waitForEvent('load'),
    page.getByTestId('update-ready').getByRole('button', { name: 'Reload' }).click(),
  ]);
  await page.waitForFunction(() => document.querySelector('meta[name=build]')?.content === 'next');
  await page.waitForFunction(async () => (await caches.keys()).length === 1);
  const after = await page.evaluate(() => caches.keys());
  assert.ok(after[0].endsWith('next'), after[0]);
  assert.equal(await page.getByTestId('update-ready').count(), 0);
  assert.deepEqual(errors, []);
});
