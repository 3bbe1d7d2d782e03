/**
 * A runner cut off from the database leaves only when it must: after `leaveAfterMs` without a successful probe, and
 * only if another runner was alive shortly before; a runner that never saw another stays up and carries on.
 */
import { describe, expect, it } from "@effect/vitest"
import { RunnerPeers } from "@ringmaster/runtime"
import { Duration, Effect, FastCheck as fc, Layer, Queue, TestClock } from "effect"
import { defaultDatabaseWatchTimings, shouldLeave, watchDatabase } from "../src/database-watch.js"

const timings = defaultDatabaseWatchTimings
const runs = { fastCheck: { numRuns: Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10) || 200 } }

const stateArb = fc.record({
  lastReachedAt: fc.integer({ min: 0, max: 1_000_000 }),
  othersSeenAt: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
})

describe("shouldLeave", () => {
  it.prop(
    "never while the database was reached within the limit, nor without another runner seen",
    [stateArb, fc.integer({ min: 0, max: 100_000 })],
    ([state, sinceReached]) => {
      const leaves = shouldLeave(state, state.lastReachedAt + sinceReached, timings)
      if (sinceReached < timings.leaveAfterMs || state.othersSeenAt === null) expect(leaves).toBe(false)
    },
    runs,
  )

  it.prop(
    "once the database is unreachable that long, exactly when another runner was seen shortly before",
    [stateArb, fc.integer({ min: 0, max: 100_000 })],
    ([state, extra]) => {
      const now = state.lastReachedAt + timings.leaveAfterMs + extra
      const othersRecent =
        state.othersSeenAt !== null && state.lastReachedAt - state.othersSeenAt <= timings.othersRecentMs
      expect(shouldLeave(state, now, timings)).toBe(othersRecent)
    },
    runs,
  )
})

/** RunnerPeers as a runner that last saw another at `othersSeenAt` (null: never). */
const peersSeeing = (othersSeenAt: number | null) =>
  Layer.succeed(
    RunnerPeers,
    RunnerPeers.of({
      alone: () => othersSeenAt === null,
      open: Effect.void,
      seenAgain: Queue.unbounded<void>(),
      othersSeenAt: () => othersSeenAt,
      departed: Queue.unbounded<void>(),
    }),
  )

/**
 * A watch whose probe succeeds until `cutAtMs` (TestClock time), then fails; returns when it left (TestClock ms),
 * or null if it had not within `lookMs`.
 */
const leftAfterCut = (options: { readonly cutAtMs: number; readonly lookMs: number; readonly hang?: boolean }) =>
  Effect.scoped(
    Effect.gen(function* () {
      let leftAt: number | null = null
      const probe = Effect.flatMap(TestClock.currentTimeMillis, (now) =>
        now < options.cutAtMs ? Effect.void : options.hang === true ? Effect.never : Effect.fail("refused"),
      )
      yield* watchDatabase({
        probe,
        leave: () =>
          Effect.flatMap(TestClock.currentTimeMillis, (now) =>
            Effect.sync(() => {
              leftAt ??= now
            }),
          ),
      })
      for (let t = 0; t < options.lookMs; t += 250) yield* TestClock.adjust(Duration.millis(250))
      return leftAt
    }),
  )

describe("watchDatabase", () => {
  it.effect("leaves about 5 s after the database went away, with another runner alive before", () =>
    Effect.gen(function* () {
      const leftAt = yield* leftAfterCut({ cutAtMs: 10_000, lookMs: 30_000 })
      expect(leftAt).not.toBeNull()
      expect(leftAt! - 10_000).toBeGreaterThanOrEqual(timings.leaveAfterMs - timings.probeEveryMs)
      expect(leftAt! - 10_000).toBeLessThanOrEqual(timings.leaveAfterMs + timings.probeEveryMs)
    }).pipe(Effect.provide(peersSeeing(9_000))),
  )

  it.effect("leaves too when the probes go unanswered (a partition drops packets)", () =>
    Effect.gen(function* () {
      const leftAt = yield* leftAfterCut({ cutAtMs: 10_000, lookMs: 30_000, hang: true })
      expect(leftAt).not.toBeNull()
      expect(leftAt! - 10_000).toBeLessThanOrEqual(timings.leaveAfterMs + timings.probeTimeoutMs + timings.probeEveryMs)
    }).pipe(Effect.provide(peersSeeing(9_000))),
  )

  it.effect("stays up while the database answers", () =>
    Effect.gen(function* () {
      expect(yield* leftAfterCut({ cutAtMs: Number.POSITIVE_INFINITY, lookMs: 60_000 })).toBeNull()
    }).pipe(Effect.provide(peersSeeing(9_000))),
  )

  it.effect("stays up, cut off, when it never saw another runner: nobody could take over", () =>
    Effect.gen(function* () {
      expect(yield* leftAfterCut({ cutAtMs: 10_000, lookMs: 60_000 })).toBeNull()
    }).pipe(Effect.provide(peersSeeing(null))),
  )
})
