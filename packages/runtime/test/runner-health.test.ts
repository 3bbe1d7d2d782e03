/**
 * The cluster's health check takes a runner for gone only when none of its three pings is answered within 1.5 s: a
 * runner that refuses connections within about 1 s, one whose packets are dropped within about 5.5 s (the cluster's
 * own check took about a minute), and never one that answers any of them in time.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, FastCheck as fc, TestClock, TestContext } from "effect"
import { answersPing, runnerHealthTimings } from "../src/runner-health.js"

const runs = { numRuns: Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10) || 200 }
const timeoutMs = Duration.toMillis(runnerHealthTimings.pingTimeout)
const spacingMs = Duration.toMillis(runnerHealthTimings.spacing)

/** One ping: answered after a delay (ms), refused at once, or never answered. */
type PingOutcome = { readonly answerAfterMs: number } | "refused" | "silent"

/** Runs the check against pings that go as `outcomes` says, one after the other; its verdict and when it came. */
const check = (outcomes: ReadonlyArray<PingOutcome>) =>
  Effect.gen(function* () {
    let tries = 0
    const ping = Effect.suspend(() => {
      const outcome = outcomes[tries++] ?? "silent"
      if (outcome === "refused") return Effect.fail("refused")
      if (outcome === "silent") return Effect.never
      return Effect.sleep(Duration.millis(outcome.answerAfterMs))
    })
    const fiber = yield* Effect.fork(Effect.zip(answersPing(ping), Clock.currentTimeMillis))
    yield* TestClock.adjust(Duration.minutes(1))
    const [alive, afterMs] = yield* Fiber.join(fiber)
    return { alive, afterMs }
  }).pipe(Effect.provide(TestContext.TestContext))

const outcomeArb: fc.Arbitrary<PingOutcome> = fc.oneof(
  fc.constant("refused" as const),
  fc.constant("silent" as const),
  fc.record({ answerAfterMs: fc.integer({ min: 0, max: 4_000 }) }),
)

describe("answersPing", () => {
  it("is alive exactly when one of its pings is answered within the timeout", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcomeArb, { minLength: runnerHealthTimings.pings, maxLength: runnerHealthTimings.pings }),
        async (outcomes) => {
          const { alive } = await Effect.runPromise(check(outcomes))
          const answered = outcomes.some((o) => typeof o === "object" && o.answerAfterMs < timeoutMs)
          expect(alive).toBe(answered)
        },
      ),
      runs,
    )
  })

  it.effect("takes a runner that refuses every ping for gone within 1 s", () =>
    Effect.gen(function* () {
      const { alive, afterMs } = yield* check(["refused", "refused", "refused"])
      expect(alive).toBe(false)
      expect(afterMs).toBeLessThanOrEqual((runnerHealthTimings.pings - 1) * spacingMs + 50)
    }),
  )

  it.effect("takes a runner whose packets are dropped for gone within about 5.5 s, not a minute", () =>
    Effect.gen(function* () {
      const { alive, afterMs } = yield* check(["silent", "silent", "silent"])
      expect(alive).toBe(false)
      expect(afterMs).toBeGreaterThanOrEqual(runnerHealthTimings.pings * timeoutMs)
      expect(afterMs).toBeLessThanOrEqual(
        runnerHealthTimings.pings * timeoutMs + (runnerHealthTimings.pings - 1) * spacingMs,
      )
      expect(afterMs).toBeLessThanOrEqual(6_000)
    }),
  )
})
