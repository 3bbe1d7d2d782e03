import { SqlClient } from "@effect/sql"
import { type AgentId, E164, type LeadId, type OfferId, type TenantId } from "@ringmaster/domain"
import { Effect } from "effect"
import { toJson } from "./json.js"
import type { OfferRow } from "./offer-repo.js"

/**
 * The distributor's two decisions, each one statement (so one round trip, and atomic without a transaction):
 * the Campaign entity's mailbox waits for them, and every round trip saved there is a decision sooner.
 */

/** A ready lead goes on offer: it becomes `offered` and its offer row is written. False if it was not ready. */
export const offerReadyLead = (offer: OfferRow) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`WITH moved AS (
        UPDATE leads SET stage = 'offered', updated_at = ${offer.createdAt}
        WHERE id = ${offer.leadId} AND stage = 'ready' RETURNING id)
      INSERT INTO offers (id, tenant_id, campaign_id, lead_id, agent_ids, declined_by, created_at, expires_at, state)
      SELECT ${offer.id}, ${offer.tenantId}, ${offer.campaignId}, moved.id, ${toJson(offer.agentIds)}::jsonb,
        ${toJson(offer.declinedBy)}::jsonb, ${offer.createdAt}, ${offer.expiresAt}, 'open' FROM moved
      RETURNING id`
    return rows.length === 1
  })

/**
 * An agent accepted an offered lead: the lead is assigned to them until `until` and goes in call, the offer is
 * closed as accepted, and the lead's history says so. Returns the number to dial, as the lead has it now; null (and
 * nothing written) if the lead was not on offer.
 */
export const acceptOfferedLead = (input: {
  readonly offerId: OfferId
  readonly tenantId: TenantId
  readonly leadId: LeadId
  readonly agentId: AgentId
  readonly until: number
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const detail = toJson({ agentId: input.agentId })
    const rows = yield* sql<{ phone: string }>`WITH assigned AS (
        UPDATE leads SET stage = 'in_call', recycled_seq = NULL, assigned_agent_id = ${input.agentId},
          assigned_until = ${input.until}, updated_at = ${input.now}
        WHERE id = ${input.leadId} AND stage = 'offered' RETURNING id, phone),
      closed AS (
        UPDATE offers SET state = 'accepted', resolved_by = ${input.agentId}, resolved_at = ${input.now}
        WHERE id = ${input.offerId} AND state = 'open' AND EXISTS (SELECT 1 FROM assigned) RETURNING id),
      logged AS (
        INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT ${input.tenantId}, assigned.id, ${input.now}, 'accepted', ${detail}::jsonb FROM assigned RETURNING id)
      SELECT assigned.phone FROM assigned, (SELECT count(*) FROM closed) c, (SELECT count(*) FROM logged) l`
    const [row] = rows
    return row === undefined ? null : E164.make(row.phone)
  })
