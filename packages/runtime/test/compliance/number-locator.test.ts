import { describe, expect, it } from "@effect/vitest"
import { E164, type UsState, usStateNames } from "@ringmaster/domain"
import { Effect, FastCheck as fc } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import { geocoder, timezones } from "libphonenumber-geo-carrier"
import { NumberLocator, usStateOfPlace } from "../../src/compliance/number-locator.js"

const runs = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { fastCheck: { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback } }
}

const locate = (phone: string) =>
  Effect.gen(function* () {
    const locator = yield* NumberLocator
    const e164 = E164.make(phone)
    return { zones: yield* locator.zones(e164), usState: yield* locator.usState(e164) }
  }).pipe(Effect.provide(NumberLocator.layer))

const codes = Object.keys(usStateNames) as Array<UsState>

describe("NumberLocator", () => {
  it.effect("places numbers of the US, its territories and elsewhere", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, UsState | null]> = [
        ["+14155552671", ["America/Los_Angeles"], "CA"],
        ["+13055551234", ["America/New_York"], "FL"],
        ["+14055551234", ["America/Chicago"], "OK"],
        ["+14105551234", ["America/New_York"], "MD"],
        ["+12025551234", ["America/New_York"], "DC"],
        ["+12065551234", ["America/Los_Angeles"], "WA"],
        ["+18085551234", ["Pacific/Honolulu"], "HI"],
        ["+17875551234", ["America/Puerto_Rico"], "PR"],
        ["+16715551234", ["Pacific/Guam"], "GU"],
        // Canada shares +1 and has a "CA" of its own: British Columbia is no US state.
        ["+16045551234", ["America/Vancouver"], null],
        ["+442079460958", ["Europe/London"], null],
        // International freephone: nowhere in particular.
        ["+80012345678", [], null],
      ]
      for (const [phone, zones, usState] of cases) {
        expect(yield* locate(phone)).toEqual({ zones, usState })
      }
    }),
  )

  it.effect("gives a toll-free number every zone it may ring in, and no state", () =>
    Effect.gen(function* () {
      const { zones, usState } = yield* locate("+18005551234")
      expect(zones).toEqual(expect.arrayContaining(["America/New_York", "America/Los_Angeles", "Pacific/Honolulu"]))
      expect(zones.length).toBeGreaterThan(10)
      expect(usState).toBeNull()
    }),
  )

  it.effect.prop(
    "answers as the library's own lookups do, for any North American number and some elsewhere",
    [
      fc.array(
        fc.oneof(
          fc
            .tuple(
              fc.integer({ min: 200, max: 999 }),
              fc.integer({ min: 200, max: 999 }),
              fc.integer({ min: 0, max: 9999 }),
            )
            .map(([area, exchange, line]) => `+1${area}${exchange}${String(line).padStart(4, "0")}`),
          fc.constantFrom("+442079460958", "+33142685300", "+61293744000", "+525555555555", "+80012345678"),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    ],
    ([numbers]) =>
      Effect.gen(function* () {
        const locator = yield* NumberLocator
        for (const number of numbers) {
          const parsed = parsePhoneNumberFromString(number)
          if (parsed === undefined) continue
          const phone = E164.make(number)
          const zones = yield* Effect.promise(() => timezones(parsed))
          expect(yield* locator.zones(phone), number).toEqual(zones ?? [])
          if (parsed.countryCallingCode === "1" && (parsed.country === undefined || parsed.country === "US")) {
            const place = yield* Effect.promise(() => geocoder(parsed))
            expect(yield* locator.usState(phone), number).toBe(place === null ? null : usStateOfPlace(place))
          }
        }
      }).pipe(Effect.provide(NumberLocator.layer)),
    runs(25),
  )

  it.effect("serves fixed answers in tests", () =>
    Effect.gen(function* () {
      const locator = yield* NumberLocator
      expect(yield* locator.zones(E164.make("+13055551234"))).toEqual(["America/Chicago"])
      expect(yield* locator.usState(E164.make("+13055551234"))).toBe("TX")
      expect(yield* locator.zones(E164.make("+14155552671"))).toEqual([])
    }).pipe(
      Effect.provide(NumberLocator.layerFixed({ "+13055551234": { zones: ["America/Chicago"], usState: "TX" } })),
    ),
  )
})

describe("usStateOfPlace", () => {
  it.prop(
    "reads a state from its name or from a city's postal code",
    [fc.constantFrom(...codes), fc.constantFrom("Springfield", "San Francisco", "St. Thomas")],
    ([code, city]) => {
      expect(usStateOfPlace(usStateNames[code])).toBe(code)
      expect(usStateOfPlace(`${city}, ${code}`)).toBe(code)
    },
    runs(100),
  )

  it("knows the geocoder's own names and refuses places outside the US", () => {
    expect(usStateOfPlace("Washington State")).toBe("WA")
    expect(usStateOfPlace("Washington D.C.")).toBe("DC")
    for (const place of ["Ontario", "Toronto, ON", "New Providence", "Long Island, BS", "", "Nowhere"]) {
      expect(usStateOfPlace(place)).toBeNull()
    }
  })
})
