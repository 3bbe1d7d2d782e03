import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck, Schema } from "effect"
import { AmdMode, CarrierError } from "../src/index.js"

describe("Carrier port", () => {
  it.effect.prop(
    "a CarrierError crosses a wire unchanged",
    { operation: FastCheck.string(), message: FastCheck.string(), retryable: FastCheck.boolean() },
    (fields) =>
      Effect.gen(function* () {
        const error = new CarrierError(fields)
        const wire = JSON.stringify(yield* Schema.encode(CarrierError)(error))
        const back = yield* Schema.decodeUnknown(CarrierError)(JSON.parse(wire))
        expect(back).toBeInstanceOf(CarrierError)
        expect([back.operation, back.message, back.retryable]).toEqual([
          fields.operation,
          fields.message,
          fields.retryable,
        ])
      }),
  )

  it("an unknown AMD mode is refused, naming the value", () => {
    const result = Schema.decodeUnknownEither(AmdMode)("premium")
    expect(result._tag).toBe("Left")
    expect(String(result._tag === "Left" ? result.left.message : "")).toContain("premium")
  })
})
