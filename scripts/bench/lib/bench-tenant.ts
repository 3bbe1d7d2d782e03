import { SqlClient } from "@effect/sql"
import { defaultSettings, DispositionId } from "@ringmaster/domain"
import { saveSettings, seedTenant, type SeededTenant } from "@ringmaster/store"
import { Effect } from "effect"

/** The tenant key of benches: ids are `bench-...`. */
export const benchTenantKey = "bench"

export interface BenchTenant {
  readonly tenant: SeededTenant
  /** "Not interested": moves the lead to a status without a cadence, so it leaves the queue for good. */
  readonly terminalDisposition: DispositionId
}

/**
 * The demo configuration with `agents` agents (all Offline), then `leads` ready leads written by one set-based
 * INSERT each for the leads and their "created" events. The queue order is not trivial: every 50th lead is of the
 * "Pre-closed" type, made priority 0; every 7th is in "Call back" (cadence priority 2, contacted before); next
 * attempt times are scattered over the past with ties, so priority and lead id break some of them. Calling hours are
 * open all day: otherwise, outside 8:00-21:00 in San Francisco, every dial is refused by the compliance gate and the
 * bench measures that shorter path instead of a call.
 */
export const seedBenchTenant = (input: { readonly agents: number; readonly leads: number; readonly now: number }) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const tenant = yield* seedTenant({
      key: benchTenantKey,
      name: "Bench Intake",
      agentCount: input.agents,
      leadCount: 0,
      now: input.now,
    })
    const { tenantId, campaignId, leadTypes, statuses } = tenant
    const now = input.now
    yield* saveSettings(tenantId, { ...defaultSettings, callingHoursStart: 0, callingHoursEnd: 24 })
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`UPDATE lead_types SET priority_zero = true WHERE id = ${leadTypes.preClosed}`
        yield* sql`INSERT INTO leads (id, tenant_id, campaign_id, lead_type_id, status_id, name, phone, stage,
            attempts, attempts_in_status, last_contact_at, next_attempt_at, created_at, updated_at)
          SELECT ${`${benchTenantKey}-lead-`} || g, ${tenantId}, ${campaignId},
            CASE WHEN g % 50 = 0 THEN ${leadTypes.preClosed} ELSE ${leadTypes.injury} END,
            CASE WHEN g % 7 = 0 THEN ${statuses.callback} ELSE ${statuses.new} END,
            'Bench Lead ' || g,
            '+1415' || (2000000 + g)::text,
            'ready',
            CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END,
            CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END,
            CASE WHEN g % 7 = 0 OR g % 50 = 0 THEN ${now}::bigint - 86400000 - (g::bigint * 104729) % 604800000 END,
            ${now}::bigint - 1000 * ((g::bigint * 7919) % ${input.leads} / 3),
            ${now}::bigint - 2 * 86400000 + g,
            ${now}::bigint - 2 * 86400000 + g
          FROM generate_series(1, ${input.leads}::int) AS g`
        yield* sql`INSERT INTO lead_events (tenant_id, lead_id, at, kind, detail)
          SELECT ${tenantId}, ${`${benchTenantKey}-lead-`} || g, ${now}::bigint - 2 * 86400000 + g, 'created',
            '{"source":"bench"}'::jsonb
          FROM generate_series(1, ${input.leads}::int) AS g`
      }),
    )
    yield* sql`ANALYZE leads`
    yield* sql`ANALYZE lead_events`
    const [disposition] = yield* sql<{ id: string }>`SELECT id FROM dispositions
      WHERE tenant_id = ${tenantId} AND kind = 'status' AND status_id = ${statuses.notInterested}`
    if (disposition === undefined) {
      return yield* Effect.dieMessage(`the seeded tenant ${tenantId} has no disposition to "Not interested"`)
    }
    const bench: BenchTenant = { tenant, terminalDisposition: DispositionId.make(disposition.id) }
    return bench
  })
