import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { Effect, Random } from "effect"
// The simulated carrier's own model of a dial's far end, so that the simulator and the embedded carrier agree on
// what happens to a dial. Not exported by the package's entry point, hence the path.
import { planOutboundCall, ringTimeoutMs } from "../../packages/carrier/src/simulated-plan.js"
import type { OutboundCallPlan } from "../../packages/carrier/src/simulated-plan.js"
import type { SimOptions } from "./options.js"

/** How a dial ends when no agent is involved. */
export type UnansweredOutcome = "busy" | "disconnected" | "noAnswer" | "machine" | "amdLostHuman"

/** What a dial will do, decided by its far end and by AMD, from the moment it is placed. */
export type DialFate =
  | { readonly kind: "ends"; readonly afterMs: number; readonly outcome: UnansweredOutcome }
  | {
      /** AMD says person (or is not sure): the call needs an agent within 2 s of `afterMs`. */
      readonly kind: "needsAgent"
      readonly afterMs: number
      /** A person, or a machine AMD took for one. */
      readonly person: boolean
      /** How long an agent stays on it once connected. */
      readonly handleMs: number
    }

/**
 * The fate of a dial from the carrier's plan, as the simulated carrier plays it: busy and disconnected numbers are
 * rejected, an unanswered call rings until the ring timeout, a person's hello ends with AMD's verdict, a machine is
 * recognised after min(amdDetectionMs, greeting). AMD's "not sure" is handled as a person.
 */
export const dialFate = (plan: OutboundCallPlan, config: SimulatedCarrierConfig, options: SimOptions): DialFate => {
  const timeoutMs = ringTimeoutMs(options.ringTimeoutMs / 1000, config)
  switch (plan.outcome) {
    case "busy":
      return { kind: "ends", afterMs: config.rejectMs, outcome: "busy" }
    case "disconnected":
      return { kind: "ends", afterMs: config.rejectMs, outcome: "disconnected" }
    case "noAnswer":
      return { kind: "ends", afterMs: timeoutMs, outcome: "noAnswer" }
    case "human":
    case "machine": {
      if (plan.ringMs >= timeoutMs) return { kind: "ends", afterMs: timeoutMs, outcome: "noAnswer" }
      const person = plan.outcome === "human"
      const decidedAfterMs = plan.ringMs + (person ? plan.greetingMs : Math.min(config.amdDetectionMs, plan.greetingMs))
      if (plan.amdResult === "machine") {
        return { kind: "ends", afterMs: decidedAfterMs, outcome: person ? "amdLostHuman" : "machine" }
      }
      return {
        kind: "needsAgent",
        afterMs: decidedAfterMs,
        person,
        handleMs: person ? plan.talkMs : options.machineHandleMs,
      }
    }
  }
}

/**
 * The day's random draws, one seeded stream per kind, so that two strategies run on the same seed see the same
 * k-th dial, the same k-th wrap-up and the same lead arrivals (common random numbers: differences come from pacing).
 */
export class Draws {
  private readonly dials: Random.Random
  private readonly wraps: Random.Random
  private readonly arrivals: Random.Random

  constructor(private readonly options: SimOptions) {
    this.dials = Random.make(`dials:${options.seed}`)
    this.wraps = Random.make(`wraps:${options.seed}`)
    this.arrivals = Random.make(`arrivals:${options.seed}`)
  }

  nextFate(): DialFate {
    const plan = Effect.runSync(planOutboundCall(this.dials, this.options.carrier))
    return dialFate(plan, this.options.carrier, this.options)
  }

  nextWrapMs(): number {
    const { min, max } = this.options.wrapMs
    return min + Math.floor(Effect.runSync(this.wraps.next) * (max - min + 1))
  }

  /** Time to the next new lead, exponential; Infinity when none arrive. */
  nextArrivalGapMs(): number {
    if (this.options.newLeadsPerHour <= 0) return Number.POSITIVE_INFINITY
    const u = Effect.runSync(this.arrivals.next)
    return Math.max(1, Math.round((-Math.log(1 - u) * 3_600_000) / this.options.newLeadsPerHour))
  }
}
