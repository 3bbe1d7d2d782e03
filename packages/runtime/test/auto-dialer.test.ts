/**
 * The auto-dialer on the real entities in an in-memory cluster, with the simulated carrier on the world's clock:
 * a person who answers gets a free agent at once; with no agent free for 2 s the call is abandoned, recorded and
 * counted, and the campaign falls back to one dial per free agent; machines and unanswered dials go back to the
 * cadence; and when the automatic dial path fails, an agent can still dial by hand.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Carrier, CarrierError, type SimulatedCarrierConfig } from "@ringmaster/carrier"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Layer } from "effect"
import { autoDialNetwork } from "./support/auto-dial-network.js"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let tenants = 0
const nextKey = () => `ad${Date.now().toString(36)}t${++tenants}`

/** Every call rings 1 s; the far end greets for 1 s, then AMD tells; a person talks for an hour. */
const network = (outcome: Partial<SimulatedCarrierConfig>) => autoDialNetwork(outcome, { idPrefix: "auto" })

const autoWorld = (agentCount: number, carrier: Layer.Layer<Carrier>, dialRatio: number) =>
  Effect.gen(function* () {
    const world = yield* makeWorld({
      key: nextKey(),
      agentCount,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      carrier,
    })
    const sql = yield* SqlClient.SqlClient
    const agents = yield* world.run(AgentEntity.client)
    yield* world.run(
      Effect.forEach(world.agentIds, (id) => agents(id).SetState({ state: "Online", source: "agent" }), {
        discard: true,
      }),
    )
    yield* sql`UPDATE campaigns SET mode = 'auto', pacing = 'preset', dial_ratio = ${dialRatio}
      WHERE id = ${world.tenant.campaignId}`.pipe(Effect.orDie)
    const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
    yield* world.run(campaign.SettingsChanged())
    yield* world.settle
    return { world, agents, campaign, sql }
  })

const addLeads = (world: World, count: number) =>
  Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    (i) =>
      world.createLead({
        id: LeadId.make(`${world.tenant.tenantId}-lead-${i}`),
        leadTypeId: world.tenant.leadTypes.injury,
        phone: `+1415555${String(2600 + i).padStart(4, "0")}`,
      }),
    { discard: true },
  )

/** Moves the world's clock on second by second (the pacing heartbeat and the carrier's timers run on it). */
const callRows = (sql: SqlClient.SqlClient, world: World) =>
  sql<{ id: string; agentId: string | null; abandonedAt: number | null; dialResult: string | null }>`
    SELECT id, agent_id, abandoned_at, dial_result FROM calls WHERE tenant_id = ${world.tenant.tenantId}
    AND auto_dialed ORDER BY created_at, id`.pipe(Effect.orDie)

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the auto-dialer", (it) => {
  it.scoped("connects a person who answers to a free agent at once, one dial per free agent at 1:1", () =>
    Effect.gen(function* () {
      const { world, agents, sql } = yield* autoWorld(2, network({ human: 1 }), 1)
      yield* addLeads(world, 3)
      yield* world.runFor(6_000, 500)

      const views = yield* world.run(Effect.forEach(world.agentIds, (id) => agents(id).View()))
      expect(views.map((v) => v.state)).toEqual(["OnCall", "OnCall"])
      // Each person is bridged to the agent's own leg.
      expect(views.every((v) => v.call?.phase === "Bridged" && v.workingLeadId !== null)).toBe(true)
      expect(new Set(views.map((v) => v.workingLeadId)).size, "two different leads").toBe(2)
      expect(
        views.every((v) => v.pendingOffer === null),
        "no notification in auto mode",
      ).toBe(true)

      const calls = yield* callRows(sql, world)
      expect(calls).toHaveLength(2)
      expect(calls.every((c) => c.dialResult === "connected" && c.abandonedAt === null)).toBe(true)
      const real = yield* world.read
      expect(real.queue, "the third lead waits for a free agent").toHaveLength(1)
      const leads = Array.from(real.leads.values())
      for (const v of views) expect(leads.find((l) => l.id === v.workingLeadId)?.assignedAgentId).toBe(v.agentId)
    }),
  )

  it.scoped("abandons a person no agent takes within 2 s, records it, and falls back to progressive", () =>
    Effect.gen(function* () {
      const { world, sql, campaign } = yield* autoWorld(1, network({ human: 1 }), 3)
      yield* addLeads(world, 5)
      // The agent's own leg is dialled when the auto-dialer is switched on; the first dials wait for it to be up.
      yield* world.runFor(10_000, 500)

      const calls = yield* callRows(sql, world)
      expect(calls, "3 dials for 1 free agent at 3:1").toHaveLength(3)
      const connected = calls.filter((c) => c.dialResult === "connected")
      const abandoned = calls.filter((c) => c.dialResult === "abandoned")
      expect(connected).toHaveLength(1)
      expect(abandoned).toHaveLength(2)
      expect(abandoned.every((c) => c.abandonedAt !== null && c.agentId === null)).toBe(true)

      // The people who were abandoned were told, then hung up on; their leads are back in their cadence.
      const notes = yield* sql<{ callId: string; kind: string }>`SELECT call_id, kind FROM call_events
        WHERE call_id IN ${sql.in(abandoned.map((c) => c.id))} AND kind IN ('Abandoned', 'SpeakEnded')`.pipe(
        Effect.orDie,
      )
      for (const c of abandoned) {
        expect(
          notes
            .filter((n) => n.callId === c.id)
            .map((n) => n.kind)
            .sort(),
        ).toEqual(["Abandoned", "SpeakEnded"])
      }
      const real = yield* world.read
      const connectedLead = (yield* world
        .run(Effect.map(AgentEntity.client, (a) => a(world.agentIds[0] as AgentId)))
        .pipe(Effect.flatMap((a) => world.run(a.View())))).workingLeadId
      const backInCadence = Array.from(real.leads.values()).filter((l) => l.attempts === 1 && l.stage === "waiting")
      expect(backInCadence).toHaveLength(2)
      expect(backInCadence.some((l) => l.id === connectedLead)).toBe(false)

      const stats = yield* world.run(campaign.Stats())
      expect(stats.pacing).toBe("fallback")
      expect(stats.dialing + stats.waitingForAgent, "no free agent: progressive places nothing").toBe(0)
      const alerts = yield* sql<{ kind: string; userId: string }>`SELECT kind, user_id FROM alerts
        WHERE tenant_id = ${world.tenant.tenantId} AND kind LIKE 'abandonment-%'`.pipe(Effect.orDie)
      expect(alerts.map((a) => a.kind)).toContain("abandonment-fall-back")
    }),
  )

  it.scoped("sends machines and unanswered dials back to the cadence without an agent", () =>
    Effect.gen(function* () {
      const { world, agents, sql } = yield* autoWorld(1, network({ machine: 1, busy: 1 }), 2)
      yield* addLeads(world, 2)
      yield* world.runFor(10_000, 500)

      const calls = yield* callRows(sql, world)
      expect(calls).toHaveLength(2)
      expect(calls.map((c) => c.dialResult).sort()).toEqual(["busy", "machine"])
      expect(calls.every((c) => c.agentId === null && c.abandonedAt === null)).toBe(true)
      const view = yield* world.run(agents(world.agentIds[0] as AgentId).View())
      expect(view.state).toBe("Online")
      const real = yield* world.read
      const leads = Array.from(real.leads.values())
      expect(leads.every((l) => l.attempts === 1 && l.stage === "waiting" && l.nextAttemptAt !== null)).toBe(true)
    }),
  )

  it.scoped("keeps manual dialing working when automatic dials fail", () =>
    Effect.gen(function* () {
      // The carrier refuses every dial with answering-machine detection (the auto-dialer's), not the others.
      const failingAutoDials = Layer.effect(
        Carrier,
        Effect.map(Carrier, (carrier) =>
          Carrier.of({
            ...carrier,
            dial: (req) =>
              req.amd === "disabled"
                ? carrier.dial(req)
                : Effect.fail(new CarrierError({ operation: "dial", message: "AMD unavailable", retryable: false })),
          }),
        ),
      ).pipe(Layer.provide(network({ human: 1 })))
      const { world, agents, sql } = yield* autoWorld(1, failingAutoDials, 1)
      yield* addLeads(world, 2)
      yield* world.runFor(3_000, 500)
      const failed = yield* callRows(sql, world)
      expect(failed.length).toBeGreaterThan(0)
      expect(failed.every((c) => c.dialResult === "failed")).toBe(true)

      const agentId = world.agentIds[0] as AgentId
      const real = yield* world.read
      const lead = Array.from(real.leads.values()).find((l) => l.stage === "waiting" || l.stage === "ready")
      if (lead === undefined) return yield* Effect.dieMessage("no lead to dial")
      const dialled = yield* world.run(agents(agentId).Dial({ leadId: lead.id }))
      yield* world.runFor(3_000, 500)
      expect(dialled.state).toBe("OnCall")
      const view = yield* world.run(agents(agentId).View())
      expect(view.call?.phase).toBe("Answered")
      expect(view.workingLeadId).toBe(lead.id)
    }),
  )
})
