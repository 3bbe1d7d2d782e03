import { it as effectIt } from "@effect/vitest"
import { makeSimulatedCarrier } from "@ringmaster/carrier"
import { CallId, E164 } from "@ringmaster/domain"
import type { CarrierEvent } from "@ringmaster/protocol"
import { Effect, FastCheck as fc, Fiber, Queue, Stream, TestClock } from "effect"
import { describe, expect, it } from "vitest"
import type { OutboundCallPlan } from "../../../../packages/carrier/src/simulated-plan.js"
import { dialFate } from "../../../sim/call-model.js"
import type { DialFate } from "../../../sim/call-model.js"
import { dialOutcome, farEndOf } from "../../../sim/entities/call-truth.js"
import { entityOptions } from "../../../sim/entities/options.js"

const sim = entityOptions().sim
const carrier = { ...sim.carrier, voicemailMs: sim.machineHandleMs, idPrefix: "truth" }

const plans: fc.Arbitrary<OutboundCallPlan> = fc.record({
  outcome: fc.constantFrom("human", "machine", "noAnswer", "busy", "disconnected"),
  ringMs: fc.nat(40_000),
  greetingMs: fc.nat(5_000),
  talkMs: fc.integer({ min: 1_000, max: 600_000 }),
  amdResult: fc.constantFrom("human", "machine", "not_sure"),
})

/** What the Call entity records (`dial_result`) for a far end: a call that needs an agent is connected or not. */
const resultsFor = (fate: DialFate): ReadonlyArray<string> => {
  if (fate.kind === "needsAgent") return ["connected", "abandoned"]
  switch (fate.outcome) {
    case "busy":
      return ["busy"]
    case "disconnected":
      return ["failed"]
    case "noAnswer":
      return ["no-answer"]
    case "machine":
    case "amdLostHuman":
      return ["machine"]
  }
}
const allResults = ["connected", "abandoned", "machine", "no-answer", "busy", "failed"]

describe("dialOutcome", () => {
  it("names each result the entities can record for a far end as the model does, and any other as inconsistent", () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const fate = dialFate(plan, carrier, sim)
        const possible = resultsFor(fate)
        for (const result of allResults) {
          const named = dialOutcome(result, fate)
          if (!possible.includes(result)) {
            expect(named).toBe(result === "failed" ? "failed" : "inconsistent")
          } else if (fate.kind === "ends") {
            expect(named).toBe(fate.outcome)
          } else {
            const person = result === "connected" ? "connected" : "abandoned"
            expect(named).toBe(fate.person ? person : result === "connected" ? "machineToAgent" : "machineDropped")
          }
        }
        expect(dialOutcome(null, fate)).toBe("unresolved")
        expect(dialOutcome("blocked", null)).toBe("blocked")
      }),
    )
  })
})

/** How each call went, as its events tell: answered, AMD's verdict, the hangup's cause and time. */
interface Seen {
  answeredAt?: number
  amd?: string
  hangup?: { readonly cause: string; readonly at: number }
}

describe("farEndOf", () => {
  effectIt.scoped("draws the same far end as the simulated carrier played for each call", () =>
    Effect.gen(function* () {
      const { carrier: network } = yield* makeSimulatedCarrier(carrier)
      const events = yield* Queue.unbounded<CarrierEvent>()
      const listening = yield* Effect.forkScoped(Stream.runForEach(network.events, (e) => Queue.offer(events, e)))
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
      const ids: Array<string> = []
      for (let i = 0; i < 200; i++) {
        const callId = CallId.make(`call-${i}`)
        const dialed = yield* network.dial({
          callId,
          from: E164.make("+14155550100"),
          to: E164.make(`+1415200${String(i).padStart(4, "0")}`),
          amd: "detect",
          ringTimeoutSecs: 30,
          commandId: callId,
        })
        ids.push(dialed.carrierCallId)
      }
      yield* TestClock.adjust("20 minutes")
      const seen = new Map<string, Seen>()
      for (const e of yield* Queue.takeAll(events)) {
        const s = seen.get(e.carrierCallId) ?? {}
        if (e._tag === "CallAnswered") s.answeredAt = e.at
        if (e._tag === "MachineDetectionEnded") s.amd = e.result
        if (e._tag === "CallHangup") s.hangup = { cause: e.cause, at: e.at }
        seen.set(e.carrierCallId, s)
      }
      yield* Fiber.interrupt(listening)
      const kinds = new Set<string>()
      for (const id of ids) {
        const fate = farEndOf(id, carrier, sim)
        const s = seen.get(id) ?? {}
        if (fate.kind === "needsAgent") {
          kinds.add(fate.person ? "person" : "machine taken for a person")
          expect(s.amd).not.toBe("machine")
          // A person talks for a minute or more; a machine records for a few seconds after its greeting.
          expect((s.hangup?.at ?? 0) - (s.answeredAt ?? 0) > 30_000).toBe(fate.person)
          continue
        }
        kinds.add(fate.outcome)
        if (fate.outcome === "busy") expect(s.hangup?.cause).toBe("busy")
        if (fate.outcome === "disconnected") expect(s.hangup?.cause).toBe("unallocated_number")
        if (fate.outcome === "noAnswer") expect([s.answeredAt, s.hangup?.cause]).toEqual([undefined, "no_answer"])
        if (fate.outcome === "machine" || fate.outcome === "amdLostHuman") {
          expect(s.amd).toBe("machine")
          expect((s.hangup?.at ?? 0) - (s.answeredAt ?? 0) > 30_000).toBe(fate.outcome === "amdLostHuman")
        }
      }
      expect(
        kinds.size,
        `every kind of far end among 200 calls: ${Array.from(kinds).join(", ")}`,
      ).toBeGreaterThanOrEqual(6)
    }),
  )
})
