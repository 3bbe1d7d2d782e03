import { afterEach, describe, expect, it } from "@effect/vitest"
import { propertyRuns } from "./property-runs.js"

describe("propertyRuns", () => {
  const saved = process.env["PROPERTY_RUNS"]
  afterEach(() => {
    if (saved === undefined) delete process.env["PROPERTY_RUNS"]
    else process.env["PROPERTY_RUNS"] = saved
  })

  it("uses PROPERTY_RUNS when it is a positive integer", () => {
    process.env["PROPERTY_RUNS"] = "5000"
    expect(propertyRuns()).toBe(5000)
  })

  it("falls back to the default when unset or not a positive integer", () => {
    delete process.env["PROPERTY_RUNS"]
    expect(propertyRuns()).toBe(200)
    expect(propertyRuns(50)).toBe(50)
    for (const bad of ["", "zero", "0", "-3"]) {
      process.env["PROPERTY_RUNS"] = bad
      expect(propertyRuns(7)).toBe(7)
    }
  })
})
