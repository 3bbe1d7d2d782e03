import { SqlClient } from "@effect/sql"
import { RunnerPeers } from "@ringmaster/runtime"
import { Duration, Effect, Layer, Schedule, type Scope } from "effect"

/**
 * A runner that can no longer reach PostgreSQL while other runners are alive leaves: it exits, so that its consoles
 * reconnect to the others and the others' messages to its entities fail over to them. Staying up helps nobody: its
 * entities cannot read or write, the cluster takes its shards from it once its registration lapses, and a message
 * another runner sent it before that waits for an answer it can never give (seen in `test/e2e/network-cuts.test.ts`:
 * a lead posted to a healthy runner waited 290 s for the campaign that had lived on the cut-off one).
 *
 * A runner that never saw another stays up and keeps probing: there is nobody to fail over to, and it carries on
 * once the database is back.
 */
export interface DatabaseWatchTimings {
  /** How often the database is probed (`SELECT 1` on a connection of the watch's own). */
  readonly probeEveryMs: number
  /** A probe not answered within this long failed (a partition drops packets: nothing is refused). */
  readonly probeTimeoutMs: number
  /** Unreachable for this long, the runner leaves. */
  readonly leaveAfterMs: number
  /** Another runner counts as alive if a look found it at most this long before the database was last reached. */
  readonly othersRecentMs: number
}

/**
 * Under the 6 s after which the others drop a runner whose registration lapsed (`cluster.ts`), so that the runner is
 * gone by the time they take its shards.
 */
export const defaultDatabaseWatchTimings: DatabaseWatchTimings = {
  probeEveryMs: 1_000,
  probeTimeoutMs: 2_000,
  leaveAfterMs: 5_000,
  othersRecentMs: 30_000,
}

export interface DatabaseWatchState {
  /** When a probe last succeeded (the runner's clock, ms). */
  readonly lastReachedAt: number
  /** When a look last found another runner registered, or null if none ever did. */
  readonly othersSeenAt: number | null
}

/** Whether the runner should leave now: the database unreachable long enough, with other runners to take over. */
export const shouldLeave = (state: DatabaseWatchState, now: number, timings: DatabaseWatchTimings): boolean =>
  now - state.lastReachedAt >= timings.leaveAfterMs &&
  state.othersSeenAt !== null &&
  state.lastReachedAt - state.othersSeenAt <= timings.othersRecentMs

/**
 * Runs `probe` every `probeEveryMs` for as long as the scope lasts, and `leave` once `shouldLeave` says so: when
 * the probe has failed (or not answered within `probeTimeoutMs`) for `leaveAfterMs`, and `RunnerPeers` found
 * another runner shortly before.
 */
export const watchDatabase = (options: {
  readonly probe: Effect.Effect<unknown, unknown>
  readonly leave: (reason: string) => Effect.Effect<void>
  readonly timings?: DatabaseWatchTimings
}): Effect.Effect<void, never, RunnerPeers | Scope.Scope> =>
  Effect.gen(function* () {
    const timings = options.timings ?? defaultDatabaseWatchTimings
    const peers = yield* RunnerPeers
    const clock = yield* Effect.clock
    const now = () => Number(clock.unsafeCurrentTimeNanos() / 1_000_000n)
    let lastReachedAt = now()
    const reached = options.probe.pipe(
      Effect.timeout(Duration.millis(timings.probeTimeoutMs)),
      Effect.as(true),
      Effect.catchAllCause(() => Effect.succeed(false)),
    )
    const round = Effect.gen(function* () {
      if (yield* reached) {
        lastReachedAt = now()
        return
      }
      if (!shouldLeave({ lastReachedAt, othersSeenAt: peers.othersSeenAt() }, now(), timings)) return
      const seconds = ((now() - lastReachedAt) / 1_000).toFixed(1)
      yield* options.leave(`the database has been unreachable for ${seconds} s and other runners are alive`)
    })
    yield* round.pipe(Effect.repeat(Schedule.spaced(Duration.millis(timings.probeEveryMs))), Effect.forkScoped)
  })

/**
 * The watch on `SqlClient`, probed with `SELECT 1`: give it a connection of its own, so that a pool busy with work
 * is not taken for a lost database.
 */
export const DatabaseWatch = (options: {
  readonly leave: (reason: string) => Effect.Effect<void>
}): Layer.Layer<never, never, SqlClient.SqlClient | RunnerPeers> =>
  Layer.scopedDiscard(
    Effect.flatMap(SqlClient.SqlClient, (sql) => watchDatabase({ probe: sql`SELECT 1`, leave: options.leave })),
  )
