import type { CallFact } from "@ringmaster/domain"
import type { CarrierEvent } from "@ringmaster/protocol"

/** The fact a carrier event establishes about its call; events that change no state give none. */
export const factOf = (event: CarrierEvent): CallFact | null => {
  const base = { eventId: event.eventId, at: event.at }
  switch (event._tag) {
    case "CallInitiated":
      return { _tag: "Initiated", ...base }
    case "CallRinging":
      return { _tag: "Ringing", ...base }
    case "CallAnswered":
      return { _tag: "Answered", ...base }
    case "MachineDetectionEnded":
      return { _tag: "MachineDetection", ...base, result: event.result }
    case "CallBridged":
      return { _tag: "Bridged", ...base, agentLeg: event.otherCarrierCallId }
    case "CallHangup":
      return { _tag: "Hangup", ...base, cause: event.cause }
    case "MachineGreetingEnded":
    case "SpeakEnded":
      return null
  }
}
