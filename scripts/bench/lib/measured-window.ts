import { Duration, Effect, FiberId } from "effect"
import type { AssignmentRecorder } from "./assignment-recorder.js"

/** The measured stretch of a run, in `performance.now()` milliseconds, and why it ended. */
export interface MeasuredWindow {
  readonly start: number
  readonly end: number
  readonly closedBy: string
  /** CPU time (user + system) this process used during the window, in ms. */
  readonly cpuMs: number
  /** What `count` rose by over the window (NaN without one). */
  readonly counted: number
  /** Fibers this process started during the window: the runtime's and, in-process, the bench's own agents'. */
  readonly fibers: number
}

/** The number of fibers this process has started so far: every fiber takes the next id of one counter. */
const fibersStarted = (): number => FiberId.unsafeMake().id

/** Without a single assignment for this long the window closes early: the system is stuck. */
const stallAfterMs = 15_000

/**
 * Waits `warmupSeconds`, then keeps the window open until `durationSeconds` pass, `maxAssignments` are confirmed in
 * it, the `leads` run out, or nothing is assigned for 15 s.
 */
export const measureWindow = (
  options: {
    readonly warmupSeconds: number
    readonly durationSeconds: number
    readonly maxAssignments: number
    readonly leads: number
  },
  recorder: AssignmentRecorder,
  /** A running count read at the window's start and end (the database's transactions, say). */
  count: Effect.Effect<number> = Effect.succeed(Number.NaN),
) =>
  Effect.gen(function* () {
    yield* Effect.sleep(Duration.seconds(options.warmupSeconds))
    const start = performance.now()
    const cpuAtStart = process.cpuUsage()
    const countAtStart = yield* count
    const fibersAtStart = fibersStarted()
    const deadline = start + options.durationSeconds * 1000
    const leadsLeftAtStart = options.leads - recorder.assignments.length
    while (true) {
      yield* Effect.sleep(Duration.millis(20))
      const now = performance.now()
      const inWindow = recorder.assignedSince(start)
      const closedBy =
        now >= deadline
          ? "duration"
          : inWindow >= options.maxAssignments
            ? "max-assignments"
            : inWindow >= leadsLeftAtStart
              ? "queue empty"
              : now - Math.max(recorder.lastAssignmentAt, start) > stallAfterMs
                ? "stall"
                : undefined
      if (closedBy !== undefined) {
        const cpu = process.cpuUsage(cpuAtStart)
        const fibers = fibersStarted() - fibersAtStart
        const counted = (yield* count) - countAtStart
        return {
          start,
          end: now,
          closedBy,
          cpuMs: (cpu.user + cpu.system) / 1000,
          counted,
          fibers,
        } satisfies MeasuredWindow
      }
    }
  })
