import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { AgentId, CallId, emptyCallFacts, E164, recordFact } from "@ringmaster/domain"
import type { CarrierEvent } from "@ringmaster/protocol"
import { Effect, Layer, Option } from "effect"
import { findCall, insertCall, logCallEventWithFacts } from "../src/call-repo.js"
import { seedTenant } from "../src/demo-seed.js"
import { setAutoDialConnected } from "../src/dialer-repo.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

const aCall = Effect.gen(function* () {
  const key = `c${crypto.randomUUID().slice(0, 8)}`
  const tenant = yield* seedTenant({ key, name: `Calls ${key}`, agentCount: 1, leadCount: 1, now: day0 })
  const callId = CallId.make(`${key}-call`)
  yield* insertCall({
    id: callId,
    tenantId: tenant.tenantId,
    campaignId: tenant.campaignId,
    leadId: tenant.newLeadIds[0] ?? null,
    agentId: tenant.agents[0]?.agentId ?? null,
    direction: "outbound",
    from: E164.make("+14155550100"),
    to: E164.make("+14155552600"),
    carrierCallId: "carrier-1",
    phase: "Dialing",
    facts: emptyCallFacts,
    createdAt: day0,
  })
  return { tenantId: tenant.tenantId, callId }
})

const answered = (callId: CallId, eventId: string, at: number): CarrierEvent => ({
  _tag: "CallAnswered",
  eventId,
  callId,
  carrierCallId: "carrier-1",
  direction: "outbound",
  at,
})

const hungUp = (callId: CallId, eventId: string, at: number): CarrierEvent => ({
  _tag: "CallHangup",
  eventId,
  callId,
  carrierCallId: "carrier-1",
  direction: "outbound",
  at,
  cause: "busy",
})

const dialOf = (callId: CallId) =>
  Effect.flatMap(SqlClient, (sql) =>
    Effect.map(
      sql<{ dialResult: string | null; agentId: string | null }>`SELECT dial_result, agent_id FROM calls
        WHERE id = ${callId}`,
      (rows) => rows[0],
    ),
  )

const loggedEvents = (callId: CallId) =>
  Effect.flatMap(SqlClient, (sql) =>
    Effect.map(
      sql<{ eventId: string }>`SELECT event_id FROM call_events WHERE call_id = ${callId} ORDER BY id`,
      (rows) => rows.map((r) => r.eventId),
    ),
  )

layer(database, { timeout: "120 seconds" })("call repository", (it) => {
  describe("logCallEventWithFacts", () => {
    it.effect("logs a new event and writes the call's facts and phase with it", () =>
      Effect.gen(function* () {
        const { tenantId, callId } = yield* aCall
        const facts = recordFact(emptyCallFacts, { _tag: "Answered", eventId: "ev-1", at: day0 + 5_000 })
        const fresh = yield* logCallEventWithFacts({
          tenantId,
          callId,
          event: answered(callId, "ev-1", day0 + 5_000),
          receivedAt: day0 + 5_010,
          facts: { facts, phase: "Answered" },
        })
        expect(fresh).toBe(true)
        const call = Option.getOrThrow(yield* findCall(callId))
        expect({ phase: call.phase, answeredAt: call.facts.answeredAt }).toEqual({
          phase: "Answered",
          answeredAt: day0 + 5_000,
        })
        expect(yield* loggedEvents(callId)).toEqual(["ev-1"])
      }),
    )

    it.effect("a repeated delivery changes nothing, whatever facts come with it", () =>
      Effect.gen(function* () {
        const { tenantId, callId } = yield* aCall
        const first = recordFact(emptyCallFacts, { _tag: "Answered", eventId: "ev-1", at: day0 + 5_000 })
        yield* logCallEventWithFacts({
          tenantId,
          callId,
          event: answered(callId, "ev-1", day0 + 5_000),
          receivedAt: day0 + 5_010,
          facts: { facts: first, phase: "Answered" },
        })
        const again = yield* logCallEventWithFacts({
          tenantId,
          callId,
          event: answered(callId, "ev-1", day0 + 9_000),
          receivedAt: day0 + 9_010,
          facts: { facts: { ...first, answeredAt: day0 + 9_000 }, phase: "Ended" },
        })
        expect(again).toBe(false)
        const call = Option.getOrThrow(yield* findCall(callId))
        expect({ phase: call.phase, answeredAt: call.facts.answeredAt }).toEqual({
          phase: "Answered",
          answeredAt: day0 + 5_000,
        })
        expect(yield* loggedEvents(callId)).toEqual(["ev-1"])
      }),
    )

    it.effect("the hang-up that ends an automatic dial writes its result with the facts, once", () =>
      Effect.gen(function* () {
        const { tenantId, callId } = yield* aCall
        const facts = recordFact(emptyCallFacts, { _tag: "Hangup", eventId: "ev-3", at: day0 + 4_000, cause: "busy" })
        const logHangup = (eventId: string, dialResult: "busy" | "failed") =>
          logCallEventWithFacts({
            tenantId,
            callId,
            event: hungUp(callId, eventId, day0 + 4_000),
            receivedAt: day0 + 4_010,
            facts: { facts, phase: "Ended", dialResult },
          })
        expect(yield* logHangup("ev-3", "busy")).toBe(true)
        expect(yield* dialOf(callId)).toMatchObject({ dialResult: "busy" })
        // The same event delivered again writes nothing, the result included.
        expect(yield* logHangup("ev-3", "failed")).toBe(false)
        expect(yield* dialOf(callId)).toMatchObject({ dialResult: "busy" })
        expect(Option.getOrThrow(yield* findCall(callId)).phase).toBe("Ended")
      }),
    )

    it.effect("an event that tells nothing new of the call is logged and leaves the facts alone", () =>
      Effect.gen(function* () {
        const { tenantId, callId } = yield* aCall
        const fresh = yield* logCallEventWithFacts({
          tenantId,
          callId,
          event: answered(callId, "ev-2", day0 + 5_000),
          receivedAt: day0 + 5_010,
          facts: null,
        })
        expect(fresh).toBe(true)
        const call = Option.getOrThrow(yield* findCall(callId))
        expect({ phase: call.phase, facts: call.facts }).toEqual({ phase: "Dialing", facts: emptyCallFacts })
        expect(yield* loggedEvents(callId)).toEqual(["ev-2"])
      }),
    )
  })

  describe("setAutoDialConnected", () => {
    it.effect("gives the call its agent and the result connected", () =>
      Effect.gen(function* () {
        const { callId } = yield* aCall
        const agentId = (yield* dialOf(callId))?.agentId
        expect(agentId).toBeTypeOf("string")
        yield* Effect.flatMap(SqlClient, (sql) => sql`UPDATE calls SET agent_id = NULL WHERE id = ${callId}`)
        yield* setAutoDialConnected(callId, AgentId.make(agentId ?? ""))
        expect(yield* dialOf(callId)).toEqual({ dialResult: "connected", agentId })
      }),
    )
  })
})
