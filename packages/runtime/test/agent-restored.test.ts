/**
 * A free agent whose word to its campaign was lost (its runner saved it Online and died before telling) is counted
 * free again as soon as its entity is built again from its row, which happens when its console reconnects. The
 * campaign watch also finds such an agent, but only beside a ready lead 10 s old: in the failover test the other
 * agents kept the queue empty, and the agent sat Online with nothing offered for the rest of the run.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("an agent built again", (it) => {
  it.scoped("tells its campaign it is free: a lead the campaign held back for want of agents is offered to it", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        key: `ar${Date.now().toString(36)}t${++worlds}`,
        agentCount: 1,
        start,
        settings: {},
        entityMaxIdleTime: Duration.seconds(2),
      })
      const agentId = world.agentIds[0] as AgentId
      // Every entity leaves memory (two idle seconds).
      yield* world.runFor(10_000)
      const now = world.clock.unsafeCurrentTimeMillis()
      // The agent's row says Online, as its runner saved it; its entity is not in memory.
      yield* world.run(
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) => sql`UPDATE agents SET state = 'Online', state_since = ${now} WHERE id = ${agentId}`,
        ).pipe(Effect.orDie),
      )
      // The campaign last heard that the agent was busy: the word that it was free again was lost.
      const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
      yield* world.run(campaign.AgentUnavailable({ agentId, loggedIn: true, wrapUpSince: null }))
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552673" })
      yield* world.settle
      expect((yield* world.read).openOffers).toEqual([])

      // Its console reconnects: the runner asks the agent's entity for its view, and the entity is built from its row.
      const agents = yield* world.run(AgentEntity.client)
      const view = yield* world.run(agents(agentId).View())
      expect(view.state).toBe("Online")
      yield* world.settle
      const after = yield* world.read
      expect(after.openOffers.map((o) => ({ leadId: o.leadId, agentIds: o.agentIds }))).toEqual([
        { leadId, agentIds: [agentId] },
      ])
      expect(after.agents.get(agentId)?.pendingOffer?.lead.id).toBe(leadId)
    }),
  )
})
