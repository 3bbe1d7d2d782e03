import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { OutsideCallingHours, TimeZoneUnknown } from "../src/calling-hours.js"
import {
  decideDial,
  type DialBlockReason,
  dialBlockReasons,
  DialDecision,
  type DialFacts,
  type ListEntry,
} from "../src/dial-gate.js"
import { E164 } from "../src/phone.js"
import { StateRuleViolation } from "../src/state-rules.js"
import { epochArb } from "./arbitraries.js"
import { runs } from "./property-runs.js"

const phone = E164.make("+13055551234")
const addedAt = Date.UTC(2026, 10, 20, 15, 30)
const window = { startHour: 8, endHour: 21 }

const entryArb: fc.Arbitrary<ListEntry> = fc.record({
  addedAt: epochArb,
  reason: fc.option(fc.constantFrom("asked not to be called", "litigator", ""), { nil: null }),
})

const outside = new OutsideCallingHours({ zone: "America/New_York", localTime: "21:10", window, message: "too late" })
const unknownZone = new TimeZoneUnknown({ zones: [], message: "no zone" })
const stateHours = new StateRuleViolation({ state: "FL", kind: "hours", message: "Florida: after 20:00" })
const stateFrequency = new StateRuleViolation({ state: "FL", kind: "frequency", message: "Florida: 3 calls" })

const factsArb: fc.Arbitrary<DialFacts> = fc.record({
  phone: fc.constantFrom("+13055551234", "+14155552671", "+18005551234", "+442079460958").map((p) => E164.make(p)),
  dncNumber: fc.option(entryArb, { nil: null }),
  dncLead: fc.option(entryArb, { nil: null }),
  externalDnc: fc.constantFrom("listed" as const, "clear" as const, "unavailable" as const),
  blacklist: fc.option(entryArb, { nil: null }),
  callingHours: fc.constantFrom(Either.void, Either.left(outside), Either.left(unknownZone)),
  stateRule: fc.constantFrom(null, Either.void, Either.left(stateHours), Either.left(stateFrequency)),
})

/** Every reason that applies to the facts, in no particular order. */
const failing = (facts: DialFacts): Set<DialBlockReason> => {
  const reasons = new Set<DialBlockReason>()
  if (facts.dncNumber !== null) reasons.add("dnc-number")
  if (facts.dncLead !== null) reasons.add("dnc-lead")
  if (facts.externalDnc === "listed") reasons.add("dnc-external")
  if (facts.externalDnc === "unavailable") reasons.add("dnc-external-unavailable")
  if (facts.blacklist !== null) reasons.add("blacklisted")
  if (Either.isLeft(facts.callingHours)) {
    reasons.add(facts.callingHours.left._tag === "TimeZoneUnknown" ? "time-zone-unknown" : "outside-calling-hours")
  }
  if (facts.stateRule !== null && Either.isLeft(facts.stateRule)) {
    reasons.add(facts.stateRule.left.kind === "hours" ? "state-hours" : "state-frequency")
  }
  return reasons
}

const clear: DialFacts = {
  phone,
  dncNumber: null,
  dncLead: null,
  externalDnc: "clear",
  blacklist: null,
  callingHours: Either.void,
  stateRule: null,
}

describe("decideDial", () => {
  it.prop(
    "allows a dial exactly when every check passes",
    [factsArb],
    ([facts]) => {
      expect(decideDial(facts)._tag === "Allowed").toBe(failing(facts).size === 0)
    },
    runs(),
  )

  it.prop(
    "gives the first failing check in a fixed order, do-not-call first, and names the number",
    [factsArb],
    ([facts]) => {
      const decision = decideDial(facts)
      const expected = dialBlockReasons.find((reason) => failing(facts).has(reason))
      if (expected === undefined) {
        // (not returned: a property that returns the assertion object is read as failed)
        expect(decision._tag).toBe("Allowed")
        return
      }
      expect(decision).toMatchObject({ _tag: "Blocked", reason: expected })
      if (decision._tag === "Blocked") expect(decision.message.replaceAll(" ", "")).toContain(facts.phone)
    },
    runs(),
  )

  it.prop(
    "a decision survives the wire",
    [factsArb],
    ([facts]) => {
      const decision = decideDial(facts)
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(DialDecision)(decision)))
      expect(Schema.decodeUnknownSync(DialDecision)(json)).toEqual(decision)
    },
    runs(),
  )

  it("writes messages an agent can act on", () => {
    const entry = { addedAt, reason: "asked not to be called" }
    expect(decideDial({ ...clear, dncNumber: entry })).toEqual({
      _tag: "Blocked",
      reason: "dnc-number",
      message: "+1 305 555 1234 is on the do-not-call list (added 2026-11-20: asked not to be called)",
    })
    expect(decideDial({ ...clear, dncLead: { addedAt, reason: null } })).toEqual({
      _tag: "Blocked",
      reason: "dnc-lead",
      message: "the lead at +1 305 555 1234 is on the do-not-call list (added 2026-11-20)",
    })
    expect(decideDial({ ...clear, externalDnc: "listed" })).toEqual({
      _tag: "Blocked",
      reason: "dnc-external",
      message: "+1 305 555 1234 is on the external do-not-call registry",
    })
    expect(decideDial({ ...clear, blacklist: { addedAt, reason: "abusive caller" } })).toEqual({
      _tag: "Blocked",
      reason: "blacklisted",
      message: "+1 305 555 1234 is on the blacklist (added 2026-11-20: abusive caller)",
    })
    expect(decideDial({ ...clear, callingHours: Either.left(outside) })).toEqual({
      _tag: "Blocked",
      reason: "outside-calling-hours",
      message: "+1 305 555 1234 is outside calling hours: too late",
    })
    expect(decideDial({ ...clear, stateRule: Either.left(stateFrequency) })).toEqual({
      _tag: "Blocked",
      reason: "state-frequency",
      message: "+1 305 555 1234 is not dialled: Florida: 3 calls",
    })
    expect(decideDial({ ...clear, stateRule: Either.void })).toEqual({ _tag: "Allowed" })
  })

  it("fails closed when the external registry could not be asked", () => {
    const decision = decideDial({ ...clear, externalDnc: "unavailable" })
    expect(decision).toMatchObject({ _tag: "Blocked", reason: "dnc-external-unavailable" })
    expect(decision._tag === "Blocked" && decision.message).toContain("could not be checked")
  })
})
