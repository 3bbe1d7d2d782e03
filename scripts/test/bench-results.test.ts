import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { metricsOf, toJsonLine } from "../bench/lib/results.js"
import { runs } from "./bench-runs.js"

const nameArb = fc.string({ minLength: 1, maxLength: 20 })

describe("toJsonLine", () => {
  it.prop(
    "prints one JSON line with exactly bench, metric, value (to 3 decimals) and unit",
    [nameArb, nameArb, fc.double({ min: -1e9, max: 1e9, noNaN: true }), nameArb],
    ([bench, name, value, unit]) => {
      const line = toJsonLine(metricsOf(bench)(name, value, unit))
      expect(line).toBeDefined()
      expect(line).not.toContain("\n")
      const parsed: unknown = JSON.parse(line ?? "null")
      expect(Object.keys(parsed as object)).toEqual(["bench", "metric", "value", "unit"])
      expect(parsed).toMatchObject({ bench, metric: name, unit })
      const printed = (parsed as { value: number }).value
      expect(Math.abs(printed - value)).toBeLessThanOrEqual(0.0005 + Math.abs(value) * 1e-12)
    },
    runs(),
  )

  it.prop(
    "prints nothing for a value that is not a finite number",
    [fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)],
    ([value]) => {
      expect(toJsonLine(metricsOf("b")("m", value, "ms"))).toBeUndefined()
    },
    runs(20),
  )
})
