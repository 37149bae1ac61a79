// Offline-edit convergence: bytes and round trips for two replicas that each
// made 1,000 changes while apart to converge, measured here for two
// @automerge/automerge-repo peers in one Node process, and side by side with
// the Rust engine's `sync_offline` example when that binary exists.
//   node bench/sync-offline.mjs [--rust <binary>]     (or SYNC_OFFLINE_RUST=<binary>)
// Default binary: target/release/examples/sync_offline, run only if present.
//
// WORKLOAD (the Rust side must do exactly this):
// 1. Replica A creates the group document in ONE change (message "create group",
//    time 0) with its own actor:
//      { schema: 1 (uint), name: "Garden", created_at: 0 (int),
//        members: {}, sites: {}, plots: {} }
//    B gets A's saved bytes and loads them with its own actor. Both now have the
//    same single head. This starting sync is not counted, and neither side keeps
//    any sync state from it: the counted sync starts from a fresh sync state.
// 2. Offline, each replica makes 1,000 changes, one Automerge change (commit)
//    each, all with message "add plot" and time 0, i = 0..999 in order:
//      A: plots["a"+i] = { site: "s1", label: "A"+i, size: "", status: "Available",
//                          holder: null, created_at: i (int) }
//      B: plots["b"+i] = { site: "s1", label: "B"+i, ... same ... }
//    A's changes reference only A's actor; B's reference B's and A's (the
//    creator of `plots`). Field order and types are those autosurgeon writes
//    for `Plot`. `sites` stays empty, so command::AddPlot would refuse "s1":
//    write the plots directly (e.g. reconcile_prop), not via command::apply.
// 3. Connect and sync until both have equal heads and nothing is in flight.
//    Check: both have 2,000 plots.
//
// NETWORK AND COUNTING: a simulated lockstep network. Every frame is one message
// encoded with the CBOR the websocket adapter uses. In one STEP every frame in
// flight (both directions) is delivered, then both repos run until idle (no
// frame sent for QUIET_MS, longer than automerge-repo's 100 ms sync throttle);
// the frames they sent meanwhile are the next step's. So a step is one one-way
// network latency, and
//   round_trips = steps that carried at least one sync message, / 2 (rounded up).
// The adapter's own arrive/welcome handshake is counted apart (handshake_*),
// not in frames/bytes (its first step carries no sync message, so it is not
// counted as a step either). converged_step = the number of sync steps after
// which the heads were equal; sync_steps = the number until quiescence.
// ms = busy (non-idle) event-loop time from connecting to quiescence, both
// peers together (performance.eventLoopUtilization), idle waits excluded.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Repo, NetworkAdapter, generateAutomergeUrl, parseAutomergeUrl } from '@automerge/automerge-repo';
import * as A from '@automerge/automerge';
import { Encoder, decode } from 'cbor-x';

const CHANGES = 1000;
const QUIET_MS = 250;
const root = new URL('..', import.meta.url);
const version = (pkg) => JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, root))).version;
const cbor = new Encoder({ tagUint8Array: false, useRecords: false });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the wire: frames wait here until the driver delivers a step ----
const wire = { inFlight: [], sent: 0, sync: {}, handshake: { frames: 0, bytes: 0 } };
const HANDSHAKE = new Set(['arrive', 'welcome', 'leave']);

// One end of an in-memory connection, modelled on MessageChannelNetworkAdapter.
class PairAdapter extends NetworkAdapter {
  #ready = false;
  #readyResolve;
  #readyPromise = new Promise((resolve) => (this.#readyResolve = resolve));
  #remotePeerId;
  constructor(name) { super(); this.name = name; }
  isReady() { return this.#ready; }
  whenReady() { return this.#readyPromise; }
  connect(peerId, peerMetadata) {
    this.peerId = peerId;
    this.peerMetadata = peerMetadata;
    this.#post({ type: 'arrive', senderId: peerId, peerMetadata });
  }
  send(message) { this.#post(message); }
  disconnect() {
    if (this.#remotePeerId) {
      this.#post({ type: 'leave', senderId: this.peerId });
      this.emit('peer-disconnected', { peerId: this.#remotePeerId });
    }
    this.emit('close');
  }
  #post(message) {
    const bytes = cbor.encode(message);
    const stats = HANDSHAKE.has(message.type) ? wire.handshake : (wire.sync[this.name] ??= { frames: 0, bytes: 0 });
    stats.frames++;
    stats.bytes += bytes.length;
    wire.sent++;
    wire.inFlight.push({ to: this.peer, bytes, sync: !HANDSHAKE.has(message.type) });
  }
  receive(bytes) {
    const message = decode(bytes);
    if ('targetId' in message && message.targetId !== this.peerId) return;
    switch (message.type) {
      case 'arrive':
        this.#post({ type: 'welcome', senderId: this.peerId, peerMetadata: this.peerMetadata, targetId: message.senderId });
        this.#announce(message.senderId, message.peerMetadata);
        break;
      case 'welcome':
        this.#announce(message.senderId, message.peerMetadata);
        break;
      case 'leave':
        if (message.senderId === this.#remotePeerId) this.emit('peer-disconnected', { peerId: message.senderId });
        break;
      default:
        this.emit('message', message);
    }
  }
  #announce(peerId, peerMetadata) {
    this.#remotePeerId = peerId;
    this.#ready = true;
    this.#readyResolve();
    this.emit('peer-candidate', { peerId, peerMetadata });
  }
}

// Waits until no frame has been sent for QUIET_MS.
async function quiet() {
  let seen;
  do { seen = wire.sent; await sleep(QUIET_MS); } while (wire.sent !== seen);
}

// ---- the workload ----
const plot = (prefix, i) => ({ site: 's1', label: prefix.toUpperCase() + i, size: '', status: 'Available', holder: null, created_at: i });
const repoA = new Repo({ peerId: 'A', network: [] });
const repoB = new Repo({ peerId: 'B', network: [] });
const start = A.change(A.init(), { message: 'create group', time: 0 }, (d) => {
  Object.assign(d, { schema: new A.Uint(1), name: 'Garden', created_at: 0, members: {}, sites: {}, plots: {} });
});
const startBytes = A.save(start);
const { documentId } = parseAutomergeUrl(generateAutomergeUrl());
const a = repoA.import(startBytes, { docId: documentId });
a.update(() => start); // A keeps the creator's actor
const b = repoB.import(startBytes, { docId: documentId });
for (const [handle, prefix] of [[a, 'a'], [b, 'b']]) {
  for (let i = 0; i < CHANGES; i++) {
    handle.change((d) => { d.plots[prefix + i] = plot(prefix, i); }, { message: 'add plot', time: 0 });
  }
}
await sleep(QUIET_MS); // let the repos' throttled post-change work run while still offline

// ---- connect and sync in lockstep ----
const sameHeads = () => JSON.stringify(a.heads()) === JSON.stringify(b.heads());
const adapterA = new PairAdapter('a_to_b');
const adapterB = new PairAdapter('b_to_a');
adapterA.peer = adapterB;
adapterB.peer = adapterA;
const elu = performance.eventLoopUtilization();
repoA.networkSubsystem.addNetworkAdapter(adapterA);
repoB.networkSubsystem.addNetworkAdapter(adapterB);
await quiet();
let syncSteps = 0, convergedStep = null;
while (wire.inFlight.length) {
  const batch = wire.inFlight.splice(0);
  if (batch.some((f) => f.sync)) syncSteps++;
  for (const frame of batch) frame.to.receive(frame.bytes);
  await quiet();
  if (convergedStep === null && sameHeads()) convergedStep = syncSteps;
}
const busy = performance.eventLoopUtilization(elu).active;

const plotsA = Object.keys(a.doc().plots).length;
const plotsB = Object.keys(b.doc().plots).length;
const s = wire.sync, ab = s.a_to_b ?? { frames: 0, bytes: 0 }, ba = s.b_to_a ?? { frames: 0, bytes: 0 };
const node = {
  impl: `automerge-repo ${version('@automerge/automerge-repo')}`,
  automerge: version('@automerge/automerge'),
  frames: ab.frames + ba.frames,
  bytes: ab.bytes + ba.bytes,
  bytes_a_to_b: ab.bytes,
  bytes_b_to_a: ba.bytes,
  frames_a_to_b: ab.frames,
  frames_b_to_a: ba.frames,
  round_trips: Math.ceil(syncSteps / 2),
  sync_steps: syncSteps,
  converged_step: convergedStep,
  handshake_frames: wire.handshake.frames,
  handshake_bytes: wire.handshake.bytes,
  plots_a: plotsA,
  plots_b: plotsB,
  ms: Math.round(busy),
};
console.log(JSON.stringify(node));
await Promise.all([repoA.shutdown(), repoB.shutdown()]);
const converged = sameHeads() && plotsA === 2 * CHANGES && plotsB === 2 * CHANGES;
if (!converged) console.error(`NOT CONVERGED: ${plotsA} and ${plotsB} plots, heads ${sameHeads() ? 'equal' : 'differ'}`);

// ---- side by side with the Rust engine ----
const argAt = process.argv.indexOf('--rust');
const rustBin = argAt > 0 ? process.argv[argAt + 1] : process.env.SYNC_OFFLINE_RUST
  ?? new URL('target/release/examples/sync_offline', root).pathname;
if (!existsSync(rustBin ?? '')) {
  console.error(`(no Rust binary at ${rustBin}; build it with cargo build --release --example sync_offline)`);
} else {
  const line = execFileSync(rustBin, { encoding: 'utf8' }).trim().split('\n').filter((l) => l.startsWith('{')).pop();
  const rust = JSON.parse(line);
  const rows = ['frames', 'bytes', 'bytes_a_to_b', 'bytes_b_to_a', 'round_trips', 'ms'];
  const width = Math.max(node.impl.length, String(rust.impl).length) + 2;
  console.log(line);
  console.log(''.padEnd(14) + String(rust.impl).padStart(width) + node.impl.padStart(width));
  for (const key of rows) console.log(key.padEnd(14) + String(rust[key] ?? '-').padStart(width) + String(node[key]).padStart(width));
}
process.exit(converged ? 0 : 1);
