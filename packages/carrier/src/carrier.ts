import type { CallId, E164 } from "@ringmaster/domain"
import type { CarrierEvent, DialTarget } from "@ringmaster/protocol"
import { Context, Schema } from "effect"
import type { Effect, Stream } from "effect"

/** Answering-machine detection asked for on a dial (Telnyx `answering_machine_detection`). */
export const AmdMode = Schema.Literal("disabled", "detect", "detect_beep")
export type AmdMode = typeof AmdMode.Type

/** Whom a dial is for: a customer, or an agent's own leg (kept up while the agent works, bridged to customers). */
export type DialPurpose = "customer" | "agent-leg"

export interface DialRequest {
  readonly callId: CallId
  readonly from: E164
  /** A number; an agent's leg may also be a SIP URI. */
  readonly to: DialTarget
  readonly amd: AmdMode
  /** Default "customer". */
  readonly purpose?: DialPurpose
  /** How long the far end may ring before the carrier gives up with `no_answer`. */
  readonly ringTimeoutSecs: number
  /** Idempotency key: a carrier ignores a repeated command id (Telnyx: within 60 s). */
  readonly commandId: string
}

/** Languages a message can be spoken in (Telnyx `speak` languages). */
export const SpeakLanguage = Schema.Literal(
  "arb",
  "cmn-CN",
  "cy-GB",
  "da-DK",
  "de-DE",
  "en-AU",
  "en-GB",
  "en-GB-WLS",
  "en-IN",
  "en-US",
  "es-ES",
  "es-MX",
  "es-US",
  "fr-CA",
  "fr-FR",
  "hi-IN",
  "is-IS",
  "it-IT",
  "ja-JP",
  "ko-KR",
  "nb-NO",
  "nl-NL",
  "pl-PL",
  "pt-BR",
  "pt-PT",
  "ro-RO",
  "ru-RU",
  "sv-SE",
  "tr-TR",
)
export type SpeakLanguage = typeof SpeakLanguage.Type

/** The longest message a carrier speaks in one command (Telnyx: 3,000 characters). */
export const maxSpeakLength = 3_000

/** A message to speak on an answered call: an abandonment notice, a message left on a machine, a closing message. */
export interface SpeakRequest {
  /** Plain text, 1 to `maxSpeakLength` characters. */
  readonly text: string
  /** The carrier's voice name: "female" or "male", or a provider voice such as "AWS.Polly.Joanna-Neural". */
  readonly voice: string
  readonly language: SpeakLanguage
  /** Idempotency key: the same message sent again with the same id on the same call is spoken once. */
  readonly commandId: string
}

/** Why a speak request cannot be sent, naming the field and its value; undefined when it can. */
export const speakRequestIssue = (req: SpeakRequest): string | undefined => {
  if (req.text.trim().length === 0) return `text: ${JSON.stringify(req.text)} must not be blank`
  if (req.text.length > maxSpeakLength) {
    return `text: ${req.text.length} characters (${JSON.stringify(req.text.slice(0, 40))}...) is more than ${maxSpeakLength}`
  }
  if (req.voice.trim().length === 0) return `voice: ${JSON.stringify(req.voice)} must not be blank`
  if (req.commandId.length === 0) return `commandId: "" must not be empty`
  return undefined
}

export interface BridgeOptions {
  /**
   * When the first leg ends, the other stays up, unbridged (Telnyx: bridged from the other leg with
   * `park_after_unbridge: "self"`), ready to be bridged again; by default it is hung up with it. An agent's leg is
   * bridged so, as the second leg, to each customer it takes.
   */
  readonly keepOtherUp?: boolean
}

/** A carrier refused or failed a command. `retryable` says whether the same command may succeed later. */
export class CarrierError extends Schema.TaggedError<CarrierError>()("CarrierError", {
  operation: Schema.String,
  message: Schema.String,
  retryable: Schema.Boolean,
}) {}

/**
 * Hangup or cancel of a call the carrier has no record of (Telnyx: 422 code 90015, an invalid call control id; the
 * simulated carrier: a call another process's network placed and took with it). No event will ever end that call.
 */
export class UnknownCarrierCall extends Schema.TaggedError<UnknownCarrierCall>()("UnknownCarrierCall", {
  operation: Schema.Literal("hangup", "cancel"),
  carrierCallId: Schema.String,
}) {
  override get message(): string {
    return `${this.operation} ${this.carrierCallId}: the carrier has no such call`
  }
}

/**
 * The port to the telephone network. Commands are answered when the carrier has accepted them; what
 * happens to the call afterwards arrives on `events`, a hot stream: a subscriber sees the events
 * published from the moment it subscribes. Hanging up or cancelling a call that already ended succeeds; one the
 * carrier has no record of fails with UnknownCarrierCall.
 */
export class Carrier extends Context.Tag("@ringmaster/carrier/Carrier")<
  Carrier,
  {
    /** Places an outbound call; its events carry `req.callId`. */
    readonly dial: (req: DialRequest) => Effect.Effect<{ readonly carrierCallId: string }, CarrierError>
    /** Answers a ringing inbound call and names it: its later events carry `callId`. */
    readonly answer: (carrierCallId: string, callId: CallId) => Effect.Effect<void, CarrierError>
    /** Connects two answered legs; each then gets a CallBridged naming the other. */
    readonly bridge: (
      carrierCallId: string,
      otherCarrierCallId: string,
      options?: BridgeOptions,
    ) => Effect.Effect<void, CarrierError>
    /** Hands an answered call to another number. */
    readonly transfer: (carrierCallId: string, to: E164) => Effect.Effect<void, CarrierError>
    /**
     * Speaks `req.text` on an answered call; a message sent while another plays waits its turn. A SpeakEnded
     * (status completed, or call_hangup when the call ends first) follows each message.
     */
    readonly speak: (carrierCallId: string, req: SpeakRequest) => Effect.Effect<void, CarrierError>
    /** Ends a call: normal_clearing once answered, originator_cancel while an outbound call still rings. */
    readonly hangup: (carrierCallId: string) => Effect.Effect<void, CarrierError | UnknownCarrierCall>
    /** Withdraws a dial that may still be ringing (originator_cancel); an answered call is hung up. */
    readonly cancel: (carrierCallId: string) => Effect.Effect<void, CarrierError | UnknownCarrierCall>
    readonly events: Stream.Stream<CarrierEvent>
  }
>() {}
