/**
 * A dial lost with a runner: the agent saved its call as started (OnCall, Dialing), then the runner that was to hand
 * the dial to the Call entity went away before the Call wrote anything. Seen in the failover test with a runner
 * killed mid-load: the agent stayed OnCall with a call that never existed, and its lead in call, forever. Here the
 * rows are written as such a runner leaves them, and every entity has left memory.
 */
import { expect, layer } from "@effect/vitest"
import { CallId } from "@ringmaster/domain"
import { acceptOfferedLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { oneAgentWithOffer } from "./support/one-offer.js"

let worlds = 0
const nextKey = () => `ld${Date.now().toString(36)}t${++worlds}`

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a dial lost with a runner", (it) => {
  it.scoped("goes out when the agent comes back: the call is placed under the id the agent saved", () =>
    Effect.gen(function* () {
      const key = nextKey()
      const phone = "+14155552800"
      const { world, sql, agentId, agent, leadId, offerId } = yield* oneAgentWithOffer({ key, phone })
      // The acceptance as the campaign and the agent saved it; the dial itself never reached its Call.
      const now = world.clock.unsafeCurrentTimeMillis()
      const callId = CallId.make(`${key}-call`)
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
      yield* sql`UPDATE agents SET state = 'OnCall', state_since = ${now}, pending_offer = NULL, offer_due_at = NULL,
          working_lead_id = ${leadId}, current_call_id = ${callId}, call_phase = 'Dialing', call_to = ${phone}
        WHERE id = ${agentId}`.pipe(Effect.orDie)
      // Every entity leaves memory; then the agent's console asks for its state, which brings the agent back.
      yield* world.runFor(5_000)
      yield* world.run(agent.View())
      yield* world.runFor(3_000)
      const calls = yield* sql<{ id: string; agentId: string; toNumber: string }>`SELECT id, agent_id, to_number
        FROM calls WHERE lead_id = ${leadId}`.pipe(Effect.orDie)
      expect(calls).toEqual([{ id: callId, agentId, toNumber: phone }])
      const view = yield* world.run(agent.View())
      expect(view.call?.callId).toBe(callId)
      expect(view.call?.phase).not.toBe("Dialing")
    }),
  )
})
