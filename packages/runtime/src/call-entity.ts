import { Entity } from "@effect/cluster"
import { Carrier } from "@ringmaster/carrier"
import { type AgentId, CallId, callPhase, emptyCallFacts, LeadId, newId, OfferId, recordFact } from "@ringmaster/domain"
import {
  AgentEntity,
  CallEntity,
  CampaignEntity,
  type CarrierEvent,
  CommandRefused,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  addCallbackTask,
  appendLeadEvent,
  findCall,
  findInboundNumber,
  findLeadIdByPhone,
  insertCall,
  insertLead,
  isBlacklisted,
  leadTimeZone,
  liveOutboundCalls,
  logCallEvent,
  logCallNote,
  saveCallFacts,
  setCallAgent,
  setCallSource,
  setCarrierCallId,
  type CallRow,
} from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { factOf } from "./call-facts.js"
import { DialGate } from "./compliance/dial-gate.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

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
    const campaigns = yield* CampaignEntity.client
    const self = yield* CallEntity.client
    const configs = yield* TenantConfigs

    let call: CallRow | null = yield* findCall(callId).pipe(Effect.orDie, Effect.map(Option.getOrNull))
    /** Agents an inbound call is ringing; the first to claim it takes it. */
    const ringing = new Set<AgentId>()
    let answeredBy: AgentId | null = call?.agentId ?? null
    const ringOfferId = OfferId.make(`inbound:${callId}`)

    const stopRinging = (reason: "taken" | "cancelled", except: AgentId | null) =>
      Effect.forEach(
        Array.from(ringing).filter((a) => a !== except),
        (a) => orDieOnClusterFailure(agents(a).Withdraw({ offerId: ringOfferId, reason }, { discard: true })),
        { discard: true },
      ).pipe(Effect.zipRight(Effect.sync(() => ringing.clear())))

    const refuse = (code: string, message: string) => new CommandRefused({ code, message })

    const applyCarrierEvent = (event: CarrierEvent) =>
      Effect.gen(function* () {
        if (call === null) return
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
      })

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

      Carrier: ({ payload }) => applyCarrierEvent(payload.event),
      CarrierLocal: ({ payload }) => applyCarrierEvent(payload.event),

      Inbound: ({ payload }) =>
        Effect.gen(function* () {
          const event = payload.event
          if (call !== null || event._tag !== "CallInitiated") return
          const now = yield* Clock.currentTimeMillis
          const line = yield* findInboundNumber(event.to).pipe(Effect.orDie)
          if (Option.isNone(line)) {
            yield* Effect.logWarning(`inbound call to ${event.to}, a number no tenant has: refused`)
            return yield* carrier.hangup(event.carrierCallId).pipe(Effect.ignore)
          }
          const { tenantId, campaignId, source } = line.value
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          const existing = yield* findLeadIdByPhone(tenantId, event.from).pipe(Effect.orDie)
          let leadId = Option.getOrNull(existing)
          const blacklisted = yield* isBlacklisted(tenantId, event.from).pipe(Effect.orDie)
          if (leadId === null && !blacklisted) {
            const leadType = Array.from(config.leadTypes.values())[0]
            if (leadType !== undefined) {
              leadId = newId(LeadId)
              yield* insertLead({
                id: leadId,
                tenantId,
                campaignId,
                leadTypeId: leadType.id,
                statusId: leadType.initialStatusId,
                name: `Caller ${event.from}`,
                phone: event.from,
                email: null,
                notes: `Called ${source} (${event.to})`,
                now,
              }).pipe(Effect.orDie)
            }
          }
          const row: CallRow = {
            id: callId,
            tenantId,
            campaignId,
            leadId,
            agentId: null,
            direction: "inbound",
            from: event.from,
            to: event.to,
            carrierCallId: event.carrierCallId,
            phase: "Ringing",
            facts: emptyCallFacts,
            createdAt: now,
          }
          yield* insertCall(row).pipe(Effect.orDie)
          yield* setCallSource(callId, source).pipe(Effect.orDie)
          yield* logCallEvent(tenantId, callId, event, now).pipe(Effect.orDie)
          call = row
          if (blacklisted) {
            yield* logCallNote(
              tenantId,
              callId,
              "rejected",
              "Rejected",
              { reason: "blacklisted", from: event.from },
              now,
            ).pipe(Effect.orDie)
            return yield* carrier.hangup(event.carrierCallId).pipe(Effect.ignore)
          }
          if (leadId === null) return yield* carrier.hangup(event.carrierCallId).pipe(Effect.ignore)
          yield* appendLeadEvent(tenantId, leadId, now, "inbound-call", { callId, source, did: event.to }).pipe(
            Effect.orDie,
          )
          // A dial to this lead already in progress gives way: the person is calling us.
          for (const outbound of yield* liveOutboundCalls(leadId).pipe(Effect.orDie)) {
            yield* orDieOnClusterFailure(self(outbound).CancelForCollision({ inboundCallId: callId }))
          }
          const rung = yield* orDieOnClusterFailure(
            campaigns(campaignId).ReserveForInbound({ max: config.settings.inboundRingAgents }),
          )
          const expiresAt = now + config.settings.inboundRingTimeoutMs
          for (const agentId of rung) {
            ringing.add(agentId)
            yield* orDieOnClusterFailure(
              agents(agentId).Ring({ callId, campaignId, leadId, expiresAt }, { discard: true }),
            )
          }
          yield* orDieOnClusterFailure(
            self(callId).RingTimeout(new TimerPayload({ key: `ring:${callId}`, at: expiresAt }), { discard: true }),
          )
        }),

      ClaimInbound: ({ payload }) =>
        Effect.gen(function* () {
          const current = call
          if (current === null || current.direction !== "inbound") return false
          const { leadId, campaignId } = current
          if (leadId === null || campaignId === null) return false
          if (answeredBy !== null || current.phase === "Ended" || !ringing.has(payload.agentId)) return false
          answeredBy = payload.agentId
          const answered = yield* carrier.answer(current.carrierCallId ?? "", callId).pipe(Effect.either)
          if (answered._tag === "Left") {
            answeredBy = null
            return false
          }
          yield* setCallAgent(callId, payload.agentId).pipe(Effect.orDie)
          call = { ...current, agentId: payload.agentId }
          yield* orDieOnClusterFailure(campaigns(campaignId).TakeForInbound({ leadId, agentId: payload.agentId }))
          yield* stopRinging("taken", payload.agentId)
          return true
        }),

      RingTimeout: () =>
        Effect.gen(function* () {
          if (call === null || answeredBy !== null || call.phase === "Ended") return
          const now = yield* Clock.currentTimeMillis
          // Nobody answered: the caller hears the closing message as the call ends, and someone calls back.
          yield* stopRinging("cancelled", null)
          if (call.carrierCallId !== null) yield* carrier.hangup(call.carrierCallId).pipe(Effect.ignore)
          if (call.leadId !== null) {
            yield* addCallbackTask({
              tenantId: call.tenantId,
              leadId: call.leadId,
              callId,
              reason: "missed inbound call",
              now,
            }).pipe(Effect.orDie)
            yield* appendLeadEvent(call.tenantId, call.leadId, now, "callback-task", {
              callId,
              reason: "no agent answered",
            }).pipe(Effect.orDie)
          }
        }),

      CancelForCollision: ({ payload }) =>
        Effect.gen(function* () {
          if (call === null || call.phase === "Ended" || call.carrierCallId === null) return
          const now = yield* Clock.currentTimeMillis
          const note = "Outbound cancelled - inbound collision"
          yield* logCallNote(
            call.tenantId,
            callId,
            `collision:${payload.inboundCallId}`,
            "OutboundCancelled",
            { note, inboundCallId: payload.inboundCallId },
            now,
          ).pipe(Effect.orDie)
          if (call.leadId !== null) {
            yield* appendLeadEvent(call.tenantId, call.leadId, now, "attempt-cancelled", { callId, note }).pipe(
              Effect.orDie,
            )
          }
          const answered = call.facts.answeredAt !== null
          yield* (answered ? carrier.hangup(call.carrierCallId) : carrier.cancel(call.carrierCallId)).pipe(
            Effect.ignore,
          )
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
