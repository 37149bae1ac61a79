// Invites that end and counts that are true: an invite to a group the sync
// server lacks stops looking with a message, "Try again" and "Remove"; any
// group can be removed from this phone after offering a file; meeting notes
// typed offline count as changes only on this phone, and the share page
// never claims the server has everything when it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateAutomergeUrl } from '@automerge/automerge-repo';
import { serve, launch, shot, startSyncServer, saved, createGroup, statusLineWhole } from './lib.mjs';
import { setServer, groupHash } from './kill.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

test('an invite to a group the server lacks ends with a message, and can be removed', async (t) => {
  const server = await startSyncServer(t);
  const { page, errors } = await launch(t);
  // A well-formed invite to a group nobody has.
  const missing = generateAutomergeUrl();
  await page.goto(`${app.url}#/join/${missing}?server=${encodeURIComponent(server.url)}`);
  // An invite asks first; nothing is looked for until the member joins.
  await page.getByRole('button', { name: 'Join the group' }).click();
  // The npm server may answer "unavailable" at once, before "looking" can be
  // seen, so only the end is waited for.
  const started = Date.now();
  await page.getByTestId('open-failed').getByText("The sync server doesn't have this group").waitFor({ timeout: 45_000 });
  const waited = Date.now() - started;
  assert.ok(waited < 40_000, `gave up after ${waited} ms`);
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  await shot(page, 'invite-not-found');
  // Home lists it as a group on its way until it is removed.
  await page.getByTestId('remove-arriving').click();
  await page.getByRole('heading', { level: 1, name: 'Your groups' }).waitFor();
  await page.getByText('No groups on this phone yet.').waitFor();
  await page.reload();
  await page.getByText('No groups on this phone yet.').waitFor();
  assert.deepEqual(errors, []);
});

test('an invite whose server never answers stops looking after 30 s', async (t) => {
  // A server that takes the connection and never says a word: no peer ever
  // says "unavailable", so only the app's own clock ends the wait.
  const { WebSocketServer } = await import('ws');
  const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  t.after(() => new Promise((resolve) => {
    for (const client of silent.clients) client.terminate();
    silent.close(resolve);
  }));
  await new Promise((resolve) => silent.once('listening', resolve));
  const { page, errors } = await launch(t);
  const url = `ws://127.0.0.1:${silent.address().port}`;
  await page.goto(`${app.url}#/join/${generateAutomergeUrl()}?server=${encodeURIComponent(url)}`);
  // An invite asks first; nothing is looked for until the member joins.
  await page.getByRole('button', { name: 'Join the group' }).click();
  await page.getByTestId('fetching').waitFor();
  const started = Date.now();
  await page.getByTestId('open-failed').waitFor({ timeout: 45_000 });
  const waited = Date.now() - started;
  assert.ok(waited > 25_000 && waited < 40_000, `gave up after ${waited} ms`);
  // "Try again" looks again (and, with the same silence, says so again).
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByTestId('fetching').waitFor();
  assert.deepEqual(errors, []);
});

test('a group is removed from this phone after the offer to keep it as a file', async (t) => {
  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Leaving Garden');
  await saved(page);
  await page.goto(`${page.url()}/share`);
  await page.getByTestId('remove-group').click();
  await page.getByText(/Remove “Leaving Garden” from this phone\?/).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as a file first' }).click();
  assert.match((await download).suggestedFilename(), /\.cgupdates$/);
  await shot(page, 'share-remove');
  await page.getByTestId('remove-confirm').click();
  await page.getByText('No groups on this phone yet.').waitFor();
  await page.reload();
  await page.getByText('No groups on this phone yet.').waitFor();
  assert.deepEqual(errors, []);
});

test('meeting notes typed offline are counted exactly, and once back the server has them all', async (t) => {
  const server = await startSyncServer(t);
  const { page, context, errors } = await launch(t);
  await createGroup(page, app.url, 'Counting Garden');
  const hash = groupHash(page);
  await page.getByLabel('What the meeting is').fill('Offline meeting');
  await page.getByRole('button', { name: 'Add meeting' }).click();
  await page.getByRole('heading', { level: 1, name: 'Offline meeting' }).waitFor();
  const meeting = page.url();
  await setServer(page, app.url, hash, server.url);
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor();
  assert.equal(await page.getByTestId('only-here').count(), 0);
  await page.goto(app.url);
  await page.getByTestId('offline-ready').waitFor();

  await context.setOffline(true);
  await server.stop();
  await page.goto(meeting);
  // Five keystrokes, five changes of the meeting document.
  await page.getByTestId('notes').pressSequentially('Rain!');
  await saved(page);
  // The closed status line, as the member reads it: all of it, on one line.
  await page.getByTestId('offline').waitFor();
  await page.getByTestId('unshared-bar').locator('[aria-hidden=true]').getByText('5 not shared', { exact: true }).waitFor();
  // No room for "Saved": the check says it (and the words, to a screen reader).
  assert.equal(await page.getByTestId('save-status').locator('[aria-hidden=true]').textContent(), '');
  assert.equal(await page.getByTestId('save-status').locator('.visually-hidden').textContent(), 'Saved on this phone');
  assert.deepEqual(await statusLineWhole(page), { oneLine: true, cut: [] });
  await shot(page, 'status-offline-notes');
  // Opened, it says it in full.
  await page.getByTestId('status-summary').click();
  await page.getByTestId('unshared-bar').getByText('5 changes only on this phone', { exact: true }).waitFor();
  await page.getByTestId('status-summary').click();

  // Reloaded with no network, the count still holds: what the server had
  // is kept on this phone.
  await page.reload();
  await page.getByTestId('notes').waitFor();
  await page.getByTestId('unshared-bar').locator('[aria-hidden=true]').getByText('5 not shared', { exact: true }).waitFor();
  await page.goto(`${app.url}${hash}/share`);
  await page.getByTestId('unshared').getByText('5 changes not yet on this server', { exact: true }).waitFor();
  await page.getByTestId('only-here').getByText('5 changes only on this phone', { exact: true }).waitFor();
  assert.equal(await page.getByText('Everything here is also on the sync server').count(), 0);
  await shot(page, 'share-offline-notes');

  // Back online, the same server (same data) gets all of it.
  await startSyncServer(t, { port: server.port, dataDir: server.dataDir });
  await context.setOffline(false);
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor({ timeout: 40_000 });
  await page.getByTestId('only-here').waitFor({ state: 'detached' });
  await page.getByTestId('unshared-bar').waitFor({ state: 'detached' });
  await shot(page, 'share-back-online');
  assert.deepEqual(errors, []);
});

test('an invite names the group as the link says until the group arrives with its own name; a hostile name is only cleaned words', async (t) => {
  const server = await startSyncServer(t);
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Sunny Acres');
  const href = groupHash(ana.page);
  await saved(ana.page);
  await setServer(ana.page, app.url, href, server.url);
  await ana.page.getByTestId('sync-details').getByText(/Synced with/).waitFor({ timeout: 30_000 });
  const link = await ana.page.getByTestId('invite-link').inputValue();
  assert.match(link, /&name=Sunny%20Acres$/);

  const ben = await launch(t);
  await ben.page.goto(link);
  await ben.page.getByTestId('invite-ask')
    .getByText('You opened an invite to “Sunny Acres”: that is the name the link gives').waitFor();
  await shot(ben.page, 'invite-named');

  // A link whose name was changed on the way: what it says is shown as the
  // link's, and the group shows its own name once it arrives.
  await ben.page.goto(link.replace('Sunny%20Acres', 'Free%20Plots%20Here'));
  await ben.page.getByTestId('invite-ask').getByText('“Free Plots Here”: that is the name the link gives').waitFor();
  await ben.page.getByRole('button', { name: 'Join the group' }).click();
  await ben.page.getByRole('heading', { level: 1, name: 'Sunny Acres' }).waitFor({ timeout: 30_000 });

  // A hostile name: direction overrides, invisible characters, markup, and
  // far too long. Cleaned, cut to a name's length, and shown as text.
  const hostile = '\u202E\u200Bevil <img src=x onerror="window.injected=1"> ' + 'a'.repeat(500);
  const other = link.replace(/#\/join\/[^?]+/, '#/join/automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu')
    .replace(/&name=.*$/, `&name=${encodeURIComponent(hostile)}`);
  await ben.page.goto(other);
  const ask = await ben.page.getByTestId('invite-ask').textContent();
  const shown = ask.match(/“(.*)”/)[1];
  assert.ok(shown.startsWith('evil <img src=x onerror="window.injected=1"> aaa'), shown);
  assert.equal([...shown].length, 80, shown);
  assert.ok(!/[\u202E\u200B]/.test(ask));
  assert.equal(await ben.page.locator('main img, h1 img, [data-testid=invite-ask] img').count(), 0);
  assert.equal(await ben.page.evaluate(() => window.injected), undefined);
  assert.deepEqual([...ana.errors, ...ben.errors], []);
});
