import { SqlClient } from "@effect/sql"
import { AgentId, CallId, CampaignId, type E164, LeadId, TenantId } from "@ringmaster/domain"
import { Effect, Option } from "effect"

export interface InboundNumber {
  readonly did: E164
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly source: string
}

export const addInboundNumber = (input: InboundNumber & { readonly now: number }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO inbound_numbers (did, tenant_id, campaign_id, source, created_at)
      VALUES (${input.did}, ${input.tenantId}, ${input.campaignId}, ${input.source}, ${input.now})
      ON CONFLICT (did) DO NOTHING`
  })

export const findInboundNumber = (did: E164) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ tenantId: string; campaignId: string; source: string }>`
      SELECT tenant_id, campaign_id, source FROM inbound_numbers WHERE did = ${did}`
    return Option.map(Option.fromNullable(rows[0]), (r): InboundNumber => ({
      did,
      tenantId: TenantId.make(r.tenantId),
      campaignId: CampaignId.make(r.campaignId),
      source: r.source,
    }))
  })

/** The tenant's lead with this number, most recently created first. */
export const findLeadIdByPhone = (tenantId: TenantId, phone: E164) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM leads WHERE tenant_id = ${tenantId} AND phone = ${phone}
      ORDER BY created_at DESC LIMIT 1`
    return Option.map(Option.fromNullable(rows[0]), (r) => LeadId.make(r.id))
  })

/**
 * The campaign's inbound calls that came in since `since` and still ring (nobody took them, they were not answered
 * for the no-answer message, they did not end), oldest first, each with the agents showing its ring.
 */
export const ringingInboundCalls = (campaignId: CampaignId, since: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; createdAt: number | string; agents: ReadonlyArray<string> }>`
      SELECT c.id, c.created_at,
        coalesce(array_agg(a.id ORDER BY a.id) FILTER (WHERE a.id IS NOT NULL), '{}') AS agents
      FROM calls c LEFT JOIN agents a ON a.tenant_id = c.tenant_id AND a.pending_offer->>'offerId' = 'inbound:' || c.id
      WHERE c.campaign_id = ${campaignId} AND c.direction = 'inbound' AND c.agent_id IS NULL
        AND c.answered_at IS NULL AND c.ended_at IS NULL AND c.created_at > ${since}
      GROUP BY c.id, c.created_at ORDER BY c.created_at, c.id`
    return rows.map((r) => ({
      callId: CallId.make(r.id),
      createdAt: Number(r.createdAt),
      agents: r.agents.map((a) => AgentId.make(a)),
    }))
  })

/** Outbound calls to a lead that have not ended: the ones an inbound call from that lead collides with. */
export const liveOutboundCalls = (leadId: LeadId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM calls
      WHERE lead_id = ${leadId} AND direction = 'outbound' AND phase <> 'Ended'`
    return rows.map((r) => CallId.make(r.id))
  })

export const setCallSource = (callId: CallId, source: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE calls SET source = ${source} WHERE id = ${callId}`
  })

/** Leaves a task to call the lead back, one a call at most: false when the call has one already. */
export const addCallbackTask = (input: {
  readonly tenantId: TenantId
  readonly leadId: LeadId
  readonly callId: CallId
  readonly reason: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`INSERT INTO callback_tasks (tenant_id, lead_id, call_id, reason, created_at)
      SELECT ${input.tenantId}, ${input.leadId}, ${input.callId}, ${input.reason}, ${input.now}
      WHERE NOT EXISTS (SELECT 1 FROM callback_tasks WHERE call_id = ${input.callId})
      RETURNING id`
    return rows.length === 1
  })

export interface CallbackTaskRow {
  readonly id: number
  readonly leadId: LeadId
  readonly leadName: string
  readonly phone: string
  readonly campaignId: CampaignId | null
  readonly callId: CallId | null
  readonly reason: string
  readonly createdAt: number
  readonly doneAt: number | null
}

const callbackTaskColumns = `t.id, t.lead_id, l.name AS lead_name, l.phone, l.campaign_id, t.call_id, t.reason,
  t.created_at, t.done_at`

const toCallbackTask = (row: {
  readonly id: number | string
  readonly leadId: string
  readonly leadName: string
  readonly phone: string
  readonly campaignId: string | null
  readonly callId: string | null
  readonly reason: string
  readonly createdAt: number | string
  readonly doneAt: number | string | null
}): CallbackTaskRow => ({
  id: Number(row.id),
  leadId: LeadId.make(row.leadId),
  leadName: row.leadName,
  phone: row.phone,
  campaignId: row.campaignId === null ? null : CampaignId.make(row.campaignId),
  callId: row.callId === null ? null : CallId.make(row.callId),
  reason: row.reason,
  createdAt: Number(row.createdAt),
  doneAt: row.doneAt === null ? null : Number(row.doneAt),
})

/** The tenant's callback tasks still open, oldest first. */
export const openCallbackTasks = (tenantId: TenantId, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<Parameters<typeof toCallbackTask>[0]>`SELECT ${sql.literal(callbackTaskColumns)}
      FROM callback_tasks t JOIN leads l ON l.id = t.lead_id
      WHERE t.tenant_id = ${tenantId} AND t.done_at IS NULL ORDER BY t.created_at, t.id LIMIT ${limit}`
    return rows.map(toCallbackTask)
  })

/** For each of the leads that has an open callback task, when its oldest one was left (the missed call's end). */
export const callbacksWaitingSince = (tenantId: TenantId, leadIds: ReadonlyArray<LeadId>) =>
  Effect.gen(function* () {
    if (leadIds.length === 0) return new Map<LeadId, number>()
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      readonly leadId: string
      readonly since: number | string
    }>`SELECT lead_id, min(created_at)
      AS since FROM callback_tasks WHERE tenant_id = ${tenantId} AND done_at IS NULL AND lead_id IN ${sql.in(leadIds)}
      GROUP BY lead_id`
    return new Map(rows.map((r) => [LeadId.make(r.leadId), Number(r.since)]))
  })

/** Marks the tenant's task done (kept as it is when done already): the task, or none when the tenant has no such task. */
export const finishCallbackTask = (tenantId: TenantId, taskId: number, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE callback_tasks SET done_at = ${now}
      WHERE id = ${taskId} AND tenant_id = ${tenantId} AND done_at IS NULL`
    const rows = yield* sql<Parameters<typeof toCallbackTask>[0]>`SELECT ${sql.literal(callbackTaskColumns)}
      FROM callback_tasks t JOIN leads l ON l.id = t.lead_id WHERE t.id = ${taskId} AND t.tenant_id = ${tenantId}`
    return Option.map(Option.fromNullable(rows[0]), toCallbackTask)
  })
