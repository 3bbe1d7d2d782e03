import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { packPayloads } from "../src/agent-push-postgres.js"

const itemArb = fc.string({ maxLength: 120 }).map((text) => JSON.stringify({ channel: "agent", text }))

describe("packPayloads", () => {
  it.prop(
    "packs items into JSON arrays within the size limit, keeping every item once and in order",
    [fc.array(itemArb, { maxLength: 300 }), fc.integer({ min: 300, max: 8_000 })],
    ([items, maxBytes]) => {
      const payloads = packPayloads(items, maxBytes)
      for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxBytes)
      const unpacked = payloads.flatMap((p) => (JSON.parse(p) as Array<unknown>).map((x) => JSON.stringify(x)))
      expect(unpacked).toEqual(items)
      if (items.length === 0) expect(payloads).toEqual([])
    },
  )

  it("sends a burst of small messages in one payload", () => {
    const items = Array.from({ length: 50 }, (_, i) => JSON.stringify({ channel: `agent-${i}`, n: i }))
    expect(packPayloads(items, 7_500)).toHaveLength(1)
  })
})
