import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { abandonment, occupancy, percentile, timeInStates } from "../src/stats-figures.js"

const runs = () => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { numRuns: Number.isInteger(parsed) && parsed > 0 ? parsed : 200 }
}

const states = ["Online", "Offline", "OnCall", "WrapUp", "Busy", "OnBreak"] as const

/** A sorted list of state changes within [0, 10 000]. */
const changesArb = fc
  .array(fc.record({ state: fc.constantFrom(...states), at: fc.integer({ min: 0, max: 10_000 }) }), { minLength: 1 })
  .map((cs) => [...cs].sort((a, b) => a.at - b.at))

const windowArb = fc
  .tuple(fc.integer({ min: -1_000, max: 11_000 }), fc.integer({ min: 0, max: 12_000 }))
  .map(([a, b]) => ({ from: Math.min(a, a + b), to: a + b }))

describe("percentile (nearest rank)", () => {
  it("is one of the values, never below the minimum nor above the maximum", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1 }), fc.integer({ min: 0, max: 100 }), (values, p) => {
        const result = percentile(values, p)
        expect(values).toContain(result)
      }),
      runs(),
    )
  })

  it("grows with p, and p100 is the maximum", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (values, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          expect(percentile(values, lo) ?? 0).toBeLessThanOrEqual(percentile(values, hi) ?? 0)
          expect(percentile(values, 100)).toBe(Math.max(...values))
        },
      ),
      runs(),
    )
  })

  it("has none for no values, and the textbook answers for 1..10", () => {
    expect(percentile([], 50)).toBeNull()
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    expect(percentile(ten, 50)).toBe(5)
    expect(percentile(ten, 90)).toBe(9)
  })
})

describe("time in states", () => {
  it("adds up to the part of the window after the first change", () => {
    fc.assert(
      fc.property(changesArb, windowArb, (changes, window) => {
        const times = timeInStates(changes, window)
        const total = Object.values(times).reduce((a, b) => a + b, 0)
        const first = changes[0]?.at ?? 0
        expect(total).toBe(Math.max(0, window.to - Math.max(window.from, first)))
        for (const ms of Object.values(times)) expect(ms).toBeGreaterThan(0)
      }),
      runs(),
    )
  })

  it("counts a known day exactly", () => {
    const day = [
      { state: "Online", at: 10 },
      { state: "OnCall", at: 20 },
      { state: "WrapUp", at: 30 },
      { state: "Online", at: 35 },
      { state: "Offline", at: 40 },
    ]
    expect(timeInStates(day, { from: 15, to: 50 })).toEqual({ Online: 10, OnCall: 10, WrapUp: 5, Offline: 10 })
  })
})

describe("occupancy", () => {
  it("is talk plus wrap over logged-in time, between 0 and 1, and null with nobody logged in", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(changesArb, windowArb)), (agents) => {
        const o = occupancy(agents.map(([changes, window]) => timeInStates(changes, window)))
        expect(o.talkMs + o.wrapMs).toBeLessThanOrEqual(o.loggedInMs)
        if (o.loggedInMs === 0) expect(o.rate).toBeNull()
        else {
          expect(o.rate).toBeCloseTo((o.talkMs + o.wrapMs) / o.loggedInMs)
          expect(o.rate).toBeGreaterThanOrEqual(0)
          expect(o.rate).toBeLessThanOrEqual(1)
        }
      }),
      runs(),
    )
  })

  it("does not count Offline time as logged in", () => {
    expect(occupancy([{ Offline: 1_000, OnCall: 30, WrapUp: 10, Online: 60 }])).toEqual({
      talkMs: 30,
      wrapMs: 10,
      loggedInMs: 100,
      rate: 0.4,
    })
  })
})

describe("abandonment", () => {
  it("from ok, warns from the warning rate and pauses from the pause rate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (abandoned, liveAnswered, a, b) => {
          const [warnRate, pauseRate] = a <= b ? [a, b] : [b, a]
          const result = abandonment({ abandoned, liveAnswered, warnRate, pauseRate, held: "ok" })
          const rate = abandoned / liveAnswered
          expect(result.rate).toBe(rate)
          expect(result.level).toBe(rate >= pauseRate ? "pause" : rate >= warnRate ? "warn" : "ok")
        },
      ),
      runs(),
    )
  })

  it("shows the level the campaign holds until the rate is a tenth under its limit", () => {
    const level = (abandoned: number, held: "ok" | "warning" | "fallback") =>
      abandonment({ abandoned, liveAnswered: 1_000, warnRate: 0.025, pauseRate: 0.03, held }).level
    expect([level(28, "fallback"), level(26, "fallback"), level(22, "fallback")]).toEqual(["pause", "warn", "ok"])
    expect([level(28, "ok"), level(23, "warning"), level(22, "warning")]).toEqual(["warn", "warn", "ok"])
  })

  it("has no rate before any call was answered", () => {
    expect(abandonment({ abandoned: 0, liveAnswered: 0, warnRate: 0.025, pauseRate: 0.03, held: "ok" })).toEqual({
      rate: null,
      level: "ok",
    })
  })
})
