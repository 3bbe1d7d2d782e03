import { SqlClient } from "@effect/sql"
import type { SimulatedCarrierConfig } from "@ringmaster/carrier"
import { CampaignId } from "@ringmaster/domain"
import {
  abandonmentCounts,
  agentStateChanges,
  occupancy,
  type Occupancy,
  speedToLeadSamples,
  timeInStates,
} from "@ringmaster/store"
import { Effect } from "effect"
import { dialOutcomes } from "../metrics.js"
import type { SimOptions } from "../options.js"
import { dialOutcome, type EntityDialOutcome, farEndOf } from "./call-truth.js"

const entityOutcomes: ReadonlyArray<EntityDialOutcome> = [
  ...dialOutcomes,
  "failed",
  "blocked",
  "unresolved",
  "inconsistent",
]

/** What the store holds of one simulated day, within the shift [from, to). */
export interface DayRecords {
  /** Automatic dials placed within the shift. */
  readonly dials: number
  readonly outcomes: Readonly<Record<EntityDialOutcome, number>>
  /** From the agent state log, within the shift. */
  readonly occupancy: Occupancy
  /** Abandoned over live-answered calls as the campaign counts them (AMD's verdict, not the far end's truth). */
  readonly campaignAbandonment: { readonly abandoned: number; readonly liveAnswered: number }
  /** From a new lead's creation to its first dial, for those dialed, ascending; and those never dialed. */
  readonly speedToLeadMs: ReadonlyArray<number>
  readonly newLeadsUndialed: number
}

/** Facts over the whole run (shift and the wind-down after it): no dial or lead lost. */
export interface Conservation {
  readonly autoDials: number
  readonly unresolved: number
  readonly inconsistent: number
  /** Sum of the leads' attempts, and leads whose attempts differ from their dials (blocked dials do not count). */
  readonly attempts: number
  readonly leadsWithOtherAttempts: number
  readonly leads: number
  readonly leadsByStage: Readonly<Record<string, number>>
}

const count = (value: unknown): number => Number(value ?? 0)

/** Reads the day's figures from the store: calls, the agent state log, lead creation and first dials. */
export const readDayRecords = (input: {
  readonly campaignId: string
  readonly from: number
  readonly to: number
  readonly carrier: SimulatedCarrierConfig
  readonly options: SimOptions
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const campaignId = CampaignId.make(input.campaignId)
    const calls = yield* sql<{ carrierCallId: string | null; dialResult: string | null }>`
      SELECT carrier_call_id, dial_result FROM calls
      WHERE campaign_id = ${campaignId} AND auto_dialed AND created_at >= ${input.from} AND created_at < ${input.to}`
    const outcomes = Object.fromEntries(entityOutcomes.map((o) => [o, 0])) as Record<EntityDialOutcome, number>
    for (const call of calls) {
      const fate = call.carrierCallId === null ? null : farEndOf(call.carrierCallId, input.carrier, input.options)
      outcomes[dialOutcome(call.dialResult, fate)]++
    }
    const changes = yield* agentStateChanges(campaignId, input.from, input.to)
    const window = { from: input.from, to: input.to }
    const speed = yield* speedToLeadSamples(campaignId, input.from)
    const records: DayRecords = {
      dials: calls.length,
      outcomes,
      occupancy: occupancy(Array.from(changes.values(), (list) => timeInStates(list, window))),
      campaignAbandonment: yield* abandonmentCounts(campaignId, input.from),
      speedToLeadMs: [...speed.samples].sort((a, b) => a - b),
      newLeadsUndialed: speed.untouched,
    }
    return records
  })

/** Checks over the whole run that every dial ended once and every lead's attempts match its dials. */
export const readConservation = (input: {
  readonly campaignId: string
  readonly carrier: SimulatedCarrierConfig
  readonly options: SimOptions
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const calls = yield* sql<{ carrierCallId: string | null; dialResult: string | null }>`
      SELECT carrier_call_id, dial_result FROM calls WHERE campaign_id = ${input.campaignId} AND auto_dialed`
    let unresolved = 0
    let inconsistent = 0
    for (const call of calls) {
      const fate = call.carrierCallId === null ? null : farEndOf(call.carrierCallId, input.carrier, input.options)
      const outcome = dialOutcome(call.dialResult, fate)
      if (outcome === "unresolved") unresolved++
      if (outcome === "inconsistent") inconsistent++
    }
    const stages = yield* sql<{ stage: string; n: number; attempts: number }>`
      SELECT stage, count(*) AS n, sum(attempts) AS attempts FROM leads WHERE campaign_id = ${input.campaignId}
      GROUP BY stage ORDER BY stage`
    const [other] = yield* sql<{ n: number }>`SELECT count(*) AS n FROM leads l
      WHERE l.campaign_id = ${input.campaignId} AND l.attempts <> (SELECT count(*) FROM calls c
        WHERE c.lead_id = l.id AND c.auto_dialed AND c.dial_result IS DISTINCT FROM 'blocked')`
    const conservation: Conservation = {
      autoDials: calls.length,
      unresolved,
      inconsistent,
      attempts: stages.reduce((sum, s) => sum + count(s.attempts), 0),
      leadsWithOtherAttempts: count(other?.n),
      leads: stages.reduce((sum, s) => sum + count(s.n), 0),
      leadsByStage: Object.fromEntries(stages.map((s) => [s.stage, count(s.n)])),
    }
    return conservation
  })
