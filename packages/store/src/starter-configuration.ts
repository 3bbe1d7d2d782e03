import { SqlClient } from "@effect/sql"
import { LeadStatusId, LeadTypeId, type TenantId } from "@ringmaster/domain"
import { Effect } from "effect"
import { toJson } from "./json.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** The ids of a tenant's starter configuration, derived from `key` so that a second run finds the same rows. */
export const starterIds = (key: string) => {
  const status = (s: string) => LeadStatusId.make(`${key}-status-${s}`)
  return {
    status,
    statuses: {
      new: status("new"),
      callback: status("callback"),
      booked: status("booked"),
      notInterested: status("not-interested"),
      unreachable: status("unreachable"),
      badNumber: status("bad-number"),
      retained: status("retained"),
    },
    leadTypes: {
      injury: LeadTypeId.make(`${key}-type-injury`),
      preClosed: LeadTypeId.make(`${key}-type-pre-closed`),
    },
    disposition: (label: string) => `${key}-disposition-${label.toLowerCase().replaceAll(" ", "-")}`,
  }
}

/**
 * The statuses (two with cadences), lead types and outcomes an intake team starts from, so that a new tenant can
 * take leads at once; its admins change them through the control plane. Run inside the tenant's transaction.
 */
export const insertStarterConfiguration = (tenantId: TenantId, key: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { statuses, leadTypes, disposition } = starterIds(key)
    const statusNames: Array<[LeadStatusId, string, boolean]> = [
      [statuses.new, "New", false],
      [statuses.callback, "Call back", false],
      [statuses.booked, "Consultation booked", true],
      [statuses.notInterested, "Not interested", true],
      [statuses.unreachable, "Unreachable", true],
      [statuses.badNumber, "Bad number", true],
      [statuses.retained, "Retained", true],
    ]
    for (const [id, name, terminal] of statusNames) {
      yield* sql`INSERT INTO lead_statuses (id, tenant_id, name, terminal) VALUES (${id}, ${tenantId}, ${name}, ${terminal})`
    }
    const cadences: Array<[LeadStatusId, Array<number>, number, LeadStatusId, number]> = [
      [statuses.new, [HOUR, DAY, 4 * DAY, 7 * DAY], 1, statuses.unreachable, 5],
      [statuses.callback, [30 * 60_000, 2 * HOUR, DAY], 2, statuses.unreachable, 4],
    ]
    for (const [statusId, delays, priority, finalId, max] of cadences) {
      yield* sql`INSERT INTO cadences (status_id, tenant_id, delays_ms, priority, final_status_id, max_attempts)
        VALUES (${statusId}, ${tenantId}, ${toJson(delays)}::jsonb, ${priority}, ${finalId}, ${max})`
    }
    yield* sql`INSERT INTO lead_types (id, tenant_id, name, initial_status_id) VALUES
      (${leadTypes.injury}, ${tenantId}, 'Personal injury', ${statuses.new}),
      (${leadTypes.preClosed}, ${tenantId}, 'Pre-closed', ${statuses.new})`
    const dispositions: Array<[string, "status" | "cadence", LeadStatusId | null]> = [
      ["No answer", "cadence", null],
      ["Voicemail", "cadence", null],
      ["Call back later", "status", statuses.callback],
      ["Consultation booked", "status", statuses.booked],
      ["Not interested", "status", statuses.notInterested],
      ["Wrong number", "status", statuses.badNumber],
      ["Case sold", "status", statuses.retained],
    ]
    for (const [label, kind, statusId] of dispositions) {
      yield* sql`INSERT INTO dispositions (id, tenant_id, label, kind, status_id)
        VALUES (${disposition(label)}, ${tenantId}, ${label}, ${kind}, ${statusId})`
    }
    // the outcomes that the Intake & Consultation report counts
    yield* sql`UPDATE dispositions SET books_consultation = (label = 'Consultation booked'),
        sells_case = (label = 'Case sold')
      WHERE tenant_id = ${tenantId}`
  })
