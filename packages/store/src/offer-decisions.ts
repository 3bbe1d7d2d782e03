import { SqlClient } from "@effect/sql"
import { type AgentId, type CallId, E164, LeadId, type OfferId, type TenantId } from "@ringmaster/domain"
import { Effect, Option } from "effect"
import { agentStateColumns } from "./agent-repo.js"
import { toJson } from "./json.js"
import { leadWithHistoryColumns, type RawLeadWithHistory, toLeadWithHistory } from "./lead-repo.js"
import type { AgentStateChange, LeadStage } from "@ringmaster/protocol"
import type { OfferRow } from "./offer-repo.js"

/**
 * The distributor's decisions, each one statement (so one round trip, and atomic without a transaction):
 * the Campaign entity's mailbox waits for them, and every round trip saved there is a decision sooner.
 */

/** What a lead given to an agent becomes: in a call, assigned to the agent until `until`, no longer recycled. */
const assignedInCall = (
  sql: SqlClient.SqlClient,
  input: { readonly agentId: AgentId; readonly until: number; readonly now: number },
) =>
  sql`stage = 'in_call', recycled_seq = NULL, assigned_agent_id = ${input.agentId}, assigned_until = ${input.until},
    updated_at = ${input.now}`

/**
 * A ready lead goes on offer: it becomes `offered` and its offer row is written. Returns the lead and its history, as
 * the agents' notification shows them; none (and nothing written) if it was not ready.
 */
export const offerReadyLead = (offer: OfferRow) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawLeadWithHistory>`WITH moved AS (
        UPDATE leads SET stage = 'offered', updated_at = ${offer.createdAt}
        WHERE id = ${offer.leadId} AND stage = 'ready' RETURNING *),
      offered AS (
        INSERT INTO offers (id, tenant_id, campaign_id, lead_id, agent_ids, declined_by, created_at, expires_at, state)
        SELECT ${offer.id}, ${offer.tenantId}, ${offer.campaignId}, moved.id, ${toJson(offer.agentIds)}::jsonb,
          ${toJson(offer.declinedBy)}::jsonb, ${offer.createdAt}, ${offer.expiresAt}, 'open' FROM moved
        RETURNING id)
      SELECT ${sql.literal(leadWithHistoryColumns("moved"))} FROM moved, offered`
    return Option.map(Option.fromNullable(rows[0]), toLeadWithHistory)
  })

/**
 * An agent accepted an offered lead: the lead is assigned to them until `until` and goes in call, the offer is
 * closed as accepted, the lead's history says so, and with `agentOnCall` the agent's row is written on the call (no
 * pending offer, dialling the lead's number). Returns the number to dial, as the lead has it now; null (and nothing
 * written) if the lead was not on offer.
 */
export const acceptOfferedLead = (input: {
  readonly offerId: OfferId
  readonly tenantId: TenantId
  readonly leadId: LeadId
  readonly agentId: AgentId
  readonly until: number
  readonly now: number
  /** The agent's state on the call it places for the lead; the call dials the lead's number. Its leg does not change. */
  readonly agentOnCall?: (AgentStateChange & { readonly callId: CallId }) | undefined
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const detail = toJson({ agentId: input.agentId })
    const onCall = input.agentOnCall
    const agentSaved =
      onCall === undefined
        ? sql``
        : sql`, on_call AS (
        UPDATE agents SET ${agentStateColumns(sql, onCall)}, current_call_id = ${onCall.callId},
          call_phase = 'Dialing', call_to = assigned.phone, working_lead_id = assigned.id
        FROM assigned WHERE agents.id = ${input.agentId} RETURNING agents.id)`
    const rows = yield* sql<{ phone: string }>`WITH assigned AS (
        UPDATE leads SET ${assignedInCall(sql, input)}
        WHERE id = ${input.leadId} AND stage = 'offered' RETURNING id, phone),
      closed AS (
        UPDATE offers SET state = 'accepted', resolved_by = ${input.agentId}, resolved_at = ${input.now}
        WHERE id = ${input.offerId} AND state = 'open' AND EXISTS (SELECT 1 FROM assigned) RETURNING id),
      logged AS (
        INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT ${input.tenantId}, assigned.id, ${input.now}, 'accepted', ${detail}::jsonb FROM assigned RETURNING id)
      ${agentSaved}
      SELECT assigned.phone FROM assigned, (SELECT count(*) FROM closed) c, (SELECT count(*) FROM logged) l`
    const [row] = rows
    return row === undefined ? null : E164.make(row.phone)
  })

/**
 * A lead given to an agent without an offer (a person answered an automatic dial, or the agent claimed the lead to
 * dial it by hand): assigned to the agent until `until` and in call, from one of `fromStages`, and the lead's history
 * says so with `kind` and `detail`. One statement; false (and nothing written) when the lead had moved on.
 */
export const assignLeadLogged = (input: {
  readonly tenantId: TenantId
  readonly leadId: LeadId
  readonly fromStages: ReadonlyArray<LeadStage>
  readonly agentId: AgentId
  readonly until: number
  readonly now: number
  readonly kind: string
  readonly detail: Record<string, unknown>
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`WITH assigned AS (
        UPDATE leads SET ${assignedInCall(sql, input)}
        WHERE id = ${input.leadId} AND stage IN ${sql.in(input.fromStages)} RETURNING id),
      logged AS (
        INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT ${input.tenantId}, assigned.id, ${input.now}, ${input.kind}, ${toJson(input.detail)}::jsonb
        FROM assigned RETURNING id)
      SELECT assigned.id FROM assigned, (SELECT count(*) FROM logged) l`
    return rows.length === 1
  })

/**
 * Gives a lead to an agent (answered inbound) without a word in its history: in a call, assigned until `until`, no
 * longer recycled. Only from `fromStages`; false (nothing changed) when the lead has moved on meanwhile.
 */
export const assignLead = (input: {
  readonly leadId: LeadId
  readonly fromStages: ReadonlyArray<LeadStage>
  readonly agentId: AgentId
  readonly until: number
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE leads SET ${assignedInCall(sql, input)}
      WHERE id = ${input.leadId} AND stage IN ${sql.in(input.fromStages)} RETURNING id`
    return rows.length === 1
  })

interface HeldOffer {
  readonly offerId: OfferId
  readonly agentId: AgentId
}

/**
 * The offer `o` the agent accepted and its lead `l`, still in call and assigned to the agent, with no call placed since
 * the acceptance: the one definition of a held offer, for both the read and the take-back.
 */
const heldOfferRows = (sql: SqlClient.SqlClient, input: HeldOffer) => sql`FROM offers o
  JOIN leads l ON l.id = o.lead_id AND l.stage = 'in_call' AND l.assigned_agent_id = o.resolved_by
  WHERE o.id = ${input.offerId} AND o.state = 'accepted' AND o.resolved_by = ${input.agentId}
    AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.lead_id = l.id AND c.created_at >= o.resolved_at)`

/**
 * What an agent holds when the answer to its acceptance was lost (its runner, or the campaign's, went away between the
 * campaign's write and the agent's own): an offer it accepted whose lead is still in call, assigned to it, with no
 * call placed since. The lead and its number; null if anything else happened meanwhile.
 */
export const acceptedLeadAwaitingCall = (input: HeldOffer) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; phone: string }>`SELECT l.id, l.phone ${heldOfferRows(sql, input)}`
    const [row] = rows
    return row === undefined ? null : { leadId: LeadId.make(row.id), phone: E164.make(row.phone) }
  })

/**
 * The agent of such an offer let it time out or turned it down after all: the lead goes back to the top of the queue
 * (`recycledSeq`), the offer is closed as recycled, and the lead's history says so. The lead's id; null (and nothing
 * written) unless the offer is still in the state `acceptedLeadAwaitingCall` finds.
 */
export const takeBackAcceptedOffer = (
  input: HeldOffer & {
    readonly tenantId: TenantId
    readonly recycledSeq: number
    readonly now: number
  },
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const detail = toJson({ agentIds: [input.agentId] })
    const rows = yield* sql<{ id: string }>`WITH held AS (
        SELECT o.id AS offer_id, l.id AS lead_id ${heldOfferRows(sql, input)} FOR UPDATE OF o, l),
      readied AS (
        UPDATE leads SET stage = 'ready', recycled_seq = ${input.recycledSeq}, updated_at = ${input.now}
        WHERE id IN (SELECT lead_id FROM held) RETURNING id),
      closed AS (
        UPDATE offers SET state = 'recycled', resolved_at = ${input.now}
        WHERE id IN (SELECT offer_id FROM held) RETURNING id),
      logged AS (
        INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT ${input.tenantId}, readied.id, ${input.now}, 'recycled', ${detail}::jsonb FROM readied RETURNING id)
      SELECT readied.id FROM readied, (SELECT count(*) FROM closed) c, (SELECT count(*) FROM logged) l`
    const [row] = rows
    return row === undefined ? null : LeadId.make(row.id)
  })
