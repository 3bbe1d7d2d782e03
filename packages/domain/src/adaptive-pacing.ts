import { freeLines, progressiveDials, wholeCount } from "./dial-ratio.js"
import type { LineCounts } from "./dial-ratio.js"

/**
 * Ringmaster's adaptive pacing: how many dials to place now.
 *
 * A dial placed now reaches a person (or AMD's "human") with probability p = `liveAnswerRate`, about
 * `meanAnswerDelayMs` later, and must then get an agent within 2 seconds. Agents that can take it (the look-ahead:
 * half the mean answer delay + 2 s) are the free ones, those in wrap-up whose expected time left is within it, and
 * talking agents who may hang up and finish their wrap-up in time (a Poisson count, rate
 * `callsConnected / meanTalkMs`). The look-ahead stops short of the mean delay on purpose: pacing decides again
 * every second, and an agent due later is better left to those later dials, whose answers come when it is free,
 * than counted for this one, whose answer may come first. The answers they compete with are the calls already
 * waiting, the calls ringing (each by its own chance when `ringingLiveChances` is given) and the new dials already
 * decided.
 *
 * The k-th new dial is placed while the chance that everybody else's answers already take every agent of the
 * look-ahead — the chance that this dial, if answered, is abandoned — stays at or under a marginal risk. That
 * risk shrinks as the campaign's rolling abandonment rate nears its limit, and also with the headroom left in
 * abandons (how many more the window can take before its rate reaches the limit): over a few dozen answers (a new
 * campaign's first hour) a couple of abandons would cross the limit, whatever the rate says. At the limit the
 * campaign falls back to one call in flight per free agent (progressive). Progressive is also the floor: a call per
 * free agent cannot be abandoned for want of an agent, so pacing never dials less than that.
 */
export interface PacingSnapshot extends LineCounts {
  /** Agents logged in to the campaign, whatever their state. */
  readonly agentsLoggedIn: number
  /** For each agent in wrap-up: the expected milliseconds left before it is free (0 when overdue). */
  readonly wrapUpRemainingMs: ReadonlyArray<number>
  /** Share of dials that end up needing an agent (people, and machines AMD took for people), 0..1. */
  readonly liveAnswerRate: number
  /**
   * When known: for each call ringing, its chance of still needing an agent given how long it has rung
   * (`liveChanceAtAge` of `ring-age.ts`): a call that has rung long is most likely a no-answer. Without it, each
   * call ringing counts `liveAnswerRate`.
   */
  readonly ringingLiveChances?: ReadonlyArray<number>
  /** Mean time from a dial to the end of the greeting, over the dials that needed an agent. */
  readonly meanAnswerDelayMs: number
  /** Mean time an agent stays connected to a call. */
  readonly meanTalkMs: number
  /** Mean wrap-up time after a call. */
  readonly meanWrapMs: number
  /** The campaign's rolling abandonment rate (abandoned / live-answered) and the limit it must stay under. */
  readonly abandonmentRate: number
  readonly abandonmentLimit: number
  /**
   * The counts behind that rate, over the same window: calls answered that needed an agent, and of those the ones
   * abandoned. They give the headroom in abandons; without them, only the rate lowers the risk.
   */
  readonly liveAnswered?: number
  readonly abandoned?: number
}

export interface PacingTuning {
  /** The marginal abandonment risk accepted for a new dial with no abandonment and plenty of headroom. */
  readonly maxMarginalRisk: number
  /** Headroom, in abandons, from which the full risk is accepted; under it the risk shrinks in proportion. */
  readonly fullRiskHeadroom: number
  /** The look-ahead, as a share of the mean answer delay (plus the 2 s a person may wait). */
  readonly lookAheadShare: number
}

export const defaultPacingTuning: PacingTuning = { maxMarginalRisk: 0.1, fullRiskHeadroom: 3, lookAheadShare: 0.5 }

/** A person may get an agent up to 2 s after the end of their hello. */
const graceMs = 2_000

/** The smallest live-answer rate pacing believes in: without it, a rate of 0 would dial every free line. */
const minLiveAnswerRate = 0.01

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)
const positive = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0)

/**
 * How many more abandons the window can take before its rate reaches the limit: limit × answered − abandoned
 * (0 or less at the limit; 0 with nothing answered yet, when a single abandon would put the rate at 100%).
 * Infinite when the counts are not known.
 */
export const abandonHeadroom = (
  counts: Pick<PacingSnapshot, "liveAnswered" | "abandoned" | "abandonmentLimit">,
): number =>
  counts.liveAnswered === undefined || counts.abandoned === undefined
    ? Number.POSITIVE_INFINITY
    : clamp01(counts.abandonmentLimit) * wholeCount(counts.liveAnswered) - wholeCount(counts.abandoned)

/**
 * The marginal risk accepted now: `maxMarginalRisk` × √(1 − rate / limit) × min(1, headroom / `fullRiskHeadroom`).
 * The rate sets where a long window settles (a square root rather than a line: most of the risk is kept at moderate
 * rates, and it falls steeply near the limit); the headroom keeps a short window (a few hundred answers, a new
 * campaign's first hours) off the limit, where a couple of abandons are a big step. Undefined once the rate is at or
 * above the limit: the campaign falls back to progressive dialing.
 */
export const marginalRisk = (
  abandonment: Pick<PacingSnapshot, "abandonmentRate" | "abandonmentLimit" | "liveAnswered" | "abandoned">,
  tuning: PacingTuning = defaultPacingTuning,
): number | undefined => {
  const limit = clamp01(abandonment.abandonmentLimit)
  const rate = clamp01(abandonment.abandonmentRate)
  if (rate >= limit) return undefined
  const fullAt = positive(tuning.fullRiskHeadroom)
  const headroom = Math.max(0, abandonHeadroom(abandonment))
  const byHeadroom = fullAt > 0 ? Math.min(1, headroom / fullAt) : 1
  return clamp01(tuning.maxMarginalRisk) * Math.sqrt(1 - rate / limit) * byHeadroom
}

/** Poisson probabilities P(N = j) for j = 0.. until the tail left is negligible. */
const poissonPmf = (lambda: number): ReadonlyArray<number> => {
  if (lambda <= 0) return [1]
  const pmf: Array<number> = []
  let term = Math.exp(-lambda)
  let cumulative = 0
  for (let j = 0; cumulative < 1 - 1e-9 && j < 10_000; j++) {
    if (j > 0) term = (term * lambda) / j
    pmf.push(term)
    cumulative += term
  }
  return pmf
}

/** The distribution of the number of successes of independent trials (Poisson binomial), one trial at a time. */
class SuccessesPmf {
  private pmf: Array<number> = [1]
  addTrial(p: number): void {
    const next = new Array<number>(this.pmf.length + 1).fill(0)
    for (let i = 0; i < this.pmf.length; i++) {
      const mass = this.pmf[i] ?? 0
      next[i] = (next[i] ?? 0) + mass * (1 - p)
      next[i + 1] = (next[i + 1] ?? 0) + mass * p
    }
    this.pmf = next
  }
  /** P(X >= k). */
  atLeast(k: number): number {
    if (k <= 0) return 1
    let tail = 0
    for (let i = Math.max(0, k); i < this.pmf.length; i++) tail += this.pmf[i] ?? 0
    return tail
  }
}

/** The agents that can take an answer arriving `horizonMs` from now: a sure part and a Poisson rate. */
export const agentsWithin = (
  snapshot: PacingSnapshot,
  horizonMs: number,
): { readonly sure: number; readonly talkRate: number } => {
  const dueFromWrap = snapshot.wrapUpRemainingMs.filter((ms) => !(ms > horizonMs)).length
  const talkWindow = Math.max(0, horizonMs - positive(snapshot.meanWrapMs))
  const meanTalk = positive(snapshot.meanTalkMs)
  const talkRate = meanTalk > 0 ? (wholeCount(snapshot.callsConnected) * talkWindow) / meanTalk : 0
  return { sure: wholeCount(snapshot.freeAgents) + dueFromWrap, talkRate }
}

/** Dials to place now (a whole number, 0 or more, within the campaign's free lines). */
export const adaptiveDials = (snapshot: PacingSnapshot, tuning: PacingTuning = defaultPacingTuning): number => {
  if (wholeCount(snapshot.agentsLoggedIn) === 0) return 0
  const floor = progressiveDials(snapshot)
  const risk = marginalRisk(snapshot, tuning)
  if (risk === undefined) return floor
  const lines = freeLines(snapshot)
  const p = Math.max(minLiveAnswerRate, clamp01(snapshot.liveAnswerRate))
  const { sure, talkRate } = agentsWithin(
    snapshot,
    clamp01(tuning.lookAheadShare) * positive(snapshot.meanAnswerDelayMs) + graceMs,
  )
  const supply = poissonPmf(talkRate)
  const waiting = wholeCount(snapshot.callsWaiting)
  const answers = new SuccessesPmf()
  const ringing = wholeCount(snapshot.callsRinging)
  for (let i = 0; i < ringing; i++) answers.addTrial(clamp01(snapshot.ringingLiveChances?.[i] ?? p))
  /** The chance that the answers of the calls counted so far take every agent of the look-ahead. */
  const agentsTaken = (): number => {
    let chance = 0
    for (let j = 0; j < supply.length; j++) chance += (supply[j] ?? 0) * answers.atLeast(sure + j - waiting)
    return chance
  }
  let dials = 0
  while (dials < lines && agentsTaken() <= risk) {
    dials++
    answers.addTrial(p)
  }
  return Math.min(lines, Math.max(floor, dials))
}
