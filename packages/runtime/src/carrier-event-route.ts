import { CallId } from "@ringmaster/domain"
import { AgentEntity, agentLegCallIdPrefix, CallEntity, type CarrierEvent } from "@ringmaster/protocol"
import { findAgentIdByLegCallId, findCallIdByCarrierId } from "@ringmaster/store"
import { Effect, Option } from "effect"
import { createHash } from "node:crypto"
import { orDieOnClusterFailure } from "./cluster-errors.js"

/** Our id for an inbound call, derived from the carrier's so that a repeated webhook reaches the same entity. */
export const inboundCallId = (carrierCallId: string): CallId =>
  CallId.make(`in-${createHash("sha256").update(carrierCallId).digest("hex").slice(0, 40)}`)

/** Whether our call id names an agent's own leg rather than a call with a customer. */
export const isAgentLegCallId = (callId: CallId): boolean => callId.startsWith(agentLegCallIdPrefix)

/**
 * Hands an event of an agent's leg to the Agent entity whose current leg it is; an event of a leg the agent has
 * since hung up or replaced finds no agent.
 */
const routeAgentLegEvent = (legCallId: CallId, event: CarrierEvent, delivery: "durable" | "local") =>
  Effect.gen(function* () {
    const agentId = yield* findAgentIdByLegCallId(legCallId)
    if (Option.isNone(agentId)) return "unknown-call" as const
    const agent = (yield* AgentEntity.client)(agentId.value)
    yield* orDieOnClusterFailure(
      delivery === "durable"
        ? agent.LegCarrier({ event }, { discard: true })
        : agent.LegCarrierLocal({ event }, { discard: true }),
    )
    return "applied" as const
  })

/**
 * Hands a carrier event to its Call entity: by our call id (client_state), else by the carrier's call id, else —
 * for a call that starts outside — to a new inbound Call. An event of an agent's leg (our call id says so) goes to
 * that agent instead. A `durable` delivery (a webhook) is a persisted message keyed by the event id, stored before
 * the sender is answered; a `local` one (a carrier in this process, which cannot redeliver) skips that cost. Either
 * way the receiver de-duplicates. Returns what was done.
 */
export const routeCarrierEvent = (event: CarrierEvent, delivery: "durable" | "local" = "durable") =>
  Effect.gen(function* () {
    if (event.callId !== null && isAgentLegCallId(event.callId)) {
      return yield* routeAgentLegEvent(event.callId, event, delivery)
    }
    const calls = yield* CallEntity.client
    const known = event.callId !== null ? Option.some(event.callId) : yield* findCallIdByCarrierId(event.carrierCallId)
    if (Option.isSome(known)) {
      const call = calls(known.value)
      yield* orDieOnClusterFailure(
        delivery === "durable"
          ? call.Carrier({ event }, { discard: true })
          : call.CarrierLocal({ event }, { discard: true }),
      )
      return "applied" as const
    }
    if (event._tag === "CallInitiated" && event.direction === "inbound") {
      yield* orDieOnClusterFailure(calls(inboundCallId(event.carrierCallId)).Inbound({ event }, { discard: true }))
      return "inbound" as const
    }
    return "unknown-call" as const
  })
