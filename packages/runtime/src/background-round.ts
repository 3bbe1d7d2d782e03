import { Duration, Effect } from "effect"
import type { Scope } from "effect"
import { asBackgroundWork } from "./background-work.js"

/**
 * Runs `round` every `intervalMs` on the Effect Clock, in a fiber of the current scope, from the first instant or
 * after a first wait. A failed round is logged and the next one runs. Each round is a span named `name` (`Worker.step`), marked as
 * background work (`background-work.ts`): a round reads the database before it messages entities.
 */
export const everyInterval = <R>(
  name: string,
  intervalMs: number,
  round: Effect.Effect<void, unknown, R>,
  first: "round" | "wait",
): Effect.Effect<void, never, Scope.Scope | R> => {
  const logged = round.pipe(
    Effect.catchAllCause((cause) => Effect.logWarning(`${name} failed`, cause)),
    asBackgroundWork(name),
  )
  const wait = Effect.sleep(Duration.millis(intervalMs))
  return (first === "round" ? Effect.zipRight(logged, wait) : Effect.zipRight(wait, logged)).pipe(
    Effect.forever,
    Effect.forkScoped,
    Effect.asVoid,
  )
}

/**
 * The runners' sweeps: every `intervalMs` (after a first wait), `find` reads what needs a nudge and `tell` sends each
 * its message without waiting. A message that cannot be sent is logged (at debug: the next round asks again) and the
 * others still go.
 */
export const tellEveryInterval = <A, R>(
  name: string,
  intervalMs: number,
  find: Effect.Effect<ReadonlyArray<A>, unknown, R>,
  tell: (found: A) => Effect.Effect<unknown, unknown>,
): Effect.Effect<void, never, Scope.Scope | R> =>
  everyInterval(
    name,
    intervalMs,
    Effect.flatMap(find, (found) =>
      Effect.forEach(
        found,
        (one) =>
          tell(one).pipe(
            Effect.catchAllCause((cause) =>
              Effect.logDebug(`${name}: ${typeof one === "string" ? one : JSON.stringify(one)} not told`, cause),
            ),
          ),
        { discard: true },
      ),
    ),
    "wait",
  )
