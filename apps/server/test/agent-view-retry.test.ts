/**
 * A console that connects while its agent's entity cannot answer (its runner lost the database and is leaving, or
 * its shard is moving) gets its snapshot once the entity answers again, at most 2 s later. It gave up at the first
 * failure before: in the network-cuts test an agent whose console reconnected then heard nothing for the rest of the
 * run, neither its snapshot nor a notification.
 */
import { describe, expect, it } from "@effect/vitest"
import { AgentId } from "@ringmaster/domain"
import { Clock, Duration, Effect, Fiber, FastCheck as fc, Logger, LogLevel, TestClock, TestContext } from "effect"
import { viewUntilAnswered } from "../src/agent-view-retry.js"

const runs = { numRuns: Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10) || 200 }
const agentId = AgentId.make("agent-ada")

/** How one ask goes: answered, failed with an error, or died with a defect. */
type Ask = "answer" | "error" | "defect"

/** Asks through `viewUntilAnswered` a view that fails as `failures` say, then answers; what it got, when, how often. */
const askThrough = (failures: ReadonlyArray<Exclude<Ask, "answer">>) =>
  Effect.gen(function* () {
    const askedAt: Array<number> = []
    const view = Effect.gen(function* () {
      askedAt.push(yield* Clock.currentTimeMillis)
      const ask = failures[askedAt.length - 1] ?? "answer"
      if (ask === "error") return yield* Effect.fail("the entity's runner is going away")
      if (ask === "defect") return yield* Effect.die(new Error("Failed to acquire connection"))
      return "the agent's view"
    })
    const fiber = yield* Effect.fork(viewUntilAnswered(agentId, view))
    yield* TestClock.adjust(Duration.minutes(1))
    const got = yield* Fiber.join(fiber)
    return { got, askedAt }
  }).pipe(Logger.withMinimumLogLevel(LogLevel.None), Effect.provide(TestContext.TestContext))

describe("a console's snapshot", () => {
  it("comes once the entity answers, after any run of errors and defects, asked again within 2 s of each", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("error" as const, "defect" as const), { maxLength: 20 }),
        async (failures) => {
          const { got, askedAt } = await Effect.runPromise(askThrough(failures))
          expect(got).toBe("the agent's view")
          expect(askedAt).toHaveLength(failures.length + 1)
          const waits = askedAt.slice(1).map((t, i) => t - (askedAt[i] ?? 0))
          expect(waits.every((w) => w > 0 && w <= 2_000)).toBe(true)
        },
      ),
      runs,
    )
  })

  it.effect("is asked for once when the entity answers at once", () =>
    Effect.gen(function* () {
      const { got, askedAt } = yield* askThrough([])
      expect(got).toBe("the agent's view")
      expect(askedAt).toEqual([0])
    }),
  )

  it.effect("is asked again 250 ms after a first failure, sooner than the 2 s cap", () =>
    Effect.gen(function* () {
      const { askedAt } = yield* askThrough(["defect"])
      expect(askedAt).toEqual([0, 250])
    }),
  )
})
