// "Saved on this phone" is a promise: after it shows, the browser process is
// killed by SIGKILL (as a phone's OS or a flat battery does) and launched
// again on the same profile, and the edit must be there. Kinds: a plot edit,
// meeting notes typed while another phone's notes stream in, a group just created, a group just joined by invite with "this is me", a
// sync server just set. bench/kill-rounds.mjs runs the same rounds 100 times.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, startSyncServer } from './lib.mjs';
import { killRounds, inviteHost } from './kill.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

const ROUNDS = 2;

test('nothing "Saved on this phone" is lost when the browser is killed', async (t) => {
  const server = await startSyncServer(t);
  const host = await launch(t);
  const env = { url: app.url, server, ...(await inviteHost(host, app.url, server)) };
  const lost = {};
  for (const kind of ['plot edit', 'meeting notes while another phone types', 'group just created', 'joined by invite, "this is me"', 'sync server just set']) {
    lost[kind] = await killRounds(kind, env, ROUNDS);
  }
  assert.deepEqual(lost, {
    'plot edit': 0,
    'meeting notes while another phone types': 0,
    'group just created': 0,
    'joined by invite, "this is me"': 0,
    'sync server just set': 0,
  });
});
