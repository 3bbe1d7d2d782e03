import type { TenantId, UserId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { Context, Effect, Layer, Queue, type Scope } from "effect"

/**
 * The way from entities to the consoles: an entity publishes a message on a channel — an agent's id,
 * `userChannel(userId)` for a supervisor, or `tenantChannel(tenantId)` for every supervisor of a tenant — and every
 * gateway connection on that channel receives it.
 * `layerLocal` serves one process.
 */
export class AgentPush extends Context.Tag("@ringmaster/runtime/AgentPush")<
  AgentPush,
  {
    readonly publish: (channel: string, message: ServerMessage) => Effect.Effect<void>
    readonly subscribe: (channel: string) => Effect.Effect<Queue.Dequeue<ServerMessage>, never, Scope.Scope>
    /**
     * A signal each time messages for this process's consoles may have gone by unheard (its connection to the other
     * runners was lost, and listens again): a console should then be sent its state afresh.
     */
    readonly gaps: Effect.Effect<Queue.Dequeue<void>, never, Scope.Scope>
    /** Completes once this process's consoles hear every message meant for them: a console connects only then. */
    readonly ready: Effect.Effect<void>
  }
>() {
  static readonly layerLocal = Layer.sync(AgentPush, () => {
    // one process hears every message it publishes: no gap
    const gaps = Effect.acquireRelease(Queue.unbounded<void>(), Queue.shutdown)
    const subscribers = new Map<string, Set<Queue.Queue<ServerMessage>>>()
    return {
      publish: (channel, message) =>
        Effect.forEach(subscribers.get(channel) ?? [], (queue) => Queue.offer(queue, message), { discard: true }),
      subscribe: (channel) =>
        Effect.acquireRelease(
          Effect.gen(function* () {
            const queue = yield* Queue.unbounded<ServerMessage>()
            const set = subscribers.get(channel) ?? new Set()
            set.add(queue)
            subscribers.set(channel, set)
            return queue
          }),
          (queue) =>
            Effect.gen(function* () {
              const set = subscribers.get(channel)
              set?.delete(queue)
              if (set?.size === 0) subscribers.delete(channel)
              yield* Queue.shutdown(queue)
            }),
        ),
      gaps,
      ready: Effect.void,
    }
  })
}

/** The push channel of a user who is not (only) an agent: supervisors' alerts. */
export const userChannel = (userId: UserId | string): string => `user:${userId}`

/** The push channel every supervisor console of a tenant listens to: agents' state changes. */
export const tenantChannel = (tenantId: TenantId | string): string => `tenant:${tenantId}`
