import { Schema } from "effect"

/** A calendar day, `YYYY-MM-DD`. */
export const AbandonmentDay = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/))

/** One day of a campaign's auto-dialed calls: those answered by a person, and those of them abandoned. */
export const DailyAbandonment = Schema.Struct({
  day: AbandonmentDay,
  liveAnswered: Schema.NonNegativeInt,
  abandoned: Schema.NonNegativeInt,
})
export type DailyAbandonment = typeof DailyAbandonment.Type

export interface AbandonmentTotals {
  readonly liveAnswered: number
  readonly abandoned: number
  /** abandoned / liveAnswered; 0 when nothing was answered. */
  readonly rate: number
}

export const abandonmentWindowDays = 30

const dayMs = 86_400_000
const dayNumber = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / dayMs)

/**
 * The rolling abandonment rate on `today`: the days from `today` − 29 to `today` (30 days, today included).
 * Days outside the window, or unreadable, are left out; several entries for one day add up.
 */
export const rollingAbandonment = (
  days: ReadonlyArray<DailyAbandonment>,
  today: string,
  windowDays: number = abandonmentWindowDays,
): AbandonmentTotals => {
  const last = dayNumber(today)
  let liveAnswered = 0
  let abandoned = 0
  for (const entry of days) {
    const n = dayNumber(entry.day)
    if (Number.isNaN(n) || n > last || n <= last - windowDays) continue
    liveAnswered += entry.liveAnswered
    abandoned += entry.abandoned
  }
  return { liveAnswered, abandoned, rate: liveAnswered === 0 ? 0 : abandoned / liveAnswered }
}

/** Where a campaign's abandonment puts it: fine, supervisors warned, or predictive dialing paused (fallback). */
export const AbandonmentLevel = Schema.Literal("ok", "warning", "fallback")
export type AbandonmentLevel = typeof AbandonmentLevel.Type

export interface AbandonmentThresholds {
  /** The tenant's `abandonmentWarnRate` (default 0.025). */
  readonly warnRate: number
  /** The tenant's `abandonmentPauseRate` (default 0.03). */
  readonly pauseRate: number
}

export const defaultAbandonmentThresholds: AbandonmentThresholds = { warnRate: 0.025, pauseRate: 0.03 }

/** The level of a rate: fallback at or above the pause rate, warning at or above the warning rate, else ok. */
export const abandonmentLevel = (
  rate: number,
  thresholds: AbandonmentThresholds = defaultAbandonmentThresholds,
): AbandonmentLevel => (rate >= thresholds.pauseRate ? "fallback" : rate >= thresholds.warnRate ? "warning" : "ok")

const severity: Record<AbandonmentLevel, number> = { ok: 0, warning: 1, fallback: 2 }

/**
 * How far under a level's threshold the rate must come back before the level is left, as a share of the threshold.
 * A rate hovering at the limit would otherwise switch predictive dialing off and on (and alert the supervisors) at
 * nearly every answered call: back under 3% by one call, dialing ahead again pushes it back over.
 */
export const abandonmentRecoveryMargin = 0.1

/**
 * The level after `previous` at `rate`: up as soon as the rate reaches a higher threshold; down only once it is under
 * the threshold of the level it leaves by the recovery margin (under 2.7% to leave fallback at a 3% limit), and then
 * to the level that rate gives with the same margin.
 */
export const abandonmentLevelAfter = (
  previous: AbandonmentLevel,
  rate: number,
  thresholds: AbandonmentThresholds = defaultAbandonmentThresholds,
): AbandonmentLevel => {
  const plain = abandonmentLevel(rate, thresholds)
  if (severity[plain] >= severity[previous]) return plain
  const keep = 1 - abandonmentRecoveryMargin
  const held = abandonmentLevel(rate, { warnRate: thresholds.warnRate * keep, pauseRate: thresholds.pauseRate * keep })
  return severity[held] < severity[previous] ? held : previous
}

/** What changed between two levels, for the supervisors: a warning, an alert (fallback), or back to normal. */
export type AbandonmentChange = "warn" | "fall-back" | "recover" | "none"

/**
 * Whom to tell what when the level goes from `previous` to `next`: rising to warning warns, reaching fallback
 * alerts, and any fall (back under a threshold) is a recovery. Staying at a level says nothing.
 */
export const abandonmentChange = (previous: AbandonmentLevel, next: AbandonmentLevel): AbandonmentChange => {
  if (previous === next) return "none"
  if (severity[next] < severity[previous]) return "recover"
  return next === "fallback" ? "fall-back" : "warn"
}
