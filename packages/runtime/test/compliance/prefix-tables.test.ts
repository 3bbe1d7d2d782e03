import { describe, expect, it } from "vitest"
import { placeTable, PrefixTable, timeZoneTable } from "../../src/compliance/prefix-tables.js"

describe("prefix tables", () => {
  it("answers with the longest prefix it has, and null when it has none", () => {
    const table = new PrefixTable(
      new Map([
        ["1", "A"],
        ["1415", "B"],
        ["141555", "C"],
      ]),
    )
    expect(table.lookup("14155552671")).toBe("C")
    expect(table.lookup("14154442671")).toBe("B")
    expect(table.lookup("12125550000")).toBe("A")
    expect(table.lookup("442079460958")).toBeNull()
    expect(table.lookup("")).toBeNull()
  })

  it("reads the library's tables once, and has none for a country without data", () => {
    const zones = timeZoneTable()
    expect(zones?.size).toBeGreaterThan(1_000)
    expect(timeZoneTable()).toBe(zones)
    expect(zones?.lookup("14155552671")).toBe("America/Los_Angeles")
    expect(placeTable("1")?.lookup("4155552671")).toMatch(/, CA$/)
    expect(placeTable("999")).toBeNull()
    expect(placeTable("../1")).toBeNull()
  })
})
