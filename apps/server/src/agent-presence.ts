import { SqlClient } from "@effect/sql"
import type { AgentId } from "@ringmaster/domain"
import {
  presenceAbsentAgents,
  presenceConnected,
  presenceDisconnected,
  presenceHeartbeat,
  presenceLive,
} from "@ringmaster/store"
import { Clock, Duration, Effect, Schedule, type Scope } from "effect"
import { randomUUID } from "node:crypto"

/** How often a runner refreshes its consoles' rows; a row older than three beats is a dead runner's. */
const HEARTBEAT = Duration.seconds(3)
const LIVE_MS = 3 * Duration.toMillis(HEARTBEAT)

export interface AgentPresence {
  readonly connected: (agentId: AgentId) => Effect.Effect<void>
  readonly disconnected: (agentId: AgentId) => Effect.Effect<void>
  /** Whether the agent has a console open on any runner. */
  readonly live: (agentId: AgentId) => Effect.Effect<boolean>
}

/**
 * Agent presence shared by every runner through the database, so that an agent whose console moved to another
 * runner is not logged out by the one it left, and one whose runner was killed is logged out by the others once
 * the grace period has passed without a reconnection (`logOut` is called for each such agent).
 */
export const makeAgentPresence = (options: {
  readonly grace: Duration.Duration
  readonly logOut: (agentId: AgentId) => Effect.Effect<void>
}): Effect.Effect<AgentPresence, never, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const runner = randomUUID()
    const withSql = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
      Effect.provideService(effect, SqlClient.SqlClient, sql)
    const now = Clock.currentTimeMillis

    const sweep = Effect.gen(function* () {
      const at = yield* now
      yield* presenceHeartbeat(runner, at)
      const absent = yield* presenceAbsentAgents(at, LIVE_MS, Duration.toMillis(options.grace))
      yield* Effect.forEach(absent, options.logOut, { discard: true })
    })
    yield* withSql(sweep).pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("agent presence sweep failed", cause)),
      Effect.repeat(Schedule.spaced(HEARTBEAT)),
      Effect.forkScoped,
    )

    return {
      connected: (agentId) =>
        withSql(Effect.flatMap(now, (at) => presenceConnected(agentId, runner, at))).pipe(Effect.orDie, Effect.asVoid),
      disconnected: (agentId) =>
        withSql(Effect.flatMap(now, (at) => presenceDisconnected(agentId, runner, at))).pipe(
          Effect.orDie,
          Effect.asVoid,
        ),
      live: (agentId) => withSql(Effect.flatMap(now, (at) => presenceLive(agentId, at, LIVE_MS))).pipe(Effect.orDie),
    }
  })
