/**
 * A dial the carrier never finishes (its process died with the carrier connection that had it) is ended by the
 * runners' watchdog (20 s after it was placed when the carrier never said it started, else after the ring timeout and
 * a margin): the agent is not left "Dialing" and the lead "in call" for
 * ever. A call that was answered is never ended by it, however long it lasts.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Carrier, SimulatedCarrier } from "@ringmaster/carrier"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { LOST_AFTER_MS, UNHEARD_LOST_AFTER_MS } from "@ringmaster/runtime"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Layer } from "effect"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `wd${Date.now().toString(36)}t${++worlds}`

/** The simulated carrier, whose dials (when `lose` is on) are taken and then never heard of again. */
const network = (idPrefix: string, lose: boolean) =>
  Layer.effect(
    Carrier,
    Effect.map(Carrier, (carrier) =>
      Carrier.of({
        ...carrier,
        dial: (req) =>
          lose ? Effect.succeed({ carrierCallId: `${idPrefix}-vanished-${req.callId}` }) : carrier.dial(req),
      }),
    ),
  ).pipe(
    Layer.provide(
      SimulatedCarrier.layer({
        // As by default a person answers every call (AMD is right); fixed times make the tests' instants exact.
        ringMs: { min: 1_000, max: 1_000 },
        greetingMs: { min: 0, max: 0 },
        talkMs: { min: 3_600_000, max: 3_600_000 },
        idPrefix,
      }),
    ),
  )

/** One agent Online accepts one lead, which dials it; returns once the dial is out. */
const agentDials = (lose: boolean) =>
  Effect.gen(function* () {
    const key = nextKey()
    const world = yield* makeWorld({
      key,
      agentCount: 1,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      carrier: network(key, lose),
    })
    const agents = yield* world.run(AgentEntity.client)
    const agentId = world.agentIds[0] as AgentId
    yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
    yield* world.createLead({
      id: LeadId.make(`${key}-lead`),
      leadTypeId: world.tenant.leadTypes.injury,
      phone: "+14155552600",
    })
    yield* world.settle
    const offer = (yield* world.run(agents(agentId).View())).pendingOffer
    if (offer === null) return yield* Effect.dieMessage("the agent was not offered the lead")
    yield* world.run(agents(agentId).Accept({ offerId: offer.offerId }))
    yield* world.settle
    return { world, agents, agentId, sql: yield* SqlClient.SqlClient }
  })

const callOf = (sql: SqlClient.SqlClient, world: World) =>
  sql<{ id: string; phase: string; hangupCause: string | null }>`SELECT id, phase, hangup_cause FROM calls
    WHERE tenant_id = ${world.tenant.tenantId}`.pipe(Effect.orDie)

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the call watchdog", (it) => {
  it.scoped("ends a dial the carrier never reported on, 20 s after it was placed, and the agent moves on", () =>
    Effect.gen(function* () {
      const { world, agents, agentId, sql } = yield* agentDials(true)
      yield* world.runFor(UNHEARD_LOST_AFTER_MS - 5_000)
      expect((yield* callOf(sql, world)).map((c) => c.phase)).toEqual(["Dialing"])
      expect((yield* world.run(agents(agentId).View())).state).toBe("OnCall")

      yield* world.runFor(20_000)
      const calls = yield* callOf(sql, world)
      expect(calls.map((c) => [c.phase, c.hangupCause])).toEqual([["Ended", "timeout"]])
      const view = yield* world.run(agents(agentId).View())
      expect([view.state, view.call?.phase]).toEqual(["WrapUp", "Ended"])
      const logged = yield* sql<{ eventId: string }>`SELECT event_id FROM call_events
        WHERE call_id = ${calls[0]?.id ?? ""}`.pipe(Effect.orDie)
      expect(logged.map((e) => e.eventId)).toContain(`lost:${calls[0]?.id}`)
    }),
  )

  it.scoped("leaves an answered call alone, however long it lasts", () =>
    Effect.gen(function* () {
      const { world, agents, agentId, sql } = yield* agentDials(false)
      yield* world.runFor(LOST_AFTER_MS + 30_000)
      expect((yield* callOf(sql, world)).map((c) => c.phase)).toEqual(["Answered"])
      expect((yield* world.run(agents(agentId).View())).state).toBe("OnCall")
    }),
  )
})
