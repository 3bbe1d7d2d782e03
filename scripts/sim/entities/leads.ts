import { SqlClient } from "@effect/sql"
import { LeadId } from "@ringmaster/domain"
import type { SeededTenant } from "@ringmaster/store"
import { Effect } from "effect"

const DAY_MS = 24 * 3_600_000

/**
 * Every simulated lead has its own San Francisco number, +1 415 and 7 digits: the backlog's from here, new leads'
 * from `newLeadNumberBase`.
 */
const backlogNumberBase = 2_000_000
const newLeadNumberBase = 5_000_000

const padded = (n: number) => String(n).padStart(7, "0")

/** The id and phone of the `n`-th new lead (1-based). */
export const newLead = (key: string, n: number) => ({
  id: LeadId.make(`${key}-new-${padded(n)}`),
  phone: `+1415${padded(newLeadNumberBase + n)}`,
})

/**
 * Inserts `count` ready leads in one statement: the day's backlog, due since a day before `start` and created then
 * (so that speed-to-lead counts only the leads that arrive during the day). Ids sort in insertion order, so the
 * queue (next attempt, then priority, then id) hands them out in that order.
 */
export const insertBacklog = (tenant: SeededTenant, count: number, start: number) =>
  Effect.gen(function* () {
    if (count <= 0) return
    if (count > newLeadNumberBase - backlogNumberBase) {
      return yield* Effect.dieMessage(`backlog: ${count} leads is more than the simulated numbering holds`)
    }
    const sql = yield* SqlClient.SqlClient
    const at = start - DAY_MS
    yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, stage,
        next_attempt_at, created_at, updated_at)
      SELECT ${tenant.tenantId} || '-b-' || lpad(i::text, 7, '0'), ${tenant.tenantId}, ${tenant.campaignId},
        ${tenant.leadTypes.injury}, ${tenant.statuses.new}, 'Backlog lead ' || i,
        '+1415' || lpad((${backlogNumberBase} + i)::text, 7, '0'), 'ready', ${at}, ${at}, ${at}
      FROM generate_series(0, ${count - 1}) AS i`
  })
