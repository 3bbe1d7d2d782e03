import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"
import type { E2eDatabase } from "./database-mode.js"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Every lead of the tenant and its stage. */
export const leadStages = (db: E2eDatabase, tenantId: string) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      return yield* sql<{ id: string; stage: string }>`SELECT id, stage FROM leads WHERE tenant_id = ${tenantId}`
    }),
  )

/** Polls (every second, for at most `withinMs`) until every lead of the tenant is terminal; returns the last read. */
export const untilLeadsTerminal = async (db: E2eDatabase, tenantId: string, withinMs: number) => {
  const deadline = Date.now() + withinMs
  let leads = await leadStages(db, tenantId)
  while (Date.now() < deadline && leads.some((l) => l.stage !== "terminal")) {
    await sleep(1_000)
    leads = await leadStages(db, tenantId)
  }
  return leads
}

/** How many accepted offers each lead has, each call's lead and phase, and the open offers 2 s past their expiry. */
export const assignmentFacts = (db: E2eDatabase, tenantId: string) =>
  db.inspect(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const accepted = yield* sql<{ leadId: string; n: number }>`SELECT lead_id, count(*)::int AS n FROM offers
        WHERE tenant_id = ${tenantId} AND state = 'accepted' GROUP BY lead_id`
      const calls = yield* sql<{ leadId: string; phase: string }>`SELECT lead_id, phase FROM calls
        WHERE tenant_id = ${tenantId}`
      const overdueOffers = yield* sql<{ id: string }>`SELECT id FROM offers
        WHERE tenant_id = ${tenantId} AND state = 'open' AND expires_at < ${Date.now() - 2_000}`
      return { accepted, calls, overdueOffers }
    }),
  )
