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

/** What changed between two levels, for the supervisors: a warning, an alert (fallback), or back to normal. */
export type AbandonmentChange = "warn" | "fall-back" | "recover" | "none"

const severity: Record<AbandonmentLevel, number> = { ok: 0, warning: 1, fallback: 2 }

/**
 * Whom to tell what when the level goes from `previous` to `next`: rising to warning warns, reaching fallback
 * alerts, and any fall (back under a threshold) is a recovery. Staying at a level says nothing.
 */
export const abandonmentChange = (previous: AbandonmentLevel, next: AbandonmentLevel): AbandonmentChange => {
  if (previous === next) return "none"
  if (severity[next] < severity[previous]) return "recover"
  return next === "fallback" ? "fall-back" : "warn"
}
