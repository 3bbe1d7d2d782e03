import { AlreadyProcessingMessage, MailboxFull, PersistenceError } from "@effect/cluster/ClusterError"
import { Effect } from "effect"

type ClusterFailure = MailboxFull | AlreadyProcessingMessage | PersistenceError

const isClusterFailure = (e: unknown): e is ClusterFailure =>
  e instanceof MailboxFull || e instanceof AlreadyProcessingMessage || e instanceof PersistenceError

/**
 * A message between entities that the cluster cannot deliver is a fault of the infrastructure, not an answer
 * of the entity: it becomes a defect, so the sending handler fails and its own message is retried.
 */
export const orDieOnClusterFailure = <A, E, R>(
  self: Effect.Effect<A, E, R>,
): Effect.Effect<A, Exclude<E, ClusterFailure>, R> =>
  Effect.catchIf(self, isClusterFailure, (e) => Effect.die(e)) as Effect.Effect<A, Exclude<E, ClusterFailure>, R>
