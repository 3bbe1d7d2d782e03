import { SqlClient, type Statement } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { AgentId, CampaignId, CallId, DispositionId, LeadId, TenantId } from "@ringmaster/domain"
import { Chunk, Effect, Option, Stream } from "effect"
import { liveAnsweredCondition } from "./live-answered.js"

/** What every report is narrowed to. Times are epoch milliseconds, `from` inclusive and `to` exclusive. */
export interface ReportFilter {
  readonly tenantId: TenantId
  readonly from: number | null
  readonly to: number | null
  readonly campaignId: CampaignId | null
  readonly agentId: AgentId | null
}

export type ConversionKind = "consultation_booked" | "case_sold"

/** Who recorded an outcome, on which call and campaign, with which disposition. */
export interface ConversionSource {
  readonly callId: CallId | null
  readonly agentId: AgentId | null
  readonly campaignId: CampaignId | null
  readonly dispositionId: DispositionId
  readonly at: number
}

/**
 * The INSERT of the conversions an outcome stands for, for the leads of `leads` (a relation with the lead's `id` and
 * `tenant_id`): one `consultation_booked` row when the disposition books a consultation, one `case_sold` row when it
 * sells a case, none otherwise. The one place that rule is written in SQL.
 */
export const insertConversions = (sql: SqlClient.SqlClient, leads: Statement.Fragment, source: ConversionSource) =>
  sql`INSERT INTO lead_conversions (tenant_id, kind, lead_id, call_id, agent_id, campaign_id, disposition_id, at)
    SELECT l.tenant_id, k.kind, l.id, ${source.callId}, ${source.agentId}, ${source.campaignId}, d.id, ${source.at}
    FROM ${leads} AS l
    JOIN dispositions d ON d.id = ${source.dispositionId} AND d.tenant_id = l.tenant_id
    CROSS JOIN (VALUES ('consultation_booked', 1), ('case_sold', 2)) AS k(kind, ord)
    WHERE (k.kind = 'consultation_booked' AND d.books_consultation) OR (k.kind = 'case_sold' AND d.sells_case)
    ORDER BY k.ord`

/** Writes the conversions an outcome of `leadId` stands for (see `insertConversions`). */
export const recordConversions = (input: ConversionSource & { readonly tenantId: TenantId; readonly leadId: LeadId }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* insertConversions(
      sql,
      sql`(SELECT ${input.leadId}::text AS id, ${input.tenantId}::text AS tenant_id)`,
      input,
    )
  })

/** One call as the Calls report shows it. */
export interface CallReportRow {
  readonly callId: string
  readonly createdAt: number
  readonly direction: "outbound" | "inbound"
  readonly leadId: string | null
  readonly leadName: string | null
  /** The number of the person called, or who called in. */
  readonly phone: string
  readonly agentId: string | null
  readonly agentName: string | null
  readonly campaignId: string | null
  readonly campaignName: string | null
  readonly source: string | null
  readonly dispositionId: string | null
  readonly disposition: string | null
  readonly phase: string
  readonly amdResult: string | null
  readonly answeredAt: number | null
  readonly endedAt: number | null
  readonly hangupCause: string | null
  /** Placed by the auto-dialer (not by an agent, not an inbound call). */
  readonly autoDialed: boolean
  /** A person answered it (not a machine): the calls the abandonment rate divides by. */
  readonly liveAnswered: boolean
  /** When the person was abandoned: nobody was connected within 2 s of their greeting. */
  readonly abandonedAt: number | null
}

/** One consultation booked or case sold as the Consultations report shows it. */
export interface ConversionReportRow {
  readonly id: number
  readonly at: number
  readonly kind: ConversionKind
  readonly leadId: string
  readonly leadName: string
  readonly phone: string
  readonly leadType: string
  readonly leadStatus: string
  readonly leadCreatedAt: number
  readonly agentId: string | null
  readonly agentName: string | null
  readonly campaignId: string | null
  readonly campaignName: string | null
  readonly dispositionId: string
  readonly disposition: string
  readonly callId: string | null
}

/**
 * A stream of every row of a keyset-paginated query: each page is one short query (`limit` rows after the last
 * key seen), so nothing holds a connection or a cursor between pages and memory holds one page at a time. A
 * stream chunk is one page.
 */
const keysetStream = <A, K>(
  page: (after: K | null, limit: number) => Effect.Effect<ReadonlyArray<A>, SqlError, SqlClient.SqlClient>,
  keyOf: (row: A) => K,
  pageSize: number,
): Stream.Stream<A, SqlError, SqlClient.SqlClient> =>
  Stream.paginateChunkEffect(null as K | null, (after) =>
    page(after, pageSize).pipe(
      Effect.map((rows): [Chunk.Chunk<A>, Option.Option<K | null>] => {
        const last = rows.at(-1)
        // a short page is the last one: no query for an empty page after it
        const next = rows.length < pageSize || last === undefined ? Option.none() : Option.some(keyOf(last))
        return [Chunk.fromIterable(rows), next]
      }),
    ),
  )

const periodOf = (sql: SqlClient.SqlClient, column: string, filter: ReportFilter) =>
  sql.and([
    filter.from === null ? sql`true` : sql`${sql(column)} >= ${filter.from}`,
    filter.to === null ? sql`true` : sql`${sql(column)} < ${filter.to}`,
  ])

const equalsOrAny = (sql: SqlClient.SqlClient, column: string, value: string | null) =>
  value === null ? sql`true` : sql`${sql(column)} = ${value}`

interface TimeKey {
  readonly at: number
  readonly id: string
}

/** Every call of the tenant in the filter, oldest first. */
export const callReportRows = (filter: ReportFilter, pageSize = 2_000) =>
  keysetStream<CallReportRow, TimeKey>(
    (after, limit) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const afterKey = after === null ? sql`true` : sql`(c.created_at, c.id) > (${after.at}, ${after.id})`
        return yield* sql<CallReportRow>`SELECT c.id AS call_id, c.created_at, c.direction, c.lead_id,
            l.name AS lead_name, CASE WHEN c.direction = 'inbound' THEN c.from_number ELSE c.to_number END AS phone,
            c.agent_id, a.name AS agent_name, c.campaign_id, cp.name AS campaign_name, c.source,
            c.disposition_id, d.label AS disposition, c.phase, c.facts->>'amdResult' AS amd_result, c.answered_at,
            c.ended_at, c.hangup_cause, c.auto_dialed, ${sql.literal(liveAnsweredCondition("c"))} AS live_answered,
            c.abandoned_at
          FROM calls c
          LEFT JOIN leads l ON l.id = c.lead_id
          LEFT JOIN agents a ON a.id = c.agent_id
          LEFT JOIN campaigns cp ON cp.id = c.campaign_id
          LEFT JOIN dispositions d ON d.id = c.disposition_id
          WHERE c.tenant_id = ${filter.tenantId} AND ${periodOf(sql, "c.created_at", filter)}
            AND ${equalsOrAny(sql, "c.campaign_id", filter.campaignId)}
            AND ${equalsOrAny(sql, "c.agent_id", filter.agentId)} AND ${afterKey}
          ORDER BY c.created_at, c.id
          LIMIT ${limit}`
      }),
    (row) => ({ at: row.createdAt, id: row.callId }),
    pageSize,
  )

/** Every consultation booked and case sold of the tenant in the filter, in the order they were recorded. */
export const conversionReportRows = (filter: ReportFilter, pageSize = 2_000) =>
  keysetStream<ConversionReportRow, number>(
    (after, limit) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        // ids grow with time (one sequence), so the id alone orders and pages the conversions
        const afterKey = after === null ? sql`true` : sql`v.id > ${after}`
        return yield* sql<ConversionReportRow>`SELECT v.id, v.at, v.kind, v.lead_id, l.name AS lead_name, l.phone,
            lt.name AS lead_type, ls.name AS lead_status, l.created_at AS lead_created_at, v.agent_id,
            a.name AS agent_name, v.campaign_id, cp.name AS campaign_name, v.disposition_id, d.label AS disposition,
            v.call_id
          FROM lead_conversions v
          JOIN leads l ON l.id = v.lead_id
          JOIN lead_types lt ON lt.id = l.lead_type_id
          JOIN lead_statuses ls ON ls.id = l.status_id
          JOIN dispositions d ON d.id = v.disposition_id
          LEFT JOIN agents a ON a.id = v.agent_id
          LEFT JOIN campaigns cp ON cp.id = v.campaign_id
          WHERE v.tenant_id = ${filter.tenantId} AND ${periodOf(sql, "v.at", filter)}
            AND ${equalsOrAny(sql, "v.campaign_id", filter.campaignId)}
            AND ${equalsOrAny(sql, "v.agent_id", filter.agentId)} AND ${afterKey}
          ORDER BY v.id
          LIMIT ${limit}`
      }),
    (row) => row.id,
    pageSize,
  )

export type IntakeGrouping = "day" | "agent" | "campaign"

/** One line of the Intake & Consultation report: the counts of one day, one agent or one campaign. */
export interface IntakeReportRow {
  /** The UTC day (`YYYY-MM-DD`), the agent id or the campaign id; null for leads not assigned to any agent. */
  readonly key: string | null
  /** The agent's or campaign's name; null when grouping by day. */
  readonly name: string | null
  readonly leadsReceived: number
  readonly leadsContacted: number
  readonly consultationsBooked: number
  readonly casesSold: number
}

/**
 * The Intake & Consultation report. A lead is received when it is created, and belongs to its campaign and to the
 * agent it is assigned to; it is contacted when a call to or from it was answered by a person (not a machine),
 * counted once per group; consultations and cases are the conversions recorded through outcomes. Days are UTC.
 */
export const intakeReportRows = (filter: ReportFilter, groupBy: IntakeGrouping) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const keyOf = (at: string, agent: string, campaign: string) =>
      groupBy === "day"
        ? sql`to_char(to_timestamp(${sql(at)} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
        : groupBy === "agent"
          ? sql`${sql(agent)}`
          : sql`${sql(campaign)}`
    const where = (at: string, agent: string, campaign: string) =>
      sql.and([
        periodOf(sql, at, filter),
        equalsOrAny(sql, campaign, filter.campaignId),
        equalsOrAny(sql, agent, filter.agentId),
      ])
    const nameOf =
      groupBy === "day"
        ? sql`NULL::text`
        : groupBy === "agent"
          ? sql`(SELECT name FROM agents WHERE id = keys.k AND tenant_id = ${filter.tenantId})`
          : sql`(SELECT name FROM campaigns WHERE id = keys.k AND tenant_id = ${filter.tenantId})`
    return yield* sql<IntakeReportRow>`WITH
      received AS (
        SELECT ${keyOf("l.created_at", "l.assigned_agent_id", "l.campaign_id")} AS k, count(*) AS n
        FROM leads l
        WHERE l.tenant_id = ${filter.tenantId} AND ${where("l.created_at", "l.assigned_agent_id", "l.campaign_id")}
        GROUP BY 1),
      contacted AS (
        SELECT ${keyOf("c.created_at", "c.agent_id", "c.campaign_id")} AS k, count(DISTINCT c.lead_id) AS n
        FROM calls c
        WHERE c.tenant_id = ${filter.tenantId} AND c.lead_id IS NOT NULL AND c.answered_at IS NOT NULL
          AND coalesce(c.facts->>'amdResult', '') <> 'machine'
          AND ${where("c.created_at", "c.agent_id", "c.campaign_id")}
        GROUP BY 1),
      converted AS (
        SELECT ${keyOf("v.at", "v.agent_id", "v.campaign_id")} AS k,
          count(*) FILTER (WHERE v.kind = 'consultation_booked') AS consultations,
          count(*) FILTER (WHERE v.kind = 'case_sold') AS cases
        FROM lead_conversions v
        WHERE v.tenant_id = ${filter.tenantId} AND ${where("v.at", "v.agent_id", "v.campaign_id")}
        GROUP BY 1),
      keys AS (SELECT k FROM received UNION SELECT k FROM contacted UNION SELECT k FROM converted)
      SELECT keys.k AS key, ${nameOf} AS name,
        coalesce(r.n, 0)::int AS leads_received, coalesce(c.n, 0)::int AS leads_contacted,
        coalesce(v.consultations, 0)::int AS consultations_booked, coalesce(v.cases, 0)::int AS cases_sold
      FROM keys
      LEFT JOIN received r ON r.k IS NOT DISTINCT FROM keys.k
      LEFT JOIN contacted c ON c.k IS NOT DISTINCT FROM keys.k
      LEFT JOIN converted v ON v.k IS NOT DISTINCT FROM keys.k
      ORDER BY keys.k NULLS LAST`
  })
