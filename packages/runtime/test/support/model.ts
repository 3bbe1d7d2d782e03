/**
 * The reference model of one campaign with `notificationRecipients: 1`: what the distributor, its agents and its
 * leads should do, written as plainly as possible on top of the domain's pure rules (queue order, recipients,
 * assignment, cadence, outcome, agent state machine), which have their own property tests.
 *
 * It follows the runtime's protocol where the protocol is a choice rather than a rule: the distributor hands
 * leads out when something happens to it (a lead arrives or comes back, an agent becomes free), each message
 * of a command happens in the order the entities send them, and a notification reaches its agent after the
 * step that made it. It does not follow the runtime's memory: every queue entry is computed afresh from the
 * lead and the configuration as they are now, which is what the queue-order rules speak of.
 */
import {
  type AgentId,
  type AgentState,
  applyOutcome,
  type Cadence,
  chooseRecipients,
  compareQueueEntries,
  type Disposition,
  type DispositionId,
  dueOnEntry,
  isLegalAgentTransition,
  type LeadId,
  type LeadStatusId,
  type LeadTypeId,
  offerableTo,
  type QueueEntry,
  receivesOffers,
  rescheduleLead,
  type TenantSettings,
} from "@ringmaster/domain"
import { Either } from "effect"

export type Stage = "ready" | "waiting" | "offered" | "in_call" | "wrap_up" | "terminal"

export interface ModelLead {
  readonly id: LeadId
  readonly typeId: LeadTypeId
  readonly createdAt: number
  statusId: LeadStatusId
  stage: Stage
  attempts: number
  attemptsInStatus: number
  lastContactAt: number | null
  nextAttemptAt: number | null
  /** Campaign-wide recycle order; only its order among leads is observable. */
  recycledSeq: number | null
  assignedAgentId: AgentId | null
  assignedUntil: number | null
  /** When the distributor last took it into its queue (the start of an assignment wait). */
  readySince: number | null
  offer: { readonly agentId: AgentId; readonly expiresAt: number } | null
}

export interface ModelAgent {
  readonly id: AgentId
  state: AgentState
  stateSince: number
  pending: { readonly leadId: LeadId; readonly expiresAt: number } | null
  workingLeadId: LeadId | null
  call: { ended: boolean } | null
  /** When the wrap-up limit of the current call ends the wrap-up. */
  wrapUpDeadline: number | null
}

export interface ModelConfig {
  readonly settings: TenantSettings
  readonly cadences: Map<LeadStatusId, Cadence>
  readonly priorityZero: Map<LeadTypeId, boolean>
  readonly initialStatus: ReadonlyMap<LeadTypeId, LeadStatusId>
  /** In the order the tenant lists them (by label): the first "cadence" one closes a wrap-up left unfinished. */
  readonly dispositions: ReadonlyArray<Disposition>
}

export interface ModelState {
  now: number
  readonly config: ModelConfig
  readonly leads: Map<LeadId, ModelLead>
  /** In the order agents were seeded. */
  readonly agents: Map<AgentId, ModelAgent>
  /** Free agents as the distributor knows them, and since when. */
  readonly available: Map<AgentId, number>
  /** Agents not Offline: a lead assigned to one of them may wait for it. */
  readonly loggedIn: Set<AgentId>
  recycledCounter: number
  /** Notifications sent by the distributor and not yet received by their agent. */
  outbox: Array<{ readonly agentId: AgentId; readonly leadId: LeadId; readonly expiresAt: number }>
}

/** The answer to a command: done, or refused with the code (or error tag) the runtime gives. */
export type Answer = { readonly _tag: "Done" } | { readonly _tag: "Refused"; readonly code: string }

const done: Answer = { _tag: "Done" }
const refused = (code: string): Answer => ({ _tag: "Refused", code })

export const cloneState = (s: ModelState): ModelState => structuredClone(s)

const lead = (s: ModelState, id: LeadId): ModelLead => {
  const found = s.leads.get(id)
  if (found === undefined) throw new Error(`model: no lead ${id}`)
  return found
}

const agentOf = (s: ModelState, id: AgentId): ModelAgent => {
  const found = s.agents.get(id)
  if (found === undefined) throw new Error(`model: no agent ${id}`)
  return found
}

// --- the distributor --------------------------------------------------------------------------------------------

/** The queue entry of a ready lead, from the lead and the configuration as they are now. */
export const entryOf = (s: ModelState, l: ModelLead): QueueEntry => ({
  leadId: l.id,
  recycledSeq: l.recycledSeq,
  priorityZero: s.config.priorityZero.get(l.typeId) ?? false,
  lastContactAt: l.lastContactAt,
  nextAttemptAt: l.nextAttemptAt ?? l.createdAt,
  priority: s.config.cadences.get(l.statusId)?.priority ?? 1_000_000,
})

/** The ready leads in queue order. */
export const queueOrder = (s: ModelState): Array<ModelLead> =>
  Array.from(s.leads.values())
    .filter((l) => l.stage === "ready")
    .sort((a, b) => compareQueueEntries(entryOf(s, a), entryOf(s, b)))

const mayBeOfferedNow = (s: ModelState, l: ModelLead): boolean => {
  if (l.assignedAgentId === null || l.assignedUntil === null) return true
  const who = offerableTo({
    assignment: { agentId: l.assignedAgentId, until: l.assignedUntil },
    assignedAgentOnline: s.loggedIn.has(l.assignedAgentId),
    readyAt: l.readySince ?? s.now,
    now: s.now,
    assignmentWaitMs: s.config.settings.assignmentWaitMs,
  })
  return who === "anyone" || s.available.has(l.assignedAgentId)
}

const enqueue = (s: ModelState, l: ModelLead) => {
  l.stage = "ready"
  if (l.readySince === null) l.readySince = s.now
}

/** Hands the first offerable lead to the longest-idle free agent (or its assigned agent), until one runs out. */
export const dispatch = (s: ModelState): void => {
  while (s.available.size > 0) {
    const top = queueOrder(s).find((l) => mayBeOfferedNow(s, l))
    if (top === undefined) return
    const [recipient] = chooseRecipients({
      available: Array.from(s.available, ([agentId, availableSince]) => ({ agentId, availableSince })),
      count: s.config.settings.notificationRecipients,
      assignedAgentId: top.assignedAgentId,
    })
    if (recipient === undefined) return
    const expiresAt = s.now + s.config.settings.notificationTimeoutMs
    top.stage = "offered"
    top.readySince = null
    top.offer = { agentId: recipient, expiresAt }
    s.available.delete(recipient)
    s.outbox.push({ agentId: recipient, leadId: top.id, expiresAt })
  }
}

/** The offer's only recipient said no: the lead goes back, recycled to the top unless the agent merely refused. */
const declineOffer = (s: ModelState, agentId: AgentId, reason: "ignored" | "timeout" | "refused") => {
  const offered = Array.from(s.leads.values()).find((l) => l.stage === "offered" && l.offer?.agentId === agentId)
  if (offered === undefined) return
  offered.offer = null
  if (reason !== "refused") offered.recycledSeq = ++s.recycledCounter
  enqueue(s, offered)
  dispatch(s)
}

/** Notifications reach their agents: taken when the agent is free, refused (and given back) otherwise. */
export const deliverNotifications = (s: ModelState): void => {
  while (s.outbox.length > 0) {
    const next = s.outbox.shift()
    if (next === undefined) return
    const a = agentOf(s, next.agentId)
    if (receivesOffers(a.state, a.pending !== null)) {
      a.pending = { leadId: next.leadId, expiresAt: next.expiresAt }
    } else {
      declineOffer(s, a.id, "refused")
    }
  }
}

// --- agents -----------------------------------------------------------------------------------------------------

/** Saves the agent and tells the distributor when it became free, or stopped being free or changed state. */
const commit = (s: ModelState, a: ModelAgent, next: Partial<Omit<ModelAgent, "id">>) => {
  const freeBefore = receivesOffers(a.state, a.pending !== null)
  const stateBefore = a.state
  Object.assign(a, next)
  const freeNow = receivesOffers(a.state, a.pending !== null)
  if (freeNow && !freeBefore) {
    s.loggedIn.add(a.id)
    if (!s.available.has(a.id)) s.available.set(a.id, s.now)
    dispatch(s)
  }
  if (!freeNow && (freeBefore || stateBefore !== a.state)) {
    s.available.delete(a.id)
    // Leads kept for an agent who logs out are anyone's from then on: the distributor hands them out.
    if (a.state === "Offline") {
      if (s.loggedIn.delete(a.id)) dispatch(s)
    } else s.loggedIn.add(a.id)
  }
}

const moved = (s: ModelState, a: ModelAgent, to: AgentState) =>
  isLegalAgentTransition(a.state, to) ? { state: to, stateSince: s.now } : undefined

/** The cadence after an attempt (the Lead entity's RecordOutcome). */
const recordOutcome = (s: ModelState, agentId: AgentId, leadId: LeadId, dispositionId: DispositionId): Answer => {
  const l = s.leads.get(leadId)
  if (l === undefined) return refused("lead-not-found")
  if (l.stage !== "in_call" && l.stage !== "wrap_up") return refused("lead-not-in-call")
  if (l.assignedAgentId !== agentId) return refused("lead-not-yours")
  const disposition = s.config.dispositions.find((d) => d.id === dispositionId)
  if (disposition === undefined) return refused("unknown-disposition")
  const result = applyOutcome({
    lead: { leadId, statusId: l.statusId, attempts: l.attempts, attemptsInStatus: l.attemptsInStatus },
    priorityZero: s.config.priorityZero.get(l.typeId) ?? false,
    disposition,
    cadenceOf: (status) => s.config.cadences.get(status),
    at: s.now,
  })
  if (Either.isLeft(result)) return refused("priority-zero-needs-status-change")
  const r = result.right
  Object.assign(l, {
    statusId: r.statusId,
    attempts: r.attempts,
    attemptsInStatus: r.attemptsInStatus,
    lastContactAt: s.now,
    nextAttemptAt: r.nextAttemptAt,
    recycledSeq: null,
  })
  if (r.nextAttemptAt === null) l.stage = "terminal"
  else if (r.nextAttemptAt <= s.now) {
    enqueue(s, l)
    dispatch(s)
  } else l.stage = "waiting"
  return done
}

/** The agent records the outcome of the lead it worked; out of wrap-up, back Online. */
const finishWrapUp = (s: ModelState, a: ModelAgent, dispositionId: DispositionId): Answer => {
  if (a.workingLeadId === null) return refused("no-lead")
  const answer = recordOutcome(s, a.id, a.workingLeadId, dispositionId)
  if (answer._tag === "Refused") return answer
  const next = a.state === "WrapUp" ? moved(s, a, "Online") : undefined
  commit(s, a, { ...next, workingLeadId: null, call: null, wrapUpDeadline: null })
  return done
}

/**
 * A wrap-up the agent leaves without an outcome takes the tenant's first "back to cadence" outcome; when the lead
 * refuses it (priority 0 needs a status change), the agent keeps the lead and stays in wrap-up.
 */
const closeWrapUpWithoutOutcome = (s: ModelState, a: ModelAgent): Answer => {
  if (a.workingLeadId === null) return done
  const fallback = s.config.dispositions.find((d) => d.kind === "cadence")
  if (fallback === undefined) return refused("outcome-required")
  return finishWrapUp(s, a, fallback.id)
}

const dropPending = (s: ModelState, a: ModelAgent, reason: "ignored" | "timeout" | "refused") => {
  if (a.pending === null) return
  declineOffer(s, a.id, reason)
}

/** Ignoring a notification, or letting it time out: the lead is recycled and the agent is Busy. */
const ignoreOrTimeout = (s: ModelState, a: ModelAgent, reason: "ignored" | "timeout"): Answer => {
  if (a.pending === null) return refused("no-such-offer")
  dropPending(s, a, reason)
  commit(s, a, { ...moved(s, a, "Busy"), pending: null })
  return done
}

export const setState = (s: ModelState, agentId: AgentId, to: AgentState): Answer => {
  const a = agentOf(s, agentId)
  if (a.call !== null && !a.call.ended) return refused("call-in-progress")
  if (moved(s, a, to) === undefined) return refused("IllegalAgentTransition")
  if (a.state === "WrapUp" && a.workingLeadId !== null) {
    const closed = closeWrapUpWithoutOutcome(s, a)
    if (closed._tag === "Refused") return closed
    if (a.state !== "WrapUp" && to === "Online") return done
    const again = moved(s, a, to)
    if (again === undefined) return refused("IllegalAgentTransition")
    commit(s, a, { ...again, pending: null, wrapUpDeadline: null })
    return done
  }
  if (a.pending !== null && to !== "Online") dropPending(s, a, "refused")
  commit(s, a, { state: to, stateSince: s.now, pending: to === "Online" ? a.pending : null })
  return done
}

export const accept = (s: ModelState, agentId: AgentId): Answer => {
  const a = agentOf(s, agentId)
  if (a.pending === null) return refused("no-such-offer")
  const l = lead(s, a.pending.leadId)
  if (l.stage !== "offered" || l.offer?.agentId !== agentId) {
    commit(s, a, { pending: null })
    return refused("offer-lost")
  }
  Object.assign(l, {
    stage: "in_call",
    offer: null,
    recycledSeq: null,
    assignedAgentId: agentId,
    assignedUntil: s.now + s.config.settings.assignmentDurationMs,
  })
  commit(s, a, {
    state: "OnCall",
    stateSince: s.now,
    pending: null,
    workingLeadId: l.id,
    call: { ended: false },
  })
  return done
}

export const ignore = (s: ModelState, agentId: AgentId): Answer => ignoreOrTimeout(s, agentOf(s, agentId), "ignored")

export const hangup = (s: ModelState, agentId: AgentId): Answer => {
  const a = agentOf(s, agentId)
  if (a.call === null || a.call.ended) return refused("no-call")
  a.call.ended = true
  if (a.workingLeadId !== null) {
    const l = lead(s, a.workingLeadId)
    if (l.stage === "in_call") l.stage = "wrap_up"
  }
  commit(s, a, {
    ...moved(s, a, "WrapUp"),
    wrapUpDeadline: s.now + s.config.settings.wrapUpLimitMs,
  })
  return done
}

export const submitOutcome = (s: ModelState, agentId: AgentId, dispositionId: DispositionId): Answer => {
  const a = agentOf(s, agentId)
  if (a.call !== null && !a.call.ended) return refused("call-in-progress")
  return finishWrapUp(s, a, dispositionId)
}

// --- leads and the control plane --------------------------------------------------------------------------------

/** `POST /leads`: the lead is due at once in its type's initial status. */
export const createLead = (s: ModelState, id: LeadId, typeId: LeadTypeId): void => {
  const statusId = s.config.initialStatus.get(typeId)
  if (statusId === undefined) throw new Error(`model: no lead type ${typeId}`)
  const l: ModelLead = {
    id,
    typeId,
    createdAt: s.now,
    statusId,
    stage: "waiting",
    attempts: 0,
    attemptsInStatus: 0,
    lastContactAt: null,
    nextAttemptAt: s.now,
    recycledSeq: null,
    assignedAgentId: null,
    assignedUntil: null,
    readySince: null,
    offer: null,
  }
  s.leads.set(id, l)
  admitIfDue(s, l)
}

/** A waiting lead whose time has come joins the queue; a ready one is (re)queued. */
const admitIfDue = (s: ModelState, l: ModelLead) => {
  if (l.stage === "ready") {
    enqueue(s, l)
    dispatch(s)
    return
  }
  if (l.stage !== "waiting" || l.nextAttemptAt === null || l.nextAttemptAt > s.now) return
  enqueue(s, l)
  dispatch(s)
}

/** `Lead.Refresh` after a cadence edit: a waiting lead is re-timed under its status's cadence as it is now. */
const refresh = (s: ModelState, l: ModelLead) => {
  if (l.stage !== "waiting") return admitIfDue(s, l)
  const plan = rescheduleLead({
    cadence: s.config.cadences.get(l.statusId),
    attemptsInStatus: l.attemptsInStatus,
    lastContactAt: l.lastContactAt,
    enteredAt: l.createdAt,
  })
  const next =
    plan._tag === "At"
      ? { statusId: l.statusId, attemptsInStatus: l.attemptsInStatus, nextAttemptAt: plan.at }
      : plan._tag === "Exhausted"
        ? {
            statusId: plan.finalStatusId,
            attemptsInStatus: 0,
            nextAttemptAt: dueOnEntry(s.config.cadences.get(plan.finalStatusId), l.lastContactAt ?? s.now),
          }
        : { statusId: l.statusId, attemptsInStatus: l.attemptsInStatus, nextAttemptAt: null }
  if (next.statusId === l.statusId && next.nextAttemptAt === l.nextAttemptAt) return admitIfDue(s, l)
  Object.assign(l, next, { stage: next.nextAttemptAt === null ? "terminal" : "waiting" })
  admitIfDue(s, l)
}

/**
 * A supervisor edits a cadence: the leads of that status that wait or are queued are refreshed, each on its own
 * (the control plane refreshes them concurrently, so the model returns one event per lead).
 */
export const changeCadence = (s: ModelState, statusId: LeadStatusId, cadence: Cadence): Array<ModelEvent> => {
  s.config.cadences.set(statusId, cadence)
  return Array.from(s.leads.values())
    .filter((l) => l.statusId === statusId && (l.stage === "waiting" || l.stage === "ready"))
    .map((l) => ({ label: `refresh ${l.id}`, steps: [(m: ModelState) => refresh(m, lead(m, l.id))] }))
}

/** A supervisor switches priority 0 of a lead type: queued leads of that type move at once. */
export const switchPriorityZero = (s: ModelState, typeId: LeadTypeId, on: boolean): void => {
  s.config.priorityZero.set(typeId, on)
}

// --- time -------------------------------------------------------------------------------------------------------

/**
 * Something that happens on its own: a timer, or one of several messages sent at once. `steps` are the parts that
 * reach the distributor one message at a time; steps of simultaneous events may interleave.
 */
export interface ModelEvent {
  readonly label: string
  readonly steps: ReadonlyArray<(s: ModelState) => void>
}

/** Timers the model expects, at the instants they are due. */
export const timerInstants = (s: ModelState): Array<number> => {
  const out: Array<number> = []
  for (const a of s.agents.values()) {
    if (a.pending !== null) out.push(a.pending.expiresAt)
    if (a.state === "WrapUp" && a.call !== null && a.wrapUpDeadline !== null) out.push(a.wrapUpDeadline)
  }
  for (const l of s.leads.values()) if (l.stage === "waiting" && l.nextAttemptAt !== null) out.push(l.nextAttemptAt)
  const waitOver = assignmentWaitOver(s)
  if (waitOver !== null) out.push(waitOver)
  return out
}

/**
 * With free agents and no lead they may take, the first instant a lead kept for its assigned agent may go to
 * anyone: the distributor hands out again then.
 */
const assignmentWaitOver = (s: ModelState): number | null => {
  if (s.available.size === 0) return null
  const ready = queueOrder(s)
  if (ready.some((l) => mayBeOfferedNow(s, l))) return null
  let first: number | null = null
  for (const l of ready) {
    if (l.assignedUntil === null) continue
    const over = Math.min((l.readySince ?? s.now) + s.config.settings.assignmentWaitMs, l.assignedUntil)
    if (over > s.now) first = first === null ? over : Math.min(first, over)
  }
  return first
}

/** The timers due exactly at `s.now`, as events. */
export const dueTimers = (s: ModelState): Array<ModelEvent> => {
  const events: Array<ModelEvent> = []
  for (const a of s.agents.values()) {
    if (a.pending !== null && a.pending.expiresAt === s.now) {
      const id = a.id
      events.push({ label: `notification of ${id} times out`, steps: [(m) => void timeout(m, id)] })
    }
    if (a.state === "WrapUp" && a.call !== null && a.wrapUpDeadline === s.now) {
      const id = a.id
      events.push({
        label: `wrap-up limit of ${id}`,
        steps: [(m) => wrapUpLimitOutcome(m, id), (m) => wrapUpLimitOnline(m, id)],
      })
    }
  }
  for (const l of s.leads.values()) {
    if (l.stage === "waiting" && l.nextAttemptAt === s.now) {
      const id = l.id
      events.push({ label: `next attempt of ${id}`, steps: [(m) => admitIfDue(m, lead(m, id))] })
    }
  }
  if (s.available.size > 0 && queueOrder(s).some((l) => mayBeOfferedNow(s, l))) {
    events.push({ label: "an assignment wait is over", steps: [(m) => dispatch(m)] })
  }
  return events
}

const timeout = (s: ModelState, agentId: AgentId) => {
  const a = agentOf(s, agentId)
  if (a.pending === null || a.pending.expiresAt !== s.now) return
  ignoreOrTimeout(s, a, "timeout")
}

/** The wrap-up limit: the lead gets the fallback outcome (one message to the distributor, when it is requeued)... */
const wrapUpLimitOutcome = (s: ModelState, agentId: AgentId) => {
  const a = agentOf(s, agentId)
  if (a.state !== "WrapUp" || a.wrapUpDeadline !== s.now || a.workingLeadId === null) return
  const fallback = s.config.dispositions.find((d) => d.kind === "cadence")
  if (fallback !== undefined) recordOutcome(s, a.id, a.workingLeadId, fallback.id)
}

/** ...and, the lead having its outcome, the agent goes back Online (another message to the distributor). */
const wrapUpLimitOnline = (s: ModelState, agentId: AgentId) => {
  const a = agentOf(s, agentId)
  if (a.state !== "WrapUp" || a.wrapUpDeadline !== s.now) return
  if (a.workingLeadId !== null && s.leads.get(a.workingLeadId)?.stage === "wrap_up") return
  const next = moved(s, a, "Online")
  if (next !== undefined) commit(s, a, { ...next, call: null, workingLeadId: null, wrapUpDeadline: null })
}

/** A fingerprint of everything observable, to tell two outcomes apart. */
export const fingerprint = (s: ModelState): string => {
  const recycledRank = new Map(
    Array.from(s.leads.values())
      .filter((l) => l.recycledSeq !== null)
      .sort((a, b) => (a.recycledSeq ?? 0) - (b.recycledSeq ?? 0))
      .map((l, i) => [l.id, i]),
  )
  return JSON.stringify({
    leads: Array.from(s.leads.values()).map((l) => ({ ...l, recycledSeq: recycledRank.get(l.id) ?? null })),
    agents: Array.from(s.agents.values()),
    available: Array.from(s.available).sort(),
    loggedIn: Array.from(s.loggedIn).sort(),
    config: { cadences: Array.from(s.config.cadences), p0: Array.from(s.config.priorityZero) },
  })
}

/**
 * Every state the model may reach when `events` happen at once: their steps interleave in any order that keeps
 * each event's own order, and each step ends with the notifications it sent being received. Duplicates removed.
 */
export const interleavings = (
  start: ModelState,
  events: ReadonlyArray<ModelEvent>,
  limit = 50_000,
): Array<ModelState> => {
  const results = new Map<string, ModelState>()
  const seen = new Set<string>()
  let explored = 0
  const go = (s: ModelState, positions: ReadonlyArray<number>) => {
    const key = `${positions.join(",")}|${fingerprint(s)}`
    if (seen.has(key)) return
    seen.add(key)
    if (++explored > limit) throw new Error(`model: more than ${limit} interleavings of ${events.length} events`)
    let finished = true
    events.forEach((event, i) => {
      const at = positions[i] ?? 0
      const step = event.steps[at]
      if (step === undefined) return
      finished = false
      const next = cloneState(s)
      step(next)
      deliverNotifications(next)
      go(
        next,
        positions.map((p, j) => (j === i ? p + 1 : p)),
      )
    })
    if (finished) results.set(fingerprint(s), s)
  }
  go(
    start,
    events.map(() => 0),
  )
  return Array.from(results.values())
}
