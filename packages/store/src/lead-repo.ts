import { SqlClient, type Statement } from "@effect/sql"
import {
  AgentId,
  type CallId,
  CampaignId,
  type DispositionId,
  E164,
  LeadId,
  LeadStatusId,
  LeadTypeId,
  TenantId,
} from "@ringmaster/domain"
import type { AgentStateChange, LeadEvent, LeadStage, LeadView } from "@ringmaster/protocol"
import { Effect, Option } from "effect"
import { agentStateColumns } from "./agent-repo.js"
import { columnList } from "./column-list.js"
import { fromJson, toJson } from "./json.js"
import { insertConversions } from "./report-repo.js"

export interface LeadRow {
  readonly id: LeadId
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadTypeId: LeadTypeId
  readonly statusId: LeadStatusId
  readonly name: string
  readonly phone: E164
  readonly email: string | null
  readonly notes: string
  readonly stage: LeadStage
  readonly attempts: number
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly nextAttemptAt: number | null
  readonly recycledSeq: number | null
  readonly assignedAgentId: AgentId | null
  readonly assignedUntil: number | null
  /** The lead's own IANA time zone; null means "from the number". */
  readonly timeZone: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

interface RawLead {
  readonly id: string
  readonly tenantId: string
  readonly campaignId: string
  readonly leadTypeId: string
  readonly statusId: string
  readonly name: string
  readonly phone: string
  readonly email: string | null
  readonly notes: string
  readonly stage: LeadStage
  readonly attempts: number
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly nextAttemptAt: number | null
  readonly recycledSeq: number | null
  readonly assignedAgentId: string | null
  readonly assignedUntil: number | null
  readonly timeZone: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** The columns of a `RawLead` (see `column-list.ts`). */
const leadColumnNames = [
  "id",
  "tenant_id",
  "campaign_id",
  "lead_type_id",
  "status_id",
  "name",
  "phone",
  "email",
  "notes",
  "stage",
  "attempts",
  "attempts_in_status",
  "last_contact_at",
  "next_attempt_at",
  "recycled_seq",
  "assigned_agent_id",
  "assigned_until",
  "time_zone",
  "created_at",
  "updated_at",
]
const leadColumns = columnList(leadColumnNames)

const toRow = (r: RawLead): LeadRow => ({
  ...r,
  id: LeadId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  campaignId: CampaignId.make(r.campaignId),
  leadTypeId: LeadTypeId.make(r.leadTypeId),
  statusId: LeadStatusId.make(r.statusId),
  phone: E164.make(r.phone),
  assignedAgentId: r.assignedAgentId === null ? null : AgentId.make(r.assignedAgentId),
})

export interface NewLead {
  readonly id: LeadId
  readonly tenantId: TenantId
  readonly campaignId: CampaignId
  readonly leadTypeId: LeadTypeId
  readonly statusId: LeadStatusId
  readonly name: string
  readonly phone: E164
  readonly email: string | null
  readonly notes: string
  readonly now: number
  /** When its first attempt is due: at once (`now`) unless given; null for none planned yet. */
  readonly nextAttemptAt?: number | null
}

/**
 * A new lead, waiting to be admitted, with its "created" event: one statement, so both or neither. The lead is written
 * only into a campaign of its own tenant: the lead as written, or none when the campaign is not the tenant's.
 */
export const insertLead = (lead: NewLead) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawLead>`WITH lead AS (INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id,
          status_id, name, phone, email, notes, stage, next_attempt_at, created_at, updated_at)
        SELECT ${lead.id}, ${lead.tenantId}, ${lead.campaignId}, ${lead.leadTypeId}, ${lead.statusId}, ${lead.name},
          ${lead.phone}, ${lead.email}, ${lead.notes}, 'waiting', ${lead.nextAttemptAt === undefined ? lead.now : lead.nextAttemptAt}::bigint, ${lead.now}::bigint,
          ${lead.now}::bigint
        WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = ${lead.campaignId} AND tenant_id = ${lead.tenantId})
        RETURNING ${sql.literal(leadColumns)}),
      created AS (INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT tenant_id, id, ${lead.now}, 'created', ${toJson({ phone: lead.phone })}::jsonb FROM lead)
      SELECT ${sql.literal(leadColumns)} FROM lead`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/** Any lead by id, whatever its tenant: for entities, whose ids are global. */
export const findLead = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawLead>`SELECT ${sql.literal(leadColumns)} FROM leads WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/** A lead of one tenant: for doors, which must never see another tenant's lead. */
export const findTenantLead = (tenantId: TenantId, id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows =
      yield* sql<RawLead>`SELECT ${sql.literal(leadColumns)} FROM leads WHERE id = ${id} AND tenant_id = ${tenantId}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

export interface LeadFilter {
  readonly tenantId: TenantId
  readonly campaignId?: CampaignId | null
  readonly leadTypeId?: LeadTypeId | null
  readonly statusId?: LeadStatusId | null
  readonly stage?: LeadStage | null
  readonly assignedAgentId?: AgentId | null
  /** Created at or after (epoch ms). */
  readonly createdFrom?: number | null
  /** Created before (epoch ms). */
  readonly createdTo?: number | null
}

/** One page of the tenant's leads matching every filter given, oldest first, after the cursor `after`. */
export const listLeads = (
  input: LeadFilter & {
    readonly limit: number
    readonly after: { readonly createdAt: number; readonly id: string } | null
  },
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const given = <A>(value: A | null | undefined): value is A => value !== null && value !== undefined
    const where = sql.and([
      sql`tenant_id = ${input.tenantId}`,
      ...(given(input.campaignId) ? [sql`campaign_id = ${input.campaignId}`] : []),
      ...(given(input.leadTypeId) ? [sql`lead_type_id = ${input.leadTypeId}`] : []),
      ...(given(input.statusId) ? [sql`status_id = ${input.statusId}`] : []),
      ...(given(input.stage) ? [sql`stage = ${input.stage}`] : []),
      ...(given(input.assignedAgentId) ? [sql`assigned_agent_id = ${input.assignedAgentId}`] : []),
      ...(given(input.createdFrom) ? [sql`created_at >= ${input.createdFrom}`] : []),
      ...(given(input.createdTo) ? [sql`created_at < ${input.createdTo}`] : []),
      ...(input.after === null ? [] : [sql`(created_at, id) > (${input.after.createdAt}, ${input.after.id})`]),
    ])
    const rows =
      yield* sql<RawLead>`SELECT ${sql.literal(leadColumns)} FROM leads WHERE ${where} ORDER BY created_at, id LIMIT ${input.limit}`
    return rows.map(toRow)
  })

/** Escapes the LIKE wildcards of user text, so "50%" matches itself only. */
const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * The tenant's leads whose name or email contains `text` (any case), or whose number is `phone` (E.164, when the
 * text reads as one); newest first.
 */
export const searchLeads = (input: {
  readonly tenantId: TenantId
  readonly text: string
  readonly phone: E164 | null
  readonly limit: number
  /** Only the leads of this campaign (an agent searches its own campaign). */
  readonly campaignId?: CampaignId | null
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const pattern = `%${likeText(input.text.toLowerCase())}%`
    const byPhone = input.phone === null ? sql`false` : sql`phone = ${input.phone}`
    const inCampaign =
      input.campaignId === undefined || input.campaignId === null ? sql`true` : sql`campaign_id = ${input.campaignId}`
    const rows =
      yield* sql<RawLead>`SELECT ${sql.literal(leadColumns)} FROM leads WHERE tenant_id = ${input.tenantId} AND ${inCampaign}
      AND (${byPhone} OR lower(name) LIKE ${pattern} OR lower(coalesce(email, '')) LIKE ${pattern})
      ORDER BY created_at DESC, id DESC LIMIT ${input.limit}`
    return rows.map(toRow)
  })

/**
 * Inserts many leads in one statement (and their "created" events): for bulk creation inside one transaction. The
 * leads as written, in no particular order.
 */
export const insertLeads = (leads: ReadonlyArray<NewLead>) =>
  Effect.gen(function* () {
    if (leads.length === 0) return []
    const sql = yield* SqlClient.SqlClient
    const written = yield* sql<RawLead>`INSERT INTO leads ${sql.insert(
      leads.map((l) => ({
        id: l.id,
        tenant_id: l.tenantId,
        campaign_id: l.campaignId,
        lead_type_id: l.leadTypeId,
        status_id: l.statusId,
        name: l.name,
        phone: l.phone,
        email: l.email,
        notes: l.notes,
        stage: "waiting",
        next_attempt_at: l.now,
        created_at: l.now,
        updated_at: l.now,
      })),
    )} RETURNING ${sql.literal(leadColumns)}`
    yield* sql`INSERT INTO lead_events ${sql.insert(
      leads.map((l) => ({
        tenant_id: l.tenantId,
        lead_id: l.id,
        at: l.now,
        kind: "created",
        detail: toJson({ phone: l.phone, bulk: true }),
      })),
    )}`
    return written.map(toRow)
  })

/** What a supervisor may edit on a lead without touching its progress. */
export interface LeadDetailsUpdate {
  readonly name: string
  readonly phone: E164
  readonly email: string | null
  readonly notes: string
  readonly leadTypeId: LeadTypeId
  readonly timeZone: string | null
}

/** Writes a lead's details; false when it is not the tenant's. */
export const updateLeadDetails = (tenantId: TenantId, leadId: LeadId, update: LeadDetailsUpdate, now: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`UPDATE leads SET name = ${update.name}, phone = ${update.phone}, email = ${update.email},
        notes = ${update.notes}, lead_type_id = ${update.leadTypeId}, time_zone = ${update.timeZone},
        updated_at = ${now}
      WHERE id = ${leadId} AND tenant_id = ${tenantId} RETURNING id`
    return rows.length === 1
  })

/** The fields of a lead the distributor's queue order needs, and no more: a campaign may hold a million ready leads. */
type QueueLeadField =
  | "id"
  | "leadTypeId"
  | "statusId"
  | "lastContactAt"
  | "nextAttemptAt"
  | "recycledSeq"
  | "assignedAgentId"
  | "assignedUntil"
  | "createdAt"

export type QueueLeadRow = Pick<LeadRow, QueueLeadField>

type RawQueueLead = Pick<RawLead, QueueLeadField>

/**
 * The columns of a `RawQueueLead`, named as its fields: read without the client's camelCase transform, which costs
 * a second of a million rows' load (a new object per row).
 */
const queueLeadColumns = [
  "id",
  'lead_type_id AS "leadTypeId"',
  'status_id AS "statusId"',
  'last_contact_at AS "lastContactAt"',
  'next_attempt_at AS "nextAttemptAt"',
  'recycled_seq AS "recycledSeq"',
  'assigned_agent_id AS "assignedAgentId"',
  'assigned_until AS "assignedUntil"',
  'created_at AS "createdAt"',
].join(", ")

const toQueueLeadRow = (r: RawQueueLead): QueueLeadRow => ({
  ...r,
  id: LeadId.make(r.id),
  leadTypeId: LeadTypeId.make(r.leadTypeId),
  statusId: LeadStatusId.make(r.statusId),
  assignedAgentId: r.assignedAgentId === null ? null : AgentId.make(r.assignedAgentId),
})

/**
 * A campaign's ready leads, as its queue needs them (read when the Campaign entity starts); with `changedBefore`, only
 * those last changed before it.
 */
export const campaignQueueLeads = (campaignId: CampaignId, changedBefore?: number) =>
  Effect.gen(function* () {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const changed = changedBefore === undefined ? sql`` : sql` AND updated_at < ${changedBefore}`
    const rows = yield* sql<RawQueueLead>`SELECT ${sql.literal(queueLeadColumns)}
      FROM leads WHERE campaign_id = ${campaignId} AND stage = 'ready'${changed}`
    return rows.map(toQueueLeadRow)
  })

/** The leads of a campaign's open offers, as its queue needs them, in one read (when the Campaign entity starts). */
export const campaignOfferedLeads = (campaignId: CampaignId) =>
  Effect.gen(function* () {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const rows = yield* sql<RawQueueLead>`SELECT ${sql.literal(queueLeadColumns)} FROM leads
      WHERE id IN (SELECT lead_id FROM offers WHERE campaign_id = ${campaignId} AND state = 'open')`
    return new Map(rows.map((r) => [LeadId.make(r.id), toQueueLeadRow(r)]))
  })

export const leadHistory = (leadId: LeadId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ at: number; kind: string; detail: unknown }>`
      SELECT at, kind, detail FROM lead_events WHERE lead_id = ${leadId} ORDER BY id`
    return rows.map((r): LeadEvent => ({ at: r.at, kind: r.kind, detail: fromJson<Record<string, unknown>>(r.detail) }))
  })

/** A lead and its history, oldest event first: what an agent's notification shows. */
export interface LeadWithHistory {
  readonly lead: LeadRow
  readonly history: ReadonlyArray<LeadEvent>
}

export type RawLeadWithHistory = RawLead & { readonly history: unknown }

/** The columns of the lead aliased `alias`, then its history as `history` (see `toLeadWithHistory`). */
export const leadWithHistoryColumns = (alias: string): string =>
  `${columnList(leadColumnNames, alias)}, COALESCE(
    (SELECT json_agg(json_build_object('at', e.at, 'kind', e.kind, 'detail', e.detail) ORDER BY e.id)
      FROM lead_events e WHERE e.lead_id = ${alias}.id),
    '[]'::json) AS history`

export const toLeadWithHistory = ({ history, ...raw }: RawLeadWithHistory): LeadWithHistory => ({
  lead: toRow(raw),
  history: fromJson<ReadonlyArray<{ at: number | string; kind: string; detail: unknown }>>(history).map(
    (e): LeadEvent => ({ at: Number(e.at), kind: e.kind, detail: fromJson<Record<string, unknown>>(e.detail) }),
  ),
})

/** A lead and its history in one statement, so from one snapshot of both; none when the lead does not exist. */
export const findLeadWithHistory = (leadId: LeadId) => leadWithHistoryWhere((sql) => sql`l.id = ${leadId}`)

/** As `findLeadWithHistory`, for a lead of this tenant only. */
export const findTenantLeadWithHistory = (tenantId: TenantId, id: string) =>
  leadWithHistoryWhere((sql) => sql`l.id = ${id} AND l.tenant_id = ${tenantId}`)

const leadWithHistoryWhere = (where: (sql: SqlClient.SqlClient) => Statement.Fragment) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawLeadWithHistory>`SELECT ${sql.literal(leadWithHistoryColumns("l"))}
      FROM leads l WHERE ${where(sql)}`
    return Option.map(Option.fromNullable(rows[0]), toLeadWithHistory)
  })

export const appendLeadEvent = (
  tenantId: TenantId,
  leadId: LeadId,
  at: number,
  kind: string,
  detail: Record<string, unknown>,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
      VALUES (${tenantId}, ${leadId}, ${at}, ${kind}, ${toJson(detail)}::jsonb)`
  })

export interface LeadProgressUpdate {
  readonly stage: LeadStage
  readonly statusId: LeadStatusId
  readonly attempts: number
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly nextAttemptAt: number | null
  readonly recycledSeq: number | null
  readonly assignedAgentId: AgentId | null
  readonly assignedUntil: number | null
  readonly now: number
}

/**
 * Moves a lead from one of `fromStages` to its new progress. Returns false (and changes nothing) when the
 * lead is no longer in one of those stages: the caller lost a race and must not act on it.
 */
export const updateLeadProgress = (leadId: LeadId, fromStages: ReadonlyArray<LeadStage>, update: LeadProgressUpdate) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE leads SET
        stage = ${update.stage}, status_id = ${update.statusId}, attempts = ${update.attempts},
        attempts_in_status = ${update.attemptsInStatus}, last_contact_at = ${update.lastContactAt},
        next_attempt_at = ${update.nextAttemptAt}, recycled_seq = ${update.recycledSeq},
        assigned_agent_id = ${update.assignedAgentId}, assigned_until = ${update.assignedUntil},
        updated_at = ${update.now}
      WHERE id = ${leadId} AND stage IN ${sql.in(fromStages)} RETURNING id`
    return rows.length === 1
  })

/** The outcome an agent recorded, written with the attempt: the call's disposition and the conversions it counts. */
export interface AttemptOutcome {
  readonly callId: CallId | null
  readonly agentId: AgentId | null
  readonly campaignId: CampaignId | null
  readonly dispositionId: DispositionId
}

/**
 * An attempt's result in one statement: the lead moves from one of `fromStages` to its new progress, the event goes
 * on its history and, for an agent's outcome, the call gets its disposition and the conversions are recorded. All of
 * it or (the lead was no longer in one of those stages: the caller lost a race) none of it. Returns the lead as
 * written.
 */
export const recordLeadAttempt = (input: {
  readonly leadId: LeadId
  readonly fromStages: ReadonlyArray<LeadStage>
  readonly update: LeadProgressUpdate
  readonly event: { readonly kind: string; readonly detail: Record<string, unknown> }
  readonly outcome?: AttemptOutcome
  /** The agent done with the lead: its row written too (no call, no lead), when the lead moved. */
  readonly agentAfter?: { readonly agentId: AgentId; readonly change: AgentStateChange } | undefined
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { update, outcome, agentAfter } = input
    const at = update.now
    // Data-modifying CTEs all run, each on the rows `moved` returned: none when the lead had moved on.
    const disposition =
      outcome === undefined || outcome.callId === null
        ? sql``
        : sql`, disposition AS (UPDATE calls SET disposition_id = ${outcome.dispositionId}
            WHERE id = ${outcome.callId} AND EXISTS (SELECT 1 FROM moved))`
    const conversions =
      outcome === undefined ? sql`` : sql`, conversions AS (${insertConversions(sql, sql`moved`, { ...outcome, at })})`
    // Someone talked to the lead, or tried: its callers to call back are served.
    const callbacksDone =
      outcome === undefined
        ? sql``
        : sql`, callbacks_done AS (UPDATE callback_tasks SET done_at = ${at}
            WHERE lead_id IN (SELECT id FROM moved) AND done_at IS NULL)`
    const agentDone =
      agentAfter === undefined
        ? sql``
        : sql`, agent_done AS (UPDATE agents SET ${agentStateColumns(sql, agentAfter.change)}, current_call_id = NULL,
            call_phase = NULL, call_to = NULL, working_lead_id = NULL
            WHERE id = ${agentAfter.agentId} AND EXISTS (SELECT 1 FROM moved))`
    const rows = yield* sql<RawLead>`WITH moved AS (UPDATE leads SET
          stage = ${update.stage}, status_id = ${update.statusId}, attempts = ${update.attempts},
          attempts_in_status = ${update.attemptsInStatus}, last_contact_at = ${update.lastContactAt},
          next_attempt_at = ${update.nextAttemptAt}, recycled_seq = ${update.recycledSeq},
          assigned_agent_id = ${update.assignedAgentId}, assigned_until = ${update.assignedUntil},
          updated_at = ${at}
        WHERE id = ${input.leadId} AND stage IN ${sql.in(input.fromStages)} RETURNING ${sql.literal(leadColumns)}),
      event AS (INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT tenant_id, id, ${at}, ${input.event.kind}, ${toJson(input.event.detail)}::jsonb FROM moved)
      ${disposition}${conversions}${callbacksDone}${agentDone}
      SELECT ${sql.literal(leadColumns)} FROM moved`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/**
 * A waiting lead whose attempt time has come (and is `attemptAt`, when given) becomes ready: the lead as written, or
 * none when it was not waiting, not due, or due at another time, or when it stopped for good instead (its number, or
 * the lead, is on the do-not-call list: a "stopped-do-not-call" event says so).
 */
export const readyIfDue = (leadId: LeadId, now: number, attemptAt: number | null) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const sameTime = attemptAt === null ? sql`` : sql`AND next_attempt_at = ${attemptAt}`
    // A lead whose number (or itself) went on the do-not-call list while it waited stops instead: no agent is to be
    // offered a lead that may not be called.
    const rows = yield* sql<RawLead>`WITH due AS (SELECT id, tenant_id, phone FROM leads
        WHERE id = ${leadId} AND stage = 'waiting' AND next_attempt_at <= ${now} ${sameTime}),
      listed AS (SELECT EXISTS (SELECT 1 FROM due JOIN dnc_entries d ON d.tenant_id = due.tenant_id AND d.phone = due.phone)
        OR EXISTS (SELECT 1 FROM due JOIN dnc_entries d ON d.tenant_id = due.tenant_id AND d.lead_id = due.id) AS on_list),
      moved AS (UPDATE leads SET stage = CASE WHEN listed.on_list THEN 'terminal' ELSE 'ready' END,
          next_attempt_at = CASE WHEN listed.on_list THEN NULL ELSE leads.next_attempt_at END, updated_at = ${now}
        FROM due, listed WHERE leads.id = due.id AND leads.stage = 'waiting'
        RETURNING ${sql.literal(columnList(leadColumnNames, "leads"))}),
      noted AS (INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT tenant_id, id, ${now}, 'stopped-do-not-call', '{"when":"due"}'::jsonb FROM moved WHERE stage = 'terminal')
      SELECT ${sql.literal(leadColumns)} FROM moved WHERE stage = 'ready'`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/** Waiting leads whose next attempt was due before `before`, the most overdue first, at most `limit`. */
export const waitingLeadsDueBefore = (before: number, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM leads
      WHERE stage = 'waiting' AND next_attempt_at < ${before} ORDER BY next_attempt_at LIMIT ${limit}`
    return rows.map((r) => LeadId.make(r.id))
  })

export const leadView = (row: LeadRow, names: { readonly leadType: string; readonly status: string }): LeadView => ({
  id: row.id,
  tenantId: row.tenantId,
  campaignId: row.campaignId,
  leadTypeId: row.leadTypeId,
  leadType: names.leadType,
  statusId: row.statusId,
  status: names.status,
  name: row.name,
  phone: row.phone,
  email: row.email,
  notes: row.notes,
  stage: row.stage,
  attempts: row.attempts,
  attemptsInStatus: row.attemptsInStatus,
  lastContactAt: row.lastContactAt,
  nextAttemptAt: row.nextAttemptAt,
  assignedAgentId: row.assignedAgentId,
  assignedUntil: row.assignedUntil,
  timeZone: row.timeZone,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})
