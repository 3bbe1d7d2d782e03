import { SqlClient } from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { CallId } from "@ringmaster/domain"
import { Effect, Layer } from "effect"
import { seedTenant } from "../src/demo-seed.js"
import { Migrator } from "../src/migrator.js"
import { occupancy, percentile, timeInStates } from "../src/stats-figures.js"
import {
  abandonmentCounts,
  agentStateChanges,
  attemptsAndContacts,
  campaignLeadCounts,
  campaignSamples,
  markCallAbandoned,
  sampleCampaigns,
  speedToLeadSamples,
} from "../src/stats-repo.js"
import { freshDatabase } from "./database-under-test.js"

const database = Migrator.layer.pipe(Layer.provideMerge(freshDatabase))
const T0 = 1_700_000_000_000

/**
 * One campaign's day: lead 1 offered after 1 s, lead 2 first dialled after 5 s, lead 3 untouched; four dials (a
 * person, a machine, no answer, and a person abandoned); one agent Online, OnCall, WrapUp, Online, Offline.
 */
const scenario = Effect.gen(function* () {
  const sql = yield* SqlClient
  const seeded = yield* seedTenant({ key: "st", name: "Stats", agentCount: 1, leadCount: 3, now: T0 })
  const [lead1, lead2, lead3] = seeded.newLeadIds
  const agent = seeded.agents[0]?.agentId
  if (lead1 === undefined || lead2 === undefined || lead3 === undefined || agent === undefined) {
    return yield* Effect.dieMessage("seedTenant made too few rows")
  }
  const campaignId = seeded.campaignId
  yield* sql`INSERT INTO offers (id, tenant_id, campaign_id, lead_id, agent_ids, created_at, expires_at, state)
    VALUES ('o1', ${seeded.tenantId}, ${campaignId}, ${lead1}, '[]'::jsonb, ${T0 + 1_000}, ${T0 + 31_000}, 'accepted')`
  const call = (id: string, leadId: string, at: number, answered: boolean, amd: string | null) =>
    sql`INSERT INTO calls (id, tenant_id, campaign_id, lead_id, agent_id, direction, from_number, to_number, phase,
        facts, created_at, answered_at)
      VALUES (${id}, ${seeded.tenantId}, ${campaignId}, ${leadId}, ${agent}, 'outbound', '+14155550100', '+14155552600',
        'Ended', ${JSON.stringify({ amdResult: amd })}::jsonb, ${at}, ${answered ? at + 3_000 : null})`
  yield* call("c1", lead2, T0 + 5_001, true, "human")
  yield* call("c2", lead1, T0 + 6_000, true, "machine")
  yield* call("c3", lead1, T0 + 7_000, false, null)
  yield* call("c4", lead2, T0 + 8_000, true, null)
  yield* markCallAbandoned(CallId.make("c4"), T0 + 11_500)
  for (const [state, at] of [
    ["Online", 10_000],
    ["OnCall", 20_000],
    ["WrapUp", 30_000],
    ["Online", 35_000],
    ["Offline", 40_000],
  ] as const) {
    yield* sql`UPDATE agents SET state = ${state}, state_since = ${T0 + at} WHERE id = ${agent}`
  }
  // Not a change of state: the log must not grow.
  yield* sql`UPDATE agents SET state_since = ${T0 + 41_000} WHERE id = ${agent}`
  return { campaignId, agent }
})

describe("live statistics over a known day", () => {
  layer(database)((it) => {
    it.effect("computes every figure of the scenario", () =>
      Effect.gen(function* () {
        const { campaignId, agent } = yield* scenario

        const speed = yield* speedToLeadSamples(campaignId, T0)
        expect([...speed.samples].sort((a, b) => a - b)).toEqual([1_000, 5_000])
        expect(speed.untouched).toBe(1)
        expect(percentile(speed.samples, 50)).toBe(1_000)
        expect(percentile(speed.samples, 90)).toBe(5_000)
        // Leads created before the day are not measured.
        expect((yield* speedToLeadSamples(campaignId, T0 + 3)).samples).toEqual([])

        expect(yield* attemptsAndContacts(campaignId, T0)).toEqual({ attempts: 4, contacts: 2 })
        expect(yield* attemptsAndContacts(campaignId, T0 + 6_500)).toEqual({ attempts: 2, contacts: 1 })
        expect(yield* abandonmentCounts(campaignId, T0)).toEqual({ abandoned: 1, liveAnswered: 2 })

        const changes = yield* agentStateChanges(campaignId, T0 + 15_000, T0 + 50_000)
        expect(changes.get(agent)?.map((c) => `${c.state}@${c.at - T0}`)).toEqual([
          "Online@10000",
          "OnCall@20000",
          "WrapUp@30000",
          "Online@35000",
          "Offline@40000",
        ])
        const times = Array.from(changes.values(), (c) => timeInStates(c, { from: T0 + 15_000, to: T0 + 50_000 }))
        expect(occupancy(times)).toEqual({ talkMs: 10_000, wrapMs: 5_000, loggedInMs: 25_000, rate: 0.6 })

        expect(yield* campaignLeadCounts(campaignId)).toMatchObject({ ready: 0, waiting: 3, offered: 0 })
        yield* sampleCampaigns(T0 + 60_000)
        yield* sampleCampaigns(T0 + 60_000)
        yield* sampleCampaigns(T0 + 120_000)
        const samples = yield* campaignSamples(campaignId, T0, T0 + 120_000)
        expect(samples).toEqual([
          { at: T0 + 60_000, ready: 0, waiting: 3, offered: 0, inCall: 0, agents: { Offline: 1 } },
        ])
      }),
    )
  })
})
