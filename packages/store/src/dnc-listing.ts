import { SqlClient } from "@effect/sql"
import { CampaignId, type E164, LeadId, type TenantId } from "@ringmaster/domain"
import { Effect } from "effect"
import { type NewDncEntry, placeDncEntry } from "./compliance-repo.js"
import { toJson } from "./json.js"
import { appendLeadEvent } from "./lead-repo.js"

/** A lead taken out of the queue for good because its number (or the lead) went on the do-not-call list. */
export interface DncStoppedLead {
  readonly leadId: LeadId
  readonly campaignId: CampaignId
}

/** Whether the number, or the lead at any number, is on the tenant's do-not-call list: one indexed look. */
export const isDncListed = (tenantId: TenantId, phone: E164, leadId: LeadId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ readonly listed: boolean }>`SELECT EXISTS (SELECT 1 FROM dnc_entries
        WHERE tenant_id = ${tenantId} AND phone = ${phone})
      OR EXISTS (SELECT 1 FROM dnc_entries WHERE tenant_id = ${tenantId} AND lead_id = ${leadId}) AS listed`
    return row?.listed === true
  })

/**
 * The tenant's leads at `phone` (and the lead `leadId`, at any number) that wait for an attempt or are queued stop for
 * good: no agent is offered a lead that may not be called. Each gets a "stopped-do-not-call" event, in the same
 * statement. Leads being offered or in a call are left to their outcome, which stops them too. Returns the stopped
 * leads, to be taken out of their campaigns' queues.
 */
export const stopLeadsOnDnc = (input: {
  readonly tenantId: TenantId
  readonly phone: E164
  readonly leadId: LeadId | null
  readonly source: string
  readonly now: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const which =
      input.leadId === null ? sql`phone = ${input.phone}` : sql`(phone = ${input.phone} OR id = ${input.leadId})`
    const rows = yield* sql<{ readonly id: string; readonly campaignId: string }>`WITH stopped AS (
        UPDATE leads SET stage = 'terminal', next_attempt_at = NULL, recycled_seq = NULL, updated_at = ${input.now}
        WHERE tenant_id = ${input.tenantId} AND ${which} AND stage IN ('ready', 'waiting')
        RETURNING id, tenant_id, campaign_id),
      noted AS (INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
        SELECT tenant_id, id, ${input.now}, 'stopped-do-not-call', ${toJson({ phone: input.phone, source: input.source })}::jsonb
        FROM stopped)
      SELECT id, campaign_id FROM stopped`
    return rows.map((r): DncStoppedLead => ({ leadId: LeadId.make(r.id), campaignId: CampaignId.make(r.campaignId) }))
  })

/**
 * Puts a number (and the lead, when given) on the do-not-call list and stops the leads that may no longer be called
 * (`stopLeadsOnDnc`); run it in a transaction. When a person asked (`optOut`, the event's detail), the lead gets an
 * "opted-out" event, once: an entry that was there already (a repeated delivery) writes nothing new. The stopped leads
 * are to be taken out of their campaigns' queues once the transaction has committed.
 */
export const listOnDnc = (input: NewDncEntry & { readonly optOut?: Readonly<Record<string, unknown>> }) =>
  Effect.gen(function* () {
    const { entry, added } = yield* placeDncEntry(input)
    if (added && input.leadId !== null && input.optOut !== undefined) {
      yield* appendLeadEvent(input.tenantId, input.leadId, input.now, "opted-out", {
        ...input.optOut,
        dncEntryId: entry.id,
      })
    }
    const stopped = yield* stopLeadsOnDnc(input)
    return { entry, added, stopped }
  })
