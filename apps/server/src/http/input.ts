import type { FieldIssue } from "@ringmaster/domain"
import { ValidationError } from "@ringmaster/protocol"
import { Effect } from "effect"

/** A 400 naming the field and the value, with why it was refused. */
export const invalid = (field: string, value: string, why: string) =>
  new ValidationError({ field, value, message: `${field}: "${value}" ${why}` })

export const fromIssue = (issue: FieldIssue) => new ValidationError(issue)

/** A whole-number query parameter within [min, max]; `fallback` when absent. */
export const intParam = (
  field: string,
  raw: string | undefined,
  range: { readonly min: number; readonly max: number; readonly fallback: number },
) => {
  if (raw === undefined || raw === "") return Effect.succeed(range.fallback)
  const n = Number(raw)
  return Number.isInteger(n) && n >= range.min && n <= range.max
    ? Effect.succeed(n)
    : Effect.fail(invalid(field, raw, `must be a whole number from ${range.min} to ${range.max}`))
}

/** An optional time query parameter in epoch milliseconds. */
export const epochParam = (field: string, raw: string | undefined) => {
  if (raw === undefined || raw === "") return Effect.succeed(null)
  const n = Number(raw)
  return Number.isSafeInteger(n) && n >= 0
    ? Effect.succeed(n)
    : Effect.fail(invalid(field, raw, "must be a time in epoch milliseconds"))
}

/** The start of the UTC day of `at`. */
export const startOfUtcDay = (at: number) => at - (at % 86_400_000)
