/**
 * A person waiting for an agent when their campaign comes back from its rows (its runner died): the campaign puts
 * them on its waiting list from the call's row, and the call, not knowing, asks for an agent as well. Seen in the
 * failover test with the auto-dialer on: the person got an agent from each, the lead was assigned to the second while
 * the first had the call, and the first agent's outcome was refused, the lead left in wrap-up for good.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, emptyCallFacts, LeadId } from "@ringmaster/domain"
import { CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `rw${Date.now().toString(36)}t${++worlds}`

/**
 * Two agents Online, and a person who answered an automatic dial 1 s ago and waits: rows only, the campaign not yet
 * active. The test's HumanAnswered stands for the call's own, in flight while the campaign moved.
 */
const personWaiting = () =>
  Effect.gen(function* () {
    const key = nextKey()
    const world = yield* makeWorld({
      key,
      agentCount: 2,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
    })
    const sql = yield* SqlClient.SqlClient
    const [first, second] = world.agentIds as [AgentId, AgentId]
    const leadId = LeadId.make(`${key}-lead`)
    const callId = CallId.make(`${key}-call`)
    const now = world.clock.unsafeCurrentTimeMillis()
    const facts = { ...emptyCallFacts, initiatedAt: now - 3_000, answeredAt: now - 1_500, amdAt: now - 1_000 }
    yield* Effect.gen(function* () {
      yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, notes, stage,
          next_attempt_at, created_at, updated_at)
        VALUES (${leadId}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${world.tenant.leadTypes.injury},
          ${world.tenant.statuses.new}, 'Waiting Person', '+14155552900', '', 'in_call', ${now}, ${now}, ${now})`
      yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number, to_number,
          carrier_call_id, phase, facts, created_at, auto_dialed)
        VALUES (${callId}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${leadId}, NULL, 'outbound',
          '+14155550100', '+14155552900', ${`sim-${key}`}, 'Answered', ${JSON.stringify({ ...facts, amdResult: "human" })}::jsonb,
          ${now - 3_000}, true)`
      yield* sql`UPDATE agents SET state = 'Online', state_since = ${now} WHERE id IN (${first}, ${second})`
    }).pipe(Effect.orDie)
    const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
    const connections = sql<{ agentId: string }>`SELECT detail->>'agentId' AS agent_id FROM lead_events
      WHERE lead_id = ${leadId} AND kind = 'connected' ORDER BY id`.pipe(Effect.orDie)
    const assigned = sql<{ assignedAgentId: string | null }>`SELECT assigned_agent_id FROM leads
      WHERE id = ${leadId}`.pipe(Effect.orDie)
    return { world, campaign, first, second, leadId, callId, connections, assigned }
  })

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "a person waiting when their campaign comes back from its rows",
  (it) => {
    it.scoped("gets the agent free when the call asks, and no other when another agent comes free", () =>
      Effect.gen(function* () {
        const { world, campaign, second, leadId, callId, connections, assigned } = yield* personWaiting()
        const decision = yield* world.run(campaign.HumanAnswered({ callId, leadId }))
        if (decision._tag !== "Connect") throw new Error(`expected an agent, got ${decision._tag}`)
        yield* world.run(campaign.AgentAvailable({ agentId: second }))
        yield* world.settle
        expect(yield* connections).toEqual([{ agentId: decision.agentId }])
        expect(yield* assigned).toEqual([{ assignedAgentId: decision.agentId }])
      }),
    )
  },
)
