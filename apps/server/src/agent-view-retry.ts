import type { AgentId } from "@ringmaster/domain"
import { Duration, Effect, Schedule } from "effect"

/** A console's snapshot is asked for again 250 ms after a failure, then ever later, at most every 2 s. */
export const viewRetrySchedule = Schedule.exponential(Duration.millis(250), 2).pipe(
  Schedule.either(Schedule.spaced(Duration.seconds(2))),
)

/**
 * The agent's view (and its tenant's settings) for a console that connects, asked for until it comes: while the
 * agent's entity cannot answer (its runner lost the database and is leaving, or its shard is moving), the ask fails,
 * with an error or a defect. Given up, the console would stay open but hear nothing, neither its snapshot nor its
 * notifications. The first failure is a warning; the console's own scope ends the asking when it closes.
 */
export const viewUntilAnswered = <A, E, R>(
  agentId: AgentId,
  view: Effect.Effect<A, E, R>,
): Effect.Effect<A, never, R> =>
  Effect.gen(function* () {
    let failures = 0
    return yield* view.pipe(
      Effect.sandbox,
      Effect.tapError((cause) => {
        failures++
        return failures === 1
          ? Effect.logWarning(`agent ${agentId}: its snapshot could not be read; asking again`, cause)
          : Effect.logDebug(`agent ${agentId}: its snapshot could not be read (${failures} times)`, cause)
      }),
      Effect.retry(viewRetrySchedule),
      Effect.orDie,
    )
  })
