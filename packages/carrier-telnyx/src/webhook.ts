import { firstFieldIssue } from "@ringmaster/domain"
import type { CallDirection, CarrierEvent } from "@ringmaster/protocol"
import { Either, Option, Schema } from "effect"
import { createPublicKey, verify } from "node:crypto"
import type { KeyObject } from "node:crypto"
import { telnyxAmdResult } from "./amd-result.js"
import { decodeClientState } from "./client-state.js"
import { telnyxHangupCause } from "./hangup-cause.js"
import { telnyxSpeakStatus } from "./speak-status.js"
import {
  TelnyxCallHangupPayload,
  TelnyxCallInitiatedPayload,
  TelnyxLegPayload,
  TelnyxMachineDetectionPayload,
  TelnyxMessageReceivedPayload,
  TelnyxSpeakEndedPayload,
  TelnyxWebhookEnvelope,
  telnyxWebhook,
} from "./telnyx-webhook-schema.js"
import type { TelnyxCallInitiatedPayload as InitiatedPayload } from "./telnyx-webhook-schema.js"

/** A webhook that does not prove it comes from Telnyx, now: answer it with a 4xx and drop it. */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  reason: Schema.Literal("missing-signature", "bad-signature", "stale", "malformed"),
  message: Schema.String,
}) {}

/** A signed webhook whose body is not the Telnyx event it claims to be, naming the field and the value found. */
export class WebhookMalformed extends Schema.TaggedError<WebhookMalformed>()("WebhookMalformed", {
  field: Schema.String,
  value: Schema.String,
  message: Schema.String,
}) {}

export interface TelnyxWebhookRequest {
  /** The body exactly as received: the signature covers these bytes, not a re-serialised JSON. */
  readonly rawBody: string | Uint8Array
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The account's Ed25519 public key, base64, from the Telnyx portal. */
  readonly publicKey: string
  /** The time to judge the timestamp against (default: the system clock). */
  readonly now?: Date
}

const signatureHeader = "telnyx-signature-ed25519"
const timestampHeader = "telnyx-timestamp"
/** How far `telnyx-timestamp` may be from now, either way (the SDK's `webhooks.unwrap` uses the same). */
export const webhookToleranceSecs = 300

const headerValue = (headers: TelnyxWebhookRequest["headers"], name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined && value !== "") return value
  }
  return undefined
}

/** Strict base64 (what Telnyx sends): Buffer's own decoder skips characters it does not know. */
const base64Bytes = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, "base64")
  return bytes.toString("base64") === text ? bytes : undefined
}

const ed25519PublicKey = (publicKey: string): KeyObject | undefined => {
  const bytes = base64Bytes(publicKey)
  if (bytes?.length !== 32) return undefined
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: bytes.toString("base64url") }, format: "jwk" })
}

const rejected = (reason: WebhookRejected["reason"], message: string) =>
  Either.left(new WebhookRejected({ reason, message }))

const parseJson = (body: Uint8Array): Either.Either<unknown, WebhookRejected> => {
  try {
    return Either.right(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)))
  } catch (error) {
    return rejected("malformed", `body is not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Checks a Telnyx webhook the way Telnyx signs it, and returns the parsed JSON: Ed25519 over `timestamp|rawBody`
 * with the account's public key, headers `telnyx-signature-ed25519` (base64) and `telnyx-timestamp` (Unix seconds,
 * at most 300 s from `now` either way). The signature is checked over the raw bytes, before anything is parsed.
 *
 * The telnyx SDK (7.24) verifies the same way in `webhooks.unwrap`, but only asynchronously and against the system
 * clock; this check is synchronous and takes `now`, and the tests hold the two to the same verdicts. An invalid
 * `publicKey` is a configuration fault, so it throws (a defect) instead of rejecting the webhook.
 */
export const verifyTelnyxWebhook = (request: TelnyxWebhookRequest): Either.Either<unknown, WebhookRejected> => {
  const key = ed25519PublicKey(request.publicKey)
  if (key === undefined) {
    throw new Error(`publicKey: "${request.publicKey}" is not a base64 Ed25519 public key (32 bytes)`)
  }
  const signatureText = headerValue(request.headers, signatureHeader)
  const timestamp = headerValue(request.headers, timestampHeader)
  if (signatureText === undefined) return rejected("missing-signature", `the ${signatureHeader} header is missing`)
  if (timestamp === undefined) return rejected("missing-signature", `the ${timestampHeader} header is missing`)
  if (!/^\d{1,15}$/.test(timestamp)) {
    return rejected("malformed", `${timestampHeader}: "${timestamp}" is not a Unix time in seconds`)
  }
  const skewSecs = Math.floor((request.now ?? new Date()).getTime() / 1000) - Number(timestamp)
  if (Math.abs(skewSecs) > webhookToleranceSecs) {
    const when = skewSecs > 0 ? `${skewSecs} s old` : `${-skewSecs} s in the future`
    return rejected(
      "stale",
      `${timestampHeader}: ${timestamp} is ${when}, beyond the ${webhookToleranceSecs} s tolerance`,
    )
  }
  const signature = base64Bytes(signatureText)
  if (signature?.length !== 64) {
    return rejected("bad-signature", `${signatureHeader}: "${signatureText}" is not a base64 Ed25519 signature`)
  }
  const body = typeof request.rawBody === "string" ? Buffer.from(request.rawBody, "utf8") : request.rawBody
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`, "utf8"), body])
  if (!verify(null, signed, key, signature)) {
    return rejected("bad-signature", "the signature does not match the body and timestamp for this public key")
  }
  return parseJson(body)
}

/** An inbound text message (`message.received`), as far as we read it. */
export interface TelnyxInboundMessage {
  /** Telnyx's message id (`payload.id`), the same on every delivery of the message. */
  readonly messageId: string
  /** The sender as Telnyx names it: an E.164 number, or a short code or alphanumeric sender id. */
  readonly from: string
  /** The numbers it was sent to, in Telnyx's order (more than one for a group message). */
  readonly to: ReadonlyArray<string>
  /** "" when the message has no text (a picture sent alone). */
  readonly text: string
}

/**
 * A verified webhook, read: a call event, an inbound text message, or (`Unknown`) an event type we do not act on,
 * to acknowledge and move on.
 */
export type DecodedTelnyxEvent =
  | {
      readonly _tag: "Known"
      readonly event: CarrierEvent
      readonly telnyxEventId: string
      /** `data.occurred_at`, epoch milliseconds (also the event's `at`). */
      readonly occurredAt: number
    }
  | {
      readonly _tag: "Message"
      readonly message: TelnyxInboundMessage
      readonly telnyxEventId: string
      /** `data.occurred_at`, epoch milliseconds. */
      readonly occurredAt: number
    }
  | { readonly _tag: "Unknown"; readonly eventType: string; readonly telnyxEventId: string }

type KnownEvent = Extract<DecodedTelnyxEvent, { readonly _tag: "Known" }>
type Envelope = Pick<CarrierEvent, "eventId" | "callId" | "carrierCallId" | "direction" | "at">

const decodeWith = <A, I>(schema: Schema.Schema<A, I>, json: unknown): Either.Either<A, WebhookMalformed> =>
  Schema.decodeUnknownEither(schema, { errors: "first" })(json).pipe(
    Either.mapLeft((error) => new WebhookMalformed(firstFieldIssue(error, json, "body"))),
  )

const directionSaid: Readonly<Record<NonNullable<InitiatedPayload["direction"]>, CallDirection>> = {
  incoming: "inbound",
  outgoing: "outbound",
}

/**
 * The fields every event carries. Telnyx states the direction only on `call.initiated`; later events take it from
 * our client_state. A leg without our client_state is one we neither dialled nor answered (every dial and answer
 * sets it), so it is an inbound call not yet named.
 */
const envelopeOf = (
  data: { readonly id: string; readonly occurred_at: number; readonly payload: TelnyxLegPayload },
  said?: InitiatedPayload["direction"],
): Envelope => {
  const ours = decodeClientState(data.payload.client_state)
  return {
    eventId: data.id,
    callId: Option.match(ours, { onNone: () => null, onSome: (state) => state.callId }),
    carrierCallId: data.payload.call_control_id,
    direction:
      said === undefined
        ? Option.match(ours, { onNone: () => "inbound" as const, onSome: (state) => state.direction })
        : directionSaid[said],
    at: data.occurred_at,
  }
}

const known =
  <P extends TelnyxLegPayload, I>(
    payload: Schema.Schema<P, I>,
    toEvent: (envelope: Envelope, payload: P) => CarrierEvent,
  ) =>
  (json: unknown): Either.Either<KnownEvent, WebhookMalformed> =>
    Either.map(decodeWith(telnyxWebhook(payload), json), ({ data }) => ({
      _tag: "Known",
      event: toEvent(envelopeOf(data), data.payload),
      telnyxEventId: data.id,
      occurredAt: data.occurred_at,
    }))

const machineDetectionEnded = known(TelnyxMachineDetectionPayload, (envelope, payload) => ({
  _tag: "MachineDetectionEnded",
  ...envelope,
  result: telnyxAmdResult(payload.result),
}))

const machineGreetingEnded = known(TelnyxMachineDetectionPayload, (envelope) => ({
  _tag: "MachineGreetingEnded",
  ...envelope,
}))

const messageReceived = (json: unknown): Either.Either<DecodedTelnyxEvent, WebhookMalformed> =>
  Either.map(decodeWith(telnyxWebhook(TelnyxMessageReceivedPayload), json), ({ data }) => ({
    _tag: "Message",
    message: {
      messageId: data.payload.id,
      from: data.payload.from.phone_number,
      to:
        typeof data.payload.to === "string"
          ? [data.payload.to]
          : data.payload.to.flatMap(({ phone_number }) =>
              phone_number === undefined || phone_number === "" ? [] : [phone_number],
            ),
      text: data.payload.text ?? "",
    },
    telnyxEventId: data.id,
    occurredAt: data.occurred_at,
  }))

const decoders: Readonly<Record<string, (json: unknown) => Either.Either<DecodedTelnyxEvent, WebhookMalformed>>> = {
  "call.initiated": (json) =>
    Either.map(decodeWith(telnyxWebhook(TelnyxCallInitiatedPayload), json), ({ data }) => ({
      _tag: "Known",
      event: {
        _tag: "CallInitiated",
        ...envelopeOf(data, data.payload.direction),
        from: data.payload.from,
        to: data.payload.to,
      },
      telnyxEventId: data.id,
      occurredAt: data.occurred_at,
    })),
  "call.answered": known(TelnyxLegPayload, (envelope) => ({ _tag: "CallAnswered", ...envelope })),
  "call.machine.detection.ended": machineDetectionEnded,
  "call.machine.premium.detection.ended": machineDetectionEnded,
  "call.machine.greeting.ended": machineGreetingEnded,
  "call.machine.premium.greeting.ended": machineGreetingEnded,
  // Telnyx does not say which leg this one was bridged to: the carrier that sent the bridge fills it in.
  "call.bridged": known(TelnyxLegPayload, (envelope) => ({ _tag: "CallBridged", ...envelope, otherCarrierCallId: "" })),
  "call.speak.ended": known(TelnyxSpeakEndedPayload, (envelope, payload) => ({
    _tag: "SpeakEnded",
    ...envelope,
    status: telnyxSpeakStatus(payload.status),
  })),
  "call.hangup": known(TelnyxCallHangupPayload, (envelope, payload) => ({
    _tag: "CallHangup",
    ...envelope,
    cause: telnyxHangupCause(payload.hangup_cause, payload.sip_hangup_cause),
  })),
  "message.received": messageReceived,
}

/**
 * Reads a verified Telnyx webhook body into a normalized carrier event: eventId is Telnyx's `data.id`, callId our id
 * from client_state (null when it is not ours), carrierCallId the `call_control_id`, `at` the `occurred_at`.
 * A `message.received` comes back as a `Message`, event types we do not act on as `Unknown`; a body that breaks the
 * shape of its type is `WebhookMalformed`.
 */
export const decodeTelnyxEvent = (json: unknown): Either.Either<DecodedTelnyxEvent, WebhookMalformed> =>
  Either.flatMap(
    decodeWith(TelnyxWebhookEnvelope, json),
    ({ data }): Either.Either<DecodedTelnyxEvent, WebhookMalformed> => {
      const decode = Object.hasOwn(decoders, data.event_type) ? decoders[data.event_type] : undefined
      return decode === undefined
        ? Either.right({ _tag: "Unknown", eventType: data.event_type, telnyxEventId: data.id })
        : decode(json)
    },
  )
