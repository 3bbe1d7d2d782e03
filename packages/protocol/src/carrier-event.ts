import { CallId, E164 } from "@ringmaster/domain"
import { Schema } from "effect"
import { DialTarget } from "./agent-leg.js"

/**
 * Normalized carrier events, modelled on Telnyx Call Control v2 webhooks. A carrier may deliver
 * an event twice (same `eventId`) or out of order; consumers de-duplicate by `eventId`.
 */

/** Why a call ended (Telnyx `hangup_cause`, narrowed to what the dialer acts on). */
export const HangupCause = Schema.Literal(
  "normal_clearing",
  "no_answer",
  "busy",
  "unallocated_number",
  "originator_cancel",
  "timeout",
  "call_rejected",
  "machine",
  "unspecified",
)
export type HangupCause = typeof HangupCause.Type

/** What answering-machine detection concluded (`call.machine.detection.ended`). */
export const AmdResult = Schema.Literal("human", "machine", "not_sure")
export type AmdResult = typeof AmdResult.Type

export const CallDirection = Schema.Literal("outbound", "inbound")
export type CallDirection = typeof CallDirection.Type

/** Fields every carrier event carries. */
const envelope = {
  /** Unique per distinct event; a duplicate delivery repeats it. */
  eventId: Schema.String,
  /** Our call id, echoed from client_state; null on an inbound call not yet named by us. */
  callId: Schema.NullOr(CallId),
  carrierCallId: Schema.String,
  direction: CallDirection,
  /** When the carrier says the event happened, epoch milliseconds. */
  at: Schema.Number,
}

/** `call.initiated`: `to` is a SIP URI on an agent's leg. */
export const CallInitiated = Schema.TaggedStruct("CallInitiated", { ...envelope, from: E164, to: DialTarget })
export type CallInitiated = typeof CallInitiated.Type

/** The far end is ringing. */
export const CallRinging = Schema.TaggedStruct("CallRinging", envelope)
export type CallRinging = typeof CallRinging.Type

/** `call.answered` */
export const CallAnswered = Schema.TaggedStruct("CallAnswered", envelope)
export type CallAnswered = typeof CallAnswered.Type

/** `call.machine.detection.ended` */
export const MachineDetectionEnded = Schema.TaggedStruct("MachineDetectionEnded", { ...envelope, result: AmdResult })
export type MachineDetectionEnded = typeof MachineDetectionEnded.Type

/** `call.machine.greeting.ended`: the machine's greeting is over (the beep), a message can be left. */
export const MachineGreetingEnded = Schema.TaggedStruct("MachineGreetingEnded", envelope)
export type MachineGreetingEnded = typeof MachineGreetingEnded.Type

/** `call.bridged`: this leg is now connected to `otherCarrierCallId`. */
export const CallBridged = Schema.TaggedStruct("CallBridged", { ...envelope, otherCarrierCallId: Schema.String })
export type CallBridged = typeof CallBridged.Type

/** How a spoken message ended: played to its end, cut short by the call hanging up, or stopped by the carrier. */
export const SpeakEndStatus = Schema.Literal("completed", "call_hangup", "cancelled")
export type SpeakEndStatus = typeof SpeakEndStatus.Type

/** `call.speak.ended`: a message asked for with `Carrier.speak` is over. */
export const SpeakEnded = Schema.TaggedStruct("SpeakEnded", { ...envelope, status: SpeakEndStatus })
export type SpeakEnded = typeof SpeakEnded.Type

/** `call.hangup` */
export const CallHangup = Schema.TaggedStruct("CallHangup", { ...envelope, cause: HangupCause })
export type CallHangup = typeof CallHangup.Type

export const CarrierEvent = Schema.Union(
  CallInitiated,
  CallRinging,
  CallAnswered,
  MachineDetectionEnded,
  MachineGreetingEnded,
  CallBridged,
  SpeakEnded,
  CallHangup,
)
export type CarrierEvent = typeof CarrierEvent.Type
