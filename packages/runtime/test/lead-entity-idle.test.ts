/**
 * A Lead entity keeps nothing in memory between its messages (every handler reads the lead's row), so it leaves
 * memory a few seconds after its last message: a busy process holds only the leads at work, not every lead of the
 * last minute. Its next message, an agent's outcome or its own next-attempt timer, brings it back.
 */
import { Sharding } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, DispositionId, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `li${Date.now().toString(36)}t${++worlds}`

const activeEntities = (world: World) => world.run(Effect.flatMap(Sharding.Sharding, (s) => s.activeEntityCount))

const leadRow = (leadId: LeadId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ stage: string; attempts: number; nextAttemptAt: number | null }>`
      SELECT stage, attempts, next_attempt_at FROM leads WHERE id = ${leadId}`.pipe(Effect.orDie),
  ).pipe(
    Effect.map(([row]) => ({ ...row, nextAttemptAt: row?.nextAttemptAt == null ? null : Number(row.nextAttemptAt) })),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the Lead entity when idle", (it) => {
  it.scoped("leaves memory seconds after its last message, and comes back for the outcome and its next attempt", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        key: nextKey(),
        agentCount: 1,
        start,
        settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      })
      const agentId = world.agentIds[0] as AgentId
      const agents = yield* world.run(AgentEntity.client)
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)

      // The lead is admitted (its entity comes to life) and waits in the queue: nobody is Online.
      const before = yield* activeEntities(world)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552671" })
      yield* world.settle
      const admitted = yield* activeEntities(world)
      expect(admitted).toBeGreaterThan(before)
      yield* world.advanceTo(world.clock.unsafeCurrentTimeMillis() + 10_000)
      expect(yield* activeEntities(world), "the lead's entity has left memory").toBe(admitted - 1)

      // Ada takes it, talks, hangs up and records "No answer": the outcome reaches the lead's entity again.
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.settle
      const offered = yield* world.run(agents(agentId).View())
      const offerId = offered.pendingOffer?.offerId
      if (offerId === undefined) return yield* Effect.dieMessage("the lead was not offered")
      yield* world.run(agents(agentId).Accept({ offerId }))
      yield* world.settle
      yield* world.run(agents(agentId).Hangup())
      yield* world.settle
      const noAnswer = DispositionId.make(`${world.tenant.tenantId}-disposition-no-answer`)
      yield* world.run(agents(agentId).SubmitOutcome({ dispositionId: noAnswer }))
      yield* world.settle
      const waiting = yield* world.run(leadRow(leadId))
      expect([waiting.stage, waiting.attempts]).toEqual(["waiting", 1])
      const dueAt = waiting.nextAttemptAt
      if (dueAt === null) return yield* Effect.dieMessage("no next attempt was planned")

      // Idle again until its next attempt, Ada back Online: then its timer wakes it, and she is offered the lead again.
      const idle = yield* activeEntities(world)
      yield* world.advanceTo(world.clock.unsafeCurrentTimeMillis() + 10_000)
      expect(yield* activeEntities(world), "the waiting lead's entity has left memory").toBeLessThan(idle)
      const meanwhile = yield* world.run(agents(agentId).View())
      expect([meanwhile.state, meanwhile.pendingOffer]).toEqual(["Online", null])
      yield* world.advanceTo(dueAt)
      const again = yield* world.run(agents(agentId).View())
      expect(again.pendingOffer).toMatchObject({ kind: "outbound", lead: { id: leadId, attempts: 1 } })
      expect((yield* world.run(leadRow(leadId))).stage).toBe("offered")
    }),
  )
})
