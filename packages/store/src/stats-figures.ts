/**
 * The arithmetic behind the live statistics, kept apart from the SQL that gathers its inputs so that each rule
 * has a property test.
 */

import { type AbandonmentLevel as CampaignAbandonmentLevel, abandonmentLevelAfter } from "@ringmaster/domain"

/** The nearest-rank percentile (`p` from 0 to 100) of `values`; null when there are none. */
export const percentile = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length))
  return sorted[rank - 1] ?? null
}

/** One agent's state from `at` until its next change. */
export interface StateChange {
  readonly state: string
  readonly at: number
}

/**
 * Milliseconds one agent spent in each state within [from, to), from its changes sorted by time. The last change
 * before `from` (when given) says what state the window opens in; time before the first change is not counted.
 */
export const timeInStates = (
  changes: ReadonlyArray<StateChange>,
  window: { readonly from: number; readonly to: number },
): Record<string, number> => {
  const out: Record<string, number> = {}
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]
    if (change === undefined) continue
    const next = changes[i + 1]
    const start = Math.max(change.at, window.from)
    const end = Math.min(next?.at ?? window.to, window.to)
    if (end > start) out[change.state] = (out[change.state] ?? 0) + (end - start)
  }
  return out
}

export interface Occupancy {
  /** On a call. */
  readonly talkMs: number
  /** Wrapping up after a call. */
  readonly wrapMs: number
  /** Every state but Offline. */
  readonly loggedInMs: number
  /** (talk + wrap) / logged in; null when nobody was logged in. */
  readonly rate: number | null
}

/** Occupancy of a group of agents from the time each spent in each state. */
export const occupancy = (perAgent: ReadonlyArray<Record<string, number>>): Occupancy => {
  let talkMs = 0
  let wrapMs = 0
  let loggedInMs = 0
  for (const times of perAgent) {
    for (const [state, ms] of Object.entries(times)) {
      if (state === "Offline") continue
      loggedInMs += ms
      if (state === "OnCall") talkMs += ms
      if (state === "WrapUp") wrapMs += ms
    }
  }
  return { talkMs, wrapMs, loggedInMs, rate: loggedInMs === 0 ? null : (talkMs + wrapMs) / loggedInMs }
}

export type AbandonmentLevel = "ok" | "warn" | "pause"

const shownLevel: Record<CampaignAbandonmentLevel, AbandonmentLevel> = { ok: "ok", warning: "warn", fallback: "pause" }

/**
 * Abandoned over live-answered calls (null when none answered), and where it stands against the limits: the level the
 * campaign holds (`held`) moved by this rate as the campaign moves it, so a rate just back under a limit still shows
 * the level the campaign keeps until it is a tenth under.
 */
export const abandonment = (input: {
  readonly abandoned: number
  readonly liveAnswered: number
  readonly warnRate: number
  readonly pauseRate: number
  readonly held: CampaignAbandonmentLevel
}): { readonly rate: number | null; readonly level: AbandonmentLevel } => {
  const rate = input.liveAnswered === 0 ? null : input.abandoned / input.liveAnswered
  const level = abandonmentLevelAfter(input.held, rate ?? 0, input)
  return { rate, level: shownLevel[level] }
}
