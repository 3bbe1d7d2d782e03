import { freeLines, wholeCount } from "./dial-ratio.js"
import type { LineCounts } from "./dial-ratio.js"

/**
 * A baseline for comparison: the adaptive dial level VICIdial documents for its ADAPT_* dial methods
 * (AST_VDadapt.pl, `calculate_dial_level`; the dialer AST_VDauto_dial.pl), re-implemented from its description:
 *
 * - Every second the campaign samples its ready agents, its calls answered and waiting for an agent ("LIVE"), and
 *   its logged-in agents; the last 15 samples are kept.
 * - Every 15 seconds the dial level moves: differential = mean(ready) − mean(waiting) (+ the "dial level difference
 *   target"), level ← level × (1 + differential / mean(logged in)). The "intensity" setting scales a rise by
 *   (1 + intensity/100) and a fall by |intensity/100 − 1|. The level is capped at the "maximum adapt dial level"
 *   and never goes under 1.0.
 * - Drop-rate brakes, applied after that step: when more than 20 calls were placed in the last minute and over
 *   50% of them dropped, the level is halved. When more than 50 calls were placed today and today's drops exceed
 *   the "adaptive dropped percentage" of today's answered calls: ADAPT_HARD_LIMIT sets the level to 1.0,
 *   ADAPT_AVERAGE halves it, ADAPT_TAPERED multiplies it by (time left before the campaign's latest hour / 10 h,
 *   at most 1) and sets it to 1.0 once that hour is past. Then the level is raised to 1.0 if under it.
 * - The dialer keeps round(level × agents ready or on a call) calls open, counting calls ringing, waiting and
 *   connected to agents, and dials the shortfall (within the lines).
 *
 * Not modelled: the available-only tally and dial-level thresholds (off by default), inbound blending, and
 * VICIdial's one-minute vs 15-second timer drift. Agents in wrap-up count as neither ready nor on a call, as
 * VICIdial's paused-for-disposition agents.
 */
export const VicidialMethod = ["ADAPT_HARD_LIMIT", "ADAPT_AVERAGE", "ADAPT_TAPERED"] as const
export type VicidialMethod = (typeof VicidialMethod)[number]

export interface VicidialSettings {
  readonly method: VicidialMethod
  /** "Adaptive dropped percentage": the limit on drops per answered call, in percent (VICIdial's default 3). */
  readonly droppedPercentLimit: number
  /** "Maximum adapt dial level" (default 3.0). */
  readonly maxLevel: number
  /** "Adapt intensity modifier", -40..40 (default 0). */
  readonly intensity: number
  /** "Dial level difference target": negative keeps agents waiting, positive keeps calls waiting (default 0). */
  readonly dlDiffTarget: number
  /** The level a campaign starts the day at ("auto dial level"). */
  readonly initialLevel: number
}

export const defaultVicidialSettings: VicidialSettings = {
  method: "ADAPT_HARD_LIMIT",
  droppedPercentLimit: 3,
  maxLevel: 3,
  intensity: 0,
  dlDiffTarget: 0,
  initialLevel: 1,
}

/** One second's look at the campaign. */
export interface VicidialSample {
  readonly readyAgents: number
  readonly waitingCalls: number
  readonly loggedInAgents: number
}

export interface VicidialState {
  readonly level: number
  /** The latest samples, oldest first, at most `vicidialSampleWindow`. */
  readonly samples: ReadonlyArray<VicidialSample>
}

export const vicidialSampleWindow = 15
/** The level moves every 15 seconds; samples are taken every second. */
export const vicidialAdjustEveryMs = 15_000
export const vicidialSampleEveryMs = 1_000

export const initialVicidialState = (settings: VicidialSettings = defaultVicidialSettings): VicidialState => ({
  level: Math.max(1, Math.min(settings.maxLevel, settings.initialLevel)),
  samples: [],
})

export const recordVicidialSample = (state: VicidialState, sample: VicidialSample): VicidialState => ({
  level: state.level,
  samples: [...state.samples, sample].slice(-vicidialSampleWindow),
})

/** The drop statistics the brakes look at. */
export interface VicidialDropStats {
  readonly callsLastMinute: number
  readonly dropsLastMinute: number
  readonly callsToday: number
  readonly answersToday: number
  readonly dropsToday: number
  /** Time left before the campaign's latest calling hour (ADAPT_TAPERED); negative once past it. */
  readonly msUntilLatestHour: number
}

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
const tenHoursMs = 10 * 3_600_000

/** The 15-second step: the new dial level from the samples and the drop statistics. */
export const adjustVicidialLevel = (
  state: VicidialState,
  drops: VicidialDropStats,
  settings: VicidialSettings = defaultVicidialSettings,
): VicidialState => {
  const agents = mean(state.samples.map((s) => s.loggedInAgents))
  if (agents <= 0) return state
  const differential =
    mean(state.samples.map((s) => s.readyAgents)) -
    mean(state.samples.map((s) => s.waitingCalls)) +
    settings.dlDiffTarget
  const change = differential / agents
  const intensity = settings.intensity / 100
  const scaled = change < 0 ? change * Math.abs(intensity - 1) : change * (intensity + 1)
  let level = state.level * (1 + scaled)
  if (level > settings.maxLevel) level = settings.maxLevel
  if (level < 1) level = 1
  if (drops.callsLastMinute > 20 && drops.dropsLastMinute / drops.callsLastMinute > 0.5) level = level / 2
  const answers = Math.max(1, drops.answersToday)
  if (drops.callsToday > 50 && (drops.dropsToday / answers) * 100 > settings.droppedPercentLimit) {
    switch (settings.method) {
      case "ADAPT_HARD_LIMIT":
        level = 1
        break
      case "ADAPT_AVERAGE":
        level = level / 2
        break
      case "ADAPT_TAPERED":
        level = drops.msUntilLatestHour < 0 ? 1 : level * Math.min(1, drops.msUntilLatestHour / tenHoursMs)
        break
    }
  }
  return { level: Math.max(1, level), samples: state.samples }
}

/**
 * Dials to place now at `level`: calls open (ringing, waiting, connected) are brought up to
 * round(level × (ready agents + agents on a call)), within the free lines.
 */
export const vicidialDials = (
  counts: LineCounts & { readonly level: number; readonly agentsOnCall: number },
): number => {
  const level = Number.isFinite(counts.level) && counts.level > 0 ? counts.level : 0
  const goal = Math.round(level * (wholeCount(counts.freeAgents) + wholeCount(counts.agentsOnCall)))
  const open = wholeCount(counts.callsRinging) + wholeCount(counts.callsWaiting) + wholeCount(counts.callsConnected)
  return Math.max(0, Math.min(goal - open, freeLines(counts)))
}
