import { percentile } from "../bench/lib/percentiles.js"
import type { StrategyName } from "./strategies.js"

/** How a dial ended: exactly one per dial. */
export const dialOutcomes = [
  "connected",
  "abandoned",
  "machine",
  "noAnswer",
  "busy",
  "disconnected",
  "amdLostHuman",
  "machineToAgent",
  "machineDropped",
] as const
export type DialOutcome = (typeof dialOutcomes)[number]

/** Everything counted during one simulated day of one strategy. */
export interface DayResult {
  readonly strategy: StrategyName
  readonly agents: number
  readonly shiftMs: number
  readonly dials: number
  readonly outcomes: Readonly<Record<DialOutcome, number>>
  /** Talk plus wrap-up of every agent, within the shift. */
  readonly agentBusyMs: number
  /** From a new lead's arrival to its first dial, for the new leads dialed, ascending. */
  readonly speedToLeadMs: ReadonlyArray<number>
  readonly newLeads: number
  /** Pacing wanted to dial but no lead was ready. */
  readonly starvedDecisions: number
  readonly wallMs: number
}

export interface Figures {
  /** Talk + wrap-up over logged-in time. */
  readonly occupancy: number
  /** People not connected within 2 s of their hello, over people answering (and handled as people). */
  readonly abandonmentRate: number
  readonly dialsPerAgentHour: number
  readonly contactsPerAgentHour: number
  readonly speedToLeadP50: number
  readonly speedToLeadP90: number
}

export const figures = (r: DayResult): Figures => {
  const agentHours = (r.agents * r.shiftMs) / 3_600_000
  const people = r.outcomes.connected + r.outcomes.abandoned
  return {
    occupancy: r.agentBusyMs / (r.agents * r.shiftMs),
    abandonmentRate: people === 0 ? 0 : r.outcomes.abandoned / people,
    dialsPerAgentHour: r.dials / agentHours,
    contactsPerAgentHour: r.outcomes.connected / agentHours,
    speedToLeadP50: (percentile(r.speedToLeadMs, 50) ?? Number.NaN) / 1000,
    speedToLeadP90: (percentile(r.speedToLeadMs, 90) ?? Number.NaN) / 1000,
  }
}

export const emptyOutcomes = (): Record<DialOutcome, number> =>
  Object.fromEntries(dialOutcomes.map((o) => [o, 0])) as Record<DialOutcome, number>
