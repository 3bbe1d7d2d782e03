import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { adaptiveDials } from "../src/adaptive-pacing.js"
import type { PacingSnapshot } from "../src/adaptive-pacing.js"
import { freeLines } from "../src/dial-ratio.js"
import { countedPacingSnapshot, typical } from "./pacing-arbitraries.js"
import { runs } from "./property-runs.js"

/** Counts from anywhere, including ones no store would give (negative, fractional, not numbers). */
const oddCount = fc.oneof(
  fc.integer({ min: -100, max: 10_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
)

describe("adaptiveDials with the abandonment counts", () => {
  it.prop(
    "is a whole number from 0 to the free lines, whatever the counts say",
    [countedPacingSnapshot, oddCount, oddCount],
    ([s, liveAnswered, abandoned]) => {
      const dials = adaptiveDials({ ...s, liveAnswered, abandoned })
      expect(Number.isInteger(dials)).toBe(true)
      expect(dials).toBeGreaterThanOrEqual(0)
      expect(dials).toBeLessThanOrEqual(freeLines(s))
    },
    runs(),
  )

  it.prop(
    "places nothing when no agent is logged in, whatever the headroom",
    [countedPacingSnapshot, oddCount, oddCount],
    ([s, liveAnswered, abandoned]) => {
      const nobody = { ...s, agentsLoggedIn: 0, freeAgents: 0, wrapUpRemainingMs: [], callsConnected: 0 }
      expect(adaptiveDials({ ...nobody, liveAnswered, abandoned })).toBe(0)
    },
    runs(),
  )

  it.prop(
    "never dials more with less headroom (more abandons, or fewer answers), all else equal",
    [countedPacingSnapshot, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 500 })],
    ([s, moreAbandons, fewerAnswers]) => {
      const dials = adaptiveDials(s)
      expect(adaptiveDials({ ...s, abandoned: (s.abandoned ?? 0) + moreAbandons })).toBeLessThanOrEqual(dials)
      expect(
        adaptiveDials({ ...s, liveAnswered: Math.max(0, (s.liveAnswered ?? 0) - fewerAnswers) }),
      ).toBeLessThanOrEqual(dials)
    },
    runs(),
  )

  it.prop(
    "with unknown counts, dials as with all the headroom in the world",
    [countedPacingSnapshot],
    ([s]) => {
      const unknown = { ...s, liveAnswered: undefined, abandoned: undefined }
      expect(adaptiveDials(unknown)).toBe(adaptiveDials({ ...s, liveAnswered: 1e9, abandoned: 0 }))
      expect(adaptiveDials(unknown)).toBeGreaterThanOrEqual(adaptiveDials(s))
    },
    runs(),
  )

  it("is more careful with a couple of abandons of headroom than with plenty, at the same rate", () => {
    // 25 agents, 5 free, nothing in flight, a rate of 2% over 100 answers (1 abandon of headroom) or 10,000 (100)
    const base: PacingSnapshot = { ...typical, abandonmentRate: 0.02 }
    const short = adaptiveDials({ ...base, liveAnswered: 100, abandoned: 2 })
    const long = adaptiveDials({ ...base, liveAnswered: 10_000, abandoned: 200 })
    expect(short).toBeGreaterThanOrEqual(5)
    expect(long).toBeGreaterThan(short)
  })
})
