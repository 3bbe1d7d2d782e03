import { emptyRingAgeProfile, liveChanceAtAge, recordRingOutcome } from "@ringmaster/domain"
import type { RingAgeProfile } from "@ringmaster/domain"

/**
 * What the campaign has measured so far today, as its pacing would: running means that start from cautious
 * guesses (a high answer rate, long calls) and give way to the measurements within minutes, and the counts of
 * the last minute. Nothing here reads the simulator's true parameters.
 */
class RunningMean {
  private sum: number
  private count: number
  constructor(prior: number, weight: number) {
    this.sum = prior * weight
    this.count = weight
  }
  add(x: number): void {
    this.sum += x
    this.count += 1
  }
  get value(): number {
    return this.sum / this.count
  }
}

/** Times of recent events, for "how many in the last minute". */
class LastMinute {
  private readonly times: Array<number> = []
  private head = 0
  add(t: number): void {
    this.times.push(t)
  }
  count(now: number): number {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - 60_000) this.head++
    if (this.head > 4096) {
      this.times.splice(0, this.head)
      this.head = 0
    }
    return this.times.length - this.head
  }
}

export class Observed {
  /** Share of dials whose outcome is known that needed an agent. */
  readonly liveAnswerRate = new RunningMean(0.5, 20)
  readonly answerDelayMs = new RunningMean(10_000, 5)
  readonly talkMs = new RunningMean(180_000, 5)
  readonly wrapMs = new RunningMean(30_000, 5)
  readonly dialsLastMinute = new LastMinute()
  readonly dropsLastMinute = new LastMinute()
  ringAges: RingAgeProfile = emptyRingAgeProfile
  dialsToday = 0
  /** Calls that needed an agent (people, and machines AMD took for people). */
  answersToday = 0
  /** Of those, the ones no agent took within 2 s. */
  dropsToday = 0

  dialed(now: number): void {
    this.dialsToday++
    this.dialsLastMinute.add(now)
  }
  /** A dial's fate is known: it needed an agent (after `delayMs`), or it ended without one. */
  resolved(neededAgent: boolean, delayMs: number): void {
    this.liveAnswerRate.add(neededAgent ? 1 : 0)
    this.ringAges = recordRingOutcome(this.ringAges, delayMs, neededAgent)
    if (neededAgent) {
      this.answersToday++
      this.answerDelayMs.add(delayMs)
    }
  }
  /** The chance that a call ringing for `ageMs` needs an agent, from today's dials. */
  liveChanceAtAge(ageMs: number): number {
    return liveChanceAtAge(this.ringAges, ageMs, this.liveAnswerRate.value)
  }
  dropped(now: number): void {
    this.dropsToday++
    this.dropsLastMinute.add(now)
  }
  get abandonmentRate(): number {
    return this.answersToday === 0 ? 0 : this.dropsToday / this.answersToday
  }
}
