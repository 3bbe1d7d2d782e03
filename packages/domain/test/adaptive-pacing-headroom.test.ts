import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { adaptiveDials } from "../src/adaptive-pacing.js"
import type { PacingSnapshot } from "../src/adaptive-pacing.js"
import { freeLines } from "../src/dial-ratio.js"
import { runs } from "./property-runs.js"

/** A campaign under its abandonment limit, with the counts behind its rate (the headroom in abandons). */
const snapshotArb: fc.Arbitrary<PacingSnapshot> = fc
  .record({
    free: fc.integer({ min: 0, max: 30 }),
    wrap: fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 10 }),
    talking: fc.integer({ min: 0, max: 30 }),
    away: fc.integer({ min: 0, max: 3 }),
    callsRinging: fc.integer({ min: 0, max: 60 }),
    callsWaiting: fc.integer({ min: 0, max: 4 }),
    maxLines: fc.integer({ min: 0, max: 150 }),
    liveAnswerRate: fc.double({ min: 0, max: 1, noNaN: true }),
    meanAnswerDelayMs: fc.integer({ min: 0, max: 30_000 }),
    meanTalkMs: fc.integer({ min: 0, max: 600_000 }),
    meanWrapMs: fc.integer({ min: 0, max: 60_000 }),
    abandonmentLimit: fc.constantFrom(0.03, 0.02, 0.05),
    liveAnswered: fc.integer({ min: 0, max: 3_000 }),
    abandoned: fc.integer({ min: 0, max: 120 }),
  })
  .map((r) => ({
    agentsLoggedIn: r.free + r.wrap.length + r.talking + r.away,
    freeAgents: r.free,
    wrapUpRemainingMs: r.wrap,
    callsConnected: r.talking,
    callsRinging: r.callsRinging,
    callsWaiting: r.callsWaiting,
    maxLines: r.maxLines,
    liveAnswerRate: r.liveAnswerRate,
    meanAnswerDelayMs: r.meanAnswerDelayMs,
    meanTalkMs: r.meanTalkMs,
    meanWrapMs: r.meanWrapMs,
    abandonmentRate: r.liveAnswered === 0 ? 0 : r.abandoned / r.liveAnswered,
    abandonmentLimit: r.abandonmentLimit,
    liveAnswered: r.liveAnswered,
    abandoned: r.abandoned,
  }))

/** Counts from anywhere, including ones no store would give (negative, fractional, not numbers). */
const oddCount = fc.oneof(
  fc.integer({ min: -100, max: 10_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
)

describe("adaptiveDials with the abandonment counts", () => {
  it.prop(
    "is a whole number from 0 to the free lines, whatever the counts say",
    [snapshotArb, oddCount, oddCount],
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
    [snapshotArb, oddCount, oddCount],
    ([s, liveAnswered, abandoned]) => {
      const nobody = { ...s, agentsLoggedIn: 0, freeAgents: 0, wrapUpRemainingMs: [], callsConnected: 0 }
      expect(adaptiveDials({ ...nobody, liveAnswered, abandoned })).toBe(0)
    },
    runs(),
  )

  it.prop(
    "never dials more with less headroom (more abandons, or fewer answers), all else equal",
    [snapshotArb, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 500 })],
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
    [snapshotArb],
    ([s]) => {
      const unknown = { ...s, liveAnswered: undefined, abandoned: undefined }
      expect(adaptiveDials(unknown)).toBe(adaptiveDials({ ...s, liveAnswered: 1e9, abandoned: 0 }))
      expect(adaptiveDials(unknown)).toBeGreaterThanOrEqual(adaptiveDials(s))
    },
    runs(),
  )

  it("is more careful with a couple of abandons of headroom than with plenty, at the same rate", () => {
    // 25 agents, 5 free, nothing in flight, a rate of 2% over 100 answers (1 abandon of headroom) or 10,000 (100)
    const base: PacingSnapshot = {
      agentsLoggedIn: 25,
      freeAgents: 5,
      wrapUpRemainingMs: [],
      callsConnected: 20,
      callsRinging: 0,
      callsWaiting: 0,
      maxLines: 75,
      liveAnswerRate: 0.2,
      meanAnswerDelayMs: 11_000,
      meanTalkMs: 120_000,
      meanWrapMs: 15_000,
      abandonmentRate: 0.02,
      abandonmentLimit: 0.03,
    }
    const short = adaptiveDials({ ...base, liveAnswered: 100, abandoned: 2 })
    const long = adaptiveDials({ ...base, liveAnswered: 10_000, abandoned: 200 })
    expect(short).toBeGreaterThanOrEqual(5)
    expect(long).toBeGreaterThan(short)
  })
})
