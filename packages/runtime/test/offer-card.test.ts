/**
 * The card an agent's notification shows comes with the campaign's offer (the offer's statement returns the lead and
 * its history), so the agent does not read the lead again. An offer from a campaign of an earlier version carries
 * no card: the agent reads it then.
 */
import { expect, layer } from "@effect/vitest"
import { type AgentId, CampaignId, E164, LeadId, OfferId } from "@ringmaster/domain"
import { AgentEntity, type LeadCard, type ServerMessage } from "@ringmaster/protocol"
import { insertLead } from "@ringmaster/store"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect, Option } from "effect"
import { leadCard } from "../src/lead-card.js"
import { TenantConfigs } from "../src/tenant-configs.js"
import { agentWithNewLead, newLeadPhone } from "./support/agent-with-new-lead.js"
import { makeWorld, type World } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `oc${Date.now().toString(36)}t${++worlds}`

const cardsShown = (pushes: ReadonlyMap<AgentId, ReadonlyArray<ServerMessage>>, agentId: AgentId) =>
  (pushes.get(agentId) ?? []).flatMap((m) => (m._tag === "Notification" ? [m.offer.lead] : []))

/** The card of the lead as the store has it now. */
const storedCard = (world: World, leadId: LeadId) =>
  world.run(
    Effect.gen(function* () {
      const config = yield* (yield* TenantConfigs).get(world.tenant.tenantId)
      return yield* leadCard(leadId, config)
    }),
  )

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the card of a notification", (it) => {
  it.scoped("is the lead and its history as the campaign's offer wrote them, type and status named", () =>
    Effect.gen(function* () {
      const { world, agentId, leadId } = yield* agentWithNewLead(nextKey(), start)
      const shown = cardsShown(yield* world.drainPushes, agentId)
      expect(shown).toHaveLength(1)
      const card = shown[0] as LeadCard
      expect(card).toMatchObject({ id: leadId, name: `Lead ${leadId}`, phone: newLeadPhone, attempts: 0 })
      expect(card.history.map((e) => e.kind)).toEqual(["created"])
      expect(Option.some(card)).toEqual(yield* storedCard(world, leadId))
      expect(card.leadType).not.toBe(world.tenant.leadTypes.injury)
      expect(card.status).not.toBe(world.tenant.statuses.new)
    }),
  )

  it.scoped("is read by the agent when an offer of a campaign of an earlier version comes without it", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings: {} })
      const agentId = world.agentIds[0] as AgentId
      const agents = yield* world.run(AgentEntity.client)
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-2`)
      const now = world.clock.unsafeCurrentTimeMillis()
      // A lead with no attempt planned: nothing hands it out but the offer below.
      yield* world.run(
        insertLead({
          id: leadId,
          tenantId: world.tenant.tenantId,
          campaignId: CampaignId.make(world.tenant.campaignId),
          leadTypeId: world.tenant.leadTypes.injury,
          statusId: world.tenant.statuses.new,
          name: "Grace Hopper",
          phone: E164.make("+14155552672"),
          email: "grace@example.com",
          notes: "asked for a call after 5",
          now,
          nextAttemptAt: null,
        }),
      )
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.settle
      yield* world.drainPushes

      yield* world.run(
        agents(agentId).Offer({
          offerId: OfferId.make(`${world.tenant.tenantId}-offer-1`),
          campaignId: CampaignId.make(world.tenant.campaignId),
          leadId,
          expiresAt: now + 30_000,
        }),
      )
      yield* world.settle
      const shown = cardsShown(yield* world.drainPushes, agentId)
      expect(shown).toHaveLength(1)
      expect(shown[0]).toMatchObject({
        name: "Grace Hopper",
        email: "grace@example.com",
        notes: "asked for a call after 5",
      })
      expect(Option.some(shown[0])).toEqual(yield* storedCard(world, leadId))
    }),
  )
})
