import { Entity } from "@effect/cluster"
import { SqlClient } from "@effect/sql"
import {
  abandonmentChange,
  abandonmentLevelAfter,
  amdVerdict,
  type AgentId,
  CallId,
  UserId,
  CampaignId,
  chooseRecipients,
  depletionCrossings,
  type LeadId,
  newId,
  OfferId,
  offerableTo,
  queueRule,
  ReadyQueue,
} from "@ringmaster/domain"
import {
  AgentEntity,
  CallEntity,
  CampaignEntity,
  type ConnectDecision,
  type QueueEntryData,
  type QueueItem,
  TimerPayload,
} from "@ringmaster/protocol"
import {
  abandonmentCounts,
  campaignAbandonmentLevel,
  ringingInboundCalls,
  type LeadProgressUpdate,
  type LeadRow,
  saveAbandonmentLevel,
  acceptedLeadAwaitingCall,
  acceptOfferedLead,
  appendLeadEvent,
  autoDialsInFlight,
  offerReadyLead,
  takeBackAcceptedOffer,
  takeLeadForDial,
  tenantSupervisors,
  campaignAgents,
  campaignOfferedLeads,
  campaignQueueLeads,
  closeOffer,
  depletionThresholds,
  findCampaign,
  findLead,
  maxRecycledSeq,
  openOffers,
  readyLeadsOfStatus,
  rearmDepletionAlerts,
  recordAlert,
  recordDepletionAlert,
  recordDecline,
  updateLeadProgress,
  assignLead,
  assignLeadLogged,
} from "@ringmaster/store"
import { Clock, Effect, Option, Schedule } from "effect"
import { isFreeAgent } from "./agent-free.js"
import { InboundRings } from "./inbound-rings.js"
import { AgentPush, userChannel } from "./agent-push.js"
import { cardOf } from "./lead-card.js"
import { DialerBook, type PacingMode } from "./dialer-book.js"
import { EntityOutbox } from "./entity-outbox.js"
import { serializedHandlers } from "./fifo-lock.js"
import { queueEntryOf, queuePriority } from "./queue-entry.js"
import { orDieOnClusterFailure } from "./cluster-errors.js"
import { TenantConfigs } from "./tenant-configs.js"

/**
 * How far back a restarted campaign looks for its calls still in flight: a dial rings 30 s at most and a person
 * waits 2 s for an agent, so anything older has been resolved (or was lost with the carrier, and the watchdog ends it).
 */
const IN_FLIGHT_WINDOW_MS = 10 * 60_000

/**
 * How long a word between entities may be on its way before the campaign takes it for lost with a runner: an agent's
 * word that it is free (counted from when its row says it became free), a lead's that it is ready (from its row's
 * last change), an offer on its way to its agents (from its expiry, when none of them holds it: an agent's own timer
 * ends an offer it holds at its expiry, and the runners' sweep of agents' deadlines within 5 s of it when the agent's
 * runner died). Shorter would take words merely slow for lost (and log them as such); longer leaves a lost one longer.
 */
export const LOST_WORD_GRACE_MS = 10_000

/**
 * How long after an offer went out its agents should hold it. An offer none of them holds by then was lost on the way
 * (with a runner that stopped while carrying it, or in an agent's mailbox when its entity moved) or is merely slow; it
 * is sent again, which an agent that has it already ignores. Its agents then see it seconds after a failover, not
 * after its expiry and `LOST_WORD_GRACE_MS`.
 */
export const OFFER_ARRIVAL_GRACE_MS = 2_000

interface OpenOffer {
  readonly offerId: OfferId
  readonly entry: QueueEntryData
  readonly expiresAt: number
  /** When it last went out to its agents. */
  sentAt: number
  readonly recipients: ReadonlyArray<AgentId>
  readonly ignored: Set<AgentId>
  readonly refused: Set<AgentId>
}

/**
 * The Campaign entity: the distributor. Its mailbox serialises every decision of one campaign, so a lead is
 * in exactly one place — the ready queue or one open offer — and is never offered twice.
 */
export const CampaignEntityLive = CampaignEntity.toLayer(
  Effect.gen(function* () {
    const address = yield* Entity.CurrentAddress
    const campaignId = CampaignId.make(address.entityId)
    const sql = yield* SqlClient.SqlClient
    const configs = yield* TenantConfigs
    const agent = yield* AgentEntity.client
    const calls = yield* CallEntity.client
    const outbox = yield* EntityOutbox
    const self = yield* CampaignEntity.client
    const push = yield* AgentPush

    const campaign = yield* findCampaign(campaignId).pipe(
      Effect.orDie,
      Effect.flatMap(
        Option.match({ onNone: () => Effect.dieMessage(`no campaign ${campaignId}`), onSome: Effect.succeed }),
      ),
    )
    const tenantId = campaign.tenantId
    /** The ready leads, in queue order, each with what the distributor needs beside the order (type, assignment). */
    const queue = new ReadyQueue<QueueEntryData>()
    /** Online agents with nothing pending, and since when. */
    const available = new Map<AgentId, number>()
    /** Agents at work but not free (on a call, wrapping up, busy): assigned leads may wait for them. */
    const loggedIn = new Set<AgentId>()
    const offers = new Map<OfferId, OpenOffer>()
    /** Inbound calls ringing, and the agents each was given: a caller waiting comes before outbound work. */
    const inboundRings = new InboundRings()
    /** When each lead queued since the campaign started became ready; the others since it started (`activatedAt`). */
    const readySince = new Map<LeadId, number>()
    let recycledSeq = yield* maxRecycledSeq(campaignId).pipe(Effect.orDie)
    /**
     * Supervisors' queue-depletion thresholds, and who has been alerted since the count last recovered (kept in their
     * rows too, so that a campaign built again does not alert again of the same depletion).
     */
    let thresholds = new Map<string, number>()
    const alerted = new Set<string>()
    const loadThresholds = Effect.gen(function* () {
      const rows = yield* depletionThresholds(campaignId).pipe(Effect.orDie)
      thresholds = new Map(rows.map((r) => [r.userId, r.threshold]))
      alerted.clear()
      for (const row of rows) if (row.alerted) alerted.add(row.userId)
    })
    yield* loadThresholds

    /** Alerts each supervisor once when the ready leads fall below their threshold (recorded, then pushed). */
    const checkDepletion = Effect.gen(function* () {
      if (thresholds.size === 0 && alerted.size === 0) return
      const ready = queue.size
      const { alert, clear } = depletionCrossings({ thresholds, alerted, ready })
      if (clear.length > 0) {
        yield* rearmDepletionAlerts(campaignId, clear).pipe(Effect.orDie)
        for (const who of clear) alerted.delete(who)
      }
      if (alert.length === 0) return
      const at = yield* Clock.currentTimeMillis
      for (const who of alert) {
        alerted.add(who)
        const message = `Campaign "${campaign.name}" has ${ready} ready lead${ready === 1 ? "" : "s"}, below your threshold of ${thresholds.get(who) ?? 0}`
        yield* recordDepletionAlert({
          tenantId,
          campaignId,
          userId: UserId.make(who),
          kind: "queue-depletion",
          message,
          at,
          detail: { ready, threshold: thresholds.get(who) ?? 0 },
        }).pipe(Effect.orDie)
        yield* push.publish(userChannel(who), { _tag: "Alert", kind: "queue-depletion", message, at })
      }
    })

    /** The auto-dialer: how it is set, its calls, and the campaign's abandonment over 30 days. */
    const loadDialer = findCampaign(campaignId).pipe(
      Effect.orDie,
      Effect.flatMap(
        Option.match({ onNone: () => Effect.dieMessage(`no campaign ${campaignId}`), onSome: Effect.succeed }),
      ),
    )
    let dialer = yield* loadDialer
    const runner = yield* Entity.CurrentRunnerAddress
    const autoDialing = () => dialer.mode === "auto" && !dialer.paused
    // Where each auto-dialing campaign runs, and where it went when a runner stopped: an operator reads it in the log.
    const announceAutoDialer = Effect.logInfo(
      `campaign ${campaignId}: auto-dialer running on runner ${runner.host}:${runner.port}`,
    )
    if (autoDialing()) yield* announceAutoDialer
    const book = new DialerBook()
    // The calls this campaign dialled before it last left memory (or before its process went away) are still ringing
    // or waiting for an agent: pacing counts them, so that a restart does not dial again for the same agents.
    const activatedAt = yield* Clock.currentTimeMillis
    for (const dial of yield* autoDialsInFlight(campaignId, activatedAt - IN_FLIGHT_WINDOW_MS).pipe(Effect.orDie)) {
      const verdict = amdVerdict(dial.facts, {
        amdEnabled: dialer.amdMode !== "disabled",
        notSureAs: dialer.amdNotSure,
      })
      if (verdict === "pending") book.placed(dial.callId, dial.leadId, dial.placedAt)
      else if (verdict === "human") book.wait(dial.callId, dial.leadId, dial.facts.amdAt ?? dial.placedAt)
    }
    const abandonment = {
      liveAnswered: 0,
      abandoned: 0,
      level: yield* campaignAbandonmentLevel(campaignId).pipe(Effect.orDie),
      syncedAt: 0,
    }
    const ABANDONMENT_WINDOW_MS = 30 * 24 * 3_600_000
    const syncAbandonment = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const counts = yield* abandonmentCounts(campaignId, now - ABANDONMENT_WINDOW_MS).pipe(Effect.orDie)
      abandonment.liveAnswered = counts.liveAnswered
      abandonment.abandoned = counts.abandoned
      abandonment.syncedAt = now
    })
    yield* syncAbandonment
    const abandonmentRate = () =>
      abandonment.liveAnswered === 0 ? 0 : abandonment.abandoned / abandonment.liveAnswered

    /** Supervisors hear when abandonment crosses the warning or the limit, and when it is back under. */
    const checkAbandonment = Effect.gen(function* () {
      const { settings } = yield* configs.get(tenantId).pipe(Effect.orDie)
      const rate = abandonmentRate()
      const level = abandonmentLevelAfter(abandonment.level, rate, {
        warnRate: settings.abandonmentWarnRate,
        pauseRate: settings.abandonmentPauseRate,
      })
      const change = abandonmentChange(abandonment.level, level)
      if (change === "none") return
      const at = yield* Clock.currentTimeMillis
      const percent = (rate * 100).toFixed(2)
      const kind = `abandonment-${change}`
      const message =
        change === "warn"
          ? `Campaign "${campaign.name}": abandonment is ${percent}% over 30 days, at the warning level`
          : change === "fall-back"
            ? `Campaign "${campaign.name}": abandonment is ${percent}% over 30 days, at the limit: dialing one call per free agent until it is back under`
            : `Campaign "${campaign.name}": abandonment is back to ${percent}% over 30 days`
      const supervisors = yield* tenantSupervisors(tenantId).pipe(Effect.orDie)
      const detail = { rate, liveAnswered: abandonment.liveAnswered, abandoned: abandonment.abandoned }
      // The level is kept with the alerts that tell it: a campaign built again tells none of them again.
      yield* sql
        .withTransaction(
          Effect.gen(function* () {
            for (const who of supervisors) {
              yield* recordAlert({ tenantId, campaignId, userId: who, kind, message, at, detail })
            }
            yield* saveAbandonmentLevel(campaignId, level)
          }),
        )
        .pipe(Effect.orDie)
      abandonment.level = level
      for (const who of supervisors) yield* push.publish(userChannel(who), { _tag: "Alert", kind, message, at })
    })
    yield* checkAbandonment

    const pacingMode = (): PacingMode =>
      abandonment.level === "fallback" ? "fallback" : dialer.pacing === "adaptive" ? "adaptive" : "ratio"
    const pacingLabel = () =>
      dialer.mode !== "auto"
        ? "manual"
        : dialer.paused
          ? "paused"
          : pacingMode() === "ratio"
            ? `${dialer.dialRatio}:1`
            : pacingMode()

    const enqueue = (entry: QueueEntryData, now: number) => {
      queue.insert(entry)
      if (!readySince.has(entry.leadId)) readySince.set(entry.leadId, now)
    }
    const dequeue = (leadId: LeadId) => {
      queue.remove(leadId)
      readySince.delete(leadId)
    }
    /** Re-places each queued entry `change` gives a new version of (undefined: unchanged), sorting once when many move. */
    const requeueChanged = (change: (entry: QueueEntryData) => QueueEntryData | undefined) => {
      const moved: Array<QueueEntryData> = []
      for (const entry of queue) {
        const changed = change(entry)
        if (changed !== undefined) moved.push(changed)
      }
      queue.insertAll(moved)
    }

    /** An agent an open offer waits for is not free for another, even when the offer has not reached it yet. */
    const awaitedAgents = () =>
      new Set(Array.from(offers.values()).flatMap((o) => o.recipients.filter((r) => !o.ignored.has(r))))

    // Reload what survives a restart: the ready leads, the open offers, and who is at work.
    {
      const config = yield* configs.get(tenantId).pipe(Effect.orDie)
      const leads = yield* campaignQueueLeads(campaignId).pipe(Effect.orDie)
      queue.insertAll(leads.map((lead) => queueEntryOf(lead, config)))
      const offeredLeads = yield* campaignOfferedLeads(campaignId).pipe(Effect.orDie)
      for (const offer of yield* openOffers(campaignId).pipe(Effect.orDie)) {
        const lead = offeredLeads.get(offer.leadId)
        if (lead === undefined) continue
        offers.set(offer.id, {
          offerId: offer.id,
          entry: queueEntryOf(lead, config),
          expiresAt: offer.expiresAt,
          sentAt: offer.createdAt,
          recipients: offer.agentIds,
          ignored: new Set(offer.declinedBy),
          refused: new Set(),
        })
      }
      // Callers still ringing: the agents who become free from now on are rung for them first.
      const { inboundRingTimeoutMs, inboundRingAgents } = config.settings
      const builtAt = yield* Clock.currentTimeMillis
      for (const ring of yield* ringingInboundCalls(campaignId, builtAt - inboundRingTimeoutMs).pipe(Effect.orDie)) {
        const until = ring.createdAt + inboundRingTimeoutMs
        inboundRings.start(ring.callId, { until, max: inboundRingAgents, agents: ring.agents })
      }
      const awaited = awaitedAgents()
      for (const a of yield* campaignAgents(campaignId).pipe(Effect.orDie)) {
        if (a.state !== "Offline") loggedIn.add(a.id)
        // An agent whose own leg is dialled but not up (auto-dial) cannot take a person yet: it says when it can.
        if (isFreeAgent(a) && !awaited.has(a.id)) available.set(a.id, a.stateSince)
      }
    }

    /** The agent can take offers since `since` (its pacing figures and wrap-up follow). */
    const countFree = (agentId: AgentId, since: number) => {
      loggedIn.add(agentId)
      book.agentFree(agentId, since)
      book.wrapping(agentId, null)
      if (!available.has(agentId)) available.set(agentId, since)
    }
    /** The agent is at work and takes no offer now; wrapping up since `wrapUpSince`, or (null) not. */
    const countAtWork = (agentId: AgentId, wrapUpSince: number | null) => {
      available.delete(agentId)
      loggedIn.add(agentId)
      book.wrapping(agentId, wrapUpSince)
    }

    /** Sends the offer to one of its agents; without `lead`, the agent reads the lead's card itself. */
    const sendOffer = (
      to: AgentId,
      offer: Pick<OpenOffer, "offerId" | "entry" | "expiresAt">,
      lead?: ReturnType<typeof cardOf>,
    ) =>
      outbox.tell(
        `Agent/${to}`,
        agent(to).Offer(
          { offerId: offer.offerId, campaignId, leadId: offer.entry.leadId, expiresAt: offer.expiresAt, lead },
          { discard: true },
        ),
      )

    /** The agents an open offer here still waits for. */
    const waitingFor = (offer: OpenOffer) =>
      offer.recipients.filter((r) => !offer.ignored.has(r) && !offer.refused.has(r))
    const lostOfferDue = (offer: OpenOffer, now: number) => offer.expiresAt + LOST_WORD_GRACE_MS < now
    const resendDue = (offer: OpenOffer, now: number) =>
      offer.sentAt + OFFER_ARRIVAL_GRACE_MS < now && now < offer.expiresAt

    /**
     * Repairs what a runner that died while carrying a message leaves behind, from the agents' rows, when `freeInRows`
     * (agents the watch saw free in their rows for a while) or an offer long expired disagree with what this campaign
     * holds. An offer long expired that none of its agents holds never reached them: its lead goes back to the queue.
     * An agent free in its row for a while that this campaign does not count free had its word that it was free lost:
     * it is counted free again. Agents with an offer out to them or connected to a person are left alone; an agent
     * counted free by mistake turns the offer down, and its lead goes back to the queue.
     */
    const repairFromAgentRows = (freeInRows: ReadonlyArray<AgentId>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const offeredTo = new Set(Array.from(offers.values(), waitingFor).flat())
        const unknown = (agentId: AgentId) =>
          !available.has(agentId) && !offeredTo.has(agentId) && !book.connected.has(agentId)
        const offersDue = Array.from(offers.values()).some((o) => lostOfferDue(o, now) || resendDue(o, now))
        if (!offersDue && !freeInRows.some(unknown)) return
        const rows = yield* campaignAgents(campaignId).pipe(Effect.orDie)
        const holds = new Map(rows.map((a) => [a.id, a.pendingOffer?.offerId ?? null]))
        const holding = new Set(holds.values())
        for (const offer of Array.from(offers.values())) {
          if (!resendDue(offer, now)) continue
          const missing = waitingFor(offer).filter((r) => holds.get(r) !== offer.offerId)
          if (missing.length === 0) continue
          yield* Effect.logInfo(
            `campaign ${campaignId}: offer ${offer.offerId} has not reached ${missing.join(", ")} after ${now - offer.sentAt} ms; sent again`,
          )
          offer.sentAt = now
          for (const r of missing) yield* sendOffer(r, offer)
        }
        for (const offer of Array.from(offers.values())) {
          const agents = waitingFor(offer)
          const [first] = agents
          if (first === undefined || !lostOfferDue(offer, now) || holding.has(offer.offerId)) continue
          yield* Effect.logWarning(`campaign ${campaignId}: offer ${offer.offerId} never reached its agents`)
          for (const r of agents) {
            offer.refused.add(r)
            offeredTo.delete(r)
          }
          yield* settleDeclined(offer, first)
          // Its agents never saw it: those free in their rows are free for the next lead now.
          for (const a of rows)
            if (agents.includes(a.id) && isFreeAgent(a) && unknown(a.id)) countFree(a.id, a.stateSince)
        }
        for (const a of rows) {
          if (!isFreeAgent(a) || !unknown(a.id) || a.stateSince >= now - LOST_WORD_GRACE_MS) continue
          yield* Effect.logWarning(`campaign ${campaignId}: agent ${a.id} is free but was not counted free; it is now`)
          countFree(a.id, a.stateSince)
        }
      })

    /** Offer ready leads to free agents until one of them runs out. */
    const dispatch = Effect.gen(function* () {
      const config = yield* configs.get(tenantId).pipe(Effect.orDie)
      const settings = config.settings
      /** When the first lead kept for its assigned agent may go to anyone (a hand-out is due then). */
      let waitOver: number | null = null
      while (available.size > 0 && queue.size > 0) {
        const now = yield* Clock.currentTimeMillis
        const candidates = Array.from(available, ([agentId, availableSince]) => ({ agentId, availableSince }))
        const entry = queue.findFirst((data) => {
          if (data.assignedAgentId === null || data.assignedUntil === null) return true
          const readyAt = readySince.get(data.leadId) ?? activatedAt
          const who = offerableTo({
            assignment: { agentId: data.assignedAgentId, until: data.assignedUntil },
            assignedAgentOnline: loggedIn.has(data.assignedAgentId),
            readyAt,
            now,
            assignmentWaitMs: settings.assignmentWaitMs,
          })
          const takes = who === "anyone" || available.has(data.assignedAgentId)
          if (!takes) {
            const over = Math.min(readyAt + settings.assignmentWaitMs, data.assignedUntil)
            waitOver = waitOver === null ? over : Math.min(waitOver, over)
          }
          return takes
        })
        if (entry === undefined) {
          if (waitOver !== null) {
            yield* orDieOnClusterFailure(
              self(campaignId).AssignmentWaitOver(
                new TimerPayload({ key: `assignment-wait:${campaignId}`, at: waitOver }),
                {
                  discard: true,
                },
              ),
            )
          }
          return
        }
        const recipients = chooseRecipients({
          available: candidates,
          count: settings.notificationRecipients,
          assignedAgentId: entry.assignedAgentId,
        })
        const offerId = newId(OfferId)
        const expiresAt = now + settings.notificationTimeoutMs
        const offered = yield* offerReadyLead({
          id: offerId,
          tenantId,
          campaignId,
          leadId: entry.leadId,
          agentIds: recipients,
          declinedBy: [],
          createdAt: now,
          expiresAt,
        }).pipe(Effect.orDie)
        dequeue(entry.leadId)
        if (Option.isNone(offered)) continue
        for (const r of recipients) available.delete(r)
        offers.set(offerId, {
          offerId,
          entry,
          expiresAt,
          sentAt: now,
          recipients,
          ignored: new Set(),
          refused: new Set(),
        })
        const lead = cardOf(offered.value, config)
        for (const r of recipients) yield* sendOffer(r, { offerId, entry, expiresAt }, lead)
      }
    })

    /** Auto-dialer on: place the dials the pacing asks for now, from the top of the queue. */
    const pace = Effect.gen(function* () {
      if (!autoDialing()) return
      const { settings } = yield* configs.get(tenantId).pipe(Effect.orDie)
      let dials = book.dialsNow({
        now: yield* Clock.currentTimeMillis,
        mode: pacingMode(),
        ratio: dialer.dialRatio,
        freeAgents: available.size,
        agentsLoggedIn: loggedIn.size,
        maxLines: dialer.maxLines,
        abandonmentRate: abandonmentRate(),
        abandonmentLimit: settings.abandonmentPauseRate,
        liveAnswered: abandonment.liveAnswered,
        abandoned: abandonment.abandoned,
      })
      while (dials > 0 && queue.size > 0) {
        const entry = queue.take(1)[0]
        if (entry === undefined) return
        dequeue(entry.leadId)
        const now = yield* Clock.currentTimeMillis
        const phone = yield* takeLeadForDial(entry.leadId, now).pipe(Effect.orDie)
        if (phone === null) continue
        const callId = newId(CallId)
        book.placed(callId, entry.leadId, now)
        dials--
        yield* outbox.tell(
          `Call/${callId}`,
          calls(callId).PlaceAuto(
            {
              tenantId,
              leadId: entry.leadId,
              campaignId,
              to: phone,
              from: dialer.callerId,
              amd: dialer.amdMode,
              notSureAs: dialer.amdNotSure,
              machineMessage: dialer.machineMessage,
              abandonMessage: dialer.abandonMessage,
            },
            { discard: true },
          ),
        )
      }
    })

    /** Hands out work: automatic dials with the auto-dialer on, notifications with it off; nothing while paused. */
    const work = Effect.suspend(() => (dialer.paused ? Effect.void : dialer.mode === "auto" ? pace : dispatch))

    /** `agentId` takes the person waiting on `callId`: the lead is theirs, and the agent leaves the free list. */
    const connectAgent = (callId: CallId, leadId: LeadId, agentId: AgentId) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const { settings } = yield* configs.get(tenantId).pipe(Effect.orDie)
        available.delete(agentId)
        book.connect(agentId, now)
        connectedCalls.set(callId, agentId)
        yield* assignLeadLogged({
          tenantId,
          leadId,
          fromStages: ["in_call"],
          agentId,
          until: now + settings.assignmentDurationMs,
          now,
          kind: "connected",
          detail: { agentId, callId },
        }).pipe(Effect.orDie)
      })
    /** Calls an agent was found for while their person waited, until the call hears of it (bounded). */
    const connectedCalls = new Map<CallId, AgentId>()
    const rememberConnected = () => {
      while (connectedCalls.size > 1_000) {
        const oldest = connectedCalls.keys().next()
        if (oldest.done === true) break
        connectedCalls.delete(oldest.value)
      }
    }

    /** A free agent first takes a person already waiting on an automatic call. */
    const serveWaiting = (agentId: AgentId) =>
      Effect.gen(function* () {
        const next = book.takeOldestWaiting()
        if (next === undefined) return false
        yield* connectAgent(next.callId, next.leadId, agentId)
        rememberConnected()
        yield* outbox.tell(`Call/${next.callId}`, calls(next.callId).AgentFound({ agentId }, { discard: true }))
        return true
      })

    /** A caller still ringing takes the agent just freed, before any lead: the call rings them too. */
    const ringWaitingCaller = (agentId: AgentId) =>
      Effect.gen(function* () {
        const freeSince = available.get(agentId)
        if (freeSince === undefined) return false
        const callId = inboundRings.give(agentId, yield* Clock.currentTimeMillis)
        if (callId === undefined) return false
        available.delete(agentId)
        yield* outbox.tell(
          `Call/${callId}`,
          calls(callId).RingAgent({ campaignId, agentId, freeSince }, { discard: true }),
        )
        return true
      })

    /**
     * An agent just free goes to a person already on the line first: one an automatic dial reached, then a caller
     * still ringing; else to the queue.
     */
    const putToWork = (agentId: AgentId) =>
      Effect.gen(function* () {
        if (book.waiting.size > 0 && (yield* serveWaiting(agentId))) return
        if (inboundRings.size > 0 && (yield* ringWaitingCaller(agentId))) return
        yield* work
        yield* checkDepletion
      })

    // The pacing loop: with the auto-dialer on, a heartbeat re-paces every second (answers arrive, agents free up).
    yield* Effect.forkScoped(
      Effect.repeat(
        Effect.suspend(() =>
          autoDialing() ? orDieOnClusterFailure(self(campaignId).PaceTick(undefined, { discard: true })) : Effect.void,
        ),
        Schedule.spaced("1 second"),
      ),
    )

    /** The lead back in the queue as it is, at `place` (its attempt time and place among the recycled). */
    const readyAgain = (
      lead: LeadRow,
      place: { readonly nextAttemptAt: number | null; readonly recycledSeq: number | null },
      now: number,
    ): LeadProgressUpdate => ({
      stage: "ready",
      statusId: lead.statusId,
      attempts: lead.attempts,
      attemptsInStatus: lead.attemptsInStatus,
      lastContactAt: lead.lastContactAt,
      nextAttemptAt: place.nextAttemptAt,
      recycledSeq: place.recycledSeq,
      assignedAgentId: lead.assignedAgentId,
      assignedUntil: lead.assignedUntil,
      now,
    })

    /** Every recipient has answered no: the lead goes back, recycled to the top if anyone ignored it. */
    const settleDeclined = (offer: OpenOffer, by: AgentId) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const recycle = offer.ignored.size > 0
        const seq = recycle ? ++recycledSeq : offer.entry.recycledSeq
        const found = yield* findLead(offer.entry.leadId).pipe(Effect.orDie)
        if (Option.isNone(found)) return
        const lead = found.value
        const moved = yield* sql
          .withTransaction(
            Effect.gen(function* () {
              const ok = yield* updateLeadProgress(
                lead.id,
                ["offered"],
                readyAgain(lead, { nextAttemptAt: lead.nextAttemptAt, recycledSeq: seq }, now),
              )
              if (!ok) return false
              yield* closeOffer(offer.offerId, recycle ? "recycled" : "requeued", by, now)
              if (recycle) {
                yield* appendLeadEvent(tenantId, lead.id, now, "recycled", { agentIds: Array.from(offer.ignored) })
              }
              return true
            }),
          )
          .pipe(Effect.orDie)
        offers.delete(offer.offerId)
        // The entry taken when the lead was offered may be stale (a cadence or priority 0 changed meanwhile).
        const config = yield* configs.get(tenantId).pipe(Effect.orDie)
        if (moved) enqueue(queueEntryOf({ ...lead, recycledSeq: seq }, config), now)
      })

    /**
     * An acceptance of an offer no longer open here: an agent accepts again when the answer to its first acceptance
     * was lost with a runner (its own or this campaign's), after the lead was written as its own. It gets the same
     * answer, as long as no call was placed for the lead since; otherwise the offer is closed.
     */
    const acceptAgain = (offerId: OfferId, agentId: AgentId) =>
      Effect.gen(function* () {
        const held = yield* acceptedLeadAwaitingCall({ offerId, agentId }).pipe(Effect.orDie)
        if (held === null) return { _tag: "Lost" as const, reason: "the offer is closed" }
        yield* Effect.logInfo(`campaign ${campaignId}: offer ${offerId} accepted again by ${agentId}`)
        return { _tag: "Won" as const, leadId: held.leadId, to: held.phone, from: dialer.callerId }
      })

    /** Such an agent let the offer time out (or turned it down) instead: the lead goes back to the top of the queue. */
    const takeBack = (offerId: OfferId, agentId: AgentId) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const seq = recycledSeq + 1
        const leadId = yield* takeBackAcceptedOffer({ offerId, tenantId, agentId, recycledSeq: seq, now }).pipe(
          Effect.orDie,
        )
        if (leadId === null) return
        recycledSeq = seq
        const lead = yield* findLead(leadId).pipe(Effect.orDie)
        if (Option.isNone(lead)) return
        const config = yield* configs.get(tenantId).pipe(Effect.orDie)
        enqueue(queueEntryOf(lead.value, config), now)
        yield* work
      })

    /**
     * The watch saw a ready lead beside a free agent, and this campaign has free agents and an empty queue: a lead's
     * word that it was ready may have been lost. The leads ready for a while are read again (those on offer here stay
     * where they are).
     */
    const reloadReadyLeads = Effect.gen(function* () {
      const onOffer = new Set(Array.from(offers.values(), (o) => o.entry.leadId))
      const config = yield* configs.get(tenantId).pipe(Effect.orDie)
      const now = yield* Clock.currentTimeMillis
      const ready = yield* campaignQueueLeads(campaignId, now - LOST_WORD_GRACE_MS).pipe(Effect.orDie)
      const missing = ready.filter((l) => !onOffer.has(l.id))
      if (missing.length === 0) return
      yield* Effect.logWarning(`campaign ${campaignId}: ${missing.length} ready leads were missing from the queue`)
      for (const lead of missing) enqueue(queueEntryOf(lead, config), now)
    })

    const paceTick = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      if (now - abandonment.syncedAt > 5 * 60_000) yield* syncAbandonment
      // New answers lower the rate too: the level is re-read every second, not only when a call is abandoned.
      yield* checkAbandonment
      yield* work
    })

    const handlers = CampaignEntity.of({
      Enqueue: ({ payload }) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          enqueue(payload.entry, now)
          yield* work
          yield* checkDepletion
        }),
      Dequeue: ({ payload }) =>
        Effect.gen(function* () {
          dequeue(payload.leadId)
          yield* checkDepletion
        }),
      ReloadThresholds: () =>
        Effect.gen(function* () {
          yield* loadThresholds
          yield* checkDepletion
        }),
      AgentAvailable: ({ payload }) =>
        Effect.gen(function* () {
          if (payload.restored === true && awaitedAgents().has(payload.agentId)) return
          countFree(payload.agentId, yield* Clock.currentTimeMillis)
          yield* putToWork(payload.agentId)
        }),
      AgentUnavailable: ({ payload }) =>
        Effect.gen(function* () {
          if (payload.loggedIn) return countAtWork(payload.agentId, payload.wrapUpSince)
          available.delete(payload.agentId)
          book.wrapping(payload.agentId, payload.wrapUpSince)
          // The leads kept for an agent who logs out are anyone's now (`offerableTo`): hand them out.
          if (loggedIn.delete(payload.agentId)) yield* work
        }),
      AcceptOffer: ({ payload }) =>
        Effect.gen(function* () {
          const offer = offers.get(payload.offerId)
          if (offer === undefined) return yield* acceptAgain(payload.offerId, payload.agentId)
          if (!offer.recipients.includes(payload.agentId) || offer.ignored.has(payload.agentId)) {
            return { _tag: "Lost" as const, reason: "the offer was not for this agent" }
          }
          const now = yield* Clock.currentTimeMillis
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          const leadId = offer.entry.leadId
          const won = yield* acceptOfferedLead({
            offerId: offer.offerId,
            tenantId,
            leadId,
            agentId: payload.agentId,
            until: now + config.settings.assignmentDurationMs,
            now,
            agentOnCall: payload.onCall,
          }).pipe(Effect.orDie)
          offers.delete(offer.offerId)
          if (won === null) return { _tag: "Lost" as const, reason: "the lead changed meanwhile" }
          if (payload.onCall !== undefined) {
            // The agent's row is on the call now, written here: the agent does not say it is at work.
            countAtWork(payload.agentId, null)
          }
          for (const other of offer.recipients) {
            if (other !== payload.agentId && !offer.ignored.has(other) && !offer.refused.has(other)) {
              yield* outbox.tell(
                `Agent/${other}`,
                agent(other).Withdraw({ offerId: offer.offerId, reason: "taken" }, { discard: true }),
              )
            }
          }
          return {
            _tag: "Won" as const,
            leadId,
            to: won,
            from: dialer.callerId,
            agentSaved: payload.onCall !== undefined,
          }
        }),
      DeclineOffer: ({ payload }) =>
        Effect.gen(function* () {
          const offer = offers.get(payload.offerId)
          if (offer === undefined) return yield* takeBack(payload.offerId, payload.agentId)
          if (!offer.recipients.includes(payload.agentId)) return
          if (payload.reason === "refused") offer.refused.add(payload.agentId)
          else offer.ignored.add(payload.agentId)
          if (offer.ignored.size > 0) yield* recordDecline(offer.offerId, Array.from(offer.ignored)).pipe(Effect.orDie)
          const pending = offer.recipients.filter((r) => !offer.ignored.has(r) && !offer.refused.has(r))
          if (pending.length === 0) yield* settleDeclined(offer, payload.agentId)
          yield* work
          yield* checkDepletion
        }),
      ReserveForInbound: ({ payload }) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          // Asked again (the call's first process went away before ringing them): the same agents. A call this
          // campaign found ringing nobody when it was built is given agents afresh.
          const earlier = inboundRings.agentsOf(payload.callId, now)
          if (earlier !== undefined && earlier.length > 0) {
            for (const agentId of earlier) available.delete(agentId)
            return earlier
          }
          const free = Array.from(available, ([agentId, availableSince]) => ({ agentId, availableSince }))
          const chosen = chooseRecipients({
            available: free,
            count: payload.max > 0 ? payload.max : free.length,
            assignedAgentId: null,
          })
          for (const agentId of chosen) available.delete(agentId)
          inboundRings.start(payload.callId, { until: payload.until, max: payload.max, agents: chosen })
          return chosen
        }),
      InboundRingEnded: ({ payload }) =>
        Effect.gen(function* () {
          inboundRings.end(payload.callId)
          if (payload.notRung === null) return
          // Given to the call as it stopped ringing: free for the next caller or lead.
          countFree(payload.notRung.agentId, payload.notRung.freeSince)
          yield* putToWork(payload.notRung.agentId)
        }),
      CallBack: ({ payload }) =>
        Effect.gen(function* () {
          const found = yield* findLead(payload.leadId).pipe(Effect.orDie)
          if (Option.isNone(found)) return
          const lead = found.value
          if (lead.campaignId !== campaignId || lead.stage !== "waiting") return
          const now = yield* Clock.currentTimeMillis
          const seq = recycledSeq + 1
          const moved = yield* sql
            .withTransaction(
              Effect.gen(function* () {
                const ok = yield* updateLeadProgress(
                  lead.id,
                  ["waiting"],
                  readyAgain(lead, { nextAttemptAt: now, recycledSeq: seq }, now),
                )
                if (ok) yield* appendLeadEvent(tenantId, lead.id, now, "queued-for-callback", {})
                return ok
              }),
            )
            .pipe(Effect.orDie)
          if (!moved) return
          recycledSeq = seq
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          enqueue(queueEntryOf({ ...lead, nextAttemptAt: now, recycledSeq: seq }, config), now)
          yield* work
          yield* checkDepletion
        }),
      TakeForInbound: ({ payload }) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          for (const offer of Array.from(offers.values())) {
            if (offer.entry.leadId !== payload.leadId) continue
            offers.delete(offer.offerId)
            yield* closeOffer(offer.offerId, "requeued", null, now).pipe(Effect.orDie)
            for (const r of offer.recipients) {
              yield* outbox.tell(
                `Agent/${r}`,
                agent(r).Withdraw({ offerId: offer.offerId, reason: "cancelled" }, { discard: true }),
              )
            }
          }
          dequeue(payload.leadId)
          const found = yield* findLead(payload.leadId).pipe(Effect.orDie)
          if (Option.isNone(found)) return
          const lead = found.value
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          yield* assignLead({
            leadId: lead.id,
            fromStages: ["ready", "waiting", "offered", "in_call", "wrap_up", "terminal"],
            agentId: payload.agentId,
            until: now + config.settings.assignmentDurationMs,
            now,
          }).pipe(Effect.orDie)
          yield* checkDepletion
        }),
      ClaimLead: ({ payload }) =>
        Effect.gen(function* () {
          for (const offer of offers.values()) {
            if (offer.entry.leadId === payload.leadId) {
              return { _tag: "Refused" as const, reason: "the lead is being offered to an agent right now" }
            }
          }
          const found = yield* findLead(payload.leadId).pipe(Effect.orDie)
          if (Option.isNone(found) || found.value.campaignId !== campaignId) {
            return { _tag: "Refused" as const, reason: "the lead is not in this campaign" }
          }
          const lead = found.value
          const now = yield* Clock.currentTimeMillis
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          const claimed = yield* assignLeadLogged({
            tenantId,
            leadId: lead.id,
            fromStages: ["ready", "waiting"],
            agentId: payload.agentId,
            until: now + config.settings.assignmentDurationMs,
            now,
            kind: "manual-dial",
            detail: { agentId: payload.agentId },
          }).pipe(Effect.orDie)
          if (!claimed) return { _tag: "Refused" as const, reason: `the lead is ${lead.stage.replace("_", " ")}` }
          dequeue(lead.id)
          yield* checkDepletion
          return { _tag: "Claimed" as const, from: dialer.callerId }
        }),
      PriorityZeroChanged: ({ payload }) =>
        Effect.sync(() =>
          requeueChanged((entry) =>
            entry.leadTypeId === payload.leadTypeId && entry.priorityZero !== payload.priorityZero
              ? { ...entry, priorityZero: payload.priorityZero }
              : undefined,
          ),
        ),
      CadenceChanged: ({ payload }) =>
        Effect.gen(function* () {
          const config = yield* configs.get(tenantId).pipe(Effect.orDie)
          const priority = queuePriority(payload.statusId, config)
          // An entry a runner of an earlier version sent has no status: then which leads are of it is read.
          let ofStatus = (entry: QueueEntryData) => entry.statusId === payload.statusId
          if (queue.findFirst((entry) => entry.statusId === undefined) !== undefined) {
            const ids = new Set(yield* readyLeadsOfStatus(campaignId, payload.statusId).pipe(Effect.orDie))
            ofStatus = (entry) => ids.has(entry.leadId)
          }
          requeueChanged((entry) =>
            entry.priority !== priority && ofStatus(entry) ? { ...entry, priority } : undefined,
          )
        }),
      AssignmentWaitOver: () => work,
      PaceTick: () => paceTick,
      FreeAgentsWaiting: ({ payload }) =>
        Effect.gen(function* () {
          yield* repairFromAgentRows(payload.agentIds)
          if (available.size > 0 && queue.size === 0) yield* reloadReadyLeads
          yield* paceTick
        }),
      SettingsChanged: () =>
        Effect.gen(function* () {
          const before = dialer.mode
          const wasAutoDialing = autoDialing()
          dialer = yield* loadDialer
          if (autoDialing() && !wasAutoDialing) yield* announceAutoDialer
          // Agents at work get their own leg when the auto-dialer is turned on, and drop it when it is turned off.
          if (dialer.mode !== before) {
            for (const agentId of loggedIn) {
              yield* outbox.tell(`Agent/${agentId}`, agent(agentId).SyncLeg(undefined, { discard: true }))
            }
          }
          yield* checkAbandonment
          yield* work
        }),
      HumanAnswered: ({ payload }) =>
        Effect.gen(function* () {
          // A campaign back from its rows while the person waited has them on its waiting list already, and may have
          // found them an agent before the call asks: the call gets that agent, and never a second one.
          const found = connectedCalls.get(payload.callId)
          if (found !== undefined) {
            connectedCalls.delete(payload.callId)
            const connect: ConnectDecision = { _tag: "Connect", agentId: found }
            return connect
          }
          book.waiting.delete(payload.callId)
          const now = yield* Clock.currentTimeMillis
          if (book.dialing.has(payload.callId)) {
            abandonment.liveAnswered++
            // An answer lowers the rate: the campaign leaves the fall-back as soon as it is back under the limit.
            yield* checkAbandonment
          }
          book.answered(payload.callId, now)
          const [chosen] = chooseRecipients({
            available: Array.from(available, ([agentId, availableSince]) => ({ agentId, availableSince })),
            count: 1,
            assignedAgentId: null,
          })
          if (chosen === undefined) {
            book.wait(payload.callId, payload.leadId, now)
            const wait: ConnectDecision = { _tag: "Wait" }
            return wait
          }
          yield* connectAgent(payload.callId, payload.leadId, chosen)
          connectedCalls.delete(payload.callId)
          const connect: ConnectDecision = { _tag: "Connect", agentId: chosen }
          return connect
        }),
      GiveUpWaiting: ({ payload }) =>
        Effect.sync((): ConnectDecision => {
          const found = connectedCalls.get(payload.callId)
          if (found !== undefined) {
            connectedCalls.delete(payload.callId)
            return { _tag: "Connect", agentId: found }
          }
          book.waiting.delete(payload.callId)
          return { _tag: "Abandon" }
        }),
      DialEnded: ({ payload }) =>
        Effect.gen(function* () {
          if (payload.result === "abandoned") {
            abandonment.abandoned++
            yield* checkAbandonment
          } else if (payload.result !== "connected") {
            book.unanswered(payload.callId, yield* Clock.currentTimeMillis)
          }
          yield* work
        }),
      Queue: ({ payload }) =>
        Effect.sync(() =>
          queue.take(Math.max(0, Math.min(payload.limit, 1_000))).map((e, i): QueueItem => ({
            position: i + 1,
            leadId: e.leadId,
            rule: queueRule(e),
            nextAttemptAt: e.nextAttemptAt,
            priority: e.priority,
            lastContactAt: e.lastContactAt,
          })),
        ),
      Stats: () =>
        Effect.sync(() => ({
          ready: queue.size,
          openOffers: offers.size,
          availableAgents: available.size,
          dialing: book.dialing.size,
          waitingForAgent: book.waiting.size,
          pacing: pacingLabel(),
        })),
    })
    return serializedHandlers(handlers)
  }),
  // One message at a time through `serializedHandlers` rather than the cluster's semaphore: see `FifoLock`.
  { concurrency: "unbounded" },
)
