import { ParseResult } from "effect"

/** One input problem, located by its field path (e.g. `delaysMs[2]`) with the offending value rendered as text. */
export interface FieldIssue {
  readonly field: string
  readonly value: string
  readonly message: string
}

/** Renders a schema path as `a.b[2].c`; the empty path is named `root`. */
export const fieldPath = (path: ReadonlyArray<PropertyKey>, root: string): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "symbol") out += `[${String(key)}]`
    else out += out === "" ? key : `.${key}`
  }
  return out === "" ? root : out
}

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current: unknown = input
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/** Text form of an input value: strings as they are, everything else as JSON when it has one. */
export const renderValue = (value: unknown): string => {
  if (typeof value === "string") return value
  if (value === undefined) return "undefined"
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** The first issue of a decode failure, naming the field path and the value found there in `input`. */
export const firstFieldIssue = (error: ParseResult.ParseError, input: unknown, root: string): FieldIssue => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const path = issue?.path ?? []
  const field = fieldPath(path, root)
  const raw = valueAt(input, path)
  const value = renderValue(raw)
  const shown = typeof raw === "string" ? JSON.stringify(raw) : value
  return { field, value, message: `${field}: ${shown} is invalid (${issue?.message ?? error.message})` }
}
