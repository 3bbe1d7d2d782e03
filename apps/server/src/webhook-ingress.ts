import { Sharding } from "@effect/cluster"
import { HttpLayerRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { decodeTelnyxEvent, verifyTelnyxWebhook } from "@ringmaster/carrier-telnyx"
import { dequeueDncStopped, recordSmsOptOut, routeCarrierEvent } from "@ringmaster/runtime"
import { Effect, Either } from "effect"

const json = (status: number, body: Record<string, unknown>) => HttpServerResponse.unsafeJson(body, { status })

/**
 * POST /webhooks/telnyx: Telnyx call-control events and inbound text messages. The signature is checked over the raw
 * bytes before anything is parsed; a verified event is handed to its Call entity as a persisted message (de-duplicated
 * by the event id) and the reply goes out once that message is stored, so a retry from Telnyx is answered, not applied
 * twice. An SMS opt-out puts its sender on the do-not-call list before the reply (`recordSmsOptOut`, idempotent too).
 */
export const telnyxWebhookRoute = (publicKey: string | null) =>
  HttpLayerRouter.use((router) =>
    Effect.gen(function* () {
      const context = yield* Effect.context<SqlClient.SqlClient | Sharding.Sharding>()

      const handle = Effect.gen(function* () {
        if (publicKey === null) {
          return json(503, {
            _tag: "ServiceUnavailable",
            message: "TELNYX_PUBLIC_KEY is not set: webhooks cannot be verified, so none is applied",
          })
        }
        const request = yield* HttpServerRequest.HttpServerRequest
        const rawBody = yield* request.text
        const verified = verifyTelnyxWebhook({ rawBody, headers: request.headers, publicKey })
        if (Either.isLeft(verified)) {
          return json(401, { _tag: "Unauthorized", reason: verified.left.reason, message: verified.left.message })
        }
        const decoded = decodeTelnyxEvent(verified.right)
        if (Either.isLeft(decoded)) {
          return json(400, { _tag: "ValidationError", message: decoded.left.message })
        }
        if (decoded.right._tag === "Unknown") {
          yield* Effect.logInfo(`Telnyx event of an unknown type ignored: ${decoded.right.eventType}`)
          return json(200, { applied: false, reason: "unknown event type" })
        }
        if (decoded.right._tag === "Message") {
          const outcome = yield* recordSmsOptOut(decoded.right.message).pipe(Effect.provide(context), Effect.orDie)
          if (outcome._tag === "Ignored") return json(200, { applied: false, reason: outcome.reason })
          yield* dequeueDncStopped(outcome.stopped).pipe(Effect.provide(context))
          return json(200, { applied: true, optOut: true })
        }
        const event = decoded.right.event
        const outcome = yield* routeCarrierEvent(event).pipe(Effect.provide(context), Effect.orDie)
        if (outcome === "unknown-call") {
          yield* Effect.logInfo(`Telnyx event for a call we do not know: ${event.carrierCallId} (${event._tag})`)
          return json(200, { applied: false, reason: "unknown call" })
        }
        return json(200, { applied: true, ...(outcome === "inbound" ? { inbound: true } : {}) })
      }).pipe(Effect.catchAll((e) => Effect.succeed(json(400, { _tag: "ValidationError", message: String(e) }))))

      yield* router.add("POST", "/webhooks/telnyx", handle)
    }),
  )
