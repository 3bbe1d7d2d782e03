import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { depletionCrossings, depletionRearmAt } from "../src/queue-depletion.js"
import { runs } from "./property-runs.js"

const thresholdsArb = fc
  .dictionary(fc.constantFrom("sam", "kim", "lee", "max"), fc.integer({ min: 0, max: 120 }))
  .map((d) => new Map(Object.entries(d)))

/** Feeds the counts one by one, as the campaign does, and returns at which steps each supervisor was alerted. */
const alertSteps = (thresholds: ReadonlyMap<string, number>, counts: ReadonlyArray<number>) => {
  let alerted = new Set<string>()
  const steps = new Map<string, Array<number>>()
  counts.forEach((ready, step) => {
    const { alert, clear } = depletionCrossings({ thresholds, alerted, ready })
    for (const who of alert) steps.set(who, [...(steps.get(who) ?? []), step])
    alerted = new Set([...alerted, ...alert].filter((w) => !clear.includes(w)))
    // a supervisor is never left unaware of a queue below their threshold
    for (const [who, threshold] of thresholds) if (ready < threshold) expect(alerted.has(who)).toBe(true)
  })
  return steps
}

describe("depletionCrossings", () => {
  it.prop(
    "alerts at the first fall below the threshold, and again only after the count came back a tenth above it",
    [thresholdsArb, fc.array(fc.integer({ min: 0, max: 140 }), { maxLength: 60 })],
    ([thresholds, counts]) => {
      const steps = alertSteps(thresholds, counts)
      for (const [who, threshold] of thresholds) {
        const margin = Math.max(1, Math.ceil(threshold / 10))
        // reference: a step below the threshold alerts when it is the first such step, or when the count reached
        // threshold + margin somewhere since the last alert
        const expected: Array<number> = []
        counts.forEach((ready, step) => {
          if (ready >= threshold) return
          const last = expected.at(-1)
          if (last === undefined || counts.slice(last + 1, step).some((c) => c >= threshold + margin)) {
            expected.push(step)
          }
        })
        expect(steps.get(who) ?? []).toEqual(expected)
      }
    },
    runs(),
  )

  it("alerts once for a queue that hovers at the threshold, one lead in and one out", () => {
    const steps = alertSteps(new Map([["sam", 20]]), [25, 20, 19, 20, 19, 20, 19, 21, 19])
    expect(steps.get("sam")).toEqual([2])
  })

  it("alerts again once the queue has been refilled to a tenth above the threshold, at least one lead", () => {
    expect(depletionRearmAt(20)).toBe(22)
    expect(depletionRearmAt(1)).toBe(2)
    expect(depletionRearmAt(95)).toBe(105)
    expect(alertSteps(new Map([["sam", 20]]), [19, 22, 19]).get("sam")).toEqual([0, 2])
    // an empty queue, for a threshold of 1: alerted again after two leads waited, not after each lead handed out
    expect(alertSteps(new Map([["kim", 1]]), [0, 1, 0, 1, 0, 2, 0]).get("kim")).toEqual([0, 6])
  })

  it("clears a supervisor who no longer has a threshold", () => {
    expect(depletionCrossings({ thresholds: new Map(), alerted: new Set(["sam"]), ready: 0 })).toEqual({
      alert: [],
      clear: ["sam"],
    })
  })
})
