import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import {
  DialRatio,
  dialRatioPresets,
  dialRatioValue,
  fixedRatioDials,
  freeLines,
  progressiveDials,
} from "../src/dial-ratio.js"
import { runs } from "./property-runs.js"

const count = (max: number) => fc.integer({ min: 0, max })

export const lineCountsArb = fc.record({
  freeAgents: count(60),
  callsRinging: count(120),
  callsWaiting: count(10),
  callsConnected: count(60),
  maxLines: count(300),
})

describe("DialRatio", () => {
  it("accepts the three presets and adaptive, and names a bad value", () => {
    expect(dialRatioPresets).toEqual(["1.5:1", "2.0:1", "3.0:1", "adaptive"])
    for (const preset of dialRatioPresets)
      expect(Schema.decodeUnknownEither(DialRatio)(preset)).toEqual(Either.right(preset))
    const refused = Schema.decodeUnknownEither(DialRatio)("2:1")
    expect(Either.isLeft(refused) && refused.left.message.includes('"2:1"')).toBe(true)
  })

  it("gives each preset its calls per free agent", () => {
    expect(dialRatioPresets.map(dialRatioValue)).toEqual([1.5, 2, 3, undefined])
  })
})

describe("fixedRatioDials", () => {
  it.prop(
    "never negative, never beyond the free lines, and keeps at most ratio × free agents in flight",
    [lineCountsArb, fc.constantFrom(1, 1.5, 2, 3)],
    ([counts, ratio]) => {
      const dials = fixedRatioDials({ ...counts, ratio })
      expect(Number.isInteger(dials)).toBe(true)
      expect(dials).toBeGreaterThanOrEqual(0)
      expect(dials).toBeLessThanOrEqual(freeLines(counts))
      const inFlight = counts.callsRinging + counts.callsWaiting
      if (dials > 0)
        expect(inFlight + dials).toBe(Math.min(Math.floor(ratio * counts.freeAgents), inFlight + freeLines(counts)))
    },
    runs(),
  )

  it.prop(
    "more free agents never mean fewer dials, a higher ratio never fewer",
    [lineCountsArb, fc.constantFrom(1, 1.5, 2, 3), fc.constantFrom(1, 1.5, 2, 3)],
    ([counts, a, b]) => {
      const [low, high] = a <= b ? [a, b] : [b, a]
      const more = { ...counts, freeAgents: counts.freeAgents + 1 }
      expect(fixedRatioDials({ ...more, ratio: low })).toBeGreaterThanOrEqual(
        fixedRatioDials({ ...counts, ratio: low }),
      )
      expect(fixedRatioDials({ ...counts, ratio: high })).toBeGreaterThanOrEqual(
        fixedRatioDials({ ...counts, ratio: low }),
      )
    },
    runs(),
  )

  it("dials 2 per free agent at 2.0:1, less what is already ringing, within the lines", () => {
    const base = { freeAgents: 5, callsRinging: 3, callsWaiting: 0, callsConnected: 20, maxLines: 100 }
    expect(fixedRatioDials({ ...base, ratio: 2 })).toBe(7)
    expect(fixedRatioDials({ ...base, ratio: 2, maxLines: 25 })).toBe(2)
    expect(fixedRatioDials({ ...base, ratio: 1.5 })).toBe(4)
    expect(fixedRatioDials({ ...base, freeAgents: 0, ratio: 3 })).toBe(0)
  })

  it("progressive keeps one call in flight per free agent", () => {
    expect(progressiveDials({ freeAgents: 4, callsRinging: 1, callsWaiting: 1, callsConnected: 0, maxLines: 50 })).toBe(
      2,
    )
  })
})
