import { describe, expect, it } from "@effect/vitest"
import { CallId } from "@ringmaster/domain"
import type { CallDirection } from "@ringmaster/protocol"
import { FastCheck, Option } from "effect"
import { decodeClientState, encodeClientState } from "../src/index.js"

const callId = FastCheck.string({ minLength: 1, maxLength: 64, unit: "grapheme" })
  .filter((text) => text.length <= 64)
  .map((text) => CallId.make(text))
const markedCallId = FastCheck.tuple(
  FastCheck.constantFrom("inbound:", "outbound:"),
  FastCheck.string({ maxLength: 40 }),
).map(([marker, rest]) => CallId.make(`${marker}${rest}`))
const direction = FastCheck.constantFrom<CallDirection>("outbound", "inbound")
const fromBase64 = (text: string) => Buffer.from(text, "base64").toString("utf8")

describe("client state", () => {
  it.prop(
    "every call id and direction comes back from the client_state written for it",
    { callId: FastCheck.oneof(callId, markedCallId), direction },
    ({ callId, direction }) => {
      expect(decodeClientState(encodeClientState({ callId, direction }))).toEqual(Option.some({ callId, direction }))
    },
    { fastCheck: { numRuns: 500 } },
  )

  it.prop(
    "an outbound dial's client_state is the base64 of the plain call id",
    { callId: callId.filter((id) => !id.startsWith("inbound:") && !id.startsWith("outbound:")) },
    ({ callId }) => {
      expect(fromBase64(encodeClientState({ callId, direction: "outbound" }))).toBe(callId)
    },
  )

  it.prop("an inbound call's client_state marks it inbound", { callId }, ({ callId }) => {
    expect(fromBase64(encodeClientState({ callId, direction: "inbound" }))).toBe(`inbound:${callId}`)
  })

  it("a client_state that is absent, not base64, not UTF-8 or not a call id is not ours", () => {
    const notOurs = [
      undefined,
      "",
      "not base64!",
      "Y2FsbC00Mg", // unpadded
      Buffer.from([0xff, 0xfe, 0xfd]).toString("base64"),
      Buffer.from("x".repeat(65)).toString("base64"),
      Buffer.from("inbound:").toString("base64"),
    ]
    for (const clientState of notOurs) expect(decodeClientState(clientState)).toEqual(Option.none())
  })
})
