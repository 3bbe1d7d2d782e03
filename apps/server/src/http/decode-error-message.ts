import { HttpBody, HttpLayerRouter, HttpServerResponse } from "@effect/platform"
import { describeIssues } from "@ringmaster/protocol"
import { Effect, Option, Schema } from "effect"

const Issue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String,
})
const DecodeErrorJson = Schema.parseJson(
  Schema.Struct({ _tag: Schema.Literal("HttpApiDecodeError"), issues: Schema.Array(Issue) }),
)
const decodeErrorBody = Schema.decodeUnknownOption(DecodeErrorJson, { onExcessProperty: "preserve" })
const textOf = new TextDecoder()

/**
 * Input the HTTP API's schemas refuse answers 400 `HttpApiDecodeError`: its `issues` name each field, but its
 * `message` is the whole schema printed as a tree. The message is rewritten from the issues, a line a field
 * (`callingHoursStart: expected a number between 0 and 23, got 30`); the rest of the answer is left as documented.
 */
export const DecodeErrorMessageLive = HttpLayerRouter.middleware(
  (app) =>
    Effect.map(app, (response) => {
      if (response.status !== 400 || response.body._tag !== "Uint8Array") return response
      return Option.match(decodeErrorBody(textOf.decode(response.body.body)), {
        onNone: () => response,
        onSome: (error) =>
          HttpServerResponse.setBody(
            response,
            HttpBody.unsafeJson({ ...error, message: describeIssues(error.issues) }),
          ),
      })
    }),
  { global: true },
)
