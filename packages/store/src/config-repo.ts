import { SqlClient } from "@effect/sql"
import {
  type Cadence,
  type CampaignId,
  LeadId,
  LeadStatusId,
  type LeadTypeId,
  type TenantId,
  type TenantSettings,
  type UserId,
} from "@ringmaster/domain"
import { Effect } from "effect"
import { toJson } from "./json.js"

/** Switches priority 0 of a lead type; false when the type is not the tenant's. */
export const setPriorityZero = (tenantId: TenantId, leadTypeId: LeadTypeId, priorityZero: boolean) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE lead_types SET priority_zero = ${priorityZero}
      WHERE id = ${leadTypeId} AND tenant_id = ${tenantId} RETURNING id`
    return rows.length === 1
  })

export const upsertCadence = (tenantId: TenantId, statusId: LeadStatusId, cadence: Cadence) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO cadences (status_id, tenant_id, delays_ms, priority, final_status_id, max_attempts)
      VALUES (${statusId}, ${tenantId}, ${toJson(cadence.delaysMs)}::jsonb, ${cadence.priority},
        ${cadence.finalStatusId}, ${cadence.maxAttempts})
      ON CONFLICT (status_id) DO UPDATE SET delays_ms = EXCLUDED.delays_ms, priority = EXCLUDED.priority,
        final_status_id = EXCLUDED.final_status_id, max_attempts = EXCLUDED.max_attempts`
  })

export const saveSettings = (tenantId: TenantId, settings: TenantSettings) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE tenants SET settings = ${toJson(settings)}::jsonb WHERE id = ${tenantId}`
  })

/** A campaign's ready leads of a status: those its queue holds, whose priority is that status's cadence's. */
export const readyLeadsOfStatus = (campaignId: CampaignId, statusId: LeadStatusId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM leads
      WHERE campaign_id = ${campaignId} AND status_id = ${statusId} AND stage = 'ready'`
    return rows.map((r) => LeadId.make(r.id))
  })

export const tenantCampaignIds = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM campaigns WHERE tenant_id = ${tenantId}`
    return rows.map((r) => r.id)
  })

export const setDepletionThreshold = (input: {
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly userId: UserId
  readonly threshold: number | null
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if (input.threshold === null) {
      yield* sql`DELETE FROM depletion_thresholds WHERE campaign_id = ${input.campaignId} AND user_id = ${input.userId}`
      return
    }
    yield* sql`INSERT INTO depletion_thresholds (campaign_id, user_id, tenant_id, threshold)
      VALUES (${input.campaignId}, ${input.userId}, ${input.tenantId}, ${input.threshold})
      ON CONFLICT (campaign_id, user_id) DO UPDATE SET threshold = EXCLUDED.threshold`
  })

/** The campaign's thresholds, each with whether its supervisor was alerted and not re-armed since. */
export const depletionThresholds = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ userId: string; threshold: number; alerted: boolean }>`
      SELECT user_id, threshold, alerted FROM depletion_thresholds WHERE campaign_id = ${campaignId}`
    return rows
  })

/** The supervisor's depletion alert, recorded, and their threshold marked alerted, in one statement. */
export const recordDepletionAlert = (alert: AlertRow & { readonly campaignId: CampaignId; readonly userId: UserId }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`WITH marked AS (UPDATE depletion_thresholds SET alerted = true
        WHERE campaign_id = ${alert.campaignId} AND user_id = ${alert.userId})
      ${alertInsert(sql, alert)}`
  })

/** These supervisors' depletion alerts are over (the queue came back): each may be alerted again. */
export const rearmDepletionAlerts = (campaignId: CampaignId, userIds: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    if (userIds.length === 0) return
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE depletion_thresholds SET alerted = false
      WHERE campaign_id = ${campaignId} AND user_id IN ${sql.in(userIds)} AND alerted`
  })

export interface AlertRow {
  readonly tenantId: TenantId
  readonly campaignId: CampaignId | null
  readonly userId: UserId | null
  readonly kind: string
  readonly message: string
  readonly at: number
  readonly detail: Record<string, unknown>
}

/** The statement that records an alert, also a part of `recordDepletionAlert`'s. */
const alertInsert = (sql: SqlClient.SqlClient, alert: AlertRow) =>
  sql`INSERT INTO alerts (tenant_id, campaign_id, user_id, kind, message, at, detail)
    VALUES (${alert.tenantId}, ${alert.campaignId}, ${alert.userId}, ${alert.kind}, ${alert.message}, ${alert.at},
      ${toJson(alert.detail)}::jsonb)`

export const recordAlert = (alert: AlertRow) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* alertInsert(sql, alert)
  })

export const listAlerts = (tenantId: TenantId, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{
      campaignId: string | null
      userId: string | null
      kind: string
      message: string
      at: number
    }>`SELECT campaign_id, user_id, kind, message, at FROM alerts WHERE tenant_id = ${tenantId}
      ORDER BY at DESC, id DESC LIMIT ${limit}`
  })

// --- statuses and lead types -----------------------------------------------------------------------------------------

export interface StatusFlagsRow {
  readonly id: LeadStatusId
  readonly name: string
  readonly terminal: boolean
}

/** The tenant's statuses with their flags, by name. */
export const listStatusRows = (tenantId: TenantId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string; name: string; terminal: boolean }>`
      SELECT id, name, terminal FROM lead_statuses WHERE tenant_id = ${tenantId} ORDER BY name, id`
    return rows.map((r): StatusFlagsRow => ({ id: LeadStatusId.make(r.id), name: r.name, terminal: r.terminal }))
  })

export const insertStatus = (input: {
  readonly tenantId: TenantId
  readonly id: LeadStatusId
  readonly name: string
  readonly terminal: boolean
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO lead_statuses (id, tenant_id, name, terminal)
      VALUES (${input.id}, ${input.tenantId}, ${input.name}, ${input.terminal})`
  })

/** Renames a status or sets its terminal flag; false when it is not the tenant's. */
export const updateStatus = (input: {
  readonly tenantId: TenantId
  readonly id: LeadStatusId
  readonly name: string
  readonly terminal: boolean
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE lead_statuses SET name = ${input.name}, terminal = ${input.terminal}
      WHERE id = ${input.id} AND tenant_id = ${input.tenantId} RETURNING id`
    return rows.length === 1
  })

/** Takes the cadence off a status (its leads are no longer dialled); false when it had none. */
export const deleteCadence = (tenantId: TenantId, statusId: LeadStatusId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`DELETE FROM cadences WHERE status_id = ${statusId} AND tenant_id = ${tenantId}
      RETURNING status_id`
    return rows.length === 1
  })

export const insertLeadType = (input: {
  readonly tenantId: TenantId
  readonly id: LeadTypeId
  readonly name: string
  readonly initialStatusId: LeadStatusId
  readonly priorityZero: boolean
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO lead_types (id, tenant_id, name, initial_status_id, priority_zero)
      VALUES (${input.id}, ${input.tenantId}, ${input.name}, ${input.initialStatusId}, ${input.priorityZero})`
  })

/** Renames a lead type or changes the status its new leads start in; false when it is not the tenant's. */
export const updateLeadType = (input: {
  readonly tenantId: TenantId
  readonly id: LeadTypeId
  readonly name: string
  readonly initialStatusId: LeadStatusId
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE lead_types SET name = ${input.name}, initial_status_id = ${input.initialStatusId}
      WHERE id = ${input.id} AND tenant_id = ${input.tenantId} RETURNING id`
    return rows.length === 1
  })
