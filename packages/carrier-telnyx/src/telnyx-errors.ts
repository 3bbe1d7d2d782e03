import { CarrierError } from "@ringmaster/carrier"
import { Either, Schema } from "effect"
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "telnyx"

/** Telnyx's error body: `{ "errors": [{ "code": "90018", "title": "Call has already ended", "detail": ... }] }`. */
const TelnyxErrorBody = Schema.Struct({
  errors: Schema.Array(
    Schema.Struct({
      code: Schema.optional(Schema.Union(Schema.String, Schema.Number)),
      title: Schema.optional(Schema.String),
      detail: Schema.optional(Schema.String),
    }),
  ),
})
type TelnyxErrorEntry = (typeof TelnyxErrorBody.Type)["errors"][number]

/** Telnyx error code for a command sent to a leg that has hung up. */
export const callAlreadyEndedCode = "90018"

const entriesOf = (error: APIError): ReadonlyArray<TelnyxErrorEntry> =>
  Either.match(Schema.decodeUnknownEither(TelnyxErrorBody)(error.error), {
    onLeft: () => [],
    onRight: (body) => body.errors,
  })

/** Whether `error` is Telnyx's 422 naming the error `code`. */
const is422With = (error: unknown, code: string): boolean =>
  error instanceof APIError && error.status === 422 && entriesOf(error).some((entry) => String(entry.code) === code)

/** A 422 "Call has already ended": for hangup and cancel this is the outcome asked for. */
export const isCallAlreadyEnded = (error: unknown): boolean => is422With(error, callAlreadyEndedCode)

/** Telnyx error code for a call control id it does not know. */
export const invalidCallControlIdCode = "90015"

/** A 422 "Invalid Call Control ID": Telnyx has no such call, so no event will ever end it. */
export const isUnknownCall = (error: unknown): boolean => is422With(error, invalidCallControlIdCode)

/** Statuses the same request may pass later: the SDK retries exactly these (and connection failures) itself. */
const retryableStatus = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500

const describeEntries = (entries: ReadonlyArray<TelnyxErrorEntry>): string =>
  entries
    .map((entry) =>
      [entry.code === undefined ? undefined : String(entry.code), entry.title, entry.detail]
        .filter((part) => part !== undefined && part !== "")
        .join(" "),
    )
    .join("; ")

/**
 * A failed SDK call as a CarrierError. `subject` names what the command was about (a call control id, a number).
 * Connection failures, timeouts, 5xx, 408, 409 and 429 are retryable: the SDK has already retried them `maxRetries`
 * times with the same body, so the same command may still succeed later. Any other refusal is final.
 */
export const carrierErrorFrom = (operation: string, subject: string, error: unknown): CarrierError => {
  if (error instanceof APIConnectionTimeoutError) {
    return new CarrierError({
      operation,
      message: `${operation} ${subject}: Telnyx did not answer in time`,
      retryable: true,
    })
  }
  if (error instanceof APIConnectionError) {
    const message = `${operation} ${subject}: could not reach Telnyx (${error.message})`
    return new CarrierError({ operation, message, retryable: true })
  }
  if (error instanceof APIError && error.status !== undefined) {
    const details = describeEntries(entriesOf(error))
    const message = `${operation} ${subject}: Telnyx answered ${error.status}${details === "" ? ` (${error.message})` : ` ${details}`}`
    return new CarrierError({ operation, message, retryable: retryableStatus(error.status) })
  }
  const message = `${operation} ${subject}: ${error instanceof Error ? error.message : String(error)}`
  return new CarrierError({ operation, message, retryable: false })
}
