import { SqlClient } from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import { type AgentId, CallId, CampaignId, type LeadId, OfferId, type TenantId } from "@ringmaster/domain"
import { Effect, Layer, Option } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import {
  acceptedLeadAwaitingCall,
  acceptOfferedLead,
  assignLeadLogged,
  offerReadyLead,
  takeBackAcceptedOffer,
} from "../src/offer-decisions.js"
import { findLeadWithHistory } from "../src/lead-repo.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

/** The ready lead offered to one agent at `day0`, for 30 s. */
const offerToOne = (offer: {
  readonly offerId: OfferId
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadId: LeadId
  readonly agentId: AgentId
}) =>
  offerReadyLead({
    id: offer.offerId,
    tenantId: offer.tenantId,
    campaignId: offer.campaignId,
    leadId: offer.leadId,
    agentIds: [offer.agentId],
    declinedBy: [],
    createdAt: day0,
    expiresAt: day0 + 30_000,
  })

/** A tenant with two agents and one ready lead, offered to the first agent and accepted by them. */
const acceptedOffer = Effect.gen(function* () {
  const key = `o${crypto.randomUUID().slice(0, 8)}`
  const tenant = yield* seedTenant({ key, name: `Offers ${key}`, agentCount: 2, leadCount: 1, now: day0 })
  const leadId = tenant.newLeadIds[0] as LeadId
  const agentId = tenant.agents[0]?.agentId as AgentId
  const other = tenant.agents[1]?.agentId as AgentId
  const offerId = OfferId.make(`${key}-offer`)
  const tenantId = tenant.tenantId as TenantId
  const sql = yield* SqlClient
  yield* sql`UPDATE leads SET stage = 'ready' WHERE id = ${leadId}`
  yield* offerToOne({ offerId, tenantId, campaignId: tenant.campaignId, leadId, agentId })
  const phone = yield* acceptOfferedLead({
    offerId,
    tenantId,
    leadId,
    agentId,
    until: day0 + 86_400_000,
    now: day0 + 1,
  })
  const placeCall = sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number,
      to_number, phase, facts, created_at)
    VALUES (${CallId.make(`${key}-call`)}, ${tenantId}, ${tenant.campaignId}, ${leadId}, ${agentId}, 'outbound',
      '+14155550100', ${phone ?? ""}, 'Dialing', '{}'::jsonb, ${day0 + 2})`
  const lead = sql<{ stage: string; recycledSeq: number | null }>`SELECT stage, recycled_seq FROM leads
    WHERE id = ${leadId}`
  const offer = sql<{ state: string }>`SELECT state FROM offers WHERE id = ${offerId}`
  const events = sql<{ kind: string }>`SELECT kind FROM lead_events WHERE lead_id = ${leadId} ORDER BY id`
  return { tenantId, leadId, agentId, other, offerId, phone, placeCall, lead, offer, events }
})

layer(database, { timeout: "120 seconds" })("offer decisions: an acceptance whose answer was lost", (it) => {
  it.effect("finds the lead of an offer the agent accepted while no call was placed for it", () =>
    Effect.gen(function* () {
      const { leadId, agentId, other, offerId, phone, placeCall } = yield* acceptedOffer
      expect(yield* acceptedLeadAwaitingCall({ offerId, agentId })).toEqual({ leadId, phone })
      expect(yield* acceptedLeadAwaitingCall({ offerId, agentId: other })).toBeNull()
      yield* placeCall
      expect(yield* acceptedLeadAwaitingCall({ offerId, agentId })).toBeNull()
    }),
  )

  it.effect("takes the lead back to the top of the queue, once, and closes the offer as recycled", () =>
    Effect.gen(function* () {
      const { tenantId, leadId, agentId, offerId, lead, offer, events } = yield* acceptedOffer
      const input = { offerId, tenantId, agentId, recycledSeq: 7, now: day0 + 5 }
      expect(yield* takeBackAcceptedOffer(input)).toBe(leadId)
      expect(yield* lead).toEqual([{ stage: "ready", recycledSeq: 7 }])
      expect(yield* offer).toEqual([{ state: "recycled" }])
      expect((yield* events).map((e) => e.kind)).toEqual(["created", "accepted", "recycled"])
      expect(yield* takeBackAcceptedOffer({ ...input, recycledSeq: 8 })).toBeNull()
      expect(yield* lead).toEqual([{ stage: "ready", recycledSeq: 7 }])
    }),
  )

  it.effect("leaves alone a lead whose call was placed, and an offer another agent accepted", () =>
    Effect.gen(function* () {
      const { tenantId, agentId, other, offerId, placeCall, lead, offer } = yield* acceptedOffer
      expect(
        yield* takeBackAcceptedOffer({ offerId, tenantId, agentId: other, recycledSeq: 1, now: day0 + 5 }),
      ).toBeNull()
      yield* placeCall
      expect(yield* takeBackAcceptedOffer({ offerId, tenantId, agentId, recycledSeq: 1, now: day0 + 5 })).toBeNull()
      expect(yield* lead).toEqual([{ stage: "in_call", recycledSeq: null }])
      expect(yield* offer).toEqual([{ state: "accepted" }])
    }),
  )
})

layer(database, { timeout: "120 seconds" })("offer decisions: a lead given to an agent without an offer", (it) => {
  /** A tenant with one agent and one lead, its stage set to `stage`. */
  const leadIn = (stage: string) =>
    Effect.gen(function* () {
      const key = `g${crypto.randomUUID().slice(0, 8)}`
      const tenant = yield* seedTenant({ key, name: `Given ${key}`, agentCount: 1, leadCount: 1, now: day0 })
      const leadId = tenant.newLeadIds[0] as LeadId
      const agentId = tenant.agents[0]?.agentId as AgentId
      const sql = yield* SqlClient
      yield* sql`UPDATE leads SET stage = ${stage}, recycled_seq = 3 WHERE id = ${leadId}`
      const lead = sql<{
        stage: string
        assignedAgentId: string | null
        assignedUntil: number | null
        recycledSeq: number | null
      }>`SELECT stage, assigned_agent_id, assigned_until::float8 AS assigned_until, recycled_seq FROM leads
        WHERE id = ${leadId}`
      const events = sql<{ kind: string; detail: unknown }>`SELECT kind, detail FROM lead_events
        WHERE lead_id = ${leadId} ORDER BY id`
      return { tenantId: tenant.tenantId as TenantId, leadId, agentId, lead, events }
    })

  /** The lead claimed by the agent for a manual dial: only from ready or waiting. */
  const claimForManualDial = (tenantId: TenantId, leadId: LeadId, agentId: AgentId) =>
    assignLeadLogged({
      tenantId,
      leadId,
      fromStages: ["ready", "waiting"],
      agentId,
      until: day0 + 86_400_000,
      now: day0 + 9,
      kind: "manual-dial",
      detail: { agentId },
    })

  it.effect("assigns a lead in one of the given stages and writes the event on its history", () =>
    Effect.gen(function* () {
      const { tenantId, leadId, agentId, lead, events } = yield* leadIn("waiting")
      const given = yield* claimForManualDial(tenantId, leadId, agentId)
      expect(given).toBe(true)
      expect(yield* lead).toEqual([
        { stage: "in_call", assignedAgentId: agentId, assignedUntil: day0 + 86_400_000, recycledSeq: null },
      ])
      const history = yield* events
      expect(history.map((e) => e.kind)).toEqual(["created", "manual-dial"])
      expect(JSON.parse(JSON.stringify(history[1]?.detail))).toEqual({ agentId })
    }),
  )

  it.effect("writes nothing, and says so, when the lead is in none of the given stages", () =>
    Effect.gen(function* () {
      const { tenantId, leadId, agentId, lead, events } = yield* leadIn("terminal")
      const given = yield* claimForManualDial(tenantId, leadId, agentId)
      expect(given).toBe(false)
      expect(yield* lead).toEqual([{ stage: "terminal", assignedAgentId: null, assignedUntil: null, recycledSeq: 3 }])
      expect((yield* events).map((e) => e.kind)).toEqual(["created"])
    }),
  )
})

layer(database, { timeout: "120 seconds" })("offer decisions: a ready lead goes on offer", (it) => {
  const offerOf = (tenantId: TenantId, campaignId: string, leadId: LeadId, agentId: AgentId) =>
    offerReadyLead({
      id: OfferId.make(`offer-${crypto.randomUUID()}`),
      tenantId,
      campaignId: CampaignId.make(campaignId),
      leadId,
      agentIds: [agentId],
      declinedBy: [],
      createdAt: day0 + 5,
      expiresAt: day0 + 30_005,
    })

  it.effect("returns the lead as offered with its history, for the notification, and writes the open offer", () =>
    Effect.gen(function* () {
      const key = `r${crypto.randomUUID().slice(0, 8)}`
      const tenant = yield* seedTenant({ key, name: `Ready ${key}`, agentCount: 1, leadCount: 1, now: day0 })
      const leadId = tenant.newLeadIds[0] as LeadId
      const agentId = tenant.agents[0]?.agentId as AgentId
      const sql = yield* SqlClient
      yield* sql`UPDATE leads SET stage = 'ready', attempts = 2 WHERE id = ${leadId}`
      const offered = yield* offerOf(tenant.tenantId as TenantId, tenant.campaignId, leadId, agentId)
      const read = yield* findLeadWithHistory(leadId)
      expect(Option.isSome(offered)).toBe(true)
      expect(offered).toEqual(read)
      const found = Option.getOrThrow(offered)
      expect(found.lead).toMatchObject({ id: leadId, stage: "offered", attempts: 2, updatedAt: day0 + 5 })
      expect(found.history.map((e) => e.kind)).toEqual(["created"])
      const offers = yield* sql<{ state: string; leadId: string }>`SELECT state, lead_id FROM offers
        WHERE lead_id = ${leadId}`
      expect(offers).toEqual([{ state: "open", leadId }])
    }),
  )

  it.effect("returns nothing and writes no offer when the lead is not ready", () =>
    Effect.gen(function* () {
      const key = `n${crypto.randomUUID().slice(0, 8)}`
      const tenant = yield* seedTenant({ key, name: `Not ready ${key}`, agentCount: 1, leadCount: 1, now: day0 })
      const leadId = tenant.newLeadIds[0] as LeadId
      const agentId = tenant.agents[0]?.agentId as AgentId
      const sql = yield* SqlClient
      yield* sql`UPDATE leads SET stage = 'waiting' WHERE id = ${leadId}`
      const offered = yield* offerOf(tenant.tenantId as TenantId, tenant.campaignId, leadId, agentId)
      expect(Option.isNone(offered)).toBe(true)
      expect(yield* sql`SELECT 1 FROM offers WHERE lead_id = ${leadId}`).toEqual([])
      expect((yield* sql<{ stage: string }>`SELECT stage FROM leads WHERE id = ${leadId}`)[0]?.stage).toBe("waiting")
    }),
  )
})

layer(database, { timeout: "120 seconds" })("offer decisions: the agent's row goes on the call with the lead", (it) => {
  /** A tenant with one ready lead offered to an agent Online with that offer pending (its deadline set). */
  const offered = Effect.gen(function* () {
    const key = `a${crypto.randomUUID().slice(0, 8)}`
    const tenant = yield* seedTenant({ key, name: `Accept ${key}`, agentCount: 1, leadCount: 1, now: day0 })
    const leadId = tenant.newLeadIds[0] as LeadId
    const agentId = tenant.agents[0]?.agentId as AgentId
    const tenantId = tenant.tenantId as TenantId
    const offerId = OfferId.make(`${key}-offer`)
    const sql = yield* SqlClient
    yield* sql`UPDATE leads SET stage = 'ready' WHERE id = ${leadId}`
    yield* sql`UPDATE agents SET state = 'Online', state_since = ${day0}, pending_offer = '{"offerId":"x"}'::jsonb,
      offer_due_at = ${day0 + 30_000} WHERE id = ${agentId}`
    yield* offerToOne({ offerId, tenantId, campaignId: tenant.campaignId, leadId, agentId })
    const [lead] = yield* sql<{ phone: string }>`SELECT phone FROM leads WHERE id = ${leadId}`
    const agentRow = Effect.map(
      sql<{
        state: string
        stateSince: number
        pendingOffer: unknown
        offerDueAt: number | null
        currentCallId: string | null
        callPhase: string | null
        callTo: string | null
        workingLeadId: string | null
        wrapUpUntil: number | null
        legRetryAt: number | null
        dueAt: number | null
      }>`SELECT state, state_since::float8 AS state_since, pending_offer, offer_due_at::float8 AS offer_due_at,
          current_call_id, call_phase, call_to, working_lead_id, wrap_up_until::float8 AS wrap_up_until,
          leg_retry_at::float8 AS leg_retry_at, due_at::float8 AS due_at
        FROM agents WHERE id = ${agentId}`,
      (rows) => rows[0],
    )
    const accept = (onCall: boolean) =>
      acceptOfferedLead({
        offerId,
        tenantId,
        leadId,
        agentId,
        until: day0 + 86_400_000,
        now: day0 + 7,
        agentOnCall: onCall
          ? {
              callId: CallId.make(`${key}-call`),
              state: "OnCall",
              stateSince: day0 + 7,
              wrapUpUntil: null,
              legRetryAt: null,
            }
          : undefined,
      })
    return { key, leadId, phone: lead?.phone, agentRow, accept }
  })

  it.effect("writes the agent on the call, dialling the lead's number, with no offer pending and no deadline", () =>
    Effect.gen(function* () {
      const { key, leadId, phone, agentRow, accept } = yield* offered
      expect(yield* accept(true)).toBe(phone)
      expect(yield* agentRow).toEqual({
        state: "OnCall",
        stateSince: day0 + 7,
        pendingOffer: null,
        offerDueAt: null,
        currentCallId: `${key}-call`,
        callPhase: "Dialing",
        callTo: phone,
        workingLeadId: leadId,
        wrapUpUntil: null,
        legRetryAt: null,
        dueAt: null,
      })
    }),
  )

  it.effect("leaves the agent's row alone when the lead was no longer on offer, or when asked to", () =>
    Effect.gen(function* () {
      const first = yield* offered
      const before = yield* first.agentRow
      expect(yield* first.accept(false)).toBe(first.phone)
      expect(yield* first.agentRow).toEqual(before)
      // Accepted already: the lead is in call, so a second acceptance writes nothing, the agent included.
      expect(yield* first.accept(true)).toBeNull()
      expect(yield* first.agentRow).toEqual(before)
    }),
  )
})
