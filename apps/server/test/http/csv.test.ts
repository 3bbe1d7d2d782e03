import { parse } from "csv-parse/sync"
import { Chunk, Effect, FastCheck as fc, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { csvHeader, csvRecords, csvStream, neutraliseCell, type CsvColumn } from "../../src/http/csv.js"

const numRuns = (fallback: number) => {
  const parsed = Number.parseInt(process.env["PROPERTY_RUNS"] ?? "", 10)
  return { numRuns: Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, fallback) : fallback }
}

interface Row {
  readonly name: string
  readonly count: number | null
}

const columns: ReadonlyArray<CsvColumn<Row>> = [
  { header: "name", cell: (r) => r.name },
  { header: "count", cell: (r) => r.count },
]

/** What a spreadsheet or any RFC 4180 reader sees: the records as arrays of cells. */
const read = (text: string): Array<Array<string>> => parse(text, { relax_column_count: false })

const tricky: ReadonlyArray<[string, string]> = [
  ["plain", "plain"],
  ["with, a comma", "with, a comma"],
  ['she said "hi"', 'she said "hi"'],
  ["two\nlines", "two\nlines"],
  ["crlf\r\ninside", "crlf\r\ninside"],
  ["María José Ñúñez 王伟 🚀", "María José Ñúñez 王伟 🚀"],
  ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
  ["=1+2", "'=1+2"],
  ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
  ["-2+3", "'-2+3"],
  ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
  ["\tTAB", "'\tTAB"],
  ["\rCR", "'\rCR"],
  ["a=b", "a=b"],
  ["+14155552671", "+14155552671"],
  ["-12.5", "-12.5"],
  ["", ""],
  [" =leading space", " =leading space"],
]

describe("CSV cells", () => {
  it.each(tricky)("writes %j so that a reader gets %j back", (value, expected) => {
    const text = csvRecords(columns, [{ name: value, count: 1 }])
    expect(text.endsWith("\r\n")).toBe(true)
    expect(read(text)).toEqual([[expected, "1"]])
  })

  it("quotes only what needs it, doubles quotes, and ends every record with CRLF (RFC 4180)", () => {
    const text = csvRecords(columns, [
      { name: 'a "b", c', count: 2 },
      { name: "plain", count: null },
    ])
    expect(text).toBe('"a ""b"", c",2\r\nplain,\r\n')
  })

  it("neutralises a formula in any position of the row, and a header too", () => {
    expect(csvHeader([{ header: "=cmd", cell: () => null }])).toBe("'=cmd\r\n")
    expect(neutraliseCell(-5)).toBe("-5")
    expect(neutraliseCell(null)).toBe("")
  })

  it("gives back every string exactly, or with one leading ' when it could run as a formula", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 5 }), (names) => {
        const rows = names.map((name) => ({ name, count: names.length }))
        const cells = read(csvRecords(columns, rows)).map((record) => record[0])
        expect(cells.length).toBe(names.length)
        names.forEach((name, i) => {
          const cell = cells[i] ?? ""
          const formula = /^[=+\-@\t\r]/.test(name) && !/^[+-]\d+(\.\d+)?$/.test(name)
          expect(cell).toBe(formula ? `'${name}` : name)
          // whatever came in, no cell a reader gets can start a formula (a signed number is only a number)
          if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^[+-]\d+(\.\d+)?$/)
        })
      }),
      numRuns(300),
    )
  })

  it("keeps any mix of commas, quotes, line breaks and formula starts in their own cells", () => {
    const piece = fc.constantFrom(",", '"', "\n", "\r", "\r\n", "=", "+", "-", "@", "\t", "a", "é", "😀", " ")
    const value = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""))
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 4 }), (pairs) => {
        const two: ReadonlyArray<CsvColumn<readonly [string, string]>> = [
          { header: "a", cell: (r) => r[0] },
          { header: "b", cell: (r) => r[1] },
        ]
        const records = read(csvHeader(two) + csvRecords(two, pairs))
        expect(records).toEqual([["a", "b"], ...pairs.map(([a, b]) => [neutraliseCell(a), neutraliseCell(b)])])
      }),
      numRuns(300),
    )
  })
})

describe("CSV stream", () => {
  it("writes the header, then the rows of every chunk, as one document", async () => {
    const rows = Stream.fromChunks<Row>(
      Chunk.make({ name: "one", count: 1 }, { name: "two, too", count: 2 }),
      Chunk.empty(),
      Chunk.make({ name: "=three", count: null }),
    )
    const pieces = await Effect.runPromise(Stream.runCollect(csvStream(columns, rows)))
    const text = Chunk.toReadonlyArray(pieces)
      .map((bytes) => new TextDecoder().decode(bytes))
      .join("")
    expect(read(text)).toEqual([
      ["name", "count"],
      ["one", "1"],
      ["two, too", "2"],
      ["'=three", ""],
    ])
    // one piece for the header and one per non-empty chunk: memory holds a page, not the whole report
    expect(pieces.length).toBe(3)
  })

  it("writes only the header when there are no rows", async () => {
    const pieces = await Effect.runPromise(Stream.runCollect(csvStream(columns, Stream.empty)))
    expect(Chunk.toReadonlyArray(pieces).map((b) => new TextDecoder().decode(b))).toEqual(["name,count\r\n"])
  })
})
