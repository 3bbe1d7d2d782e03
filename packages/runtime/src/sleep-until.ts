import { Clock, Duration, Effect } from "effect"

/**
 * Sleeps on the Effect Clock until it reads `at` or later, so a test's manual clock drives it. A timer may wake a
 * millisecond before the wall clock reaches its due time (timers run on a monotonic clock and round), so it sleeps
 * again for whatever is left.
 */
export const sleepUntil = (at: number): Effect.Effect<void> =>
  Effect.gen(function* () {
    let now = yield* Clock.currentTimeMillis
    while (now < at) {
      yield* Effect.sleep(Duration.millis(at - now))
      now = yield* Clock.currentTimeMillis
    }
  })
