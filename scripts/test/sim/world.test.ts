import { describe, expect, it } from "vitest"
import { dialOutcomes, figures } from "../../sim/metrics.js"
import { simOptions } from "../../sim/options.js"
import { strategyNames } from "../../sim/strategies.js"
import { simulateDay } from "../../sim/world.js"

const withoutWallTime = ({ wallMs: _, ...rest }: ReturnType<typeof simulateDay>) => rest

describe("simulated day", () => {
  it("is the same day twice under one seed, and another day under another seed", () => {
    const options = simOptions({ hours: 1, agents: 10 })
    const first = simulateDay(options, "ours")
    expect(withoutWallTime(simulateDay(options, "ours"))).toEqual(withoutWallTime(first))
    const other = simulateDay(simOptions({ hours: 1, agents: 10, seed: 2 }), "ours")
    expect(withoutWallTime(other)).not.toEqual(withoutWallTime(first))
  })

  it("ends every dial in exactly one outcome, for every strategy", () => {
    const options = simOptions({ hours: 0.5, agents: 8 })
    for (const name of strategyNames) {
      const day = simulateDay(options, name)
      const ended = dialOutcomes.reduce((sum, outcome) => sum + day.outcomes[outcome], 0)
      expect(day.dials).toBeGreaterThan(0)
      expect(ended).toBe(day.dials)
      expect(day.speedToLeadMs.length).toBeLessThanOrEqual(day.newLeads)
    }
  })

  it("never abandons a call under progressive dialing: each dial has its own free agent", () => {
    const day = simulateDay(simOptions({ hours: 1, agents: 10 }), "progressive")
    expect(day.outcomes.abandoned + day.outcomes.machineDropped).toBe(0)
  })

  it("keeps agents idle when no person answers", () => {
    const day = simulateDay(simOptions({ hours: 0.5, agents: 5, live: 0, "amd-accuracy": 1 }), "ours")
    expect(day.outcomes.connected).toBe(0)
    expect(figures(day).occupancy).toBe(0)
  })
})

describe("pacing targets (25 agents, 20% live, 2 min talk, 15 s wrap-up; a 4-hour day)", () => {
  const options = simOptions({ hours: 4 })
  const ours = figures(simulateDay(options, "ours"))
  const vicidial = figures(simulateDay(options, "vicidial"))

  it("ours keeps abandonment at or under 3% with occupancy at 88% or more", () => {
    expect(ours.abandonmentRate).toBeLessThanOrEqual(0.03)
    expect(ours.occupancy).toBeGreaterThanOrEqual(0.88)
  })

  it("ours keeps agents busier than the VICIdial-style baseline, abandoning no more", () => {
    expect(ours.occupancy).toBeGreaterThan(vicidial.occupancy)
    expect(ours.abandonmentRate).toBeLessThanOrEqual(vicidial.abandonmentRate)
  })
})

describe("pacing targets with 10 agents (an 8-hour day, the day's start with no history included)", () => {
  it.each([1, 2, 3, 4, 5, 6])(
    "ours keeps occupancy at 80% or more and abandonment at or under 3% (seed %i)",
    (seed) => {
      const ours = figures(simulateDay(simOptions({ agents: 10, seed }), "ours"))
      expect(ours.occupancy).toBeGreaterThanOrEqual(0.8)
      expect(ours.abandonmentRate).toBeLessThanOrEqual(0.03)
    },
  )
})
