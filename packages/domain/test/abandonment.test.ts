import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import {
  abandonmentChange,
  abandonmentLevel,
  AbandonmentLevel,
  abandonmentLevelAfter,
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

describe("abandonmentLevelAfter", () => {
  const levelArb = fc.constantFrom(...AbandonmentLevel.literals)
  const rank = (level: AbandonmentLevel) => AbandonmentLevel.literals.indexOf(level)
  /** Up at once; down only once under the threshold left by a tenth, then to where that rate holds with that tenth. */
  const reference = (previous: AbandonmentLevel, rate: number, t: { warnRate: number; pauseRate: number }) => {
    const plain = abandonmentLevel(rate, t)
    if (rank(plain) >= rank(previous)) return plain
    const leaveUnder = previous === "fallback" ? t.pauseRate * 0.9 : t.warnRate * 0.9
    if (rate >= leaveUnder) return previous
    return previous === "fallback" && rate >= t.warnRate * 0.9 ? "warning" : "ok"
  }

  it("leaves fallback under 2.7% and warning under 2.25% by default, and rises at 2.5% and 3% at once", () => {
    const after = (previous: AbandonmentLevel, rates: ReadonlyArray<number>) =>
      rates.map((r) => abandonmentLevelAfter(previous, r))
    expect(after("fallback", [0.031, 0.029, 0.0271, 0.0269, 0.023, 0.0224])).toEqual([
      "fallback",
      "fallback",
      "fallback",
      "warning",
      "warning",
      "ok",
    ])
    expect(after("warning", [0.03, 0.0249, 0.0226, 0.0224])).toEqual(["fallback", "warning", "warning", "ok"])
    expect(after("ok", [0.0249, 0.025, 0.03])).toEqual(["ok", "warning", "fallback"])
  })

  it.prop(
    "follows the reference, never stands below the rate's own level, and never rises above it",
    [levelArb, fc.double({ min: 0, max: 0.3, noNaN: true }), thresholdsArb],
    ([previous, rate, thresholds]) => {
      const next = abandonmentLevelAfter(previous, rate, thresholds)
      expect(next).toBe(reference(previous, rate, thresholds))
      expect(rank(next)).toBeGreaterThanOrEqual(rank(abandonmentLevel(rate, thresholds)))
      expect(rank(next)).toBeLessThanOrEqual(Math.max(rank(previous), rank(abandonmentLevel(rate, thresholds))))
    },
    runs(),
  )

  it.prop(
    "a rate hovering at the limit, within a tenth under it, falls back once and stays",
    [fc.array(fc.double({ min: 0.0271, max: 0.0305, noNaN: true }), { minLength: 1, maxLength: 50 })],
    ([rates]) => {
      let level: AbandonmentLevel = "warning"
      let fallBacks = 0
      for (const rate of [0.03, ...rates]) {
        const next = abandonmentLevelAfter(level, rate)
        if (next === "fallback" && level !== "fallback") fallBacks++
        level = next
      }
      expect([fallBacks, level]).toEqual([1, "fallback"])
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
