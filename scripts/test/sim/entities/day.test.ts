/**
 * A short day on the real entities (5 agents, 10 simulated minutes): the same figures twice under one seed (on the
 * embedded database, whose one connection serialises the work; on a PostgreSQL pool queries of concurrent fibers
 * finish in varying order, so two runs may differ by a dial), and no dial or lead lost (PGlite unless DATABASE_URL
 * is set).
 */
import { expect, layer } from "@effect/vitest"
import { TestDatabase } from "@ringmaster/testkit"
import { Effect } from "effect"
import { runEntityDay } from "../../../sim/entities/day.js"
import type { EntityDayResult } from "../../../sim/entities/day.js"
import { entityFigures } from "../../../sim/entities/figures.js"
import { entityOptions } from "../../../sim/entities/options.js"

const backlog = 1_000
const options = entityOptions({ agents: 5, hours: 10 / 60, backlog, "new-leads-per-hour": 120 })
/** Tenant keys of one length, so that ids sort the same way in every run. */
const run = Date.now().toString(36)
const key = (n: number) => `ed${n}${run}`

/** Everything a day measured but the real time it took. */
/** A day without what measures the run rather than the day: its time and its count of database transactions. */
const measured = ({ wallMs: _, databaseTransactions: _transactions, ...rest }: EntityDayResult) => ({
  ...rest,
  figures: entityFigures({ wallMs: 0, databaseTransactions: 0, ...rest }),
})

layer(TestDatabase.layerSerial, { excludeTestServices: true, timeout: "3 minutes" })(
  "a day on the entities, serial",
  (it) => {
    it.scoped("is the same day twice under one seed", () =>
      Effect.gen(function* () {
        const first = yield* Effect.scoped(runEntityDay(options, "ours", key(1)))
        const second = yield* Effect.scoped(runEntityDay(options, "ours", key(2)))
        expect(first.records.dials, "the agents were dialed for").toBeGreaterThan(20)
        expect(first.records.outcomes.connected).toBeGreaterThan(0)
        expect(measured(second)).toEqual(measured(first))
      }),
    )
  },
)

layer(TestDatabase.layer, { excludeTestServices: true, timeout: "3 minutes" })("a day on the entities", (it) => {
  it.scoped("ends every automatic dial once, with attempts on the leads that add up", () =>
    Effect.gen(function* () {
      const day = yield* Effect.scoped(runEntityDay(options, "fixed-2.0", key(3)))
      const { records, conservation } = day
      expect(conservation.unresolved, "every auto-dialed call has a dial_result").toBe(0)
      expect(conservation.inconsistent, "every dial_result is one its far end could give").toBe(0)
      const named = Object.values(records.outcomes).reduce((sum, n) => sum + n, 0)
      expect(named, "each dial of the shift named once").toBe(records.dials)
      expect(records.outcomes.blocked).toBe(0)
      expect(conservation.attempts, "one attempt per dial").toBe(conservation.autoDials)
      expect(conservation.leadsWithOtherAttempts).toBe(0)
      expect(conservation.leads, "backlog and new leads, none lost").toBe(backlog + day.newLeads)
      const { in_call = 0, wrap_up = 0, offered = 0 } = conservation.leadsByStage
      expect(in_call + wrap_up + offered, "nothing left under way once the day wound down").toBe(0)
      expect(day.refusedOutcomes).toBe(0)
      expect(day.newLeads).toBeGreaterThan(0)
      expect(records.speedToLeadMs.length + records.newLeadsUndialed).toBe(day.newLeads)
      // Logged in all shift: the agent state log covers 5 agents for 10 minutes.
      expect(records.occupancy.loggedInMs).toBe(5 * 600_000)
    }),
  )
})
