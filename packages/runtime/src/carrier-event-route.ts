import { CallId } from "@ringmaster/domain"
import { CallEntity, type CarrierEvent } from "@ringmaster/protocol"
import { findCallIdByCarrierId } from "@ringmaster/store"
import { Effect, Option } from "effect"
import { createHash } from "node:crypto"
import { orDieOnClusterFailure } from "./cluster-errors.js"

/** Our id for an inbound call, derived from the carrier's so that a repeated webhook reaches the same entity. */
export const inboundCallId = (carrierCallId: string): CallId =>
  CallId.make(`in-${createHash("sha256").update(carrierCallId).digest("hex").slice(0, 40)}`)

/**
 * Hands a carrier event to its Call entity: by our call id (client_state), else by the carrier's call id, else —
 * for a call that starts outside — to a new inbound Call. Persisted messages keyed by the event id: a duplicate is
 * answered, not applied twice. Returns what was done, for the webhook's reply and the logs.
 */
export const routeCarrierEvent = (event: CarrierEvent) =>
  Effect.gen(function* () {
    const calls = yield* CallEntity.client
    const known = event.callId !== null ? Option.some(event.callId) : yield* findCallIdByCarrierId(event.carrierCallId)
    if (Option.isSome(known)) {
      yield* orDieOnClusterFailure(calls(known.value).Carrier({ event }, { discard: true }))
      return "applied" as const
    }
    if (event._tag === "CallInitiated" && event.direction === "inbound") {
      yield* orDieOnClusterFailure(calls(inboundCallId(event.carrierCallId)).Inbound({ event }, { discard: true }))
      return "inbound" as const
    }
    return "unknown-call" as const
  })
