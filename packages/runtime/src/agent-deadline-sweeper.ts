import { SqlClient } from "@effect/sql"
import { AgentEntity } from "@ringmaster/protocol"
import { agentDeadlines, agentsDueBy } from "@ringmaster/store"
import { Clock, Effect, Layer } from "effect"
import { sendAgentTimer } from "./agent-entity.js"
import { sleepUntil } from "./sleep-until.js"
import { everyInterval } from "./background-round.js"
import { asBackgroundWork } from "./background-work.js"

export interface AgentDeadlineSweeperOptions {
  /**
   * How often the agents' rows are swept (default 5 s). Each sweep takes the deadlines due before the next one and
   * sends each at its due time, so a deadline on the row when a sweep runs fires on time; one written less than this
   * before it falls due is fired by the entity that wrote it, and by the sweep only if that entity's runner dies in
   * between (then up to this late, on top of the failover).
   */
  readonly intervalMs?: number
  /** Deadlines taken per sweep at most (the earliest first; the rest wait for the next sweep). */
  readonly batch?: number
}

/**
 * Fires the timers of agents whose entity is not active (its process died, its shard moved, it was passivated): every
 * `intervalMs`, one statement over every tenant's agents selects the deadlines due before the next sweep, and each
 * is sent to its agent at its due time, which activates the entity where its shard lives. An active entity arms the
 * same deadlines itself, so most of these messages (and those of the other runners' sweeps) arrive stale, and the
 * handlers ignore them by key and deadline. Runs on the Effect Clock.
 */
export const AgentDeadlineSweeperLive = (options: AgentDeadlineSweeperOptions = {}) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const intervalMs = options.intervalMs ?? 5_000
      const batch = options.batch ?? 1_000
      const agents = yield* AgentEntity.client
      const sql = yield* SqlClient.SqlClient
      /** Sends under way (sleeping until their due time): a later sweep selecting them again does not repeat them. */
      const inFlight = new Set<string>()

      const sweep = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const horizon = now + intervalMs
        const due = yield* agentsDueBy(horizon, batch).pipe(Effect.provideService(SqlClient.SqlClient, sql))
        for (const row of due) {
          for (const deadline of agentDeadlines(row)) {
            const id = `${row.id}/${deadline.timer}/${deadline.key}/${deadline.at}`
            if (deadline.at > horizon || inFlight.has(id)) continue
            inFlight.add(id)
            yield* sleepUntil(deadline.at).pipe(
              // The send waits for an entity that is not active to start (it reads its row): work under way.
              Effect.zipRight(
                sendAgentTimer(agents, row.id, deadline).pipe(asBackgroundWork("AgentDeadlineSweeper.send")),
              ),
              // Not sent (no runner has the shard yet): the deadline stays on the row for the next sweep.
              Effect.catchAllCause((cause) => Effect.logDebug(`agent ${row.id}: ${deadline.timer} not sent`, cause)),
              Effect.ensuring(Effect.sync(() => inFlight.delete(id))),
              Effect.forkScoped,
            )
          }
        }
      })

      yield* everyInterval("AgentDeadlineSweeper.sweep", intervalMs, sweep, "round")
    }),
  )
