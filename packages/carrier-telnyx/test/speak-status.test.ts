import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { telnyxSpeakStatus } from "../src/index.js"

describe("telnyxSpeakStatus", () => {
  it("keeps completed and call_hangup, and calls an AMD cancellation cancelled", () => {
    expect(telnyxSpeakStatus("completed")).toBe("completed")
    expect(telnyxSpeakStatus("call_hangup")).toBe("call_hangup")
    expect(telnyxSpeakStatus("cancelled_amd")).toBe("cancelled")
  })

  it.prop(
    "any other status, or none, is cancelled: never taken for a message heard to its end",
    { status: FastCheck.option(FastCheck.string(), { nil: undefined }) },
    ({ status }) => {
      if (status === "completed" || status === "call_hangup") return
      expect(telnyxSpeakStatus(status)).toBe("cancelled")
    },
  )
})
