import type { AmdResult } from "@ringmaster/protocol"

/**
 * Telnyx answering-machine detection `result` → ours. Standard detection says human / machine / not_sure. Premium
 * detection is finer: both human kinds (residence, business) are a human; a fax is a machine (no person to connect,
 * the attempt goes back to the cadence like a voicemail); silence is not_sure (nobody spoke, nothing was recognised).
 * A result Telnyx adds later, or none, is not_sure: the caller treats it as undecided rather than losing the event.
 */
const byTelnyxResult: Readonly<Record<string, AmdResult>> = {
  human: "human",
  human_residence: "human",
  human_business: "human",
  machine: "machine",
  fax_detected: "machine",
  not_sure: "not_sure",
  silence: "not_sure",
}

export const telnyxAmdResult = (result: string | undefined): AmdResult =>
  result !== undefined && Object.hasOwn(byTelnyxResult, result) ? (byTelnyxResult[result] ?? "not_sure") : "not_sure"
