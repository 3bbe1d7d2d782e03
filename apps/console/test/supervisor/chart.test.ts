import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import {
  dayRange,
  defaultBox,
  type Domain,
  timeTicks,
  niceMax,
  scaleX,
  scaleY,
  stackedBands,
} from "../../src/supervisor/chart.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) }
const box = defaultBox
const value = fc.integer({ min: 0, max: 500 })
const day = fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 })

const numbersOf = (path: string) => (path.match(/-?\d+(\.\d+)?/g) ?? []).map(Number)

describe("charts", () => {
  it("keep every point inside the plotting area, whatever the values", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e6, max: 1e6 }), (x0, dx, y) => {
        const domain: Domain = { x0, x1: x0 + 86_400_000, y1: niceMax(Math.abs(y)) }
        const px = scaleX(box, domain, x0 + dx)
        const py = scaleY(box, domain, y)
        expect(px).toBeGreaterThanOrEqual(box.left)
        expect(px).toBeLessThanOrEqual(box.width - box.right)
        expect(py).toBeGreaterThanOrEqual(box.top)
        expect(py).toBeLessThanOrEqual(box.height - box.bottom)
      }),
      runs,
    )
  })

  it("pick an axis top of 1, 2 or 5 times a power of ten, not below the data and less than 5 times it", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e9, noNaN: true }), (max) => {
        const top = niceMax(max)
        expect(top).toBeGreaterThanOrEqual(max)
        expect(top).toBeLessThan(max * 5 + 1e-9)
        const mantissa = top / 10 ** Math.floor(Math.log10(top) + 1e-9)
        expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true)
      }),
      runs,
    )
  })

  it("stack the agent states so that the top band ends at the number of agents logged in", () => {
    const keys = ["OnCall", "Online", "Busy"] as const
    const sample = fc.record({ OnCall: value, Online: value, Busy: value })
    fc.assert(
      fc.property(day, fc.array(sample, { minLength: 1, maxLength: 30 }), (x0, values) => {
        const samples = values.map((v, i) => ({ x: x0 + i * 60_000, values: v }))
        const totals = values.map((v) => v.OnCall + v.Online + v.Busy)
        const domain: Domain = { x0, x1: x0 + values.length * 60_000, y1: niceMax(Math.max(...totals)) }
        const bands = stackedBands(box, domain, samples, keys)
        expect(bands.map((b) => b.key)).toEqual(keys)
        const top = numbersOf(bands[bands.length - 1]?.path ?? "")
        // the first half of the last band's outline is its top edge, sample by sample
        totals.forEach((total, i) => {
          expect(top[2 * i + 1]).toBeCloseTo(scaleY(box, domain, total), 0)
        })
      }),
      runs,
    )
  })

  it("mark at most a handful of times, inside the range, on whole minutes of one step", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 86_400_000 }), (x0, span) => {
        const ticks = timeTicks(x0, x0 + span)
        expect(ticks.length).toBeLessThanOrEqual(8)
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(x0)
          expect(t).toBeLessThanOrEqual(x0 + span)
          expect(new Date(t).getSeconds()).toBe(0)
        }
        const gaps = new Set(ticks.slice(1).map((t, i) => t - (ticks[i] ?? 0)))
        expect(gaps.size).toBeLessThanOrEqual(1)
      }),
      runs,
    )
  })

  it("show the day from its first sample to now, over at least half an hour", () => {
    fc.assert(
      fc.property(
        day,
        fc.array(fc.integer({ min: 0, max: 86_400_000 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (since, offsets, elapsed) => {
          const now = since + elapsed
          const samples = [...offsets]
            .filter((o) => o <= elapsed)
            .sort((a, b) => a - b)
            .map((o) => ({ at: since + o }))
          const { x0, x1 } = dayRange(samples, since, now)
          expect(x1).toBe(now)
          expect(x0).toBeGreaterThanOrEqual(since)
          if (samples[0] !== undefined) expect(x0).toBeLessThanOrEqual(samples[0].at)
          if (now - since >= 30 * 60_000) expect(x1 - x0).toBeGreaterThanOrEqual(30 * 60_000)
        },
      ),
      runs,
    )
  })
})
