import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { backoffDelay, defaultBackoff } from "../../src/shared/backoff.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) }
const attempt = fc.integer({ min: 0, max: 1000 })
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

describe("reconnect backoff", () => {
  it("waits between half and all of the doubled delay, never more than the cap", () => {
    fc.assert(
      fc.property(attempt, random, (n, r) => {
        const ceiling = Math.min(defaultBackoff.capMs, defaultBackoff.baseMs * 2 ** n)
        const delay = backoffDelay(n, r)
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2))
        expect(delay).toBeLessThanOrEqual(Math.min(ceiling, defaultBackoff.capMs))
      }),
      runs,
    )
  })

  it("never waits less after more failures, for the same jitter", () => {
    fc.assert(
      fc.property(attempt, attempt, random, (a, b, r) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(backoffDelay(lo, r)).toBeLessThanOrEqual(backoffDelay(hi, r))
      }),
      runs,
    )
  })

  it("retries within a second at first and every 5 to 10 s once the network has been gone a while", () => {
    expect(backoffDelay(0, 0)).toBe(250)
    expect(backoffDelay(0, 0.999)).toBeLessThanOrEqual(500)
    expect(backoffDelay(50, 0)).toBe(5000)
    expect(backoffDelay(50, 0.999)).toBeLessThanOrEqual(10_000)
  })
})
