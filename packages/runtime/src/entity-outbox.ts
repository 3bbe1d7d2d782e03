import { Context, Effect, Layer } from "effect"
import { asBackgroundWork } from "./background-work.js"

/**
 * Fire-and-forget messages from one entity to another, in order for each receiver, without the sender waiting for the
 * receiver.
 *
 * Why it exists: in @effect/cluster 0.60 a message that is not persisted, sent with `discard: true` to an entity on
 * another runner, still goes through the request that waits for the receiver's reply; only a receiver on the same
 * runner is just handed the message. An entity that tells another something while that other one asks it something
 * (the Call tells the Agent its call was bridged while the Agent asks the Call to hang up) then waits for it forever:
 * each handler waits for the other, and both mailboxes are stuck behind them. Through the outbox the sender's handler
 * goes on at once and the message is delivered by a fiber of the runner, after the ones to the same receiver before
 * it. Persisted messages do not need it: they are stored, not waited for.
 */
export class EntityOutbox extends Context.Tag("@ringmaster/runtime/EntityOutbox")<
  EntityOutbox,
  {
    /**
     * Delivers `send` (a `discard: true` send) after every message told to `receiver` before it, and returns at once.
     * `receiver` names the entity (e.g. `Agent/<id>`); a delivery that fails is logged and the next one goes on.
     */
    readonly tell: <E>(receiver: string, send: Effect.Effect<void, E>) => Effect.Effect<void>
  }
>() {
  /** One outbox a runner, its deliveries bound to the runner's life. */
  static readonly layer = Layer.scoped(
    EntityOutbox,
    Effect.gen(function* () {
      const scope = yield* Effect.scope
      // The messages waiting for each receiver that has a delivery under way.
      const lanes = new Map<string, Array<Effect.Effect<void>>>()

      const deliverAll = (receiver: string, lane: Array<Effect.Effect<void>>) =>
        Effect.gen(function* () {
          for (;;) {
            const next = lane.shift()
            if (next === undefined) {
              lanes.delete(receiver)
              return
            }
            yield* next
          }
        }).pipe(asBackgroundWork("EntityOutbox.deliver"))

      return EntityOutbox.of({
        tell: (receiver, send) =>
          Effect.suspend(() => {
            const logged = send.pipe(
              Effect.catchAllCause((cause) => Effect.logWarning(`a message to ${receiver} was not delivered`, cause)),
            )
            const lane = lanes.get(receiver)
            if (lane !== undefined) {
              lane.push(logged)
              return Effect.void
            }
            const started = [logged]
            lanes.set(receiver, started)
            return Effect.asVoid(Effect.forkIn(deliverAll(receiver, started), scope))
          }),
      })
    }),
  )
}
