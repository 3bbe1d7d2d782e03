import { createHash } from "node:crypto"

/** The Call Control actions we send with a command id. `cancel` is a hangup too, but its own command. */
export type TelnyxAction = "answer" | "bridge" | "transfer" | "hangup" | "cancel"

/**
 * The `command_id` of an action: the same for the same action on the same leg (and the same other party), so a
 * repeat within Telnyx's 60 s window is ignored instead of applied twice. UUID-shaped text from a SHA-256 of the
 * parts, so it has one short length however long the call control ids are.
 */
export const commandIdFor = (action: TelnyxAction, carrierCallId: string, other?: string): string => {
  const hex = createHash("sha256")
    .update(JSON.stringify(other === undefined ? [action, carrierCallId] : [action, carrierCallId, other]))
    .digest("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
