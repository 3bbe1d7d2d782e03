import type { SpeakEndStatus } from "@ringmaster/protocol"

/**
 * Telnyx `call.speak.ended` `status` → ours. `cancelled_amd` (AMD stopped the message), a status Telnyx adds later,
 * or none at all is `cancelled`: the message is not known to have been heard to its end.
 */
export const telnyxSpeakStatus = (status: string | undefined): SpeakEndStatus => {
  if (status === "completed") return "completed"
  if (status === "call_hangup") return "call_hangup"
  return "cancelled"
}
