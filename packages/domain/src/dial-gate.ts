import { Either, Schema } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import type { CallingHoursRefusal } from "./calling-hours.js"
import type { E164 } from "./phone.js"
import type { StateRuleViolation } from "./state-rules.js"

/** Why a dial was not placed, in the order the gate checks them (the first that applies is reported). */
export const dialBlockReasons = [
  "dnc-number",
  "dnc-lead",
  "dnc-external",
  "dnc-external-unavailable",
  "blacklisted",
  "time-zone-unknown",
  "outside-calling-hours",
  "state-hours",
  "state-frequency",
] as const

export const DialBlockReason = Schema.Literal(...dialBlockReasons)
export type DialBlockReason = typeof DialBlockReason.Type

export const DialAllowed = Schema.TaggedStruct("Allowed", {})
export const DialBlocked = Schema.TaggedStruct("Blocked", { reason: DialBlockReason, message: Schema.String })
export const DialDecision = Schema.Union(DialAllowed, DialBlocked)
export type DialDecision = typeof DialDecision.Type

/** An entry of an internal list (do-not-call or blacklist) that matched the dial. */
export interface ListEntry {
  /** When it was added (epoch ms). */
  readonly addedAt: number
  readonly reason: string | null
}

/**
 * What the external do-not-call service said: "unavailable" (no answer, an error, a timeout) blocks the dial like
 * "listed", since a number that could not be checked may be one that must not be called (fail closed).
 */
export type ExternalDncAnswer = "listed" | "clear" | "unavailable"

/** Everything the gate knows about one dial. */
export interface DialFacts {
  readonly phone: E164
  /** A do-not-call entry for this number (whoever it was added for), or null. */
  readonly dncNumber: ListEntry | null
  /** A do-not-call entry for this lead (at any of its numbers), or null. */
  readonly dncLead: ListEntry | null
  readonly externalDnc: ExternalDncAnswer
  readonly blacklist: ListEntry | null
  readonly callingHours: Either.Either<void, CallingHoursRefusal>
  /** The check of the tenant's rule for the number's state; null when the tenant has no rule for that state. */
  readonly stateRule: Either.Either<void, StateRuleViolation> | null
}

/** "+1 305 555 1234"; the E.164 text itself when the number has no known format. */
export const formatPhoneForPeople = (phone: E164): string =>
  parsePhoneNumberFromString(phone)?.formatInternational() ?? phone

const listed = (what: string, entry: ListEntry): string => {
  const date = new Date(entry.addedAt).toISOString().slice(0, 10)
  const reason = entry.reason === null || entry.reason.trim() === "" ? "" : `: ${entry.reason.trim()}`
  return `${what} (added ${date}${reason})`
}

const blocked = (reason: DialBlockReason, message: string): DialDecision => ({ _tag: "Blocked", reason, message })

/**
 * Decides one dial from its facts. Do-not-call comes first (internal by number, internal by lead, external), then the
 * blacklist, then the calling hours, then the state's rule; the first that forbids the dial is the reason given,
 * with a message an agent can read as it is.
 */
export const decideDial = (facts: DialFacts): DialDecision => {
  const number = formatPhoneForPeople(facts.phone)
  if (facts.dncNumber !== null) {
    return blocked("dnc-number", listed(`${number} is on the do-not-call list`, facts.dncNumber))
  }
  if (facts.dncLead !== null) {
    return blocked("dnc-lead", listed(`the lead at ${number} is on the do-not-call list`, facts.dncLead))
  }
  if (facts.externalDnc === "listed") {
    return blocked("dnc-external", `${number} is on the external do-not-call registry`)
  }
  if (facts.externalDnc === "unavailable") {
    return blocked(
      "dnc-external-unavailable",
      `${number} could not be checked against the external do-not-call registry, so it is not dialled`,
    )
  }
  if (facts.blacklist !== null) {
    return blocked("blacklisted", listed(`${number} is on the blacklist`, facts.blacklist))
  }
  if (Either.isLeft(facts.callingHours)) {
    const refusal = facts.callingHours.left
    return refusal._tag === "TimeZoneUnknown"
      ? blocked("time-zone-unknown", `${number} is not dialled: ${refusal.message}`)
      : blocked("outside-calling-hours", `${number} is outside calling hours: ${refusal.message}`)
  }
  if (facts.stateRule !== null && Either.isLeft(facts.stateRule)) {
    const violation = facts.stateRule.left
    return blocked(
      violation.kind === "hours" ? "state-hours" : "state-frequency",
      `${number} is not dialled: ${violation.message}`,
    )
  }
  return { _tag: "Allowed" }
}
