import { Entity } from "@effect/cluster"
import { Carrier } from "@ringmaster/carrier"
import {
  type AgentId,
  type AmdMode,
  amdVerdict,
  type AutoDialResult,
  type CallFacts,
  CallId,
  type CampaignId,
  callPhase,
  E164,
  emptyCallFacts,
  LeadId,
  OfferId,
  recordFact,
  type TenantId,
  type TenantSettings,
  unansweredResult,
} from "@ringmaster/domain"
import {
  AgentEntity,
  CallEntity,
  CampaignEntity,
  type CarrierEvent,
  type HangupCause,
  CommandRefused,
  type ConnectDecision,
  LeadEntity,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  addCallbackTask,
  appendLeadEvent,
  agentsShowingOffer,
  findCallWithDial,
  clearCallAgent,
  findCampaign,
  markCallAbandoned,
  setAutoDialConnected,
  setDialResult,
  insertCall,
  isBlacklisted,
  liveOutboundCalls,
  logCallEventWithFacts,
  logCallNote,
  saveCallFacts,
  setCallAgent,
  setCarrierCallId,
  type CallRow,
} from "@ringmaster/store"
import { Clock, Effect, Option } from "effect"
import { factOf } from "./call-facts.js"
import { EntityOutbox } from "./entity-outbox.js"
import { recordInboundCall } from "./inbound-call-record.js"
import { leaveAfterNoAnswer, playNoAnswerMessage } from "./inbound-no-answer.js"
import { DialGate } from "./compliance/dial-gate.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

/** Seconds a call rings before we give up: at least 15 s (or 4 rings) by the rules on abandonment. */
const RING_TIMEOUT_SECS = 30

/**
 * An outbound call still dialling or ringing this long after it was placed is lost: the carrier ends a ring at the
 * ring timeout, so no answer is coming (the carrier connection that had it went away with its process).
 */
export const LOST_AFTER_MS = (RING_TIMEOUT_SECS + 30) * 1_000

/** A dial the carrier has said nothing about (not even that it started) this long after it was placed is lost. */
export const UNHEARD_LOST_AFTER_MS = 20_000

/** A person who answered an automatic dial is abandoned when no agent is connected within this time. */
export const ABANDON_AFTER_MS = 2_000

/** How an automatic dial behaves, from its campaign's settings when it was placed. */
interface AutoDial {
  readonly amdEnabled: boolean
  readonly notSureAs: "human" | "machine"
  readonly machineMessage: string | null
  readonly abandonMessage: string
}

const autoDialOf = (s: {
  readonly amdMode: string
  readonly notSureAs: "human" | "machine"
  readonly machineMessage: string | null
  readonly abandonMessage: string
}): AutoDial => ({
  amdEnabled: s.amdMode !== "disabled",
  notSureAs: s.notSureAs,
  machineMessage: s.machineMessage,
  abandonMessage: s.abandonMessage,
})

/** What an agent's dial and an automatic one both say of the call to place. */
interface OutboundDial {
  readonly tenantId: TenantId
  readonly leadId: LeadId
  readonly campaignId: CampaignId
  readonly to: E164
  readonly from: E164
}

/** How an automatic dial that reached no agent ended: a machine answered, or why nobody did. */
const endResult = (facts: CallFacts, dial: AutoDial): AutoDialResult =>
  amdVerdict(facts, { amdEnabled: dial.amdEnabled, notSureAs: dial.notSureAs }) === "machine"
    ? "machine"
    : unansweredResult(facts.hangupCause)

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
    const outbox = yield* EntityOutbox
    const self = yield* CallEntity.client
    const configs = yield* TenantConfigs

    let call: CallRow | null = null
    /** Agents an inbound call is ringing; the first to claim it takes it. */
    const ringing = new Set<AgentId>()
    let answeredBy: AgentId | null = null
    const ringOfferId = OfferId.make(`inbound:${callId}`)

    const leads = yield* LeadEntity.client
    /** Set on an automatic dial: it has no agent until a person answers. */
    let auto: AutoDial | null = null
    /** Where an automatic dial stands: asked the campaign for an agent, waiting for one, over (reported). */
    let askedForAgent = false
    let waitingSince: number | null = null
    /** When the person answered (the 2 s to connect an agent run from here). */
    let answeredAt: number | null = null
    let reported = false
    /** The dial result the call's row holds (written with the event or the connection that decided it). */
    let savedResult: AutoDialResult | null = null

    /**
     * The call as its row has it, read before the entity's first message, unless that message is a Place or a
     * PlaceAuto: those start a call whose id their sender has just made, so there is no row to read yet.
     */
    let restored = false
    /** A closing message is playing (abandonment, message left on a machine): hang up when it ends. */
    let closing = false
    const load = Effect.gen(function* () {
      restored = true
      const found = yield* findCallWithDial(callId).pipe(Effect.orDie, Effect.map(Option.getOrNull))
      if (found === null) return
      const row = found.call
      call = row
      answeredBy = row.agentId
      askedForAgent = row.agentId !== null
      reported = row.phase === "Ended" || found.dialResult !== null
      savedResult = found.dialResult
      // An inbound call still ringing (its entity left memory while it rang): the agents it rings are those showing it.
      if (row.direction === "inbound" && row.agentId === null && row.phase !== "Ended") {
        for (const agentId of yield* agentsShowingOffer(row.tenantId, ringOfferId).pipe(Effect.orDie)) {
          ringing.add(agentId)
        }
      }
      if (row.campaignId === null || !found.autoDialed) return
      const campaign = yield* findCampaign(row.campaignId).pipe(Effect.orDie)
      if (Option.isNone(campaign)) return
      const dial = autoDialOf({ ...campaign.value, notSureAs: campaign.value.amdNotSure })
      auto = dial
      if (row.phase === "Ended" || row.agentId !== null) return
      // The entity left memory (or its process went away) with the person still on the line and no agent: what
      // it was doing follows from the row. A person AMD heard is waiting for an agent until the dial is reported;
      // an abandoned person, or a machine with a message to leave, is hearing the closing message.
      const verdict = amdVerdict(row.facts, { amdEnabled: dial.amdEnabled, notSureAs: dial.notSureAs })
      if (verdict === "human" && !reported) {
        askedForAgent = true
        answeredAt = row.facts.amdAt ?? row.facts.answeredAt
        waitingSince = answeredAt
      }
      closing = found.dialResult === "abandoned" || (verdict === "machine" && dial.machineMessage !== null)
    })
    const restore = Effect.suspend(() => (restored ? Effect.void : load))
    /** A new call: nothing to read. */
    const fresh = Effect.sync(() => {
      restored = true
    })
    /** Withdraws the rings but `except`'s, and tells the campaign the call rings no more. */
    const stopRinging = (reason: "taken" | "cancelled", except: AgentId | null) =>
      Effect.gen(function* () {
        for (const a of ringing) {
          if (a === except) continue
          yield* outbox.tell(`Agent/${a}`, agents(a).Withdraw({ offerId: ringOfferId, reason }, { discard: true }))
        }
        ringing.clear()
        const campaignId = call?.campaignId ?? null
        if (campaignId === null) return
        yield* outbox.tell(
          `Campaign/${campaignId}`,
          campaigns(campaignId).InboundRingEnded({ callId, notRung: null }, { discard: true }),
        )
      })
    /** An inbound call's ring ends this long after it came in: its row says when, whichever process asks. */
    const ringEndOf = (row: CallRow, settings: TenantSettings) => row.createdAt + settings.inboundRingTimeoutMs
    const ringEnd = (row: CallRow) =>
      Effect.map(configs.get(row.tenantId).pipe(Effect.orDie), (c) => ringEndOf(row, c.settings))
    /** Whether `row`, an inbound call, still rings: nobody took it, it is not answered for its message nor ended. */
    const stillRings = (row: CallRow) =>
      Effect.gen(function* () {
        if (row.direction !== "inbound" || answeredBy !== null) return false
        if (row.facts.answeredAt !== null || row.facts.hangupAt !== null || row.phase === "Ended") return false
        return (yield* Clock.currentTimeMillis) < (yield* ringEnd(row))
      })
    /**
     * An inbound call no agent took: someone calls the caller back (one task a call, whatever ended it). The caller's
     * lead, if it waits for its next attempt, goes to the top of the queue for the next free agent.
     */
    const leaveCallbackTask = (reason: string, story: string) =>
      Effect.gen(function* () {
        if (call === null || call.leadId === null) return
        const now = yield* Clock.currentTimeMillis
        const input = { tenantId: call.tenantId, leadId: call.leadId, callId, reason, now }
        if (!(yield* addCallbackTask(input).pipe(Effect.orDie))) return
        yield* appendLeadEvent(call.tenantId, call.leadId, now, "callback-task", { callId, reason: story }).pipe(
          Effect.orDie,
        )
        if (call.campaignId === null) return
        yield* outbox.tell(
          `Campaign/${call.campaignId}`,
          campaigns(call.campaignId).CallBack({ leadId: call.leadId }, { discard: true }),
        )
      })

    /**
     * Rings a recorded inbound call's agents and sets its ring's end, which follows from the row, so that a second
     * delivery sets the same timer. A blacklisted caller, or one with no lead, is hung up on.
     */
    const ringInbound = (row: CallRow, blacklisted: boolean) =>
      Effect.gen(function* () {
        const { leadId, campaignId } = row
        if (blacklisted || leadId === null || campaignId === null) {
          return yield* carrier.hangup(row.carrierCallId ?? "").pipe(Effect.ignore)
        }
        // A dial to this lead already in progress gives way: the person is calling us.
        for (const outbound of yield* liveOutboundCalls(leadId).pipe(Effect.orDie)) {
          yield* orDieOnClusterFailure(self(outbound).CancelForCollision({ inboundCallId: callId }))
        }
        const { settings } = yield* configs.get(row.tenantId).pipe(Effect.orDie)
        const expiresAt = ringEndOf(row, settings)
        const rung = yield* orDieOnClusterFailure(
          campaigns(campaignId).ReserveForInbound({ callId, max: settings.inboundRingAgents, until: expiresAt }),
        )
        for (const agentId of rung) {
          ringing.add(agentId)
          yield* outbox.tell(
            `Agent/${agentId}`,
            agents(agentId).Ring({ callId, campaignId, leadId, expiresAt }, { discard: true }),
          )
        }
        yield* orDieOnClusterFailure(
          self(callId).RingTimeout(new TimerPayload({ key: `ring:${callId}`, at: expiresAt }), { discard: true }),
        )
      })

    const refuse = (code: string, message: string) => new CommandRefused({ code, message })

    const applyCarrierEvent = (event: CarrierEvent) =>
      Effect.gen(function* () {
        if (call === null) return
        const now = yield* Clock.currentTimeMillis
        // What the event tells of the call is written with the event itself, and only if the event is new.
        const fact = factOf(event)
        const facts = fact === null ? null : recordFact(call.facts, fact)
        const phase = facts === null ? call.phase : callPhase(facts)
        const dialResult = facts === null || auto === null ? null : unansweredEnd(facts, auto)
        const fresh = yield* logCallEventWithFacts({
          tenantId: call.tenantId,
          callId,
          event,
          receivedAt: now,
          facts: facts === null ? null : { facts, phase, dialResult: dialResult ?? undefined },
        }).pipe(Effect.orDie)
        if (!fresh) return
        if (dialResult !== null) savedResult = dialResult
        if (event._tag === "SpeakEnded" && call.direction === "inbound" && answeredBy === null) {
          // Only the no-answer message is spoken on an inbound call no agent took (told from the stored call, so a
          // restart while it plays changes nothing): once it ends the caller goes to voicemail, or is hung up on.
          const { settings } = yield* configs.get(call.tenantId).pipe(Effect.orDie)
          const voicemail = event.status === "completed" ? settings.inboundVoicemailNumber : null
          const carrierCallId = call.carrierCallId ?? event.carrierCallId
          yield* leaveAfterNoAnswer({ carrier, tenantId: call.tenantId, callId, carrierCallId }, voicemail)
        }
        if (event._tag === "SpeakEnded" && closing && call.carrierCallId !== null) {
          closing = false
          yield* carrier.hangup(call.carrierCallId).pipe(Effect.ignore)
        }
        if (facts === null) return
        const carrierCallId = call.carrierCallId ?? event.carrierCallId
        const changed = phase !== call.phase
        const rang = call.direction === "inbound" && answeredBy === null && call.facts.answeredAt === null
        call = { ...call, facts, phase, carrierCallId }
        if (rang && phase === "Ended") {
          // The caller gave up while it rang: the rings stop, and someone calls them back.
          yield* stopRinging("cancelled", null)
          yield* leaveCallbackTask("missed inbound call", "the caller hung up before an answer")
        }
        if (changed && call.agentId !== null) {
          yield* outbox.tell(
            `Agent/${call.agentId}`,
            agents(call.agentId).CallChanged({ callId, phase }, { discard: true }),
          )
        }
        if (auto !== null) yield* advanceAutoDial(auto)
      })

    /**
     * Ends the call here, as a hang-up with `cause` logged under `eventId`, when the carrier cannot tell us it ended
     * (it lost the call, or never answered the dial): the agent and the lead then move on as after the carrier's own.
     */
    const endWithoutCarrier = (eventId: string, cause: HangupCause) =>
      Effect.gen(function* () {
        if (call === null) return
        yield* applyCarrierEvent({
          _tag: "CallHangup",
          eventId,
          callId,
          carrierCallId: call.carrierCallId ?? "",
          direction: call.direction,
          at: yield* Clock.currentTimeMillis,
          cause,
        })
      })

    /** The carrier refused the dial: the attempt is on the call's log, and the call is over. */
    const endUnplaced = (message: string) =>
      Effect.gen(function* () {
        if (call === null) return
        const now = yield* Clock.currentTimeMillis
        yield* logCallNote(call.tenantId, callId, "dial-failed", "DialFailed", { message }, now).pipe(Effect.orDie)
        const facts = { ...call.facts, hangupAt: now, hangupCause: "dial_failed" }
        yield* saveCallFacts(callId, facts, "Ended").pipe(Effect.orDie)
        call = { ...call, facts, phase: "Ended" }
      })

    /** Tells the lead and the campaign how an automatic dial ended; once. */
    const report = (result: AutoDialResult, liveAnswered: boolean) =>
      Effect.gen(function* () {
        if (reported || call === null || call.leadId === null || call.campaignId === null) return
        reported = true
        if (savedResult !== result) yield* setDialResult(callId, result).pipe(Effect.orDie)
        savedResult = result
        if (result !== "connected") {
          yield* orDieOnClusterFailure(leads(call.leadId).RecordAttempt({ callId, result }))
        }
        yield* outbox.tell(
          `Campaign/${call.campaignId}`,
          campaigns(call.campaignId).DialEnded(
            { callId, leadId: call.leadId, result, liveAnswered },
            { discard: true },
          ),
        )
      })

    /** Plays a closing message, then hangs up (at once when the message cannot be played). */
    const closeWith = (text: string, commandId: string) =>
      Effect.gen(function* () {
        if (call === null || call.carrierCallId === null) return
        const carrierCallId = call.carrierCallId
        closing = true
        const spoken = yield* carrier
          .speak(carrierCallId, { text, voice: "female", language: "en-US", commandId })
          .pipe(Effect.either)
        if (spoken._tag === "Left") {
          closing = false
          yield* carrier.hangup(carrierCallId).pipe(Effect.ignore)
        }
      })

    /**
     * The person is connected to `agentId`: the agent takes the call (bridged to its leg), and the dial counts as
     * connected. An agent that cannot take it after all (its leg dropped meanwhile) answers AgentDeclined.
     */
    const connectTo = (agentId: AgentId) =>
      Effect.gen(function* () {
        if (call === null || call.agentId !== null) return
        const { leadId, campaignId } = call
        if (leadId === null || campaignId === null) return
        yield* setAutoDialConnected(callId, agentId).pipe(Effect.orDie)
        savedResult = "connected"
        call = { ...call, agentId }
        waitingSince = null
        // The agent bridges the person's leg to its own leg, when it has one.
        const carrierCallId = call.carrierCallId
        yield* outbox.tell(
          `Agent/${agentId}`,
          agents(agentId).ConnectCall({ callId, campaignId, leadId, carrierCallId }, { discard: true }),
        )
        yield* report("connected", true)
      })

    /** No agent in time (or the person hung up waiting): the call is abandoned, recorded, and the person told. */
    const abandon = (hungUp: boolean) =>
      Effect.gen(function* () {
        if (call === null || auto === null) return
        const now = yield* Clock.currentTimeMillis
        waitingSince = null
        yield* markCallAbandoned(callId, now).pipe(Effect.orDie)
        yield* logCallNote(call.tenantId, callId, "abandoned", "Abandoned", { hungUp }, now).pipe(Effect.orDie)
        if (!hungUp) yield* closeWith(auto.abandonMessage, `${callId}:abandon`)
        yield* report("abandoned", true)
      })

    const decide = (decision: ConnectDecision, hungUp: boolean) =>
      decision._tag === "Connect"
        ? connectTo(decision.agentId)
        : decision._tag === "Abandon"
          ? abandon(hungUp)
          : Effect.gen(function* () {
              const since = waitingSince ?? (yield* Clock.currentTimeMillis)
              waitingSince = since
              yield* orDieOnClusterFailure(
                self(callId).AbandonTimeout(
                  new TimerPayload({ key: `abandon:${callId}`, at: since + ABANDON_AFTER_MS }),
                  { discard: true },
                ),
              )
            })

    /**
     * The result an automatic dial ends with when it hangs up with these facts before it asked for an agent (no agent
     * is involved: the result follows from the facts alone), or null when the hang-up leaves it to the campaign or the
     * dial was reported already. The event's own statement then writes it, and `report` does not write it again.
     */
    const unansweredEnd = (facts: CallFacts, dial: AutoDial): AutoDialResult | null =>
      call === null || call.leadId === null || call.campaignId === null || reported
        ? null
        : facts.hangupAt === null || waitingSince !== null || askedForAgent
          ? null
          : endResult(facts, dial)

    /** Moves an automatic dial on from what is now known of its call. */
    const advanceAutoDial = (dial: AutoDial) =>
      Effect.gen(function* () {
        if (call === null || call.leadId === null || call.campaignId === null || reported) return
        const { facts } = call
        const verdict = amdVerdict(facts, { amdEnabled: dial.amdEnabled, notSureAs: dial.notSureAs })
        if (facts.hangupAt !== null) {
          if (waitingSince !== null) {
            // The person gave up waiting: the campaign may still have found an agent meanwhile; either way it is over.
            const decision = yield* orDieOnClusterFailure(
              campaigns(call.campaignId).GiveUpWaiting({ callId, hungUp: true }),
            )
            return yield* decision._tag === "Connect" ? report("connected", true) : abandon(true)
          }
          if (askedForAgent) return
          return yield* report(endResult(facts, dial), false)
        }
        if (verdict === "human" && !askedForAgent) {
          askedForAgent = true
          answeredAt = yield* Clock.currentTimeMillis
          const decision = yield* orDieOnClusterFailure(
            campaigns(call.campaignId).HumanAnswered({ callId, leadId: call.leadId }),
          )
          return yield* decide(decision, false)
        }
        if (verdict === "machine" && !closing && call.carrierCallId !== null) {
          if (dial.machineMessage !== null) return yield* closeWith(dial.machineMessage, `${callId}:machine`)
          yield* carrier.hangup(call.carrierCallId).pipe(Effect.ignore)
        }
      })

    /** Every dial passes the compliance gate first. */
    const checkDial = (payload: OutboundDial, agentId: AgentId | null) =>
      gate
        .check({ tenantId: payload.tenantId, leadId: payload.leadId, phone: payload.to, agentId, callId })
        .pipe(Effect.orDie)

    /**
     * The new call's row written, then the carrier asked to dial it. The same request may come again: its first
     * delivery wrote the row, then the runner that handled it stopped, and the cluster sent it on to where this entity
     * lives now. The call then goes out under the same id and command id (a carrier ignores a repeated one) if the row
     * still has no carrier call; otherwise it went out already, and none is placed (`Option.none`).
     */
    const dialOut = (
      payload: OutboundDial,
      options: { readonly agentId: AgentId | null; readonly amd: AmdMode; readonly autoDialed: boolean },
    ) =>
      Effect.gen(function* () {
        const row: CallRow = {
          id: callId,
          tenantId: payload.tenantId,
          campaignId: payload.campaignId,
          leadId: payload.leadId,
          agentId: options.agentId,
          direction: "outbound",
          from: payload.from,
          to: payload.to,
          carrierCallId: null,
          phase: "Dialing",
          facts: emptyCallFacts,
          createdAt: yield* Clock.currentTimeMillis,
        }
        if (yield* insertCall(row, { autoDialed: options.autoDialed }).pipe(Effect.orDie)) {
          call = row
        } else {
          yield* load
          if (call === null || call.phase !== "Dialing" || call.carrierCallId !== null) return Option.none()
          yield* Effect.logWarning(`call ${callId}: its dial came again with no carrier call; placing it again`)
        }
        const placed = yield* carrier.dial({
          callId,
          from: payload.from,
          to: payload.to,
          amd: options.amd,
          ringTimeoutSecs: RING_TIMEOUT_SECS,
          commandId: callId,
        })
        return Option.some(placed)
      })

    /** The carrier took the dial: its id for the call is kept with the call. */
    const dialed = (carrierCallId: string) =>
      Effect.gen(function* () {
        yield* setCarrierCallId(callId, carrierCallId).pipe(Effect.orDie)
        if (call !== null) call = { ...call, carrierCallId }
      })

    return CallEntity.of({
      Place: ({ payload }) =>
        Effect.gen(function* () {
          yield* fresh
          if (call !== null) return
          // A refusal is recorded by the gate; its reason goes back to the agent.
          const decision = yield* checkDial(payload, payload.agentId)
          if (decision._tag === "Blocked") return yield* refuse(`dial-blocked:${decision.reason}`, decision.message)
          const placed = yield* dialOut(payload, { agentId: payload.agentId, amd: "disabled", autoDialed: false }).pipe(
            Effect.tapError((e) => endUnplaced(e.message)),
            Effect.mapError((e) => refuse("dial-failed", `the carrier refused the dial: ${e.message}`)),
          )
          if (Option.isSome(placed)) yield* dialed(placed.value.carrierCallId)
        }),

      PlaceAuto: ({ payload }) =>
        Effect.gen(function* () {
          yield* fresh
          if (call !== null) return
          const decision = yield* checkDial(payload, null)
          if (decision._tag === "Blocked") {
            yield* orDieOnClusterFailure(
              leads(payload.leadId).DialBlocked({ reason: decision.reason, message: decision.message }),
            )
            return yield* outbox.tell(
              `Campaign/${payload.campaignId}`,
              campaigns(payload.campaignId).DialEnded(
                { callId, leadId: payload.leadId, result: "blocked", liveAnswered: false },
                { discard: true },
              ),
            )
          }
          auto = autoDialOf({ amdMode: payload.amd, ...payload })
          const placed = yield* dialOut(payload, { agentId: null, amd: payload.amd, autoDialed: true }).pipe(
            Effect.either,
          )
          if (placed._tag === "Left") {
            yield* endUnplaced(placed.left.message)
            return yield* report("failed", false)
          }
          if (Option.isSome(placed.right)) yield* dialed(placed.right.value.carrierCallId)
        }),

      AgentFound: ({ payload }) =>
        Effect.zipRight(
          restore,
          Effect.suspend(() => (waitingSince === null ? Effect.void : connectTo(payload.agentId))),
        ),

      AgentDeclined: ({ payload }) =>
        Effect.gen(function* () {
          yield* restore
          // The chosen agent could not take the call: the person waits for another within the same 2 s.
          if (call === null || call.agentId !== payload.agentId || call.phase === "Ended") return
          const { leadId, campaignId } = call
          if (leadId === null || campaignId === null) return
          yield* clearCallAgent(callId).pipe(Effect.orDie)
          call = { ...call, agentId: null }
          reported = false
          waitingSince = answeredAt ?? (yield* Clock.currentTimeMillis)
          const decision = yield* orDieOnClusterFailure(campaigns(campaignId).HumanAnswered({ callId, leadId }))
          yield* decide(decision, false)
        }),

      AbandonTimeout: () =>
        Effect.gen(function* () {
          yield* restore
          if (call === null || call.campaignId === null || waitingSince === null || reported) return
          const decision = yield* orDieOnClusterFailure(
            campaigns(call.campaignId).GiveUpWaiting({ callId, hungUp: false }),
          )
          yield* decision._tag === "Connect" ? connectTo(decision.agentId) : abandon(false)
        }),

      Carrier: ({ payload }) => Effect.zipRight(restore, applyCarrierEvent(payload.event)),
      CarrierLocal: ({ payload }) => Effect.zipRight(restore, applyCarrierEvent(payload.event)),

      Inbound: ({ payload }) =>
        Effect.gen(function* () {
          yield* restore
          const event = payload.event
          if (event._tag !== "CallInitiated") return
          if (call === null) {
            const recorded = yield* recordInboundCall(callId, event, carrier)
            if (Option.isNone(recorded)) return
            call = recorded.value.row
            return yield* ringInbound(recorded.value.row, recorded.value.blacklisted)
          }
          // Delivered again: the process that recorded the call went away before it rang anyone, or before it set
          // the ring's end. The caller still waits: ring again (the campaign gives the same agents) and set it.
          if (!(yield* stillRings(call))) return
          yield* ringInbound(call, yield* isBlacklisted(call.tenantId, call.from).pipe(Effect.orDie))
        }),

      RingAgent: ({ payload }) =>
        Effect.gen(function* () {
          yield* restore
          const current = call
          if (
            current === null ||
            current.campaignId === null ||
            current.leadId === null ||
            !(yield* stillRings(current))
          ) {
            const notRung = { agentId: payload.agentId, freeSince: payload.freeSince }
            return yield* outbox.tell(
              `Campaign/${payload.campaignId}`,
              campaigns(payload.campaignId).InboundRingEnded({ callId, notRung }, { discard: true }),
            )
          }
          ringing.add(payload.agentId)
          const ring = {
            callId,
            campaignId: current.campaignId,
            leadId: current.leadId,
            expiresAt: yield* ringEnd(current),
          }
          yield* outbox.tell(`Agent/${payload.agentId}`, agents(payload.agentId).Ring(ring, { discard: true }))
        }),

      ClaimInbound: ({ payload }) =>
        Effect.gen(function* () {
          yield* restore
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
          yield* restore
          if (call === null || answeredBy !== null || call.phase === "Ended") return
          // Nobody answered: the caller hears the tenant's message, then the call ends or goes to voicemail, and
          // someone calls back.
          yield* stopRinging("cancelled", null)
          if (call.carrierCallId !== null) {
            const { settings } = yield* configs.get(call.tenantId).pipe(Effect.orDie)
            const noAnswerCall = { carrier, tenantId: call.tenantId, callId, carrierCallId: call.carrierCallId }
            yield* playNoAnswerMessage(noAnswerCall, settings)
          }
          yield* leaveCallbackTask("missed inbound call", "no agent answered")
        }),

      CancelForCollision: ({ payload }) =>
        Effect.gen(function* () {
          yield* restore
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

      CheckLost: () =>
        Effect.gen(function* () {
          yield* restore
          if (call === null || call.direction !== "outbound" || call.phase === "Ended") return
          if (call.facts.answeredAt !== null) return
          const now = yield* Clock.currentTimeMillis
          const age = now - call.createdAt
          const heard = call.facts.initiatedAt !== null || call.facts.ringingAt !== null
          if (age < (heard ? LOST_AFTER_MS : UNHEARD_LOST_AFTER_MS)) return
          yield* Effect.logWarning(
            `call ${callId} is still ${call.phase} ${Math.round(age / 1_000)} s after it was placed: ended as lost`,
          )
          if (call.carrierCallId !== null) yield* carrier.cancel(call.carrierCallId).pipe(Effect.ignore)
          // Ended as the carrier would have ended it at the ring timeout.
          yield* endWithoutCarrier(`lost:${callId}`, "timeout")
        }),

      Hangup: () =>
        Effect.gen(function* () {
          yield* restore
          if (call === null) return yield* refuse("no-call", `call ${callId} does not exist`)
          if (call.phase === "Ended") return
          if (call.carrierCallId === null) {
            // The dial's answer never came back (its process stopped while it was out): the carrier cannot be asked
            // to end the call, so it ends here, as the agent's cancel, and the agent and the lead move on at once.
            return yield* endWithoutCarrier(`hangup-unplaced:${callId}`, "originator_cancel")
          }
          const carrierCallId = call.carrierCallId
          const answered = call.facts.answeredAt !== null
          yield* (answered ? carrier.hangup(carrierCallId) : carrier.cancel(carrierCallId)).pipe(
            // The carrier has no such call (it went with a process that died): nothing will report its end, so the
            // agent's hangup ends it here, and the agent and the lead move on.
            Effect.catchTag("UnknownCarrierCall", () =>
              endWithoutCarrier(`hangup-unknown:${callId}`, answered ? "normal_clearing" : "originator_cancel"),
            ),
            Effect.mapError((e) => refuse("hangup-failed", `the carrier refused the hangup: ${e.message}`)),
          )
        }),
    })
  }),
)
