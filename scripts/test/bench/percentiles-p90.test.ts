import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { percentile, summarize } from "../../bench/lib/percentiles.js"
import { runs } from "../bench-runs.js"

describe("summarize's p90", () => {
  it("of 1..100 is the 90th value", () => {
    expect(summarize(Array.from({ length: 100 }, (_, i) => 100 - i))?.p90).toBe(90)
  })

  it.prop(
    "is the nearest-rank 90th percentile, between p50 and p99",
    [fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 })],
    ([samples]) => {
      const summary = summarize(samples)
      const sorted = [...samples].sort((a, b) => a - b)
      expect(summary?.p90).toBe(percentile(sorted, 90))
      expect(summary?.p50).toBeLessThanOrEqual(summary?.p90 ?? Number.NaN)
      expect(summary?.p90).toBeLessThanOrEqual(summary?.p99 ?? Number.NaN)
    },
    runs(),
  )
})
