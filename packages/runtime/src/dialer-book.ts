import {
  adaptiveDials,
  type AgentId,
  type CallId,
  emptyRingAgeProfile,
  fixedRatioDials,
  type LeadId,
  liveChanceAtAge,
  recordRingOutcome,
  type RingAgeProfile,
  type LineCounts,
  progressiveDials,
} from "@ringmaster/domain"

/** Estimates pacing starts from, before a campaign has measured its own (the figures of a typical day). */
const prior = { liveAnswerRate: 0.2, answerDelayMs: 8_000, talkMs: 120_000, wrapMs: 15_000, weight: 20 }

/** An exponentially weighted mean that starts at a prior worth `weight` observations. */
class RunningMean {
  private n: number
  constructor(
    public value: number,
    weight: number,
    private readonly window = 200,
  ) {
    this.n = weight
  }
  add(x: number): void {
    this.n = Math.min(this.window, this.n + 1)
    this.value += (x - this.value) / this.n
  }
}

export type PacingMode = "ratio" | "adaptive" | "fallback"

/**
 * What the Campaign entity knows about its automatic dials: the calls ringing, the people waiting for an agent,
 * the agents on an automatic call, and the running figures adaptive pacing needs (answer rate, answer delay, talk
 * and wrap time). In memory: after a restart it starts again from the priors, which only makes pacing careful.
 */
export class DialerBook {
  readonly dialing = new Map<CallId, { readonly leadId: LeadId; readonly placedAt: number }>()
  /** People who answered and wait for an agent, oldest first (insertion order). */
  readonly waiting = new Map<CallId, { readonly leadId: LeadId; readonly since: number }>()
  /** Agents connected to an automatic call, and since when (until they are free again). */
  readonly connected = new Map<AgentId, number>()
  /** Agents in wrap-up, and since when: pacing counts on them being free soon. */
  private readonly wrappingSince = new Map<AgentId, number>()
  private readonly answerRate = new RunningMean(prior.liveAnswerRate, prior.weight)
  private readonly answerDelay = new RunningMean(prior.answerDelayMs, prior.weight)
  /** How dials resolved by how long they had rung: a call that has rung long is less likely to need an agent. */
  private ringAges: RingAgeProfile = emptyRingAgeProfile
  /** Talk plus wrap-up: from the connection to the agent being free again. */
  private readonly cycle = new RunningMean(prior.talkMs + prior.wrapMs, prior.weight)

  placed(callId: CallId, leadId: LeadId, at: number): void {
    this.dialing.set(callId, { leadId, placedAt: at })
  }

  /** A person answered `callId`: counts toward the answer rate and delay. */
  answered(callId: CallId, at: number): void {
    const dial = this.dialing.get(callId)
    if (dial === undefined) return
    this.dialing.delete(callId)
    this.answerRate.add(1)
    this.answerDelay.add(Math.max(0, at - dial.placedAt))
    this.ringAges = recordRingOutcome(this.ringAges, at - dial.placedAt, true)
  }

  /** The dial ended without a person (machine, no answer, busy, failure, refusal). */
  unanswered(callId: CallId, at: number): void {
    const dial = this.dialing.get(callId)
    if (dial === undefined) return
    this.dialing.delete(callId)
    this.answerRate.add(0)
    this.ringAges = recordRingOutcome(this.ringAges, at - dial.placedAt, false)
  }

  wait(callId: CallId, leadId: LeadId, since: number): void {
    this.waiting.set(callId, { leadId, since })
  }

  /** The oldest person waiting for an agent, taken off the waiting list. */
  takeOldestWaiting(): { readonly callId: CallId; readonly leadId: LeadId } | undefined {
    for (const [callId, w] of this.waiting) {
      this.waiting.delete(callId)
      return { callId, leadId: w.leadId }
    }
    return undefined
  }

  /** The agent is in wrap-up since `since`, or (null) no longer. */
  wrapping(agentId: AgentId, since: number | null): void {
    if (since === null) this.wrappingSince.delete(agentId)
    else this.wrappingSince.set(agentId, since)
  }

  connect(agentId: AgentId, at: number): void {
    this.connected.set(agentId, at)
  }

  /** The agent is free again: if it was on an automatic call, its talk and wrap-up time is measured. */
  agentFree(agentId: AgentId, at: number): void {
    const since = this.connected.get(agentId)
    if (since === undefined) return
    this.connected.delete(agentId)
    this.cycle.add(Math.max(0, at - since))
  }

  /** Dials to place now. */
  dialsNow(input: {
    readonly now: number
    readonly mode: PacingMode
    readonly ratio: number
    readonly freeAgents: number
    readonly agentsLoggedIn: number
    readonly maxLines: number
    readonly abandonmentRate: number
    readonly abandonmentLimit: number
    /** The counts behind `abandonmentRate` (live-answered calls over the window, and those abandoned), if known. */
    readonly liveAnswered?: number
    readonly abandoned?: number
  }): number {
    if (input.agentsLoggedIn === 0) return 0
    const counts: LineCounts = {
      freeAgents: input.freeAgents,
      callsRinging: this.dialing.size,
      callsWaiting: this.waiting.size,
      callsConnected: this.connected.size,
      maxLines: input.maxLines,
    }
    if (input.mode === "fallback") return progressiveDials(counts)
    if (input.mode === "ratio") return fixedRatioDials({ ...counts, ratio: input.ratio })
    const wrapMs = prior.wrapMs
    return adaptiveDials({
      ...counts,
      agentsLoggedIn: input.agentsLoggedIn,
      wrapUpRemainingMs: Array.from(this.wrappingSince.values(), (since) => Math.max(0, wrapMs - (input.now - since))),
      liveAnswerRate: this.answerRate.value,
      ringingLiveChances: Array.from(this.dialing.values(), (d) =>
        liveChanceAtAge(this.ringAges, input.now - d.placedAt, this.answerRate.value),
      ),
      meanAnswerDelayMs: this.answerDelay.value,
      meanTalkMs: Math.max(1_000, this.cycle.value - wrapMs),
      meanWrapMs: wrapMs,
      abandonmentRate: input.abandonmentRate,
      abandonmentLimit: input.abandonmentLimit,
      liveAnswered: input.liveAnswered,
      abandoned: input.abandoned,
    })
  }
}
