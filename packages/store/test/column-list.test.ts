/**
 * Reading rows by their columns written out: a later version's migration that adds a column, while this version
 * still runs, leaves the store's reads of leads, agents and calls working, in a transaction too (where a statement
 * whose row type changed would abort it).
 */
import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { CallId, E164, emptyCallFacts, LeadId } from "@ringmaster/domain"
import { Effect, Layer, Option } from "effect"
import { findAgent } from "../src/agent-repo.js"
import { findCallWithDial, insertCall } from "../src/call-repo.js"
import { columnList } from "../src/column-list.js"
import { seedTenant } from "../src/demo-seed.js"
import { findLead, findLeadWithHistory } from "../src/lead-repo.js"
import { Migrator } from "../src/migrator.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const day0 = Date.UTC(2024, 4, 1)

describe("columnList", () => {
  it("writes the columns out, qualified by the alias when given", () => {
    expect(columnList(["id", "tenant_id"])).toBe("id, tenant_id")
    expect(columnList(["id", "tenant_id"], "l")).toBe("l.id, l.tenant_id")
  })
})

layer(database, { timeout: "60 seconds" })("the store's reads when a later version adds columns", (it) => {
  it.effect("go on in a transaction, with the same rows, for leads, agents and calls", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const tenant = yield* seedTenant({ key: "cols", name: "Columns", agentCount: 1, leadCount: 1, now: day0 })
      const leadId = LeadId.make(tenant.newLeadIds[0] ?? "")
      const agentId = tenant.agents[0]?.agentId ?? ""
      const callId = CallId.make("cols-call")
      yield* insertCall({
        id: callId,
        tenantId: tenant.tenantId,
        campaignId: tenant.campaignId,
        leadId,
        agentId: null,
        direction: "outbound",
        from: E164.make("+14155550100"),
        to: E164.make("+14155552600"),
        carrierCallId: null,
        phase: "Dialing",
        facts: emptyCallFacts,
        createdAt: day0,
      })
      const reads = Effect.all([
        findLead(leadId),
        findLeadWithHistory(leadId),
        findAgent(agentId),
        findCallWithDial(callId),
      ])
      // run often enough for each to be a named prepared statement on every connection of the pool
      yield* Effect.replicateEffect(reads, 12)
      const before = yield* reads
      expect(before.map((read: Option.Option<unknown>) => Option.isSome(read))).toEqual([true, true, true, true])

      for (const table of ["leads", "agents", "calls"]) {
        yield* sql`ALTER TABLE ${sql(table)} ADD COLUMN added_by_a_later_version text DEFAULT 'new'`
      }
      const after = yield* sql.withTransaction(Effect.replicateEffect(reads, 12))
      for (const read of after) expect(read).toEqual(before)
    }),
  )
})
