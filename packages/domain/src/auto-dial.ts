import { Schema } from "effect"
import type { CallFacts } from "./call-state.js"
import type { DialBlockReason } from "./dial-gate.js"

/** Answering-machine detection asked for on a dial (Telnyx `answering_machine_detection`). */
export const AmdMode = Schema.Literal("disabled", "detect", "detect_beep")
export type AmdMode = typeof AmdMode.Type

/** How an automatic dial ended, as the dialer acts on it. */
export const AutoDialResult = Schema.Literal(
  "connected",
  "abandoned",
  "machine",
  "no-answer",
  "busy",
  "failed",
  "blocked",
)
export type AutoDialResult = typeof AutoDialResult.Type

/** What answering-machine detection said, as the dialer treats it; `pending` until it can tell. */
export type AmdVerdict = "pending" | "human" | "machine"

/**
 * Whether an answered automatic dial reached a person. "not sure" counts as a person unless the campaign says
 * otherwise (a person hearing silence is worse than a machine getting an agent). An answered call with AMD off is
 * a person.
 */
export const amdVerdict = (
  facts: Pick<CallFacts, "answeredAt" | "amdResult">,
  options: { readonly amdEnabled: boolean; readonly notSureAs: "human" | "machine" },
): AmdVerdict => {
  if (facts.answeredAt === null && facts.amdResult === null) return "pending"
  if (!options.amdEnabled) return facts.answeredAt === null ? "pending" : "human"
  switch (facts.amdResult) {
    case null:
      return "pending"
    case "human":
      return "human"
    case "machine":
      return "machine"
    case "not_sure":
      return options.notSureAs
  }
}

/** The result of an automatic dial that ended before anyone was connected, from its hangup cause. */
export const unansweredResult = (
  hangupCause: string | null,
): Extract<AutoDialResult, "no-answer" | "busy" | "failed"> =>
  hangupCause === "busy"
    ? "busy"
    : hangupCause === "no_answer" || hangupCause === "timeout" || hangupCause === "originator_cancel"
      ? "no-answer"
      : "failed"

/** Results that count as an attempt on the lead and send it back to its cadence (status unchanged). */
export const backToCadence = (result: AutoDialResult): boolean => result !== "connected" && result !== "blocked"

/** How long a lead the compliance gate refused waits before the dialer tries it again. */
export const BLOCKED_RETRY_MS = 30 * 60_000

/**
 * When an automatic dial refused by the compliance gate may be tried again: later for a refusal that time can
 * lift (calling hours, a state's limits, the external registry not answering), never for a number that must not be
 * called (on a list, ours or the external registry) or whose time zone nobody knows — those wait for a person.
 */
export const blockedRetryAt = (reason: DialBlockReason, now: number): number | null => {
  switch (reason) {
    case "outside-calling-hours":
    case "state-hours":
    case "state-frequency":
    case "dnc-external-unavailable":
      return now + BLOCKED_RETRY_MS
    case "dnc-external":
    case "dnc-number":
    case "dnc-lead":
    case "blacklisted":
    case "time-zone-unknown":
      return null
  }
}
