import { Schema } from "effect"

/**
 * How an auto-dialing campaign paces: a fixed number of calls in flight per free agent (1.5:1 conservative,
 * 2.0:1 balanced, 3.0:1 aggressive), or the adaptive controller of `adaptive-pacing.ts`.
 */
export const DialRatio = Schema.Literal("1.5:1", "2.0:1", "3.0:1", "adaptive")
export type DialRatio = typeof DialRatio.Type

export const dialRatioPresets: ReadonlyArray<DialRatio> = DialRatio.literals

/** Calls in flight per free agent of a fixed preset; undefined for "adaptive". */
export const dialRatioValue = (ratio: DialRatio): number | undefined => {
  switch (ratio) {
    case "1.5:1":
      return 1.5
    case "2.0:1":
      return 2
    case "3.0:1":
      return 3
    case "adaptive":
      return undefined
  }
}

/** What a campaign's calls and agents are doing now, as pacing sees it. */
export interface LineCounts {
  /** Agents logged in, Online and holding no call or notification. */
  readonly freeAgents: number
  /** Dials placed and not answered yet. */
  readonly callsRinging: number
  /** Calls answered by a person (or taken for one) and waiting for an agent. */
  readonly callsWaiting: number
  /** Calls bridged to an agent: they still hold a line. */
  readonly callsConnected: number
  /** The campaign's maximum concurrent lines: ringing + waiting + connected never goes above it. */
  readonly maxLines: number
}

/** A count read as a whole number of 0 or more (NaN, negatives and infinities are 0). */
export const wholeCount = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

/** Lines still free for new dials: the ceiling every pacing rule obeys. */
export const freeLines = (counts: LineCounts): number =>
  Math.max(
    0,
    wholeCount(counts.maxLines) -
      wholeCount(counts.callsRinging) -
      wholeCount(counts.callsWaiting) -
      wholeCount(counts.callsConnected),
  )

/**
 * Dials to place now under a fixed ratio: keep `ratio` calls in flight (ringing or waiting) per free agent,
 * rounded down, within the free lines. Never negative.
 */
export const fixedRatioDials = (counts: LineCounts & { readonly ratio: number }): number => {
  const ratio = Number.isFinite(counts.ratio) && counts.ratio > 0 ? counts.ratio : 0
  const target = Math.floor(ratio * wholeCount(counts.freeAgents) + 1e-9)
  const wanted = target - wholeCount(counts.callsRinging) - wholeCount(counts.callsWaiting)
  return Math.max(0, Math.min(wanted, freeLines(counts)))
}

/** Progressive dialing (the abandonment fallback): one call in flight per free agent. */
export const progressiveDials = (counts: LineCounts): number => fixedRatioDials({ ...counts, ratio: 1 })
