import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import {
  callingHoursCheck,
  type CallingWindow,
  defaultCallingWindow,
  isTimeZone,
  localTimeIn,
  OutsideCallingHours,
  TimeZoneUnknown,
} from "../src/calling-hours.js"
import { epochArb } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const minute = 60_000
const hour = 60 * minute

/** Zones of the US and a few others, half- and quarter-hour offsets and DST included. */
const zonePool = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Puerto_Rico",
  "Pacific/Guam",
  "UTC",
  "Europe/London",
  "Asia/Kolkata",
  "Asia/Kathmandu",
]
const zoneArb = fc.constantFrom(...zonePool)
const zonesArb = fc.array(zoneArb, { minLength: 1, maxLength: 5 })

const windowArb: fc.Arbitrary<CallingWindow> = fc
  .integer({ min: 0, max: 23 })
  .chain((startHour) => fc.integer({ min: startHour + 1, max: 24 }).map((endHour) => ({ startHour, endHour })))

/** A window and a minute of the day, often one either side of a bound (7:59, 8:00, 20:59, 21:00 for 8-21). */
const windowAndMinuteArb = windowArb.chain((window) =>
  fc
    .oneof(
      fc.constantFrom(window.startHour * 60 - 1, window.startHour * 60, window.endHour * 60 - 1, window.endHour * 60),
      fc.integer({ min: 0, max: 24 * 60 - 1 }),
    )
    .map((m) => [window, (m + 24 * 60) % (24 * 60)] as const),
)

/** The IANA name of the fixed zone UTC+offset (the Etc/ names count the other way round). */
const fixedZone = (offsetHours: number): string =>
  offsetHours === 0 ? "Etc/GMT" : offsetHours > 0 ? `Etc/GMT-${offsetHours}` : `Etc/GMT+${-offsetHours}`

const allowed = (at: number, zones: ReadonlyArray<string>, window: CallingWindow = defaultCallingWindow) =>
  Either.isRight(callingHoursCheck({ at, zones, window }))

describe("localTimeIn", () => {
  it.prop(
    "reads UTC as the Date's UTC fields",
    [epochArb],
    ([at]) => {
      const date = new Date(at)
      expect(localTimeIn("UTC", at)).toEqual({
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        weekday: date.getUTCDay(),
      })
    },
    runs(),
  )

  it("follows daylight saving time and unusual offsets", () => {
    // 2026-01-15 16:00Z is 08:00 PST; 2026-07-15 15:00Z is 08:00 PDT (a Wednesday both times).
    expect(localTimeIn("America/Los_Angeles", Date.UTC(2026, 0, 15, 16, 0))).toEqual({ hour: 8, minute: 0, weekday: 4 })
    expect(localTimeIn("America/Los_Angeles", Date.UTC(2026, 6, 15, 15, 0))).toEqual({ hour: 8, minute: 0, weekday: 3 })
    expect(localTimeIn("Asia/Kathmandu", Date.UTC(2026, 6, 15, 2, 15))).toEqual({ hour: 8, minute: 0, weekday: 3 })
    expect(localTimeIn("America/Chicago", Date.UTC(2026, 6, 15, 4, 30))).toEqual({ hour: 23, minute: 30, weekday: 2 })
  })

  it("knows IANA names and nothing else", () => {
    expect(isTimeZone("America/Chicago")).toBe(true)
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false)
    expect(isTimeZone("")).toBe(false)
    expect(localTimeIn("Mars/Olympus_Mons", 0)).toBeUndefined()
  })
})

describe("callingHoursCheck", () => {
  it("allows 8:00 and 20:59 and refuses 7:59 and 21:00 in the called person's zone, summer and winter", () => {
    for (const [month, utcOffset] of [
      [0, -8],
      [6, -7],
    ] as const) {
      const localInstant = (h: number, m: number) => Date.UTC(2026, month, 15, h, m) - utcOffset * hour
      const zones = ["America/Los_Angeles"]
      expect(allowed(localInstant(7, 59), zones)).toBe(false)
      expect(allowed(localInstant(8, 0), zones)).toBe(true)
      expect(allowed(localInstant(20, 59), zones)).toBe(true)
      expect(allowed(localInstant(20, 59) + 59_999, zones)).toBe(true)
      expect(allowed(localInstant(21, 0), zones)).toBe(false)
    }
  })

  it("says which zone refused, its local time and the window", () => {
    const at = Date.UTC(2026, 6, 15, 14, 59) // 07:59 in Los Angeles, 10:59 in New York
    const refusal = Either.getOrThrow(
      Either.flip(
        callingHoursCheck({ at, zones: ["America/New_York", "America/Los_Angeles"], window: defaultCallingWindow }),
      ),
    )
    expect(refusal).toBeInstanceOf(OutsideCallingHours)
    expect(refusal).toMatchObject({ zone: "America/Los_Angeles", localTime: "07:59", window: defaultCallingWindow })
    expect(refusal.message).toBe(
      "it is 07:59 in America/Los_Angeles, and calls are allowed from 08:00 to 21:00 local time",
    )
  })

  it("refuses with a distinct reason when no zone is known, or a zone is not a time zone", () => {
    const none = Either.getOrThrow(Either.flip(callingHoursCheck({ at: 0, zones: [], window: defaultCallingWindow })))
    expect(none).toBeInstanceOf(TimeZoneUnknown)
    const bad = Either.getOrThrow(
      Either.flip(callingHoursCheck({ at: 0, zones: ["UTC", "Nowhere/Else"], window: defaultCallingWindow })),
    )
    expect(bad).toBeInstanceOf(TimeZoneUnknown)
    expect(bad.message).toContain('"Nowhere/Else"')
  })

  it.prop(
    "at a fixed offset, behaves as UTC at the instant shifted by that offset",
    [epochArb, fc.integer({ min: -12, max: 14 }), windowArb],
    ([at, offset, window]) => {
      const shifted = new Date(at + offset * hour)
      const minutes = shifted.getUTCHours() * 60 + shifted.getUTCMinutes()
      const inside = minutes >= window.startHour * 60 && minutes < window.endHour * 60
      expect(allowed(at, [fixedZone(offset)], window)).toBe(inside)
      expect(allowed(at, [fixedZone(offset)], window)).toBe(allowed(at + offset * hour, ["UTC"], window))
    },
    runs(),
  )

  it.prop(
    "allows a minute of the day exactly when it is in [start, end), in any zone",
    [fc.integer({ min: 0, max: 20_000 }), windowAndMinuteArb, zoneArb],
    ([day, [window, minuteOfDay], zone]) => {
      // Find the instant that day when the zone's clock shows minuteOfDay (skipped by a DST jump: nothing to check).
      const base = day * 24 * hour + minuteOfDay * minute
      const at = Array.from({ length: 29 }, (_, i) => i - 14)
        .flatMap((h) => [0, 15, 30, 45].map((m) => base - h * hour - m * minute))
        .find((t) => {
          const local = localTimeIn(zone, t)
          return local !== undefined && local.hour * 60 + local.minute === minuteOfDay
        })
      if (at === undefined) return
      const inside = minuteOfDay >= window.startHour * 60 && minuteOfDay < window.endHour * 60
      expect(allowed(at, [zone], window)).toBe(inside)
    },
    runs(),
  )

  it.prop(
    "adding zones never turns a refusal into an allowance",
    [epochArb, zonesArb, zonesArb, windowArb],
    ([at, zones, more, window]) => {
      if (!allowed(at, zones, window)) expect(allowed(at, [...zones, ...more], window)).toBe(false)
      if (!allowed(at, zones, window)) expect(allowed(at, [...more, ...zones], window)).toBe(false)
    },
    runs(),
  )

  it.prop(
    "allows several zones exactly when it allows each of them (the strictest window wins)",
    [epochArb, zonesArb, windowArb],
    ([at, zones, window]) => {
      expect(allowed(at, zones, window)).toBe(zones.every((zone) => allowed(at, [zone], window)))
    },
    runs(),
  )

  it.prop(
    "refuses every instant when no zone is known",
    [epochArb, windowArb],
    ([at, window]) => {
      const result = callingHoursCheck({ at, zones: [], window })
      expect(Either.isLeft(result) && result.left._tag).toBe("TimeZoneUnknown")
    },
    runs(),
  )
})
