import { SqlClient } from "@effect/sql"
import {
  type AgentId,
  type AutoDialResult,
  type CallFacts,
  CallId,
  type CampaignId,
  E164,
  LeadId,
  type TenantId,
  UserId,
} from "@ringmaster/domain"
import { Effect } from "effect"
import { fromJson } from "./json.js"

export const setDialResult = (callId: CallId, result: AutoDialResult) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE calls SET dial_result = ${result} WHERE id = ${callId}`)

/** An automatic call given to an agent: its agent and its result ("connected") in one statement. */
export const setAutoDialConnected = (callId: CallId, agentId: AgentId) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`UPDATE calls SET agent_id = ${agentId}, dial_result = 'connected' WHERE id = ${callId}`,
  )

/** The agent chosen for an automatic call could not take it: the call has no agent again. */
export const clearCallAgent = (callId: CallId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE calls SET agent_id = NULL WHERE id = ${callId}`)

/** The users of a tenant who steer it (supervisors, managers, admins): they hear the campaign alerts. */
export const tenantSupervisors = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM users
      WHERE tenant_id = ${tenantId} AND role IN ('admin', 'supervisor', 'manager') ORDER BY id`
    return rows.map((r) => UserId.make(r.id))
  })

/** A ready lead taken for an automatic dial: now in a call; its number, or null when it was not ready. */
export const takeLeadForDial = (leadId: LeadId, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ phone: string }>`UPDATE leads SET stage = 'in_call', updated_at = ${now}
      WHERE id = ${leadId} AND stage = 'ready' RETURNING phone`
    const row = rows[0]
    return row === undefined ? null : E164.make(row.phone)
  })

/** An automatic call under way with nobody connected and its result not known yet. */
export interface AutoDialInFlight {
  readonly callId: CallId
  readonly leadId: LeadId
  readonly placedAt: number
  readonly facts: CallFacts
}

/**
 * The campaign's automatic calls placed since `since`, still under way, with no agent and no result: what its pacing
 * had in flight (ringing, or a person waiting for an agent) before the campaign entity last left memory.
 */
export const autoDialsInFlight = (campaignId: CampaignId, since: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; leadId: string; createdAt: number; facts: unknown }>`
      SELECT id, lead_id, created_at, facts FROM calls
      WHERE campaign_id = ${campaignId} AND auto_dialed AND created_at >= ${since}
        AND dial_result IS NULL AND phase <> 'Ended' AND agent_id IS NULL AND lead_id IS NOT NULL
      ORDER BY created_at, id`
    return rows.map((r): AutoDialInFlight => ({
      callId: CallId.make(r.id),
      leadId: LeadId.make(r.leadId),
      placedAt: Number(r.createdAt),
      facts: fromJson<CallFacts>(r.facts),
    }))
  })
