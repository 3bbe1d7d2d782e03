/**
 * A durable timer's wait: it ends only once the clock reads its due time, on the real clock (whose timers may wake
 * a millisecond early) and on a manual one.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, TestClock } from "effect"
import fc from "fast-check"
import { sleepUntil } from "../src/sleep-until.js"

describe("sleepUntil", () => {
  it.live("ends on the real clock at its due time or later, never before", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 999 }), async (ms, micros) => {
          const at = Date.now() + ms
          // start at a random point within a millisecond, where rounding makes timers wake early
          const start = performance.now() + micros / 1000
          while (performance.now() < start) {
            /* spin */
          }
          await Effect.runPromise(sleepUntil(at))
          expect(Date.now()).toBeGreaterThanOrEqual(at)
        }),
        { numRuns: 150 },
      ),
    ),
  )

  it.effect("waits for a manual clock, and ends as soon as the clock reaches the due time", () =>
    Effect.gen(function* () {
      const at = (yield* Clock.currentTimeMillis) + 5_000
      const fiber = yield* Effect.fork(sleepUntil(at))
      yield* TestClock.adjust(Duration.millis(4_999))
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(Duration.millis(1))
      yield* Fiber.join(fiber)
      expect(yield* Clock.currentTimeMillis).toBe(at)
    }),
  )

  it.effect("ends at once when the due time has passed", () =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      yield* sleepUntil(now - 1_000)
      yield* sleepUntil(now)
      expect(yield* Clock.currentTimeMillis).toBe(now)
    }),
  )
})
