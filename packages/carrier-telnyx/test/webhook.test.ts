import { describe, expect, it } from "@effect/vitest"
import { CallId, E164 } from "@ringmaster/domain"
import type { AmdResult, CallDirection, CarrierEvent, HangupCause, SpeakEndStatus } from "@ringmaster/protocol"
import { Effect, Either, FastCheck } from "effect"
import { generateKeyPairSync } from "node:crypto"
import Telnyx from "telnyx"
import { decodeTelnyxEvent, verifyTelnyxWebhook, WebhookMalformed, WebhookRejected } from "../src/index.js"
import { publicKeyBase64, signLikeTelnyx } from "./fake-telnyx-api.js"
import { encodeLikeTelnyx, telnyxWebhookBody } from "./telnyx-webhook-body.js"

const telnyxKeys = generateKeyPairSync("ed25519")
const otherKeys = generateKeyPairSync("ed25519")
const publicKey = publicKeyBase64(telnyxKeys.publicKey)
const nowSecs = () => Math.floor(Date.now() / 1000)

const hangupBody = JSON.stringify(
  telnyxWebhookBody({
    eventType: "call.hangup",
    id: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
    occurredAt: "2018-02-02T22:25:27.521992Z",
    payload: {
      call_control_id: "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
      hangup_cause: "user_busy",
    },
  }),
)

const rejectionOf = (result: Either.Either<unknown, WebhookRejected>) =>
  Either.match(result, { onLeft: (rejected) => rejected.reason, onRight: () => "accepted" })

describe("verifyTelnyxWebhook", () => {
  it("accepts a body signed by the account's key and returns its JSON", () => {
    const webhook = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
    const result = verifyTelnyxWebhook({ ...webhook, publicKey })
    expect(result).toEqual(Either.right(JSON.parse(hangupBody)))
  })

  it("checks the raw bytes when the body comes as a Uint8Array, and header names in any case", () => {
    const { rawBody, headers } = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
    const shouted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]))
    const result = verifyTelnyxWebhook({ rawBody: new TextEncoder().encode(rawBody), headers: shouted, publicKey })
    expect(Either.isRight(result)).toBe(true)
  })

  it("refuses a webhook without its signature or timestamp header: missing-signature", () => {
    const { rawBody, headers } = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
    for (const missing of ["telnyx-signature-ed25519", "telnyx-timestamp"]) {
      const rest = { ...headers, [missing]: undefined }
      const result = verifyTelnyxWebhook({ rawBody, headers: rest, publicKey })
      expect(rejectionOf(result)).toBe("missing-signature")
      expect(Either.isLeft(result) && result.left.message).toContain(missing)
    }
    expect(rejectionOf(verifyTelnyxWebhook({ rawBody, headers: {}, publicKey }))).toBe("missing-signature")
  })

  it("refuses a body signed with another key, or a signature that is not one: bad-signature", () => {
    const forged = signLikeTelnyx(hangupBody, otherKeys.privateKey, nowSecs())
    expect(rejectionOf(verifyTelnyxWebhook({ ...forged, publicKey }))).toBe("bad-signature")
    const garbage = { ...forged.headers, "telnyx-signature-ed25519": "not base64!" }
    expect(rejectionOf(verifyTelnyxWebhook({ rawBody: hangupBody, headers: garbage, publicKey }))).toBe("bad-signature")
  })

  it.prop(
    "refuses a body altered in any one byte: bad-signature",
    { at: FastCheck.nat(), replacement: FastCheck.integer({ min: 0x20, max: 0x7e }) },
    ({ at, replacement }) => {
      const signed = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
      const bytes = new TextEncoder().encode(signed.rawBody)
      const index = at % bytes.length
      FastCheck.pre(bytes[index] !== replacement)
      bytes[index] = replacement
      expect(rejectionOf(verifyTelnyxWebhook({ rawBody: bytes, headers: signed.headers, publicKey }))).toBe(
        "bad-signature",
      )
    },
  )

  it.prop(
    "refuses a timestamp more than 300 s from now, either way: stale",
    { ageSecs: FastCheck.integer({ min: 301, max: 10_000_000 }), future: FastCheck.boolean() },
    ({ ageSecs, future }) => {
      const now = new Date("2026-03-01T12:00:00Z")
      const signedAt = now.getTime() / 1000 + (future ? ageSecs : -ageSecs)
      const webhook = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, signedAt)
      const result = verifyTelnyxWebhook({ ...webhook, publicKey, now })
      expect(rejectionOf(result)).toBe("stale")
      expect(Either.isLeft(result) && result.left.message).toContain(String(signedAt))
    },
  )

  it.prop(
    "accepts a well-signed webhook up to 300 s either side of now",
    { skewSecs: FastCheck.integer({ min: -300, max: 300 }) },
    ({ skewSecs }) => {
      const now = new Date("2026-03-01T12:00:00Z")
      const webhook = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, now.getTime() / 1000 + skewSecs)
      expect(rejectionOf(verifyTelnyxWebhook({ ...webhook, publicKey, now }))).toBe("accepted")
    },
  )

  it("judges the timestamp by the system clock when no `now` is given", () => {
    const old = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs() - 301)
    expect(rejectionOf(verifyTelnyxWebhook({ ...old, publicKey }))).toBe("stale")
  })

  it("refuses a timestamp that is not Unix seconds, and a well-signed body that is not JSON: malformed", () => {
    const signed = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
    const badTime = { ...signed.headers, "telnyx-timestamp": "2026-03-01T12:00:00Z" }
    expect(rejectionOf(verifyTelnyxWebhook({ rawBody: hangupBody, headers: badTime, publicKey }))).toBe("malformed")
    const notJson = signLikeTelnyx("{ call.hangup", telnyxKeys.privateKey, nowSecs())
    expect(rejectionOf(verifyTelnyxWebhook({ ...notJson, publicKey }))).toBe("malformed")
  })

  it("throws on a public key that is not a base64 Ed25519 key: a configuration fault, not a bad webhook", () => {
    const signed = signLikeTelnyx(hangupBody, telnyxKeys.privateKey, nowSecs())
    expect(() => verifyTelnyxWebhook({ ...signed, publicKey: "not-a-key" })).toThrow(/publicKey: "not-a-key"/)
  })

  it.effect.prop(
    "gives the same verdict as the telnyx SDK's own webhooks.unwrap",
    {
      signer: FastCheck.constantFrom("account", "other"),
      alterAt: FastCheck.option(FastCheck.nat(), { nil: undefined }),
      skewSecs: FastCheck.oneof(
        FastCheck.integer({ min: -290, max: 290 }),
        FastCheck.integer({ min: 310, max: 5_000 }),
      ),
    },
    ({ signer, alterAt, skewSecs }) =>
      Effect.gen(function* () {
        const key = signer === "account" ? telnyxKeys.privateKey : otherKeys.privateKey
        const signed = signLikeTelnyx(hangupBody, key, nowSecs() - skewSecs)
        const rawBody =
          alterAt === undefined
            ? signed.rawBody
            : `${signed.rawBody.slice(0, alterAt % signed.rawBody.length)}#${signed.rawBody.slice((alterAt % signed.rawBody.length) + 1)}`
        const ours = Either.isRight(verifyTelnyxWebhook({ rawBody, headers: signed.headers, publicKey }))
        const sdk = new Telnyx({
          apiKey: "unused",
          publicKey: null,
          clientID: null,
          clientSecret: null,
          logLevel: "off",
        })
        const theirs = yield* Effect.promise(() =>
          sdk.webhooks.unwrap(rawBody, { headers: { ...signed.headers }, key: publicKey }).then(
            () => true,
            () => false,
          ),
        )
        expect(ours).toBe(theirs)
      }),
    { fastCheck: { numRuns: 60 } },
  )
})

const clientState = (text: string) => Buffer.from(text, "utf8").toString("base64")
const legFields = {
  connection_id: "1684641123236054244",
  call_leg_id: "428c31b6-7af4-4bcb-b7f5-5013ef9657c1",
  call_session_id: "428c31b6-abf3-3bc1-b7f4-5013ef9657c1",
}
const outboundLeg = {
  ...legFields,
  call_control_id: "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
  client_state: clientState("call-42"),
  from: "+14155550100",
  to: "+12125551234",
}
const inboundLeg = {
  ...legFields,
  call_control_id: "v3:inbound-Qm9EAYz3kVpNq8u1wbQ9JbF3x3h8G5bZb6m6d3cZK4Q",
  from: "+12125559876",
  to: "+14155550100",
}
const occurredAt = "2018-02-02T22:25:27.521992Z"
const at = Date.parse(occurredAt)

const webhook = (
  eventType: string,
  payload: Readonly<Record<string, unknown>>,
  id = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
) => telnyxWebhookBody({ eventType, id, occurredAt, payload })

const outbound = {
  eventId: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
  callId: CallId.make("call-42"),
  carrierCallId: outboundLeg.call_control_id,
  direction: "outbound",
  at,
} as const
const inbound = { ...outbound, callId: null, carrierCallId: inboundLeg.call_control_id, direction: "inbound" } as const

const hangup = (hangup_cause: string | undefined, sip_hangup_cause?: string) =>
  webhook("call.hangup", {
    ...outboundLeg,
    ...(hangup_cause === undefined ? {} : { hangup_cause }),
    ...(sip_hangup_cause === undefined ? {} : { sip_hangup_cause }),
    hangup_source: "callee",
    state: "hangup",
  })

const decodingTable: ReadonlyArray<readonly [string, unknown, CarrierEvent]> = [
  [
    "an outbound call.initiated",
    webhook("call.initiated", { ...outboundLeg, direction: "outgoing", state: "bridging" }),
    { _tag: "CallInitiated", ...outbound, from: E164.make("+14155550100"), to: E164.make("+12125551234") },
  ],
  [
    "an inbound call.initiated, before we named it",
    webhook("call.initiated", { ...inboundLeg, direction: "incoming", state: "parked", caller_id_name: "Alice" }),
    { _tag: "CallInitiated", ...inbound, from: E164.make("+12125559876"), to: E164.make("+14155550100") },
  ],
  [
    "call.answered",
    webhook("call.answered", { ...outboundLeg, state: "answered" }),
    { _tag: "CallAnswered", ...outbound },
  ],
  [
    "call.answered on an inbound call we answered as call-7",
    webhook("call.answered", { ...inboundLeg, client_state: clientState("inbound:call-7"), state: "answered" }),
    { _tag: "CallAnswered", ...inbound, callId: CallId.make("call-7") },
  ],
  [
    "call.machine.detection.ended: machine",
    webhook("call.machine.detection.ended", { ...outboundLeg, result: "machine" }),
    { _tag: "MachineDetectionEnded", ...outbound, result: "machine" },
  ],
  [
    "call.machine.detection.ended: not_sure",
    webhook("call.machine.detection.ended", { ...outboundLeg, result: "not_sure" }),
    { _tag: "MachineDetectionEnded", ...outbound, result: "not_sure" },
  ],
  [
    "call.machine.premium.detection.ended: human_business",
    webhook("call.machine.premium.detection.ended", { ...outboundLeg, result: "human_business" }),
    { _tag: "MachineDetectionEnded", ...outbound, result: "human" },
  ],
  [
    "call.machine.premium.detection.ended: fax_detected",
    webhook("call.machine.premium.detection.ended", { ...outboundLeg, result: "fax_detected" }),
    { _tag: "MachineDetectionEnded", ...outbound, result: "machine" },
  ],
  [
    "call.machine.premium.detection.ended: silence",
    webhook("call.machine.premium.detection.ended", { ...outboundLeg, result: "silence" }),
    { _tag: "MachineDetectionEnded", ...outbound, result: "not_sure" },
  ],
  [
    "call.machine.greeting.ended: beep_detected",
    webhook("call.machine.greeting.ended", { ...outboundLeg, result: "beep_detected" }),
    { _tag: "MachineGreetingEnded", ...outbound },
  ],
  [
    "call.machine.premium.greeting.ended: no_beep_detected",
    webhook("call.machine.premium.greeting.ended", { ...outboundLeg, result: "no_beep_detected" }),
    { _tag: "MachineGreetingEnded", ...outbound },
  ],
  [
    "call.bridged",
    webhook("call.bridged", { ...outboundLeg, state: "bridged" }),
    { _tag: "CallBridged", ...outbound, otherCarrierCallId: "" },
  ],
  [
    "call.speak.ended: completed",
    webhook("call.speak.ended", { ...outboundLeg, status: "completed" }),
    { _tag: "SpeakEnded", ...outbound, status: "completed" },
  ],
  [
    "call.speak.ended of an inbound call we answered, cut short by its hangup",
    webhook("call.speak.ended", { ...inboundLeg, client_state: clientState("inbound:call-7"), status: "call_hangup" }),
    { _tag: "SpeakEnded", ...inbound, callId: CallId.make("call-7"), status: "call_hangup" },
  ],
  [
    "call.speak.ended: stopped by AMD",
    webhook("call.speak.ended", { ...outboundLeg, status: "cancelled_amd" }),
    { _tag: "SpeakEnded", ...outbound, status: "cancelled" },
  ],
  [
    "call.hangup: normal_clearing",
    hangup("normal_clearing"),
    { _tag: "CallHangup", ...outbound, cause: "normal_clearing" },
  ],
  ["call.hangup: user_busy", hangup("user_busy", "486"), { _tag: "CallHangup", ...outbound, cause: "busy" }],
  [
    "call.hangup: call_rejected 603",
    hangup("call_rejected", "603"),
    { _tag: "CallHangup", ...outbound, cause: "call_rejected" },
  ],
  [
    "call.hangup: the ring timeout ran out",
    hangup("timeout", "487"),
    { _tag: "CallHangup", ...outbound, cause: "no_answer" },
  ],
  [
    "call.hangup: originator_cancel",
    hangup("originator_cancel"),
    { _tag: "CallHangup", ...outbound, cause: "originator_cancel" },
  ],
  [
    "call.hangup: not_found",
    hangup("not_found", "404"),
    { _tag: "CallHangup", ...outbound, cause: "unallocated_number" },
  ],
  [
    "call.hangup: unspecified, told by SIP 404",
    hangup("unspecified", "404"),
    { _tag: "CallHangup", ...outbound, cause: "unallocated_number" },
  ],
  [
    "call.hangup: a cause new to us",
    hangup("network_meltdown"),
    { _tag: "CallHangup", ...outbound, cause: "unspecified" },
  ],
  ["call.hangup: no cause at all", hangup(undefined), { _tag: "CallHangup", ...outbound, cause: "unspecified" }],
  [
    "call.hangup of an inbound call nobody answered",
    webhook("call.hangup", { ...inboundLeg, hangup_cause: "originator_cancel", state: "hangup" }),
    { _tag: "CallHangup", ...inbound, cause: "originator_cancel" },
  ],
]

describe("decodeTelnyxEvent", () => {
  it.each(decodingTable)("reads %s", (_, body, event) => {
    expect(decodeTelnyxEvent(body)).toEqual(
      Either.right({ _tag: "Known", event, telnyxEventId: "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", occurredAt: at }),
    )
  })

  it("calls a client_state we did not write a leg without our callId", () => {
    const theirs = webhook("call.answered", { ...inboundLeg, client_state: "not base64 at all!" })
    const decoded = decodeTelnyxEvent(theirs)
    expect(Either.isRight(decoded) && decoded.right._tag === "Known" && decoded.right.event.callId).toBe(null)
  })

  it("gives event types it does not act on back as Unknown", () => {
    for (const eventType of ["call.speak.started", "call.recording.saved", "message.finalized"]) {
      expect(decodeTelnyxEvent(webhook(eventType, { anything: true }, "evt-9"))).toEqual(
        Either.right({ _tag: "Unknown", eventType, telnyxEventId: "evt-9" }),
      )
    }
  })

  const malformed = (body: unknown) =>
    Either.match(decodeTelnyxEvent(body), {
      onLeft: (error) => error,
      onRight: (decoded) => {
        throw new Error(`decoded ${JSON.stringify(decoded)}`)
      },
    })

  it("names the field and the value of a malformed body", () => {
    const answered = webhook("call.answered", outboundLeg)
    const cases: ReadonlyArray<readonly [unknown, string, string]> = [
      [{ data: { ...answered.data, event_type: undefined } }, "data.event_type", "undefined"],
      [{ data: { ...answered.data, id: "" } }, "data.id", ""],
      [{ data: { ...answered.data, occurred_at: "yesterday" } }, "data.occurred_at", "yesterday"],
      [{ data: { ...answered.data, occurred_at: "2018-13-45T99:99:99Z" } }, "data.occurred_at", "2018-13-45T99:99:99Z"],
      [{ data: { ...answered.data, occurred_at: 1517610327521 } }, "data.occurred_at", "1517610327521"],
      [
        webhook("call.hangup", { ...outboundLeg, call_control_id: undefined }),
        "data.payload.call_control_id",
        "undefined",
      ],
      [
        webhook("call.initiated", { ...outboundLeg, from: "sip:alice@example.com" }),
        "data.payload.from",
        "sip:alice@example.com",
      ],
      [webhook("call.initiated", { ...outboundLeg, direction: "sideways" }), "data.payload.direction", "sideways"],
      [{ meta: {} }, "data", "undefined"],
      ["call.hangup", "body", "call.hangup"],
    ]
    for (const [body, field, value] of cases) {
      const error = malformed(body)
      expect(error).toBeInstanceOf(WebhookMalformed)
      expect([error.field, error.value]).toEqual([field, value])
      expect(error.message).toContain(field)
    }
  })

  it.prop("never throws, whatever JSON it is given", { json: FastCheck.jsonValue() }, ({ json }) => {
    expect(() => decodeTelnyxEvent(json)).not.toThrow()
  })

  const carrierCallId = FastCheck.stringMatching(/^v3:[A-Za-z0-9_-]{1,60}$/)
  const callId = FastCheck.stringMatching(/^[A-Za-z0-9:_-]{1,64}$/).map((id) => CallId.make(id))
  const phone = FastCheck.stringMatching(/^\+[1-9]\d{7,14}$/).map((n) => E164.make(n))
  const envelope = FastCheck.record({
    eventId: FastCheck.uuid(),
    carrierCallId,
    direction: FastCheck.constantFrom<CallDirection>("outbound", "inbound"),
    callId: FastCheck.option(callId, { nil: null }),
    // Whole milliseconds between 2000 and 2100: what an ISO 8601 occurred_at can say.
    at: FastCheck.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
  })
  const causes: ReadonlyArray<HangupCause> = [
    "normal_clearing",
    "no_answer",
    "busy",
    "unallocated_number",
    "originator_cancel",
    "timeout",
    "call_rejected",
    "unspecified",
  ]
  /** Every normalized event Telnyx can say: no CallRinging, no `machine` cause; outbound legs carry our callId. */
  const telnyxSayable: FastCheck.Arbitrary<CarrierEvent> = FastCheck.tuple(
    envelope,
    FastCheck.oneof(
      FastCheck.record({ _tag: FastCheck.constant("CallInitiated" as const), from: phone, to: phone }),
      FastCheck.record({ _tag: FastCheck.constant("CallAnswered" as const) }),
      FastCheck.record({
        _tag: FastCheck.constant("MachineDetectionEnded" as const),
        result: FastCheck.constantFrom<AmdResult>("human", "machine", "not_sure"),
      }),
      FastCheck.record({ _tag: FastCheck.constant("MachineGreetingEnded" as const) }),
      FastCheck.record({
        _tag: FastCheck.constant("CallBridged" as const),
        otherCarrierCallId: FastCheck.constant(""),
      }),
      FastCheck.record({
        _tag: FastCheck.constant("SpeakEnded" as const),
        status: FastCheck.constantFrom<SpeakEndStatus>("completed", "call_hangup", "cancelled"),
      }),
      FastCheck.record({ _tag: FastCheck.constant("CallHangup" as const), cause: FastCheck.constantFrom(...causes) }),
    ),
  )
    .map(([fields, body]): CarrierEvent => ({ ...fields, ...body }))
    .filter((event) => event._tag === "CallInitiated" || event.direction === "inbound" || event.callId !== null)

  it.prop(
    "reads back every normalized event from the webhook Telnyx would send for it",
    { event: telnyxSayable },
    ({ event }) => {
      expect(decodeTelnyxEvent(encodeLikeTelnyx(event))).toEqual(
        Either.right({ _tag: "Known", event, telnyxEventId: event.eventId, occurredAt: event.at }),
      )
    },
    { fastCheck: { numRuns: 300 } },
  )

  it.prop(
    "reads a verified webhook end to end: sign, verify the raw body, decode",
    { event: telnyxSayable },
    ({ event }) => {
      const signed = signLikeTelnyx(JSON.stringify(encodeLikeTelnyx(event)), telnyxKeys.privateKey, nowSecs())
      const decoded = Either.flatMap(verifyTelnyxWebhook({ ...signed, publicKey }), (json) =>
        Either.mapLeft(decodeTelnyxEvent(json), (malformedBody): WebhookRejected | WebhookMalformed => malformedBody),
      )
      expect(Either.map(decoded, (read) => (read._tag === "Known" ? read.event : read))).toEqual(Either.right(event))
    },
    { fastCheck: { numRuns: 50 } },
  )
})
