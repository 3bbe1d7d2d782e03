import { HttpLayerRouter, HttpServerError, HttpServerResponse } from "@effect/platform"
import { ValidationError } from "@ringmaster/protocol"
import { Cause, Effect, Option } from "effect"

/** How much of a refused body the error repeats back. */
const VALUE_MAX = 80

const isUnreadableBody = (e: unknown): e is HttpServerError.RequestError =>
  e instanceof HttpServerError.RequestError && e.reason === "Decode"

const refusal = (e: HttpServerError.RequestError) =>
  Effect.gen(function* () {
    const text = yield* e.request.text.pipe(Effect.orElseSucceed(() => ""))
    const value = text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…` : text
    const reason = text.trim() === "" ? "it is empty" : e.cause instanceof Error ? e.cause.message : "unreadable"
    const error = new ValidationError({ field: "body", value, message: `body: not valid JSON (${reason})` })
    return yield* HttpServerResponse.schemaJson(ValidationError)(error, { status: 400 }).pipe(Effect.orDie)
  })

/** The request's unreadable body, if that is what the cause is about: the HTTP API reports it as a defect. */
const unreadableBodyIn = (cause: Cause.Cause<unknown>): Option.Option<HttpServerError.RequestError> =>
  Cause.find(cause, (reason) => {
    const e = Cause.isFailType(reason) ? reason.error : Cause.isDieType(reason) ? reason.defect : undefined
    return isUnreadableBody(e) ? Option.some(e) : Option.none()
  })

/**
 * A request body that is not JSON (or cannot be read) is refused as bad input on the field `body`, with the start of
 * what was sent and why; the platform's own answer is a 400 with nothing in it.
 */
export const UnreadableBodyLive = HttpLayerRouter.middleware(
  (app) =>
    Effect.catchAllCause(app, (cause) =>
      Option.match(unreadableBodyIn(cause), { onNone: () => Effect.failCause(cause), onSome: refusal }),
    ),
  { global: true },
)
