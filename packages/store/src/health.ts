import { SqlClient } from "@effect/sql/SqlClient"
import { Duration, Effect, Exit } from "effect"
import { DatabaseInfo, type DatabaseMode } from "./database.js"

export interface DatabaseHealth {
  readonly ok: boolean
  readonly latencyMs: number
  readonly mode: DatabaseMode
}

/** A database that has not answered `select 1` within this time is reported unhealthy rather than waited for. */
export const healthTimeout = Duration.seconds(3)

/** Round-trips `select 1`; never fails: an error or a timeout is `ok: false`. */
export const databaseHealth: Effect.Effect<DatabaseHealth, never, SqlClient | DatabaseInfo> = Effect.gen(function* () {
  const sql = yield* SqlClient
  const { mode } = yield* DatabaseInfo
  const [elapsed, exit] = yield* Effect.timed(
    Effect.exit(
      Effect.timeoutFail(sql`select 1`, {
        duration: healthTimeout,
        onTimeout: () => `no answer within ${Duration.format(healthTimeout)}`,
      }),
    ),
  )
  if (Exit.isFailure(exit)) yield* Effect.logDebug("Database health check failed", exit.cause)
  return { ok: Exit.isSuccess(exit), latencyMs: Duration.toMillis(elapsed), mode }
})
