import { Carrier } from "@ringmaster/carrier"
import { CallEntity } from "@ringmaster/protocol"
import { Effect, Layer, Stream } from "effect"

/**
 * Hands every carrier event to its Call entity. The simulated carrier and (later) the webhook ingress both
 * end here; the message is persisted and keyed by the event id, so a repeat is answered, not applied twice.
 */
export const CarrierEventRouterLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const carrier = yield* Carrier
    const calls = yield* CallEntity.client
    yield* carrier.events.pipe(
      Stream.runForEach((event) =>
        event.callId === null
          ? Effect.logDebug("inbound carrier event without a call id", event)
          : calls(event.callId)
              .Carrier({ event }, { discard: true })
              .pipe(Effect.catchAllCause((cause) => Effect.logError("carrier event not handed off", cause))),
      ),
      Effect.forkScoped,
    )
  }),
)
