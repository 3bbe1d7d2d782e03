import { FastCheck as fc } from "effect"
import type { QueueEntry } from "../src/queue-order.js"
import { leadIdArb, smallTimeArb } from "./arbitraries.js"

/** Queue entries over small value ranges, so every tie-break of the order gets exercised. */
export const queueEntryArb = (leadPool = 12): fc.Arbitrary<QueueEntry> =>
  fc.record({
    leadId: leadIdArb(leadPool),
    recycledSeq: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null, freq: 3 }),
    priorityZero: fc.boolean(),
    lastContactAt: fc.option(smallTimeArb, { nil: null, freq: 3 }),
    nextAttemptAt: smallTimeArb,
    priority: fc.integer({ min: 1, max: 3 }),
  })
