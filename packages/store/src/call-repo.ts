import { SqlClient } from "@effect/sql"
import {
  AgentId,
  type AutoDialResult,
  CallFacts,
  CallId,
  CampaignId,
  E164,
  LeadId,
  TenantId,
  type CallPhase,
} from "@ringmaster/domain"
import type { CarrierEvent } from "@ringmaster/protocol"
import { Effect, Option } from "effect"
import { columnList } from "./column-list.js"
import { fromJson, toJson } from "./json.js"

export interface CallRow {
  readonly id: CallId
  readonly tenantId: TenantId
  readonly campaignId: CampaignId | null
  readonly leadId: LeadId | null
  readonly agentId: AgentId | null
  readonly direction: "outbound" | "inbound"
  readonly from: E164
  readonly to: E164
  readonly carrierCallId: string | null
  readonly phase: CallPhase
  readonly facts: CallFacts
  readonly createdAt: number
}

interface RawCall {
  readonly id: string
  readonly tenantId: string
  readonly campaignId: string | null
  readonly leadId: string | null
  readonly agentId: string | null
  readonly direction: "outbound" | "inbound"
  readonly fromNumber: string
  readonly toNumber: string
  readonly carrierCallId: string | null
  readonly phase: CallPhase
  readonly facts: unknown
  readonly createdAt: number
}

/** The columns of a `RawCall`, and how its automatic dial stands (see `column-list.ts`). */
const callColumns = columnList([
  "id",
  "tenant_id",
  "campaign_id",
  "lead_id",
  "agent_id",
  "direction",
  "from_number",
  "to_number",
  "carrier_call_id",
  "phase",
  "facts",
  "created_at",
  "auto_dialed",
  "dial_result",
])

const toRow = (r: RawCall): CallRow => ({
  id: CallId.make(r.id),
  tenantId: TenantId.make(r.tenantId),
  campaignId: r.campaignId === null ? null : CampaignId.make(r.campaignId),
  leadId: r.leadId === null ? null : LeadId.make(r.leadId),
  agentId: r.agentId === null ? null : AgentId.make(r.agentId),
  direction: r.direction,
  from: E164.make(r.fromNumber),
  to: E164.make(r.toNumber),
  carrierCallId: r.carrierCallId,
  phase: r.phase,
  facts: fromJson<CallFacts>(r.facts),
  createdAt: r.createdAt,
})

/** A new call's row; `autoDialed` marks a call the auto-dialer placed (its dial result is recorded when it ends). */
/**
 * Writes a new call's row unless a row of that id exists: false when it does, which happens when the request that
 * places the call comes again (its first delivery wrote the row, then its runner stopped).
 */
export const insertCall = (call: CallRow, options: { readonly autoDialed: boolean } = { autoDialed: false }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number,
        to_number, carrier_call_id, phase, facts, created_at, auto_dialed)
      VALUES (${call.id}, ${call.tenantId}, ${call.campaignId}, ${call.leadId}, ${call.agentId}, ${call.direction},
        ${call.from}, ${call.to}, ${call.carrierCallId}, ${call.phase}, ${toJson(call.facts)}::jsonb, ${call.createdAt},
        ${options.autoDialed})
      ON CONFLICT (id) DO NOTHING RETURNING id`
    return rows.length === 1
  })

export const findCall = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCall>`SELECT ${sql.literal(callColumns)} FROM calls WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), toRow)
  })

/** A call's row with how its automatic dial stands: whether the auto-dialer placed it, and its result once known. */
export interface CallWithDial {
  readonly call: CallRow
  readonly autoDialed: boolean
  readonly dialResult: AutoDialResult | null
}

/** The call as its entity restores it, in one read. */
export const findCallWithDial = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<RawCall & { autoDialed: boolean; dialResult: AutoDialResult | null }>`
      SELECT ${sql.literal(callColumns)} FROM calls WHERE id = ${id}`
    return Option.map(Option.fromNullable(rows[0]), (r): CallWithDial => ({
      call: toRow(r),
      autoDialed: r.autoDialed,
      dialResult: r.dialResult,
    }))
  })

export const setCarrierCallId = (id: CallId, carrierCallId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE calls SET carrier_call_id = ${carrierCallId} WHERE id = ${id}`
  })

export const saveCallFacts = (id: CallId, facts: CallFacts, phase: CallPhase) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE calls SET facts = ${toJson(facts)}::jsonb, phase = ${phase},
        answered_at = ${facts.answeredAt}, ended_at = ${facts.hangupAt}, hangup_cause = ${facts.hangupCause}
      WHERE id = ${id}`
  })

/** Records a carrier event on the call's log; false when the same event id was recorded before. */
export const logCallEvent = (tenantId: TenantId, callId: CallId, event: CarrierEvent, receivedAt: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      id: number
    }>`INSERT INTO call_events (tenant_id, call_id, event_id, kind, at, received_at, payload)
      VALUES (${tenantId}, ${callId}, ${event.eventId}, ${event._tag}, ${event.at}, ${receivedAt}, ${toJson(event)}::jsonb)
      ON CONFLICT (call_id, event_id) DO NOTHING RETURNING id`
    return rows.length === 1
  })

/**
 * A carrier event on the call's log and, when it changes what is known of the call, the call's new facts and phase
 * (and the result of the automatic dial that the event ends): one statement, the facts written only if the event is
 * new. False when the same event id was recorded before.
 */
export const logCallEventWithFacts = (input: {
  readonly tenantId: TenantId
  readonly callId: CallId
  readonly event: CarrierEvent
  readonly receivedAt: number
  readonly facts: {
    readonly facts: CallFacts
    readonly phase: CallPhase
    readonly dialResult?: AutoDialResult | undefined
  } | null
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { tenantId, callId, event, facts } = input
    const dialResult = facts?.dialResult === undefined ? sql`` : sql`, dial_result = ${facts.dialResult}`
    const save =
      facts === null
        ? sql``
        : sql`, saved AS (UPDATE calls SET facts = ${toJson(facts.facts)}::jsonb, phase = ${facts.phase},
              answered_at = ${facts.facts.answeredAt}, ended_at = ${facts.facts.hangupAt},
              hangup_cause = ${facts.facts.hangupCause}${dialResult}
            WHERE id = ${callId} AND EXISTS (SELECT 1 FROM logged))`
    const rows = yield* sql<{ id: number }>`WITH logged AS (INSERT INTO call_events
          (tenant_id, call_id, event_id, kind, at, received_at, payload)
        VALUES (${tenantId}, ${callId}, ${event.eventId}, ${event._tag}, ${event.at}, ${input.receivedAt},
          ${toJson(event)}::jsonb)
        ON CONFLICT (call_id, event_id) DO NOTHING RETURNING id)
      ${save}
      SELECT id FROM logged`
    return rows.length === 1
  })

/** Outbound calls placed before `before` and still dialling or ringing, oldest first: candidates for being lost. */
export const unansweredOutboundCallsBefore = (before: number, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM calls
      WHERE direction = 'outbound' AND phase IN ('Dialing', 'Ringing') AND created_at < ${before}
      ORDER BY created_at LIMIT ${limit}`
    return rows.map((r) => CallId.make(r.id))
  })

/** Our call id for a carrier's call id (a webhook without our client_state). */
export const findCallIdByCarrierId = (carrierCallId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`SELECT id FROM calls WHERE carrier_call_id = ${carrierCallId} LIMIT 1`
    return Option.map(Option.fromNullable(rows[0]), (r) => CallId.make(r.id))
  })

export const setCallAgent = (id: CallId, agentId: AgentId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE calls SET agent_id = ${agentId} WHERE id = ${id}`
  })

/** Writes something that happened to a call but came from us, not the carrier, on the call's log. */
export const logCallNote = (
  tenantId: TenantId,
  callId: CallId,
  key: string,
  kind: string,
  detail: object,
  at: number,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO call_events (tenant_id, call_id, event_id, kind, at, received_at, payload)
      VALUES (${tenantId}, ${callId}, ${key}, ${kind}, ${at}, ${at}, ${toJson(detail)}::jsonb)
      ON CONFLICT (call_id, event_id) DO NOTHING`
  })
