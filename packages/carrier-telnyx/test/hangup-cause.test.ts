import { describe, expect, it } from "@effect/vitest"
import { HangupCause } from "@ringmaster/protocol"
import { FastCheck, Schema } from "effect"
import { telnyxHangupCause } from "../src/index.js"

/** Every hangup_cause the telnyx SDK 7.24 declares for call.hangup, and what it means to us. */
const telnyxCauses = {
  call_rejected: "call_rejected",
  normal_clearing: "normal_clearing",
  originator_cancel: "originator_cancel",
  timeout: "no_answer",
  time_limit: "timeout",
  user_busy: "busy",
  not_found: "unallocated_number",
  no_answer: "no_answer",
  unspecified: "unspecified",
} as const
const sipCode = FastCheck.option(FastCheck.integer({ min: 100, max: 699 }).map(String), { nil: undefined })

describe("telnyxHangupCause", () => {
  it.prop(
    "a cause Telnyx names is mapped by its name alone, whatever the SIP code",
    {
      cause: FastCheck.constantFrom(...Object.keys(telnyxCauses).filter((cause) => cause !== "unspecified")),
      sip: sipCode,
    },
    ({ cause, sip }) => {
      expect(telnyxHangupCause(cause, sip)).toBe(telnyxCauses[cause as keyof typeof telnyxCauses])
    },
  )

  it("an unspecified, missing or unknown cause is told by the SIP response when that says more", () => {
    const bySip = {
      "404": "unallocated_number",
      "604": "unallocated_number",
      "486": "busy",
      "600": "busy",
      "480": "no_answer",
      "487": "originator_cancel",
      "603": "call_rejected",
    } as const
    for (const cause of ["unspecified", undefined, "something_new"]) {
      for (const [sip, expected] of Object.entries(bySip)) expect(telnyxHangupCause(cause, sip)).toBe(expected)
      expect(telnyxHangupCause(cause, "500")).toBe("unspecified")
      expect(telnyxHangupCause(cause)).toBe("unspecified")
    }
  })

  it.prop(
    "any text at all gives a valid cause, never `machine` (which only we decide)",
    {
      cause: FastCheck.option(FastCheck.string(), { nil: undefined }),
      sip: FastCheck.option(FastCheck.string(), { nil: undefined }),
    },
    ({ cause, sip }) => {
      const mapped = telnyxHangupCause(cause, sip)
      expect(Schema.is(HangupCause)(mapped)).toBe(true)
      expect(mapped).not.toBe("machine")
    },
  )

  it("does not read inherited object keys as causes", () => {
    expect(telnyxHangupCause("constructor", "toString")).toBe("unspecified")
  })
})
