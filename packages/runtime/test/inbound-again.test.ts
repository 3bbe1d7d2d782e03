/**
 * An inbound call whose first delivery recorded it and went away with its runner before ringing anyone. The cluster
 * delivers the call's `Inbound` again to the runner its entity lives on now; that delivery used to find the call's row
 * and stop there, and the caller rang nobody until the ring timeout sent them to the no-answer message.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, CampaignId, E164 } from "@ringmaster/domain"
import { CallEntity, CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeTelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `ia${Date.now().toString(36)}w${++worlds}`

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })(
  "an inbound call delivered again",
  (it) => {
    it.scoped("rings the agents it had not rung, once, and the caller is answered", () =>
      Effect.gen(function* () {
        const world = yield* makeTelephonyWorld({
          key: nextKey(),
          agentCount: 2,
          settings: { inboundRingAgents: 1, inboundRingTimeoutMs: 30_000 },
        })
        const [ada, grace] = world.agentIds as [AgentId, AgentId]
        // The first delivery: the call is recorded while no agent is free, so it rings nobody.
        const caller = "+14155553201"
        const { callId, carrierCallId } = yield* world.callIn(caller)
        expect((yield* world.view(ada)).pendingOffer).toBeNull()
        yield* world.advance(5_000)
        yield* world.setState(ada, "Online")

        // The same Inbound again, as the cluster delivers it after the runner that handled it first went away.
        const calls = yield* world.run(CallEntity.client)
        const event = {
          _tag: "CallInitiated" as const,
          eventId: `${carrierCallId}:delivered-again`,
          callId: null,
          carrierCallId,
          direction: "inbound" as const,
          at: world.clock.unsafeCurrentTimeMillis() - 5_000,
          from: E164.make(caller),
          to: world.mainLine,
        }
        yield* world.run(calls(callId).Inbound({ event }))
        yield* world.settle
        expect((yield* world.view(ada)).pendingOffer?.kind).toBe("inbound")
        expect((yield* world.view(grace)).pendingOffer).toBeNull()

        const answered = yield* world.acceptPending(ada)
        expect([answered.state, answered.call?.callId]).toEqual(["OnCall", callId])
        // Past the ring's end: the answered caller hears no no-answer message and leaves no callback task.
        yield* world.advance(40_000)
        const sql = yield* SqlClient.SqlClient
        const tasks = yield* sql`SELECT 1 FROM callback_tasks WHERE call_id = ${callId}`
        expect(tasks).toHaveLength(0)
        const log = (yield* world.callLog(callId)).map((entry) => entry.kind)
        expect(log).toContain("CallAnswered")
        expect(log.filter((kind) => kind === "CallInitiated")).toHaveLength(1)
        const leadId = yield* world.leadOfCall(callId)
        expect(leadId).not.toBeNull()
        if (leadId !== null) {
          expect((yield* world.leadHistory(leadId)).filter((kind) => kind === "inbound-call")).toHaveLength(1)
        }
      }),
    )

    it.scoped("gets the agents the campaign gave it the first time, who are offered nothing else meanwhile", () =>
      Effect.gen(function* () {
        const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 3 })
        for (const agentId of world.agentIds) yield* world.setState(agentId, "Online")
        const campaigns = yield* world.run(CampaignEntity.client)
        const campaign = campaigns(CampaignId.make(world.tenant.campaignId))
        const until = world.clock.unsafeCurrentTimeMillis() + 30_000
        const first = CallId.make(`${world.tenant.tenantId}-in-1`)
        const reserved = yield* world.run(campaign.ReserveForInbound({ callId: first, max: 2, until }))
        expect(reserved).toHaveLength(2)
        const again = yield* world.run(campaign.ReserveForInbound({ callId: first, max: 2, until }))
        expect(again).toEqual(reserved)
        // Another call gets only the agent left.
        const other = yield* world.run(
          campaign.ReserveForInbound({ callId: CallId.make(`${world.tenant.tenantId}-in-2`), max: 2, until }),
        )
        expect(other).toEqual(world.agentIds.filter((a) => !reserved.includes(a)))
      }),
    )
  },
)
