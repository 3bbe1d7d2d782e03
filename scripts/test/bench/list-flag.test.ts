import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { type NumberListFlag, takeNumberList } from "../../bench/lib/list-flag.js"
import { runs } from "../bench-runs.js"

const rates: NumberListFlag = { default: [10, 100], min: 0.1, max: 5_000, integer: false, description: "rates" }

const messageOf = (result: Either.Either<unknown, { readonly message: string; readonly field: string }>) =>
  Either.isLeft(result) ? { field: result.left.field, message: result.left.message } : undefined

describe("takeNumberList", () => {
  it("gives the default and every other argument when the flag is absent", () => {
    expect(takeNumberList("rates", rates, ["--agents", "20"])).toEqual(
      Either.right({ values: [10, 100], rest: ["--agents", "20"] }),
    )
  })

  it("reads --rates a,b and --rates=a,b, in the order given, and leaves the rest for the numeric flags", () => {
    expect(takeNumberList("rates", rates, ["--seconds", "5", "--rates", "100, 2.5,10"])).toEqual(
      Either.right({ values: [100, 2.5, 10], rest: ["--seconds", "5"] }),
    )
    expect(takeNumberList("rates", rates, ["--rates=50"])).toEqual(Either.right({ values: [50], rest: [] }))
  })

  it.prop(
    "gives back any list of values in range, written with or without spaces",
    [fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 8 }), fc.boolean()],
    ([values, spaced]) => {
      const raw = values.join(spaced ? ", " : ",")
      expect(takeNumberList("rates", rates, ["--rates", raw])).toEqual(Either.right({ values, rest: [] }))
    },
    runs(),
  )

  it("refuses a value out of range, not a number, an empty item or a missing value, naming the flag and value", () => {
    expect(messageOf(takeNumberList("rates", rates, ["--rates", "10,9000"]))).toEqual({
      field: "--rates",
      message: '--rates: "10,9000" has 9000; every value must be between 0.1 and 5000',
    })
    expect(messageOf(takeNumberList("rates", rates, ["--rates", "10,fast"]))).toEqual({
      field: "--rates",
      message: '--rates: "10,fast" has "fast", not a number',
    })
    expect(messageOf(takeNumberList("rates", rates, ["--rates", "10,,100"]))?.message).toContain(
      "must be numbers separated by commas",
    )
    expect(messageOf(takeNumberList("rates", rates, ["--rates"]))?.message).toBe('--rates: "" needs a value')
    expect(messageOf(takeNumberList("rates", rates, ["--rates", "--seconds", "5"]))?.message).toBe(
      '--rates: "" needs a value',
    )
  })

  it("refuses a fraction when the values must be whole", () => {
    const whole: NumberListFlag = { ...rates, integer: true }
    expect(messageOf(takeNumberList("steps", whole, ["--steps", "1,1.5"]))?.message).toBe(
      '--steps: "1,1.5" has 1.5; every value must be a whole number',
    )
  })
})
