import type { AmdResult } from "@ringmaster/protocol"
import { Effect } from "effect"
import type { Random } from "effect"
import type { MsRange, SimulatedCarrierConfig, SimulatedOutcome } from "./simulated-config.js"

/** Everything the far end of one simulated outbound call will do, drawn when the call is dialled. */
export interface OutboundCallPlan {
  readonly outcome: SimulatedOutcome
  /** When the far end would pick up, after the call is initiated. */
  readonly ringMs: number
  readonly greetingMs: number
  readonly talkMs: number
  /** What AMD will report, if the dial asked for it. */
  readonly amdResult: AmdResult
}

const outcomes: ReadonlyArray<SimulatedOutcome> = ["human", "machine", "noAnswer", "busy", "disconnected"]

/** A whole number of milliseconds in [min, max], uniformly. */
export const drawMs = (rng: Random.Random, range: MsRange): Effect.Effect<number> =>
  Effect.map(rng.next, (u) => Math.min(range.max, range.min + Math.floor(u * (range.max - range.min + 1))))

/** An outcome drawn with probability proportional to its weight in the config. */
export const drawOutcome = (rng: Random.Random, config: SimulatedCarrierConfig): Effect.Effect<SimulatedOutcome> =>
  Effect.map(rng.next, (u) => {
    const total = outcomes.reduce((sum, outcome) => sum + config[outcome], 0)
    let threshold = u * total
    // Rounding can leave threshold just above the last weight when u is close to 1: keep the last weighted one.
    let lastWeighted: SimulatedOutcome = "human"
    for (const outcome of outcomes) {
      if (config[outcome] <= 0) continue
      if (threshold < config[outcome]) return outcome
      threshold -= config[outcome]
      lastWeighted = outcome
    }
    return lastWeighted
  })

/** What AMD says about a call whose far end is `truth`: right with probability `accuracy`. */
export const drawAmdResult = (
  rng: Random.Random,
  truth: "human" | "machine",
  accuracy: number,
): Effect.Effect<AmdResult> =>
  Effect.gen(function* () {
    if ((yield* rng.next) < accuracy) return truth
    if ((yield* rng.next) < 0.5) return "not_sure"
    return truth === "human" ? "machine" : "human"
  })

/** Draws a call's plan; `forced` replaces the outcome draw. Draws in a fixed order, so a seed fixes the plan. */
export const planOutboundCall = (
  rng: Random.Random,
  config: SimulatedCarrierConfig,
  forced?: SimulatedOutcome,
): Effect.Effect<OutboundCallPlan> =>
  Effect.gen(function* () {
    const drawn = yield* drawOutcome(rng, config)
    const outcome = forced ?? drawn
    const ringMs = yield* drawMs(rng, config.ringMs)
    const greetingMs = yield* drawMs(rng, config.greetingMs)
    const talkMs = yield* drawMs(rng, config.talkMs)
    const amdResult = yield* drawAmdResult(rng, outcome === "machine" ? "machine" : "human", config.amdAccuracy)
    return { outcome, ringMs, greetingMs, talkMs, amdResult }
  })

/** How long an unanswered call rings before it ends with no_answer. */
export const ringTimeoutMs = (ringTimeoutSecs: number, config: SimulatedCarrierConfig): number =>
  Math.min(ringTimeoutSecs * 1000, config.noAnswerAfterMs)
