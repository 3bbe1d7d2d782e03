import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { abandonHeadroom, adaptiveDials, marginalRisk } from "../src/adaptive-pacing.js"
import { freeLines, progressiveDials } from "../src/dial-ratio.js"
import { pacingSnapshot, typical } from "./pacing-arbitraries.js"
import { runs } from "./property-runs.js"

describe("adaptiveDials", () => {
  it.prop(
    "is a whole number between progressive (one per free agent) and the free lines",
    [pacingSnapshot],
    ([s]) => {
      const dials = adaptiveDials(s)
      expect(Number.isInteger(dials)).toBe(true)
      expect(dials).toBeGreaterThanOrEqual(0)
      expect(dials).toBeLessThanOrEqual(freeLines(s))
      expect(dials).toBeGreaterThanOrEqual(progressiveDials(s))
    },
    runs(),
  )

  it.prop(
    "places nothing when no agent is logged in",
    [pacingSnapshot],
    ([s]) => {
      expect(adaptiveDials({ ...s, agentsLoggedIn: 0, freeAgents: 0, wrapUpRemainingMs: [], callsConnected: 0 })).toBe(
        0,
      )
    },
    runs(),
  )

  it.prop(
    "at or above the abandonment limit, dials no more than one call in flight per free agent",
    [pacingSnapshot, fc.double({ min: 0, max: 0.1, noNaN: true })],
    ([s, over]) => {
      expect(adaptiveDials({ ...s, abandonmentRate: s.abandonmentLimit + over })).toBe(progressiveDials(s))
    },
    runs(),
  )

  it.prop(
    "more free agents never mean fewer dials; more calls ringing or waiting never more",
    [pacingSnapshot],
    ([s]) => {
      const dials = adaptiveDials(s)
      expect(
        adaptiveDials({ ...s, agentsLoggedIn: s.agentsLoggedIn + 1, freeAgents: s.freeAgents + 1 }),
      ).toBeGreaterThanOrEqual(dials)
      expect(adaptiveDials({ ...s, callsRinging: s.callsRinging + 1 })).toBeLessThanOrEqual(dials)
      expect(adaptiveDials({ ...s, callsWaiting: s.callsWaiting + 1 })).toBeLessThanOrEqual(dials)
    },
    runs(),
  )

  it.prop(
    "a higher abandonment rate never means more dials",
    [pacingSnapshot, fc.double({ min: 0, max: 0.05, noNaN: true })],
    ([s, more]) => {
      expect(adaptiveDials({ ...s, abandonmentRate: s.abandonmentRate + more })).toBeLessThanOrEqual(adaptiveDials(s))
    },
    runs(),
  )

  it("dials ahead of free agents on a 20%-live list, and less as abandonment nears the limit", () => {
    const fresh = adaptiveDials(typical)
    expect(fresh).toBeGreaterThan(5)
    const near = adaptiveDials({ ...typical, abandonmentRate: 0.028 })
    expect(near).toBeLessThan(fresh)
    expect(adaptiveDials({ ...typical, abandonmentRate: 0.03 })).toBe(5)
  })

  it("counts an agent about to finish wrap-up as one that can take the next answer", () => {
    const none = { ...typical, freeAgents: 0, callsConnected: 24 }
    expect(adaptiveDials({ ...none, wrapUpRemainingMs: [60_000] })).toBe(0)
    expect(adaptiveDials({ ...none, wrapUpRemainingMs: [2_000] })).toBeGreaterThan(0)
  })
})

describe("marginalRisk", () => {
  it.prop(
    "falls as the rate rises and is gone at the limit",
    [fc.double({ min: 0, max: 0.1, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true })],
    ([a, b]) => {
      const [low, high] = a <= b ? [a, b] : [b, a]
      const riskLow = marginalRisk({ abandonmentRate: low, abandonmentLimit: 0.03 })
      const riskHigh = marginalRisk({ abandonmentRate: high, abandonmentLimit: 0.03 })
      if (riskHigh !== undefined) expect(riskLow ?? 0).toBeGreaterThanOrEqual(riskHigh)
      expect(riskHigh === undefined).toBe(high >= 0.03)
    },
    runs(),
  )

  it("is nothing with no headroom, a part of the full risk with little, and the full risk with enough", () => {
    const at = (liveAnswered: number, abandoned: number) =>
      marginalRisk({ abandonmentRate: 0, abandonmentLimit: 0.03, liveAnswered, abandoned })
    // nothing answered yet: a single abandon would put the rate at 100%
    expect(at(0, 0)).toBe(0)
    const little = at(50, 0) ?? 0
    expect(little).toBeGreaterThan(0)
    expect(little).toBeLessThan(at(1_000, 0) ?? 0)
    expect(at(1_000, 0)).toBe(at(100_000, 0))
    expect(at(1_000, 0)).toBe(marginalRisk({ abandonmentRate: 0, abandonmentLimit: 0.03 }))
  })
})

describe("abandonHeadroom", () => {
  it("counts the abandons the window can still take before its rate reaches the limit", () => {
    expect(abandonHeadroom({ abandonmentLimit: 0.03, liveAnswered: 200, abandoned: 4 })).toBeCloseTo(2)
    expect(abandonHeadroom({ abandonmentLimit: 0.03, liveAnswered: 100, abandoned: 3 })).toBeCloseTo(0)
    expect(abandonHeadroom({ abandonmentLimit: 0.03 })).toBe(Number.POSITIVE_INFINITY)
  })
})
