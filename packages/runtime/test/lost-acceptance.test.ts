/**
 * An acceptance whose answer was lost: the campaign wrote the lead as the agent's (in call, assigned, the offer
 * accepted), then the runner that was to carry the answer back went away before the agent saved anything. The agent
 * comes back still holding the notification. Seen in the failover test with a runner killed mid-load: the lead stayed
 * in call forever, with no call. Here the campaign's write is made directly, and every entity has left memory, as
 * after a runner's death.
 */
import { expect, layer } from "@effect/vitest"
import { acceptOfferedLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { oneAgentWithOffer } from "./support/one-offer.js"

let worlds = 0
const nextKey = () => `la${Date.now().toString(36)}t${++worlds}`

/** One agent holding the notification of one lead that the campaign has already written as the agent's. */
const acceptanceLost = Effect.gen(function* () {
  const { world, sql, agentId, agent, leadId, offerId } = yield* oneAgentWithOffer({
    key: nextKey(),
    phone: "+14155552700",
    notificationTimeoutMs: 30_000,
  })
  const now = world.clock.unsafeCurrentTimeMillis()
  yield* world.run(
    acceptOfferedLead({
      offerId,
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
  const offerState = sql<{ state: string }>`SELECT state FROM offers WHERE id = ${offerId}`.pipe(Effect.orDie)
  return { world, agent, agentId, offerId, lead, calls, offerState }
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
