// Syncing as members live it, against the real npm sync server: the app and
// a Node automerge-repo peer see each other's edits (both directions), two
// phones converge after editing apart, and two tabs stay in step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { ImmutableString, splice } from '@automerge/automerge';
import { serve, launch, shot, startSyncServer, saved, createGroup, addGarden, addPlot, plotLabels } from './lib.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

async function addMeeting(page, title) {
  await page.getByLabel('What the meeting is').fill(title);
  await page.getByRole('button', { name: 'Add meeting' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** Sets the group's sync server and waits until the server has everything. */
async function useServer(page, groupHref, server) {
  await page.goto(`${app.url}${groupHref.replace(/^.*#/, '#')}/share`);
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${server.port}`).waitFor();
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor();
}

const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

function nodePeer(server) {
  return new Repo({ network: [new WebSocketClientAdapter(server.url)], storage: undefined });
}

test('the app and a Node automerge-repo peer share a group through the npm sync server, both ways', async (t) => {
  const server = await startSyncServer(t);
  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Eastside Growers');
  const href = groupHref(page);
  await addGarden(page, 'Maple St garden');
  await page.getByRole('link', { name: /Maple St garden/ }).click();
  await addPlot(page, 'A1');
  await addPlot(page, 'A2');
  await page.goto(`${app.url}${href}`);
  await addMeeting(page, 'Spring planning');
  await page.getByTestId('notes').fill('Bring seeds.');
  await saved(page);
  await useServer(page, href, server);
  await shot(page, 'share');
  const invite = await page.getByTestId('invite-link').inputValue();
  const groupUrl = decodeURIComponent(invite.match(/join\/(automerge:[^?]+)/)[1]);

  // (a) Node finds the group and its meeting by URL and reads the same data.
  const node = nodePeer(server);
  // If the test fails early, stop the peer anyway (a second shutdown throws).
  t.after(async () => { try { await node.shutdown(); } catch { /* already stopped */ } });
  const group = await node.find(groupUrl);
  const doc = group.doc();
  assert.equal(String(doc.name), 'Eastside Growers');
  assert.deepEqual(Object.values(doc.plots).map((p) => String(p.label)).sort(), ['A1', 'A2']);
  const [meetingId] = Object.keys(doc.meetings);
  const meeting = await node.find(`automerge:${meetingId}`);
  assert.equal(String(meeting.doc().notes), 'Bring seeds.');

  // (b) Node edits; the app shows it without a reload.
  const site = Object.keys(doc.sites)[0];
  group.change((d) => {
    d.plots.nodeplot1 = {
      site: new ImmutableString(site), label: new ImmutableString('Z9'), size: new ImmutableString(''),
      status: new ImmutableString('Available'), holder: null, created_at: 0,
    };
  });
  await page.goto(`${app.url}${href}/site/${site}`);

  await page.getByTestId('plots').getByText('Z9', { exact: true }).waitFor();
  await page.goto(`${app.url}${href}/meeting/${meetingId}`);
  await page.getByTestId('notes').waitFor();
  meeting.change((d) => splice(d, ['notes'], 0, 0, 'From Node: '));
  await page.waitForFunction(() => document.querySelector('[data-testid=notes]').value === 'From Node: Bring seeds.');
  assert.deepEqual(errors, []);
  // Shut the Node peer down while its server is up, or it keeps retrying.
  await node.shutdown();
});

test('two phones converge after both edit apart and reconnect', async (t) => {
  let server = await startSyncServer(t);
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Northside Garden');
  const href = groupHref(ana.page);
  await addGarden(ana.page, 'Oak St');
  await addMeeting(ana.page, 'Work day');
  const meetingHref = new URL(ana.page.url()).hash;
  await ana.page.getByTestId('notes').fill('Tools: bring gloves.');
  await ana.page.getByLabel('Your name, shown to others in meeting notes').fill('Ana');
  await ana.page.getByRole('button', { name: 'Save' }).click();
  await saved(ana.page);
  await useServer(ana.page, href, server);
  const invite = await ana.page.getByTestId('invite-link').inputValue();
  await shot(ana.page, 'share');

  // Ben opens the invite on his own phone: it asks first; then the group
  // arrives, its meeting too.
  const ben = await launch(t);
  await ben.page.goto(invite);
  await ben.page.getByTestId('invite-server').getByText(`It syncs through 127.0.0.1:${server.port}.`).waitFor();
  await ben.page.getByRole('button', { name: 'Join the group' }).click();
  await ben.page.getByRole('heading', { level: 1, name: 'Northside Garden' }).waitFor();
  await shot(ben.page, 'joined-group');
  const site = (await ben.page.getByRole('link', { name: /Oak St/ }).getAttribute('href')).split('/').pop();
  await ben.page.getByRole('link', { name: 'Work day' }).click();
  await ben.page.waitForFunction(() => document.querySelector('[data-testid=notes]')?.value === 'Tools: bring gloves.');
  // Ana is on the same notes: Ben sees her there, and they type at once.
  await ana.page.goto(`${app.url}${meetingHref}`);
  await ben.page.getByTestId('also-here').getByText('Also here now: Ana').waitFor();
  await Promise.all([
    ana.page.getByTestId('notes').press('End').then(() => ana.page.getByTestId('notes').pressSequentially(' Ana: seeds.')),
    ben.page.getByTestId('notes').press('Home').then(() => ben.page.getByTestId('notes').pressSequentially('Ben: compost. ')),
  ]);
  for (const phone of [ana, ben]) {
    await phone.page.waitForFunction(() => {
      const notes = document.querySelector('[data-testid=notes]').value;
      return notes.includes('Ana: seeds.') && notes.includes('Ben: compost.') && notes.includes('bring gloves.');
    });
  }
  await shot(ben.page, 'meeting');

  // The server goes away; both add plots while apart.
  await server.stop();
  for (const [phone, label] of [[ana, 'A-apart'], [ben, 'B-apart']]) {
    await phone.page.goto(`${app.url}${href}/site/${site}`);
    await phone.page.getByTestId('sync-status').getByText(/Can't reach|Connecting/).waitFor();
    await addPlot(phone.page, label);
    await saved(phone.page);
    await phone.page.getByTestId('unshared-bar').getByText('1 change only on this phone').waitFor();
  }
  // It comes back (same data); each phone reconnects when it is online again.
  server = await startSyncServer(t, { port: server.port, dataDir: server.dataDir });
  for (const phone of [ana, ben]) {
    await phone.context.setOffline(true);
    await phone.context.setOffline(false);
  }
  for (const phone of [ana, ben]) {
    await phone.page.getByTestId('plots').getByText('A-apart', { exact: true }).waitFor();
    await phone.page.getByTestId('plots').getByText('B-apart', { exact: true }).waitFor();
    assert.deepEqual(await plotLabels(phone.page), ['A-apart', 'B-apart']);
    await phone.page.getByTestId('unshared-bar').waitFor({ state: 'detached' });
  }
  await shot(ben.page, 'converged');
  assert.deepEqual([...ana.errors, ...ben.errors], []);
});

test('two tabs of one phone stay in step and lose nothing', async (t) => {
  const { context, page, errors } = await launch(t);
  await createGroup(page, app.url, 'Tab Garden');
  const href = groupHref(page);
  await addGarden(page, 'Elm St');
  await page.getByRole('link', { name: /Elm St/ }).click();
  const siteUrl = page.url();
  const other = await context.newPage();
  await other.goto(siteUrl);
  await other.getByText('No plots yet').waitFor();

  // An edit in one tab shows in the other without a reload.
  await addPlot(page, 'T1');
  await other.getByTestId('plots').getByText('T1', { exact: true }).waitFor();
  // Both write at once: both plots stay, in both tabs and in IndexedDB.
  await Promise.all([addPlot(page, 'T2'), addPlot(other, 'T3')]);
  for (const tab of [page, other]) {
    await tab.getByTestId('plots').getByText('T3', { exact: true }).waitFor();
    await tab.getByTestId('plots').getByText('T2', { exact: true }).waitFor();
  }
  await saved(page);
  await saved(other);
  await other.close();
  await page.reload();
  await page.getByTestId('plots').getByText('T3', { exact: true }).waitFor();
  assert.deepEqual(await plotLabels(page), ['T1', 'T2', 'T3']);
  assert.match(href, /#\/g\//);
  assert.deepEqual(errors, []);
});

// Closing mid-sync, after a real handshake, is in hostile.test.mjs.
test('a server that answers with garbage is named and changes nothing', async (t) => {
  const { WebSocketServer } = await import('ws');
  // Answers the app's join with bytes that are not a protocol frame.
  const bad = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  t.after(() => new Promise((resolve) => bad.close(resolve)));
  await new Promise((resolve) => bad.once('listening', resolve));
  bad.on('connection', (socket) => socket.once('message', () => socket.send(Buffer.from([0xa1, 0x64, 0x74, 0x79]))));
  const server = { url: `ws://127.0.0.1:${bad.address().port}`, port: bad.address().port };

  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Careful Garden');
  const href = groupHref(page);
  await addGarden(page, 'Pine St');
  await saved(page);
  await page.goto(`${app.url}${href}/share`);
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('sync-trouble').getByText(`127.0.0.1:${server.port} sent data this app can't read`).waitFor();
  await page.getByTestId('sync-details').getByText(/Can't reach|Connecting/).waitFor();
  await shot(page, 'share-bad-server');
  // Nothing stored changed: the group is all there after a reload.
  await page.goto(`${app.url}${href}`);
  await page.reload();
  await page.getByRole('link', { name: /Pine St/ }).waitFor();
  assert.deepEqual(errors, []);
});
