import { Duration, Effect } from "effect"

/**
 * How long a console's command may wait for its entity's answer. An entity on a runner that has just lost its
 * database, or gone, may never answer (its process leaves with the request); its shards move to the other runners
 * within about 10 s, so a command tried again after this long reaches the entity where it lives now.
 */
export const COMMAND_PATIENCE = Duration.seconds(15)

/** A command that got no answer in time: it may or may not have been carried out. */
export interface CommandTimedOut {
  readonly _tag: "CommandTimedOut"
  readonly code: "timeout"
  readonly message: string
}

/** `command`, or a `CommandTimedOut` failure once `patience` has passed without its answer. */
export const withCommandPatience = <A, E>(
  command: Effect.Effect<A, E>,
  patience: Duration.Duration = COMMAND_PATIENCE,
) =>
  Effect.timeoutFail(command, {
    duration: patience,
    onTimeout: (): CommandTimedOut => ({
      _tag: "CommandTimedOut",
      code: "timeout",
      message:
        `no answer within ${Duration.format(patience)}: the command may not have been carried out; ` +
        "check your state and try again",
    }),
  })
