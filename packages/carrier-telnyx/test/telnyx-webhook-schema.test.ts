import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck, Schema } from "effect"
import { TelnyxTimestamp } from "../src/index.js"

const decode = Schema.decodeUnknownEither(TelnyxTimestamp)

describe("TelnyxTimestamp", () => {
  it.prop(
    "reads every ISO 8601 instant back to its epoch milliseconds",
    { ms: FastCheck.integer({ min: 0, max: 4_102_444_800_000 }) },
    ({ ms }) => {
      expect(decode(new Date(ms).toISOString())).toEqual(Either.right(ms))
    },
  )

  it("reads Telnyx's microsecond form, truncating to the millisecond", () => {
    expect(decode("2018-02-02T22:25:27.521992Z")).toEqual(Either.right(Date.UTC(2018, 1, 2, 22, 25, 27, 521)))
  })

  it("refuses what is not an ISO 8601 date-time", () => {
    for (const text of ["yesterday", "2018-02-02", "1517610327", "2018-13-45T99:99:99Z", ""]) {
      expect(Either.isLeft(decode(text))).toBe(true)
    }
    expect(Either.isLeft(decode(1517610327521))).toBe(true)
  })
})
