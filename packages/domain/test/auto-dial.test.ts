import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  amdVerdict,
  backToCadence,
  AutoDialResult,
  blockedRetryAt,
  BLOCKED_RETRY_MS,
  unansweredResult,
} from "../src/auto-dial.js"
import { dialBlockReasons } from "../src/dial-gate.js"
import { runs } from "./property-runs.js"

const amdResultArb = fc.constantFrom("human" as const, "machine" as const, "not_sure" as const, null)
const answeredArb = fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null })
const notSureArb = fc.constantFrom("human" as const, "machine" as const)

describe("amdVerdict", () => {
  it.prop(
    "with detection on, the verdict is detection's, `not sure` as the campaign says, pending until it speaks",
    [answeredArb, amdResultArb, notSureArb],
    ([answeredAt, amdResult, notSureAs]) => {
      const verdict = amdVerdict({ answeredAt, amdResult }, { amdEnabled: true, notSureAs })
      const expected = amdResult === null ? "pending" : amdResult === "not_sure" ? notSureAs : amdResult
      expect(verdict).toBe(expected)
    },
    runs(),
  )

  it.prop(
    "with detection off, any answered call is a person, and nothing is known before the answer",
    [answeredArb, notSureArb],
    ([answeredAt, notSureAs]) => {
      const verdict = amdVerdict({ answeredAt, amdResult: null }, { amdEnabled: false, notSureAs })
      expect(verdict).toBe(answeredAt === null ? "pending" : "human")
    },
    runs(),
  )
})

describe("unansweredResult", () => {
  it("reads busy, no answer and everything else as a failure", () => {
    expect(unansweredResult("busy")).toBe("busy")
    expect(unansweredResult("no_answer")).toBe("no-answer")
    expect(unansweredResult("timeout")).toBe("no-answer")
    expect(unansweredResult("unallocated_number")).toBe("failed")
    expect(unansweredResult(null)).toBe("failed")
  })
})

describe("backToCadence", () => {
  it.prop(
    "every result that reached no agent and was dialled is an attempt back to the cadence",
    [fc.constantFrom(...AutoDialResult.literals)],
    ([result]) => {
      expect(backToCadence(result)).toBe(result !== "connected" && result !== "blocked")
    },
    runs(50),
  )
})

describe("blockedRetryAt", () => {
  it.prop(
    "a refusal time can lift is retried later; a number that must not be called is never retried by itself",
    [fc.constantFrom(...dialBlockReasons), fc.integer({ min: 0, max: 1e12 })],
    ([reason, now]) => {
      const at = blockedRetryAt(reason, now)
      const never =
        reason === "dnc-number" ||
        reason === "dnc-lead" ||
        reason === "dnc-external" ||
        reason === "blacklisted" ||
        reason === "time-zone-unknown"
      expect(at).toBe(never ? null : now + BLOCKED_RETRY_MS)
    },
    runs(),
  )
})
