/**
 * An agent's timers live on its row: when its entity is not active anywhere (the process that ran it stopped), a
 * runner's sweep fires them. Here a first world offers a lead and stops before the notification times out; a second
 * world on the same database (another process, nothing of the first one active) must time the notification out
 * within 1 s of its due time, as the first one would have.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { findAgent } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Option } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
const settings = {
  notificationRecipients: 1,
  notificationTimeoutMs: 60_000,
  wrapUpLimitMs: 60_000,
  callingHoursStart: 0,
  callingHoursEnd: 24,
}

let tenants = 0
const nextKey = () => `sw${Date.now().toString(36)}t${++tenants}`

/** In a world that then stops: agent 0 Online and shown a new lead. Returns them, the deadline and the clock. */
const offerThenStop = Effect.scoped(
  Effect.gen(function* () {
    const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings })
    const agents = yield* world.run(AgentEntity.client)
    const agentId = world.agentIds[0] as AgentId
    yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
    yield* world.settle
    const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
    yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552671" })
    yield* world.settle
    const view = yield* world.run(agents(agentId).View())
    const expiresAt = view.pendingOffer?.expiresAt
    if (expiresAt === undefined) return yield* Effect.dieMessage("the agent was not notified")
    return { agentId, leadId, expiresAt, stoppedAt: world.clock.unsafeCurrentTimeMillis() }
  }),
)

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the agents' deadline sweep", (it) => {
  it.effect("a notification whose agent is active nowhere times out within 1 s of its due time", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const first = yield* offerThenStop
      const row = yield* findAgent(first.agentId).pipe(Effect.orDie)
      expect(Option.map(row, (a) => a.pendingOffer?.expiresAt)).toEqual(Option.some(first.expiresAt))

      const recycledAt = Effect.map(
        sql<{ at: number }>`SELECT at FROM lead_events WHERE lead_id = ${first.leadId} AND kind = 'recycled'`,
        (rows) => rows[0]?.at,
      ).pipe(Effect.orDie)

      yield* Effect.scoped(
        Effect.gen(function* () {
          // Another process on the same database; it has never activated the first world's agent.
          const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start: first.stoppedAt + 1_000, settings })
          expect(world.clock.unsafeCurrentTimeMillis()).toBeLessThan(first.expiresAt - 1_000)
          yield* world.advanceTo(first.expiresAt - 1_000)
          expect(yield* recycledAt).toBeUndefined()
          for (let t = first.expiresAt - 900; t <= first.expiresAt + 2_000; t += 100) {
            yield* world.advanceTo(t)
            if ((yield* recycledAt) !== undefined) break
          }
        }),
      )

      const at = yield* recycledAt
      expect(at).toBeDefined()
      expect(at ?? 0).toBeGreaterThanOrEqual(first.expiresAt)
      expect((at ?? Number.POSITIVE_INFINITY) - first.expiresAt).toBeLessThan(1_000)
      const after = yield* findAgent(first.agentId).pipe(Effect.orDie)
      expect(Option.map(after, (a) => ({ state: a.state, pendingOffer: a.pendingOffer }))).toEqual(
        Option.some({ state: "Busy", pendingOffer: null }),
      )
    }),
  )
})
