import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { Effect, Random } from "effect"
// The simulated carrier's own model of a call's far end (not exported by the package's entry point, hence the path).
import { planOutboundCall } from "../../../packages/carrier/src/simulated-plan.js"
import { dialFate } from "../call-model.js"
import type { DialFate } from "../call-model.js"
import type { DialOutcome } from "../metrics.js"
import type { SimOptions } from "../options.js"
import { entityRingTimeoutMs } from "./options.js"

/** How an automatic dial ended, as the model names it, or why it cannot be named so. */
export type EntityDialOutcome = DialOutcome | "failed" | "blocked" | "unresolved" | "inconsistent"

/**
 * What the far end of the carrier's `n`-th call was: the simulated carrier draws each call's plan from its own
 * generator seeded `<seed>:<n>` (the `n` in its call id `<prefix>-call-<n>`), so the plan can be drawn again here.
 * The Call entity rings a call at most 30 s, whatever the carrier's own timeout.
 */
export const farEndOf = (carrierCallId: string, carrier: SimulatedCarrierConfig, options: SimOptions): DialFate => {
  const n = carrierCallId.slice(carrierCallId.lastIndexOf("-call-") + "-call-".length)
  const plan = Effect.runSync(planOutboundCall(Random.make(`${carrier.seed}:${n}`), carrier))
  return dialFate(plan, carrier, { ...options, ringTimeoutMs: Math.min(options.ringTimeoutMs, entityRingTimeoutMs) })
}

/**
 * The model's outcome of a dial from what the entities recorded (`dial_result`) and what its far end was: a person
 * the entities connected is "connected", a machine they connected "machineToAgent", and so on. A result the far
 * end could not have produced is "inconsistent" (a bug in the entities or in this reading).
 */
export const dialOutcome = (dialResult: string | null, fate: DialFate | null): EntityDialOutcome => {
  if (dialResult === null) return "unresolved"
  if (dialResult === "blocked") return "blocked"
  if (fate === null) return dialResult === "failed" ? "failed" : "inconsistent"
  const needsAgent = fate.kind === "needsAgent"
  switch (dialResult) {
    case "connected":
      return needsAgent ? (fate.person ? "connected" : "machineToAgent") : "inconsistent"
    case "abandoned":
      return needsAgent ? (fate.person ? "abandoned" : "machineDropped") : "inconsistent"
    case "machine":
      return fate.kind === "ends" && (fate.outcome === "machine" || fate.outcome === "amdLostHuman")
        ? fate.outcome
        : "inconsistent"
    case "no-answer":
      return fate.kind === "ends" && fate.outcome === "noAnswer" ? "noAnswer" : "inconsistent"
    case "busy":
      return fate.kind === "ends" && fate.outcome === "busy" ? "busy" : "inconsistent"
    case "failed":
      return fate.kind === "ends" && fate.outcome === "disconnected" ? "disconnected" : "failed"
    default:
      return "inconsistent"
  }
}
