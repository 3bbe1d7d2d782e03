import type { ServerMessage } from "@ringmaster/protocol"
import { AgentPush } from "@ringmaster/runtime"
import { Effect, Layer } from "effect"

/** `channel` is an agent id for the messages of an agent's consoles. */
export type PushObserver = (channel: string, message: ServerMessage, at: number) => void

/**
 * `AgentPush.layerLocal` (what the server runs in one process), with every published message shown to `observe`
 * first, stamped with `performance.now()` at the moment the entity publishes it.
 */
export const observedAgentPush = (observe: PushObserver): Layer.Layer<AgentPush> =>
  Layer.effect(
    AgentPush,
    Effect.map(AgentPush, (inner) =>
      AgentPush.of({
        publish: (channel: string, message: ServerMessage) =>
          Effect.suspend(() => {
            observe(channel, message, performance.now())
            return inner.publish(channel, message)
          }),
        subscribe: inner.subscribe,
        gaps: inner.gaps,
        ready: inner.ready,
      }),
    ),
  ).pipe(Layer.provide(AgentPush.layerLocal))
