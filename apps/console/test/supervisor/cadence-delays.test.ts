import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { formatDelays, parseDelays } from "../../src/supervisor/cadence-delays.js"

const runs = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) }

describe("cadence delays as a supervisor writes them", () => {
  it("reads back exactly what it shows, for any delays in whole seconds up to a year", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 365 * 86_400 }), { maxLength: 8 }), (seconds) => {
        const delaysMs = seconds.map((s) => s * 1000)
        expect(parseDelays(formatDelays(delaysMs))).toEqual({ _tag: "Delays", delaysMs })
      }),
      runs,
    )
  })

  it("shows each delay in the largest unit that holds it exactly", () => {
    expect(formatDelays([30 * 60_000, 90 * 60_000, 2 * 3_600_000, 86_400_000, 45_000, 0])).toBe(
      "30m, 90m, 2h, 1d, 45s, 0",
    )
  })

  it("reads the ways people write durations", () => {
    expect(parseDelays("30m, 2 hours,1d , 1.5h, 0")).toEqual({
      _tag: "Delays",
      delaysMs: [1_800_000, 7_200_000, 86_400_000, 5_400_000, 0],
    })
    expect(parseDelays("  ")).toEqual({ _tag: "Delays", delaysMs: [] })
  })

  it("names the part that is not a delay", () => {
    expect(parseDelays("30m, soon")).toEqual({
      _tag: "Invalid",
      message: 'delays: "soon" is not a delay (write them like "30m, 2h, 1d")',
    })
    expect(parseDelays("-1h")).toMatchObject({ _tag: "Invalid", message: expect.stringContaining('"-1h"') })
    expect(parseDelays("15")).toEqual({
      _tag: "Invalid",
      message: 'delays: "15" needs a unit: s, m, h or d (like "30m")',
    })
  })
})
