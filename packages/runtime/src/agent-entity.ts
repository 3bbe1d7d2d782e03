import { Entity } from "@effect/cluster"
import { Carrier } from "@ringmaster/carrier"
import {
  AgentId,
  agentTransition,
  type AgentState,
  CallId,
  type CampaignId,
  type DispositionId,
  E164,
  type LeadId,
  newId,
  OfferId,
  receivesOffers,
} from "@ringmaster/domain"
import {
  type AgentStateChange,
  type AgentView,
  AgentEntity,
  agentLegCallIdPrefix,
  CallEntity,
  CampaignEntity,
  type CarrierEvent,
  CommandRefused,
  LeadEntity,
  type PendingOffer,
  type ServerMessage,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  agentDeadlines,
  findAgent,
  agentLegTarget,
  findCall,
  findCampaign,
  findLead,
  offerDeadline,
  saveAgent,
  type LeadToWrapUp,
  withLiveDeadlines,
  type AgentDeadline,
  type AgentLeg,
  type AgentRow,
  type AgentTimer,
} from "@ringmaster/store"
import { Clock, Effect, Either, Fiber, Option, Scope } from "effect"
import { isFreeAgent } from "./agent-free.js"
import { AgentPush, tenantChannel } from "./agent-push.js"
import { DialGate } from "./compliance/dial-gate.js"
import { EntityOutbox } from "./entity-outbox.js"
import { leadCard } from "./lead-card.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { sleepUntil } from "./sleep-until.js"
import { TenantConfigs } from "./tenant-configs.js"

/** How long an agent's leg may ring (the agent's phone or softphone) before the carrier gives up. */
const LEG_RING_TIMEOUT_SECS = 30

/** The wait before a dropped leg is dialled again: 2 s, doubling with each drop in a row, at most 30 s. */
export const legRetryDelayMs = (dropsInARow: number): number =>
  Math.min(30_000, 2_000 * 2 ** Math.max(0, Math.min(dropsInARow, 10) - 1))

const viewOf = (a: AgentRow): AgentView => ({
  agentId: a.id,
  name: a.name,
  campaignId: a.campaignId,
  state: a.state,
  stateSince: a.stateSince,
  pendingOffer: a.pendingOffer,
  call: a.call,
  workingLeadId: a.workingLeadId,
  leg: a.leg === null ? null : { phase: a.leg.phase, retryAt: a.leg.phase === "Down" ? a.legRetryAt : null },
})

type AgentClient = Effect.Effect.Success<typeof AgentEntity.client>

/** Sends an agent the (volatile) message of one of its timers; its handler ignores it unless it is still due. */
export const sendAgentTimer = (agents: AgentClient, agentId: AgentId, deadline: AgentDeadline) => {
  const payload = new TimerPayload({ key: deadline.key, at: deadline.at })
  const agent = agents(agentId)
  switch (deadline.timer) {
    case "OfferTimeout":
      return agent.OfferTimeout(payload, { discard: true })
    case "WrapUpTimeout":
      return agent.WrapUpTimeout(payload, { discard: true })
    case "LegRetry":
      return agent.LegRetry(payload, { discard: true })
  }
}

/** What another entity's statement writes of the agent's row besides its call and lead (see `AgentStateChange`). */
const stateChangeOf = (row: AgentRow): AgentStateChange => ({
  state: row.state,
  stateSince: row.stateSince,
  wrapUpUntil: row.wrapUpUntil,
  legRetryAt: row.legRetryAt,
})

/** The agent on the call it places for `leadId` (OnCall where its state allows), dialling `to`. */
const onCall = (
  from: AgentRow,
  call: { readonly callId: CallId; readonly leadId: LeadId; readonly to: E164 },
  now: number,
): AgentRow => {
  const state = agentTransition(from.state, "OnCall")
  return {
    ...from,
    workingLeadId: call.leadId,
    ...(Either.isRight(state) ? { state: state.right, stateSince: now } : {}),
    call: { callId: call.callId, leadId: call.leadId, phase: "Dialing", to: call.to },
  }
}

/** The Agent entity: the six-state machine, at most one pending notification, its call and its timers. */
export const AgentEntityLive = AgentEntity.toLayer(
  Effect.gen(function* () {
    const address = yield* Entity.CurrentAddress
    const agentId = AgentId.make(address.entityId)
    const configs = yield* TenantConfigs
    const push = yield* AgentPush
    const campaigns = yield* CampaignEntity.client
    const leads = yield* LeadEntity.client
    const calls = yield* CallEntity.client
    const outbox = yield* EntityOutbox
    const self = yield* AgentEntity.client
    const gate = yield* DialGate
    const carrier = yield* Carrier
    const scope = yield* Scope.Scope
    /** Drops of the agent's leg since it was last answered (the back-off before the next dial grows with them). */
    let legDrops = 0

    let agent: AgentRow = yield* findAgent(agentId).pipe(
      Effect.orDie,
      Effect.flatMap(Option.match({ onNone: () => Effect.dieMessage(`no agent ${agentId}`), onSome: Effect.succeed })),
    )

    /**
     * The timers armed in this process, one per kind: a fiber in the entity's scope that sleeps until the deadline
     * on the agent's row and then sends the entity its timer message. The row keeps the deadline, so a timer of an
     * entity that is not active (passivated, restarted, its shard moved) is fired by a runner's sweep, or re-armed
     * here when the entity is activated again.
     */
    const armed = new Map<
      AgentTimer,
      { readonly key: string; readonly at: number; readonly fiber: Fiber.RuntimeFiber<void> }
    >()
    const rearm = Effect.gen(function* () {
      const wanted = agentDeadlines(agent)
      for (const [timer, current] of armed) {
        const next = wanted.find((d) => d.timer === timer)
        if (next?.key === current.key && next.at === current.at) continue
        armed.delete(timer)
        yield* Fiber.interruptFork(current.fiber)
      }
      for (const deadline of wanted) {
        if (armed.has(deadline.timer)) continue
        const fiber = yield* sleepUntil(deadline.at).pipe(
          Effect.zipRight(sendAgentTimer(self, agentId, deadline)),
          // Not delivered (the entity is stopping): the row still has the deadline, for the sweep or the next start.
          Effect.catchAllCause((cause) => Effect.logDebug(`agent ${agentId}: ${deadline.timer} not sent`, cause)),
          Effect.forkIn(scope),
        )
        armed.set(deadline.timer, { key: deadline.key, at: deadline.at, fiber })
      }
    })
    yield* rearm

    /** Saves `next` (its deadlines that no longer apply cleared, and `wrapUp`'s lead with it) and arms its timers. */
    const persist = (next: AgentRow, wrapUp?: LeadToWrapUp) =>
      Effect.gen(function* () {
        agent = withLiveDeadlines(next)
        yield* saveAgent(agent, wrapUp).pipe(Effect.orDie)
        yield* rearm
      })

    /** The agent as another statement has just written it (see `Accept`): nothing to save. */
    const adopt = (next: AgentRow) =>
      Effect.gen(function* () {
        agent = withLiveDeadlines(next)
        yield* rearm
      })

    const publish = (message: ServerMessage) => push.publish(agentId, message)
    const snapshot = Effect.gen(function* () {
      const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
      yield* publish({
        _tag: "AgentSnapshot",
        agent: viewOf(agent),
        dispositions: Array.from(config.dispositions.values()),
      })
      yield* push.publish(tenantChannel(agent.tenantId), { _tag: "AgentStateChanged", agent: viewOf(agent) })
    })

    /** Saves the agent, tells its consoles, and tells its campaign whether it can take offers now. */
    const commit = (next: AgentRow, wrapUp?: LeadToWrapUp) => announce(persist(next, wrapUp))

    /**
     * Moves the agent on with `change`, then tells its consoles and its campaign, as `commit` does; with
     * `campaignKnows`, its campaign made the change itself and is not told.
     */
    const announce = <R>(change: Effect.Effect<void, never, R>, campaignKnows = false) =>
      Effect.gen(function* () {
        const before = agent
        yield* change
        yield* snapshot
        if (agent.campaignId === null || campaignKnows) return
        const freeBefore = isFreeAgent(before)
        const freeNow = isFreeAgent(agent)
        if (freeNow && !freeBefore)
          yield* orDieOnClusterFailure(campaigns(agent.campaignId).AgentAvailable({ agentId }))
        if (!freeNow && (freeBefore || before.state !== agent.state)) {
          yield* orDieOnClusterFailure(
            campaigns(agent.campaignId).AgentUnavailable({
              agentId,
              loggedIn: agent.state !== "Offline",
              wrapUpSince: agent.state === "WrapUp" ? agent.stateSince : null,
            }),
          )
        }
      })

    /** An agent of a campaign whose auto-dialer is on works through its own leg, when it has an endpoint. */
    const wantsLeg = (row: AgentRow) =>
      Effect.gen(function* () {
        if (row.campaignId === null) return false
        const target = yield* agentLegTarget(agentId).pipe(Effect.orDie)
        return target.autoDialer && target.endpoint !== null
      })

    const newLeg = (): AgentLeg => ({
      legCallId: CallId.make(`${agentLegCallIdPrefix}${crypto.randomUUID()}`),
      carrierCallId: null,
      phase: "Dialing",
    })

    /**
     * A dropped leg: the campaign hears the agent is not free, the agent's consoles are told, and the leg is dialled
     * again after a back-off, by a deadline on the agent's row (so a restart meanwhile does not lose it).
     */
    const legDropped = (leg: AgentLeg, reason: string) =>
      Effect.gen(function* () {
        legDrops += 1
        const delay = legRetryDelayMs(legDrops)
        const at = (yield* Clock.currentTimeMillis) + delay
        yield* commit({ ...agent, leg: { ...leg, phase: "Down" }, legRetryAt: at })
        const message = `${reason}: no call is put through to you until it is back; dialling it again in ${delay / 1000} s`
        yield* publish({ _tag: "Failure", requestId: null, code: "agent-leg-down", message })
      })

    /** Dials the agent's leg that is waiting to be dialled (saved first, so its events find the agent). */
    const dialLeg = Effect.gen(function* () {
      const leg = agent.leg
      if (leg === null || leg.phase !== "Dialing" || leg.carrierCallId !== null) return
      // Read now: a supervisor may have changed the endpoint since this entity read its row.
      const target = yield* agentLegTarget(agentId).pipe(Effect.orDie)
      const to = target.endpoint
      if (to === null) return
      if (target.callerId === null) return yield* commit({ ...agent, leg: null })
      const dialed = yield* carrier
        .dial({
          callId: leg.legCallId,
          from: target.callerId,
          to,
          amd: "disabled",
          ringTimeoutSecs: LEG_RING_TIMEOUT_SECS,
          commandId: leg.legCallId,
          purpose: "agent-leg",
        })
        .pipe(Effect.either)
      if (Either.isLeft(dialed)) {
        return yield* legDropped(leg, `your line (${to}) could not be dialled: ${dialed.left.message}`)
      }
      // An event of the leg may have come in meanwhile (answered, or hung up): keep what it said.
      const current = agent.leg
      if (current?.legCallId !== leg.legCallId) return
      yield* commit({ ...agent, leg: { ...current, carrierCallId: dialed.right.carrierCallId } })
    })

    const hangUpLeg = (leg: AgentLeg) =>
      leg.carrierCallId === null || leg.phase === "Down"
        ? Effect.void
        : Effect.ignore(carrier.hangup(leg.carrierCallId))

    /**
     * Commits `next` with the agent's leg to match: hung up when the agent logs out; dialled when a logged-in agent of
     * an auto-dialer campaign has none (it is not free for the campaign until the leg is answered).
     */
    const commitWithLeg = (next: AgentRow) =>
      Effect.gen(function* () {
        const old = agent.leg
        const row: AgentRow =
          next.state === "Offline"
            ? { ...next, leg: null }
            : next.leg === null && (yield* wantsLeg(next))
              ? { ...next, leg: newLeg() }
              : next
        yield* commit(row)
        if (old !== null && row.leg?.legCallId !== old.legCallId) yield* hangUpLeg(old)
        if (row.leg !== null && row.leg.legCallId !== old?.legCallId) yield* dialLeg
      })

    const applyLegEvent = (event: CarrierEvent) =>
      Effect.gen(function* () {
        const leg = agent.leg
        // Events of a leg hung up or replaced since, and repeated events, change nothing.
        if (leg === null || event.callId !== leg.legCallId) return
        const carrierCallId = leg.carrierCallId ?? event.carrierCallId
        if (event._tag === "CallAnswered" && leg.phase === "Dialing") {
          legDrops = 0
          return yield* commit({ ...agent, leg: { ...leg, carrierCallId, phase: "Up" } })
        }
        if (event._tag === "CallHangup" && leg.phase !== "Down") {
          return yield* legDropped({ ...leg, carrierCallId }, `your line ended (${event.cause})`)
        }
      })

    const moveTo = (to: AgentState, now: number) =>
      Either.map(agentTransition(agent.state, to), (state) => ({ ...agent, state, stateSince: now }))

    const refuse = (code: string, message: string) => Effect.fail(new CommandRefused({ code, message }))

    /** A pending notification the agent will not take: the campaign gets it back. */
    const dropPending = (reason: "ignored" | "timeout" | "refused") =>
      Effect.gen(function* () {
        const offer = agent.pendingOffer
        if (offer === null) return
        yield* orDieOnClusterFailure(
          campaigns(offer.campaignId).DeclineOffer({ offerId: offer.offerId, agentId, reason }),
        )
        yield* publish({
          _tag: "NotificationWithdrawn",
          offerId: offer.offerId,
          reason: reason === "refused" ? "cancelled" : reason,
        })
      })

    const ignoreOrTimeout = (offerId: OfferId, reason: "ignored" | "timeout") =>
      Effect.gen(function* () {
        if (agent.pendingOffer?.offerId !== offerId) return false
        yield* dropPending(reason)
        const now = yield* Clock.currentTimeMillis
        const next = moveTo("Busy", now)
        yield* commit(Either.isRight(next) ? { ...next.right, pendingOffer: null } : { ...agent, pendingOffer: null })
        return true
      })

    const finishWrapUp = (
      dispositionId: DispositionId,
      notes: string | undefined,
      callId: CallId | null,
      doNotCall?: boolean,
    ) =>
      Effect.gen(function* () {
        const leadId = agent.workingLeadId
        if (leadId === null) return yield* refuse("no-lead", "there is no lead to record an outcome for")
        const now = yield* Clock.currentTimeMillis
        const wrapped = agent.state === "WrapUp" ? moveTo("Online", now) : Either.right(agent)
        const done = withLiveDeadlines({
          ...(Either.isRight(wrapped) ? wrapped.right : agent),
          workingLeadId: null,
          call: null,
        })
        // The lead writes the agent's row with the outcome, in one statement (only with no offer pending).
        const agentAfter = done.pendingOffer === null ? stateChangeOf(done) : undefined
        const applied = yield* orDieOnClusterFailure(
          leads(leadId).RecordOutcome({ agentId, callId, dispositionId, notes, doNotCall, agentAfter }),
        ).pipe(
          Effect.catchTags({
            PriorityZeroNeedsStatusChange: (e) => refuse("priority-zero-needs-status-change", e.message),
            CommandRefused: (e) =>
              e.code === "lead-not-yours" || e.code === "lead-not-in-call"
                ? // The lead went elsewhere meanwhile (an inbound call from it was answered by another agent):
                  // nothing is left to record here, so the agent is released and told why.
                  Effect.gen(function* () {
                    const released =
                      agent.state === "WrapUp" ? moveTo("Online", yield* Clock.currentTimeMillis) : Either.right(agent)
                    yield* commit({
                      ...(Either.isRight(released) ? released.right : agent),
                      workingLeadId: null,
                      call: null,
                    })
                    return yield* Effect.fail(e)
                  })
                : Effect.fail(e),
          }),
        )
        yield* applied.agentSaved === true ? announce(adopt(done)) : commit(done)
        return viewOf(agent)
      })

    /**
     * The agent leaves wrap-up without recording an outcome (the limit passed, or they were logged out): the
     * attempt goes back to the lead's cadence, so the lead is never left in wrap-up. When the lead refuses that
     * outcome (a priority-0 lead must change status), the refusal is returned and the agent keeps the lead.
     */
    const closeWrapUpWithoutOutcome = (reason: string) =>
      Effect.gen(function* () {
        if (agent.workingLeadId === null) return
        const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
        const fallback = Array.from(config.dispositions.values()).find((d) => d.kind === "cadence")
        if (fallback === undefined) return
        yield* finishWrapUp(fallback.id, reason, agent.call?.callId ?? null)
      })

    /** Wrap-up may end only when the lead has its outcome; until then the agent keeps it (and stays in WrapUp). */
    const outcomeRequired = (leadId: LeadId) =>
      refuse("outcome-required", `record an outcome for lead ${leadId} before leaving wrap-up`)

    /**
     * The agent now works `leadId` (accepted or dialled by hand): OnCall, and the call goes out through the carrier.
     * A dial the carrier or the compliance gate refuses puts the agent in wrap-up with the reason on screen.
     */
    const placeCall = (
      leadId: LeadId,
      campaignId: CampaignId,
      from: AgentRow,
      dial: { readonly to: E164; readonly from: E164 },
    ) =>
      Effect.gen(function* () {
        const callId = newId(CallId)
        yield* commit(onCall(from, { callId, leadId, to: dial.to }, yield* Clock.currentTimeMillis))
        yield* dialOut(callId, leadId, campaignId, dial)
      })

    /** The Call entity places the dial the agent's row has as Dialing; if it cannot, the agent goes to wrap-up. */
    const dialOut = (
      callId: CallId,
      leadId: LeadId,
      campaignId: CampaignId,
      dial: { readonly to: E164; readonly from: E164 },
    ) =>
      Effect.gen(function* () {
        const { to } = dial
        const placed = yield* orDieOnClusterFailure(
          calls(callId).Place({ tenantId: agent.tenantId, leadId, agentId, campaignId, to, from: dial.from }),
        ).pipe(Effect.either)
        if (Either.isLeft(placed)) {
          const wrappedAt = yield* Clock.currentTimeMillis
          const wrap = moveTo("WrapUp", wrappedAt)
          // Like any ended call, a dial that never went out leaves the agent in wrap-up for at most the limit.
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          yield* commit(
            {
              ...(Either.isRight(wrap) ? wrap.right : agent),
              call: { callId, leadId, phase: "Ended", to },
              wrapUpUntil: wrappedAt + config.settings.wrapUpLimitMs,
            },
            { leadId, at: wrappedAt },
          )
          yield* publish({ _tag: "Failure", requestId: null, code: placed.left.code, message: placed.left.message })
        }
      })

    /**
     * A dial saved as started whose Call never got it: the runner that carried it went away between the agent's save
     * and the Call's own (the Call writes its row before it dials). It goes out now, under the same call id, so that a
     * Place that did arrive meanwhile is the same call.
     */
    const resumeLostDial = Effect.gen(function* () {
      const call = agent.call
      if (call === null || call.phase !== "Dialing" || call.leadId === null || agent.campaignId === null) return
      if (Option.isSome(yield* findCall(call.callId).pipe(Effect.orDie))) return
      const campaign = yield* findCampaign(agent.campaignId).pipe(Effect.orDie)
      if (Option.isNone(campaign)) return
      yield* Effect.logWarning(`agent ${agentId}: dial ${call.callId} was lost with a runner; placing it again`)
      yield* dialOut(call.callId, call.leadId, agent.campaignId, {
        to: E164.make(call.to),
        from: campaign.value.callerId,
      })
    })

    /** The agent's one pending notification: saved, shown on its consoles, and timed out at `offerDeadline`. */
    const showNotification = (offer: PendingOffer) =>
      Effect.gen(function* () {
        yield* persist({ ...agent, pendingOffer: offer })
        yield* publish({ _tag: "Notification", offer })
        yield* snapshot
      })

    yield* resumeLostDial
    // Built again from its row, a free agent tells its campaign: its last word may have gone with the runner that
    // carried it, and with the other agents keeping the queue empty the campaign watch would never notice.
    if (agent.campaignId !== null && isFreeAgent(agent)) {
      yield* outbox.tell(
        `Campaign/${agent.campaignId}`,
        campaigns(agent.campaignId).AgentAvailable({ agentId, restored: true }, { discard: true }),
      )
    }

    return AgentEntity.of({
      View: () => Effect.succeed(viewOf(agent)),

      SetState: ({ payload }) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          if (agent.call !== null && agent.call.phase !== "Ended") {
            return yield* refuse("call-in-progress", `agent ${agentId} is on a call: hang up first`)
          }
          const next = moveTo(payload.state, now)
          if (Either.isLeft(next)) return yield* Effect.fail(next.left)
          if (agent.state === "WrapUp" && agent.workingLeadId !== null) {
            yield* closeWrapUpWithoutOutcome(`left wrap-up for ${payload.state} without an outcome`)
            if (agent.workingLeadId !== null) return yield* outcomeRequired(agent.workingLeadId)
            if (agent.state !== "WrapUp" && payload.state === "Online") return viewOf(agent)
            const again = moveTo(payload.state, now)
            if (Either.isLeft(again)) return yield* Effect.fail(again.left)
            yield* commitWithLeg({ ...again.right, pendingOffer: null })
            return viewOf(agent)
          }
          // Leaving Online with a notification on screen hands it back without penalty.
          if (agent.pendingOffer !== null && payload.state !== "Online") yield* dropPending("refused")
          yield* commitWithLeg({ ...next.right, pendingOffer: payload.state === "Online" ? agent.pendingOffer : null })
          return viewOf(agent)
        }),

      Offer: ({ payload }) =>
        Effect.gen(function* () {
          // A campaign sends an offer again when it does not see it held: this one may be here already, or taken.
          if (agent.pendingOffer?.offerId === payload.offerId || agent.workingLeadId === payload.leadId) return
          // One that comes too late to be answered (held up by a failover) is handed back like one the agent cannot
          // take, and a free agent says so again: it is not made Busy for a notification it never saw.
          const late = payload.expiresAt <= (yield* Clock.currentTimeMillis)
          if (
            late ||
            !receivesOffers(agent.state, agent.pendingOffer !== null) ||
            agent.campaignId !== payload.campaignId
          ) {
            yield* orDieOnClusterFailure(
              campaigns(payload.campaignId).DeclineOffer({
                offerId: payload.offerId,
                agentId,
                reason: "refused",
              }),
            )
            if (late && agent.campaignId === payload.campaignId && isFreeAgent(agent)) {
              yield* orDieOnClusterFailure(campaigns(payload.campaignId).AgentAvailable({ agentId }))
            }
            return
          }
          const card =
            payload.lead === undefined
              ? yield* configs.get(agent.tenantId).pipe(
                  Effect.flatMap((config) => leadCard(payload.leadId, config)),
                  Effect.orDie,
                )
              : Option.some(payload.lead)
          if (Option.isNone(card)) {
            return yield* orDieOnClusterFailure(
              campaigns(payload.campaignId).DeclineOffer({
                offerId: payload.offerId,
                agentId,
                reason: "refused",
              }),
            )
          }
          const offer = {
            kind: "outbound" as const,
            offerId: payload.offerId,
            campaignId: payload.campaignId,
            expiresAt: payload.expiresAt,
            lead: card.value,
          }
          yield* showNotification(offer)
        }),

      Ring: ({ payload }) =>
        Effect.gen(function* () {
          // An agent that cannot take a call now is simply not rung; the call rings the others.
          if (!receivesOffers(agent.state, agent.pendingOffer !== null)) return
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          const card = yield* leadCard(payload.leadId, config).pipe(Effect.orDie)
          if (Option.isNone(card)) return
          const offer = {
            kind: "inbound" as const,
            offerId: OfferId.make(`inbound:${payload.callId}`),
            campaignId: payload.campaignId,
            expiresAt: payload.expiresAt,
            lead: card.value,
          }
          yield* showNotification(offer)
        }),

      ConnectCall: ({ payload }) =>
        Effect.gen(function* () {
          // The campaign chose this agent as free; if it no longer is (a state change crossed), the call asks again.
          if (!receivesOffers(agent.state, agent.pendingOffer !== null) || agent.campaignId !== payload.campaignId) {
            return yield* outbox.tell(
              `Call/${payload.callId}`,
              calls(payload.callId).AgentDeclined({ agentId }, { discard: true }),
            )
          }
          const decline = outbox.tell(
            `Call/${payload.callId}`,
            calls(payload.callId).AgentDeclined({ agentId }, { discard: true }),
          )
          const leg = agent.leg
          if (leg === null && (yield* wantsLeg(agent))) {
            // The campaign's auto-dialer was turned on while the agent was logged in: no leg yet. The person gets
            // another agent (or this one once its leg is up); the agent is free again when the leg answers.
            yield* decline
            return yield* commitWithLeg(agent)
          }
          // A leg not answered yet, or dropped: the campaign hears when it is up; meanwhile the person waits for another.
          if (leg !== null && (leg.phase !== "Up" || leg.carrierCallId === null)) return yield* decline
          const lead = yield* findLead(payload.leadId).pipe(Effect.orDie)
          const now = yield* Clock.currentTimeMillis
          const next = moveTo("OnCall", now)
          if (Either.isLeft(next) || Option.isNone(lead)) return yield* decline
          if (leg !== null && leg.carrierCallId !== null) {
            // The agent's leg stays up when the person hangs up: it takes the agent's next call.
            const bridged =
              payload.carrierCallId === null
                ? Either.left("the call has no carrier leg")
                : yield* carrier.bridge(payload.carrierCallId, leg.carrierCallId, { keepOtherUp: true }).pipe(
                    Effect.mapError((e) => e.message),
                    Effect.either,
                  )
            if (Either.isLeft(bridged)) {
              yield* Effect.logWarning(`agent ${agentId}: call ${payload.callId} not bridged: ${bridged.left}`)
              yield* decline
              // The campaign took the agent off its free list for this call: it is free still.
              return yield* orDieOnClusterFailure(campaigns(payload.campaignId).AgentAvailable({ agentId }))
            }
          }
          yield* commit({
            ...next.right,
            workingLeadId: payload.leadId,
            call: { callId: payload.callId, leadId: payload.leadId, phase: "Answered", to: lead.value.phone },
          })
        }),

      LegCarrier: ({ payload }) => applyLegEvent(payload.event),
      LegCarrierLocal: ({ payload }) => applyLegEvent(payload.event),

      LegRetry: ({ payload }) =>
        Effect.gen(function* () {
          const leg = agent.leg
          if (leg === null || leg.legCallId !== payload.key || leg.phase !== "Down") return
          // A repeated or early message (the sweep of another runner) leaves the timer to its deadline.
          if (agent.legRetryAt === null || (yield* Clock.currentTimeMillis) < agent.legRetryAt) return
          // Logged out meanwhile, or the campaign no longer dials ahead: nothing to dial again.
          if (agent.state === "Offline" || !(yield* wantsLeg(agent))) return yield* commit({ ...agent, leg: null })
          yield* commitWithLeg({ ...agent, leg: null })
        }),

      SyncLeg: () =>
        Effect.gen(function* () {
          if (agent.state === "Offline") return
          if (agent.leg === null) return yield* commitWithLeg(agent)
          const idle = agent.call === null || agent.call.phase === "Ended"
          // The auto-dialer was turned off: the leg is hung up, unless a call still goes through it.
          if (idle && !(yield* wantsLeg(agent))) yield* commitWithLeg({ ...agent, leg: null })
        }),

      OfferTimeout: ({ payload }) =>
        Effect.gen(function* () {
          const pending = agent.pendingOffer
          if (pending === null || pending.offerId !== payload.key) return
          if ((yield* Clock.currentTimeMillis) < offerDeadline(pending)) return
          if (pending.kind === "inbound") {
            // A ring the call never withdrew (it ended meanwhile): it just goes away.
            yield* publish({ _tag: "NotificationWithdrawn", offerId: pending.offerId, reason: "cancelled" })
            return yield* commit({ ...agent, pendingOffer: null })
          }
          yield* ignoreOrTimeout(payload.key as OfferId, "timeout")
        }),

      Withdraw: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.pendingOffer?.offerId !== payload.offerId) return
          yield* publish({ _tag: "NotificationWithdrawn", offerId: payload.offerId, reason: payload.reason })
          yield* commit({ ...agent, pendingOffer: null })
        }),

      Accept: ({ payload }) =>
        Effect.gen(function* () {
          const offer = agent.pendingOffer
          if (offer === null || offer.offerId !== payload.offerId) {
            return yield* refuse("no-such-offer", `offerId: "${payload.offerId}" is not pending for this agent`)
          }
          if (offer.kind === "inbound") {
            const callId = CallId.make(offer.offerId.slice("inbound:".length))
            const won = yield* orDieOnClusterFailure(calls(callId).ClaimInbound({ agentId }))
            if (!won) {
              yield* publish({ _tag: "NotificationWithdrawn", offerId: offer.offerId, reason: "taken" })
              yield* commit({ ...agent, pendingOffer: null })
              return yield* refuse("call-taken", "another agent answered this call first")
            }
            const now = yield* Clock.currentTimeMillis
            const next = moveTo("OnCall", now)
            yield* commit({
              ...(Either.isRight(next) ? next.right : agent),
              pendingOffer: null,
              workingLeadId: offer.lead.id,
              call: { callId, leadId: offer.lead.id, phase: "Answered", to: offer.lead.phone },
            })
            return viewOf(agent)
          }
          // The campaign writes the agent's row on the call with the lead's, in one statement.
          const now = yield* Clock.currentTimeMillis
          const callId = newId(CallId)
          const taken = { ...agent, pendingOffer: null }
          const planned = withLiveDeadlines(onCall(taken, { callId, leadId: offer.lead.id, to: offer.lead.phone }, now))
          const result = yield* orDieOnClusterFailure(
            campaigns(offer.campaignId).AcceptOffer({
              offerId: offer.offerId,
              agentId,
              onCall: { callId, ...stateChangeOf(planned) },
            }),
          )
          if (result._tag === "Lost") {
            yield* publish({ _tag: "NotificationWithdrawn", offerId: offer.offerId, reason: "taken" })
            yield* commit(taken)
            return yield* refuse("offer-lost", `the lead went elsewhere: ${result.reason}`)
          }
          // The campaign did not write the row (it had given this agent the lead before, and this entity lost that when
          // it restarted; or the campaign runs an earlier version): the agent writes it.
          if (result.agentSaved !== true) {
            yield* placeCall(result.leadId, offer.campaignId, taken, result)
            return viewOf(agent)
          }
          // The campaign wrote the agent on its call, and counts it at work: it is not told again.
          yield* announce(adopt(onCall(taken, { callId, leadId: result.leadId, to: result.to }, now)), true)
          yield* dialOut(callId, result.leadId, offer.campaignId, result)
          return viewOf(agent)
        }),

      Dial: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.state !== "Online" && agent.state !== "Busy") {
            return yield* refuse("not-available", `agent ${agentId} is ${agent.state}: be Online or Busy to dial`)
          }
          if (agent.pendingOffer !== null) return yield* refuse("notification-pending", "answer the notification first")
          if (agent.call !== null || agent.workingLeadId !== null) {
            return yield* refuse("busy-with-lead", "finish the current lead first")
          }
          const lead = yield* findLead(payload.leadId).pipe(Effect.orDie)
          if (agent.campaignId === null || Option.isNone(lead) || lead.value.tenantId !== agent.tenantId) {
            return yield* refuse("lead-not-found", `leadId: "${payload.leadId}" is not a lead you can dial`)
          }
          // Refuse a non-compliant dial before the lead is taken from its queue (the refusal is recorded).
          const decision = yield* gate
            .check({
              tenantId: agent.tenantId,
              leadId: payload.leadId,
              phone: lead.value.phone,
              agentId,
              callId: null,
            })
            .pipe(Effect.orDie)
          if (decision._tag === "Blocked") return yield* refuse(`dial-blocked:${decision.reason}`, decision.message)
          const claim = yield* orDieOnClusterFailure(
            campaigns(lead.value.campaignId).ClaimLead({ leadId: payload.leadId, agentId }),
          )
          if (claim._tag === "Refused") return yield* refuse("lead-unavailable", claim.reason)
          yield* placeCall(payload.leadId, lead.value.campaignId, agent, { to: lead.value.phone, from: claim.from })
          return viewOf(agent)
        }),

      Ignore: ({ payload }) =>
        Effect.gen(function* () {
          const done = yield* ignoreOrTimeout(payload.offerId, "ignored")
          if (!done)
            return yield* refuse("no-such-offer", `offerId: "${payload.offerId}" is not pending for this agent`)
          return viewOf(agent)
        }),

      CallChanged: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.call === null || agent.call.callId !== payload.callId || agent.call.phase === "Ended") return
          const call = { ...agent.call, phase: payload.phase }
          if (payload.phase !== "Ended") {
            // Shown, not saved: the call's own row has its progress, and the agent's row is read with it.
            agent = { ...agent, call }
            return yield* snapshot
          }
          const now = yield* Clock.currentTimeMillis
          const next = moveTo("WrapUp", now)
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          yield* commit(
            {
              ...(Either.isRight(next) ? next.right : agent),
              call,
              wrapUpUntil: now + config.settings.wrapUpLimitMs,
            },
            agent.workingLeadId === null ? undefined : { leadId: agent.workingLeadId, at: now },
          )
        }),

      Hangup: () =>
        Effect.gen(function* () {
          const call = agent.call
          if (call === null || call.phase === "Ended") return yield* refuse("no-call", "there is no call to hang up")
          yield* orDieOnClusterFailure(calls(call.callId).Hangup())
          return viewOf(agent)
        }),

      SubmitOutcome: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.call !== null && agent.call.phase !== "Ended") {
            return yield* refuse("call-in-progress", "hang up before recording the outcome")
          }
          return yield* finishWrapUp(
            payload.dispositionId,
            payload.notes,
            agent.call?.callId ?? null,
            payload.doNotCall,
          )
        }),

      WrapUpTimeout: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.state !== "WrapUp" || agent.call?.callId !== payload.key) return
          const due = agent.wrapUpUntil
          if (due === null || (yield* Clock.currentTimeMillis) < due) return
          // The limit fires once: when the agent keeps the lead (its outcome is required), it stays in wrap-up untimed.
          agent = { ...agent, wrapUpUntil: null }
          const closed = yield* Effect.either(closeWrapUpWithoutOutcome("wrap-up limit reached"))
          if (Either.isLeft(closed)) {
            // The lead needs an outcome only the agent can give: the agent stays in wrap-up with it.
            yield* publish({ _tag: "Failure", requestId: null, code: closed.left.code, message: closed.left.message })
          }
          if (agent.state === "WrapUp" && agent.workingLeadId === null) {
            const next = moveTo("Online", yield* Clock.currentTimeMillis)
            if (Either.isRight(next)) yield* commit({ ...next.right, call: null, workingLeadId: null })
          }
          if (agent.state === "WrapUp" && agent.wrapUpUntil === null) yield* persist(agent)
        }),
    })
  }),
)
