import { AgentId } from "@ringmaster/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { AssignmentRecorder } from "../../bench/lib/assignment-recorder.js"
import { measureWindow } from "../../bench/lib/measured-window.js"

const options = { warmupSeconds: 0, durationSeconds: 0.3, maxAssignments: 1_000, leads: 1_000 }

describe("measureWindow", () => {
  it.live("counts the fibers started while it is open, and what the count rose by", () =>
    Effect.gen(function* () {
      const recorder = new AssignmentRecorder()
      let transactions = 0
      const work = Effect.gen(function* () {
        yield* Effect.sleep("50 millis")
        for (let i = 0; i < 200; i++) {
          yield* Fiber.join(yield* Effect.fork(Effect.sync(() => transactions++)))
        }
        recorder.assigned(AgentId.make("agent-1"), performance.now(), performance.now())
      })
      const [window] = yield* Effect.all(
        [
          measureWindow(
            options,
            recorder,
            Effect.sync(() => transactions),
          ),
          work,
        ],
        { concurrency: "unbounded" },
      )
      expect(window.closedBy).toBe("duration")
      expect(window.counted).toBe(200)
      // The 200 forked above, the work's own fiber being started before the window opened or not.
      expect(window.fibers).toBeGreaterThanOrEqual(200)
      expect(window.fibers).toBeLessThan(260)
    }),
  )

  it.live("counts next to no fibers when nothing is forked", () =>
    Effect.gen(function* () {
      const window = yield* measureWindow({ ...options, durationSeconds: 0.1 }, new AssignmentRecorder())
      expect(window.fibers).toBeLessThan(10)
      expect(window.counted).toBeNaN()
    }),
  )
})
