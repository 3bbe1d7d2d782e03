import { describe, expect, it } from "@effect/vitest"
import { Carrier } from "@ringmaster/carrier"
import type { AmdMode, DialRequest, SpeakLanguage, SpeakRequest } from "@ringmaster/carrier"
import { CallId, E164 } from "@ringmaster/domain"
import { type CarrierEvent, SipUri } from "@ringmaster/protocol"
import { Cause, Context, Effect, Exit, FastCheck, Layer, Option, Redacted, Runtime, Schema } from "effect"
import type { Scope } from "effect"
import { carrierConformance } from "../../carrier/test/conformance.js"
import type { RemoteParty } from "../../carrier/test/conformance.js"
import { recordEvents } from "../../carrier/test/event-log.js"
import {
  cappedAmd,
  commandIdFor,
  decodeTelnyxEvent,
  InvalidTelnyxCarrierConfig,
  TelnyxCarrier,
  TelnyxEventSink,
  verifyTelnyxWebhook,
} from "../src/index.js"
import type { TelnyxCarrierConfig } from "../src/index.js"
import { makeFakeTelnyxApi } from "./fake-telnyx-api.js"
import type { FakeTelnyxApi, FakeTelnyxOptions, RecordedRequest, SignedWebhook } from "./fake-telnyx-api.js"

class FakeTelnyx extends Context.Tag("test/FakeTelnyx")<FakeTelnyx, FakeTelnyxApi>() {}

const apiKey = "KEY0123456789-test"
const connectionId = "1684641123236054244"

/**
 * What the server's webhook route does, on the fake's signed webhooks: verify the signature over the raw body, decode,
 * and offer the event to the carrier. A webhook that fails any step fails its delivery, which the fake records.
 */
const receiveWebhook = (webhook: SignedWebhook, publicKey: string) =>
  Effect.gen(function* () {
    const json = yield* verifyTelnyxWebhook({ rawBody: webhook.rawBody, headers: webhook.headers, publicKey })
    const decoded = yield* decodeTelnyxEvent(json)
    if (decoded._tag === "Known") yield* Effect.flatMap(TelnyxEventSink, (sink) => sink.offer(decoded.event))
  })

/** A Telnyx carrier talking to a fresh fake Call Control API, whose webhooks come back in through the sink. */
const telnyxAgainstFake = (
  fake: Omit<FakeTelnyxOptions, "apiKey"> = {},
  config: Partial<TelnyxCarrierConfig> = {},
): Layer.Layer<Carrier | TelnyxEventSink | FakeTelnyx> => {
  const api = Layer.scoped(FakeTelnyx, makeFakeTelnyxApi({ apiKey, ...fake }))
  const carrier = Layer.unwrapEffect(
    Effect.map(FakeTelnyx, ({ baseUrl }) =>
      TelnyxCarrier.layer({ apiKey: Redacted.make(apiKey), connectionId, baseUrl, timeoutMs: 2_000, ...config }),
    ),
  )
  const ingress = Layer.effectDiscard(
    Effect.gen(function* () {
      const fakeApi = yield* FakeTelnyx
      const runtime = yield* Effect.runtime<TelnyxEventSink>()
      yield* fakeApi.onWebhook((webhook) => Runtime.runPromise(runtime)(receiveWebhook(webhook, fakeApi.publicKey)))
    }),
  )
  return ingress.pipe(Layer.provideMerge(carrier), Layer.provideMerge(api))
}

const fakeRemoteParty = Effect.map(FakeTelnyx, (api): RemoteParty => ({
  arrange: api.arrange,
  hangup: (carrierCallId) => api.remoteHangup(carrierCallId),
  callIn: api.callIn,
  advance: Effect.sleep("10 millis"),
}))

carrierConformance("Telnyx against a fake Call Control API", telnyxAgainstFake(), fakeRemoteParty, {
  liveClock: true,
})
carrierConformance(
  "Telnyx against a fake Call Control API delivering every webhook twice",
  telnyxAgainstFake({ duplicateWebhooks: true }),
  fakeRemoteParty,
  { liveClock: true },
)

const ourNumber = E164.make("+14155550100")
const number = (n: number) => E164.make(`+1212555${String(1000 + n)}`)

const dialRequest = (n: number, overrides: Partial<DialRequest> = {}): DialRequest => ({
  callId: CallId.make(`call-${n}`),
  from: ourNumber,
  to: number(n),
  amd: "detect",
  ringTimeoutSecs: 30,
  commandId: `command-${n}`,
  ...overrides,
})

const withTelnyx = <A, E>(
  body: (carrier: Carrier["Type"], api: FakeTelnyxApi) => Effect.Effect<A, E, Scope.Scope | TelnyxEventSink>,
  fake: Omit<FakeTelnyxOptions, "apiKey"> = {},
  config: Partial<TelnyxCarrierConfig> = {},
) =>
  Effect.gen(function* () {
    return yield* body(yield* Carrier, yield* FakeTelnyx)
  }).pipe(Effect.scoped, Effect.provide(telnyxAgainstFake(fake, config)))

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64")
const callsTo = (requests: ReadonlyArray<RecordedRequest>, path: string) =>
  requests.filter((request) => request.path === path)
const commandIdOf = (request: RecordedRequest | undefined) =>
  typeof request?.body === "object" && request.body !== null
    ? (request.body as { command_id?: unknown }).command_id
    : undefined

/** Waits (live) until `tag` arrives for `carrierCallId` on `log`. */
const awaitEvent = (
  log: { readonly distinct: Effect.Effect<ReadonlyArray<CarrierEvent>> },
  carrierCallId: string,
  tag: CarrierEvent["_tag"],
) =>
  Effect.gen(function* () {
    for (let step = 0; step < 500; step++) {
      const found = (yield* log.distinct).find((event) => event.carrierCallId === carrierCallId && event._tag === tag)
      if (found !== undefined) return found
      yield* Effect.sleep("10 millis")
    }
    return yield* Effect.dieMessage(`no ${tag} for ${carrierCallId}`)
  })

describe("TelnyxCarrier: the requests it sends", () => {
  it.live.prop(
    "a dial is one POST /v2/calls with our connection, numbers, AMD mode, base64 callId, command id and ring timeout",
    {
      callId: FastCheck.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
      to: FastCheck.integer({ min: 0, max: 8999 }),
      amd: FastCheck.constantFrom<AmdMode>("disabled", "detect", "detect_beep"),
      ringTimeoutSecs: FastCheck.integer({ min: 5, max: 600 }),
      commandId: FastCheck.uuid(),
    },
    ({ callId, to, amd, ringTimeoutSecs, commandId }) =>
      withTelnyx((carrier, api) =>
        Effect.gen(function* () {
          const request = dialRequest(0, {
            callId: CallId.make(callId),
            to: number(to),
            amd,
            ringTimeoutSecs,
            commandId,
          })
          const { carrierCallId } = yield* carrier.dial(request)
          const sent = yield* api.requests
          expect(sent.map(({ method, path }) => `${method} ${path}`)).toEqual(["POST /v2/calls"])
          expect(sent[0]?.headers.authorization).toBe(`Bearer ${apiKey}`)
          expect(sent[0]?.headers["content-type"]).toContain("application/json")
          expect(sent[0]?.body).toEqual({
            connection_id: connectionId,
            to: request.to,
            from: ourNumber,
            answering_machine_detection: amd,
            client_state: base64(callId),
            command_id: commandId,
            timeout_secs: ringTimeoutSecs,
          })
          expect(carrierCallId).toBe("v3:fake-call-1")
        }),
      ),
    { fastCheck: { numRuns: 15 } },
  )

  it.live("an agent's leg is a plain dial to its SIP URI with AMD disabled; its webhooks decode with that URI", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const to = Schema.decodeSync(SipUri)("sip:ada@agents.example.com")
        const request = dialRequest(5, { to, amd: "disabled", purpose: "agent-leg", callId: CallId.make("leg:5") })
        const { carrierCallId } = yield* carrier.dial(request)
        expect((yield* api.requests).map((r) => r.body)).toEqual([
          {
            connection_id: connectionId,
            to: "sip:ada@agents.example.com",
            from: ourNumber,
            answering_machine_detection: "disabled",
            client_state: base64("leg:5"),
            command_id: request.commandId,
            timeout_secs: 30,
          },
        ])
        const initiated = yield* awaitEvent(log, carrierCallId, "CallInitiated")
        expect(initiated._tag === "CallInitiated" && [initiated.to, initiated.callId]).toEqual([to, "leg:5"])
        yield* awaitEvent(log, carrierCallId, "CallAnswered")
        expect(yield* api.deliveryFailures).toEqual([])
      }),
    ),
  )

  it.live(
    "a bridge that keeps the other leg up is sent on that leg, parked after unbridge; it outlives the first",
    () =>
      withTelnyx((carrier, api) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const customer = yield* carrier.dial(dialRequest(6))
          const leg = yield* carrier.dial(dialRequest(7, { amd: "disabled", purpose: "agent-leg" }))
          yield* awaitEvent(log, customer.carrierCallId, "CallAnswered")
          yield* awaitEvent(log, leg.carrierCallId, "CallAnswered")
          yield* carrier.bridge(customer.carrierCallId, leg.carrierCallId, { keepOtherUp: true })
          const bridges = (yield* api.requests).filter((request) => request.path.endsWith("/actions/bridge"))
          expect(bridges.map(({ path, body }) => ({ path, body }))).toEqual([
            {
              path: `/v2/calls/${leg.carrierCallId}/actions/bridge`,
              body: {
                call_control_id: customer.carrierCallId,
                command_id: commandIdFor("bridge", leg.carrierCallId, customer.carrierCallId),
                park_after_unbridge: "self",
              },
            },
          ])
          const onCustomer = yield* awaitEvent(log, customer.carrierCallId, "CallBridged")
          expect(onCustomer._tag === "CallBridged" && onCustomer.otherCarrierCallId).toBe(leg.carrierCallId)
          yield* api.remoteHangup(customer.carrierCallId)
          yield* awaitEvent(log, customer.carrierCallId, "CallHangup")
          yield* Effect.sleep("150 millis")
          const legEvents = (yield* log.distinct).filter((event) => event.carrierCallId === leg.carrierCallId)
          expect(legEvents.map((event) => event._tag)).not.toContain("CallHangup")
        }),
      ),
  )

  it.live("answer, bridge, transfer, hangup and cancel post to their action paths with a command id each", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const a = yield* carrier.dial(dialRequest(1))
        const b = yield* carrier.dial(dialRequest(2))
        const inbound = yield* api.callIn({ from: number(3), to: ourNumber })
        yield* awaitEvent(log, a.carrierCallId, "CallAnswered")
        yield* awaitEvent(log, b.carrierCallId, "CallAnswered")
        const named = CallId.make("inbound-3")
        yield* carrier.answer(inbound.carrierCallId, named)
        yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
        yield* carrier.transfer(inbound.carrierCallId, number(4))
        yield* carrier.hangup(a.carrierCallId)
        yield* carrier.cancel(inbound.carrierCallId)
        const actions = (yield* api.requests).filter((request) => request.path.includes("/actions/"))
        const path = (id: string, action: string) => `/v2/calls/${id}/actions/${action}`
        expect(actions.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
          {
            method: "POST",
            path: path(inbound.carrierCallId, "answer"),
            body: {
              client_state: base64(`inbound:${named}`),
              command_id: commandIdFor("answer", inbound.carrierCallId, named),
            },
          },
          {
            method: "POST",
            path: path(a.carrierCallId, "bridge"),
            body: {
              call_control_id: b.carrierCallId,
              command_id: commandIdFor("bridge", a.carrierCallId, b.carrierCallId),
            },
          },
          {
            method: "POST",
            path: path(inbound.carrierCallId, "transfer"),
            body: { to: number(4), command_id: commandIdFor("transfer", inbound.carrierCallId, number(4)) },
          },
          {
            method: "POST",
            path: path(a.carrierCallId, "hangup"),
            body: { command_id: commandIdFor("hangup", a.carrierCallId) },
          },
          {
            method: "POST",
            path: path(inbound.carrierCallId, "hangup"),
            body: { command_id: commandIdFor("cancel", inbound.carrierCallId) },
          },
        ])
        expect(actions.every((request) => request.headers.authorization === `Bearer ${apiKey}`)).toBe(true)
        expect(yield* api.deliveryFailures).toEqual([])
      }),
    ),
  )

  it.live.prop(
    "a message is one POST to the call's speak action with payload, voice, language and command id",
    {
      text: FastCheck.string({ minLength: 1, maxLength: 200 }).filter((text) => text.trim() !== ""),
      voice: FastCheck.constantFrom("female", "male", "AWS.Polly.Joanna-Neural"),
      language: FastCheck.constantFrom<SpeakLanguage>("en-US", "es-MX", "fr-CA", "de-DE"),
      commandId: FastCheck.uuid(),
    },
    ({ text, voice, language, commandId }) =>
      withTelnyx((carrier, api) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const { carrierCallId } = yield* carrier.dial(dialRequest(1, { amd: "disabled" }))
          yield* awaitEvent(log, carrierCallId, "CallAnswered")
          yield* carrier.speak(carrierCallId, { text, voice, language, commandId })
          const speaks = callsTo(yield* api.requests, `/v2/calls/${carrierCallId}/actions/speak`)
          expect(speaks.map(({ method, body }) => ({ method, body }))).toEqual([
            { method: "POST", body: { payload: text, voice, language, command_id: commandId } },
          ])
          expect(speaks[0]?.headers.authorization).toBe(`Bearer ${apiKey}`)
          const ended = yield* awaitEvent(log, carrierCallId, "SpeakEnded")
          expect(ended._tag === "SpeakEnded" && ended.status).toBe("completed")
          expect(yield* api.deliveryFailures).toEqual([])
        }),
      ),
    { fastCheck: { numRuns: 8 } },
  )

  it.live("a repeated command is sent with the same command id, so Telnyx applies it once", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const { carrierCallId } = yield* carrier.dial(dialRequest(1))
        yield* awaitEvent(log, carrierCallId, "CallAnswered")
        yield* carrier.transfer(carrierCallId, number(2))
        yield* carrier.transfer(carrierCallId, number(2))
        yield* carrier.transfer(carrierCallId, number(3))
        const transfers = callsTo(yield* api.requests, `/v2/calls/${carrierCallId}/actions/transfer`)
        const ids = transfers.map(commandIdOf)
        expect(ids).toHaveLength(3)
        expect(ids[0]).toBe(ids[1])
        expect(ids[2]).not.toBe(ids[0])
      }),
    ),
  )

  it.live("AMD is capped by the account's setting: detect_beep is sent as detect, and disabled turns it off", () =>
    Effect.gen(function* () {
      const sentAmd = (allowed: AmdMode, asked: AmdMode) =>
        withTelnyx(
          (carrier, api) =>
            Effect.gen(function* () {
              yield* carrier.dial(dialRequest(1, { amd: asked }))
              const [dial] = yield* api.requests
              return (dial?.body as { answering_machine_detection?: unknown }).answering_machine_detection
            }),
          {},
          { amd: allowed },
        )
      expect(yield* sentAmd("detect", "detect_beep")).toBe("detect")
      expect(yield* sentAmd("detect", "disabled")).toBe("disabled")
      expect(yield* sentAmd("disabled", "detect")).toBe("disabled")
      expect(yield* sentAmd("detect_beep", "detect_beep")).toBe("detect_beep")
    }),
  )

  it.prop(
    "the AMD cap never raises what a dial asks for and keeps it whenever the account allows it",
    {
      asked: FastCheck.constantFrom<AmdMode>("disabled", "detect", "detect_beep"),
      allowed: FastCheck.constantFrom<AmdMode>("disabled", "detect", "detect_beep"),
    },
    ({ asked, allowed }) => {
      const order: ReadonlyArray<AmdMode> = ["disabled", "detect", "detect_beep"]
      const sent = cappedAmd(asked, allowed)
      expect(order.indexOf(sent)).toBe(Math.min(order.indexOf(asked), order.indexOf(allowed)))
    },
  )

  it.live("a ring timeout Telnyx would refuse fails before anything is sent, naming the field and value", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        for (const ringTimeoutSecs of [0, 4, 601, 12.5]) {
          const error = yield* Effect.flip(carrier.dial(dialRequest(1, { ringTimeoutSecs })))
          expect([error.operation, error.retryable]).toEqual(["dial", false])
          expect(error.message).toContain(`ringTimeoutSecs: ${ringTimeoutSecs}`)
        }
        expect(yield* api.requests).toEqual([])
      }),
    ),
  )
})

describe("TelnyxCarrier: retries and failures", () => {
  it.live("after a 5xx the SDK retries the dial with the same command id, and the dial succeeds", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        yield* api.failNext(1, 503)
        const { carrierCallId } = yield* carrier.dial(dialRequest(1))
        const dials = callsTo(yield* api.requests, "/v2/calls")
        expect(dials.map(commandIdOf)).toEqual(["command-1", "command-1"])
        expect(dials[0]?.body).toEqual(dials[1]?.body)
        expect(carrierCallId).toBe("v3:fake-call-1")
      }),
    ),
  )

  it.live("after a timeout the SDK retries the hangup with the same command id, and the hangup succeeds", () =>
    withTelnyx(
      (carrier, api) =>
        Effect.gen(function* () {
          const log = yield* recordEvents(carrier.events)
          const { carrierCallId } = yield* carrier.dial(dialRequest(1))
          yield* awaitEvent(log, carrierCallId, "CallAnswered")
          yield* api.hangNext(1)
          yield* carrier.hangup(carrierCallId)
          const hangups = callsTo(yield* api.requests, `/v2/calls/${carrierCallId}/actions/hangup`)
          expect(hangups.map(commandIdOf)).toEqual([
            commandIdFor("hangup", carrierCallId),
            commandIdFor("hangup", carrierCallId),
          ])
          const hangup = yield* awaitEvent(log, carrierCallId, "CallHangup")
          expect(hangup._tag === "CallHangup" && hangup.cause).toBe("normal_clearing")
        }),
      {},
      { timeoutMs: 300, maxRetries: 1 },
    ),
  )

  it.live("after a 5xx the SDK retries the speak with the same command id, and the message is spoken once", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        const { carrierCallId } = yield* carrier.dial(dialRequest(1, { amd: "disabled" }))
        yield* awaitEvent(log, carrierCallId, "CallAnswered")
        const message: SpeakRequest = {
          text: "Nobody can take your call.",
          voice: "female",
          language: "en-US",
          commandId: "speak-1",
        }
        yield* api.failNext(1, 500)
        yield* carrier.speak(carrierCallId, message)
        const speaks = callsTo(yield* api.requests, `/v2/calls/${carrierCallId}/actions/speak`)
        expect(speaks.map(commandIdOf)).toEqual(["speak-1", "speak-1"])
        expect(speaks[0]?.body).toEqual(speaks[1]?.body)
        yield* awaitEvent(log, carrierCallId, "SpeakEnded")
        yield* carrier.speak(carrierCallId, message)
        yield* Effect.sleep("100 millis")
        const ends = (yield* log.distinct).filter((event) => event._tag === "SpeakEnded")
        expect(ends).toHaveLength(1)
      }),
    ),
  )

  it.live("when every attempt fails with a 5xx, the dial fails retryable after 1 + maxRetries identical requests", () =>
    withTelnyx(
      (carrier, api) =>
        Effect.gen(function* () {
          yield* api.failNext(3, 502)
          const error = yield* Effect.flip(carrier.dial(dialRequest(1)))
          expect([error._tag, error.operation, error.retryable]).toEqual(["CarrierError", "dial", true])
          expect(error.message).toContain("502")
          expect(callsTo(yield* api.requests, "/v2/calls").map(commandIdOf)).toEqual([
            "command-1",
            "command-1",
            "command-1",
          ])
        }),
      {},
      { maxRetries: 2 },
    ),
  )

  it.live("when every attempt times out, the command fails retryable", () =>
    withTelnyx(
      (carrier, api) =>
        Effect.gen(function* () {
          yield* api.hangNext(2)
          const error = yield* Effect.flip(carrier.dial(dialRequest(1)))
          expect([error.operation, error.retryable]).toEqual(["dial", true])
          expect(callsTo(yield* api.requests, "/v2/calls").map(commandIdOf)).toEqual(["command-1", "command-1"])
        }),
      {},
      { timeoutMs: 200, maxRetries: 1 },
    ),
  )

  it.live("an API nobody answers on is a retryable failure", () =>
    Effect.gen(function* () {
      const closedPort = yield* Effect.scoped(Effect.map(makeFakeTelnyxApi({ apiKey }), (api) => api.baseUrl))
      const error = yield* Effect.flip(
        Effect.flatMap(Carrier, (carrier) => carrier.hangup("v3:any")).pipe(
          Effect.provide(TelnyxCarrier.layer({ apiKey, connectionId, baseUrl: closedPort, maxRetries: 0 })),
        ),
      )
      expect(error).toMatchObject({ _tag: "CarrierError", operation: "hangup", retryable: true })
      expect(error.message).toContain("could not reach Telnyx")
    }),
  )

  it.live("a refusal (4xx) is not retried and not retryable, and says what Telnyx said", () =>
    withTelnyx(
      (carrier, api) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(carrier.bridge("v3:nope", "v3:other"))
          expect([error.operation, error.retryable]).toEqual(["bridge", false])
          expect(error.message).toContain("v3:nope")
          expect(error.message).toContain("90015 Invalid Call Control ID")
          expect(yield* api.requests).toHaveLength(1)
        }),
      {},
      { maxRetries: 2 },
    ),
  )

  it.live("a wrong API key is refused with a CarrierError that is not retryable", () =>
    withTelnyx(
      (carrier) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(carrier.dial(dialRequest(1)))
          expect([error.retryable, error.message.includes("401")]).toEqual([false, true])
        }),
      {},
      { apiKey: "someone-else" },
    ),
  )

  it.live("hangup and cancel of an ended call succeed on Telnyx's 422 90018; answer, transfer and speak do not", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const log = yield* recordEvents(carrier.events)
        yield* api.arrange(number(1), "busy")
        const { carrierCallId } = yield* carrier.dial(dialRequest(1))
        yield* awaitEvent(log, carrierCallId, "CallHangup")
        yield* carrier.hangup(carrierCallId)
        yield* carrier.cancel(carrierCallId)
        const answer = yield* Effect.flip(carrier.answer(carrierCallId, CallId.make("late")))
        const transfer = yield* Effect.flip(carrier.transfer(carrierCallId, number(2)))
        const speak = yield* Effect.flip(
          carrier.speak(carrierCallId, { text: "Too late", voice: "female", language: "en-US", commandId: "late" }),
        )
        for (const error of [answer, transfer, speak]) {
          expect(error.retryable).toBe(false)
          expect(error.message).toContain("90018 Call has already ended")
        }
        expect(callsTo(yield* api.requests, `/v2/calls/${carrierCallId}/actions/hangup`)).toHaveLength(2)
      }),
    ),
  )
})

describe("TelnyxCarrier: events", () => {
  it.live("events offered to the sink reach every subscriber; a CallBridged is named after the leg we bridged", () =>
    withTelnyx((carrier, api) =>
      Effect.gen(function* () {
        const sink = yield* TelnyxEventSink
        const first = yield* recordEvents(carrier.events)
        const second = yield* recordEvents(carrier.events)
        const a = yield* carrier.dial(dialRequest(1, { amd: "disabled" }))
        const b = yield* carrier.dial(dialRequest(2, { amd: "disabled" }))
        yield* awaitEvent(first, a.carrierCallId, "CallAnswered")
        yield* awaitEvent(first, b.carrierCallId, "CallAnswered")
        yield* carrier.bridge(a.carrierCallId, b.carrierCallId)
        yield* awaitEvent(first, a.carrierCallId, "CallBridged")
        yield* awaitEvent(first, b.carrierCallId, "CallBridged")
        const envelope = { callId: null, direction: "inbound", at: 1_700_000_000_000 } as const
        yield* sink.offer({
          _tag: "CallBridged",
          ...envelope,
          eventId: "x1",
          carrierCallId: "v3:never-bridged",
          otherCarrierCallId: "",
        })
        yield* sink.offer({
          _tag: "CallBridged",
          ...envelope,
          eventId: "x2",
          carrierCallId: b.carrierCallId,
          otherCarrierCallId: "",
        })
        yield* awaitEvent(first, "v3:never-bridged", "CallBridged")
        yield* awaitEvent(second, b.carrierCallId, "CallAnswered")
        expect(yield* second.delivered).toEqual(yield* first.delivered)
        const bridged = (yield* first.distinct).flatMap((event) =>
          event._tag === "CallBridged" ? [[event.carrierCallId, event.otherCarrierCallId]] : [],
        )
        expect(bridged).toEqual(
          expect.arrayContaining([
            [a.carrierCallId, b.carrierCallId],
            [b.carrierCallId, a.carrierCallId],
            ["v3:never-bridged", ""],
          ]),
        )
        expect(bridged.filter(([leg]) => leg === b.carrierCallId)).toEqual([
          [b.carrierCallId, a.carrierCallId],
          [b.carrierCallId, a.carrierCallId],
        ])
        expect(yield* api.deliveryFailures).toEqual([])
      }),
    ),
  )
})

describe("TelnyxCarrier.layer config", () => {
  it.effect("a config that breaks a rule stops the layer with a defect naming the field and the value", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.provide(Carrier, TelnyxCarrier.layer({ apiKey, connectionId, maxRetries: -1 })),
      )
      const defect = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.dieOption(exit.cause)) : undefined
      expect(defect).toBeInstanceOf(InvalidTelnyxCarrierConfig)
      expect(defect).toMatchObject({ field: "maxRetries", value: "-1" })
    }),
  )
})
