import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { emptyRingAgeProfile, liveChanceAtAge, recordRingOutcome } from "../src/ring-age.js"
import { runs } from "./property-runs.js"

const resolutionsArb = fc.array(fc.record({ ageMs: fc.integer({ min: 0, max: 30_000 }), live: fc.boolean() }), {
  maxLength: 80,
})

describe("liveChanceAtAge", () => {
  it.prop(
    "is the share of dials that rang at least as long (to the second) and needed an agent",
    [resolutionsArb, fc.integer({ min: 0, max: 30_000 })],
    ([resolutions, ageMs]) => {
      const profile = resolutions.reduce((p, r) => recordRingOutcome(p, r.ageMs, r.live), emptyRingAgeProfile)
      const longer = resolutions.filter((r) => Math.floor(r.ageMs / 1000) >= Math.floor(ageMs / 1000))
      const live = longer.filter((r) => r.live).length
      const chance = liveChanceAtAge(profile, ageMs, 0.2, 0)
      expect(chance).toBeCloseTo(longer.length === 0 ? 0.2 : live / longer.length)
      const smoothed = liveChanceAtAge(profile, ageMs, 0.2)
      expect(smoothed).toBeGreaterThanOrEqual(0)
      expect(smoothed).toBeLessThanOrEqual(1)
    },
    runs(),
  )

  it("sees that a call ringing past the time people answer is most likely a no-answer", () => {
    let profile = emptyRingAgeProfile
    for (let i = 0; i < 50; i++) profile = recordRingOutcome(profile, 5_000 + i * 100, true)
    for (let i = 0; i < 200; i++) profile = recordRingOutcome(profile, 20_000, false)
    expect(liveChanceAtAge(profile, 0, 0.2)).toBeCloseTo(50 / 252)
    expect(liveChanceAtAge(profile, 12_000, 0.2)).toBeLessThan(0.01)
  })
})
