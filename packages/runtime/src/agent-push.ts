import type { AgentId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { Context, Effect, Layer, PubSub, Queue, type Scope } from "effect"

/**
 * The way from entities to the agents' consoles: an entity publishes a message for an agent, and every
 * gateway connection of that agent receives it. `layerLocal` serves one process.
 */
export class AgentPush extends Context.Tag("@ringmaster/runtime/AgentPush")<
  AgentPush,
  {
    readonly publish: (agentId: AgentId, message: ServerMessage) => Effect.Effect<void>
    readonly subscribe: (agentId: AgentId) => Effect.Effect<Queue.Dequeue<ServerMessage>, never, Scope.Scope>
  }
>() {
  static readonly layerLocal = Layer.effect(
    AgentPush,
    Effect.gen(function* () {
      const hub = yield* PubSub.unbounded<{ readonly agentId: AgentId; readonly message: ServerMessage }>()
      return {
        publish: (agentId, message) => PubSub.publish(hub, { agentId, message }).pipe(Effect.asVoid),
        subscribe: (agentId) =>
          Effect.gen(function* () {
            const all = yield* PubSub.subscribe(hub)
            const mine = yield* Queue.unbounded<ServerMessage>()
            yield* Effect.forkScoped(
              Effect.forever(
                Effect.flatMap(Queue.take(all), (item) =>
                  item.agentId === agentId ? Queue.offer(mine, item.message) : Effect.void,
                ),
              ),
            )
            return mine
          }),
      }
    }),
  )
}
