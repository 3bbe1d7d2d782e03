import { describe, expect, it } from "@effect/vitest"
import { AgentId, CallId } from "@ringmaster/domain"
import { FastCheck as fc } from "effect"
import { InboundRings } from "../src/inbound-rings.js"

const calls = ["c1", "c2", "c3", "c4"].map((c) => CallId.make(c))
const agents = ["a1", "a2", "a3", "a4", "a5"].map((a) => AgentId.make(a))

type Step =
  | {
      readonly kind: "start"
      readonly call: number
      readonly ringMs: number
      readonly max: number
      readonly given: number
    }
  | { readonly kind: "give"; readonly agent: number }
  | { readonly kind: "end"; readonly call: number }
  | { readonly kind: "wait"; readonly ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("start" as const),
    call: fc.nat(calls.length - 1),
    ringMs: fc.integer({ min: 1, max: 60_000 }),
    max: fc.nat(3),
    given: fc.nat(2),
  }),
  fc.record({ kind: fc.constant("give" as const), agent: fc.nat(agents.length - 1) }),
  fc.record({ kind: fc.constant("end" as const), call: fc.nat(calls.length - 1) }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
)

interface ModelRing {
  readonly call: CallId
  readonly until: number
  readonly max: number
  readonly agents: Array<AgentId>
}

describe("InboundRings", () => {
  it("gives a free agent to the oldest call still ringing that may ring one more, as a reference list does", () =>
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const rings = new InboundRings()
        // The reference: calls in the order they started ringing (a call started again goes last).
        let model: Array<ModelRing> = []
        let now = 0
        for (const s of steps) {
          if (s.kind === "wait") now += s.ms
          if (s.kind === "start") {
            const call = calls[s.call] as CallId
            const given = agents.slice(0, s.given)
            rings.start(call, { until: now + s.ringMs, max: s.max, agents: given })
            model = [
              ...model.filter((r) => r.call !== call),
              { call, until: now + s.ringMs, max: s.max, agents: [...given] },
            ]
          }
          if (s.kind === "end") {
            const call = calls[s.call] as CallId
            rings.end(call)
            model = model.filter((r) => r.call !== call)
          }
          if (s.kind === "give") {
            const agent = agents[s.agent] as AgentId
            model = model.filter((r) => r.until > now)
            const due = model.find((r) => !r.agents.includes(agent) && (r.max === 0 || r.agents.length < r.max))
            if (due !== undefined) due.agents.push(agent)
            expect(rings.give(agent, now)).toBe(due?.call)
          }
          for (const call of calls) {
            const ring = model.find((r) => r.call === call && r.until > now)
            expect(rings.agentsOf(call, now)).toEqual(ring?.agents)
          }
        }
      }),
      {
        // Found while writing it: a call started again (after its ring was over) goes behind the calls ringing.
        examples: [
          [
            [
              { kind: "start", call: 2, ringMs: 1, max: 0, given: 0 },
              { kind: "start", call: 0, ringMs: 1, max: 0, given: 0 },
              { kind: "start", call: 2, ringMs: 1, max: 0, given: 0 },
              { kind: "give", agent: 0 },
            ],
          ],
        ],
      },
    ))
})
