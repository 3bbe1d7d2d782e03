import { HttpClient, HttpClientResponse } from "@effect/platform"
import { E164 } from "@ringmaster/domain"
import { Context, Duration, Effect, Layer, Redacted, Schema } from "effect"

/** The external do-not-call service could not give an answer (unreachable, an error status, a bad body, too slow). */
export class ExternalDncUnavailable extends Schema.TaggedError<ExternalDncUnavailable>()("ExternalDncUnavailable", {
  phone: E164,
  message: Schema.String,
}) {}

export interface ExternalDncHttpConfig {
  /** The service's endpoint; asked as `GET <url>?phone=%2B13055551234`, answering `{ "listed": boolean }`. */
  readonly url: string
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  readonly apiKey?: Redacted.Redacted | undefined
  /** How long one answer may take before the service counts as unavailable. */
  readonly timeout: Duration.DurationInput
}

const Answer = Schema.Struct({ listed: Schema.Boolean })

/**
 * The configured external do-not-call registry. The dial gate treats `ExternalDncUnavailable` like "listed": a
 * number that could not be checked is not dialled (fail closed), since calling a registered number costs far more
 * than a delayed attempt.
 */
export class ExternalDnc extends Context.Tag("@ringmaster/runtime/ExternalDnc")<
  ExternalDnc,
  { readonly isListed: (phone: E164) => Effect.Effect<boolean, ExternalDncUnavailable> }
>() {
  /** A registry behind HTTP; needs an `HttpClient` (e.g. `NodeHttpClient.layerUndici`). */
  static readonly layerHttp = (config: ExternalDncHttpConfig): Layer.Layer<ExternalDnc, never, HttpClient.HttpClient> =>
    Layer.effect(
      ExternalDnc,
      Effect.map(HttpClient.HttpClient, (http) => {
        const client = HttpClient.filterStatusOk(http)
        const headers: Record<string, string> =
          config.apiKey === undefined ? {} : { authorization: `Bearer ${Redacted.value(config.apiKey)}` }
        const timeout = Duration.decode(config.timeout)
        return {
          isListed: (phone) =>
            client.get(config.url, { urlParams: { phone }, headers, acceptJson: true }).pipe(
              Effect.flatMap(HttpClientResponse.schemaBodyJson(Answer)),
              Effect.map((answer) => answer.listed),
              Effect.timeout(timeout),
              Effect.mapError(
                (error) =>
                  new ExternalDncUnavailable({
                    phone,
                    message:
                      error._tag === "TimeoutException"
                        ? `the do-not-call service did not answer within ${Duration.format(timeout)}`
                        : `the do-not-call service failed: ${describe(error)}`,
                  }),
              ),
            ),
        }
      }),
    )

  /** No external registry configured: every number is clear of it (the internal list still applies). */
  static readonly layerNone = Layer.succeed(ExternalDnc, { isListed: () => Effect.succeed(false) })

  /** For tests: the given numbers are listed; `unavailable` numbers get no answer. */
  static readonly layerFake = (listed: ReadonlySet<string>, unavailable: ReadonlySet<string> = new Set()) =>
    Layer.succeed(ExternalDnc, {
      isListed: (phone) =>
        unavailable.has(phone)
          ? Effect.fail(new ExternalDncUnavailable({ phone, message: "the do-not-call service did not answer (fake)" }))
          : Effect.succeed(listed.has(phone)),
    })
}

const describe = (error: { readonly _tag: string; readonly message?: string }): string =>
  error.message === undefined || error.message === "" ? error._tag : `${error._tag}: ${error.message}`
