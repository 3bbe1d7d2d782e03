/**
 * A campaign lost with its runner (its process died or stopped) is brought back by the runners' watch within a round,
 * when it has a free agent and a ready lead, though nothing else messages it: the state a failover leaves when the
 * campaign's agents sit free on the other runners beside a ready backlog. The rows are written as the lost runner
 * left them, with no entity in memory; the watch alone must hand out the lead. An offer that has not reached its agent
 * is sent again while it can still be answered; an agent shows an offer that arrives twice once, and hands back one
 * that arrives after its expiry without being made Busy.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { type AgentId, LeadId, OfferId } from "@ringmaster/domain"
import { AgentEntity, CampaignEntity } from "@ringmaster/protocol"
import { TestDatabase } from "@ringmaster/testkit"
import { Duration, Effect } from "effect"
import { makeWorld } from "./support/world.js"

const start = Date.UTC(2025, 0, 6, 17, 0, 0)
let worlds = 0
const nextKey = () => `cw${Date.now().toString(36)}t${++worlds}`

/**
 * A world whose entities have all left memory, then rows as a runner that died would leave them: the campaign in
 * `mode` (paused or not), its one agent Online with nothing pending, one ready lead. Nothing is sent to any entity.
 */
const lostCampaign = (input: { readonly mode: "manual" | "auto"; readonly paused: boolean }) =>
  Effect.gen(function* () {
    const key = nextKey()
    const world = yield* makeWorld({
      key,
      agentCount: 1,
      start,
      settings: { callingHoursStart: 0, callingHoursEnd: 24 },
      entityMaxIdleTime: Duration.seconds(2),
    })
    const sql = yield* SqlClient.SqlClient
    // Every entity leaves memory (two idle seconds); the watch finds nothing to wake meanwhile.
    yield* world.runFor(10_000)
    const agentId = world.agentIds[0] as AgentId
    const leadId = LeadId.make(`${key}-lead`)
    const now = world.clock.unsafeCurrentTimeMillis()
    yield* Effect.gen(function* () {
      yield* sql`UPDATE campaigns SET mode = ${input.mode}, paused = ${input.paused}
        WHERE id = ${world.tenant.campaignId}`
      yield* sql`UPDATE agents SET state = 'Online', state_since = ${now} WHERE id = ${agentId}`
      yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, notes, stage,
          next_attempt_at, created_at, updated_at)
        VALUES (${leadId}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${world.tenant.leadTypes.injury},
          ${world.tenant.statuses.new}, 'Lost Lead', '+14155552600', '', 'ready', ${now}, ${now}, ${now})`
    }).pipe(Effect.orDie)
    const offers = sql<{ agentIds: unknown }>`SELECT agent_ids FROM offers
      WHERE lead_id = ${leadId} AND state = 'open'`.pipe(Effect.orDie)
    const dials = sql<{ id: string }>`SELECT id FROM calls WHERE lead_id = ${leadId} AND auto_dialed`.pipe(Effect.orDie)
    /** The lead on an open offer `id` to the agent, as a campaign that went away left it. */
    const strandOffer = (id: string, at: { readonly createdAt: number; readonly expiresAt: number }) =>
      Effect.gen(function* () {
        yield* sql`UPDATE leads SET stage = 'offered' WHERE id = ${leadId}`
        yield* sql`INSERT INTO offers (id, tenant_id, campaign_id, lead_id, agent_ids, declined_by, created_at,
            expires_at, state)
          VALUES (${id}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${leadId},
            ${JSON.stringify([agentId])}::jsonb, '[]'::jsonb, ${at.createdAt}, ${at.expiresAt}, 'open')`
      }).pipe(Effect.orDie)
    /** The states of the lead's offers, oldest first. */
    const offerStates = sql<{ state: string }>`SELECT state FROM offers WHERE lead_id = ${leadId}
      ORDER BY created_at`.pipe(
      Effect.orDie,
      Effect.map((rows) => rows.map((o) => o.state)),
    )
    return { world, agentId, leadId, offers, dials, strandOffer, offerStates }
  })

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "2 minutes" })("the campaign watch", (it) => {
  it.scoped("brings back a campaign with the auto-dialer off: its free agent is offered the ready lead", () =>
    Effect.gen(function* () {
      const { world, agentId, offers } = yield* lostCampaign({ mode: "manual", paused: false })
      yield* world.runFor(6_000)
      expect((yield* offers).map((o) => o.agentIds)).toEqual([[agentId]])
    }),
  )

  it.scoped("brings back a campaign with the auto-dialer on: it dials the ready lead", () =>
    Effect.gen(function* () {
      const { world, dials } = yield* lostCampaign({ mode: "auto", paused: false })
      yield* world.runFor(6_000)
      expect(yield* dials).toHaveLength(1)
    }),
  )

  it.scoped("gives a campaign in memory back a free agent whose word that it was free was lost", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings: {} })
      const agentId = world.agentIds[0] as AgentId
      const agents = yield* world.run(AgentEntity.client)
      const campaign = (yield* world.run(CampaignEntity.client))(world.tenant.campaignId)
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      // The campaign is left believing the agent is not free, as when the word that it was free is lost with a runner.
      yield* world.run(campaign.AgentUnavailable({ agentId, loggedIn: true, wrapUpSince: null }))
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552671" })
      yield* world.settle
      const before = yield* world.read
      expect(before.agents.get(agentId)?.state).toBe("Online")
      expect(before.openOffers).toEqual([])
      // The word may only be slow for the first 10 s; within a round of the watch after that the campaign counts the
      // agent free again, and offers it the lead.
      yield* world.runFor(6_000)
      expect((yield* world.read).openOffers).toEqual([])
      yield* world.runFor(10_000)
      const after = yield* world.read
      expect(after.openOffers.map((o) => ({ leadId: o.leadId, agentIds: o.agentIds }))).toEqual([
        { leadId, agentIds: [agentId] },
      ])
      expect(after.agents.get(agentId)?.pendingOffer?.lead.id).toBe(leadId)
    }),
  )

  it.scoped("gives a campaign in memory a ready lead whose word that it was ready was lost", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings: {} })
      const agentId = world.agentIds[0] as AgentId
      const agents = yield* world.run(AgentEntity.client)
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      yield* world.settle
      // The lead is written ready, and the word to its campaign is lost.
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
      const now = world.clock.unsafeCurrentTimeMillis()
      yield* world.run(
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) =>
            sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, notes, stage,
              next_attempt_at, created_at, updated_at)
            VALUES (${leadId}, ${world.tenant.tenantId}, ${world.tenant.campaignId}, ${world.tenant.leadTypes.injury},
              ${world.tenant.statuses.new}, 'Lost Word', '+14155552601', '', 'ready', ${now}, ${now}, ${now})`,
        ).pipe(Effect.orDie),
      )
      yield* world.settle
      expect((yield* world.read).openOffers).toEqual([])
      // The word may only be slow for the first 10 s; within a round of the watch after that the lead is offered.
      yield* world.runFor(6_000)
      expect((yield* world.read).openOffers).toEqual([])
      yield* world.runFor(10_000)
      expect((yield* world.read).openOffers.map((o) => ({ leadId: o.leadId, agentIds: o.agentIds }))).toEqual([
        { leadId, agentIds: [agentId] },
      ])
    }),
  )

  it.scoped("offers again a lead whose offer never reached its agent", () =>
    Effect.gen(function* () {
      const { world, agentId, offers, strandOffer, offerStates } = yield* lostCampaign({
        mode: "manual",
        paused: false,
      })
      // The campaign had offered the lead and died before the offer reached the agent, 20 s ago.
      const now = world.clock.unsafeCurrentTimeMillis()
      yield* strandOffer("lost-offer", { createdAt: now - 50_000, expiresAt: now - 20_000 })
      yield* world.runFor(6_000)
      expect(yield* offerStates).toEqual(["requeued", "open"])
      expect((yield* offers).map((o) => o.agentIds)).toEqual([[agentId]])
    }),
  )

  it.scoped("sends again, while it can still be answered, an offer that has not reached its agent", () =>
    Effect.gen(function* () {
      const { world, agentId, strandOffer } = yield* lostCampaign({ mode: "manual", paused: false })
      // The campaign offered the lead 3 s ago, for 30 s, and its runner went away before the offer reached the agent.
      const now = world.clock.unsafeCurrentTimeMillis()
      yield* strandOffer("stranded-offer", { createdAt: now - 3_000, expiresAt: now + 27_000 })
      yield* world.drainPushes
      yield* world.runFor(6_000)
      const after = yield* world.read
      expect(after.openOffers.map((o) => ({ id: o.id, agentIds: o.agentIds }))).toEqual([
        { id: "stranded-offer", agentIds: [agentId] },
      ])
      expect(after.agents.get(agentId)?.pendingOffer?.offerId).toBe("stranded-offer")
      const shown = (yield* world.drainPushes).get(agentId) ?? []
      expect(
        shown.filter((m) => m._tag === "Notification").map((m) => m._tag === "Notification" && m.offer.offerId),
      ).toEqual(["stranded-offer"])
    }),
  )

  it.scoped("shows an offer that arrives twice once, and keeps it open", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ key: nextKey(), agentCount: 1, start, settings: {} })
      const agentId = world.agentIds[0] as AgentId
      const agents = yield* world.run(AgentEntity.client)
      yield* world.run(agents(agentId).SetState({ state: "Online", source: "agent" }))
      const leadId = LeadId.make(`${world.tenant.tenantId}-lead-1`)
      yield* world.createLead({ id: leadId, leadTypeId: world.tenant.leadTypes.injury, phone: "+14155552672" })
      yield* world.settle
      const [offer] = (yield* world.read).openOffers
      if (offer === undefined) throw new Error("the lead was not offered")
      yield* world.drainPushes
      yield* world.run(
        agents(agentId).Offer({
          offerId: offer.id,
          campaignId: world.tenant.campaignId,
          leadId,
          expiresAt: offer.expiresAt,
        }),
      )
      yield* world.settle
      const after = yield* world.read
      expect(after.openOffers.map((o) => o.id)).toEqual([offer.id])
      expect(after.agents.get(agentId)?.pendingOffer?.offerId).toBe(offer.id)
      expect((yield* world.drainPushes).get(agentId)?.filter((m) => m._tag === "Notification")).toEqual([])
    }),
  )

  it.scoped("hands back an offer that reaches its agent after its expiry, without making the agent Busy", () =>
    Effect.gen(function* () {
      const { world, agentId, leadId, strandOffer, offerStates } = yield* lostCampaign({
        mode: "manual",
        paused: false,
      })
      const agents = yield* world.run(AgentEntity.client)
      const now = world.clock.unsafeCurrentTimeMillis()
      // Offered 31 s ago for 30 s; the offer reaches the agent only now.
      yield* strandOffer("late-offer", { createdAt: now - 31_000, expiresAt: now - 1_000 })
      yield* world.run(
        agents(agentId).Offer({
          offerId: OfferId.make("late-offer"),
          campaignId: world.tenant.campaignId,
          leadId,
          expiresAt: now - 1_000,
        }),
      )
      yield* world.settle
      const after = yield* world.read
      expect(after.agents.get(agentId)?.state).toBe("Online")
      // Handed back without penalty (requeued, not recycled), and offered to the agent again at once.
      expect(yield* offerStates).toEqual(["requeued", "open"])
      expect(after.agents.get(agentId)?.pendingOffer?.lead.id).toBe(leadId)
    }),
  )

  it.scoped("leaves a paused campaign alone", () =>
    Effect.gen(function* () {
      const { world, offers, dials } = yield* lostCampaign({ mode: "manual", paused: true })
      yield* world.runFor(20_000)
      expect(yield* offers).toEqual([])
      expect(yield* dials).toEqual([])
    }),
  )
})
