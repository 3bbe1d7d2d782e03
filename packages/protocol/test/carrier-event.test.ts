import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck, Schema } from "effect"
import { CarrierEvent } from "../src/carrier-event.js"

const decode = Schema.decodeUnknownEither(CarrierEvent)

const envelope = {
  eventId: "evt-1",
  callId: "call-1",
  carrierCallId: "v3:abc",
  direction: "outbound",
  at: 1_700_000_000_000,
}
const hangup = { ...envelope, _tag: "CallHangup", cause: "busy" }

const messageOf = (input: unknown) =>
  Either.match(decode(input), { onLeft: (error) => error.message, onRight: () => "decoded" })

describe("CarrierEvent", () => {
  // `at` is epoch milliseconds: JSON has no -0, NaN or Infinity to carry.
  const events = FastCheck.tuple(Arbitrary.make(CarrierEvent), FastCheck.nat()).map(([event, at]) => ({ ...event, at }))

  it.effect.prop("every event survives a JSON round trip", [events], ([event]) =>
    Effect.gen(function* () {
      const wire = JSON.stringify(yield* Schema.encode(CarrierEvent)(event))
      expect(yield* Schema.decodeUnknown(CarrierEvent)(JSON.parse(wire))).toEqual(event)
    }),
  )

  it("an event of an inbound call we have not named yet has a null callId", () => {
    const initiated = {
      ...envelope,
      _tag: "CallInitiated",
      callId: null,
      direction: "inbound",
      from: "+14155552671",
      to: "+14155550100",
    }
    expect(decode(initiated)).toEqual(Either.right(initiated))
  })

  it("an unknown hangup cause is refused, naming the value", () => {
    expect(messageOf({ ...hangup, cause: "user_busy" })).toContain("user_busy")
  })

  it("a phone number that is not E.164 is refused, naming the field and the value", () => {
    const message = messageOf({ ...envelope, _tag: "CallInitiated", from: "4155552671", to: "+14155550100" })
    expect(message).toContain("from")
    expect(message).toContain("4155552671")
  })

  it("an unknown end of a spoken message is refused, naming the value", () => {
    expect(messageOf({ ...envelope, _tag: "SpeakEnded", status: "cancelled_amd" })).toContain("cancelled_amd")
    expect(messageOf({ ...envelope, _tag: "SpeakEnded", status: "completed" })).toBe("decoded")
  })

  it("an unknown AMD result is refused, naming the value", () => {
    expect(messageOf({ ...envelope, _tag: "MachineDetectionEnded", result: "fax" })).toContain("fax")
  })
})
