/**
 * A Place that comes again: its first delivery wrote the call's row, then the runner that handled it was killed
 * before the carrier answered, and the cluster sent the request on to the runner the Call entity lives on now. In a
 * failover run, the Call entity took the row's key for a bug: it failed, restarted and failed again every 10 s for the
 * rest of the run, and the agent waited on it, OnCall and Dialing, with nothing on the line.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, CampaignId, E164, emptyCallFacts, LeadId } from "@ringmaster/domain"
import { CallEntity } from "@ringmaster/protocol"
import { insertCall } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `pa${Date.now().toString(36)}t${++worlds}`
const settings = { callingHoursStart: 0, callingHoursEnd: 24 }

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("a Place that comes again", (it) => {
  it.scoped("places the call once more when its row has no carrier call yet, and does not fail", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings })
      const agentId = world.agentIds[0] as AgentId
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead`)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552600" })
      yield* world.settle
      const sql = yield* SqlClient.SqlClient
      const callId = CallId.make(`${world.tenant.tenantId}-call`)
      const to = E164.make("+14155552600")
      const from = E164.make("+14155550100")
      const campaignId = CampaignId.make(world.tenant.campaignId)
      // What the killed runner left: the row, written before the dial, and no carrier call.
      yield* insertCall({
        id: callId,
        tenantId: world.tenant.tenantId,
        campaignId,
        leadId,
        agentId,
        direction: "outbound",
        from,
        to,
        carrierCallId: null,
        phase: "Dialing",
        facts: emptyCallFacts,
        createdAt: world.clock.unsafeCurrentTimeMillis(),
      })

      const calls = yield* world.run(CallEntity.client)
      const place = calls(callId).Place({ tenantId: world.tenant.tenantId, leadId, agentId, campaignId, to, from })
      yield* world.run(place).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => "no answer" }))
      yield* world.settle
      const [placed] = yield* sql<{ carrierCallId: string | null; phase: string }>`SELECT carrier_call_id, phase
        FROM calls WHERE id = ${callId}`
      expect(placed?.carrierCallId).not.toBeNull()

      // Once more, now that the carrier has the call: nothing is dialled again.
      yield* world.run(place).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => "no answer" }))
      yield* world.settle
      const [again] = yield* sql<{ carrierCallId: string | null }>`SELECT carrier_call_id FROM calls
        WHERE id = ${callId}`
      expect(again?.carrierCallId).toBe(placed?.carrierCallId)
      const [count] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM calls WHERE lead_id = ${leadId}`
      expect(count?.n).toBe(1)
    }),
  )
})
