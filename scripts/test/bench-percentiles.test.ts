import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { percentile, summarize } from "../bench/lib/percentiles.js"
import { runs } from "./bench-runs.js"

const samplesArb = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 })
const sortedCopy = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)

describe("percentile", () => {
  it.prop(
    "is the smallest sample with at least p% of the samples at or below it (nearest rank)",
    [samplesArb, fc.integer({ min: 1, max: 100 })],
    ([samples, p]) => {
      const sorted = sortedCopy(samples)
      const value = percentile(sorted, p)
      expect(value).toBeDefined()
      const v = value ?? Number.NaN
      const n = sorted.length
      expect(sorted).toContain(v)
      expect(100 * sorted.filter((x) => x <= v).length).toBeGreaterThanOrEqual(p * n)
      expect(100 * sorted.filter((x) => x < v).length).toBeLessThan(p * n)
    },
    runs(),
  )

  it("of 1..100 gives the 50th and the 99th value, and none of no samples", () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(oneToHundred, 50)).toBe(50)
    expect(percentile(oneToHundred, 99)).toBe(99)
    expect(percentile(oneToHundred, 7)).toBe(7)
    expect(percentile([], 50)).toBeUndefined()
  })
})

describe("summarize", () => {
  it.prop(
    "orders p50 <= p99 <= max, keeps the mean between the extremes, and counts every sample, in any input order",
    [samplesArb],
    ([samples]) => {
      const summary = summarize(samples)
      const sorted = sortedCopy(samples)
      expect(summary).toBeDefined()
      if (summary === undefined) return
      expect(summary.count).toBe(samples.length)
      expect(summary.p50).toBe(percentile(sorted, 50))
      expect(summary.p99).toBe(percentile(sorted, 99))
      expect(summary.max).toBe(sorted[sorted.length - 1])
      expect(summary.p50).toBeLessThanOrEqual(summary.p99)
      expect(summary.p99).toBeLessThanOrEqual(summary.max)
      expect(summary.mean).toBeGreaterThanOrEqual((sorted[0] ?? 0) - 1e-6)
      expect(summary.mean).toBeLessThanOrEqual(summary.max + 1e-6)
    },
    runs(),
  )

  it("has nothing to say about no samples", () => {
    expect(summarize([])).toBeUndefined()
  })
})
