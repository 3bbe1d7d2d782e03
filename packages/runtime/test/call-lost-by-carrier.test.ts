/**
 * A call its carrier lost: with the simulated carrier, a call lives in the process that placed it, so when that
 * runner is killed an answered call has no far end left and no event will ever end it. Seen in the failover test:
 * the agent hung up on another runner, the carrier there did not know the call, the hangup was refused, and the
 * agent stayed on the call with its lead "in call". Here the call's carrier id is one the world's carrier never
 * placed, and every entity has left memory, as after a runner's death.
 */
import { expect, layer } from "@effect/vitest"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { oneAgentWithOffer } from "./support/one-offer.js"

let worlds = 0
const nextKey = () => `cl${Date.now().toString(36)}t${++worlds}`

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a call its carrier lost", (it) => {
  it.scoped("ends when the agent hangs up: the agent goes to wrap-up and records the outcome", () =>
    Effect.gen(function* () {
      const { world, sql, agent, leadId, offerId } = yield* oneAgentWithOffer({ key: nextKey(), phone: "+14155552900" })
      yield* world.run(agent.Accept({ offerId }))
      yield* world.runFor(2_000)
      const [placed] = yield* sql<{ id: string; phase: string }>`SELECT id, phase FROM calls
        WHERE lead_id = ${leadId}`.pipe(Effect.orDie)
      expect(placed?.phase).toBe("Answered")

      // The carrier that placed the call is gone with its process; the one here never heard of it.
      yield* sql`UPDATE calls SET carrier_call_id = 'placed-by-a-dead-runner' WHERE lead_id = ${leadId}`.pipe(
        Effect.orDie,
      )
      yield* world.runFor(5_000)

      const onCall = yield* world.run(agent.View())
      expect(onCall.state).toBe("OnCall")
      yield* world.run(agent.Hangup())
      yield* world.settle
      const [call] = yield* sql<{ phase: string; hangupCause: string | null }>`SELECT phase, hangup_cause FROM calls
        WHERE lead_id = ${leadId}`.pipe(Effect.orDie)
      expect(call).toEqual({ phase: "Ended", hangupCause: "normal_clearing" })
      const view = yield* world.run(agent.View())
      expect(view.state).toBe("WrapUp")
      const [lead] = yield* sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`.pipe(Effect.orDie)
      expect(lead?.stage).toBe("wrap_up")
    }),
  )
})
