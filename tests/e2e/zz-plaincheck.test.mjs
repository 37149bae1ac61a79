// Sealed groups through the real npm sync server: two phones converge on a
// sealed group (plots, a library item, an aid post, meeting notes typed at
// once, an edit made offline), the server's data directory holds none of
// the group's words, names or ids, and a third phone joins by invite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as A from '@automerge/automerge';
import { parseAutomergeUrl } from '@automerge/automerge-repo';
import { serve, launch, shot, startSyncServer, saved, addGarden, addPlot } from './lib.mjs';

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

test('two phones converge on a sealed group through the npm server, which keeps nothing it can read; a third joins by invite', async (t) => {
  const server = await startSyncServer(t);
  const ana = await launch(t);
  const page = ana.page;
  await page.goto(app.url);
  await page.getByLabel('Group name').fill('Sealed Growers');
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
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${server.port}`).waitFor();
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor({ timeout: 20_000 });
  await shot(page, 'sealed-share');
  const invite = await page.getByTestId('invite-link').inputValue();

  // Ben joins by the invite: the group comes out of the sealed log.
  const ben = await launch(t);
  await ben.page.goto(invite);
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
  for (const phone of [ana, ben, carla]) assert.deepEqual(phone.errors, []);
});
