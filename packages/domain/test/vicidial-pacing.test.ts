import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  adjustVicidialLevel,
  defaultVicidialSettings,
  initialVicidialState,
  recordVicidialSample,
  VicidialMethod,
  vicidialDials,
  vicidialSampleWindow,
} from "../src/vicidial-pacing.js"
import type { VicidialDropStats, VicidialSample } from "../src/vicidial-pacing.js"
import { freeLines } from "../src/dial-ratio.js"
import { runs } from "./property-runs.js"

const sampleArb: fc.Arbitrary<VicidialSample> = fc
  .record({
    ready: fc.integer({ min: 0, max: 30 }),
    waiting: fc.integer({ min: 0, max: 10 }),
    other: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ ready, waiting, other }) => ({ readyAgents: ready, waitingCalls: waiting, loggedInAgents: ready + other }))

const dropsArb: fc.Arbitrary<VicidialDropStats> = fc
  .record({
    callsLastMinute: fc.integer({ min: 0, max: 100 }),
    dropShareMinute: fc.double({ min: 0, max: 1, noNaN: true }),
    callsToday: fc.integer({ min: 0, max: 20_000 }),
    answerShare: fc.double({ min: 0, max: 1, noNaN: true }),
    dropShareToday: fc.double({ min: 0, max: 0.2, noNaN: true }),
    msUntilLatestHour: fc.integer({ min: -3_600_000, max: 50_000_000 }),
  })
  .map((r) => {
    const answersToday = Math.floor(r.callsToday * r.answerShare)
    return {
      callsLastMinute: r.callsLastMinute,
      dropsLastMinute: Math.floor(r.callsLastMinute * r.dropShareMinute),
      callsToday: r.callsToday,
      answersToday,
      dropsToday: Math.floor(answersToday * r.dropShareToday),
      msUntilLatestHour: r.msUntilLatestHour,
    }
  })

const noDrops: VicidialDropStats = {
  callsLastMinute: 30,
  dropsLastMinute: 0,
  callsToday: 1000,
  answersToday: 200,
  dropsToday: 0,
  msUntilLatestHour: 8 * 3_600_000,
}

const withSamples = (level: number, sample: VicidialSample) => {
  let state = { ...initialVicidialState(), level }
  for (let i = 0; i < 20; i++) state = recordVicidialSample(state, sample)
  return state
}

describe("VICIdial adaptive dial level", () => {
  it.prop(
    "stays between 1.0 and the maximum level, whatever the samples, drops and method",
    [
      fc.double({ min: 1, max: 3, noNaN: true }),
      fc.array(sampleArb, { maxLength: 20 }),
      dropsArb,
      fc.constantFrom(...VicidialMethod),
    ],
    ([level, samples, drops, method]) => {
      let state = { ...initialVicidialState(), level }
      for (const s of samples) state = recordVicidialSample(state, s)
      expect(state.samples.length).toBeLessThanOrEqual(vicidialSampleWindow)
      const next = adjustVicidialLevel(state, drops, { ...defaultVicidialSettings, method })
      expect(next.level).toBeGreaterThanOrEqual(1)
      expect(next.level).toBeLessThanOrEqual(defaultVicidialSettings.maxLevel)
    },
    runs(),
  )

  it("rises by the mean of (ready − waiting) over logged-in agents, and falls when calls wait", () => {
    const up = adjustVicidialLevel(withSamples(2, { readyAgents: 5, waitingCalls: 0, loggedInAgents: 25 }), noDrops)
    expect(up.level).toBeCloseTo(2 * (1 + 5 / 25))
    const down = adjustVicidialLevel(withSamples(2, { readyAgents: 0, waitingCalls: 5, loggedInAgents: 25 }), noDrops)
    expect(down.level).toBeCloseTo(2 * (1 - 5 / 25))
  })

  it("brakes when today's drops pass the limit: hard limit to 1.0, average halves, tapered scales by time left", () => {
    const state = withSamples(2.5, { readyAgents: 0, waitingCalls: 0, loggedInAgents: 25 })
    const over = { ...noDrops, answersToday: 200, dropsToday: 8, msUntilLatestHour: 5 * 3_600_000 }
    const level = (method: VicidialMethod) =>
      adjustVicidialLevel(state, over, { ...defaultVicidialSettings, method }).level
    expect(level("ADAPT_HARD_LIMIT")).toBe(1)
    expect(level("ADAPT_AVERAGE")).toBeCloseTo(1.25)
    expect(level("ADAPT_TAPERED")).toBeCloseTo(1.25)
    expect(adjustVicidialLevel(state, { ...over, dropsToday: 6 }).level).toBeCloseTo(2.5)
  })

  it("halves the level when over half of the last minute's 20+ calls dropped", () => {
    const state = withSamples(3, { readyAgents: 0, waitingCalls: 0, loggedInAgents: 25 })
    expect(adjustVicidialLevel(state, { ...noDrops, callsLastMinute: 30, dropsLastMinute: 16 }).level).toBeCloseTo(1.5)
  })

  it.prop(
    "dials never negative nor beyond the free lines; at level 1.0 one call per ready agent",
    [
      fc.record({
        freeAgents: fc.integer({ min: 0, max: 30 }),
        agentsOnCall: fc.integer({ min: 0, max: 30 }),
        callsRinging: fc.integer({ min: 0, max: 60 }),
        callsWaiting: fc.integer({ min: 0, max: 5 }),
        maxLines: fc.integer({ min: 0, max: 200 }),
        level: fc.double({ min: 1, max: 3, noNaN: true }),
      }),
    ],
    ([c]) => {
      const counts = { ...c, callsConnected: c.agentsOnCall }
      const dials = vicidialDials(counts)
      expect(dials).toBeGreaterThanOrEqual(0)
      expect(dials).toBeLessThanOrEqual(freeLines(counts))
      const atOne = vicidialDials({ ...counts, level: 1, callsRinging: 0, callsWaiting: 0, maxLines: 1000 })
      expect(atOne).toBe(c.freeAgents)
    },
    runs(),
  )
})
