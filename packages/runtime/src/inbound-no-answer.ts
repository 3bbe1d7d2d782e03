import type { Carrier, SpeakRequest } from "@ringmaster/carrier"
import type { CallId, E164, TenantId, TenantSettings } from "@ringmaster/domain"
import { logCallNote } from "@ringmaster/store"
import { Clock, Effect } from "effect"

/** Where an inbound caller nobody answered goes once the no-answer message has been spoken. */
export interface NoAnswerExit {
  /** Transfer there; null hangs up. */
  readonly voicemail: E164 | null
}

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
 * Nobody answered an inbound call in time: answer it and start the tenant's message. Returns where the caller goes
 * when the message ends (the Call entity acts on the SpeakEnded), or null when the call is already dealt with: the
 * answer failed (the caller is hung up on) or the message could not be started (the caller leaves at once).
 */
export const playNoAnswerMessage = (call: NoAnswerCall, settings: TenantSettings) =>
  Effect.gen(function* () {
    const exit: NoAnswerExit = { voicemail: settings.inboundVoicemailNumber }
    const answered = yield* Effect.either(call.carrier.answer(call.carrierCallId, call.callId))
    if (answered._tag === "Left") {
      yield* note(call, "no-answer:message", "NoAnswerMessageFailed", { error: answered.left.message })
      yield* Effect.ignore(call.carrier.hangup(call.carrierCallId))
      return null
    }
    const speech = noAnswerSpeech(call.callId, settings)
    const spoken = yield* Effect.either(call.carrier.speak(call.carrierCallId, speech))
    if (spoken._tag === "Left") {
      yield* note(call, "no-answer:message", "NoAnswerMessageFailed", { error: spoken.left.message })
      yield* leaveAfterNoAnswer(call, exit.voicemail)
      return null
    }
    yield* note(call, "no-answer:message", "NoAnswerMessage", { text: speech.text, voicemail: exit.voicemail })
    return exit
  })
