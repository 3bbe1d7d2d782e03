import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import {
  abandonmentChange,
  abandonmentLevel,
  AbandonmentLevel,
  DailyAbandonment,
  rollingAbandonment,
} from "../src/abandonment.js"
import { runs } from "./property-runs.js"

const dayMs = 86_400_000
const base = Date.UTC(2025, 0, 1)
const dayString = (offset: number) => new Date(base + offset * dayMs).toISOString().slice(0, 10)

const entryArb = fc
  .record({
    offset: fc.integer({ min: 0, max: 90 }),
    liveAnswered: fc.integer({ min: 0, max: 500 }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ offset, liveAnswered, share }) => ({
    offset,
    entry: { day: dayString(offset), liveAnswered, abandoned: Math.floor(liveAnswered * share) },
  }))

const thresholdsArb = fc
  .tuple(fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }))
  .map(([a, b]) => ({ warnRate: Math.min(a, b), pauseRate: Math.max(a, b) }))

describe("rollingAbandonment", () => {
  it.prop(
    "adds up exactly the 30 days ending today, and the rate is abandoned over live-answered",
    [fc.array(entryArb, { maxLength: 60 }), fc.integer({ min: 0, max: 90 })],
    ([entries, today]) => {
      const totals = rollingAbandonment(
        entries.map((e) => e.entry),
        dayString(today),
      )
      const inWindow = entries.filter((e) => e.offset <= today && e.offset > today - 30).map((e) => e.entry)
      const live = inWindow.reduce((s, e) => s + e.liveAnswered, 0)
      const abandoned = inWindow.reduce((s, e) => s + e.abandoned, 0)
      expect(totals).toEqual({ liveAnswered: live, abandoned, rate: live === 0 ? 0 : abandoned / live })
      expect(totals.rate).toBeGreaterThanOrEqual(0)
      expect(totals.rate).toBeLessThanOrEqual(1)
    },
    runs(),
  )

  it("drops the day that leaves the window", () => {
    const days = [
      { day: "2025-03-01", liveAnswered: 100, abandoned: 10 },
      { day: "2025-03-30", liveAnswered: 100, abandoned: 0 },
    ]
    expect(rollingAbandonment(days, "2025-03-30").rate).toBe(0.05)
    expect(rollingAbandonment(days, "2025-03-31").rate).toBe(0)
  })

  it("decodes a day's counts and names a bad field", () => {
    const ok = Schema.decodeUnknownEither(DailyAbandonment)({ day: "2025-01-02", liveAnswered: 3, abandoned: 0 })
    expect(Either.isRight(ok)).toBe(true)
    const bad = Schema.decodeUnknownEither(DailyAbandonment)({ day: "2025-01-02", liveAnswered: -1, abandoned: 0 })
    expect(Either.isLeft(bad) && bad.left.message.includes("liveAnswered")).toBe(true)
  })
})

describe("abandonmentLevel", () => {
  it("is ok under 2.5%, warning from 2.5%, fallback from 3% by default", () => {
    expect([0, 0.0249, 0.025, 0.0299, 0.03, 0.2].map((r) => abandonmentLevel(r))).toEqual([
      "ok",
      "ok",
      "warning",
      "warning",
      "fallback",
      "fallback",
    ])
  })

  it.prop(
    "a higher rate never gives a lower level, and the level depends on the rate alone (back under means back)",
    [thresholdsArb, fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 20 })],
    ([thresholds, rates]) => {
      const rank = (r: number) => AbandonmentLevel.literals.indexOf(abandonmentLevel(r, thresholds))
      for (let i = 1; i < rates.length; i++) {
        const [a, b] = [rates[i - 1] ?? 0, rates[i] ?? 0]
        if (a <= b) expect(rank(a)).toBeLessThanOrEqual(rank(b))
        const level = abandonmentLevel(b, thresholds)
        expect(level).toBe(b >= thresholds.pauseRate ? "fallback" : b >= thresholds.warnRate ? "warning" : "ok")
      }
    },
    runs(),
  )
})

describe("abandonmentChange", () => {
  const levelArb = fc.constantFrom(...AbandonmentLevel.literals)
  it.prop(
    "warns on rising to warning, alerts on reaching fallback, recovers on any fall, else says nothing",
    [levelArb, levelArb],
    ([from, to]) => {
      const change = abandonmentChange(from, to)
      const order = AbandonmentLevel.literals
      if (from === to) expect(change).toBe("none")
      else if (order.indexOf(to) < order.indexOf(from)) expect(change).toBe("recover")
      else expect(change).toBe(to === "fallback" ? "fall-back" : "warn")
    },
    runs(50),
  )
})
