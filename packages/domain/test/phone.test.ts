import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { E164, InvalidPhoneNumber, parsePhone, Region, regionOf } from "../src/phone.js"
import { runs } from "./property-runs.js"

const us = Region.make("US")
const gb = Region.make("GB")

/** Valid numbers in national digits with their region and E.164 form. */
const known = [
  { digits: "4155552671", region: us, e164: "+14155552671" },
  { digits: "2079460958", region: gb, e164: "+442079460958" },
  { digits: "7400123456", region: gb, e164: "+447400123456" },
  { digits: "2125550123", region: us, e164: "+12125550123" },
] as const

describe("parsePhone", () => {
  it("reads the common ways of typing a number", () => {
    expect(parsePhone("(415) 555-2671", us)).toEqual(Either.right("+14155552671"))
    expect(parsePhone("+44 20 7946 0958", us)).toEqual(Either.right("+442079460958"))
    expect(parsePhone("00 33 1 42 68 53 00", us)).toEqual(Either.right("+33142685300"))
    expect(parsePhone(" 020 7946 0958 ", gb)).toEqual(Either.right("+442079460958"))
  })

  it("refuses an invalid number, naming the field and the value", () => {
    const error = Either.getOrThrow(Either.flip(parsePhone("555-12", us, "leads[3].phone")))
    expect(error).toBeInstanceOf(InvalidPhoneNumber)
    expect([error.field, error.value]).toEqual(["leads[3].phone", "555-12"])
    expect(error.message).toContain("leads[3].phone")
    expect(error.message).toContain("555-12")
  })

  it.prop(
    "ignores spaces, dashes, dots and brackets between digits",
    [
      fc.constantFrom(...known),
      fc.array(fc.constantFrom("", " ", "-", ".", "(", ")"), { minLength: 12, maxLength: 12 }),
    ],
    ([{ digits, region, e164 }, separators]) => {
      const typed = [...digits].map((d, i) => d + (separators[i] ?? "")).join("")
      expect(parsePhone(typed, region)).toEqual(Either.right(e164))
    },
    runs(),
  )

  it.prop(
    "an E.164 result parses to itself in any default region",
    [fc.constantFrom(...known), fc.constantFrom(us, gb)],
    ([k, region]) => {
      const e164 = Either.getOrThrow(parsePhone(k.digits, k.region))
      expect(parsePhone(e164, region)).toEqual(Either.right(e164))
      expect(regionOf(e164)).toBe(k.region)
    },
    runs(50),
  )

  it.prop(
    "never returns a value outside E.164",
    [fc.string({ maxLength: 20 }), fc.constantFrom(us, gb)],
    ([text, region]) => {
      const result = parsePhone(text, region)
      if (Either.isRight(result)) expect(Schema.is(E164)(result.right)).toBe(true)
      else expect(result.left.value).toBe(text)
    },
    runs(),
  )
})
