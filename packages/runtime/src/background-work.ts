import { Effect } from "effect"

/**
 * The span attribute that marks background work: a step of a runner's worker (a sweep's round or a message it sends
 * later, the carrier's event router, the entity outbox's delivery) that may wait on PostgreSQL before it messages an
 * entity, or while the entity it messages starts. Tools that must know
 * when a runner is quiet (the entity tests' harness, the simulator) count these spans as work under way, whatever
 * their names.
 */
export const BACKGROUND_WORK_ATTRIBUTE = "ringmaster.background_work"

// No stack trace: capturing one is an `Error` a step, and no tracer here reads it.
const marked = { attributes: { [BACKGROUND_WORK_ATTRIBUTE]: true }, captureStackTrace: false }

/** Runs `self` in a span named `name`, marked as background work. */
export const asBackgroundWork =
  (name: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withSpan(self, name, marked)
