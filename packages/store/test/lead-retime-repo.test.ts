import { SqlClient } from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import { type LeadId, type TenantId } from "@ringmaster/domain"
import { Effect, Layer } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import { retimeWaitingLeads, type WaitingLead, waitingLeadsOfStatus } from "../src/lead-retime-repo.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

/** A tenant whose five new leads wait, due an hour apart. */
const waitingTenant = Effect.gen(function* () {
  const key = `r${crypto.randomUUID().slice(0, 8)}`
  const tenant = yield* seedTenant({ key, name: `Retime ${key}`, agentCount: 0, leadCount: 5, now: day0 })
  const sql = yield* SqlClient
  for (const [i, id] of tenant.newLeadIds.entries()) {
    yield* sql`UPDATE leads SET stage = 'waiting', next_attempt_at = ${day0 + (i + 1) * 3_600_000} WHERE id = ${id}`
  }
  return { ...tenant, tenantId: tenant.tenantId as TenantId }
})

const stageAndTime = (id: LeadId) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const rows = yield* sql<{ stage: string; nextAttemptAt: number | null }>`SELECT stage, next_attempt_at
      FROM leads WHERE id = ${id}`
    return rows[0]
  })

layer(database, { timeout: "60 seconds" })("re-timing waiting leads", (it) => {
  it.effect("reads a status's waiting leads page by page, each once", () =>
    Effect.gen(function* () {
      const tenant = yield* waitingTenant
      const seen: Array<LeadId> = []
      let afterId: LeadId | null = null
      for (let page = 0; page < 5; page++) {
        const leads: ReadonlyArray<WaitingLead> = yield* waitingLeadsOfStatus({
          tenantId: tenant.tenantId,
          statusId: tenant.statuses.new,
          afterId,
          limit: 2,
        })
        if (leads.length === 0) break
        seen.push(...leads.map((l) => l.id))
        afterId = leads.at(-1)?.id ?? null
      }
      expect([...seen].sort()).toEqual([...tenant.newLeadIds].sort())
      expect(new Set(seen).size).toBe(5)
    }),
  )

  it.effect("moves the leads still as they were read, with an event each, and leaves those that moved on", () =>
    Effect.gen(function* () {
      const tenant = yield* waitingTenant
      const sql = yield* SqlClient
      const leads = yield* waitingLeadsOfStatus({
        tenantId: tenant.tenantId,
        statusId: tenant.statuses.new,
        afterId: null,
        limit: 10,
      })
      const [kept, ended, readied, retimedMeanwhile] = leads
      if (kept === undefined || ended === undefined || readied === undefined || retimedMeanwhile === undefined) {
        throw new Error("expected four waiting leads")
      }
      // After the read: one lead is made ready, another re-timed by someone else.
      yield* sql`UPDATE leads SET stage = 'ready' WHERE id = ${readied.id}`
      yield* sql`UPDATE leads SET next_attempt_at = ${day0 + 99} WHERE id = ${retimedMeanwhile.id}`
      const to = (at: number | null) => ({ statusId: tenant.statuses.new, attemptsInStatus: 0, nextAttemptAt: at })
      const moved = yield* retimeWaitingLeads({
        retimes: [
          { lead: kept, next: to(day0 + 5), statusName: "New" },
          { lead: ended, next: to(null), statusName: "New" },
          { lead: readied, next: to(day0 + 6), statusName: "New" },
          { lead: retimedMeanwhile, next: to(day0 + 7), statusName: "New" },
        ],
        reason: "cadence changed",
        now: day0 + 1,
      })
      expect([...moved].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [
          { id: kept.id, before: kept.nextAttemptAt, after: day0 + 5 },
          { id: ended.id, before: ended.nextAttemptAt, after: null },
        ].sort((a, b) => a.id.localeCompare(b.id)),
      )
      expect(yield* stageAndTime(kept.id)).toEqual({ stage: "waiting", nextAttemptAt: day0 + 5 })
      expect(yield* stageAndTime(ended.id)).toEqual({ stage: "terminal", nextAttemptAt: null })
      expect(yield* stageAndTime(readied.id)).toEqual({ stage: "ready", nextAttemptAt: readied.nextAttemptAt })
      expect(yield* stageAndTime(retimedMeanwhile.id)).toEqual({ stage: "waiting", nextAttemptAt: day0 + 99 })
      const events = yield* sql<{ leadId: string; detail: unknown }>`SELECT lead_id, detail FROM lead_events
        WHERE tenant_id = ${tenant.tenantId} AND kind = 'rescheduled' ORDER BY lead_id`
      expect(events.map((e) => e.leadId).sort()).toEqual([kept.id, ended.id].sort())
      const keptEvent = events.find((e) => e.leadId === kept.id)
      expect(typeof keptEvent?.detail === "string" ? JSON.parse(keptEvent.detail) : keptEvent?.detail).toEqual({
        reason: "cadence changed",
        status: "New",
        nextAttemptAt: day0 + 5,
      })
    }),
  )
})
