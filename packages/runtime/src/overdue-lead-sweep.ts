import { SqlClient } from "@effect/sql"
import { LeadEntity } from "@ringmaster/protocol"
import { waitingLeadsDueBefore } from "@ringmaster/store"
import { Clock, Effect, Layer } from "effect"
import { tellEveryInterval } from "./background-round.js"

/**
 * How long past its next attempt a waiting lead may be before the sweep admits it: longer than a timer takes to be
 * delivered (the cluster polls stored timers every 200 ms), so that a lead whose timer is merely late is left to it.
 */
export const OVERDUE_AFTER_MS = 2_000

/** How often each runner looks for overdue leads, unless told otherwise. */
export const OVERDUE_SWEEP_INTERVAL_MS = 5_000

export interface OverdueLeadSweepOptions {
  /** How often each runner looks (default `OVERDUE_SWEEP_INTERVAL_MS`): a lost admission is made good within this plus `OVERDUE_AFTER_MS`. */
  readonly intervalMs?: number
  /** Leads admitted per round at most (the most overdue first). */
  readonly batch?: number
}

/**
 * Admits leads whose admission was lost. A new lead is written waiting and due at once, then its Lead entity is told
 * to admit it; that message is not stored, so a runner that dies (or a network that fails) between the two leaves the
 * lead waiting with its attempt time passed, as does a next-attempt timer lost with its runner. Every round, one
 * statement finds the waiting leads overdue by more than `OVERDUE_AFTER_MS`, and each is told to admit itself; the
 * cluster delivers it wherever the lead's shard lives, and admitting is idempotent (a lead already made ready is not
 * made ready again).
 */
export const OverdueLeadSweepLive = (options: OverdueLeadSweepOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const intervalMs = options.intervalMs ?? OVERDUE_SWEEP_INTERVAL_MS
      const batch = options.batch ?? 500
      const leads = yield* LeadEntity.client
      const sql = yield* SqlClient.SqlClient

      const overdue = Effect.flatMap(Clock.currentTimeMillis, (now) =>
        waitingLeadsDueBefore(now - OVERDUE_AFTER_MS, batch).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
      )
      yield* tellEveryInterval("OverdueLeadSweep.round", intervalMs, overdue, (leadId) =>
        leads(leadId).AdmitNow({ leadId }, { discard: true }),
      )
    }),
  )
