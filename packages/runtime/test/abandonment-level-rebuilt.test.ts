/**
 * A campaign's abandonment level is kept with the campaign. A campaign built again (after a restart, a failover, or a
 * quiet spell out of memory) used to start from "ok": it alerted its supervisors again of the same level at every
 * rebuild. And the level is left only once the rate is a tenth under its threshold, so a rate hovering at the limit
 * does not switch predictive dialing off and on at every call.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { LeadId } from "@ringmaster/domain"
import { CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the abandonment level", (it) => {
  it.scoped("is not announced again by a campaign built again, and is left a tenth under the limit", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        key: `al${Date.now().toString(36)}t${++worlds}`,
        agentCount: 1,
        start,
        settings: {},
        entityMaxIdleTime: Duration.seconds(2),
      })
      const { tenantId, campaignId } = world.tenant
      const supervisor = world.tenant.supervisor.userId
      const sql = yield* SqlClient.SqlClient
      let calls = 0
      /** Auto-dialed calls a person answered an hour ago, `abandoned` of them with no agent found. */
      const answeredCalls = (count: number, abandoned: number) =>
        Effect.forEach(
          Array.from({ length: count }, (_, i) => i),
          (i) => {
            const at = world.clock.unsafeCurrentTimeMillis() - 3_600_000
            const id = `${tenantId}-call-${++calls}`
            return sql`INSERT INTO calls (id, tenant_id, campaign_id, direction, from_number, to_number, phase, facts,
                created_at, answered_at, auto_dialed, abandoned_at)
              VALUES (${id}, ${tenantId}, ${campaignId}, 'outbound', '+14155550100', '+14155550199', 'Ended',
                '{}'::jsonb, ${at}, ${at + 5_000}, true, ${i < abandoned ? at + 7_000 : null})`
          },
          { discard: true },
        ).pipe(Effect.orDie)
      const alertKinds = sql<{ kind: string }>`SELECT kind FROM alerts
        WHERE campaign_id = ${campaignId} AND user_id = ${supervisor} AND kind LIKE 'abandonment-%' ORDER BY id`.pipe(
        Effect.orDie,
        Effect.map((rows) => rows.map((r) => r.kind)),
      )
      let leads = 0
      /** The campaign leaves memory, then a new lead builds it again; it reads the 30 days' calls afresh. */
      const rebuild = Effect.gen(function* () {
        yield* world.runFor(10_000)
        yield* world.createLead({
          id: LeadId.make(`${tenantId}-lead-${++leads}`),
          leadTypeId: world.tenant.leadTypes.injury,
          phone: `+1415555${String(2700 + leads).padStart(4, "0")}`,
        })
        yield* world.settle
      })
      const pacing = Effect.gen(function* () {
        const campaign = (yield* world.run(CampaignEntity.client))(campaignId)
        return (yield* world.run(campaign.Stats())).pacing
      })

      // 3 abandoned of 100 answered: 3%, the limit. Supervisors are alerted once.
      yield* answeredCalls(100, 3)
      yield* rebuild
      expect(yield* alertKinds).toEqual(["abandonment-fall-back"])
      yield* rebuild
      expect(yield* alertKinds).toEqual(["abandonment-fall-back"])

      // 3 of 108: 2.78%, under the limit by less than a tenth: nothing said.
      yield* answeredCalls(8, 0)
      yield* rebuild
      expect(yield* alertKinds).toEqual(["abandonment-fall-back"])

      // The auto-dialer on at 2:1 (its agent logged out, so nothing is dialled): still one dial per free agent.
      yield* sql`UPDATE campaigns SET mode = 'auto', pacing = 'preset', dial_ratio = 2 WHERE id = ${campaignId}`.pipe(
        Effect.orDie,
      )
      const campaign = (yield* world.run(CampaignEntity.client))(campaignId)
      yield* world.run(campaign.SettingsChanged())
      yield* world.settle
      expect(yield* pacing).toBe("fallback")

      // 3 of 116: 2.59%, a tenth under: back to 2:1 once the campaign reads its calls again (every 5 minutes).
      yield* answeredCalls(8, 0)
      yield* world.runFor(6 * 60_000, 1_000)
      expect(yield* alertKinds).toEqual(["abandonment-fall-back", "abandonment-recover"])
      expect(yield* pacing).toBe("2:1")
    }),
  )
})
