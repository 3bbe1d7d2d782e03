import type { HangupCause } from "@ringmaster/protocol"

/**
 * Telnyx `hangup_cause` → our cause. `timeout` is Telnyx's word for the dial's `timeout_secs` running out while the
 * far end rang, which is our no_answer; `time_limit` (the call reached `time_limit_secs`) is our timeout.
 */
const byTelnyxCause: Readonly<Record<string, HangupCause>> = {
  normal_clearing: "normal_clearing",
  originator_cancel: "originator_cancel",
  no_answer: "no_answer",
  timeout: "no_answer",
  user_busy: "busy",
  not_found: "unallocated_number",
  call_rejected: "call_rejected",
  time_limit: "timeout",
}

/** SIP final responses that tell the cause when Telnyx's own cause is `unspecified`, missing or new to us. */
const bySipResponse: Readonly<Record<string, HangupCause>> = {
  "404": "unallocated_number",
  "410": "unallocated_number",
  "484": "unallocated_number",
  "604": "unallocated_number",
  "486": "busy",
  "600": "busy",
  "408": "no_answer",
  "480": "no_answer",
  "487": "originator_cancel",
  "603": "call_rejected",
}

const lookup = (table: Readonly<Record<string, HangupCause>>, key: string | undefined): HangupCause | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined

/** Why a Telnyx leg ended, from `call.hangup`'s `hangup_cause` and `sip_hangup_cause`; unknown → unspecified. */
export const telnyxHangupCause = (hangupCause: string | undefined, sipHangupCause?: string): HangupCause =>
  lookup(byTelnyxCause, hangupCause) ?? lookup(bySipResponse, sipHangupCause) ?? "unspecified"
