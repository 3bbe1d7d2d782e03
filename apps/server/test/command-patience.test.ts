import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber, TestClock } from "effect"
import { withCommandPatience } from "../src/command-patience.js"

describe("withCommandPatience", () => {
  it.effect("answers a command that never gets its answer with a timeout failure the console can show", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.either(withCommandPatience(Effect.never, Duration.seconds(15))))
      yield* TestClock.adjust(Duration.seconds(14))
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(Duration.seconds(1))
      const result = yield* Fiber.join(fiber)
      expect(Either.isLeft(result) && result.left._tag === "CommandTimedOut" ? result.left.code : null).toBe("timeout")
      expect(Either.isLeft(result) ? result.left.message : "").toMatch(/^no answer within 15s: .*try again$/)
    }),
  )

  it.effect("passes an answer that comes in time through unchanged", () =>
    Effect.gen(function* () {
      const answer = yield* withCommandPatience(
        Effect.succeed("ack").pipe(Effect.delay("14 seconds")),
        Duration.seconds(15),
      )
      expect(answer).toBe("ack")
    }).pipe(
      Effect.fork,
      Effect.tap(() => TestClock.adjust("14 seconds")),
      Effect.flatMap(Fiber.join),
    ),
  )
})
