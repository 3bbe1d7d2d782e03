import { Either, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { parseGroupBy, parseReportPeriod } from "../../src/http/report-filter.js"

const numRuns = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback }
}

const DAY = 86_400_000
/** Any UTC day between 1970 and 9999, as its midnight. */
const dayArb = fc.integer({ min: 0, max: Math.floor(Date.UTC(9999, 11, 31) / DAY) }).map((d) => d * DAY)
const dayText = (at: number) => new Date(at).toISOString().slice(0, 10)

describe("report period", () => {
  it("reads a date as a whole UTC day: from its midnight, to the next midnight", () => {
    fc.assert(
      fc.property(dayArb, (at) => {
        const text = dayText(at)
        expect(parseReportPeriod({ from: text, to: text })).toEqual(Either.right({ from: at, to: at + DAY }))
      }),
      numRuns(300),
    )
  })

  it("reads a date-time with a zone as that instant, to excluded", () => {
    fc.assert(
      // The end stays within year 9999 (the seed 1364876675 found an end at 10000-01-01, written "+010000-…").
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) - 1 }),
        fc.integer({ min: 1, max: DAY }),
        (at, d) => {
          const period = parseReportPeriod({ from: new Date(at).toISOString(), to: new Date(at + d).toISOString() })
          expect(period).toEqual(Either.right({ from: at, to: at + d }))
        },
      ),
      numRuns(300),
    )
    expect(parseReportPeriod({ from: "9999-12-31T00:00:00.000Z", to: "9999-12-31T23:59:59.999Z" })).toEqual(
      Either.right({ from: Date.UTC(9999, 11, 31), to: Date.UTC(9999, 11, 31) + DAY - 1 }),
    )
    expect(parseReportPeriod({ from: "2024-05-01T09:30:00+02:00" })).toEqual(
      Either.right({ from: Date.UTC(2024, 4, 1, 7, 30), to: null }),
    )
  })

  it("accepts a range of days exactly when the first is not after the last", () => {
    fc.assert(
      fc.property(dayArb, dayArb, (a, b) => {
        const period = parseReportPeriod({ from: dayText(a), to: dayText(b) })
        if (a <= b) expect(period).toEqual(Either.right({ from: a, to: b + DAY }))
        else expect(period).toEqual(Either.left(expect.objectContaining({ field: "to", value: dayText(b) })))
      }),
      numRuns(300),
    )
  })

  it("leaves a missing bound open", () => {
    expect(parseReportPeriod({})).toEqual(Either.right({ from: null, to: null }))
    expect(parseReportPeriod({ to: "2024-01-31" })).toEqual(Either.right({ from: null, to: Date.UTC(2024, 1, 1) }))
  })

  it.each([
    ["from", "2024-02-30"],
    ["from", "2023-13-01"],
    ["to", "yesterday"],
    ["to", "2024-5-1"],
    ["from", "2024-05-01T09:30:00"],
    ["from", "2024-05-01 09:30Z"],
    ["to", "1714550400000"],
    ["from", ""],
  ])("refuses %s=%j naming the field and the value", (field, value) => {
    const period = parseReportPeriod({ [field]: value })
    expect(Either.isLeft(period)).toBe(true)
    if (Either.isLeft(period)) {
      expect(period.left).toMatchObject({ _tag: "ValidationError", field, value })
      expect(period.left.message).toContain(JSON.stringify(value))
    }
  })

  it("refuses any text that is not a date or a date-time with a zone, naming it", () => {
    const notIso = fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(s))
    fc.assert(
      fc.property(notIso, (text) => {
        expect(parseReportPeriod({ from: text })).toEqual(
          Either.left(expect.objectContaining({ field: "from", value: text })),
        )
      }),
      numRuns(300),
    )
  })
})

describe("intake grouping", () => {
  it("is by day unless agent or campaign is asked for; anything else is refused naming it", () => {
    expect(parseGroupBy(undefined)).toEqual(Either.right("day"))
    expect(parseGroupBy("agent")).toEqual(Either.right("agent"))
    expect(parseGroupBy("campaign")).toEqual(Either.right("campaign"))
    expect(parseGroupBy("week")).toEqual(Either.left(expect.objectContaining({ field: "groupBy", value: "week" })))
  })
})
