// Sealed groups through the real npm sync server: two phones converge on a
// sealed group (plots, a library item, an aid post, meeting notes typed at
// once, an edit made offline), the server's data directory holds none of
// the group's words, names or ids, a third phone joins by invite, and after
// "Change the group's key" a phone with the old key reads nothing new.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as A from '@automerge/automerge';
import { parseAutomergeUrl } from '@automerge/automerge-repo';
import { serve, launch, shot, startSyncServer, saved, addGarden, addPlot, scratchDir } from './lib.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

/** Every file under `dir`: its path and bytes. */
async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      out.push({ path, bytes: await readFile(path) });
    }
  }
  return out;
}

/**
 * What the server keeps, readable: each file's path and bytes, and each
 * stored chunk loaded by automerge and written out as JSON (automerge
 * compresses columns, so a word could hide in the raw bytes).
 */
async function serverText(dir) {
  const texts = [];
  const docs = [];
  for (const { path, bytes } of await filesUnder(dir)) {
    texts.push(path, bytes.toString('latin1'), bytes.toString('utf8'));
    try {
      const doc = A.loadIncremental(A.init(), new Uint8Array(bytes));
      const json = JSON.stringify(A.toJS(doc), (_, v) => (v instanceof Uint8Array ? `bytes:${v.length}` : v));
      texts.push(json);
      docs.push(doc);
      for (const change of A.getAllChanges(doc)) {
        texts.push(JSON.stringify(A.decodeChange(change), (_, v) => (v instanceof Uint8Array ? `bytes:${v.length}` : v)));
      }
    } catch { /* not a chunk (the server's own files) */ }
  }
  return { text: texts.join('\n'), docs };
}

test('two phones converge on a sealed group through the npm server, which keeps nothing it can read; a third joins by invite; a new key leaves the old one reading nothing new', async (t) => {
  const server = await startSyncServer(t);
  const ana = await launch(t);
  const page = ana.page;
  await page.goto(app.url);
  await page.getByLabel('Group name').fill('Sealed Growers');
  await page.getByTestId('seal-new-group').check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sealed Growers' }).waitFor();
  const href = groupHref(page);
  const groupUrl = `${app.url}${href}`;
  await addGarden(page, 'Magnolia Lot');
  await page.getByRole('link', { name: /Magnolia Lot/ }).click();
  const siteUrl = page.url();
  await addPlot(page, 'Quince7');
  await page.goto(`${groupUrl}/library`);
  await page.getByLabel('Name').fill('Wheelbarrowzz');
  await page.getByLabel('Where it is kept').fill('Tinshed');
  await page.getByRole('button', { name: 'Add to the library' }).click();
  await page.getByTestId('library').getByText('Wheelbarrowzz').waitFor();
  await page.goto(`${groupUrl}/aid`);
  await page.getByLabel('What is needed or offered').fill('Ride to hearing Thursday');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByTestId('aid-post').filter({ hasText: 'Ride to hearing' }).waitFor();
  await page.goto(groupUrl);
  await page.getByLabel('What the meeting is').fill('Budgetmeet');
  await page.getByRole('button', { name: 'Add meeting' }).click();
  await page.getByRole('heading', { level: 1, name: 'Budgetmeet' }).waitFor();
  const meetingUrl = page.url();
  await page.getByTestId('notes').fill('Treasurer Xiomara reports.');
  await saved(page);

  // The sync server: the group is sealed already, and says what the server sees.
  await page.goto(`${groupUrl}/share`);
  await page.getByTestId('sealed-on').waitFor();
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${server.port}`).waitFor();
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor({ timeout: 20_000 });
  await page.getByTestId('seal-server-sees').getByText(/How many updates there are \(\d+ now\)/i).waitFor();
  await shot(page, 'sealed-share');
  const invite = await page.getByTestId('invite-link').inputValue();
  assert.match(invite, /[?&]key=/, 'the invite carries the key');
  assert.ok(invite.indexOf('#') < invite.indexOf('key='), 'the key is in the fragment');

  // The same invite with its key lost on the way (a messenger cut it): the
  // phone says at once that the group is sealed and it needs the key, and
  // asks the server nothing (not even whether it holds the group).
  const keyless = invite.replace(/&key=[^&]*/, '');
  assert.ok(!keyless.includes('key='), keyless);
  const eve = await launch(t);
  const sockets = [];
  eve.page.on('websocket', (ws) => sockets.push(ws.url()));
  const opened = Date.now();
  await eve.page.goto(keyless);
  await eve.page.getByTestId('invite-needs-key').getByText(/sealed.*lost the key/).waitFor({ timeout: 5_000 });
  assert.ok(Date.now() - opened < 5_000, 'said at once');
  assert.equal(await eve.page.getByRole('button', { name: 'Join the group' }).count(), 0, 'nothing to join without the key');
  await shot(eve.page, 'sealed-invite-without-key');
  await eve.page.waitForTimeout(1_000);
  assert.deepEqual(sockets, [], 'no connection to the server');
  assert.deepEqual(eve.errors, []);

  // Ben joins by the invite: the group comes out of the sealed log.
  const ben = await launch(t);
  await ben.page.goto(invite);
  await ben.page.getByTestId('invite-sealed').waitFor();
  await ben.page.getByRole('button', { name: 'Join the group' }).click();
  await ben.page.getByRole('heading', { level: 1, name: 'Sealed Growers' }).waitFor({ timeout: 30_000 });
  await ben.page.goto(siteUrl);
  await ben.page.getByTestId('plots').getByText('Quince7', { exact: true }).waitFor({ timeout: 20_000 });
  await ben.page.goto(`${groupUrl}/library`);
  await ben.page.getByTestId('library').getByText('Wheelbarrowzz').waitFor({ timeout: 20_000 });
  await ben.page.goto(`${groupUrl}/aid`);
  await ben.page.getByTestId('aid-post').filter({ hasText: 'Ride to hearing' }).waitFor({ timeout: 20_000 });
  await ben.page.goto(meetingUrl);
  await ben.page.waitForFunction(() => document.querySelector('[data-testid=notes]')?.value === 'Treasurer Xiomara reports.', null, { timeout: 20_000 });

  // Both type into the notes at once; both keep both.
  await page.goto(meetingUrl);
  await page.getByTestId('notes').waitFor();
  await Promise.all([
    page.getByTestId('notes').press('End').then(() => page.getByTestId('notes').pressSequentially(' Anaword.')),
    ben.page.getByTestId('notes').press('Home').then(() => ben.page.getByTestId('notes').pressSequentially('Benword. ')),
  ]);
  for (const phone of [page, ben.page]) {
    await phone.waitForFunction(() => {
      const notes = document.querySelector('[data-testid=notes]').value;
      return notes.includes('Anaword.') && notes.includes('Benword.') && notes.includes('Xiomara');
    }, null, { timeout: 30_000 });
  }

  // Ben adds a plot offline; it reaches Ana once he is back.
  await ben.page.goto(siteUrl);
  await ben.page.getByTestId('plots').getByText('Quince7', { exact: true }).waitFor();
  await ben.context.setOffline(true);
  await addPlot(ben.page, 'Offlinepear');
  await saved(ben.page);
  await ben.context.setOffline(false);
  await page.goto(siteUrl);
  await page.getByTestId('plots').getByText('Offlinepear', { exact: true }).waitFor({ timeout: 45_000 });

  // A third phone joins by the same invite and reads everything.
  const carla = await launch(t);
  await carla.page.goto(invite);
  await carla.page.getByRole('button', { name: 'Join the group' }).click();
  await carla.page.getByRole('heading', { level: 1, name: 'Sealed Growers' }).waitFor({ timeout: 30_000 });
  await carla.page.goto(siteUrl);
  await carla.page.getByTestId('plots').getByText('Offlinepear', { exact: true }).waitFor({ timeout: 20_000 });
  await shot(carla.page, 'sealed-third-phone');

  // What the server keeps: the sealed log, and nothing of the group.
  const meetingId = new URL(meetingUrl).hash.match(/meeting\/([^/?]+)/)[1];
  const groupId = href.replace('#/g/', '');
  const { text, docs } = await serverText(server.dataDir);
  assert.ok(docs.length > 0, 'the server stored the sealed log');
  for (const secret of [
    'Sealed Growers', 'Magnolia', 'Quince7', 'Wheelbarrowzz', 'Tinshed', 'Ride to hearing', 'Budgetmeet',
    'Xiomara', 'Anaword', 'Benword', 'Offlinepear', groupId, meetingId,
  ]) {
    assert.ok(!text.includes(secret), `the server's data holds “${secret}”`);
  }
  // Nor the ids' 16 bytes, anywhere in its files.
  const files = await filesUnder(server.dataDir);
  for (const id of [groupId, meetingId]) {
    const raw = Buffer.from(parseAutomergeUrl(`automerge:${id}`).binaryDocumentId);
    assert.ok(files.every(({ bytes }) => !bytes.includes(raw)), `the server's data holds the bytes of ${id}`);
  }

  // Ana changes the group's key (someone left): a new key, a new log. What
  // she writes after reaches a phone with the new invite, never Ben's old key.
  await page.goto(`${groupUrl}/share`);
  await page.getByTestId('change-key').click();
  const renewed = await page.getByTestId('invite-link').inputValue();
  assert.notEqual(renewed, invite, 'the invite carries the new key');
  await page.goto(siteUrl);
  await addPlot(page, 'Afterkey');
  await saved(page);
  const dana = await launch(t);
  await dana.page.goto(renewed);
  await dana.page.getByRole('button', { name: 'Join the group' }).click();
  await dana.page.getByRole('heading', { level: 1, name: 'Sealed Growers' }).waitFor({ timeout: 30_000 });
  await dana.page.goto(siteUrl);
  await dana.page.getByTestId('plots').getByText('Afterkey', { exact: true }).waitFor({ timeout: 30_000 });
  await dana.page.getByTestId('plots').getByText('Offlinepear', { exact: true }).waitFor();
  await ben.page.goto(siteUrl);
  await ben.page.getByTestId('plots').getByText('Offlinepear', { exact: true }).waitFor();
  // Ben's phone, with the old key, is told the key changed (the old log's
  // closing note, sealed in the old key) and reads nothing written after.
  await ben.page.getByTestId('seal-key-changed').getByText(/key was changed/).waitFor({ timeout: 30_000 });
  await shot(ben.page, 'sealed-key-changed');
  // Its status bar does not say "Synced": the server no longer carries
  // its changes to anyone.
  await ben.page.getByTestId('sync-status').getByText('Sync paused').first().waitFor();
  assert.equal(await ben.page.getByTestId('status-summary').getByText('Synced', { exact: true }).count(), 0);
  await ben.page.waitForTimeout(3_000);
  assert.ok(!(await ben.page.getByTestId('plots').textContent()).includes('Afterkey'), 'the old key read a plot written after the change');
  for (const phone of [ana, ben, carla, dana]) assert.deepEqual(phone.errors, []);
});

/** How many documents this phone's IndexedDB holds. */
const storedDocuments = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('automerge');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const keys = open.result.transaction('documents').objectStore('documents').getAllKeys();
    keys.onsuccess = () => resolve(new Set(keys.result.filter((k) => k.length === 3).map((k) => k[0])).size);
    keys.onerror = () => reject(keys.error);
  };
}));

/** The ids of the documents the server keeps (its data directory names each by two levels). */
async function documentsOnServer(dir) {
  const ids = new Set();
  for (const { path } of await filesUnder(dir)) {
    const parts = path.slice(dir.length + 1).split('/');
    if (parts.length >= 3) ids.add(parts[0] + parts[1]);
  }
  return ids;
}

test('a growing sealed log moves to a new log, a phone offline across the move catches up, and a file can carry the key', async (t) => {
  const server = await startSyncServer(t);
  // Limits small enough to see a move in seconds: compact (or move) at 4
  // entries, move whenever the log's history has any bytes.
  const limits = (page) => page.evaluate(() => localStorage.setItem('common-ground.seal-limits', '4,1'));
  const ana = await launch(t);
  const page = ana.page;
  await page.goto(app.url);
  await limits(page);
  await page.getByLabel('Group name').fill('Moving Growers');
  await page.getByTestId('seal-new-group').check();
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { level: 1, name: 'Moving Growers' }).waitFor();
  const groupUrl = `${app.url}${groupHref(page)}`;
  await addGarden(page, 'Birch Lot');
  await page.getByRole('link', { name: /Birch Lot/ }).click();
  const siteUrl = page.url();
  await page.goto(`${groupUrl}/share`);
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor({ timeout: 20_000 });
  const invite = await page.getByTestId('invite-link').inputValue();

  const ben = await launch(t);
  await ben.page.goto(app.url);
  await limits(ben.page);
  await ben.page.goto(invite);
  await ben.page.getByRole('button', { name: 'Join the group' }).click();
  await ben.page.goto(siteUrl);
  await ben.page.getByRole('heading', { level: 1, name: 'Birch Lot' }).waitFor({ timeout: 30_000 });
  const before = await documentsOnServer(server.dataDir);

  // Ben is offline while Ana writes enough that the log moves on.
  await ben.context.setOffline(true);
  await page.goto(siteUrl);
  for (const plot of ['Rowan1', 'Rowan2', 'Rowan3', 'Rowan4', 'Rowan5', 'Rowan6']) {
    await addPlot(page, plot);
    await saved(page);
    await page.waitForTimeout(600); // each its own sealed entry
  }
  await page.goto(`${groupUrl}/share`);
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor({ timeout: 20_000 });
  const after = await documentsOnServer(server.dataDir);
  assert.ok(after.size > before.size, `the log moved to a new document on the server (${before.size} → ${after.size})`);

  // Ben comes back: he reads the note in the old log, follows, and has
  // every plot; what he adds then reaches Ana through the new log.
  await ben.context.setOffline(false);
  for (const plot of ['Rowan1', 'Rowan6']) {
    await ben.page.getByTestId('plots').getByText(plot, { exact: true }).waitFor({ timeout: 45_000 });
  }
  await addPlot(ben.page, 'Benrowan');
  await saved(ben.page);
  await page.goto(siteUrl);
  await page.getByTestId('plots').getByText('Benrowan', { exact: true }).waitFor({ timeout: 30_000 });

  // A phone joining now by the same invite reads it all.
  const carla = await launch(t);
  await carla.page.goto(invite);
  await carla.page.getByRole('button', { name: 'Join the group' }).click();
  await carla.page.getByRole('heading', { level: 1, name: 'Moving Growers' }).waitFor({ timeout: 30_000 });
  await carla.page.goto(siteUrl);
  for (const plot of ['Rowan1', 'Rowan6', 'Benrowan']) {
    await carla.page.getByTestId('plots').getByText(plot, { exact: true }).waitFor({ timeout: 30_000 });
  }

  // An invite made now names the log's generation: a phone joining by it
  // reads everything without fetching the old log at all.
  await page.goto(`${groupUrl}/share`);
  const later = await page.getByTestId('invite-link').inputValue();
  assert.match(later, /[?&]gen=[1-9]\d*&key=/, 'the invite names the generation, before the key');
  const fay = await launch(t);
  await fay.page.goto(later);
  await fay.page.getByRole('button', { name: 'Join the group' }).click();
  await fay.page.getByRole('heading', { level: 1, name: 'Moving Growers' }).waitFor({ timeout: 30_000 });
  await fay.page.goto(siteUrl);
  for (const plot of ['Rowan1', 'Rowan6', 'Benrowan']) {
    await fay.page.getByTestId('plots').getByText(plot, { exact: true }).waitFor({ timeout: 30_000 });
  }
  await saved(fay.page);
  await saved(carla.page);
  // Carla (an invite from before the move) fetched both logs; Fay only the new one.
  const [carlaHolds, fayHolds] = [await storedDocuments(carla.page), await storedDocuments(fay.page)];
  assert.equal(fayHolds, 2, 'the group and the current log only');
  assert.ok(carlaHolds > fayHolds, `an invite from before the move fetched the old log too (${carlaHolds})`);

  // An updates file: without the key unless Ana ticks the box.
  await page.goto(`${groupUrl}/phones`);
  const box = page.getByTestId('updates-with-key');
  assert.equal(await box.isChecked(), false, 'off by default');
  await box.check();
  await shot(page, 'sealed-updates-with-key');
  const files = await scratchDir('cg-sealed-files-');
  t.after(() => rm(files, { recursive: true, force: true }));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Share updates as a file' }).click(),
  ]);
  const path = join(files, 'keyed.cgupdates');
  await download.saveAs(path);
  // Dana opens it: she has the group and its key, so her phone syncs the
  // sealed group through the server (she only adds the server).
  const dana = await launch(t);
  await dana.page.goto(app.url);
  await dana.page.locator('#group-file').setInputFiles(path);
  await dana.page.getByRole('heading', { level: 1, name: 'Moving Growers' }).waitFor();
  await dana.page.goto(`${groupUrl}/share`);
  await dana.page.getByTestId('sealed-on').waitFor();
  await dana.page.getByLabel('Sync server address').fill(server.url);
  await dana.page.getByRole('button', { name: 'Save' }).click();
  await page.goto(siteUrl);
  await addPlot(page, 'Afterfile');
  await saved(page);
  await dana.page.goto(siteUrl);
  await dana.page.getByTestId('plots').getByText('Afterfile', { exact: true }).waitFor({ timeout: 30_000 });
  for (const phone of [ana, ben, carla, dana, fay]) assert.deepEqual(phone.errors, []);
});
