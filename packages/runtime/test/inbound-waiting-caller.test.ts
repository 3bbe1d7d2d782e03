/**
 * A caller who rings while no agent is free. Inbound calls come before outbound work (DOMAIN.md): an agent who becomes
 * free while the caller still waits is rung, rather than handed a lead from the queue. A caller who gives up before
 * anyone answers stops the rings and is left for a callback. Whole runtime, simulated carrier, manual clock.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, CampaignId } from "@ringmaster/domain"
import { CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeTelephonyWorld } from "./support/telephony-world.js"

let worlds = 0
const nextKey = () => `wc${Date.now().toString(36)}w${++worlds}`

const callbackReasons = (callId: CallId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ reason: string }>`SELECT reason FROM callback_tasks WHERE call_id = ${callId}`.pipe(
      Effect.orDie,
      Effect.map((rows) => rows.map((r) => r.reason)),
    ),
  )

/** The tenant's callback tasks still open. */
const openCallbacks = (tenantId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`SELECT id FROM callback_tasks WHERE tenant_id = ${tenantId} AND done_at IS NULL`.pipe(Effect.orDie),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a caller waiting", (it) => {
  it.scoped("rings the agent who becomes free meanwhile, before the leads in the queue", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({
        key: nextKey(),
        agentCount: 2,
        settings: { inboundRingAgents: 0, inboundRingTimeoutMs: 60_000 },
      })
      const [ada, grace] = world.agentIds as [AgentId, AgentId]
      yield* world.createLead(1, "+14155553301")
      yield* world.createLead(2, "+14155553302")
      const { callId } = yield* world.callIn("+14155553300")
      yield* world.advance(10_000)

      // Ada logs in 10 s into the ring: the caller, not a lead, is what she sees.
      yield* world.setState(ada, "Online")
      expect((yield* world.view(ada)).pendingOffer?.kind).toBe("inbound")
      // Grace after her: the caller rings both (ring-all).
      yield* world.setState(grace, "Online")
      expect((yield* world.view(grace)).pendingOffer?.kind).toBe("inbound")

      const answered = yield* world.acceptPending(grace)
      expect([answered.state, answered.call?.callId]).toEqual(["OnCall", callId])
      // Ada's ring is withdrawn, and the queue's leads go to her now.
      expect((yield* world.view(ada)).pendingOffer?.kind).toBe("outbound")
      yield* world.advance(60_000)
      expect(yield* callbackReasons(callId)).toEqual([])
    }),
  )

  it.scoped("that rings no more when an agent is given to it gives the agent back, who is offered a lead", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({ key: nextKey(), agentCount: 1 })
      const [ada] = world.agentIds as [AgentId]
      // The campaign counts a call as ringing whose Call entity knows nothing of it (as one ended meanwhile).
      const campaigns = yield* world.run(CampaignEntity.client)
      const campaign = campaigns(CampaignId.make(world.tenant.campaignId))
      const gone = CallId.make(`${world.tenant.tenantId}-in-gone`)
      const until = world.clock.unsafeCurrentTimeMillis() + 60_000
      expect(yield* world.run(campaign.ReserveForInbound({ callId: gone, max: 0, until }))).toEqual([])
      yield* world.createLead(1, "+14155553330")

      // Ada logs in: given to that call first, she is given back at once, and gets the lead.
      yield* world.setState(ada, "Online")
      expect((yield* world.view(ada)).pendingOffer?.kind).toBe("outbound")
    }),
  )

  it.scoped("rings the agent who becomes free after the campaign left memory and was built again", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({
        key: nextKey(),
        agentCount: 1,
        settings: { inboundRingTimeoutMs: 180_000 },
        entityMaxIdleTime: Duration.minutes(1),
      })
      const [ada] = world.agentIds as [AgentId]
      const { callId } = yield* world.callIn("+14155553340")
      // 90 s with no message to the campaign: it leaves memory, and is built again when Ada logs in.
      yield* world.advance(90_000)
      yield* world.setState(ada, "Online")
      const ringing = (yield* world.view(ada)).pendingOffer
      expect([ringing?.kind, ringing?.offerId]).toEqual(["inbound", `inbound:${callId}`])
    }),
  )

  it.scoped("with a ring limit, rings no more agents than the limit", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({
        key: nextKey(),
        agentCount: 2,
        settings: { inboundRingAgents: 1, inboundRingTimeoutMs: 60_000 },
      })
      const [ada, grace] = world.agentIds as [AgentId, AgentId]
      yield* world.callIn("+14155553310")
      yield* world.setState(ada, "Online")
      yield* world.setState(grace, "Online")
      const kinds = [yield* world.view(ada), yield* world.view(grace)].map((v) => v.pendingOffer?.kind ?? null)
      expect(kinds).toEqual(["inbound", null])
    }),
  )

  it.scoped("who hangs up while it rings: the ring stops, and the free agent is offered to call them back", () =>
    Effect.gen(function* () {
      const world = yield* makeTelephonyWorld({
        key: nextKey(),
        agentCount: 1,
        settings: { inboundRingTimeoutMs: 60_000 },
      })
      const [ada] = world.agentIds as [AgentId]
      yield* world.setState(ada, "Online")
      const { callId, carrierCallId } = yield* world.callIn("+14155553320")
      expect((yield* world.view(ada)).pendingOffer?.kind).toBe("inbound")

      yield* world.advance(8_000)
      yield* world.run(world.control.remoteHangup(carrierCallId))
      yield* world.settle
      expect(yield* callbackReasons(callId)).toEqual(["missed inbound call"])
      const leadId = yield* world.leadOfCall(callId)
      expect(leadId).not.toBeNull()
      if (leadId !== null) expect(yield* world.leadHistory(leadId)).toContain("callback-task")
      // The ring is withdrawn, and the caller's lead is what Ada is offered next: to call them back.
      const offered = yield* world.view(ada)
      expect([offered.pendingOffer?.kind, offered.pendingOffer?.lead.id]).toEqual(["outbound", leadId])
      expect(yield* openCallbacks(world.tenant.tenantId)).toHaveLength(1)

      // Ada calls back; once she records how it went, the task is closed.
      yield* world.acceptPending(ada)
      yield* world.advance(3_000)
      yield* world.hangup(ada)
      yield* world.submitOutcome(ada, "No answer")
      expect(yield* openCallbacks(world.tenant.tenantId)).toHaveLength(0)

      // Past the ring's end: nothing more is left for the call.
      yield* world.advance(60_000)
      expect(yield* callbackReasons(callId)).toEqual(["missed inbound call"])
      expect(yield* openCallbacks(world.tenant.tenantId)).toHaveLength(0)
    }),
  )
})
