import type { Carrier, SpeakRequest } from "@ringmaster/carrier"
import type { CallId, E164, TenantId, TenantSettings } from "@ringmaster/domain"
import { logCallNote } from "@ringmaster/store"
import { Clock, Effect } from "effect"

interface NoAnswerCall {
  readonly carrier: Carrier["Type"]
  readonly tenantId: TenantId
  readonly callId: CallId
  readonly carrierCallId: string
}

/** The tenant's no-answer message as a speak command; one command id per call, so a retry is spoken once. */
export const noAnswerSpeech = (callId: CallId, settings: TenantSettings): SpeakRequest => ({
  text: settings.inboundNoAnswerMessage,
  voice: "female",
  language: "en-US",
  commandId: `${callId}:no-answer`,
})

const note = (call: NoAnswerCall, key: string, kind: string, detail: object) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    logCallNote(call.tenantId, call.callId, key, kind, detail, now).pipe(Effect.orDie),
  )

/** Sends the caller to voicemail when there is one and the transfer is accepted; otherwise hangs up. */
export const leaveAfterNoAnswer = (call: NoAnswerCall, voicemail: E164 | null) =>
  Effect.gen(function* () {
    if (voicemail !== null) {
      const moved = yield* Effect.either(call.carrier.transfer(call.carrierCallId, voicemail))
      if (moved._tag === "Right") return yield* note(call, "no-answer:voicemail", "SentToVoicemail", { to: voicemail })
      yield* note(call, "no-answer:voicemail", "VoicemailFailed", { to: voicemail, error: moved.left.message })
    }
    yield* Effect.ignore(call.carrier.hangup(call.carrierCallId))
  })

/**
 * Nobody answered an inbound call in time: answer it and start the tenant's message; the Call entity lets the caller
 * go (`leaveAfterNoAnswer`) when the message's SpeakEnded arrives. When the answer fails the caller is hung up on;
 * when the message cannot be started the caller leaves at once.
 */
export const playNoAnswerMessage = (call: NoAnswerCall, settings: TenantSettings) =>
  Effect.gen(function* () {
    const answered = yield* Effect.either(call.carrier.answer(call.carrierCallId, call.callId))
    if (answered._tag === "Left") {
      yield* note(call, "no-answer:message", "NoAnswerMessageFailed", { error: answered.left.message })
      return yield* Effect.ignore(call.carrier.hangup(call.carrierCallId))
    }
    const speech = noAnswerSpeech(call.callId, settings)
    const spoken = yield* Effect.either(call.carrier.speak(call.carrierCallId, speech))
    if (spoken._tag === "Left") {
      yield* note(call, "no-answer:message", "NoAnswerMessageFailed", { error: spoken.left.message })
      return yield* leaveAfterNoAnswer(call, settings.inboundVoicemailNumber)
    }
    yield* note(call, "no-answer:message", "NoAnswerMessage", { text: speech.text })
  })
