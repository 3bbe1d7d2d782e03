import type { AgentId } from "@ringmaster/domain"
import type { ServerMessage } from "@ringmaster/protocol"
import { AgentPush } from "@ringmaster/runtime"
import { Effect, Layer } from "effect"

export type PushObserver = (agentId: AgentId, message: ServerMessage, at: number) => void

/**
 * `AgentPush.layerLocal` (what the server runs in one process), with every published message shown to `observe`
 * first, stamped with `performance.now()` at the moment the entity publishes it.
 */
export const observedAgentPush = (observe: PushObserver): Layer.Layer<AgentPush> =>
  Layer.effect(
    AgentPush,
    Effect.map(AgentPush, (inner) =>
      AgentPush.of({
        publish: (agentId, message) =>
          Effect.suspend(() => {
            observe(agentId, message, performance.now())
            return inner.publish(agentId, message)
          }),
        subscribe: inner.subscribe,
      }),
    ),
  ).pipe(Layer.provide(AgentPush.layerLocal))
