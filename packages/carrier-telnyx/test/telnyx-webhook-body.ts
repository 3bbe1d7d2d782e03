import type { CarrierEvent, HangupCause } from "@ringmaster/protocol"
import { encodeClientState } from "../src/index.js"

/** A Telnyx Call Control v2 webhook body, shaped as Telnyx sends it. */
export const telnyxWebhookBody = (input: {
  readonly eventType: string
  readonly id: string
  readonly occurredAt: string
  readonly payload: Readonly<Record<string, unknown>>
}) => ({
  data: {
    record_type: "event",
    event_type: input.eventType,
    id: input.id,
    occurred_at: input.occurredAt,
    payload: input.payload,
  },
  meta: { attempt: 1, delivered_to: "https://ringmaster.example/webhooks/telnyx" },
})

/**
 * The `message.received` webhook body Telnyx sends for an SMS from `from` to `to` (Messaging v2), with the fields
 * its example shows.
 */
export const telnyxMessageReceivedBody = (input: {
  readonly id: string
  readonly messageId: string
  readonly occurredAt: string
  readonly from: string
  readonly to: string
  readonly text: string
}) =>
  telnyxWebhookBody({
    eventType: "message.received",
    id: input.id,
    occurredAt: input.occurredAt,
    payload: {
      record_type: "message",
      direction: "inbound",
      id: input.messageId,
      type: "SMS",
      messaging_profile_id: "4001767e-ce0f-4cae-9d5f-0d5e636e7809",
      organization_id: "b448f9cc-a842-4784-98e9-03c1a5872950",
      from: { phone_number: input.from, carrier: "T-MOBILE USA, INC.", line_type: "Wireless" },
      to: [{ phone_number: input.to, status: "webhook_delivered", carrier: "TELNYX LLC", line_type: "VoIP" }],
      cc: [],
      text: input.text,
      media: [],
      encoding: "GSM-7",
      parts: 1,
      tags: [],
      errors: [],
      received_at: input.occurredAt,
      cost: null,
      completed_at: null,
      sent_at: null,
      valid_until: null,
      webhook_url: "https://ringmaster.example/webhooks/telnyx",
      webhook_failover_url: null,
    },
  })

const eventTypeOf: Readonly<Record<CarrierEvent["_tag"], string | undefined>> = {
  CallInitiated: "call.initiated",
  CallRinging: undefined,
  CallAnswered: "call.answered",
  MachineDetectionEnded: "call.machine.detection.ended",
  MachineGreetingEnded: "call.machine.greeting.ended",
  CallBridged: "call.bridged",
  SpeakEnded: "call.speak.ended",
  CallHangup: "call.hangup",
}

/** The Telnyx `hangup_cause` that says each of our causes; `machine` is ours alone. */
export const telnyxCauseOf: Readonly<Record<HangupCause, string | undefined>> = {
  normal_clearing: "normal_clearing",
  no_answer: "no_answer",
  busy: "user_busy",
  unallocated_number: "not_found",
  originator_cancel: "originator_cancel",
  timeout: "time_limit",
  call_rejected: "call_rejected",
  machine: undefined,
  unspecified: "unspecified",
}

/**
 * The webhook body Telnyx would send for `event`. Not every event can be said in Telnyx's words: a CallRinging, a
 * `machine` hangup cause, an outbound event without our callId, and a CallBridged naming its other leg throw.
 */
export const encodeLikeTelnyx = (event: CarrierEvent): unknown => {
  const eventType = eventTypeOf[event._tag]
  if (eventType === undefined) throw new Error(`Telnyx has no event for ${event._tag}`)
  if (event.callId === null && event.direction === "outbound" && event._tag !== "CallInitiated") {
    throw new Error("an outbound leg always carries our client_state")
  }
  const payload: Record<string, unknown> = {
    call_control_id: event.carrierCallId,
    connection_id: "1684641123236054244",
    call_leg_id: "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
    call_session_id: "428c31b6-abf3-3bc1-b7f4-5013ef9657c1",
  }
  if (event.callId !== null)
    payload.client_state = encodeClientState({ callId: event.callId, direction: event.direction })
  switch (event._tag) {
    case "CallInitiated":
      Object.assign(payload, {
        direction: event.direction === "inbound" ? "incoming" : "outgoing",
        from: event.from,
        to: event.to,
        state: event.direction === "inbound" ? "parked" : "bridging",
      })
      break
    case "MachineDetectionEnded":
      payload.result = event.result
      break
    case "CallBridged":
      if (event.otherCarrierCallId !== "") throw new Error("Telnyx's call.bridged does not name the other leg")
      break
    case "SpeakEnded":
      // Telnyx says cancelled_amd; any other status it might add reads back as cancelled too.
      payload.status = event.status === "cancelled" ? "cancelled_amd" : event.status
      break
    case "CallHangup": {
      const cause = telnyxCauseOf[event.cause]
      if (cause === undefined) throw new Error(`Telnyx has no hangup_cause for ${event.cause}`)
      Object.assign(payload, { hangup_cause: cause, hangup_source: "callee", state: "hangup" })
      break
    }
    default:
      break
  }
  return telnyxWebhookBody({ eventType, id: event.eventId, occurredAt: new Date(event.at).toISOString(), payload })
}
