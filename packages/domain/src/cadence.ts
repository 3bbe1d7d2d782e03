import { Either, Schema } from "effect"
import { firstFieldIssue } from "./field-issue.js"
import { LeadStatusId } from "./ids.js"

/**
 * How a dialable status is worked: the delays between attempts, its priority (1 = most urgent;
 * 0 is reserved for the lead-type override and is not a cadence value), the status the final
 * trigger moves the lead to, and the most attempts made in the status.
 */
export const Cadence = Schema.Struct({
  delaysMs: Schema.Array(Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))),
  priority: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  finalStatusId: LeadStatusId,
  maxAttempts: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
})
export type Cadence = typeof Cadence.Type

export class InvalidCadence extends Schema.TaggedError<InvalidCadence>()("InvalidCadence", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

const decodeCadence = Schema.decodeUnknownEither(Cadence)

/** Decodes a cadence, or names the first offending field path (e.g. `delaysMs[2]`) and its value. */
export const validateCadence = (input: unknown): Either.Either<Cadence, InvalidCadence> =>
  Either.mapLeft(decodeCadence(input), (error) => new InvalidCadence(firstFieldIssue(error, input, "cadence")))

export type CadenceStep =
  { readonly _tag: "Retry"; readonly at: number } | { readonly _tag: "Exhausted"; readonly finalStatusId: LeadStatusId }

/**
 * When a lead is dialled next in its current status. `attemptsInStatus` counts the attempts already made
 * in the status, including the one just finished (a fractional count is floored, a negative one read as 0);
 * `lastAttemptAt` is that attempt's time, or the time the lead entered the status when the count is 0,
 * in which case the lead is due at once. Pure, so it also recomputes after a supervisor edits the cadence.
 */
export const nextAttempt = (cadence: Cadence, attemptsInStatus: number, lastAttemptAt: number): CadenceStep => {
  const made = Math.max(0, Math.floor(attemptsInStatus))
  if (made >= cadence.maxAttempts || made > cadence.delaysMs.length) {
    return { _tag: "Exhausted", finalStatusId: cadence.finalStatusId }
  }
  if (made === 0) return { _tag: "Retry", at: lastAttemptAt }
  const delay = cadence.delaysMs[made - 1]
  return delay === undefined
    ? { _tag: "Exhausted", finalStatusId: cadence.finalStatusId }
    : { _tag: "Retry", at: lastAttemptAt + delay }
}

/** How many attempts a cadence allows in its status before the final trigger fires. */
export const attemptsAllowed = (cadence: Cadence): number => Math.min(cadence.maxAttempts, cadence.delaysMs.length + 1)
