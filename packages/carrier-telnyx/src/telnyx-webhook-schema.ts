import { E164 } from "@ringmaster/domain"
import { DialTarget } from "@ringmaster/protocol"
import { ParseResult, Schema } from "effect"

/**
 * Telnyx Call Control v2 and Messaging v2 webhook bodies, as far as we read them. Telnyx marks nearly every field
 * optional and adds fields over time: these schemas require what we cannot do without and ignore everything else.
 *
 *     { "data": { "record_type": "event", "event_type": "call.hangup", "id": "<uuid>",
 *                 "occurred_at": "2018-02-02T22:25:27.521992Z", "payload": { "call_control_id": "v3:...", ... } },
 *       "meta": { "attempt": 1, "delivered_to": "https://..." } }
 */

const NonEmptyString = Schema.String.pipe(Schema.minLength(1))

/** An ISO 8601 instant ("2018-02-02T22:25:27.521992Z") as epoch milliseconds. */
export const TelnyxTimestamp = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) => {
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? Date.parse(text) : Number.NaN
    return Number.isFinite(ms)
      ? ParseResult.succeed(ms)
      : ParseResult.fail(new ParseResult.Type(ast, text, "an ISO 8601 date-time such as 2018-02-02T22:25:27.521992Z"))
  },
  encode: (ms) => ParseResult.succeed(new Date(ms).toISOString()),
})

/** What routes every webhook, whatever its type. */
export const TelnyxWebhookEnvelope = Schema.Struct({
  data: Schema.Struct({ id: NonEmptyString, event_type: NonEmptyString }),
})

/** Fields every call-leg payload carries. */
const legFields = {
  call_control_id: NonEmptyString,
  client_state: Schema.optional(Schema.String),
}

export const TelnyxLegPayload = Schema.Struct(legFields)
export type TelnyxLegPayload = typeof TelnyxLegPayload.Type

/** `call.initiated`: the only event that says the direction and always names both ends. */
export const TelnyxCallInitiatedPayload = Schema.Struct({
  ...legFields,
  direction: Schema.optional(Schema.Literal("incoming", "outgoing")),
  from: E164,
  /** A SIP URI on a leg dialled to an agent's softphone. */
  to: DialTarget,
})
export type TelnyxCallInitiatedPayload = typeof TelnyxCallInitiatedPayload.Type

/** `call.hangup`: causes are kept as text, since Telnyx adds new ones; mapping them is `telnyxHangupCause`. */
export const TelnyxCallHangupPayload = Schema.Struct({
  ...legFields,
  hangup_cause: Schema.optional(Schema.String),
  sip_hangup_cause: Schema.optional(Schema.String),
})
export type TelnyxCallHangupPayload = typeof TelnyxCallHangupPayload.Type

/** `call.machine.detection.ended`, `call.machine.premium.detection.ended` and the greeting-ended pair. */
export const TelnyxMachineDetectionPayload = Schema.Struct({
  ...legFields,
  result: Schema.optional(Schema.String),
})
export type TelnyxMachineDetectionPayload = typeof TelnyxMachineDetectionPayload.Type

/** `call.speak.ended`: `status` is kept as text (completed, call_hangup, cancelled_amd, and whatever comes next). */
export const TelnyxSpeakEndedPayload = Schema.Struct({
  ...legFields,
  status: Schema.optional(Schema.String),
})
export type TelnyxSpeakEndedPayload = typeof TelnyxSpeakEndedPayload.Type

/**
 * `message.received` (Messaging v2): a text to one of our numbers. The sender is kept as text, since short codes and
 * alphanumeric sender ids are not telephone numbers; `to` is a list of recipients for SMS and MMS (one per number of a
 * group message) and a single number for WhatsApp; `text` is missing from a picture sent alone.
 *
 *     { "id": "7ee4241c-...", "direction": "inbound", "type": "SMS", "text": "STOP",
 *       "from": { "phone_number": "+18665550001", "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless" },
 *       "to": [{ "phone_number": "+18445550001", "status": "webhook_delivered", "carrier": "TELNYX LLC" }], ... }
 */
export const TelnyxMessageReceivedPayload = Schema.Struct({
  id: NonEmptyString,
  direction: Schema.optional(Schema.Literal("inbound")),
  from: Schema.Struct({ phone_number: NonEmptyString }),
  to: Schema.Union(Schema.Array(Schema.Struct({ phone_number: Schema.optional(Schema.String) })), NonEmptyString),
  text: Schema.optional(Schema.NullOr(Schema.String)),
})
export type TelnyxMessageReceivedPayload = typeof TelnyxMessageReceivedPayload.Type

/** One whole webhook body of an event type whose payload is `payload`. */
export const telnyxWebhook = <A, I>(payload: Schema.Schema<A, I>) =>
  Schema.Struct({
    data: Schema.Struct({
      id: NonEmptyString,
      event_type: NonEmptyString,
      occurred_at: TelnyxTimestamp,
      payload,
    }),
  })
