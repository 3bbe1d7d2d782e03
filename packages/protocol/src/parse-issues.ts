import { ParseResult } from "effect"

const expectedActual = /^Expected (.+), actual (.+)$/s

interface FieldIssues {
  readonly expected: Array<string>
  actual: string | null
  readonly other: Array<string>
}

/** One refusal of a decoder, as `ParseResult.ArrayFormatter` gives it and `HttpApiDecodeError` carries it. */
export interface ParseIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/**
 * What a decoder refused, a field at a time and short enough to show a user: `state: expected "Online" | "Busy",
 * got "Flying"`. A union's members each report the same field; their expectations are joined into one line, and
 * the "or undefined" of an optional field is left out, since it says nothing about the value sent.
 */
export const describeIssues = (issues: ReadonlyArray<ParseIssue>): string => {
  const byPath = new Map<string, FieldIssues>()
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    const field = byPath.get(path) ?? { expected: [], actual: null, other: [] }
    byPath.set(path, field)
    const parts = expectedActual.exec(issue.message)
    if (parts?.[1] !== undefined && parts[2] !== undefined) {
      // A struct prints as its whole type: "an object" says as much to someone who sent something else.
      const expected = parts[1].startsWith("{ ") ? "an object" : parts[1]
      if (expected !== "undefined" && !field.expected.includes(expected)) field.expected.push(expected)
      field.actual = parts[2]
    } else if (!field.other.includes(issue.message)) {
      field.other.push(issue.message)
    }
  }
  return Array.from(byPath, ([path, field]) => {
    const refused =
      field.actual === null
        ? []
        : [`${field.expected.length === 0 ? "" : `expected ${field.expected.join(" | ")}, `}got ${field.actual}`]
    return `${path === "" ? "" : `${path}: `}${[...refused, ...field.other].join("; ")}`
  }).join("; ")
}

/** `describeIssues` of a decoder's error. */
export const describeParseIssues = (error: ParseResult.ParseError): string =>
  describeIssues(ParseResult.ArrayFormatter.formatErrorSync(error))
