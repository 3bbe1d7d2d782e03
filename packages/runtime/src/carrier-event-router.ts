import { Carrier } from "@ringmaster/carrier"
import { SqlClient } from "@effect/sql"
import { Sharding } from "@effect/cluster"
import { Effect, Layer, Stream } from "effect"
import { asBackgroundWork } from "./background-work.js"
import { routeCarrierEvent } from "./carrier-event-route.js"

/**
 * Hands every event of a carrier that pushes its events (the simulated carrier) to its Call entity, or to its Agent
 * entity for an agent's own leg. Telnyx's events come through the webhook ingress, which routes them the same way.
 */
export const CarrierEventRouterLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const carrier = yield* Carrier
    const context = yield* Effect.context<SqlClient.SqlClient | Sharding.Sharding>()
    yield* carrier.events.pipe(
      Stream.runForEach((event) =>
        routeCarrierEvent(event, "local").pipe(
          Effect.provide(context),
          Effect.tap((outcome) =>
            outcome === "unknown-call"
              ? Effect.logDebug(`carrier event for no known call: ${event._tag}`)
              : Effect.void,
          ),
          Effect.catchAllCause((cause) => Effect.logError("carrier event not handed off", cause)),
          asBackgroundWork("CarrierEventRouter.route"),
        ),
      ),
      Effect.forkScoped,
    )
  }),
)
