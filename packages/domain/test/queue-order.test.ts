import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, FastCheck as fc } from "effect"
import { LeadId } from "../src/ids.js"
import { compareQueueEntries, type QueueEntry, QueueEntryOrder, queueRule } from "../src/queue-order.js"
import { runs } from "./property-runs.js"
import { queueEntryArb } from "./queue-arbitraries.js"

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0)

const entry = (leadId: string, fields: Partial<Omit<QueueEntry, "leadId">> = {}): QueueEntry => ({
  leadId: LeadId.make(leadId),
  recycledSeq: null,
  priorityZero: false,
  lastContactAt: null,
  nextAttemptAt: 0,
  priority: 1,
  ...fields,
})

describe("queueRule", () => {
  it("puts recycling above the priority-0 flag, and both above the schedule", () => {
    expect(queueRule(entry("a", { recycledSeq: 3, priorityZero: true }))).toBe("recycled")
    expect(queueRule(entry("a", { priorityZero: true }))).toBe("priority-0")
    expect(queueRule(entry("a"))).toBe("scheduled")
  })
})

describe("compareQueueEntries", () => {
  it("hands out recycled, then priority-0 by oldest contact, then by next attempt, priority and id", () => {
    const queue = [
      entry("sched-late", { nextAttemptAt: 500 }),
      entry("sched-b", { nextAttemptAt: 100, priority: 2 }),
      entry("sched-a", { nextAttemptAt: 100, priority: 2 }),
      entry("sched-urgent", { nextAttemptAt: 100, priority: 1 }),
      entry("p0-recent", { priorityZero: true, lastContactAt: 90 }),
      entry("p0-never", { priorityZero: true, lastContactAt: null, nextAttemptAt: 9_999 }),
      entry("p0-old", { priorityZero: true, lastContactAt: 10 }),
      entry("recycled-2", { recycledSeq: 2, nextAttemptAt: 9_999 }),
      entry("recycled-1", { recycledSeq: 1, priority: 9 }),
    ]
    expect([...queue].sort(compareQueueEntries).map((e) => e.leadId)).toEqual([
      "recycled-1",
      "recycled-2",
      "p0-never",
      "p0-old",
      "p0-recent",
      "sched-urgent",
      "sched-a",
      "sched-b",
      "sched-late",
    ])
  })

  it("compares lead ids by code unit, not by locale", () => {
    expect(compareQueueEntries(entry("Z"), entry("a"))).toBeLessThan(0)
    expect(compareQueueEntries(entry("lead-10"), entry("lead-9"))).toBeLessThan(0)
  })

  it.prop(
    "is reflexive and antisymmetric",
    [queueEntryArb(), queueEntryArb()],
    ([a, b]) => {
      expect(compareQueueEntries(a, a)).toBe(0)
      expect(sign(compareQueueEntries(a, b)) + sign(compareQueueEntries(b, a))).toBe(0)
    },
    runs(),
  )

  it.prop(
    "is transitive",
    [queueEntryArb(4), queueEntryArb(4), queueEntryArb(4)],
    ([a, b, c]) => {
      const [x, y, z] = [a, b, c].sort(compareQueueEntries) as [QueueEntry, QueueEntry, QueueEntry]
      expect(compareQueueEntries(x, y)).toBeLessThanOrEqual(0)
      expect(compareQueueEntries(y, z)).toBeLessThanOrEqual(0)
      expect(compareQueueEntries(x, z)).toBeLessThanOrEqual(0)
      if (compareQueueEntries(x, y) < 0 || compareQueueEntries(y, z) < 0)
        expect(compareQueueEntries(x, z)).toBeLessThan(0)
    },
    runs(500),
  )

  it.prop(
    "is total over distinct lead ids",
    [queueEntryArb(), queueEntryArb()],
    ([a, b]) => {
      fc.pre(a.leadId !== b.leadId)
      expect(compareQueueEntries(a, b)).not.toBe(0)
    },
    runs(),
  )

  it.prop(
    "sorting any set gives recycled, then priority-0, then scheduled, each group in its own order",
    [fc.uniqueArray(queueEntryArb(40), { selector: (e) => e.leadId, maxLength: 30 })],
    ([entries]) => {
      const sorted = [...entries].sort(compareQueueEntries)
      const ranks = sorted.map((e) => ["recycled", "priority-0", "scheduled"].indexOf(queueRule(e)))
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y))
      for (const [a, b] of Arr.zip(sorted, sorted.slice(1))) {
        if (queueRule(a) !== queueRule(b)) continue
        if (queueRule(a) === "recycled") expect(a.recycledSeq ?? 0).toBeLessThanOrEqual(b.recycledSeq ?? 0)
        if (queueRule(a) === "priority-0" && a.lastContactAt !== null) {
          expect(b.lastContactAt).not.toBeNull()
          expect(a.lastContactAt).toBeLessThanOrEqual(b.lastContactAt ?? -Infinity)
        }
        if (queueRule(a) === "scheduled") {
          expect(a.nextAttemptAt).toBeLessThanOrEqual(b.nextAttemptAt)
          if (a.nextAttemptAt === b.nextAttemptAt) expect(a.priority).toBeLessThanOrEqual(b.priority)
        }
      }
    },
    runs(),
  )

  it.prop(
    "every recycled entry precedes every non-recycled one",
    [queueEntryArb(), queueEntryArb()],
    ([a, b]) => {
      fc.pre(a.recycledSeq !== null && b.recycledSeq === null)
      expect(compareQueueEntries(a, b)).toBeLessThan(0)
    },
    runs(),
  )

  it.prop(
    "every priority-0 entry precedes every scheduled one",
    [queueEntryArb(), queueEntryArb()],
    ([a, b]) => {
      fc.pre(queueRule(a) === "priority-0" && queueRule(b) === "scheduled")
      expect(compareQueueEntries(a, b)).toBeLessThan(0)
    },
    runs(),
  )

  it.prop(
    "QueueEntryOrder agrees with compareQueueEntries",
    [queueEntryArb(), queueEntryArb()],
    ([a, b]) => {
      expect(QueueEntryOrder(a, b)).toBe(sign(compareQueueEntries(a, b)))
    },
    runs(),
  )
})
