import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, FastCheck, Runtime } from "effect"
import { decodeTelnyxEvent, verifyTelnyxWebhook, WebhookMalformed } from "../src/index.js"
import type { SignedWebhook } from "./fake-telnyx-api.js"
import { makeFakeTelnyxApi } from "./fake-telnyx-api.js"
import { telnyxMessageReceivedBody, telnyxWebhookBody } from "./telnyx-webhook-body.js"

const eventId = "bf6307bd-884d-4c1f-b6ea-c62b8c495d3c"
const messageId = "7ee4241c-f127-47e5-9c34-3aac291f8058"
const occurredAt = "2019-01-23T18:10:02.574Z"
const at = Date.UTC(2019, 0, 23, 18, 10, 2, 574)

const sms = telnyxMessageReceivedBody({
  id: eventId,
  messageId,
  occurredAt,
  from: "+14155552961",
  to: "+14155550199",
  text: "STOP",
})

/** The same body with its payload changed: fields set to undefined are left out of the JSON. */
const withPayload = (changes: Readonly<Record<string, unknown>>): unknown =>
  JSON.parse(JSON.stringify({ ...sms, data: { ...sms.data, payload: { ...sms.data.payload, ...changes } } }))

const message = (fields: { readonly from?: string; readonly to?: ReadonlyArray<string>; readonly text?: string }) =>
  Either.right({
    _tag: "Message",
    message: { messageId, from: "+14155552961", to: ["+14155550199"], text: "STOP", ...fields },
    telnyxEventId: eventId,
    occurredAt: at,
  })

describe("decodeTelnyxEvent: message.received", () => {
  it("reads an inbound SMS: Telnyx's message id, the sender, our number and the text", () => {
    expect(decodeTelnyxEvent(sms)).toEqual(message({}))
  })

  it("reads a group message's recipients, WhatsApp's single number, a picture without text, a short code", () => {
    const group = withPayload({ to: [{ phone_number: "+14155550199" }, { phone_number: "+14155550100" }] })
    expect(decodeTelnyxEvent(group)).toEqual(message({ to: ["+14155550199", "+14155550100"] }))
    expect(decodeTelnyxEvent(withPayload({ to: "+14155550199", type: "WHATSAPP" }))).toEqual(message({}))
    // An RCS recipient is an agent, not a number: it is left out.
    const rcs = withPayload({ to: [{ agent_id: "ringmaster", agent_name: "Ringmaster" }] })
    expect(decodeTelnyxEvent(rcs)).toEqual(message({ to: [] }))
    expect(decodeTelnyxEvent(withPayload({ text: undefined, type: "MMS" }))).toEqual(message({ text: "" }))
    expect(decodeTelnyxEvent(withPayload({ text: null }))).toEqual(message({ text: "" }))
    expect(decodeTelnyxEvent(withPayload({ from: { phone_number: "22395" } }))).toEqual(message({ from: "22395" }))
  })

  it("names the field and the value of a malformed body", () => {
    const cases: ReadonlyArray<readonly [unknown, string, string]> = [
      [withPayload({ id: undefined }), "data.payload.id", "undefined"],
      [withPayload({ from: undefined }), "data.payload.from", "undefined"],
      [withPayload({ from: { phone_number: "" } }), "data.payload.from.phone_number", ""],
      [withPayload({ text: 5 }), "data.payload.text", "5"],
      [withPayload({ direction: "outbound" }), "data.payload.direction", "outbound"],
      [{ data: { ...sms.data, occurred_at: "yesterday" } }, "data.occurred_at", "yesterday"],
      [{ data: { ...sms.data, payload: undefined } }, "data.payload", "undefined"],
    ]
    for (const [body, field, value] of cases) {
      const error = Either.getOrThrow(Either.flip(decodeTelnyxEvent(body)))
      expect(error).toBeInstanceOf(WebhookMalformed)
      expect([error.field, error.value]).toEqual([field, value])
      expect(error.message).toContain(field)
    }
    const noRecipient = Either.getOrThrow(Either.flip(decodeTelnyxEvent(withPayload({ to: undefined }))))
    expect(noRecipient.field).toBe("data.payload.to")
  })

  it("leaves the other messaging events to Unknown", () => {
    const finalized = telnyxWebhookBody({ eventType: "message.finalized", id: eventId, occurredAt, payload: {} })
    expect(decodeTelnyxEvent(finalized)).toEqual(
      Either.right({ _tag: "Unknown", eventType: "message.finalized", telnyxEventId: eventId }),
    )
  })

  it.prop(
    "reads back the sender, our number and the text of any SMS",
    {
      from: FastCheck.stringMatching(/^\+[1-9]\d{7,14}$/),
      to: FastCheck.stringMatching(/^\+[1-9]\d{7,14}$/),
      text: FastCheck.string({ maxLength: 160, unit: "grapheme" }),
      id: FastCheck.uuid(),
    },
    ({ from, to, text, id }) => {
      const body = telnyxMessageReceivedBody({ id, messageId: id, occurredAt, from, to, text })
      expect(decodeTelnyxEvent(JSON.parse(JSON.stringify(body)))).toEqual(
        Either.right({
          _tag: "Message",
          message: { messageId: id, from, to: [to], text },
          telnyxEventId: id,
          occurredAt: at,
        }),
      )
    },
  )
})

describe("the fake Telnyx API's textIn", () => {
  it.scoped("sends a signed message.received that verifies and reads back as the text", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeTelnyxApi({ apiKey: "KEY-text-in" })
      const received = yield* Deferred.make<SignedWebhook>()
      const runtime = yield* Effect.runtime<never>()
      yield* fake.onWebhook((webhook) =>
        Runtime.runPromise(runtime)(Deferred.succeed(received, webhook).pipe(Effect.asVoid)),
      )
      const { messageId: sent } = yield* fake.textIn({ from: "+14155552961", to: "+14155550199", text: "Stop." })
      const webhook = yield* Deferred.await(received)
      const json = yield* verifyTelnyxWebhook({ ...webhook, publicKey: fake.publicKey })
      const decoded = yield* decodeTelnyxEvent(json)
      expect(decoded).toMatchObject({
        _tag: "Message",
        message: { messageId: sent, from: "+14155552961", to: ["+14155550199"], text: "Stop." },
      })
    }),
  )
})
