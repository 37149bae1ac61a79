// Records REAL automerge-repo wire-protocol frames (CBOR, protocol "1") as test vectors
// for the Rust decoder. Run from the repo root:  node tests/interop/record-frames.mjs
//
// Every frame is captured on the server side of a real WebSocket connection (tap on the `ws`
// socket), so both directions are the exact bytes the npm packages put on the wire.
import fs from "node:fs"
import os from "node:os"
import net from "node:net"
import path from "node:path"
import { fileURLToPath } from "node:url"
import WebSocket, { WebSocketServer } from "ws"
import { Repo, cbor, generateAutomergeUrl } from "@automerge/automerge-repo"
import { DummyStorageAdapter } from "@automerge/automerge-repo/helpers/DummyStorageAdapter.js"
import {
  WebSocketClientAdapter,
  WebSocketServerAdapter,
} from "@automerge/automerge-repo-network-websocket"

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/wire")
const V2 = "automerge-repo@2.5.6"
const V1 = "automerge-repo@1.2.1 (automerge-repo-sync-server@0.2.8)"
const HAND = "hand-built with automerge-repo@2.5.6 cbor.encode (not produced by the repo)"
setTimeout(() => { console.error("timed out"); process.exit(1) }, 20_000).unref()

const frames = [] // { dir: "c2s" | "s2c", bytes: Buffer, origin }
const sleep = ms => new Promise(r => setTimeout(r, ms))
async function waitFor(pred, what, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (pred()) return
  throw new Error(`timed out waiting for ${what}`)
}
const typeOf = f => decodeCbor(f.bytes).json.type
const has = (dir, type, origin = V2) => () =>
  frames.some(f => f.dir === dir && f.origin === origin && typeOf(f) === type)

// Tap a server-side ws socket: incoming = client->server, socket.send = server->client.
// Registered before the adapter's own listener, so it sees every frame first.
function tap(wss, origin) {
  wss.on("connection", socket => {
    socket.on("message", data => frames.push({ dir: "c2s", bytes: Buffer.from(data), origin }))
    const send = socket.send.bind(socket)
    socket.send = (data, ...rest) => {
      frames.push({ dir: "s2c", bytes: Buffer.from(data), origin })
      return send(data, ...rest)
    }
  })
}

// ---- 1. automerge-repo 2.5.6: real client Repo <-> real server Repo over WebSocket ----
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 })
await new Promise(r => wss.on("listening", r))
tap(wss, V2)
const url = `ws://127.0.0.1:${wss.address().port}`
// Both repos have storage (so peerMetadata carries a storageId) and gossip remote heads.
const serverRepo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new DummyStorageAdapter(),
  peerId: "server-peer",
  enableRemoteHeadsGossiping: true,
})
const clientRepo = new Repo({
  network: [new WebSocketClientAdapter(url)],
  storage: new DummyStorageAdapter(),
  peerId: "client-peer",
  enableRemoteHeadsGossiping: true,
})
await waitFor(has("s2c", "peer"), "join/peer handshake")
await sleep(100) // let the share policy mark the server as a "generous" peer

// Client subscribes to its own storage id: the server then relays remote-subscription-change
// and, after syncing with the client, reports the client's heads back as remote-heads-changed.
clientRepo.subscribeToRemotes([await clientRepo.storageId()])
await waitFor(has("c2s", "remote-subscription-change"), "remote-subscription-change")

const handle = clientRepo.create({ title: "wire fixture", items: [1, 2, 3] })
await waitFor(has("s2c", "sync"), "sync reply")
await waitFor(has("s2c", "remote-heads-changed"), "remote-heads-changed")

handle.broadcast({ cursor: 7, user: "alice" })
await waitFor(has("c2s", "ephemeral"), "ephemeral")

// find() of a document the server doesn't have -> request / doc-unavailable
await clientRepo.find(generateAutomergeUrl()).catch(() => {})
await waitFor(has("s2c", "doc-unavailable"), "doc-unavailable")

// Server's `error` reply to an unsupported protocol version. No real client sends such a join,
// so this one is hand-built; it is saved too but labelled as such.
const raw = new WebSocket(url)
await new Promise(r => raw.on("open", r))
raw.send(cbor.encode({ type: "join", senderId: "raw-peer", supportedProtocolVersions: ["999"] }))
await waitFor(has("s2c", "error"), "error reply")
for (const f of frames) if (decodeCbor(f.bytes).json.senderId === "raw-peer") f.origin = HAND
raw.close()

// ---- 2. automerge-repo 1.2.1 via the sync-server package: replay the recorded 2.5.6 join and
// request frames on a raw socket and record its replies.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cg-wire-"))
process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true })) // also on failure
const port = await freePort()
Object.assign(process.env, { PORT: String(port), DATA_DIR: dataDir })
const { Server } = await import("@automerge/automerge-repo-sync-server/src/server.js")
const origLog = console.log
console.log = () => {} // silence "Listening on port"
const oldServer = new Server()
await oldServer.ready()
console.log = origLog
const firstV2 = (dir, type) => frames.find(f => f.dir === dir && f.origin === V2 && typeOf(f) === type)
// The 1.2.1 adapter only hooks the ws server once its storage id has loaded (some 100s of ms
// after ready()); connections made before that are silently ignored, so retry until answered.
let old
for (let attempt = 0; !has("s2c", "peer", V1)(); attempt++) {
  if (attempt === 20) throw new Error("no peer reply from the 1.2.1 sync server")
  old?.terminate()
  old = new WebSocket(`ws://127.0.0.1:${port}`)
  old.on("message", data => frames.push({ dir: "s2c", bytes: Buffer.from(data), origin: V1 }))
  await new Promise(r => old.on("open", r))
  old.send(firstV2("c2s", "join").bytes)
  await sleep(250)
}
old.send(firstV2("c2s", "request").bytes)
await waitFor(has("s2c", "doc-unavailable", V1), "1.2.1 doc-unavailable").catch(e => console.warn(e.message))

// ---- write fixtures ----
fs.mkdirSync(OUT, { recursive: true })
for (const f of fs.readdirSync(OUT)) if (f.endsWith(".cbor")) fs.rmSync(path.join(OUT, f))
const counts = {}
const index = frames.map(f => {
  const { json, shape, keys } = decodeCbor(f.bytes)
  const prefix = { [V1]: "v1_2_1-", [HAND]: "handbuilt-" }[f.origin] ?? ""
  const base = `${prefix}${json.type}-${f.dir}`
  const name = `${base}-${(counts[base] = (counts[base] ?? 0) + 1)}`
  fs.writeFileSync(path.join(OUT, `${name}.cbor`), f.bytes)
  const entry = { name, file: `${name}.cbor`, type: json.type, direction: f.dir, origin: f.origin }
  Object.assign(entry, { keyOrder: keys, cborTypes: shape, fields: json })
  // ephemeral `data` is itself CBOR (whatever was passed to handle.broadcast)
  if (json.type === "ephemeral") entry.dataDecoded = decodeCbor(Buffer.from(json.data, "hex")).json
  return entry
})
fs.writeFileSync(path.join(OUT, "index.json"), JSON.stringify(index, null, 2) + "\n")
console.log(`wrote ${index.length} fixtures to ${path.relative(process.cwd(), OUT)}:`)
for (const e of index) console.log(`  ${e.name}  (${e.origin})`)

// ---- cleanup ----
old.close()
oldServer.close()
clientRepo.shutdown()
serverRepo.shutdown()
wss.close()
process.exit(0) // the repos' keep-alive/retry timers would otherwise keep node running

// ---- helpers ----
function freePort() {
  return new Promise(resolve => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

// Tiny CBOR reader that keeps what a generic decoder hides: the major type / width of every
// item (`shape`), map key order (`keys`), and tags. Byte strings become hex in `json`.
function decodeCbor(buf) {
  let pos = 0
  const arg = ai => {
    if (ai < 24) return [ai, ""]
    const n = { 24: 1, 25: 2, 26: 4, 27: 8 }[ai]
    if (!n) throw new Error(`unsupported additional info ${ai}`)
    const v = n === 8 ? Number(buf.readBigUInt64BE(pos)) : buf.readUIntBE(pos, n)
    pos += n
    return [v, `${n * 8}`]
  }
  const item = () => {
    const ib = buf[pos++], mt = ib >> 5, ai = ib & 31
    if (mt === 7) {
      if (ai === 20 || ai === 21) return [ai === 21, "bool"]
      if (ai === 22) return [null, "null"]
      if (ai === 23) return [null, "undefined"] // JSON has no undefined; cborTypes tells them apart
      const [fn, n] = { 25: ["readUInt16BE", 2], 26: ["readFloatBE", 4], 27: ["readDoubleBE", 8] }[ai]
      const v = n === 2 ? halfToFloat(buf.readUInt16BE(pos)) : buf[fn](pos)
      pos += n
      return [v, `float${n * 8}`]
    }
    if (ai === 31) throw new Error("indefinite-length item (not expected from cbor-x)")
    const [v, w] = arg(ai)
    switch (mt) {
      case 0: return [v, `uint${w}`]
      case 1: return [-1 - v, `nint${w}`]
      case 2: { const b = buf.subarray(pos, (pos += v)); return [b.toString("hex"), "bytes"] }
      case 3: return [buf.toString("utf8", pos, (pos += v)), "text"]
      case 4: {
        const a = [], s = []
        for (let i = 0; i < v; i++) { const [x, t] = item(); a.push(x); s.push(t) }
        return [a, s]
      }
      case 5: {
        const o = {}, s = {}, k = []
        for (let i = 0; i < v; i++) {
          const [key] = item(), [x, t] = item()
          o[key] = x; s[key] = t; k.push(key)
        }
        return [o, s, k]
      }
      case 6: { const [x, t] = item(); return [{ tag: v, value: x }, { [`tag(${v})`]: t }] }
    }
  }
  const [json, shape, keys] = item()
  if (pos !== buf.length) throw new Error("trailing bytes")
  return { json, shape, keys }
}
function halfToFloat(h) {
  const e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1
  return e === 0 ? s * 2 ** -14 * (m / 1024) : e === 31 ? (m ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + m / 1024)
}
