import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { attemptsAllowed, type Cadence, InvalidCadence, nextAttempt, validateCadence } from "../src/cadence.js"
import { LeadStatusId } from "../src/ids.js"
import { epochArb, statusIdArb } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const hour = 3_600_000
const day = 24 * hour

const cadenceArb: fc.Arbitrary<Cadence> = fc.record({
  delaysMs: fc.array(fc.integer({ min: 0, max: 30 * day }), { maxLength: 8 }),
  priority: fc.integer({ min: 1, max: 9 }),
  finalStatusId: statusIdArb,
  maxAttempts: fc.integer({ min: 1, max: 12 }),
})

const errorOf = (input: unknown): InvalidCadence => Either.getOrThrow(Either.flip(validateCadence(input)))

const retryAt = (cadence: Cadence, attempts: number, last: number): number => {
  const step = nextAttempt(cadence, attempts, last)
  if (step._tag !== "Retry") throw new Error(`expected a retry, got ${JSON.stringify(step)}`)
  return step.at
}

const deepFreeze = (c: Cadence): Cadence => Object.freeze({ ...c, delaysMs: Object.freeze([...c.delaysMs]) })

describe("validateCadence", () => {
  const valid = { delaysMs: [hour, day, 4 * day, 7 * day], priority: 1, finalStatusId: "lost", maxAttempts: 5 }

  it("accepts a well-formed cadence", () => {
    expect(validateCadence(valid)).toEqual(Either.right({ ...valid, finalStatusId: LeadStatusId.make("lost") }))
  })

  it("names the offending delay by its index and shows its value", () => {
    const error = errorOf({ ...valid, delaysMs: [hour, day, -5] })
    expect(error).toBeInstanceOf(InvalidCadence)
    expect(error.field).toBe("delaysMs[2]")
    expect(error.value).toBe("-5")
    expect(error.message).toContain("delaysMs[2]")
    expect(error.message).toContain("-5")
  })

  it("refuses priority 0, which belongs to the lead-type override", () => {
    const error = errorOf({ ...valid, priority: 0 })
    expect([error.field, error.value]).toEqual(["priority", "0"])
  })

  it("names a missing field and a wrongly typed whole", () => {
    expect(errorOf({ ...valid, finalStatusId: undefined }).field).toBe("finalStatusId")
    expect(errorOf({ ...valid, maxAttempts: "3" })).toMatchObject({ field: "maxAttempts", value: "3" })
    expect(errorOf(null)).toMatchObject({ field: "cadence", value: "null" })
  })

  it.prop(
    "accepts every well-formed cadence unchanged",
    [cadenceArb],
    ([cadence]) => {
      expect(validateCadence(cadence)).toEqual(Either.right(cadence))
    },
    runs(),
  )

  it.prop(
    "names the first bad delay and its value",
    [
      cadenceArb.filter((c) => c.delaysMs.length > 0),
      fc.nat(),
      fc.oneof(fc.integer({ min: -1_000_000, max: -1 }), fc.constant(1.5), fc.constant(Number.NaN)),
    ],
    ([cadence, index, bad]) => {
      const i = index % cadence.delaysMs.length
      const delaysMs = cadence.delaysMs.map((d, j) => (j === i ? bad : d))
      const error = errorOf({ ...cadence, delaysMs })
      expect(error.field).toBe(`delaysMs[${i}]`)
      expect(error.value).toBe(String(bad))
    },
    runs(),
  )
})

describe("nextAttempt", () => {
  it("walks the documented example: 1 h, 1 day, 4 days, 7 days, then the final trigger", () => {
    const cadence: Cadence = {
      delaysMs: [hour, day, 4 * day, 7 * day],
      priority: 2,
      finalStatusId: LeadStatusId.make("lost"),
      maxAttempts: 10,
    }
    const t0 = 1_700_000_000_000
    expect(nextAttempt(cadence, 0, t0)).toEqual({ _tag: "Retry", at: t0 })
    expect(nextAttempt(cadence, 1, t0)).toEqual({ _tag: "Retry", at: t0 + hour })
    expect(nextAttempt(cadence, 4, t0)).toEqual({ _tag: "Retry", at: t0 + 7 * day })
    expect(nextAttempt(cadence, 5, t0)).toEqual({ _tag: "Exhausted", finalStatusId: "lost" })
    expect(nextAttempt({ ...cadence, maxAttempts: 2 }, 2, t0)).toEqual({ _tag: "Exhausted", finalStatusId: "lost" })
  })

  it.prop(
    "a lead that just entered the status is due at once",
    [cadenceArb, epochArb],
    ([cadence, t]) => {
      expect(nextAttempt(cadence, 0, t)).toEqual({ _tag: "Retry", at: t })
    },
    runs(),
  )

  it.prop(
    "uses the delay at the index of the attempt just made",
    [cadenceArb.filter((c) => attemptsAllowed(c) > 1), fc.nat(), epochArb],
    ([cadence, k, t]) => {
      const attempts = 1 + (k % (attemptsAllowed(cadence) - 1))
      expect(retryAt(cadence, attempts, t)).toBe(t + (cadence.delaysMs[attempts - 1] ?? Number.NaN))
    },
    runs(),
  )

  it.prop(
    "is exhausted exactly from min(maxAttempts, delays + 1) attempts on, firing the final status",
    [cadenceArb, fc.integer({ min: 0, max: 30 }), epochArb],
    ([cadence, attempts, t]) => {
      const step = nextAttempt(cadence, attempts, t)
      const exhausted = attempts >= cadence.maxAttempts || attempts > cadence.delaysMs.length
      expect(step._tag).toBe(exhausted ? "Exhausted" : "Retry")
      expect(exhausted).toBe(attempts >= attemptsAllowed(cadence))
      if (step._tag === "Exhausted") expect(step.finalStatusId).toBe(cadence.finalStatusId)
    },
    runs(),
  )

  it.prop(
    "is monotone: never before the last attempt, and a later last attempt never gives an earlier retry",
    [cadenceArb, fc.integer({ min: 0, max: 12 }), epochArb, fc.integer({ min: 0, max: 10 * day })],
    ([cadence, attempts, t, later]) => {
      const a = nextAttempt(cadence, attempts, t)
      const b = nextAttempt(cadence, attempts, t + later)
      expect(a._tag).toBe(b._tag)
      if (a._tag === "Retry" && b._tag === "Retry") {
        expect(a.at).toBeGreaterThanOrEqual(t)
        expect(b.at).toBeGreaterThanOrEqual(a.at)
      }
    },
    runs(),
  )

  it.prop(
    "dialling each retry as it falls due gives non-decreasing attempt times and exactly the allowed attempts",
    [cadenceArb, epochArb],
    ([cadence, entered]) => {
      const times: Array<number> = []
      let last = entered
      for (let made = 0; made <= 30; made++) {
        const step = nextAttempt(cadence, made, last)
        if (step._tag === "Exhausted") break
        times.push(step.at)
        last = step.at
      }
      expect(times.length).toBe(attemptsAllowed(cadence))
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] ?? Infinity)
    },
    runs(),
  )

  it.prop(
    "is a pure function of its inputs, so recomputing after a cadence edit depends only on the new cadence",
    [cadenceArb, cadenceArb, fc.integer({ min: 0, max: 12 }), epochArb],
    ([before, edited, attempts, last]) => {
      const frozen = deepFreeze(edited)
      nextAttempt(deepFreeze(before), attempts, last)
      const first = nextAttempt(frozen, attempts, last)
      expect(nextAttempt(frozen, attempts, last)).toEqual(first)
      expect(nextAttempt(structuredClone(edited), attempts, last)).toEqual(first)
    },
    runs(),
  )
})
