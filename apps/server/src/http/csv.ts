import { stringify } from "csv-stringify/sync"
import { Chunk, Stream } from "effect"

/** What a CSV cell holds: text, a number, or nothing (an empty cell). */
export type Cell = string | number | null

/** One column of a CSV report: its header and how a row gives its cell. */
export interface CsvColumn<A> {
  readonly header: string
  readonly cell: (row: A) => Cell
}

/** A cell a spreadsheet would read as a formula starts with one of these (OWASP "CSV injection"). */
const formulaStart = /^[=+\-@\t\r]/
/** A signed number (an E.164 phone, a negative amount) is a value to a spreadsheet, never a formula that runs. */
const signedNumber = /^[+-]\d+(\.\d+)?$/

/** The text of a cell, with a leading `'` when a spreadsheet would otherwise run it as a formula. */
export const neutraliseCell = (cell: Cell): string => {
  if (cell === null) return ""
  const text = typeof cell === "number" ? String(cell) : cell
  return formulaStart.test(text) && !signedNumber.test(text) ? `'${text}` : text
}

/**
 * RFC 4180: CRLF after every record, fields quoted when they hold a comma, a quote or a line break. With a CRLF
 * record delimiter csv-stringify quotes only a whole CRLF, not a lone LF or CR: `quoted_match` covers those.
 */
const options = { record_delimiter: "windows", quoted_match: /[\r\n]/ } as const

/** The header line of `columns`, CRLF-terminated. */
export const csvHeader = <A>(columns: ReadonlyArray<CsvColumn<A>>): string =>
  stringify([columns.map((c) => neutraliseCell(c.header))], options)

/** The records of `rows`, each CRLF-terminated, every cell neutralised. */
export const csvRecords = <A>(columns: ReadonlyArray<CsvColumn<A>>, rows: Iterable<A>): string => {
  const records: Array<Array<string>> = []
  for (const row of rows) records.push(columns.map((c) => neutraliseCell(c.cell(row))))
  return records.length === 0 ? "" : stringify(records, options)
}

/**
 * The CSV bytes (UTF-8) of a stream of rows: the header first, then one piece per chunk of rows, so the body is
 * produced as fast as the client reads it and memory holds one chunk at a time.
 */
export const csvStream = <A, E, R>(
  columns: ReadonlyArray<CsvColumn<A>>,
  rows: Stream.Stream<A, E, R>,
): Stream.Stream<Uint8Array, E, R> => {
  const encoder = new TextEncoder()
  return Stream.concat(
    Stream.succeed(encoder.encode(csvHeader(columns))),
    Stream.mapChunks(rows, (chunk) =>
      Chunk.isEmpty(chunk) ? Chunk.empty() : Chunk.of(encoder.encode(csvRecords(columns, chunk))),
    ),
  )
}
