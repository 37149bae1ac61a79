// Hostile peers in the browser: a fake sync server that does a real
// automerge-repo handshake, then sends the hostile corpus (the 42-byte
// bloom crash, a compression bomb, an oversized frame, deeply nested and
// huge-count frames). The page stays alive, the member can still edit and
// save, nothing changes, and the server is named. Also: a server the app
// stopped on is held at the next start, invites ask first, and the
// Content-Security-Policy keeps an injected inline script from running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode, decode } from 'cbor-x';
import { serve, scratchDir, launch, shot, saved, createGroup, addGarden, addPlot, plotLabels, startSyncServer, ROOT } from './lib.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

const corpus = (name) => readFile(join(ROOT, 'tests/fixtures/hostile', `${name}.bin`));
const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

/**
 * A WebSocket server that answers `join` with `peer` like automerge-repo's
 * sync server, then calls `onSync(frame, socket, send)` for the app's first
 * document message on each connection.
 */
async function fakeServer(t, onSync) {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 256 * 1024 * 1024 });
  t.after(() => new Promise((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(resolve); }));
  await new Promise((resolve) => wss.once('listening', resolve));
  const stats = { connections: 0 };
  wss.on('connection', (socket) => {
    stats.connections += 1;
    let synced = false;
    let app = null;
    socket.on('message', (data) => {
      let message;
      try { message = decode(data); } catch { return; }
      if (message.type === 'join') {
        app = message.senderId;
        socket.send(encode({
          type: 'peer', senderId: 'evil-server', targetId: app,
          peerMetadata: { isEphemeral: true }, selectedProtocolVersion: '1',
        }));
      } else if ((message.type === 'sync' || message.type === 'request') && !synced) {
        synced = true;
        const send = (fields) => socket.send(encode({ senderId: 'evil-server', targetId: app, ...fields }));
        onSync(message, socket, send);
      }
    });
  });
  const port = wss.address().port;
  return { url: `ws://127.0.0.1:${port}`, port, stats };
}

async function setServer(page, href, url) {
  await page.goto(`${app.url}${href}/share`);
  await page.getByLabel('Sync server address').fill(url);
  await page.getByRole('button', { name: 'Save' }).click();
}

/** Makes the app try the server again now (as when it comes back online). */
async function reconnect(context) {
  await context.setOffline(true);
  await context.setOffline(false);
}

test('a hostile sync server after a real handshake is named, and changes nothing', async (t) => {
  const cases = [
    ['the 42-byte bloom crash', 'sync', await corpus('sync-bloom-zero-bits'), 'could stop this app'],
    ['a compression bomb', 'sync', await corpus('sync-compressed-change-bomb'), 'could stop this app'],
    ['a document column bomb', 'sync', await corpus('sync-document-column-bomb'), 'could stop this app'],
    ['a huge probe count', 'sync', await corpus('sync-bloom-huge-probes'), 'could stop this app'],
    ['nested arrays', 'raw', await corpus('frame-nested-arrays'), "can't read"],
    ['200,000 items', 'raw', await corpus('frame-many-items'), "can't read"],
    ['an oversized frame', 'raw', Buffer.alloc(33 * 1024 * 1024, 0x41), "can't read"],
  ];
  let current = 0;
  let served = -1;
  const server = await fakeServer(t, (message, socket, send) => {
    // The app keeps reconnecting by itself; past the last case, repeat it.
    const at = Math.min(current, cases.length - 1);
    const [, kind, bytes] = cases[at];
    served = at;
    // A Buffer is a CBOR byte string (a Uint8Array would get a typed-array tag).
    if (kind === 'sync') send({ type: 'sync', documentId: message.documentId, data: Buffer.from(bytes) });
    else socket.send(bytes);
  });

  const { page, context, errors } = await launch(t);
  await createGroup(page, app.url, 'Guarded Garden');
  const href = groupHref(page);
  await addGarden(page, 'Birch St');
  await page.getByRole('link', { name: /Birch St/ }).click();
  await addPlot(page, 'G1');
  await saved(page);
  await setServer(page, href, server.url);
  const trouble = page.getByTestId('sync-trouble');
  for (current = 0; current < cases.length; current++) {
    const [what, , , says] = cases[current];
    if (current > 0) await reconnect(context);
    // After a real handshake the server sent this case...
    for (let waited = 0; served !== current; waited += 100) {
      assert.ok(waited < 30_000, `${what}: never served`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // ...and the member is told which server, in words.
    await trouble.filter({ hasText: `127.0.0.1:${server.port} sent data` }).filter({ hasText: says }).waitFor()
      .catch((error) => { throw new Error(`${what}: ${error.message}`); });
    // The page is alive (a wasm abort would be a page error) and still answers.
    assert.deepEqual(errors, [], what);
    await page.getByLabel('Sync server address').waitFor();
    if (current === 0) await shot(page, 'hostile-server-named');
  }
  assert.ok(server.stats.connections >= cases.length, `${server.stats.connections} connections`);
  // The member still edits and saves; nothing the server sent is there.
  await page.goto(`${app.url}${href}`);
  await page.getByRole('link', { name: /Birch St/ }).click();
  await addPlot(page, 'G2');
  await saved(page);
  await page.reload();
  await page.getByTestId('plots').getByText('G2', { exact: true }).waitFor();
  assert.deepEqual(await plotLabels(page), ['G1', 'G2']);
  assert.deepEqual(errors, []);
});

test('a server that closes mid-sync leaves everything as it was', async (t) => {
  // Handshake, then the app's first sync message: the server drops the
  // connection before answering, mid-sync.
  const server = await fakeServer(t, (message, socket) => socket.terminate());
  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Midway Garden');
  const href = groupHref(page);
  await addGarden(page, 'Ash St');
  await saved(page);
  await setServer(page, href, server.url);
  await page.getByTestId('sync-details').getByText(/Can't reach|Connecting/).waitFor();
  assert.ok(server.stats.connections >= 1);
  await page.goto(`${app.url}${href}`);
  await page.reload();
  await page.getByRole('link', { name: /Ash St/ }).waitFor();
  assert.deepEqual(errors, []);
});

test('a server the app stopped on is not contacted at the next start until the member says so', async (t) => {
  const server = await fakeServer(t, () => {});
  const { page, context, errors } = await launch(t);
  await createGroup(page, app.url, 'Held Garden');
  const href = groupHref(page);
  await saved(page);
  await setServer(page, href, server.url);
  await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${server.port}`).waitFor();
  // As if the app stopped while reading this server's frame.
  await page.evaluate((url) => localStorage.setItem('common-ground-handling', url), server.url);
  const before = server.stats.connections;
  await page.reload();
  await page.getByTestId('sync-status').getByText(`The app stopped while reading data from 127.0.0.1:${server.port}`).waitFor();
  await page.waitForTimeout(1500);
  assert.equal(server.stats.connections, before, 'not contacted');
  await page.goto(`${app.url}${href}/share`);
  await shot(page, 'server-held');
  await page.getByRole('button', { name: 'Connect again' }).click();
  await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${server.port}`).waitFor();
  assert.equal(server.stats.connections, before + 1);
  // Held again, and this time dropped: the group keeps everything, no server.
  await page.evaluate((url) => localStorage.setItem('common-ground-handling', url), server.url);
  await page.reload();
  await page.getByRole('button', { name: 'Stop using this server' }).click();
  await page.getByTestId('sync-details').getByText('Only on this phone: no sync server set').waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('Sync server address').inputValue(), '');
  assert.equal(await page.evaluate(() => localStorage.getItem('common-ground-handling')), null);
  await reconnect(context);
  assert.deepEqual(errors, []);
});

test('an invite asks before adding a group or contacting its server; a cut invite says so', async (t) => {
  const server = await fakeServer(t, () => {});
  const { page, errors } = await launch(t);
  const id = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
  const invite = `${app.url}#/join/${id}?server=${encodeURIComponent(server.url)}`;
  await page.goto(invite);
  await page.getByRole('heading', { level: 1, name: 'Join a group?' }).waitFor();
  await page.getByTestId('invite-server').getByText(`It syncs through 127.0.0.1:${server.port}.`).waitFor();
  await shot(page, 'invite-ask');
  await page.waitForTimeout(1000);
  assert.equal(server.stats.connections, 0, 'no server contacted before the member says so');
  await page.getByRole('link', { name: 'Not now' }).click();
  await page.getByLabel('Group name').waitFor();
  const settings = await page.evaluate(() => localStorage.getItem('common-ground.settings') ?? '');
  assert.equal(settings.includes('4NMNnk'), false, 'the group was not added');

  // A group already here with another server: the invite asks before switching.
  await createGroup(page, app.url, 'Own Garden');
  const href = groupHref(page);
  await setServer(page, href, 'ws://127.0.0.1:9');
  const own = decodeURIComponent(href.replace('#/g/', ''));
  await page.goto(`${app.url}#/join/${own}?server=${encodeURIComponent(server.url)}`);
  await page.getByTestId('invite-change-server').getByText('This phone syncs this group through 127.0.0.1:9.').waitFor();
  await page.getByRole('button', { name: 'Keep 127.0.0.1:9' }).click();
  await page.getByRole('heading', { level: 1, name: 'Own Garden' }).waitFor();
  await page.goto(`${app.url}${href}/share`);
  assert.equal(await page.getByLabel('Sync server address').inputValue(), 'ws://127.0.0.1:9');
  assert.equal(server.stats.connections, 0);

  // Cut in the middle of the group's id: the invite is incomplete.
  await page.goto(invite.slice(0, invite.indexOf('?') - 6));
  await page.getByTestId('invite-incomplete').getByText('This invite link is incomplete or damaged').waitFor();
  await shot(page, 'invite-incomplete');
  assert.deepEqual(errors, []);
});

test('the Content-Security-Policy keeps an injected inline script from running; the app works under it', async (t) => {
  const { page, errors } = await launch(t);
  const violations = [];
  page.on('console', (message) => { if (/Content Security Policy/.test(message.text())) violations.push(message.text()); });
  await createGroup(page, app.url, 'Policy Garden');
  await addGarden(page, 'Cedar St');
  await saved(page);
  // What an attacker's text would do if it ever reached the page as markup.
  const ran = await page.evaluate(async () => {
    window.injected = false;
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('src', 'x');
    img.setAttribute('onerror', 'window.injected = true');
    document.body.append(img);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return window.injected;
  });
  assert.equal(ran, false, 'inline script ran');
  const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.match(policy, /object-src 'none'/);
  assert.ok(violations.length >= 1, 'the browser reported the blocked script');
  assert.deepEqual(errors, []);
});

/** The sync-state records IndexedDB holds for a document, by storage id. */
const syncStates = (page, documentId) => page.evaluate((documentId) => new Promise((resolve, reject) => {
  const open = indexedDB.open('automerge');
  open.onerror = () => reject(String(open.error));
  open.onsuccess = () => {
    const keys = open.result.transaction('documents').objectStore('documents').getAllKeys();
    keys.onsuccess = () => {
      resolve(keys.result.filter((k) => k[0] === documentId && k[1] === 'sync-state').map((k) => k[2]).sort());
      open.result.close();
    };
  };
}), documentId);

test('sync states stay bounded: old records past the limit are deleted, a server making up storage ids fills nothing', async (t) => {
  const MAX_SYNC_STATES = 8;
  const { page, context, errors } = await launch(t);
  await createGroup(page, app.url, 'Bounded Garden');
  const href = groupHref(page);
  await saved(page);
  const documentId = decodeURIComponent(href.replace('#/g/', '')).replace('automerge:', '');
  // What an older version left: one record per storage id it ever saw, and
  // one that does not read.
  await page.evaluate((documentId) => new Promise((resolve, reject) => {
    const open = indexedDB.open('automerge');
    open.onsuccess = () => {
      const tx = open.result.transaction('documents', 'readwrite');
      const store = tx.objectStore('documents');
      const put = (id, binary) => {
        const key = [documentId, 'sync-state', id];
        store.put({ key, binary }, key);
      };
      // An empty automerge sync state: its type byte and no shared heads.
      for (let n = 0; n < 30; n++) put(`old-${String(n).padStart(2, '0')}`, new Uint8Array([0x43, 0]));
      put('garbled', new Uint8Array([0xff, 1, 2]));
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(String(tx.error));
    };
  }), documentId);
  assert.equal((await syncStates(page, documentId)).length, 31);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Bounded Garden' }).waitFor();
  for (let waited = 0; ; waited += 100) {
    const left = await syncStates(page, documentId);
    if (left.length === MAX_SYNC_STATES && !left.includes('garbled')) break;
    assert.ok(waited < 10_000, `still stored: ${left.length} ${left}`);
    await page.waitForTimeout(100);
  }

  // A server (here, the real one behind a proxy) that says it has a new
  // storage id at every connection.
  const real = await startSyncServer(t);
  const { WebSocketServer, WebSocket } = await import('ws');
  const proxy = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => proxy.once('listening', resolve));
  t.after(() => new Promise((resolve) => { for (const c of proxy.clients) c.terminate(); proxy.close(resolve); }));
  const sockets = [];
  proxy.on('connection', (socket) => {
    const storageId = `made-up-${sockets.length}`;
    sockets.push(socket);
    const upstream = new WebSocket(real.url);
    const early = [];
    upstream.on('open', () => { for (const data of early.splice(0)) upstream.send(data); });
    socket.on('message', (data) => (upstream.readyState === WebSocket.OPEN ? upstream.send(data) : early.push(data)));
    upstream.on('message', (data) => {
      const message = decode(data);
      if (message.type === 'peer') data = encode({ ...message, peerMetadata: { ...message.peerMetadata, storageId } });
      socket.send(data);
    });
    socket.on('close', () => upstream.close());
    upstream.on('close', () => socket.close());
  });
  const proxyUrl = `ws://127.0.0.1:${proxy.address().port}`;
  await setServer(page, href, proxyUrl);
  const rounds = 12;
  for (let n = 0; n < rounds; n++) {
    if (n > 0) {
      // Something new to sync, then the next connection.
      sockets[n - 1].terminate();
      await page.goto(`${app.url}${href}`);
      await addGarden(page, `Row ${n}`);
      await reconnect(context);
    }
    // This connection's made-up id is saved...
    for (let waited = 0; !(await syncStates(page, documentId)).includes(`made-up-${n}`); waited += 100) {
      assert.ok(waited < 15_000, `round ${n}: no sync state saved (${sockets.length} connections)`);
      await page.waitForTimeout(100);
    }
    // ...and storage still holds no more than the limit.
    await page.waitForTimeout(200);
    const stored = await syncStates(page, documentId);
    assert.ok(stored.length <= MAX_SYNC_STATES, `round ${n}: ${stored.length} stored: ${stored}`);
  }
  const stored = await syncStates(page, documentId);
  assert.equal(stored.filter((s) => s.startsWith('old-')).length, 0, `${stored}`);
  assert.deepEqual(errors, []);
});

test('a hostile phone at a meeting is named, changes nothing, and the member still edits and saves', async (t) => {
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Meeting Garden');
  const href = groupHref(ana.page);
  await addGarden(ana.page, 'Oak St');
  await ana.page.getByRole('link', { name: /Oak St/ }).click();
  await addPlot(ana.page, 'O1');
  await saved(ana.page);
  // Mallory gets the group as a file, like any member, then turns hostile.
  await ana.page.goto(`${app.url}${href}/phones`);
  const [download] = await Promise.all([
    ana.page.waitForEvent('download'),
    ana.page.getByRole('button', { name: 'Share updates as a file' }).click(),
  ]);
  const file = join(await scratchDir('cg-files-'), 'meeting.cgupdates');
  await download.saveAs(file);
  const mallory = await launch(t);
  // Her data channel, reachable from the test: what she is sent, and a way
  // to send frames the app would never write.
  await mallory.context.addInitScript(() => {
    window.channels = [];
    window.heard = [];
    const create = RTCPeerConnection.prototype.createDataChannel;
    RTCPeerConnection.prototype.createDataChannel = function (...args) {
      const channel = create.apply(this, args);
      window.channels.push(channel);
      channel.addEventListener('message', (event) => window.heard.push([...new Uint8Array(event.data)]));
      return channel;
    };
  });
  await mallory.page.goto(app.url);
  await mallory.page.evaluate(() => {
    const key = 'common-ground.settings';
    localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key) ?? '{}'), my_name: 'Mallory' }));
  });
  await mallory.page.reload();
  await mallory.page.locator('#group-file').setInputFiles(file);
  await mallory.page.getByRole('heading', { level: 1, name: 'Meeting Garden' }).waitFor();

  // A real pairing: Ana hosts, Mallory answers.
  await ana.page.getByRole('button', { name: 'Be the host' }).click();
  const shown = (page) => page.waitForFunction(() => document.querySelector('[data-testid=shown-code]')?.value)
    .then(() => page.getByTestId('shown-code').inputValue());
  const offer = await shown(ana.page);
  await mallory.page.goto(`${app.url}${href}/phones`);
  await mallory.page.getByRole('button', { name: 'Join the host' }).click();
  await mallory.page.getByLabel('Or paste the code').fill(offer);
  await mallory.page.getByRole('button', { name: 'Connect' }).click();
  const answer = await shown(mallory.page);
  await ana.page.getByLabel('Or paste the code').fill(answer);
  await ana.page.getByRole('button', { name: 'Connect' }).click();
  await ana.page.getByTestId('phones').locator('li', { hasText: 'Mallory' }).getByText(/up to date at/).waitFor({ timeout: 30_000 });

  // Who is who, from what Ana sent her (whole frames: each in one piece).
  const heard = (await mallory.page.evaluate(() => window.heard))
    .filter((piece) => piece[0] === 0)
    .map((piece) => { try { return decode(Buffer.from(piece.slice(1))); } catch { return null; } })
    .filter(Boolean);
  const fromAna = heard.find((m) => m.type === 'sync' || m.type === 'request');
  assert.ok(fromAna, `frames heard: ${heard.map((m) => m.type)}`);
  // A 85-byte sync message claiming 2^40 ops, after a real handshake.
  const frame = encode({
    type: 'sync', senderId: fromAna.targetId, targetId: fromAna.senderId,
    documentId: fromAna.documentId, data: await corpus('sync-change-claims-many-ops'),
  });
  await mallory.page.evaluate((bytes) => window.channels.at(-1).send(new Uint8Array([0, ...bytes])), [...frame]);

  // Ana's phone is alive, names Mallory, and has nothing of hers.
  await ana.page.goto(`${app.url}${href}/share`);
  await ana.page.getByTestId('sync-trouble').filter({ hasText: 'Mallory sent data that could stop this app' }).waitFor();
  await shot(ana.page, 'hostile-phone-named');
  assert.deepEqual(ana.errors, []);
  await ana.page.goto(`${app.url}${href}`);
  await ana.page.getByRole('link', { name: /Oak St/ }).click();
  assert.deepEqual(await plotLabels(ana.page), ['O1']);
  await addPlot(ana.page, 'O2');
  await saved(ana.page);
  await ana.page.reload();
  await ana.page.getByTestId('plots').getByText('O2', { exact: true }).waitFor();
  assert.deepEqual(await plotLabels(ana.page), ['O1', 'O2']);
  assert.deepEqual(ana.errors, []);
});
