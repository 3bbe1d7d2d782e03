import { percentile } from "../../bench/lib/percentiles.js"
import type { Figures } from "../metrics.js"
import type { EntityDayResult } from "./day.js"

/** The model's figures of a day on the entities, so that the two can be read side by side. */
export const entityFigures = (day: EntityDayResult): Figures => {
  const { records } = day
  const agentHours = (day.agents * day.shiftMs) / 3_600_000
  const people = records.outcomes.connected + records.outcomes.abandoned
  return {
    occupancy: records.occupancy.rate ?? 0,
    abandonmentRate: people === 0 ? 0 : records.outcomes.abandoned / people,
    dialsPerAgentHour: records.dials / agentHours,
    contactsPerAgentHour: records.outcomes.connected / agentHours,
    speedToLeadP50: (percentile(records.speedToLeadMs, 50) ?? Number.NaN) / 1000,
    speedToLeadP90: (percentile(records.speedToLeadMs, 90) ?? Number.NaN) / 1000,
  }
}

/** Abandoned over live-answered as the campaign measures it (AMD's verdict: machines taken for people count). */
export const campaignAbandonmentRate = (day: EntityDayResult): number => {
  const { abandoned, liveAnswered } = day.records.campaignAbandonment
  return liveAnswered === 0 ? 0 : abandoned / liveAnswered
}
