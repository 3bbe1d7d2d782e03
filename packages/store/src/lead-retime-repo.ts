import { SqlClient } from "@effect/sql"
import { LeadId, LeadStatusId, type RetimedLead, type TenantId } from "@ringmaster/domain"
import { Effect } from "effect"
import { toJson } from "./json.js"

/** A waiting lead as re-timing it under its status's cadence needs it. */
export interface WaitingLead {
  readonly id: LeadId
  readonly statusId: LeadStatusId
  readonly attemptsInStatus: number
  readonly lastContactAt: number | null
  readonly nextAttemptAt: number | null
  readonly createdAt: number
}

interface RawWaitingLead {
  readonly id: string
  readonly status_id: string
  readonly attempts_in_status: number
  readonly last_contact_at: number | null
  readonly next_attempt_at: number | null
  readonly created_at: number
}

/** A status's waiting leads in id order, from after `afterId` (null: the first), at most `limit`. */
export const waitingLeadsOfStatus = (input: {
  readonly tenantId: TenantId
  readonly statusId: LeadStatusId
  readonly afterId: LeadId | null
  readonly limit: number
}) =>
  Effect.gen(function* () {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const after = input.afterId === null ? sql`` : sql`AND id > ${input.afterId}`
    const rows = yield* sql<RawWaitingLead>`SELECT id, status_id, attempts_in_status, last_contact_at,
        next_attempt_at, created_at FROM leads
      WHERE tenant_id = ${input.tenantId} AND status_id = ${input.statusId} AND stage = 'waiting' ${after}
      ORDER BY id LIMIT ${input.limit}`
    return rows.map((r): WaitingLead => ({
      id: LeadId.make(r.id),
      statusId: LeadStatusId.make(r.status_id),
      attemptsInStatus: r.attempts_in_status,
      lastContactAt: r.last_contact_at,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.created_at,
    }))
  })

/** One waiting lead's re-time: where it was (so that a lead that moved on meanwhile is left alone) and where it goes. */
export interface LeadRetime {
  readonly lead: WaitingLead
  readonly next: RetimedLead
  /** The name of the status it is in afterwards, for its history. */
  readonly statusName: string
}

/** A lead the re-time moved: its next attempt before and after (null: never again, the lead is terminal). */
export interface MovedLead {
  readonly id: LeadId
  readonly before: number | null
  readonly after: number | null
}

/**
 * Re-times waiting leads in one statement: each lead still waiting in the status and at the time it was read takes
 * its new status, attempts and next attempt (terminal when it has none), and gets a "rescheduled" event on its
 * history saying why. A lead that moved on meanwhile (made ready, called, re-timed by another edit) is left as it is.
 * Answers the leads it moved.
 */
export const retimeWaitingLeads = (input: {
  readonly retimes: ReadonlyArray<LeadRetime>
  readonly reason: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    if (input.retimes.length === 0) return []
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const values = input.retimes.map(({ lead, next, statusName }) => ({
      id: lead.id,
      from_status: lead.statusId,
      from_at: lead.nextAttemptAt,
      status_id: next.statusId,
      status_name: statusName,
      attempts_in_status: next.attemptsInStatus,
      next_attempt_at: next.nextAttemptAt,
    }))
    const rows = yield* sql<{
      readonly id: string
      readonly from_at: number | null
      readonly next_attempt_at: number | null
    }>`WITH
      v AS (SELECT * FROM jsonb_to_recordset(${toJson(values)}::jsonb) AS x(id text, from_status text,
        from_at bigint, status_id text, status_name text, attempts_in_status integer, next_attempt_at bigint)),
      moved AS (UPDATE leads l SET status_id = v.status_id, attempts_in_status = v.attempts_in_status,
          next_attempt_at = v.next_attempt_at,
          stage = CASE WHEN v.next_attempt_at IS NULL THEN 'terminal' ELSE 'waiting' END, updated_at = ${input.now}
        FROM v WHERE l.id = v.id AND l.stage = 'waiting' AND l.status_id = v.from_status
          AND l.next_attempt_at IS NOT DISTINCT FROM v.from_at
        RETURNING l.id, l.tenant_id, v.from_at, l.next_attempt_at, v.status_name),
      event AS (INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT tenant_id, id, ${input.now}, 'rescheduled', jsonb_build_object('reason', ${input.reason}::text,
          'status', status_name, 'nextAttemptAt', next_attempt_at) FROM moved)
      SELECT id, from_at, next_attempt_at FROM moved`
    return rows.map((r): MovedLead => ({ id: LeadId.make(r.id), before: r.from_at, after: r.next_attempt_at }))
  })
