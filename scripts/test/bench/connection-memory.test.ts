import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { megabytesPerThousand, perThousand, type Reading } from "../../bench/lib/connection-memory.js"
import { runs } from "../bench-runs.js"

const MB = 1024 * 1024

describe("megabytesPerThousand", () => {
  it("scales what the connections added to 1,000 of them", () => {
    expect(megabytesPerThousand(300 * MB, 340 * MB, 2_000)).toBe(20)
    expect(megabytesPerThousand(300 * MB, 305 * MB, 100)).toBe(50)
    expect(megabytesPerThousand(300 * MB, 305 * MB, 0)).toBeNaN()
  })
})

describe("perThousand", () => {
  const base = 300 * MB
  const readings: Array<Reading> = [
    { connections: 1_000, online: false, rss: 340 * MB }, // 40 MB: 25 of them one-time costs
    { connections: 2_000, online: false, rss: 355 * MB },
    { connections: 1_000, online: true, rss: 360 * MB },
    { connections: 2_000, online: true, rss: 365 * MB },
  ]

  it("takes the slope between the first and last steps, and adds what going Online costs at the full count", () => {
    expect(perThousand(base, readings)).toEqual({ connected: 15, fromNone: 27.5, onlineExtra: 5, online: 20 })
  })

  it("counts from no connections when there was a single step", () => {
    const one = readings.filter((r) => r.connections === 2_000)
    expect(perThousand(base, one)).toEqual({ connected: 27.5, fromNone: 27.5, onlineExtra: 5, online: 32.5 })
  })

  it.prop(
    "gives the true cost per connection back when memory grows linearly with the connections",
    [
      fc.integer({ min: 0, max: 200 * MB }),
      fc.integer({ min: 1, max: 100 * 1024 }),
      fc.integer({ min: 0, max: 50 * 1024 }),
      fc.integer({ min: 1, max: 5 }),
    ],
    ([oneTime, bytesPerConnection, bytesOnline, steps]) => {
      const step = 500
      const full = step * steps
      const idle: Array<Reading> = Array.from({ length: steps }, (_, i) => ({
        connections: step * (i + 1),
        online: false,
        rss: base + oneTime + step * (i + 1) * bytesPerConnection,
      }))
      const allOnline: Reading = {
        connections: full,
        online: true,
        rss: base + oneTime + full * (bytesPerConnection + bytesOnline),
      }
      const per = perThousand(base, [...idle, allOnline])
      const expected = (bytesPerConnection * 1000) / MB
      if (steps > 1) expect(per.connected).toBeCloseTo(expected, 6)
      expect(per.onlineExtra).toBeCloseTo((bytesOnline * 1000) / MB, 6)
      expect(per.fromNone).toBeCloseTo(expected + (oneTime * 1000) / full / MB, 6)
    },
    runs(),
  )
})
