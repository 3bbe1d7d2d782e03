/**
 * A campaign built again (after a restart, a failover, or a quiet spell out of memory) knows whom it has already
 * alerted of a depleted queue: before, it forgot, and a supervisor was alerted again of the same depletion at every
 * rebuild, every few minutes through a quiet night of leads coming due.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { setDepletionThreshold } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a depletion alert", (it) => {
  it.scoped("is not sent again by a campaign built again, and is sent again once the queue was refilled", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        key: `da${Date.now().toString(36)}t${++worlds}`,
        agentCount: 2,
        start,
        settings: {},
        entityMaxIdleTime: Duration.seconds(2),
      })
      const { tenantId, campaignId } = world.tenant
      const supervisor = world.tenant.supervisor.userId
      const alertsSent = world.run(
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) => sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts
            WHERE campaign_id = ${campaignId} AND user_id = ${supervisor} AND kind = 'queue-depletion'`,
        ).pipe(
          Effect.orDie,
          Effect.map((rows) => rows[0]?.n ?? 0),
        ),
      )
      let leads = 0
      const addLead = () =>
        world.createLead({
          id: LeadId.make(`${tenantId}-lead-${++leads}`),
          leadTypeId: world.tenant.leadTypes.injury,
          phone: `+1415555${String(2600 + leads).padStart(4, "0")}`,
        })

      // Fewer than 3 ready leads: the supervisor is alerted at once.
      yield* world.run(setDepletionThreshold({ tenantId, campaignId, userId: supervisor, threshold: 3 }))
      const campaign = (yield* world.run(CampaignEntity.client))(campaignId)
      yield* world.run(campaign.ReloadThresholds())
      yield* world.settle
      expect(yield* alertsSent).toBe(1)

      // The campaign leaves memory, and a lead (still below the threshold) builds it again.
      yield* world.runFor(10_000)
      yield* addLead()
      yield* world.settle
      expect((yield* world.read).queue).toHaveLength(1)
      expect(yield* alertsSent).toBe(1)

      // Refilled to the threshold plus a tenth (4), then two leads taken by two agents: alerted again.
      for (let i = 0; i < 3; i++) yield* addLead()
      yield* world.settle
      expect((yield* world.read).queue).toHaveLength(4)
      const agents = yield* world.run(AgentEntity.client)
      for (const agentId of world.agentIds as ReadonlyArray<AgentId>) {
        yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      }
      yield* world.settle
      expect((yield* world.read).queue).toHaveLength(2)
      expect(yield* alertsSent).toBe(2)
    }),
  )
})
