/**
 * An inbound call may ring for up to 5 minutes (`inboundRingTimeoutMs`), longer than an entity stays in memory without
 * a message (1 minute, the cluster's default). When its Call entity comes back, it still knows which agents it rings:
 * the one who answers takes the call and the others' rings are withdrawn at once.
 */
import { expect, layer } from "@effect/vitest"
import type { AgentId } from "@ringmaster/domain"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeTelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `ri${Date.now().toString(36)}w${++worlds}`

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("an inbound call ringing long", (it) => {
  it.scoped("is answered after its entity left memory, and the other agent's ring is withdrawn", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({
        key: nextKey(),
        agentCount: 2,
        settings: { inboundRingAgents: 2, inboundRingTimeoutMs: 180_000 },
        entityMaxIdleTime: Duration.minutes(1),
      })
      const [ada, grace] = world.agentIds as [AgentId, AgentId]
      yield* world.setState(ada, "Online")
      yield* world.setState(grace, "Online")
      const { callId } = yield* world.callIn("+14155553101")
      const rung = [yield* world.view(ada), yield* world.view(grace)].map((v) => v.pendingOffer?.kind)
      expect(rung).toEqual(["inbound", "inbound"])

      // 90 s of ringing with no message to the call (the caller waits up to two minutes).
      yield* world.advance(90_000)
      expect((yield* world.view(grace)).pendingOffer?.kind).toBe("inbound")

      const answered = yield* world.acceptPending(grace)
      expect([answered.state, answered.call?.callId]).toEqual(["OnCall", callId])
      const other = yield* world.view(ada)
      expect([other.state, other.pendingOffer]).toEqual(["Online", null])
      expect((yield* world.callLog(callId)).map((entry) => entry.kind)).toContain("CallAnswered")
    }),
  )
})
