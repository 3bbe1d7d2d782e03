import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { decodeClientMessage } from "../src/console-messages.js"
import { describeParseIssues } from "../src/parse-issues.js"

const refusal = (text: string): string => {
  const decoded = decodeClientMessage(text)
  if (Either.isRight(decoded)) throw new Error(`${text} was accepted`)
  return describeParseIssues(decoded.left)
}

describe("describeParseIssues", () => {
  it("names the field, what it may be and what was sent, once for all the members of a union", () => {
    expect(refusal('{"_tag":"SetState","state":"Flying"}')).toBe(
      'state: expected "Online" | "OnBreak" | "Busy" | "Offline", got "Flying"',
    )
    expect(refusal('{"_tag":"Fly"}')).toBe(
      '_tag: expected "SetState" | "Accept" | "Ignore" | "Hangup" | "Dial" | "SubmitOutcome" | "Ping", got "Fly"',
    )
  })

  it("leaves out the 'or undefined' of an optional field", () => {
    expect(refusal('{"_tag":"SubmitOutcome","dispositionId":"d-1","notes":5}')).toBe("notes: expected string, got 5")
  })

  it("says which field is missing, and why text is not JSON", () => {
    expect(refusal('{"_tag":"Accept"}')).toBe("offerId: is missing")
    expect(refusal("not json")).toMatch(/^Unexpected token .*not valid JSON$/)
  })

  it("calls a struct expected where something else was sent an object", () => {
    expect(refusal("[1]")).toBe("_tag: is missing")
    const Lead = Schema.Struct({ name: Schema.String, phone: Schema.String })
    const decoded = Schema.decodeUnknownEither(Lead)(null)
    if (Either.isRight(decoded)) throw new Error("accepted")
    expect(describeParseIssues(decoded.left)).toBe("expected an object, got null")
  })

  it("reports every refused field of a struct", () => {
    const Person = Schema.Struct({ name: Schema.String, age: Schema.Number })
    const decoded = Schema.decodeUnknownEither(Person, { errors: "all" })({ name: 1, age: "x" })
    if (Either.isRight(decoded)) throw new Error("accepted")
    expect(describeParseIssues(decoded.left)).toBe('name: expected string, got 1; age: expected number, got "x"')
  })
})
