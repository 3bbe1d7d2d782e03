import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { depletionCrossings } from "../src/queue-depletion.js"
import { runs } from "./property-runs.js"

const thresholdsArb = fc
  .dictionary(fc.constantFrom("sam", "kim", "lee", "max"), fc.integer({ min: 0, max: 20 }))
  .map((d) => new Map(Object.entries(d)))

describe("depletionCrossings", () => {
  it.prop(
    "over any sequence of ready counts, a supervisor is alerted once per fall below their threshold",
    [thresholdsArb, fc.array(fc.integer({ min: 0, max: 25 }), { maxLength: 40 })],
    ([thresholds, counts]) => {
      let alerted = new Set<string>()
      const alerts = new Map<string, number>()
      for (const ready of counts) {
        const { alert, clear } = depletionCrossings({ thresholds, alerted, ready })
        for (const who of alert) alerts.set(who, (alerts.get(who) ?? 0) + 1)
        alerted = new Set([...alerted, ...alert].filter((w) => !clear.includes(w)))
        for (const [who, threshold] of thresholds) expect(alerted.has(who)).toBe(ready < threshold)
      }
      // reference: count the falls (transitions from not-below to below), starting from not-below
      for (const [who, threshold] of thresholds) {
        let falls = 0
        let below = false
        for (const ready of counts) {
          if (ready < threshold && !below) falls++
          below = ready < threshold
        }
        expect(alerts.get(who) ?? 0).toBe(falls)
      }
    },
    runs(),
  )

  it("clears a supervisor who no longer has a threshold", () => {
    expect(depletionCrossings({ thresholds: new Map(), alerted: new Set(["sam"]), ready: 0 })).toEqual({
      alert: [],
      clear: ["sam"],
    })
  })
})
