/**
 * A lead written but never admitted (its runner died, or the network failed, between the two) is not lost: the
 * runners' sweep finds it waiting past its attempt time and admits it, and a free agent is offered it. A lead waiting
 * for a later attempt is left alone until then. The stored `Admit` that runners of earlier versions send is still
 * handled, during a rolling upgrade.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, E164, LeadId } from "@ringmaster/domain"
import { AgentEntity, LeadEntity } from "@ringmaster/protocol"
import { OVERDUE_AFTER_MS, OVERDUE_SWEEP_INTERVAL_MS } from "@ringmaster/runtime"
import { insertLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `ol${Date.now().toString(36)}t${++worlds}`

/** One agent Online, nothing to do yet. */
const idleAgent = Effect.gen(function* () {
  const world = yield* makeWorld({
    key: nextKey(),
    agentCount: 1,
    start,
    settings: { callingHoursStart: 0, callingHoursEnd: 24 },
  })
  const agents = yield* world.run(AgentEntity.client)
  const agentId = world.agentIds[0] as AgentId
  yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
  yield* world.settle
  const offeredLead = world.run(agents(agentId).View()).pipe(Effect.map((v) => v.pendingOffer?.lead.id ?? null))
  return { world, offeredLead }
})

/** The lead's row as `POST /leads` writes it, due at `dueAt`, with no message to its entity. */
const writeOnly = (world: World, leadId: LeadId, dueAt: number) =>
  world.run(
    insertLead({
      id: leadId,
      tenantId: world.tenant.tenantId,
      campaignId: world.tenant.campaignId,
      leadTypeId: world.tenant.leadTypes.injury,
      statusId: world.tenant.statuses.new,
      name: "Never admitted",
      phone: E164.make("+14155552690"),
      email: null,
      notes: "",
      now: dueAt,
    }).pipe(Effect.orDie),
  )

const stageOf = (world: World, leadId: LeadId) =>
  world.run(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`.pipe(Effect.orDie),
    ).pipe(Effect.map((rows) => rows[0]?.stage)),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the sweep of overdue leads", (it) => {
  it.scoped("admits a lead whose admission was lost, and a free agent is offered it", () =>
    Effect.gen(function* () {
      const { world, offeredLead } = yield* idleAgent
      const leadId = LeadId.make(`${world.tenant.tenantId}-lost`)
      yield* writeOnly(world, leadId, world.clock.unsafeCurrentTimeMillis())
      yield* world.settle
      expect(yield* stageOf(world, leadId)).toBe("waiting")
      expect(yield* offeredLead).toBeNull()

      yield* world.runFor(OVERDUE_AFTER_MS + OVERDUE_SWEEP_INTERVAL_MS + 1_000)
      expect(yield* offeredLead).toBe(leadId)
      expect(yield* stageOf(world, leadId)).toBe("offered")
    }),
  )

  it.scoped("leaves a lead waiting for a later attempt alone until that attempt is overdue", () =>
    Effect.gen(function* () {
      const { world, offeredLead } = yield* idleAgent
      const leadId = LeadId.make(`${world.tenant.tenantId}-later`)
      const dueAt = world.clock.unsafeCurrentTimeMillis() + 60_000
      yield* writeOnly(world, leadId, dueAt)

      yield* world.runFor(60_000)
      expect(yield* stageOf(world, leadId)).toBe("waiting")
      expect(yield* offeredLead).toBeNull()

      yield* world.runFor(OVERDUE_AFTER_MS + OVERDUE_SWEEP_INTERVAL_MS + 1_000)
      expect(yield* offeredLead).toBe(leadId)
    }),
  )

  it.scoped("still admits a lead on the stored Admit of a runner of an earlier version", () =>
    Effect.gen(function* () {
      const { world, offeredLead } = yield* idleAgent
      const leadId = LeadId.make(`${world.tenant.tenantId}-stored`)
      yield* writeOnly(world, leadId, world.clock.unsafeCurrentTimeMillis())
      yield* world.run(Effect.flatMap(LeadEntity.client, (leads) => leads(leadId).Admit({ leadId })))
      yield* world.settle
      expect(yield* offeredLead).toBe(leadId)
    }),
  )
})
