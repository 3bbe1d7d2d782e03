/**
 * Hang up on a call whose dial never answered back: the process that placed it stopped while the request to the
 * carrier was out, so the call's row has no carrier id. The agent's Hang up must still end it at once (before, it did
 * nothing and only the watchdog ended the call, 20 s later).
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, CampaignId, E164, emptyCallFacts, LeadId } from "@ringmaster/domain"
import { AgentEntity } from "@ringmaster/protocol"
import { findAgent, insertCall, saveAgent } from "@ringmaster/store"
import { UNHEARD_LOST_AFTER_MS } from "@ringmaster/runtime"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Option } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `hu${Date.now().toString(36)}t${++worlds}`

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("hanging up", (it) => {
  it.scoped("ends at once a call whose dial never answered back, and the agent goes to wrap-up", () =>
    Effect.gen(function* () {
      // A first process: the tenant, its agent and a lead; then it stops.
      const key = nextKey()
      const settings = { callingHoursStart: 0, callingHoursEnd: 24 }
      const leadId = LeadId.make(`${key}-lead`)
      const first = yield* Effect.scoped(
        Effect.gen(function* () {
          const world = yield* makeWorld({ key, agentCount: 1, start, settings })
          yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552600" })
          yield* world.settle
          return { tenant: world.tenant, agentId: world.agentIds[0] as AgentId }
        }),
      )
      const { tenant, agentId } = first
      const campaignId = CampaignId.make(tenant.campaignId)

      // What it leaves behind when it stops between writing the call and hearing back from the carrier. The call was
      // placed at about the moment the second process below is ready (its runner takes its shards over 20 s of its
      // clock), so the watchdog, which ends such a call 20 s after it was placed, has not ended it yet.
      const placedAt = start + 60_000
      const sql = yield* SqlClient.SqlClient
      const callId = CallId.make(`${key}-unplaced`)
      const to = E164.make("+14155552600")
      yield* sql`UPDATE leads SET stage = 'in_call', assigned_agent_id = ${agentId} WHERE id = ${leadId}`
      yield* insertCall({
        id: callId,
        tenantId: tenant.tenantId,
        campaignId,
        leadId,
        agentId,
        direction: "outbound",
        from: E164.make("+14155550100"),
        to,
        carrierCallId: null,
        phase: "Dialing",
        facts: emptyCallFacts,
        createdAt: placedAt,
      })
      const row = Option.getOrThrow(yield* findAgent(agentId))
      yield* saveAgent({
        ...row,
        campaignId,
        state: "OnCall",
        stateSince: placedAt,
        workingLeadId: leadId,
        call: { callId, leadId, phase: "Dialing", to },
      })

      // Another process on the same database; the agent presses Hang up there.
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start: placedAt - 20_000, settings })
      const now = world.clock.unsafeCurrentTimeMillis()
      expect(now - placedAt).toBeLessThan(UNHEARD_LOST_AFTER_MS)
      const agents = yield* world.run(AgentEntity.client)
      expect((yield* world.run(agents(agentId).View())).call).toMatchObject({ callId, phase: "Dialing" })
      yield* world.run(agents(agentId).Hangup())
      yield* world.settle

      expect(world.clock.unsafeCurrentTimeMillis()).toBe(now)
      const view = yield* world.run(agents(agentId).View())
      expect([view.state, view.call?.phase, view.workingLeadId]).toEqual(["WrapUp", "Ended", leadId])
      const [call] = yield* sql<{ phase: string; hangupCause: string | null }>`SELECT phase, hangup_cause FROM calls
        WHERE id = ${callId}`
      expect(call).toEqual({ phase: "Ended", hangupCause: "originator_cancel" })
      const [lead] = yield* sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`
      expect(lead?.stage).toBe("wrap_up")
    }),
  )
})
