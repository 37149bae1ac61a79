// Writes a group document and a meeting document the way other automerge apps
// may: every field in every JavaScript shape (text, plain string, int, uint,
// float, missing, null, unknown or oddly cased enum value, extra field), with
// the real npm `@automerge/automerge`. The saved bytes are checked in under
// tests/fixtures/lenient/ and read natively by tests/lenient.rs, so that test
// needs no node. Regenerate from the repo root:
//   node tests/interop/lenient-fixture.mjs
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import * as A from "@automerge/automerge"

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/lenient")
const S = s => new A.ImmutableString(s) // a plain (scalar) string; a bare JS string is text
const F = n => new A.Float64(n)
const I = n => new A.Int(n)
const U = n => new A.Uint(n)
// Wrapped values (Int, Float64, ImmutableString…) inside a nested object
// literal are stored as maps by automerge's JavaScript; assigning them one
// by one keeps each shape as written.
const plain = v => v && typeof v === "object" && v.constructor === Object
function fill(target, value) {
  for (const [k, v] of Object.entries(value)) {
    if (plain(v)) {
      target[k] = {}
      fill(target[k], v)
    } else if (Array.isArray(v)) {
      target[k] = []
      for (const item of v) target[k].push(item)
    } else {
      target[k] = v
    }
  }
}
// A fixed actor and time, so the bytes are the same on every run.
const opts = { actor: "0123456789abcdef0123456789abcdef" }
const at = { time: 1790000000 }

let group = A.init(opts)
group = A.change(group, { ...at, message: "made by another automerge app" }, d => fill(d, {
  schema: U(2),
  name: "Rooftop garden", // text
  created_at: F(1790000000000.6), // fractional: rounds up
  js_extra: "a field this app does not know",
  aid_expiry_days: F(14),
  members: {
    m_text: { name: "Ana", created_at: I(1790000000000), contact: S("555-0100"), coordinator: true },
    m_plain: { name: S("Bo"), created_at: F(1790000000000.2), languages: "Spanish", point_person: I(1) },
  },
  sites: { s1: { name: "Roof", created_at: I(1), rows: U(3), cols: F(4) } },
  plots: {
    p_text: {
      site: "s1", label: "T1", size: "3 × 3 m", status: "Available", holder: "m_text",
      created_at: F(1790000000000.4), first_notice: "2026-05-01",
    },
    p_plain: {
      site: S("s1"), label: S("P1"), size: S(""), status: S("assigned"), holder: S("m_plain"),
      created_at: I(5), final_notice: null, notes: S("north side"), color: S("red"),
    },
    p_unknown: { site: S("s1"), label: S("U1"), size: S("2 m"), status: S("Composting"), created_at: I(6) },
    p_missing: { site: S("s1"), label: S("M1") },
    p_upper: { site: S("s1"), label: S("N1"), status: S("NEEDS_ATTENTION"), attention: "weeds", created_at: U(7) },
    p_holders: {
      site: S("s1"), label: S("H1"), status: S("Assigned"), created_at: I(8),
      holders: { 2026: ["m_text", S("m_plain")], 2025: S("m_plain") },
    },
    p_bad: S("not a plot at all"),
  },
  meetings: { "2fnQHAYFr3jBd5vKcTY7xZm4EVh5": { title: "June meeting", created_at: F(1790000000000) } },
  waitlist: { w1: { site: "s1", name: S("Cai"), contact: "555-0101", member: null, added_at: F(3.7) } },
  shifts: {
    sh1: {
      site: "s1", kind: S("watering"), title: "Morning water", date: "2026-06-01", time: S("07:00"),
      spots: U(3), signups: { m_text: F(1790000000000.9), m_plain: S("junk") }, minutes: { m_text: I(90), m_plain: F(30.4) },
      created_at: I(9),
    },
    sh2: { site: "s1", kind: S("Potluck"), title: S("Party"), date: S("2026-07-01") },
  },
  log: {
    lg1: { site: "s1", plot: null, kind: "Harvest", date: "2026-05-02", crop: S("Kale"), quantity: I(3), unit: "kg", created_at: I(10) },
    lg2: { site: "s1", plot: S("p_text"), kind: S("pest"), date: S("2026-05-03"), quantity: S("2.5"), by: S("m_text") },
  },
  resources: {
    r1: { name: "Bean seeds", category: "seeds", condition: S("Broken"), packets: F(12), created_at: I(11) },
    r2: { name: S("Drill"), category: S("TOOL"), condition: S("needs_repair"), kept_at: "shed", notes: S("") },
  },
  loans: {
    l1: { resource: "r2", borrower: S("m_text"), out: "2026-05-01", due: S("2026-05-15"), renewals: U(2), returned: null, created_at: I(12) },
  },
  holds: { h1: { resource: S("r2"), member: "m_plain", placed_at: F(13.2) } },
  seed_moves: { sm1: { resource: S("r1"), member: null, packets: F(-2), date: "2026-05-04", created_at: I(14) } },
  aid: {
    a1: {
      kind: S("ask"), title: "Ride to clinic", details: S(""), category: S("HEALTH"), urgency: "urgent",
      area: S("North"), status: S("open"), by: "m_plain", matched_with: null, created_at: I(15),
    },
    a2: { kind: S("Barter"), title: S("Trade"), status: S("Done"), done_at: F(1790000000000.5) },
  },
}))
fs.mkdirSync(OUT, { recursive: true })
fs.writeFileSync(path.join(OUT, "group.automerge"), A.save(group))

let meeting = A.init(opts)
meeting = A.change(meeting, { ...at, message: "meeting by another automerge app" }, d => fill(d, {
  schema: I(2),
  group: S("2fnQHAYFr3jBd5vKcTY7xZm4EVh5"),
  title: "June meeting",
  created_at: F(1790000000000.5),
  notes: S("Plain notes"), // a plain string, not text
  date: S("2026-06-10"),
  facilitator: "m_text",
  note_taker: null,
  attendees: { m_text: F(1790000000001.5), m_plain: I(1790000000002) },
  agenda: { ag1: { title: "Water", created_at: I(1) }, ag2: { title: S("Tools"), created_at: F(2), done: true } },
  decisions: { d1: { text: "Buy a hose", created_at: I(3), tally: { agree: U(5), abstain: F(1), disagree: I(0) } } },
  actions: {
    x1: { text: "Call the city", owner: null, status: S("done"), created_at: I(4) },
    x2: { text: S("Fix tap"), owner: S("m_plain"), due: "2026-06-20", status: S("Deferred"), carried_from: null, created_at: I(5) },
  },
}))
fs.writeFileSync(path.join(OUT, "meeting.automerge"), A.save(meeting))
console.log("wrote", OUT)
