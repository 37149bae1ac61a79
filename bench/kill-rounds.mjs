// Kill rounds: edit → "Saved on this phone" → SIGKILL the browser → relaunch
// on the same profile → is the edit there? 100 rounds by default, split
// evenly over the kinds of edit; prints lost/total per kind.
//   trunk build --release && node bench/kill-rounds.mjs [rounds]
import { serve, launch, startSyncServer } from '../tests/e2e/lib.mjs';
import { KINDS, killRounds, inviteHost } from '../tests/e2e/kill.mjs';

const total = Number(process.argv[2] ?? 100);
const kinds = Object.keys(KINDS);
const perKind = Math.ceil(total / kinds.length);
const app = await serve();
const server = await startSyncServer(null);
const host = await launch(null);
const env = { url: app.url, server, ...(await inviteHost(host, app.url, server)) };
const results = [];
for (const kind of kinds) {
  const started = Date.now();
  const lost = await killRounds(kind, env, perKind, {
    onRound: (n, kept) => { if (!kept) console.log(`  ${kind}: round ${n} LOST`); },
  });
  results.push({ kind, lost, total: perKind, seconds: (Date.now() - started) / 1000 });
  console.log(`${kind.padEnd(34)} lost ${lost}/${perKind}  (${((Date.now() - started) / perKind / 1000).toFixed(1)} s a round)`);
}
await host.context.close();
await server.stop();
await app.close();
const lostAll = results.reduce((sum, r) => sum + r.lost, 0);
console.log(`all kinds: lost ${lostAll}/${perKind * kinds.length}`);
process.exit(lostAll === 0 ? 0 : 1);
