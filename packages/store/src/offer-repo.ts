import { SqlClient } from "@effect/sql"
import { AgentId, CampaignId, LeadId, OfferId, TenantId } from "@ringmaster/domain"
import { Effect } from "effect"
import { fromJson, toJson } from "./json.js"

export type OfferState = "open" | "accepted" | "recycled" | "requeued"

export interface OfferRow {
  readonly id: OfferId
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadId: LeadId
  readonly agentIds: ReadonlyArray<AgentId>
  readonly declinedBy: ReadonlyArray<AgentId>
  readonly createdAt: number
  readonly expiresAt: number
}

export const insertOffer = (offer: OfferRow) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO offers (id, tenant_id, campaign_id, lead_id, agent_ids, declined_by, created_at, expires_at, state)
      VALUES (${offer.id}, ${offer.tenantId}, ${offer.campaignId}, ${offer.leadId}, ${toJson(offer.agentIds)}::jsonb,
        ${toJson(offer.declinedBy)}::jsonb, ${offer.createdAt}, ${offer.expiresAt}, 'open')`
  })

export const recordDecline = (offerId: OfferId, declinedBy: ReadonlyArray<AgentId>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE offers SET declined_by = ${toJson(declinedBy)}::jsonb WHERE id = ${offerId}`
  })

export const closeOffer = (offerId: OfferId, state: Exclude<OfferState, "open">, by: AgentId | null, at: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE offers SET state = ${state}, resolved_by = ${by}, resolved_at = ${at}
      WHERE id = ${offerId} AND state = 'open'`
  })

export const openOffers = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      id: string
      tenantId: string
      campaignId: string
      leadId: string
      agentIds: unknown
      declinedBy: unknown
      createdAt: number
      expiresAt: number
    }>`SELECT id, tenant_id, campaign_id, lead_id, agent_ids, declined_by, created_at, expires_at
      FROM offers WHERE campaign_id = ${campaignId} AND state = 'open'`
    return rows.map((r): OfferRow => ({
      id: OfferId.make(r.id),
      tenantId: TenantId.make(r.tenantId),
      campaignId: CampaignId.make(r.campaignId),
      leadId: LeadId.make(r.leadId),
      agentIds: fromJson<Array<string>>(r.agentIds).map((a) => AgentId.make(a)),
      declinedBy: fromJson<Array<string>>(r.declinedBy).map((a) => AgentId.make(a)),
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    }))
  })

/** The highest recycled sequence a campaign has handed out, so a reloaded campaign keeps FIFO order. */
export const maxRecycledSeq = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ seq: number | null }>`SELECT max(recycled_seq) AS seq FROM leads
      WHERE campaign_id = ${campaignId}`
    return row?.seq ?? 0
  })
