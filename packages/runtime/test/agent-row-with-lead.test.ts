/**
 * The agent's row is written by the statement that moves its lead, where the agent's move depends on the lead's:
 * accepting an offered lead (the campaign's statement writes the agent on the call) and recording the outcome (the
 * lead's statement writes the agent done with it). The agent's row then says what the agent holds. A campaign asked
 * by an agent of an earlier version (no row to write) leaves the agent's row to that agent.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CampaignId, DispositionId, LeadId, type OfferId } from "@ringmaster/domain"
import { CampaignEntity, type ServerMessage } from "@ringmaster/protocol"
import { findAgent } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Option } from "effect"
import { agentWithNewLead } from "./support/agent-with-new-lead.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `ac${Date.now().toString(36)}t${++worlds}`

const offerShown = (pushes: ReadonlyMap<AgentId, ReadonlyArray<ServerMessage>>, agentId: AgentId) =>
  (pushes.get(agentId) ?? []).flatMap((m) => (m._tag === "Notification" ? [m.offer.offerId] : []))

/** A world with one agent Online and one new lead, notified to the agent. */
const offered = Effect.gen(function* () {
  const { world, agentId, agents, leadId } = yield* agentWithNewLead(nextKey(), start)
  const [offerId] = offerShown(yield* world.drainPushes, agentId)
  expect(offerId).toBeDefined()
  const stored = world.run(findAgent(agentId)).pipe(Effect.orDie, Effect.map(Option.getOrThrow))
  return { world, agentId, agents, leadId, offerId: offerId as OfferId, stored }
})

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("accepting an offered lead", (it) => {
  it.scoped("leaves the agent's row on the call, as the agent holds it, dialling the lead", () =>
    Effect.gen(function* () {
      const { world, agentId, agents, leadId, offerId, stored } = yield* offered
      const view = yield* world.run(agents(agentId).Accept({ offerId }))
      const row = yield* stored
      expect(view).toMatchObject({ state: "OnCall", pendingOffer: null, workingLeadId: leadId })
      expect({
        state: row.state,
        stateSince: row.stateSince,
        pendingOffer: row.pendingOffer,
        workingLeadId: row.workingLeadId,
        callId: row.call?.callId,
        to: row.call?.to,
      }).toEqual({
        state: view.state,
        stateSince: view.stateSince,
        pendingOffer: null,
        workingLeadId: leadId,
        callId: view.call?.callId,
        to: "+14155552671",
      })
    }),
  )

  it.scoped("leaves the agent at work in its campaign: a lead created during the call waits for a free agent", () =>
    Effect.gen(function* () {
      const { world, agentId, agents, offerId } = yield* offered
      const campaign = (yield* world.run(CampaignEntity.client))(CampaignId.make(world.tenant.campaignId))
      // A word that the agent is free, late, reaches the campaign while the offer is open.
      yield* world.run(campaign.AgentAvailable({ agentId }))
      yield* world.run(agents(agentId).Accept({ offerId }))
      const second = LeadId.make(`${world.tenant.tenantId}-lead-2`)
      yield* world.createLead({ id: second, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552672" })
      yield* world.settle
      const state = yield* world.read
      expect(state.queue.map((q) => q.leadId)).toEqual([second])
      expect(state.availableAgents).toBe(0)
      // Not even offered to the agent on its call (who would have turned it down).
      const offersOfSecond = yield* world.run(
        Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT id FROM offers WHERE lead_id = ${second}`),
      )
      expect(offersOfSecond).toEqual([])
    }),
  )

  it.scoped("from an agent of an earlier version, writes only the lead: the agent writes its own row", () =>
    Effect.gen(function* () {
      const { world, agentId, offerId, stored } = yield* offered
      const campaign = (yield* world.run(CampaignEntity.client))(CampaignId.make(world.tenant.campaignId))
      const result = yield* world.run(campaign.AcceptOffer({ offerId, agentId }))
      expect(result).toMatchObject({ _tag: "Won", to: "+14155552671" })
      expect(result._tag === "Won" && result.agentSaved).not.toBe(true)
      const row = yield* stored
      expect({ state: row.state, pendingOffer: row.pendingOffer?.offerId, call: row.call }).toEqual({
        state: "Online",
        pendingOffer: offerId,
        call: null,
      })
    }),
  )

  it.scoped("with its outcome, leaves the agent's row done with the lead, as the agent holds it", () =>
    Effect.gen(function* () {
      const { world, agentId, agents, offerId, stored } = yield* offered
      yield* world.run(agents(agentId).Accept({ offerId }))
      yield* world.run(agents(agentId).Hangup())
      yield* world.settle
      const noAnswer = DispositionId.make(`${world.tenant.tenantId}-disposition-no-answer`)
      const view = yield* world.run(agents(agentId).SubmitOutcome({ dispositionId: noAnswer }))
      const row = yield* stored
      expect(view).toMatchObject({ state: "Online", call: null, workingLeadId: null })
      expect({
        state: row.state,
        stateSince: row.stateSince,
        pendingOffer: row.pendingOffer,
        call: row.call,
        workingLeadId: row.workingLeadId,
        wrapUpUntil: row.wrapUpUntil,
      }).toEqual({
        state: "Online",
        stateSince: view.stateSince,
        pendingOffer: null,
        call: null,
        workingLeadId: null,
        wrapUpUntil: null,
      })
    }),
  )
})
