import { describe, expect, it } from "@effect/vitest"
import { AmdResult } from "@ringmaster/protocol"
import { FastCheck, Schema } from "effect"
import { telnyxAmdResult } from "../src/index.js"

describe("telnyxAmdResult", () => {
  it("maps standard and premium detection results", () => {
    const table = {
      human: "human",
      machine: "machine",
      not_sure: "not_sure",
      human_residence: "human",
      human_business: "human",
      fax_detected: "machine",
      silence: "not_sure",
    } as const
    for (const [telnyx, ours] of Object.entries(table)) expect(telnyxAmdResult(telnyx)).toBe(ours)
  })

  it.prop(
    "a result it does not know, or none, is not_sure: undecided, never a guess",
    {
      result: FastCheck.option(
        FastCheck.string().filter(
          (text) => !/^(human|machine|not_sure|human_residence|human_business|fax_detected|silence)$/.test(text),
        ),
        { nil: undefined },
      ),
    },
    ({ result }) => {
      expect(telnyxAmdResult(result)).toBe("not_sure")
    },
  )

  it.prop("always a valid AMD result", { result: FastCheck.string() }, ({ result }) => {
    expect(Schema.is(AmdResult)(telnyxAmdResult(result))).toBe(true)
  })
})
