import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { LeadId } from "../src/ids.js"
import { compareQueueEntries, type QueueEntry } from "../src/queue-order.js"
import { ReadyQueue } from "../src/ready-queue.js"
import { leadIdArb } from "./arbitraries.js"
import { runs } from "./property-runs.js"
import { queueEntryArb } from "./queue-arbitraries.js"

/** A small seeded PRNG, so the big-input check is the same on every run. */
const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

/** The reference model: a plain array kept sorted by the queue order. */
interface Model {
  entries: Array<QueueEntry>
}

const sortModel = (m: Model) => m.entries.sort(compareQueueEntries)

const expectSame = (m: Model, q: ReadyQueue) => {
  expect(q.size).toBe(m.entries.length)
  expect([...q]).toEqual(m.entries)
  expect(q.peek()).toEqual(m.entries[0])
}

class Insert implements fc.Command<Model, ReadyQueue> {
  constructor(readonly entry: QueueEntry) {}
  check = () => true
  run(m: Model, q: ReadyQueue) {
    m.entries = m.entries.filter((e) => e.leadId !== this.entry.leadId)
    m.entries.push(this.entry)
    sortModel(m)
    q.insert(this.entry)
    expect(q.get(this.entry.leadId)).toBe(this.entry)
    expectSame(m, q)
  }
  toString = () => `insert(${JSON.stringify(this.entry)})`
}

/** A batch, as a campaign's start loads its ready leads: sorted at once into an empty queue, else placed one by one. */
class InsertAll implements fc.Command<Model, ReadyQueue> {
  constructor(readonly entries: ReadonlyArray<QueueEntry>) {}
  check = () => true
  run(m: Model, q: ReadyQueue) {
    for (const entry of this.entries) {
      m.entries = m.entries.filter((e) => e.leadId !== entry.leadId)
      m.entries.push(entry)
    }
    sortModel(m)
    q.insertAll(this.entries)
    expectSame(m, q)
  }
  toString = () => `insertAll(${JSON.stringify(this.entries)})`
}

/** Re-inserts a queued lead with new fields: the queue must move it, not keep two copies. */
class Replace implements fc.Command<Model, ReadyQueue> {
  constructor(
    readonly pick: number,
    readonly fields: QueueEntry,
  ) {}
  check = (m: Readonly<Model>) => m.entries.length > 0
  run(m: Model, q: ReadyQueue) {
    const target = m.entries[this.pick % m.entries.length]
    if (target === undefined) return
    new Insert({ ...this.fields, leadId: target.leadId }).run(m, q)
  }
  toString = () => `replace(#${this.pick}, ${JSON.stringify(this.fields)})`
}

class Remove implements fc.Command<Model, ReadyQueue> {
  constructor(readonly leadId: LeadId) {}
  check = () => true
  run(m: Model, q: ReadyQueue) {
    const expected = m.entries.find((e) => e.leadId === this.leadId)
    m.entries = m.entries.filter((e) => e.leadId !== this.leadId)
    expect(q.remove(this.leadId)).toEqual(expected)
    expect(q.has(this.leadId)).toBe(false)
    expectSame(m, q)
  }
  toString = () => `remove(${this.leadId})`
}

class Pop implements fc.Command<Model, ReadyQueue> {
  check = () => true
  run(m: Model, q: ReadyQueue) {
    const expected = m.entries.shift()
    expect(q.pop()).toEqual(expected)
    expectSame(m, q)
  }
  toString = () => "pop()"
}

class Look implements fc.Command<Model, ReadyQueue> {
  constructor(
    readonly n: number,
    readonly threshold: number,
  ) {}
  check = () => true
  run(m: Model, q: ReadyQueue) {
    expect(q.take(this.n)).toEqual(m.entries.slice(0, this.n))
    const pred = (e: QueueEntry) => e.nextAttemptAt >= this.threshold
    expect(q.findFirst(pred)).toEqual(m.entries.find(pred))
    expectSame(m, q)
  }
  toString = () => `take(${this.n}) / findFirst(nextAttemptAt >= ${this.threshold})`
}

const commandsArb = (leadPool: number) =>
  fc.commands(
    [
      queueEntryArb(leadPool).map((e) => new Insert(e)),
      queueEntryArb(leadPool).map((e) => new Insert(e)),
      fc.array(queueEntryArb(leadPool), { maxLength: 40 }).map((es) => new InsertAll(es)),
      fc.tuple(fc.nat(), queueEntryArb(leadPool)).map(([i, e]) => new Replace(i, e)),
      leadIdArb(leadPool).map((id) => new Remove(id)),
      fc.constant(new Pop()),
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 50 })).map(([n, t]) => new Look(n, t)),
    ],
    { maxCommands: 300, size: "max" },
  )

describe("ReadyQueue", () => {
  for (const chunkCapacity of [4, 16, 512]) {
    it.prop(
      `behaves like a sorted array under any insert/insert-all/replace/remove/pop sequence (chunk capacity ${chunkCapacity})`,
      [commandsArb(60)],
      ([commands]) => {
        fc.modelRun(() => ({ model: { entries: [] }, real: new ReadyQueue({ chunkCapacity }) }), commands)
      },
      runs(100),
    )
  }

  it.prop(
    "from() holds the last entry given for each lead, in queue order",
    [fc.array(queueEntryArb(30), { maxLength: 80 }), fc.integer({ min: 4, max: 64 })],
    ([entries, chunkCapacity]) => {
      const latest = new Map(entries.map((e) => [e.leadId, e]))
      const q = ReadyQueue.from(entries, { chunkCapacity })
      expect([...q]).toEqual([...latest.values()].sort(compareQueueEntries))
      expect(q.size).toBe(latest.size)
      // still a working queue after bulk loading
      const extra = entries[0]
      if (extra !== undefined) {
        q.insert({ ...extra, recycledSeq: -1 })
        expect(q.peek()?.leadId).toBe(extra.leadId)
        expect(q.size).toBe(latest.size)
      }
    },
    runs(),
  )

  it("findFirst stops at the first match and take leaves the queue intact", () => {
    const q = ReadyQueue.from(
      Array.from({ length: 100 }, (_, i) => ({
        leadId: LeadId.make(`lead-${String(i).padStart(3, "0")}`),
        recycledSeq: null,
        priorityZero: false,
        lastContactAt: null,
        nextAttemptAt: i,
        priority: 1,
      })),
    )
    let calls = 0
    const found = q.findFirst((e) => (calls++, e.nextAttemptAt >= 3))
    expect(found?.leadId).toBe("lead-003")
    expect(calls).toBe(4)
    expect(q.take(2).map((e) => e.leadId)).toEqual(["lead-000", "lead-001"])
    expect(q.size).toBe(100)
    expect(q.take(0)).toEqual([])
    expect(q.take(1_000)).toHaveLength(100)
  })

  it("an empty queue peeks, pops, removes and finds nothing", () => {
    const q = new ReadyQueue()
    expect([q.peek(), q.pop(), q.remove(LeadId.make("x")), q.findFirst(() => true)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
    expect(q.size).toBe(0)
  })

  it("200,000 inserts (some replacing) then 200,000 pops come out complete and in order", () => {
    const n = 200_000
    const random = mulberry32(20_240_601)
    const int = (below: number) => Math.floor(random() * below)
    const q = new ReadyQueue()
    const latest = new Map<string, QueueEntry>()
    for (let i = 0; i < n; i++) {
      // most leads are distinct; every tenth insert re-queues an earlier lead with new fields
      const leadId = LeadId.make(`lead-${i % 10 === 9 ? int(i) : i}`)
      const kind = int(100)
      const time = int(1_000_000)
      const e: QueueEntry = {
        leadId,
        recycledSeq: kind < 2 ? i : null,
        priorityZero: kind < 7,
        lastContactAt: kind < 4 ? null : time,
        nextAttemptAt: time,
        priority: 1 + int(5),
      }
      latest.set(leadId, e)
      q.insert(e)
    }
    expect(q.size).toBe(latest.size)
    const expected = [...latest.values()].sort(compareQueueEntries)
    const popped: Array<QueueEntry> = []
    for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e)
    expect(popped.length).toBe(expected.length)
    expect(popped.every((e, i) => e === expected[i])).toBe(true)
    expect(q.size).toBe(0)
  })
})
