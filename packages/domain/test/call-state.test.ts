import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import {
  type CallFact,
  CallFact as CallFactSchema,
  CallFacts,
  callPhase,
  emptyCallFacts,
  recordFact,
  recordFacts,
} from "../src/call-state.js"
import { runs } from "./property-runs.js"

const factBodyArb: fc.Arbitrary<Omit<CallFact, "eventId">> = fc.oneof(
  fc.record({ _tag: fc.constant("Initiated" as const), at: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ _tag: fc.constant("Ringing" as const), at: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ _tag: fc.constant("Answered" as const), at: fc.integer({ min: 0, max: 20 }) }),
  fc.record({
    _tag: fc.constant("MachineDetection" as const),
    at: fc.integer({ min: 0, max: 20 }),
    result: fc.constantFrom("human" as const, "machine" as const, "not_sure" as const),
  }),
  fc.record({
    _tag: fc.constant("Bridged" as const),
    at: fc.integer({ min: 0, max: 20 }),
    agentLeg: fc.constantFrom("leg-a", "leg-b"),
  }),
  fc.record({
    _tag: fc.constant("Hangup" as const),
    at: fc.integer({ min: 0, max: 20 }),
    cause: fc.constantFrom("normal_clearing", "user_busy", "timeout"),
  }),
)

/** Facts with distinct event ids: a carrier never reuses one for a different event. */
const factsArb: fc.Arbitrary<ReadonlyArray<CallFact>> = fc
  .array(factBodyArb, { maxLength: 14 })
  .map((bodies) => bodies.map((b, i) => ({ ...b, eventId: `evt-${i}` }) as CallFact))

/** The facts as a carrier may deliver them: every one at least once, some again, in any order. */
const deliveryArb = (facts: ReadonlyArray<CallFact>): fc.Arbitrary<ReadonlyArray<CallFact>> =>
  fc
    .array(fc.nat({ max: Math.max(0, facts.length - 1) }), { maxLength: facts.length === 0 ? 0 : 10 })
    .chain((again) => {
      const all = [...facts, ...again.flatMap((i) => (facts[i] === undefined ? [] : [facts[i]]))]
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
    })

const fact = <F extends CallFact>(f: F): CallFact => Schema.decodeUnknownSync(CallFactSchema)(f)

describe("call facts", () => {
  it("walks the phases of an answered, bridged and ended call", () => {
    const steps: Array<CallFact> = [
      fact({ _tag: "Initiated", eventId: "e1", at: 0 }),
      fact({ _tag: "Ringing", eventId: "e2", at: 1 }),
      fact({ _tag: "Answered", eventId: "e3", at: 5 }),
      fact({ _tag: "MachineDetection", eventId: "e4", at: 6, result: "human" }),
      fact({ _tag: "Bridged", eventId: "e5", at: 6, agentLeg: "leg-a" }),
      fact({ _tag: "Hangup", eventId: "e6", at: 60, cause: "normal_clearing" }),
    ]
    const phases = [callPhase(emptyCallFacts)]
    let facts = emptyCallFacts
    for (const f of steps) {
      facts = recordFact(facts, f)
      phases.push(callPhase(facts))
    }
    expect(phases).toEqual(["Dialing", "Dialing", "Ringing", "Answered", "Answered", "Bridged", "Ended"])
    expect(facts).toMatchObject({ amdResult: "human", bridgedAgentLeg: "leg-a", hangupCause: "normal_clearing" })
    expect(Schema.is(CallFacts)(facts)).toBe(true)
  })

  it("ignores a repeated event id and keeps the earliest time of a late, out-of-order event", () => {
    const answered = fact({ _tag: "Answered", eventId: "a", at: 10 })
    const once = recordFact(emptyCallFacts, answered)
    expect(recordFact(once, answered)).toBe(once)
    const earlierRetry = recordFact(once, fact({ _tag: "Answered", eventId: "a2", at: 8 }))
    expect(earlierRetry.answeredAt).toBe(8)
    expect(recordFact(earlierRetry, fact({ _tag: "Answered", eventId: "a3", at: 12 })).answeredAt).toBe(8)
  })

  it("a hangup that arrives before the answer still ends the call", () => {
    const facts = recordFacts(emptyCallFacts, [
      fact({ _tag: "Hangup", eventId: "h", at: 9, cause: "normal_clearing" }),
      fact({ _tag: "Answered", eventId: "a", at: 3 }),
    ])
    expect(callPhase(facts)).toBe("Ended")
  })

  it("breaks an AMD tie at the same instant in favour of a human, whatever the order", () => {
    const machine = fact({ _tag: "MachineDetection", eventId: "m", at: 4, result: "machine" })
    const human = fact({ _tag: "MachineDetection", eventId: "h", at: 4, result: "human" })
    expect(recordFacts(emptyCallFacts, [machine, human]).amdResult).toBe("human")
    expect(recordFacts(emptyCallFacts, [human, machine]).amdResult).toBe("human")
    expect(recordFacts(emptyCallFacts, [human, fact({ ...machine, eventId: "m2", at: 3 })]).amdResult).toBe("machine")
  })

  it.prop(
    "any order with any duplicates leaves the same facts and phase as the de-duplicated list in order",
    [factsArb.chain((facts) => fc.tuple(fc.constant(facts), deliveryArb(facts)))],
    ([[facts, delivery]]) => {
      const inOrder = recordFacts(emptyCallFacts, facts)
      const delivered = recordFacts(emptyCallFacts, delivery)
      expect(delivered).toEqual(inOrder)
      expect(callPhase(delivered)).toBe(callPhase(inOrder))
    },
    runs(300),
  )

  it.prop(
    "each timestamp is the earliest reported and every event id is remembered",
    [factsArb],
    ([facts]) => {
      const merged = recordFacts(emptyCallFacts, facts)
      const earliest = (tag: CallFact["_tag"]) => {
        const times = facts.filter((f) => f._tag === tag).map((f) => f.at)
        return times.length === 0 ? null : Math.min(...times)
      }
      expect(merged.initiatedAt).toBe(earliest("Initiated"))
      expect(merged.ringingAt).toBe(earliest("Ringing"))
      expect(merged.answeredAt).toBe(earliest("Answered"))
      expect(merged.amdAt).toBe(earliest("MachineDetection"))
      expect(merged.bridgedAt).toBe(earliest("Bridged"))
      expect(merged.hangupAt).toBe(earliest("Hangup"))
      expect(merged.seenEventIds).toEqual(facts.map((f) => f.eventId).sort())
    },
    runs(),
  )

  it.prop(
    "the phase is the furthest the facts prove",
    [factsArb],
    ([facts]) => {
      const tags = new Set(facts.map((f) => f._tag))
      const expected = tags.has("Hangup")
        ? "Ended"
        : tags.has("Bridged")
          ? "Bridged"
          : tags.has("Answered") || tags.has("MachineDetection")
            ? "Answered"
            : tags.has("Ringing")
              ? "Ringing"
              : "Dialing"
      expect(callPhase(recordFacts(emptyCallFacts, facts))).toBe(expected)
    },
    runs(),
  )
})
