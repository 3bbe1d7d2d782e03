import { Console, Duration, Effect, ExecutionStrategy, Scope } from "effect"

/**
 * Runs `use` with a scope of its own, closed as soon as `use` ends (succeeded, failed or interrupted) rather than
 * with the enclosing scope. The close waits at most `limit`: a finalizer that hangs is left behind, logged, so
 * what the enclosing scope releases next (e.g. dropping the database) still happens.
 */
export const withChildScope = <A, E, R>(
  what: string,
  limit: Duration.DurationInput,
  use: (scope: Scope.Scope) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R | Scope.Scope> =>
  Effect.gen(function* () {
    const child = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    return yield* use(child).pipe(
      Effect.onExit((exit) =>
        Scope.close(child, exit).pipe(
          Effect.disconnect,
          // onExit runs uninterruptibly: the timeout could not interrupt the close without this.
          Effect.interruptible,
          Effect.timeout(limit),
          Effect.timed,
          Effect.flatMap(([took]) => Console.error(`${what} shut down in ${Duration.format(took)}`)),
          Effect.catchAll(() =>
            Effect.logWarning(`${what} did not shut down within ${Duration.format(Duration.decode(limit))}; going on`),
          ),
        ),
      ),
    )
  })
