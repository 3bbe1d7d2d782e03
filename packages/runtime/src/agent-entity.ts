import { Entity } from "@effect/cluster"
import {
  AgentId,
  agentTransition,
  type AgentState,
  CallId,
  type CampaignId,
  type DispositionId,
  type LeadId,
  newId,
  OfferId,
  receivesOffers,
} from "@ringmaster/domain"
import {
  type AgentView,
  AgentEntity,
  CallEntity,
  CampaignEntity,
  CommandRefused,
  LeadEntity,
  type PendingOffer,
  type ServerMessage,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  findAgent,
  findCampaign,
  findLead,
  leadTimeZone,
  saveAgent,
  setLeadStage,
  type AgentRow,
} from "@ringmaster/store"
import { Clock, Effect, Either, Option } from "effect"
import { AgentPush, tenantChannel } from "./agent-push.js"
import { DialGate } from "./compliance/dial-gate.js"
import { leadCard } from "./lead-card.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

const viewOf = (a: AgentRow): AgentView => ({
  agentId: a.id,
  name: a.name,
  campaignId: a.campaignId,
  state: a.state,
  stateSince: a.stateSince,
  pendingOffer: a.pendingOffer,
  call: a.call,
  workingLeadId: a.workingLeadId,
})

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
    const self = yield* AgentEntity.client
    const gate = yield* DialGate

    let agent: AgentRow = yield* findAgent(agentId).pipe(
      Effect.orDie,
      Effect.flatMap(Option.match({ onNone: () => Effect.dieMessage(`no agent ${agentId}`), onSome: Effect.succeed })),
    )

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
    const commit = (next: AgentRow) =>
      Effect.gen(function* () {
        const before = agent
        agent = next
        yield* saveAgent(agent).pipe(Effect.orDie)
        yield* snapshot
        if (agent.campaignId === null) return
        const freeBefore = receivesOffers(before.state, before.pendingOffer !== null)
        const freeNow = receivesOffers(agent.state, agent.pendingOffer !== null)
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

    const finishWrapUp = (dispositionId: DispositionId, notes: string | undefined, callId: CallId | null) =>
      Effect.gen(function* () {
        const leadId = agent.workingLeadId
        if (leadId === null) return yield* refuse("no-lead", "there is no lead to record an outcome for")
        yield* orDieOnClusterFailure(leads(leadId).RecordOutcome({ agentId, callId, dispositionId, notes })).pipe(
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
        const now = yield* Clock.currentTimeMillis
        const next = agent.state === "WrapUp" ? moveTo("Online", now) : Either.right(agent)
        yield* commit({
          ...(Either.isRight(next) ? next.right : agent),
          workingLeadId: null,
          call: null,
        })
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
    const placeCall = (leadId: LeadId, campaignId: CampaignId, from: AgentRow) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const state = agentTransition(from.state, "OnCall")
        const working: AgentRow = {
          ...from,
          workingLeadId: leadId,
          ...(Either.isRight(state) ? { state: state.right, stateSince: now } : {}),
        }
        const campaign = yield* findCampaign(campaignId).pipe(Effect.orDie)
        const lead = yield* findLead(leadId).pipe(Effect.orDie)
        if (Option.isNone(campaign) || Option.isNone(lead)) return yield* commit(working)
        const callId = newId(CallId)
        const to = lead.value.phone
        yield* commit({ ...working, call: { callId, leadId, phase: "Dialing", to } })
        const placed = yield* orDieOnClusterFailure(
          calls(callId).Place({
            tenantId: agent.tenantId,
            leadId,
            agentId,
            campaignId,
            to,
            from: campaign.value.callerId,
          }),
        ).pipe(Effect.either)
        if (Either.isLeft(placed)) {
          const wrap = moveTo("WrapUp", yield* Clock.currentTimeMillis)
          yield* setLeadStage(leadId, ["in_call"], "wrap_up", now).pipe(Effect.orDie)
          yield* commit({
            ...(Either.isRight(wrap) ? wrap.right : agent),
            call: { callId, leadId, phase: "Ended", to },
          })
          yield* publish({ _tag: "Failure", requestId: null, code: placed.left.code, message: placed.left.message })
          // Like any ended call, a dial that never went out leaves the agent in wrap-up for at most the limit.
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          yield* orDieOnClusterFailure(
            self(agentId).WrapUpTimeout(
              new TimerPayload({ key: callId, at: (yield* Clock.currentTimeMillis) + config.settings.wrapUpLimitMs }),
              { discard: true },
            ),
          )
        }
      })

    /** The agent's one pending notification: saved, shown on its consoles, and timed out at `timeoutAt`. */
    const showNotification = (offer: PendingOffer, timeoutAt: number) =>
      Effect.gen(function* () {
        agent = { ...agent, pendingOffer: offer }
        yield* saveAgent(agent).pipe(Effect.orDie)
        yield* publish({ _tag: "Notification", offer })
        yield* snapshot
        yield* orDieOnClusterFailure(
          self(agentId).OfferTimeout(new TimerPayload({ key: offer.offerId, at: timeoutAt }), { discard: true }),
        )
      })

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
            yield* commit({ ...again.right, pendingOffer: null })
            return viewOf(agent)
          }
          // Leaving Online with a notification on screen hands it back without penalty.
          if (agent.pendingOffer !== null && payload.state !== "Online") yield* dropPending("refused")
          yield* commit({ ...next.right, pendingOffer: payload.state === "Online" ? agent.pendingOffer : null })
          return viewOf(agent)
        }),

      Offer: ({ payload }) =>
        Effect.gen(function* () {
          if (!receivesOffers(agent.state, agent.pendingOffer !== null) || agent.campaignId !== payload.campaignId) {
            return yield* orDieOnClusterFailure(
              campaigns(payload.campaignId).DeclineOffer({
                offerId: payload.offerId,
                agentId,
                reason: "refused",
              }),
            )
          }
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          const card = yield* leadCard(payload.leadId, config).pipe(Effect.orDie)
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
          yield* showNotification(offer, payload.expiresAt)
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
          // The call withdraws its rings itself; this timer only clears one it could not reach.
          yield* showNotification(offer, payload.expiresAt + 2_000)
        }),

      ConnectCall: ({ payload }) =>
        Effect.gen(function* () {
          // The campaign chose this agent as free; if it no longer is (a state change crossed), the call asks again.
          if (!receivesOffers(agent.state, agent.pendingOffer !== null) || agent.campaignId !== payload.campaignId) {
            return yield* orDieOnClusterFailure(calls(payload.callId).AgentDeclined({ agentId }, { discard: true }))
          }
          const lead = yield* findLead(payload.leadId).pipe(Effect.orDie)
          const now = yield* Clock.currentTimeMillis
          const next = moveTo("OnCall", now)
          if (Either.isLeft(next) || Option.isNone(lead)) {
            return yield* orDieOnClusterFailure(calls(payload.callId).AgentDeclined({ agentId }, { discard: true }))
          }
          yield* commit({
            ...next.right,
            workingLeadId: payload.leadId,
            call: { callId: payload.callId, leadId: payload.leadId, phase: "Answered", to: lead.value.phone },
          })
        }),

      OfferTimeout: ({ payload }) =>
        Effect.gen(function* () {
          const pending = agent.pendingOffer
          if (pending?.kind === "inbound" && pending.offerId === payload.key) {
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
          const result = yield* orDieOnClusterFailure(
            campaigns(offer.campaignId).AcceptOffer({ offerId: offer.offerId, agentId }),
          )
          if (result._tag === "Lost") {
            yield* publish({ _tag: "NotificationWithdrawn", offerId: offer.offerId, reason: "taken" })
            yield* commit({ ...agent, pendingOffer: null })
            return yield* refuse("offer-lost", `the lead went elsewhere: ${result.reason}`)
          }
          yield* placeCall(result.leadId, offer.campaignId, { ...agent, pendingOffer: null })
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
              leadTimeZone: yield* leadTimeZone(agent.tenantId, payload.leadId).pipe(Effect.orDie),
              agentId,
              callId: null,
            })
            .pipe(Effect.orDie)
          if (decision._tag === "Blocked") return yield* refuse(`dial-blocked:${decision.reason}`, decision.message)
          const claim = yield* orDieOnClusterFailure(
            campaigns(lead.value.campaignId).ClaimLead({ leadId: payload.leadId, agentId }),
          )
          if (claim._tag === "Refused") return yield* refuse("lead-unavailable", claim.reason)
          yield* placeCall(payload.leadId, lead.value.campaignId, agent)
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
          if (payload.phase !== "Ended") return yield* commit({ ...agent, call })
          const now = yield* Clock.currentTimeMillis
          const next = moveTo("WrapUp", now)
          if (agent.workingLeadId !== null) {
            yield* setLeadStage(agent.workingLeadId, ["in_call"], "wrap_up", now).pipe(Effect.orDie)
          }
          yield* commit({ ...(Either.isRight(next) ? next.right : agent), call })
          const config = yield* configs.get(agent.tenantId).pipe(Effect.orDie)
          yield* orDieOnClusterFailure(
            self(agentId).WrapUpTimeout(
              new TimerPayload({ key: payload.callId, at: now + config.settings.wrapUpLimitMs }),
              { discard: true },
            ),
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
          return yield* finishWrapUp(payload.dispositionId, payload.notes, agent.call?.callId ?? null)
        }),

      WrapUpTimeout: ({ payload }) =>
        Effect.gen(function* () {
          if (agent.state !== "WrapUp" || agent.call?.callId !== payload.key) return
          const closed = yield* Effect.either(closeWrapUpWithoutOutcome("wrap-up limit reached"))
          if (Either.isLeft(closed)) {
            // The lead needs an outcome only the agent can give: the agent stays in wrap-up with it.
            yield* publish({ _tag: "Failure", requestId: null, code: closed.left.code, message: closed.left.message })
          }
          if (agent.state === "WrapUp" && agent.workingLeadId === null) {
            const next = moveTo("Online", yield* Clock.currentTimeMillis)
            if (Either.isRight(next)) yield* commit({ ...next.right, call: null, workingLeadId: null })
          }
        }),
    })
  }),
)
