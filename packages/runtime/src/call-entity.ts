import { Entity } from "@effect/cluster"
import { Carrier } from "@ringmaster/carrier"
import { CallId, callPhase, emptyCallFacts, recordFact } from "@ringmaster/domain"
import { AgentEntity, CallEntity, CommandRefused } from "@ringmaster/protocol"
import {
  findCall,
  insertCall,
  leadTimeZone,
  logCallEvent,
  saveCallFacts,
  setCarrierCallId,
  type CallRow,
} from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { factOf } from "./call-facts.js"
import { DialGate } from "./compliance/dial-gate.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"

/** Seconds a call rings before we give up: at least 15 s (or 4 rings) by the rules on abandonment. */
const RING_TIMEOUT_SECS = 30

/**
 * The Call entity: one call. Its state is a merge of facts from carrier events, so a duplicate or a late
 * event changes nothing it should not; every event is written to the call's log once.
 */
export const CallEntityLive = CallEntity.toLayer(
  Effect.gen(function* () {
    const address = yield* Entity.CurrentAddress
    const callId = CallId.make(address.entityId)
    const carrier = yield* Carrier
    const gate = yield* DialGate
    const agents = yield* AgentEntity.client

    let call: CallRow | null = yield* findCall(callId).pipe(Effect.orDie, Effect.map(Option.getOrNull))

    const refuse = (code: string, message: string) => new CommandRefused({ code, message })

    return CallEntity.of({
      Place: ({ payload }) =>
        Effect.gen(function* () {
          if (call !== null) return
          // Every dial passes the compliance gate first; a refusal is recorded there and its reason goes back.
          const decision = yield* gate
            .check({
              tenantId: payload.tenantId,
              leadId: payload.leadId,
              phone: payload.to,
              leadTimeZone: yield* leadTimeZone(payload.tenantId, payload.leadId).pipe(Effect.orDie),
              agentId: payload.agentId,
              callId,
            })
            .pipe(Effect.orDie)
          if (decision._tag === "Blocked") return yield* refuse(`dial-blocked:${decision.reason}`, decision.message)
          const now = yield* Clock.currentTimeMillis
          const row: CallRow = {
            id: callId,
            tenantId: payload.tenantId,
            campaignId: payload.campaignId,
            leadId: payload.leadId,
            agentId: payload.agentId,
            direction: "outbound",
            from: payload.from,
            to: payload.to,
            carrierCallId: null,
            phase: "Dialing",
            facts: emptyCallFacts,
            createdAt: now,
          }
          yield* insertCall(row).pipe(Effect.orDie)
          call = row
          const dialed = yield* carrier
            .dial({
              callId,
              from: payload.from,
              to: payload.to,
              amd: "disabled",
              ringTimeoutSecs: RING_TIMEOUT_SECS,
              commandId: callId,
            })
            .pipe(Effect.mapError((e) => refuse("dial-failed", `the carrier refused the dial: ${e.message}`)))
          yield* setCarrierCallId(callId, dialed.carrierCallId).pipe(Effect.orDie)
          call = { ...row, carrierCallId: dialed.carrierCallId }
        }),

      Carrier: ({ payload }) =>
        Effect.gen(function* () {
          if (call === null) return
          const event = payload.event
          const now = yield* Clock.currentTimeMillis
          const fresh = yield* logCallEvent(call.tenantId, callId, event, now).pipe(Effect.orDie)
          if (!fresh) return
          const fact = factOf(event)
          if (fact === null) return
          const facts = recordFact(call.facts, fact)
          const phase = callPhase(facts)
          const carrierCallId = call.carrierCallId ?? event.carrierCallId
          yield* saveCallFacts(callId, facts, phase).pipe(Effect.orDie)
          const changed = phase !== call.phase
          call = { ...call, facts, phase, carrierCallId }
          if (changed && call.agentId !== null) {
            yield* orDieOnClusterFailure(agents(call.agentId).CallChanged({ callId, phase }, { discard: true }))
          }
        }),

      Hangup: () =>
        Effect.gen(function* () {
          if (call === null) return yield* refuse("no-call", `call ${callId} does not exist`)
          if (call.phase === "Ended" || call.carrierCallId === null) return
          const carrierCallId = call.carrierCallId
          const answered = call.facts.answeredAt !== null
          yield* (answered ? carrier.hangup(carrierCallId) : carrier.cancel(carrierCallId)).pipe(
            Effect.mapError((e) => refuse("hangup-failed", `the carrier refused the hangup: ${e.message}`)),
          )
        }),
    })
  }),
)
