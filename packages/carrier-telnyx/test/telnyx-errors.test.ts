import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "telnyx"
import { carrierErrorFrom, isCallAlreadyEnded } from "../src/index.js"

const telnyxError = (status: number, code: string | number, title: string, detail = "") =>
  APIError.generate(status, { errors: [{ code, title, detail }] }, undefined, new Headers())

describe("carrierErrorFrom", () => {
  it.prop(
    "a status the same request may pass later (5xx, 408, 409, 429) is retryable; any other refusal is final",
    { status: FastCheck.integer({ min: 400, max: 599 }) },
    ({ status }) => {
      const error = carrierErrorFrom("bridge", "v3:leg", telnyxError(status, "10007", "Unexpected error"))
      expect(error.retryable).toBe(status >= 500 || status === 408 || status === 409 || status === 429)
      expect(error.operation).toBe("bridge")
    },
  )

  it.prop(
    "says what the command was about and what Telnyx answered",
    {
      subject: FastCheck.stringMatching(/^v3:[A-Za-z0-9]{1,30}$/),
      code: FastCheck.stringMatching(/^9\d{4}$/),
      title: FastCheck.stringMatching(/^[A-Z][a-z ]{3,30}$/),
    },
    ({ subject, code, title }) => {
      const { message } = carrierErrorFrom("answer", subject, telnyxError(422, code, title))
      expect(message).toContain(`answer ${subject}`)
      expect(message).toContain(`422 ${code} ${title}`)
    },
  )

  it("a connection failure or a timeout is retryable", () => {
    const refused = carrierErrorFrom("dial", "+12125551000", new APIConnectionError({ message: "ECONNREFUSED" }))
    const slow = carrierErrorFrom("dial", "+12125551000", new APIConnectionTimeoutError())
    expect([refused.retryable, slow.retryable]).toEqual([true, true])
    expect(refused.message).toContain("could not reach Telnyx")
    expect(slow.message).toContain("did not answer in time")
  })

  it("a body that is not Telnyx's error list still gives the status and the SDK's message", () => {
    const error = carrierErrorFrom("hangup", "v3:x", APIError.generate(418, { oops: true }, undefined, new Headers()))
    expect([error.retryable, error.message]).toEqual([false, 'hangup v3:x: Telnyx answered 418 (418 {"oops":true})'])
  })

  it("anything else thrown is a final failure carrying its message", () => {
    const error = carrierErrorFrom("transfer", "v3:y", new TypeError("boom"))
    expect([error.retryable, error.message]).toEqual([false, "transfer v3:y: boom"])
  })
})

describe("isCallAlreadyEnded", () => {
  it("is Telnyx's 422 with code 90018, given as text or as a number, among other errors too", () => {
    expect(isCallAlreadyEnded(telnyxError(422, "90018", "Call has already ended"))).toBe(true)
    expect(isCallAlreadyEnded(telnyxError(422, 90018, "Call has already ended"))).toBe(true)
    const several = APIError.generate(
      422,
      {
        errors: [
          { code: "10015", title: "Bad Request" },
          { code: "90018", title: "Call has already ended" },
        ],
      },
      undefined,
      new Headers(),
    )
    expect(isCallAlreadyEnded(several)).toBe(true)
  })

  it.prop(
    "is nothing else: another code, another status, or not an API error",
    { status: FastCheck.integer({ min: 400, max: 599 }), code: FastCheck.stringMatching(/^\d{5}$/) },
    ({ status, code }) => {
      FastCheck.pre(status !== 422 || code !== "90018")
      expect(isCallAlreadyEnded(telnyxError(status, code, "Some error"))).toBe(false)
    },
  )

  it("is not an ended call when the error is not from the API", () => {
    expect(isCallAlreadyEnded(new Error("90018"))).toBe(false)
    expect(isCallAlreadyEnded({ status: 422, error: { errors: [{ code: "90018" }] } })).toBe(false)
  })
})
