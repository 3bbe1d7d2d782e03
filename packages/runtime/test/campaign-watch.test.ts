/**
 * A campaign lost with its runner (its process died or stopped) is brought back by the runners' watch within a round,
 * when it has a free agent and a ready lead, though nothing else messages it: the state a failover leaves when the
 * campaign's agents sit free on the other runners beside a ready backlog. The rows are written as the lost runner
 * left them, with no entity in memory; the watch alone must hand out the lead.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `cw${Date.now().toString(36)}t${++worlds}`

/**
 * A world whose entities have all left memory, then rows as a runner that died would leave them: the campaign in
 * `mode` (paused or not), its one agent Online with nothing pending, one ready lead. Nothing is sent to any entity.
 */
const lostCampaign = (input: { readonly mode: "manual" | "auto"; readonly paused: boolean }) =>
  Effect.gen(function* () {
    const key = nextKey()
    const world = yield* makeWorld({
      key,
      agentCount: 1,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      entityMaxIdleTime: Duration.seconds(2),
    })
    const sql = yield* SqlClient.SqlClient
    // Every entity leaves memory (two idle seconds); the watch finds nothing to wake meanwhile.
    yield* world.runFor(10_000)
    const agentId = world.agentIds[0] as AgentId
    const leadId = LeadId.make(`${key}-lead`)
    const now = world.clock.unsafeCurrentTimeMillis()
    yield* Effect.gen(function* () {
      yield* sql`UPDATE campaigns SET mode = ${input.mode}, paused = ${input.paused}
        WHERE id = ${world.tenant.campaignId}`
      yield* sql`UPDATE agents SET state = 'Online', state_since = ${now} WHERE id = ${agentId}`
      yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, notes, stage,
          next_attempt_at, created_at, updated_at)
        VALUES (${leadId}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${world.tenant.leadTypes.injury},
          ${world.tenant.statuses.new}, 'Lost Lead', '+14155552600', '', 'ready', ${now}, ${now}, ${now})`
    }).pipe(Effect.orDie)
    const offers = sql<{ agentIds: unknown }>`SELECT agent_ids FROM offers
      WHERE lead_id = ${leadId} AND state = 'open'`.pipe(Effect.orDie)
    const dials = sql<{ id: string }>`SELECT id FROM calls WHERE lead_id = ${leadId} AND auto_dialed`.pipe(Effect.orDie)
    return { world, agentId, offers, dials }
  })

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the campaign watch", (it) => {
  it.scoped("brings back a campaign with the auto-dialer off: its free agent is offered the ready lead", () =>
    Effect.gen(function* () {
      const { world, agentId, offers } = yield* lostCampaign({ mode: "manual", paused: false })
      yield* world.runFor(6_000)
      expect((yield* offers).map((o) => o.agentIds)).toEqual([[agentId]])
    }),
  )

  it.scoped("brings back a campaign with the auto-dialer on: it dials the ready lead", () =>
    Effect.gen(function* () {
      const { world, dials } = yield* lostCampaign({ mode: "auto", paused: false })
      yield* world.runFor(6_000)
      expect(yield* dials).toHaveLength(1)
    }),
  )

  it.scoped("leaves a paused campaign alone", () =>
    Effect.gen(function* () {
      const { world, offers, dials } = yield* lostCampaign({ mode: "manual", paused: true })
      yield* world.runFor(20_000)
      expect(yield* offers).toEqual([])
      expect(yield* dials).toEqual([])
    }),
  )
})
