/**
 * An acceptance whose answer was lost: the campaign wrote the lead as the agent's (in call, assigned, the offer
 * accepted), then the runner that was to carry the answer back went away before the agent saved anything. The agent
 * comes back still holding the notification. Seen in the failover test with a runner killed mid-load: the lead stayed
 * in call forever, with no call. Here the campaign's write is made directly, and every entity has left memory, as
 * after a runner's death.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { acceptOfferedLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `la${Date.now().toString(36)}t${++worlds}`

/** One agent holding the notification of one lead that the campaign has already written as the agent's. */
const acceptanceLost = Effect.gen(function* () {
  const key = nextKey()
  const world = yield* makeWorld({
    key,
    agentCount: 1,
    start,
    settings: { callingHoursStart: 0, callingHoursEnd: 24, notificationTimeoutMs: 30_000 },
    entityMaxIdleTime: Duration.seconds(2),
  })
  const sql = yield* SqlClient.SqlClient
  const agentId = world.agentIds[0] as AgentId
  const agent = (yield* world.run(AgentEntity.client))(agentId)
  yield* world.run(agent.SetState({ state: "Online", source: "agent" }))
  const leadId = LeadId.make(`${key}-lead`)
  yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552700" })
  yield* world.settle
  const offer = (yield* world.read).openOffers.find((o) => o.leadId === leadId)
  if (offer === undefined) throw new Error("the lead was not offered")
  const now = world.clock.unsafeCurrentTimeMillis()
  yield* world.run(
    acceptOfferedLead({
      offerId: offer.id,
      tenantId: world.tenant.tenantId,
      leadId,
      agentId,
      until: now + 86_400_000,
      now,
    }),
  )
  // Every entity leaves memory: what each knows now comes from its rows.
  yield* world.runFor(5_000)
  const lead = sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`.pipe(Effect.orDie)
  const calls = sql<{ agentId: string }>`SELECT agent_id FROM calls WHERE lead_id = ${leadId}`.pipe(Effect.orDie)
  const offerState = sql<{ state: string }>`SELECT state FROM offers WHERE id = ${offer.id}`.pipe(Effect.orDie)
  return { world, agent, agentId, offerId: offer.id, lead, calls, offerState }
})

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "an acceptance whose answer was lost",
  (it) => {
    it.scoped("accepted again, it gets the lead it was given: the call is placed", () =>
      Effect.gen(function* () {
        const { world, agent, agentId, offerId, lead, calls } = yield* acceptanceLost
        const view = yield* world.run(agent.Accept({ offerId }))
        yield* world.settle
        expect(view.pendingOffer).toBeNull()
        expect(yield* calls).toEqual([{ agentId }])
        expect((yield* lead)[0]?.stage).toBe("in_call")
      }),
    )

    it.scoped("let time out, the lead goes back to the queue and is offered again", () =>
      Effect.gen(function* () {
        const { world, lead, calls, offerState } = yield* acceptanceLost
        yield* world.runFor(30_000)
        expect((yield* offerState)[0]?.state).toBe("recycled")
        expect(yield* calls).toEqual([])
        // Back in the queue, and offered again (the agent, Busy after the timeout, is the only one: it waits for them).
        expect(["ready", "offered"]).toContain((yield* lead)[0]?.stage)
      }),
    )
  },
)
