import {
  adaptiveDials,
  adjustVicidialLevel,
  defaultVicidialSettings,
  fixedRatioDials,
  initialVicidialState,
  progressiveDials,
  recordVicidialSample,
  vicidialAdjustEveryMs,
  vicidialDials,
  vicidialSampleEveryMs,
} from "@ringmaster/domain"
import type { PacingSnapshot, VicidialState } from "@ringmaster/domain"

/** What the campaign knows when pacing decides: its agents and calls now, and what it has measured today. */
export interface CampaignView extends PacingSnapshot {
  readonly now: number
  readonly shiftEndsAt: number
  /** Dials placed and drops (no agent within 2 s) in the last minute, and today. */
  readonly callsLastMinute: number
  readonly dropsLastMinute: number
  readonly callsToday: number
  /** Calls that needed an agent today (VICIdial's "answers"). */
  readonly answersToday: number
  readonly dropsToday: number
}

/** A pacing strategy: how many dials to place now. It may keep state across decisions of one day. */
export interface Strategy {
  readonly name: StrategyName
  dials(view: CampaignView): number
}

export const strategyNames = ["progressive", "fixed-2.0", "vicidial", "ours"] as const
export type StrategyName = (typeof strategyNames)[number]

/** VICIdial's ADAPT_HARD_LIMIT law: a level sampled every second and moved every 15 s, dials from the level. */
const vicidialStrategy = (): Strategy => {
  let state: VicidialState = initialVicidialState(defaultVicidialSettings)
  let lastSample = Number.NEGATIVE_INFINITY
  let lastAdjust = 0
  return {
    name: "vicidial",
    dials: (view) => {
      if (view.now - lastSample >= vicidialSampleEveryMs) {
        lastSample = view.now
        state = recordVicidialSample(state, {
          readyAgents: view.freeAgents,
          waitingCalls: view.callsWaiting,
          loggedInAgents: view.agentsLoggedIn,
        })
      }
      if (view.now - lastAdjust >= vicidialAdjustEveryMs) {
        lastAdjust = view.now
        state = adjustVicidialLevel(
          state,
          {
            callsLastMinute: view.callsLastMinute,
            dropsLastMinute: view.dropsLastMinute,
            callsToday: view.callsToday,
            answersToday: view.answersToday,
            dropsToday: view.dropsToday,
            msUntilLatestHour: view.shiftEndsAt - view.now,
          },
          defaultVicidialSettings,
        )
      }
      return vicidialDials({ ...view, level: state.level, agentsOnCall: view.callsConnected })
    },
  }
}

/** A fresh strategy (with fresh state) for one simulated day. */
export const makeStrategy = (name: StrategyName): Strategy => {
  switch (name) {
    case "progressive":
      return { name, dials: (view) => progressiveDials(view) }
    case "fixed-2.0":
      return { name, dials: (view) => fixedRatioDials({ ...view, ratio: 2 }) }
    case "vicidial":
      return vicidialStrategy()
    case "ours":
      return { name, dials: (view) => adaptiveDials(view) }
  }
}
